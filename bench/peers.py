#!/usr/bin/env python3
"""Rows of bench/run.sh's table for the peers, and netgraph / fastest peer per command.

Usage:
    python3 bench/peers.py PAGES NETGRAPH_TIMES.tsv IGRAPH.json NETWORKIT.json

NETGRAPH_TIMES.tsv: `label<TAB>seconds` per netgraph command (whole process, as run.sh times
them); the JSON files are what bench/igraph_bench.py and bench/networkit_bench.py print.
Peers are timed on the algorithm alone, so a ratio below 1 means netgraph, reading its
database and writing its results, still finished first. Prints Markdown table rows.
"""

import json
import os
import sys

# netgraph command label -> (what it is, [(peer, key in that peer's JSON)]).
COMMANDS = [
    ("central --by pagerank", "PageRank",
     [("igraph", "pagerank_s"), ("networkit", "pagerank_s")]),
    ("central --by eigenvector", "eigenvector",
     [("igraph", "eigenvector_s"), ("networkit", "eigenvector_s")]),
    ("communities (leiden)", "communities",
     [("igraph", "leiden_s"), ("networkit", "plm_s"), ("networkit", "leiden_s")]),
    ("central --by betweenness --samples 1000", "betweenness, 1000 pivots",
     [("igraph", "betweenness_pivots_s"), ("networkit", "betweenness_pivots_s")]),
    ("central --by betweenness (exact)", "exact betweenness",
     [("igraph", "betweenness_s"), ("networkit", "betweenness_s")]),
    ("central --by closeness", "closeness",
     [("igraph", "closeness_s"), ("networkit", "closeness_s")]),
]
NAMES = {("networkit", "plm_s"): "networkit PLM", ("networkit", "leiden_s"): "networkit Leiden"}
QUALITY = {("igraph", "leiden_s"): "leiden_modularity", ("networkit", "plm_s"): "plm_modularity",
           ("networkit", "leiden_s"): "leiden_modularity"}


def main():
    pages, times, igraph, networkit = sys.argv[1:5]
    peers = {"igraph": json.load(open(igraph)), "networkit": json.load(open(networkit))}
    ours = {}
    if os.path.exists(times):
        for line in open(times):
            label, secs = line.rstrip("\n").split("\t")
            ours[label] = float(secs)
    for name, r in peers.items():
        print(f"| {pages} | {name} {r[name]}: load edge list "
              f"| {r['load_s']:.2f} s | |")
    for label, what, entries in COMMANDS:
        timed = []
        for peer, key in entries:
            secs = peers[peer].get(key)
            if secs is None:
                continue
            name = NAMES.get((peer, key), peer)
            quality = QUALITY.get((peer, key))
            extra = f", modularity {peers[peer][quality]:.6f}" if quality else ""
            print(f"| {pages} | {name}: {what}{extra} | {secs:.2f} s | |")
            timed.append((secs, name))
        mine = ours.get(label)
        if timed and mine is not None:
            secs, name = min(timed)
            print(f"| {pages} | **netgraph / fastest peer ({name}), {what}: "
                  f"{mine / secs:.2f}** | | |")


if __name__ == "__main__":
    main()

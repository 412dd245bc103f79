#!/usr/bin/env python3
"""Time igraph on an edge list, as a yardstick for netgraph's own timings.

Usage:
    python3 bench/igraph_bench.py EDGES.tsv [--pivots 1000] [--seed 1]

EDGES.tsv: tab-separated with the header line `a<TAB>b<TAB>weight`; a and b are
integer node ids, the graph is undirected, weight is a float. Node ids need not
be contiguous (they are mapped to 0..n-1 in order of first appearance).

Timed with time.perf_counter (file loading is timed separately as load_s):
  * pagerank_s     weighted PageRank, damping 0.85
  * eigenvector_s  weighted eigenvector centrality (Graph.eigenvector_centrality)
  * leiden_s       Leiden, modularity objective, weights, n_iterations=-1
                   (random.seed(--seed) first: igraph uses Python's RNG);
                   leiden_modularity is the weighted modularity of its result
  * betweenness_s  exact unweighted betweenness (Graph.betweenness()) when the
                   graph has fewer than 20,000 nodes, else null
  * closeness_s    unweighted closeness (Graph.closeness()), same size limit
  * betweenness_pivots_s  unweighted betweenness restricted to --pivots random
                   source vertices (Graph.betweenness(sources=...), i.e. the
                   work of a pivot-sampled estimate); null if --pivots is 0 or
                   not smaller than the node count
Prints one JSON object on stdout.
"""

import argparse
import csv
import json
import random
import sys
import time

import igraph as ig

EXACT_BETWEENNESS_MAX_NODES = 20000


def load(path):
    ids = {}
    edges = []
    weights = []
    with open(path, newline="") as f:
        r = csv.reader(f, delimiter="\t")
        header = next(r)
        if [h.strip() for h in header[:3]] != ["a", "b", "weight"]:
            sys.exit(f"{path}: expected header a<TAB>b<TAB>weight, got {header!r}")
        for row in r:
            if not row:
                continue
            a, b, w = int(row[0]), int(row[1]), float(row[2])
            ia = ids.setdefault(a, len(ids))
            ib = ids.setdefault(b, len(ids))
            edges.append((ia, ib))
            weights.append(w)
    g = ig.Graph(n=len(ids), edges=edges, directed=False)
    g.es["weight"] = weights
    return g


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("edges", help="TSV edge list with header a, b, weight")
    ap.add_argument("--pivots", type=int, default=1000,
                    help="source vertices for the sampled betweenness timing (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args()

    t = time.perf_counter()
    g = load(args.edges)
    load_s = time.perf_counter() - t
    n, m = g.vcount(), g.ecount()

    t = time.perf_counter()
    g.pagerank(damping=0.85, weights="weight", directed=False)
    pagerank_s = time.perf_counter() - t

    t = time.perf_counter()
    g.eigenvector_centrality(weights="weight")
    eigenvector_s = time.perf_counter() - t

    random.seed(args.seed)
    t = time.perf_counter()
    cl = g.community_leiden(objective_function="modularity", weights="weight",
                            resolution=1, n_iterations=-1)
    leiden_s = time.perf_counter() - t
    leiden_modularity = g.modularity(cl.membership, weights="weight")

    betweenness_s = closeness_s = None
    if n < EXACT_BETWEENNESS_MAX_NODES:
        t = time.perf_counter()
        g.betweenness(directed=False)
        betweenness_s = time.perf_counter() - t
        t = time.perf_counter()
        g.closeness()
        closeness_s = time.perf_counter() - t
    else:
        print(f"betweenness: skipped (n > {EXACT_BETWEENNESS_MAX_NODES})", file=sys.stderr)

    betweenness_pivots_s = None
    if 0 < args.pivots < n:
        sources = random.Random(args.seed).sample(range(n), args.pivots)
        t = time.perf_counter()
        g.betweenness(directed=False, sources=sources)
        betweenness_pivots_s = time.perf_counter() - t

    print(json.dumps({
        "nodes": n,
        "edges": m,
        "load_s": load_s,
        "pagerank_s": pagerank_s,
        "eigenvector_s": eigenvector_s,
        "leiden_s": leiden_s,
        "leiden_modularity": leiden_modularity,
        "leiden_communities": len(cl),
        "betweenness_s": betweenness_s,
        "closeness_s": closeness_s,
        "betweenness_pivots": args.pivots if betweenness_pivots_s is not None else None,
        "betweenness_pivots_s": betweenness_pivots_s,
        "igraph": ig.__version__,
    }))


if __name__ == "__main__":
    main()

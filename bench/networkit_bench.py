#!/usr/bin/env python3
"""Time networkit on an edge list, as a yardstick for netgraph's own timings.

Usage:
    python3 bench/networkit_bench.py EDGES.tsv [--pivots 1000] [--seed 1] [--threads N]

EDGES.tsv: the same file as bench/igraph_bench.py reads (header `a<TAB>b<TAB>weight`,
integer node ids, undirected, float weights).

Timed with time.perf_counter on the algorithm alone (the graph already built; loading is
timed separately as load_s), on networkit's own thread pool (--threads, default every core):
  * pagerank_s      weighted PageRank, damping 0.85 (networkit's default tolerance)
  * eigenvector_s   weighted eigenvector centrality (EigenvectorCentrality, default tolerance)
  * plm_s           PLM, parallel Louvain (Staudt & Meyerhenke 2016), weights, gamma 1;
                    plm_modularity is the weighted modularity of its result
  * leiden_s        ParallelLeiden, weights, gamma 1 (networkit's defaults otherwise);
                    leiden_modularity likewise
  * betweenness_s   exact unweighted betweenness when the graph has fewer than 20,000 nodes,
                    else null
  * closeness_s     unweighted closeness, generalized variant (Wasserman-Faust, as networkx's
                    wf_improved), same size limit
  * betweenness_pivots_s  unweighted betweenness from --pivots sampled sources
                    (EstimateBetweenness: one BFS per source, as netgraph's --samples); null if
                    --pivots is 0 or not smaller than the node count
Prints one JSON object on stdout.
"""

import argparse
import json
import sys
import time

import networkit as nk
import numpy as np

EXACT_MAX_NODES = 20000


def load(path):
    """The weighted graph and its unweighted copy (for the hop-count measures)."""
    with open(path) as f:
        f.readline()
        data = np.array(f.read().split(), dtype=np.float64).reshape(-1, 3)
    a = data[:, 0].astype(np.int64)
    b = data[:, 1].astype(np.int64)
    w = data[:, 2].astype(np.float64)
    ids, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    m = len(a)
    row = inverse[:m].astype(np.uint64)
    col = inverse[m:].astype(np.uint64)
    n = len(ids)
    g = nk.GraphFromCoo((w, (row, col)), n=n, weighted=True, directed=False)
    h = nk.GraphFromCoo((np.ones(m), (row, col)), n=n, weighted=False, directed=False)
    return g, h


def timed(f):
    t = time.perf_counter()
    result = f()
    return result, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("edges", help="TSV edge list with header a, b, weight")
    ap.add_argument("--pivots", type=int, default=1000,
                    help="source vertices for the sampled betweenness timing (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--threads", type=int, default=0,
                    help="networkit threads (default: every core)")
    args = ap.parse_args()
    if args.threads:
        nk.setNumberOfThreads(args.threads)
    nk.engineering.setSeed(args.seed, True)

    (g, h), load_s = timed(lambda: load(args.edges))
    n = g.numberOfNodes()

    _, pagerank_s = timed(lambda: nk.centrality.PageRank(g, damp=0.85).run())
    _, eigenvector_s = timed(lambda: nk.centrality.EigenvectorCentrality(g).run())

    plm, plm_s = timed(lambda: nk.community.PLM(g, refine=False, gamma=1.0).run())
    plm_q = nk.community.Modularity().getQuality(plm.getPartition(), g)

    leiden, leiden_s = timed(lambda: nk.community.ParallelLeiden(g, gamma=1.0).run())
    leiden_q = nk.community.Modularity().getQuality(leiden.getPartition(), g)

    betweenness_s = closeness_s = None
    if n < EXACT_MAX_NODES:
        _, betweenness_s = timed(lambda: nk.centrality.Betweenness(h).run())
        variant = nk.centrality.ClosenessVariant.GENERALIZED
        _, closeness_s = timed(lambda: nk.centrality.Closeness(h, False, variant).run())
    else:
        print(f"exact betweenness, closeness: skipped (n > {EXACT_MAX_NODES})", file=sys.stderr)

    betweenness_pivots_s = None
    if 0 < args.pivots < n:
        _, betweenness_pivots_s = timed(
            lambda: nk.centrality.EstimateBetweenness(h, args.pivots, False, True).run())

    print(json.dumps({
        "nodes": n,
        "edges": g.numberOfEdges(),
        "threads": nk.getMaxNumberOfThreads(),
        "load_s": load_s,
        "pagerank_s": pagerank_s,
        "eigenvector_s": eigenvector_s,
        "plm_s": plm_s,
        "plm_modularity": plm_q,
        "leiden_s": leiden_s,
        "leiden_modularity": leiden_q,
        "betweenness_s": betweenness_s,
        "closeness_s": closeness_s,
        "betweenness_pivots": args.pivots if betweenness_pivots_s is not None else None,
        "betweenness_pivots_s": betweenness_pivots_s,
        "networkit": nk.__version__,
    }))


if __name__ == "__main__":
    main()

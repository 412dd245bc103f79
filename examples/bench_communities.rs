//! Time Leiden and Louvain on a generated graph with planted communities.
//!
//! ```text
//! cargo run --release --example bench_communities -- [NODES] [EDGES] [COMMUNITY_SIZE] [MIXING] [EDGE_LIST]
//! cargo run --release --example bench_communities -- 150000 3000000
//! ```
//!
//! Nodes are split into planted communities of COMMUNITY_SIZE (default 50). Each edge picks a
//! random node and, with probability 1 − MIXING (default 0.3), a partner in the same planted
//! community, otherwise anywhere; weights are 1–3. Duplicates merge, so the graph has slightly
//! fewer edges than asked. With EDGE_LIST the edges are also written as "a b w" lines, to
//! compare with igraph on the same graph.

use netgraph::algo::community::{
    leiden, louvain, modularity, LeidenConfig, LouvainConfig, SplitMix64,
};
use netgraph::graph::InsightGraph;
use std::io::Write;
use std::time::Instant;

/// CPU seconds used by this process so far (user + system), to read timings on a busy machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let out = f();
    print!(
        "{what}: wall {:>7.2?}  cpu {:>6.2}s  ",
        wall.elapsed(),
        cpu_seconds() - cpu
    );
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: f64| {
        args.get(i)
            .map_or(default, |s| s.parse().expect("a number"))
    };
    let n = arg(0, 150_000.0) as usize;
    let m = arg(1, 3_000_000.0) as usize;
    let size = (arg(2, 50.0) as usize).max(2);
    let mixing = arg(3, 0.3);

    let started = Instant::now();
    let mut rng = SplitMix64::new(2024);
    let mut edges = Vec::with_capacity(m);
    while edges.len() < m {
        let a = rng.below(n);
        let b = if rng.next_f64() < mixing {
            rng.below(n)
        } else {
            let base = a / size * size;
            (base + rng.below(size)).min(n - 1)
        };
        if a != b {
            edges.push((a.min(b) as u32, a.max(b) as u32, (1 + rng.below(3)) as f64));
        }
    }
    // One weight per pair: `from_index_edges` expects each undirected edge once.
    edges.sort_unstable_by_key(|e| (e.0, e.1));
    edges.dedup_by_key(|e| (e.0, e.1));
    let graph = InsightGraph::from_index_edges(n, &edges);
    let planted: Vec<u32> = (0..n).map(|u| (u / size) as u32).collect();
    println!(
        "graph: {} nodes, {} edges, built in {:.2?}; planted modularity {:.6}; threads {}",
        graph.node_count(),
        graph.edge_count(),
        started.elapsed(),
        modularity(&graph, &planted, 1.0),
        rayon::current_num_threads()
    );
    if let Some(path) = args.get(4) {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("edge list file"));
        for u in 0..n as u32 {
            for (&v, &w) in graph.neighbors(u).iter().zip(graph.weights(u)) {
                if u < v {
                    writeln!(out, "{u} {v} {w}").unwrap();
                }
            }
        }
    }

    let report = |c: netgraph::algo::community::Clustering| {
        println!(
            "modularity {:.6}  communities {}  best restart {}",
            c.modularity, c.count, c.restart
        )
    };
    report(time("leiden  (10 restarts)", || {
        leiden(&graph, &LeidenConfig::default()).expect("valid config")
    }));
    report(time("leiden  (1 restart)  ", || {
        leiden(
            &graph,
            &LeidenConfig {
                restarts: 1,
                ..LeidenConfig::default()
            },
        )
        .expect("valid config")
    }));
    report(time("leiden  (1 restart, until stable)", || {
        leiden(
            &graph,
            &LeidenConfig {
                restarts: 1,
                iterations: None,
                ..LeidenConfig::default()
            },
        )
        .expect("valid config")
    }));
    report(time("louvain (10 restarts)", || {
        louvain(&graph, &LouvainConfig::default()).expect("valid config")
    }));
}

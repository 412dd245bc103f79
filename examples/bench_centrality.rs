//! Time every centrality measure on a random heavy-tailed graph built in memory.
//!
//! ```text
//! cargo run --release --example bench_centrality -- [NODES] [EDGES] [PIVOTS (default 1000)]
//! cargo run --release --example bench_centrality -- 150000 3000000
//! ```
//!
//! Edges join nodes drawn with probability proportional to (i + 1)^(-2/3) (Chung–Lu with a
//! degree exponent of about 2.5), so a few insights appear with thousands of others, as the
//! most repeated insights of a large corpus do; weights are 1 + a geometric count of extra
//! shared sources. Exact betweenness and closeness are O(|V| |E|) and only run up to 20 000
//! nodes; beyond that their time is extrapolated from the sampled run.

use netgraph::algo::centrality::{
    betweenness, closeness, degree, eigenvector, page_rank, rank, strength, BetweennessConfig,
    Distance, EigenvectorConfig, PageRankConfig,
};
use netgraph::algo::rng::SplitMix64;
use netgraph::graph::InsightGraph;
use std::time::{Duration, Instant};

fn heavy_tailed(n: usize, m: usize, seed: u64) -> InsightGraph {
    let mut rng = SplitMix64::new(seed);
    let mut cumulative = Vec::with_capacity(n);
    let mut total = 0.0;
    for i in 0..n {
        total += ((i + 1) as f64).powf(-2.0 / 3.0);
        cumulative.push(total);
    }
    let draw = |rng: &mut SplitMix64| {
        let x = rng.next_f64() * total;
        cumulative.partition_point(|&c| c < x).min(n - 1) as u32
    };
    let mut edges = Vec::with_capacity(m);
    while edges.len() < m {
        let (a, b) = (draw(&mut rng), draw(&mut rng));
        if a != b {
            let mut w = 1.0;
            while rng.next_f64() < 0.3 {
                w += 1.0;
            }
            edges.push((a.min(b), a.max(b), w));
        }
    }
    InsightGraph::from_index_edges(n, &edges)
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    println!("{what:<40} {:>10.3} s", took.as_secs_f64());
    (out, took)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("numbers: NODES EDGES [PIVOTS]"))
        .collect();
    let n = args.first().copied().unwrap_or(150_000);
    let m = args.get(1).copied().unwrap_or(3_000_000);
    let pivots = args.get(2).copied().unwrap_or(1000);
    println!("threads: {}", rayon::current_num_threads());
    let (g, _) = time("build graph", || heavy_tailed(n, m, 42));
    let max_degree = (0..n as u32).map(|u| g.degree(u)).max().unwrap_or(0);
    let (components, largest) = g.component_summary();
    println!(
        "graph: {} nodes, {} edges, max degree {max_degree}, {components} components (largest {largest})",
        g.node_count(),
        g.edge_count()
    );
    let (pr, _) = time("pagerank", || page_rank(&g, &PageRankConfig::default()));
    println!("  {} iterations, converged {}", pr.iterations, pr.converged);
    time("rank (sort best first)", || rank(&pr.values));
    let (ev, _) = time("eigenvector", || {
        eigenvector(&g, &EigenvectorConfig::default())
    });
    println!("  {} iterations, converged {}", ev.iterations, ev.converged);
    time("degree", || degree(&g));
    time("strength", || strength(&g));
    let sampled = BetweennessConfig {
        samples: Some(pivots),
        ..Default::default()
    };
    let (_, hops) = time(&format!("betweenness, {pivots} pivots, hops"), || {
        betweenness(&g, &sampled)
    });
    // Dijkstra costs several times a breadth-first search: a tenth of the pivots.
    let few = (pivots / 10).max(1);
    let inverse = BetweennessConfig {
        distance: Distance::Inverse,
        samples: Some(few),
        ..sampled
    };
    time(&format!("betweenness, {few} pivots, 1/weight"), || {
        betweenness(&g, &inverse)
    });
    if n <= 20_000 {
        time("betweenness, exact", || {
            betweenness(&g, &BetweennessConfig::default())
        });
        time("closeness", || closeness(&g));
    } else {
        let estimate = hops.as_secs_f64() * n as f64 / pivots.min(n) as f64;
        println!(
            "betweenness exact, closeness            skipped (O(VE)); about {estimate:.0} s each"
        );
    }
}

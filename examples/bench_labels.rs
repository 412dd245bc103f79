//! Time theme naming (`label_communities`) on a real database: the texts of its insights and
//! the communities kept by `netgraph communities` (computed and kept first if there are none).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages 100000 --out /tmp/corpus100k
//! netgraph --db /tmp/c100k.db import /tmp/corpus100k
//! cargo run --release --example bench_labels -- /tmp/c100k.db [RESOLUTION] [RUNS]
//! ```
//!
//! RESOLUTION (default 1) picks the partition: a higher one gives more, smaller communities
//! (about 2,000 at 40 on a generated 100,000-page corpus). Prints the wall and CPU time of
//! each run (CPU time reads right on a busy machine) and a few names.

use netgraph::algo::community::labels::{label_communities, LabelConfig};
use netgraph::algo::community::{default_restarts, CommunityConfig, LeidenConfig};
use netgraph::results::{partition, Reuse};
use netgraph::store::{OpenMode, Store};
use std::path::PathBuf;
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = PathBuf::from(
        args.first()
            .ok_or("usage: bench_labels DB [RESOLUTION] [RUNS]")?,
    );
    let resolution: f64 = args.get(1).map_or(Ok(1.0), |s| s.parse())?;
    let runs: usize = args.get(2).map_or(Ok(3), |s| s.parse())?;

    let mut store = Store::open(&db, OpenMode::Existing)?;
    let graph = store.load_graph()?;
    let config = CommunityConfig::Leiden(LeidenConfig {
        resolution,
        restarts: default_restarts(graph.node_count()),
        ..LeidenConfig::default()
    });
    let started = Instant::now();
    let kept = partition(&mut store, &graph, &config, Reuse::SameParameters)?;
    println!(
        "partition: {} communities ({}), {:.2?}",
        kept.communities.len(),
        if kept.reused { "kept" } else { "computed" },
        started.elapsed()
    );
    // Dense community ids, as the results layer hands them to the labeller.
    let mut ids: Vec<u32> = kept.membership.clone();
    ids.sort_unstable();
    ids.dedup();
    let membership: Vec<u32> = kept
        .membership
        .iter()
        .map(|c| ids.binary_search(c).expect("listed") as u32)
        .collect();
    let mut texts = vec![String::new(); graph.node_count()];
    for (id, text) in store.insight_texts()? {
        if let Some(u) = graph.index_of(id) {
            texts[u as usize] = text;
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut names = Vec::new();
    for run in 0..runs {
        let (started, cpu) = (Instant::now(), cpu_seconds());
        names = label_communities(&refs, &membership, ids.len(), &LabelConfig::default());
        println!(
            "labels run {}: wall {:.3?}  cpu {:.2}s ({} insights, {} communities, {} threads)",
            run + 1,
            started.elapsed(),
            cpu_seconds() - cpu,
            refs.len(),
            ids.len(),
            rayon::current_num_threads()
        );
    }
    for c in kept.communities.iter().take(5) {
        let dense = ids.binary_search(&c.id).expect("listed");
        println!("  {:>5} {:>6}  {}", c.id, c.size, names[dense]);
    }
    Ok(())
}

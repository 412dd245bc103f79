//! Latency of the explore reads on an imported database: `search` (insights and source titles)
//! and everything `show` reads, through the library, as the CLI calls them.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages 100000 --out /tmp/corpus100k
//! target/release/netgraph --db /tmp/bench100k.db import /tmp/corpus100k -q
//! cargo run --release --example bench_explore -- /tmp/bench100k.db [ROUNDS]
//! ```
//!
//! Prints median, 95th percentile and maximum per operation, in milliseconds. Queries are pieces
//! of stored texts (deterministic sample), plus the most common word (the worst case for bm25).

use netgraph::store::search::Highlight;
use netgraph::store::{OpenMode, Store};
use std::path::PathBuf;
use std::time::Instant;

fn summary(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<34} n={:<4} median {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms",
        ms.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64() * 1e3)
}

fn main() -> netgraph::Result<()> {
    let mut args = std::env::args().skip(1);
    let db = PathBuf::from(args.next().expect("usage: bench_explore DB [ROUNDS]"));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(200);
    let store = Store::open(&db, OpenMode::Existing)?;
    let counts = store.counts()?;
    println!(
        "{}: {} sources, {} insights, {} edges",
        db.display(),
        counts.sources,
        counts.insights,
        counts.edges
    );
    let max_id = counts.insights.max(1);
    // Deterministic sample of ids (Weyl sequence) and text pieces of them.
    let ids: Vec<netgraph::ids::InsightId> = (0..rounds as i64)
        .filter_map(|i| netgraph::ids::InsightId::from_i64(1 + (i * 7_919 + 13) % max_id))
        .collect();
    let details = store.insight_details(&ids)?;
    let pieces: Vec<String> = details
        .iter()
        .map(|d| {
            let words: Vec<&str> = d.text.split_whitespace().collect();
            let start = words.len() / 3;
            words[start..(start + 4).min(words.len())].join(" ")
        })
        .collect();
    let common = details
        .iter()
        .flat_map(|d| d.text.split_whitespace().map(str::to_lowercase))
        .fold(
            std::collections::HashMap::<String, usize>::new(),
            |mut m, w| {
                *m.entry(w).or_default() += 1;
                m
            },
        )
        .into_iter()
        .max_by_key(|(w, n)| (*n, w.clone()))
        .map(|(w, _)| w)
        .unwrap_or_default();

    let marks = Highlight::default();
    let mut search = Vec::new();
    let mut search_two = Vec::new();
    for p in &pieces {
        search.push(
            time(|| {
                store
                    .search_insights(p, 10, marks)
                    .and(store.search_sources(p, 10, marks))
            })
            .1,
        );
        let two: String = p.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        search_two.push(
            time(|| {
                store
                    .search_insights(&two, 10, marks)
                    .and(store.search_sources(&two, 10, marks))
            })
            .1,
        );
    }
    let common_ms: Vec<f64> = (0..20)
        .map(|_| time(|| store.search_insights(&common, 10, marks)).1)
        .collect();
    let mut resolve = Vec::new();
    let mut show = Vec::new();
    for (id, p) in ids.iter().zip(&pieces) {
        resolve.push(time(|| store.resolve_insight(p)).1);
        show.push(
            time(|| -> netgraph::Result<()> {
                let id = store.resolve_insight(&id.to_string())?;
                store.insight_info(id)?;
                store.appearances(id, 20)?;
                store.strongest_neighbors(id, 10)?;
                store.variants(id)?;
                store.kept_scores_of(id)?;
                store.kept_community_of(id)?;
                Ok(())
            })
            .1,
        );
    }
    let mut neighbors = Vec::new();
    for id in ids.iter().take(50) {
        neighbors.push(time(|| store.neighborhood(*id, 1, 1, 50)).1);
    }
    summary("search: 4-word piece", search);
    summary("search: 2 words", search_two);
    summary(&format!("search: most common word {common:?}"), common_ms);
    summary("resolve: piece of text", resolve);
    summary("show: all reads, by id", show);
    summary("neighbors: depth 1", neighbors);
    Ok(())
}

//! Properties of the whole pipeline on small random corpora, through the real binary: the graph
//! does not depend on the order files are imported in, an incremental import ends where a
//! fresh one does, and centrality does not depend on the thread count.
//!
//! Each property runs 8 cases by default; `PROPTEST_CASES=200 cargo test --release
//! properties` runs more.

use crate::common::*;
use netgraph::parse::normalize::insight_key;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
use std::path::Path;

/// Insights the corpora are drawn from: few, so random files share many of them.
const PHRASES: [&str; 10] = [
    "Alpha idea",
    "Beta insight about teams",
    "Gamma: ship small",
    "Delta \u{2014} measure twice",
    "Epsilon straße",
    "Zeta quote \u{201C}here\u{201D}",
    "Eta numbers 1 2 3",
    "Theta ends here.",
    "Iota",
    "Kappa with (brackets) [and more]",
];

/// How one file is written.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Lines,
    Markdown,
    Jsonl,
}

/// One file: its kind and its insights as (phrase, spelling variant).
#[derive(Debug, Clone)]
struct Doc {
    kind: Kind,
    insights: Vec<(usize, u8)>,
}

impl Doc {
    fn file_name(&self, stem: &str) -> String {
        let ext = match self.kind {
            Kind::Lines => "txt",
            Kind::Markdown => "md",
            Kind::Jsonl => "jsonl",
        };
        format!("{stem}.{ext}")
    }

    fn text(&self) -> String {
        let spelled = self.insights.iter().map(|&(p, v)| spell(PHRASES[p], v));
        match self.kind {
            Kind::Lines => spelled.map(|s| s + "\n").collect(),
            Kind::Markdown => {
                let items: String = spelled.map(|s| format!("- {s}\n")).collect();
                format!("# Notes\n\n{items}")
            }
            Kind::Jsonl => spelled
                .map(|s| serde_json::json!({"source": "book", "text": s}).to_string() + "\n")
                .collect(),
        }
    }
}

/// A phrase as a writer might have typed it: the identity key folds these together.
fn spell(phrase: &str, variant: u8) -> String {
    match variant % 4 {
        0 => phrase.to_string(),
        1 => phrase.to_uppercase(),
        2 => phrase.to_lowercase(),
        _ => phrase.replace(' ', "  "),
    }
}

fn doc() -> impl Strategy<Value = Doc> {
    let kind = prop_oneof![Just(Kind::Lines), Just(Kind::Markdown), Just(Kind::Jsonl)];
    let insights = prop::collection::vec((0..PHRASES.len(), any::<u8>()), 1..6);
    (kind, insights).prop_map(|(kind, insights)| Doc { kind, insights })
}

fn corpus() -> impl Strategy<Value = Vec<Doc>> {
    prop::collection::vec(doc(), 1..7)
}

/// Files that every case also has, so that a change to a few random files is small next to
/// the whole and the import updates the edges by delta instead of rebuilding them.
fn background() -> Vec<Doc> {
    (0..12)
        .map(|i| Doc {
            kind: Kind::Lines,
            insights: vec![(i % PHRASES.len(), 0), ((i * 7 + 3) % PHRASES.len(), 1)],
        })
        .collect()
}

fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Write `docs` as `dir/d<i>.<ext>` and the [`background`] as `dir/b<i>.txt`; returns the
/// paths, `docs` first.
fn write_corpus(env: &Env, dir: &str, docs: &[Doc]) -> Vec<std::path::PathBuf> {
    let docs = docs.iter().enumerate().map(|(i, d)| (format!("d{i}"), d));
    let background = background();
    let background = background
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("b{i}"), d));
    docs.chain(background)
        .map(|(stem, d)| env.write(&format!("{dir}/{}", d.file_name(&stem)), d.text()))
        .collect()
}

/// The graph as ids do not matter: insights by identity key with their source counts, and
/// edges between keys with their weights; plus the totals `stats` reports.
#[derive(Debug, PartialEq)]
struct Graph {
    nodes: BTreeMap<String, i64>,
    edges: BTreeMap<(String, String), f64>,
    totals: [i64; 4],
}

fn graph(env: &Env) -> Graph {
    let export = env.json(&["export", "json", "-q"]);
    let mut key_of = BTreeMap::new();
    let mut nodes = BTreeMap::new();
    for node in export["nodes"].as_array().unwrap() {
        let key = insight_key(node["text"].as_str().unwrap());
        key_of.insert(node["id"].as_i64().unwrap(), key.clone());
        nodes.insert(key, node["sources"].as_i64().unwrap());
    }
    let mut edges = BTreeMap::new();
    for edge in export["edges"].as_array().unwrap() {
        let a = key_of[&edge["source"].as_i64().unwrap()].clone();
        let b = key_of[&edge["target"].as_i64().unwrap()].clone();
        let pair = if a < b { (a, b) } else { (b, a) };
        edges.insert(pair, edge["weight"].as_f64().unwrap());
    }
    let stats = env.json(&["stats", "--format", "json"]);
    let totals =
        ["sources", "insights", "edges", "total_weight"].map(|k| stats[k].as_i64().unwrap());
    Graph {
        nodes,
        edges,
        totals,
    }
}

fn import_paths(env: &Env, paths: &[&Path]) {
    let mut args = vec!["import", "--format", "json", "-q"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    env.json(&args);
}

#[test]
fn import_order_does_not_change_the_graph() {
    let case = (corpus(), any::<u64>(), 1..8usize);
    runner()
        .run(&case, |(docs, shuffle, batches)| {
            let env = Env::new();
            let paths = write_corpus(&env, "c", &docs);
            import_paths(&env, &paths.iter().map(|p| p.as_path()).collect::<Vec<_>>());
            let all_at_once = graph(&env);

            // The same files in another order, over several imports (the later ones update
            // the edges incrementally).
            let mut order: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
            let mut state = shuffle;
            for i in (1..order.len()).rev() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                order.swap(i, (state >> 33) as usize % (i + 1));
            }
            let other = Env::new();
            for chunk in order.chunks(order.len().div_ceil(batches)) {
                import_paths(&other, chunk);
            }
            prop_assert_eq!(graph(&other), all_at_once);
            Ok(())
        })
        .unwrap();
}

#[test]
fn incremental_import_ends_where_a_fresh_import_does() {
    let case = (corpus(), corpus(), prop::collection::vec(0..3u8, 7));
    runner()
        .run(&case, |(first, second, fate)| {
            let env = Env::new();
            write_corpus(&env, "c", &first);
            env.import(&env.path("c"), &[]);
            // Each file of the first corpus is kept, changed (to the second corpus's file of
            // the same index) or deleted; the second corpus's extra files are added.
            for (i, doc) in first.iter().enumerate() {
                let path = env.path(&format!("c/{}", doc.file_name(&format!("d{i}"))));
                match (fate[i], second.get(i)) {
                    (0, _) => {}
                    (1, Some(new)) => {
                        let changed = Doc {
                            kind: doc.kind,
                            insights: new.insights.clone(),
                        };
                        std::fs::write(&path, changed.text()).unwrap();
                    }
                    _ => std::fs::remove_file(&path).unwrap(),
                }
            }
            for (i, doc) in second.iter().enumerate().skip(first.len()) {
                env.write(
                    &format!("c/{}", doc.file_name(&format!("d{i}"))),
                    doc.text(),
                );
            }
            env.import(&env.path("c"), &["--prune"]);

            let fresh = Env::new();
            for entry in std::fs::read_dir(env.path("c")).unwrap() {
                let entry = entry.unwrap();
                let text = std::fs::read(entry.path()).unwrap();
                fresh.write(&format!("c/{}", entry.file_name().to_str().unwrap()), text);
            }
            fresh.import(&fresh.path("c"), &[]);
            prop_assert_eq!(graph(&env), graph(&fresh));
            Ok(())
        })
        .unwrap();
}

#[test]
fn centrality_does_not_depend_on_threads() {
    runner()
        .run(&corpus(), |docs| {
            let env = Env::new();
            write_corpus(&env, "c", &docs);
            env.import(&env.path("c"), &[]);
            let central = |extra: &[&str]| {
                let mut args = vec![
                    "central", "--by", "pagerank", "--top", "100", "--format", "json",
                ];
                args.extend_from_slice(extra);
                env.ok(&args)
            };
            let one = central(&["--threads", "1", "--recompute"]);
            let two = central(&["--threads", "2", "--recompute"]);
            let kept = central(&["--threads", "2"]);
            prop_assert_eq!(&one, &two);
            prop_assert_eq!(&one, &kept);
            Ok(())
        })
        .unwrap();
}

//! `netgraph central`.

use crate::common::*;
use netgraph::algo::centrality::{CentralityConfig, Measure};
use netgraph::results::scores::CentralityParams;
use netgraph::results::{self, Reuse};
use netgraph::store::{OpenMode, Store};
use serde_json::Value;

const MEASURES: [&str; 6] = [
    "pagerank",
    "betweenness",
    "closeness",
    "eigenvector",
    "degree",
    "strength",
];

/// Rows are best first: score non-increasing, equal scores by id ascending. Scores equal to
/// 12 significant digits are ties (float noise), so they may come in either numeric order.
fn assert_ranked(rows: &[Value], what: &str) {
    for (i, pair) in rows.windows(2).enumerate() {
        let (a, b) = (
            pair[0]["score"].as_f64().unwrap(),
            pair[1]["score"].as_f64().unwrap(),
        );
        let tie = (a - b).abs() <= 1e-11 * a.abs().max(b.abs());
        assert!(a >= b || tie, "{what}: rank {} score {a} < next {b}", i + 1);
        if a == b || (tie && a < b) {
            assert!(
                pair[0]["id"].as_i64() < pair[1]["id"].as_i64(),
                "{what}: tie at rank {} not by id",
                i + 1
            );
        }
        assert_eq!(pair[0]["rank"], i + 1);
    }
}

/// Compare every node's score to the fixture, matched by insight text.
fn check_against_fixture(env: &Env, graph: &str, args: &[&str], fixture_measure: &str) {
    let mut full = vec!["central", "--top", "1000", "--format", "json"];
    full.extend_from_slice(args);
    let rows = env.json(&full);
    let rows = rows.as_array().unwrap();
    let want = &expected(graph)["measures"][fixture_measure];
    let want = want.as_object().unwrap();
    assert_eq!(
        rows.len(),
        want.len(),
        "{graph} {fixture_measure}: node count"
    );
    for row in rows {
        let text = row["text"].as_str().unwrap();
        let w = want
            .get(text)
            .unwrap_or_else(|| panic!("{graph}: {text:?} not in the fixture"))
            .as_f64()
            .unwrap();
        let got = row["score"].as_f64().unwrap();
        assert!(
            close(got, w, 1e-6),
            "{graph} {fixture_measure} {text:?}: got {got}, want {w}"
        );
    }
    assert_ranked(rows, &format!("{graph} {fixture_measure}"));
}

#[test]
fn every_measure_matches_networkx_on_every_fixture_graph() {
    for graph in REAL_GRAPHS {
        let env = Env::with_corpus(graph);
        for measure in MEASURES {
            check_against_fixture(&env, graph, &["--by", measure], measure);
        }
        check_against_fixture(
            &env,
            graph,
            &["--by", "betweenness", "--distance", "inverse"],
            "betweenness_inverse",
        );
    }
}

#[test]
fn output_is_the_same_bytes_with_one_or_two_threads() {
    // lesmis has 77 insights, more than one 64-source batch of the hop passes; disconnected
    // has several components.
    for corpus in ["lesmis", "disconnected"] {
        let env = Env::with_corpus(corpus);
        let cases: [&[&str]; 5] = [
            &["--by", "betweenness"],
            &["--by", "betweenness", "--distance", "inverse"],
            &["--by", "betweenness", "--samples", "20", "--seed", "9"],
            &["--by", "closeness"],
            &["--by", "pagerank"],
        ];
        for case in cases {
            let run = |threads: &str| {
                let mut args = vec![
                    "--threads",
                    threads,
                    "central",
                    "--recompute",
                    "--top",
                    "1000",
                    "--format",
                    "csv",
                ];
                args.extend_from_slice(case);
                env.ok(&args)
            };
            assert_eq!(run("1"), run("2"), "{corpus} {case:?}");
        }
    }
}

#[test]
fn sampled_betweenness_says_approximate_and_all_samples_is_exact() {
    let env = Env::with_corpus("lesmis");
    let out = env.run(&[
        "central",
        "--by",
        "betweenness",
        "--samples",
        "10",
        "--seed",
        "3",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("approximate") && err.contains("10 of 77"),
        "{err}"
    );
    // Same seed, same estimate.
    let a = env.ok(&[
        "central",
        "--by",
        "betweenness",
        "--samples",
        "10",
        "--seed",
        "3",
        "--recompute",
        "--format",
        "csv",
    ]);
    let b = env.ok(&[
        "central",
        "--by",
        "betweenness",
        "--samples",
        "10",
        "--seed",
        "3",
        "--recompute",
        "--format",
        "csv",
    ]);
    assert_eq!(a, b);
    let exact = env.ok(&[
        "central",
        "--by",
        "betweenness",
        "--top",
        "1000",
        "--format",
        "json",
    ]);
    for k in ["77", "500"] {
        let out = env.run(&[
            "central",
            "--by",
            "betweenness",
            "--samples",
            k,
            "--top",
            "1000",
            "--format",
            "json",
        ]);
        assert_eq!(String::from_utf8_lossy(&out.stdout), exact, "--samples {k}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("approximate"));
    }
}

#[test]
fn inverse_distance_is_stated() {
    let env = Env::with_corpus("karate");
    let out = env.run(&["central", "--by", "betweenness", "--distance", "inverse"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1/weight"));
}

#[test]
fn ties_break_by_id() {
    let env = Env::new();
    // A star: the centre first, then four leaves with equal scores in id order.
    let lines: String = ["leaf d", "leaf b", "leaf c", "leaf a"]
        .iter()
        .enumerate()
        .map(|(i, leaf)| format!("{{\"source\":\"s{i}\",\"text\":\"centre\"}}\n{{\"source\":\"s{i}\",\"text\":\"{leaf}\"}}\n"))
        .collect();
    env.import(&env.write("star.jsonl", lines), &[]);
    for measure in MEASURES {
        let rows = env.json(&["central", "--by", measure, "--format", "json"]);
        let rows = rows.as_array().unwrap();
        assert_eq!(rows[0]["text"], "centre", "{measure}");
        let ids: Vec<i64> = rows[1..]
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "{measure}");
        assert_ranked(rows, measure);
    }
}

#[test]
fn empty_database_and_no_database_are_not_found() {
    let env = Env::new();
    let out = env.run(&["central"]);
    assert_eq!(out.status.code(), Some(3));
    env.write("notes/empty.md", "");
    let _ = env.run(&["import", env.path("notes").to_str().unwrap(), "-q"]);
    let out = env.run(&["central"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no insights"), "{err}");
}

#[test]
fn single_insight() {
    let env = Env::new();
    env.import(
        &env.write("one.txt", "the only insight\n"),
        &["--format", "lines"],
    );
    let want = [
        ("pagerank", 1.0),
        ("betweenness", 0.0),
        ("closeness", 0.0),
        ("eigenvector", 1.0),
        ("degree", 0.0),
        ("strength", 0.0),
    ];
    for (measure, score) in want {
        let rows = env.json(&["central", "--by", measure, "--format", "json"]);
        assert_eq!(rows.as_array().unwrap().len(), 1);
        assert_eq!(rows[0]["score"].as_f64(), Some(score), "{measure}");
        assert_eq!(rows[0]["sources"], 1);
    }
}

#[test]
fn isolated_insights_share_equally() {
    let env = Env::new();
    let lines: String = (0..4)
        .map(|i| format!("{{\"source\":\"s{i}\",\"text\":\"alone {i}\"}}\n"))
        .collect();
    env.import(&env.write("iso.jsonl", lines), &[]);
    let rows = env.json(&["central", "--by", "pagerank", "--format", "json"]);
    for r in rows.as_array().unwrap() {
        assert!(close(r["score"].as_f64().unwrap(), 0.25, 1e-12));
    }
    assert_ranked(rows.as_array().unwrap(), "pagerank");
    let rows = env.json(&["central", "--by", "eigenvector", "--format", "json"]);
    for r in rows.as_array().unwrap() {
        assert!(close(r["score"].as_f64().unwrap(), 0.5, 1e-12));
    }
    for measure in ["betweenness", "closeness", "degree", "strength"] {
        let rows = env.json(&["central", "--by", measure, "--format", "json"]);
        assert!(
            rows.as_array().unwrap().iter().all(|r| r["score"] == 0.0),
            "{measure}"
        );
    }
}

#[test]
fn kept_scores_are_reused_until_an_import_changes_the_graph() {
    let env = Env::with_corpus("florentine");
    env.ok(&["central", "--by", "pagerank"]);
    let config = CentralityConfig::new(Measure::PageRank);
    let params = {
        let store = Store::open(&env.db, OpenMode::Existing).unwrap();
        let graph = store.load_graph().unwrap();
        CentralityParams::of(&config, graph.node_count()).to_json()
    };
    let version_before = {
        let mut store = Store::open(&env.db, OpenMode::Existing).unwrap();
        let graph = store.load_graph().unwrap();
        let scores = results::scores(&mut store, &graph, &config, Reuse::SameParameters).unwrap();
        assert!(scores.reused, "the binary's run was kept and matches");
        let version = store.graph_version().unwrap();
        let run = store
            .centrality_run(Measure::PageRank, &params, version)
            .unwrap()
            .unwrap();
        assert_eq!(run.graph_version, version);
        assert_eq!(run.scores.len(), graph.node_count());
        version
    };
    env.import(
        &env.write(
            "more.jsonl",
            "{\"source\":\"x\",\"text\":\"Medici\"}\n{\"source\":\"x\",\"text\":\"Newcomer\"}\n",
        ),
        &[],
    );
    let mut store = Store::open(&env.db, OpenMode::Existing).unwrap();
    let version = store.graph_version().unwrap();
    assert!(version > version_before);
    let graph = store.load_graph().unwrap();
    let scores = results::scores(&mut store, &graph, &config, Reuse::SameParameters).unwrap();
    assert!(!scores.reused, "the graph changed");
    assert_eq!(scores.values.len(), 16);
    let run = store
        .centrality_run(
            Measure::PageRank,
            &CentralityParams::of(&config, 16).to_json(),
            version,
        )
        .unwrap()
        .unwrap();
    assert_eq!(run.graph_version, version);
    // The older run of the same measure and params was replaced, not kept beside it.
    assert_eq!(
        store
            .centrality_run(Measure::PageRank, &params, version_before)
            .unwrap(),
        None
    );
    assert!(
        results::scores(&mut store, &graph, &config, Reuse::SameParameters)
            .unwrap()
            .reused
    );
}

#[test]
fn top_and_csv() {
    let env = Env::with_seeds();
    let csv = env.ok(&["central", "--top", "3", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("rank,id,score,degree,sources,text"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].starts_with("1,"));
    // Texts with commas are quoted.
    assert!(csv.contains(",\""), "{csv}");
    let json = env.json(&["central", "--top", "3", "--format", "json"]);
    let first = &json[0];
    for key in ["rank", "id", "score", "degree", "sources", "text"] {
        assert!(!first[key].is_null(), "{key}");
    }
    assert_eq!(json.as_array().unwrap().len(), 3);
    let table = env.ok(&["central", "--top", "2"]);
    assert_eq!(table.lines().count(), 3);
    assert!(table.starts_with("rank"));
}

#[test]
fn flags_for_another_measure_are_usage_errors() {
    let env = Env::with_seeds();
    for args in [
        &["central", "--by", "pagerank", "--samples", "5"][..],
        &["central", "--by", "closeness", "--distance", "inverse"],
        &["central", "--by", "degree", "--alpha", "0.5"],
        &["central", "--alpha", "2"],
        &["central", "--by", "katz"],
    ] {
        assert_eq!(env.run(args).status.code(), Some(2), "{args:?}");
    }
}

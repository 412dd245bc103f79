//! `netgraph stats`.

use crate::common::*;

#[test]
fn seeds_counts_match_the_issue() {
    let env = Env::with_seeds();
    let stats = env.json(&["stats", "--format", "json"]);
    assert_eq!(stats["sources"], 5);
    assert_eq!(stats["insights"], 37);
    assert_eq!(stats["occurrences"], 55);
    assert_eq!(stats["edges"], 251);
    assert_eq!(stats["total_weight"], 275);
    assert_eq!(stats["components"], 1);
    assert_eq!(stats["largest_component"], 37);
    // 5 pages, each a headline and 10 related insights (distinct headline/related pairs).
    assert_eq!(stats["related_edges"], 50);
    assert_eq!(stats["most_sources"][0]["sources"], 4);
}

#[test]
fn fixture_corpora_reproduce_the_reference_graphs() {
    for name in REAL_GRAPHS {
        let env = Env::with_corpus(name);
        let stats = env.json(&["stats", "--format", "json"]);
        let want = expected(name);
        assert_eq!(stats["insights"], want["nodes"], "{name} nodes");
        assert_eq!(stats["edges"], want["edges"], "{name} edges");
        assert_eq!(stats["total_weight"], want["total_weight"], "{name} weight");
        assert_eq!(stats["components"], want["components"], "{name} components");
        assert_eq!(
            stats["largest_component"], want["largest_component"],
            "{name} largest"
        );
    }
}

#[test]
fn stats_without_a_database_says_import_first() {
    let env = Env::new();
    let out = env.run(&["stats"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("netgraph import"), "{err}");
    assert!(
        !env.db.exists(),
        "a read command must not create a database"
    );
}

#[test]
fn stats_csv_and_table() {
    let env = Env::with_seeds();
    let csv = env.ok(&["stats", "--format", "csv"]);
    assert!(csv.starts_with("key,value\n"));
    assert!(csv.contains("\ninsights,37\n"));
    let table = env.ok(&["stats"]);
    assert!(table.contains("appears-with edges 251 (total weight 275)"));
}

/// The insight count `stats` and `import` report is the table's, whether it is read from the
/// snapshot kept for the current graph version or counted because that snapshot is stale.
#[test]
fn the_insight_count_is_the_tables_with_or_without_a_current_snapshot() {
    let env = Env::with_seeds();
    let table = || -> i64 {
        rusqlite::Connection::open(&env.db)
            .unwrap()
            .query_row("SELECT count(*) FROM insights", [], |r| r.get(0))
            .unwrap()
    };
    let stats = || env.json(&["stats", "--format", "json"])["insights"].clone();
    assert_eq!(stats(), 37);
    env.write(
        "more/new.md",
        "# New\n\n- A thought no seed holds\n- Another one, also new\n",
    );
    let report = env.import(&env.path("more"), &[]);
    assert_eq!(table(), 39);
    assert_eq!(report["insights"], 39);
    assert_eq!(stats(), 39);
    // A snapshot of an older version (here with too few ids) is not counted.
    let staled = rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute(
            "UPDATE graph_snapshot SET graph_version = graph_version - 1, ids = zeroblob(8)",
            [],
        )
        .unwrap();
    assert_eq!(staled, 1, "stats kept a snapshot");
    assert_eq!(stats(), 39);
    let again = env.import(&env.path("more"), &[]);
    assert_eq!(again["insights"], 39);
}

//! `netgraph import`: parsing the seeds exactly, incremental re-import, prune, window, and
//! every kind of bad input.

use crate::common::*;
use netgraph::parse::{detect_format, InputFormat, Role};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Copy the seeds into the env's folder `seeds/` and return it.
fn copy_seeds(env: &Env) -> std::path::PathBuf {
    let dir = env.path("seeds");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(repo("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

/// The appears-with table must equal what the occurrences imply (no window).
fn assert_edges_consistent(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let stored: BTreeMap<(i64, i64), i64> = conn
        .prepare("SELECT a, b, weight FROM appears_with")
        .unwrap()
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let implied: BTreeMap<(i64, i64), i64> = conn
        .prepare(
            "SELECT x.insight_id, y.insight_id, count(DISTINCT x.source_id)
             FROM occurrences x JOIN occurrences y ON x.source_id = y.source_id AND x.insight_id < y.insight_id
             GROUP BY 1, 2",
        )
        .unwrap()
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(stored, implied, "appears_with out of step with occurrences");
    let mirrored: BTreeMap<(i64, i64), i64> = conn
        .prepare("SELECT a, b, weight FROM appears_with_rev")
        .unwrap()
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        stored, mirrored,
        "appears_with_rev out of step with appears_with"
    );
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

fn graph_numbers(env: &Env) -> (i64, i64, i64, i64) {
    let s = env.json(&["stats", "--format", "json"]);
    let n = |k: &str| s[k].as_i64().unwrap();
    (n("sources"), n("insights"), n("edges"), n("total_weight"))
}

#[test]
fn seed_pages_parse_exactly() {
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("expected/seeds_pages.json")).unwrap(),
    )
    .unwrap();
    for (file, page) in want.as_object().unwrap() {
        let text = std::fs::read_to_string(repo("seeds").join(file)).unwrap();
        let (format, _) = detect_format(Some("txt"), &text);
        assert_eq!(format, InputFormat::Riffon, "{file}");
        let source = format.parser().parse(&text).sources.remove(0);
        assert_eq!(
            source.title.as_deref(),
            page["title"].as_str(),
            "{file} title"
        );
        let got: Vec<(String, &str)> = source
            .insights
            .iter()
            .map(|i| (i.text.clone(), i.role.as_str()))
            .collect();
        let expected: Vec<(String, &str)> = page["insights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap()))
            .collect();
        assert_eq!(got, expected, "{file}");
        assert_eq!(source.insights[0].role, Role::Headline);
    }
}

#[test]
fn import_summary_json_and_exit_code() {
    let env = Env::new();
    let report = env.import(&repo("seeds"), &[]);
    assert_eq!(report["files_found"], 5);
    assert_eq!(report["files_imported"], 5);
    assert_eq!(report["sources_added"], 5);
    assert_eq!(report["insights_new"], 37);
    assert_eq!(report["insights_known"], 18);
    assert_eq!(report["occurrences"], 55);
    assert_eq!(report["edges"], 251);
    assert_eq!(report["total_weight"], 275);
    assert_eq!(report["edges_mode"], "rebuilt");
    let table = env.ok(&["import", repo("seeds").to_str().unwrap()]);
    assert!(table.contains("5 unchanged"), "{table}");
}

#[test]
fn reimport_of_unchanged_files_changes_nothing() {
    let env = Env::new();
    let seeds = copy_seeds(&env);
    env.import(&seeds, &[]);
    let before = graph_numbers(&env);
    let again = env.import(&seeds, &[]);
    assert_eq!(again["files_imported"], 0);
    assert_eq!(again["files_unchanged"], 5);
    assert_eq!(again["edges_mode"], "unchanged");
    // A new mtime with the same content is still unchanged (the hash decides).
    let f = seeds.join("000_0975b17cd524d91e.txt");
    let text = std::fs::read(&f).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&f, text).unwrap();
    let touched = env.import(&seeds, &[]);
    assert_eq!(touched["files_unchanged"], 5);
    assert_eq!(touched["edges_mode"], "unchanged");
    assert_eq!(graph_numbers(&env), before);
    let conn = Connection::open(&env.db).unwrap();
    let version: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key='graph_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        version, "1",
        "unchanged re-imports must not bump the graph version"
    );
}

#[test]
fn changed_file_replaces_its_contributions() {
    let env = Env::new();
    let seeds = copy_seeds(&env);
    // More sources, so that one changed file is a small change (applied as a delta).
    for i in 0..12 {
        env.write(&format!("seeds/extra{i}.txt"), format!("Extra headline {i}.\nShared extra insight.\nThe core job of a Product Manager is not writing specs or talking to press; it's a leadership role. Success means getting a product to market that wins. This requires influencing engineering, marketing, and sales without any formal authority, making it the ultimate training ground for real leadership.\n"));
    }
    env.import(&seeds, &["--format", "riffon"]);
    // Drop two related insights from one page and add a new one.
    let f = seeds.join("001_5defbdbcc44f41cf.txt");
    let text = std::fs::read_to_string(&f).unwrap();
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.remove(3);
    lines.remove(3);
    lines.push("A brand new insight that no other page has.");
    std::fs::write(&f, lines.join("\n\n")).unwrap();
    let report = env.import(&seeds, &["--format", "riffon"]);
    assert_eq!(report["files_imported"], 1);
    assert_eq!(report["sources_replaced"], 1);
    assert_eq!(report["edges_mode"], "updated");
    assert_edges_consistent(&env.db);

    // The incremental result equals a fresh import (a full rebuild) of the same files.
    let fresh = Env::new();
    let rebuilt = fresh.import(&seeds, &["--format", "riffon"]);
    assert_eq!(rebuilt["edges_mode"], "rebuilt");
    assert_eq!(graph_numbers(&env), graph_numbers(&fresh));
}

#[test]
fn prune_removes_sources_of_deleted_files_and_orphan_insights() {
    let env = Env::new();
    let seeds = copy_seeds(&env);
    env.import(&seeds, &[]);
    std::fs::remove_file(seeds.join("004_bdb80acf54cde529.txt")).unwrap();
    // Without --prune the source stays.
    env.import(&seeds, &[]);
    assert_eq!(graph_numbers(&env).0, 5);
    let report = env.import(&seeds, &["--prune"]);
    assert_eq!(report["sources_pruned"], 1);
    assert!(report["insights_removed"].as_i64().unwrap() > 0);
    assert_edges_consistent(&env.db);
    let fresh = Env::new();
    fresh.import(&seeds, &[]);
    assert_eq!(graph_numbers(&env), graph_numbers(&fresh));
}

#[test]
fn ids_of_pruned_insights_and_sources_are_not_given_again() {
    let env = Env::new();
    env.write("notes/a.txt", "first shared\nonly in a\n");
    env.write("notes/b.txt", "first shared\nonly in b, the last insight\n");
    env.import(&env.path("notes"), &["--format", "lines"]);
    let conn = Connection::open(&env.db).unwrap();
    let ids = |sql: &str| -> Vec<i64> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(ids("SELECT id FROM insights ORDER BY id"), [1, 2, 3]);
    assert_eq!(ids("SELECT id FROM sources ORDER BY id"), [1, 2]);

    // b.txt goes, and with it the insight with the highest id; c.txt comes in the same import.
    std::fs::remove_file(env.path("notes/b.txt")).unwrap();
    env.write("notes/c.txt", "first shared\nonly in c\n");
    env.import(&env.path("notes"), &["--format", "lines", "--prune"]);
    let texts: Vec<(i64, String)> = conn
        .prepare("SELECT id, text FROM insights ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    // Insight 3 is not given again (AUTOINCREMENT); c.txt's own insight is 4.
    assert_eq!(
        texts,
        [
            (1, "first shared".into()),
            (2, "only in a".into()),
            (4, "only in c".into())
        ]
    );
    let sources: Vec<i64> = ids("SELECT id FROM sources ORDER BY id");
    assert_eq!(sources.len(), 2);
    assert!(sources[1] > 2, "c.txt's source has a new id: {sources:?}");
    assert_edges_consistent(&env.db);
    assert_eq!(
        ids("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_up_to'"),
        [4]
    );
    // The search index has the new insight under its new id.
    let found = env.run(&["search", "only in c", "--format", "csv"]);
    let found = String::from_utf8_lossy(&found.stdout).into_owned();
    assert_eq!(found.lines().nth(1), Some("4,1,[only] [in] [c]"), "{found}");
}

#[test]
fn window_limits_co_occurrence_and_is_kept() {
    let env = Env::new();
    let report = env.import(&repo("seeds"), &["--window", "1"]);
    // Window 1 links neighbours in page order: 10 pairs per page of 11, some shared.
    let edges = report["edges"].as_i64().unwrap();
    assert!(edges > 0 && edges <= 50, "{edges}");
    assert_eq!(report["total_weight"], 50);
    assert_eq!(report["window"], 1);
    // The setting is kept by later imports that do not name it...
    let again = env.import(&repo("seeds"), &[]);
    assert_eq!(again["window"], 1);
    assert_eq!(again["edges"], edges);
    // ...and --window 0 removes it, recomputing every edge.
    let out = env
        .cmd()
        .args([
            "import",
            repo("seeds").to_str().unwrap(),
            "--window",
            "0",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stderr(&out).contains("window changed"), "{}", stderr(&out));
    assert_eq!(graph_numbers(&env).2, 251);
}

#[test]
fn many_insights_in_one_source_warn_about_pairs() {
    let env = Env::new();
    let big: String = (0..1500).map(|i| format!("insight number {i}\n")).collect();
    env.write("big.txt", big);
    let out = env.run(&["import", "big.txt", "--format", "lines"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("consider --window"),
        "{}",
        stderr(&out)
    );
    let windowed = Env::new();
    windowed.write(
        "big.txt",
        (0..1500)
            .map(|i| format!("insight number {i}\n"))
            .collect::<String>(),
    );
    let report = windowed.import(
        &windowed.path("big.txt"),
        &["--format", "lines", "--window", "2"],
    );
    assert_eq!(report["edges"], 1499 + 1498);
}

#[test]
fn missing_path_alone_is_an_error_naming_it() {
    let env = Env::new();
    let out = env.run(&["import", "nowhere/at/all"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("nowhere/at/all: no such file or folder"),
        "{}",
        stderr(&out)
    );
    // A failed first import leaves no database and no staging file behind.
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn first_import_is_published_as_a_normal_wal_database() {
    let env = Env::with_seeds();
    assert!(!env.path("test.db.importing").exists());
    let conn = Connection::open(&env.db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "wal",
        "readers must be able to work during later imports"
    );
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn folder_without_documents_is_an_error() {
    let env = Env::new();
    env.write("empty/readme.pdf", b"%PDF-1.4");
    let out = env.run(&["import", "empty"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("no documents to import"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_files_are_skipped_and_reported_and_good_ones_imported() {
    let env = Env::new();
    let seeds = copy_seeds(&env);
    env.write("seeds/binary.txt", b"some text\0with a NUL byte");
    env.write("seeds/latin1.txt", b"first line\ncaf\xe9 au lait\n");
    env.write("seeds/empty.txt", b"  \n\n\t\n");
    env.write("seeds/utf16.txt", b"\xff\xfeh\x00i\x00\n\x00");
    env.write("seeds/broken.jsonl", "{\"text\":\"fine\"}\n{not json\n");
    // A 200 MB file (sparse, so the test is fast): skipped by size without being read.
    let huge = std::fs::File::create(seeds.join("huge.txt")).unwrap();
    huge.set_len(200 << 20).unwrap();
    let out = env.run(&["import", seeds.to_str().unwrap(), "missing-folder"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    for needle in [
        "binary.txt: binary file (NUL byte at offset 9)",
        "latin1.txt: not valid UTF-8 (line 2, byte offset 14)",
        "empty.txt: empty file",
        "utf16.txt: UTF-16 text (byte-order mark); convert it to UTF-8 first",
        "broken.jsonl: line 2: invalid JSON",
        "huge.txt: too large (200.0 MiB; the limit is 64.0 MiB",
        "missing-folder: no such file or folder",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    // The seeds, and broken.jsonl's good line as a sixth source.
    assert_eq!(graph_numbers(&env), (6, 38, 251, 275));
}

#[test]
fn bad_file_does_not_touch_what_is_stored() {
    let env = Env::with_seeds();
    let before = graph_numbers(&env);
    env.write("bad.txt", b"\xff\xfe\xfd");
    let out = env.run(&["import", "bad.txt"]);
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(graph_numbers(&env), before);
}

#[test]
fn symlink_loops_do_not_hang() {
    let env = Env::new();
    let seeds = copy_seeds(&env);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&seeds, seeds.join("loop")).unwrap();
        std::os::unix::fs::symlink(
            env.path("seeds/000_0975b17cd524d91e.txt"),
            seeds.join("again.txt"),
        )
        .unwrap();
    }
    let report = env.import(&seeds, &[]);
    assert_eq!(
        report["files_found"], 5,
        "links to already seen files and folders count once"
    );
}

#[test]
fn every_file_is_its_own_source_even_with_equal_content() {
    let env = Env::new();
    env.write("a/one.txt", "alpha\nbeta\n");
    env.write("a/two.txt", "alpha\nbeta\n");
    let report = env.import(&env.path("a"), &["--format", "lines"]);
    assert_eq!(report["sources_added"], 2);
    assert_eq!(report["total_weight"], 2);
}

#[test]
fn jsonl_sources_markdown_and_identity_rules() {
    let env = Env::new();
    env.write(
        "h.jsonl",
        "{\"source\":\"Book A\",\"text\":\"It\u{2019}s   the  \u{201C}same\u{201D} idea\"}\n{\"source\":\"Book A\",\"text\":\"Other\"}\n{\"source\":\"Book B\",\"text\":\"IT'S THE \\\"SAME\\\" IDEA\"}\n{\"source\":\"Book B\",\"text\":\"Other\"}\n",
    );
    env.write(
        "n.md",
        "---\ntitle: x\n---\n# Notes\n\n- Other\n- Third one\n\n```\nnot an insight\n```\n",
    );
    let report = env.import(env.dir.path(), &[]);
    assert_eq!(report["sources_added"], 3);
    assert_eq!(
        report["insights"], 3,
        "curly quotes, case and spacing fold to one insight"
    );
    let conn = Connection::open(&env.db).unwrap();
    let text: String = conn
        .query_row("SELECT text FROM insights ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        text, "It\u{2019}s the \u{201C}same\u{201D} idea",
        "first form seen, whitespace collapsed"
    );
    let ctx: String = conn
        .query_row("SELECT context FROM occurrences o JOIN insights i ON i.id = o.insight_id WHERE i.text = 'Third one'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ctx, "Notes");
}

#[test]
fn crlf_pages_parse_like_lf_pages() {
    let env = Env::new();
    let text = std::fs::read_to_string(repo("seeds/003_c8fa225470ddcf46.txt")).unwrap();
    env.write("crlf.txt", text.replace('\n', "\r\n"));
    env.write("lf.txt", text);
    let report = env.import(env.dir.path(), &[]);
    assert_eq!(report["insights"], 11);
    assert_eq!(report["insights_known"], 11);
}

#[test]
fn a_file_that_is_not_a_netgraph_database_is_refused_and_kept() {
    let env = Env::new();
    {
        let conn = Connection::open(&env.db).unwrap();
        conn.execute_batch("CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'x');").unwrap();
    }
    let before = std::fs::read(&env.db).unwrap();
    let out = env.run(&["import", repo("seeds").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("not a netgraph database"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read(&env.db).unwrap() == before,
        "the foreign database file was modified"
    );
}

#[test]
fn garbage_database_file_is_reported_as_not_sqlite() {
    let env = Env::new();
    std::fs::write(
        &env.db,
        "this is just text, not a database at all, but long enough to have a header....",
    )
    .unwrap();
    let out = env.run(&["stats"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("not a SQLite database"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn truncated_database_is_reported_as_corrupt() {
    let env = Env::with_seeds();
    // Force everything into the main file, then cut it in half.
    {
        let conn = Connection::open(&env.db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .unwrap();
    }
    let bytes = std::fs::read(&env.db).unwrap();
    std::fs::write(&env.db, &bytes[..bytes.len() / 2]).unwrap();
    let out = env.run(&["stats"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("corrupt"), "{}", stderr(&out));
}

#[test]
fn database_from_a_newer_netgraph_is_refused() {
    let env = Env::with_seeds();
    Connection::open(&env.db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let out = env.run(&["import", repo("seeds").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("newer netgraph (schema version 99"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn locked_database_is_reported_and_untouched() {
    let env = Env::with_seeds();
    let before = graph_numbers(&env);
    let conn = Connection::open(&env.db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('lock', 'held');")
        .unwrap();
    env.write("more.txt", "a new idea\nanother new idea\n");
    let out = env.run(&["import", "more.txt"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("locked by another writer"),
        "{}",
        stderr(&out)
    );
    // Readers still work while the writer holds its lock (WAL).
    assert_eq!(graph_numbers(&env), before);
    conn.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn killed_import_leaves_the_database_as_it_was() {
    let env = Env::with_seeds();
    let before = graph_numbers(&env);
    let dir = env.path("many");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..3000 {
        let body: String = (0..11)
            .map(|j| {
                format!(
                    "generated insight {} of page {i}\n\n",
                    (i * 7 + j * 13) % 5000
                )
            })
            .collect();
        std::fs::write(dir.join(format!("p{i}.txt")), body).unwrap();
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("netgraph"))
        .args([
            "--db",
            env.db.to_str().unwrap(),
            "import",
            dir.to_str().unwrap(),
            "-q",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let _ = child.wait();
    // Either the whole import landed or none of it did; never half.
    let after = graph_numbers(&env);
    assert!(
        after == before || after.0 == 5 + 3000,
        "half-written import: {after:?}"
    );
    assert_edges_consistent(&env.db);
}

/// Regression: one malformed JSONL line dropped the whole file (its good lines too) and only
/// the first bad line was reported.
#[test]
fn jsonl_bad_lines_are_each_reported_and_the_good_lines_imported() {
    let env = Env::new();
    env.write(
        "h.jsonl",
        concat!(
            "{\"source\":\"Book A\",\"text\":\"first idea\"}\n",
            "{\"source\":\"Book A\",\"text\":\"broken\n",
            "{\"source\":\"Book A\",\"text\":\"second idea\"}\n",
            "[\"not\", \"an object\"]\n",
            "\n",
            "{\"source\":\"Book B\",\"text\":\"first idea\"}\n",
            "{\"source\":\"Book B\",\"note\":\"no text\"}\n",
            "{\"source\":\"Book B\",\"text\":\"third idea\"}\n",
        ),
    );
    let out = env.run(&["import", "h.jsonl", "--format", "json"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files_imported"], 1);
    assert_eq!(report["sources_added"], 2);
    assert_eq!(report["occurrences"], 4);
    assert_eq!(report["insights"], 3);
    let skipped: Vec<(u64, &str)> = report["files_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert!(s["path"].as_str().unwrap().ends_with("h.jsonl"), "{s}");
            (s["line"].as_u64().unwrap(), s["reason"].as_str().unwrap())
        })
        .collect();
    let lines: Vec<u64> = skipped.iter().map(|s| s.0).collect();
    assert_eq!(lines, [2, 4, 7], "{skipped:?}");
    assert!(
        skipped[0].1.starts_with("line 2: invalid JSON"),
        "{skipped:?}"
    );
    assert_eq!(skipped[1].1, "line 4: expected a JSON object");
    assert!(
        skipped[2].1.starts_with("line 7: no text field"),
        "{skipped:?}"
    );
    let err = stderr(&out);
    for needle in [
        "h.jsonl: line 2: invalid JSON",
        "h.jsonl: line 4: expected a JSON object",
        "h.jsonl: line 7: no text field",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    // Book A and Book B share "first idea": one edge each to their other ideas.
    assert_eq!(graph_numbers(&env), (2, 3, 2, 2));
}

#[test]
fn jsonl_file_with_only_bad_lines_is_skipped_with_each_line_reported() {
    let env = Env::new();
    env.write("bad.jsonl", "{oops\nnot json either\n");
    env.write("good.txt", "an idea\nanother idea\n");
    let out = env.run(&["import", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<(Option<u64>, &str)> = report["files_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["line"].as_u64(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert_eq!((skipped[0].0, skipped[1].0), (Some(1), Some(2)));
    assert_eq!(skipped[2], (None, "no insights found (read as jsonl)"));
    assert_eq!(report["files_imported"], 1);
}

/// Regression: one line of `[` (a JSONL export misread as Markdown) took 8.4 s at 206 KB with
/// the hand-written, quadratic Markdown parser. A 1 MB hostile line imports in well under a
/// second now; the bound is generous for a busy machine.
#[test]
fn hostile_markdown_line_imports_in_linear_time() {
    for (name, pattern) in [
        ("brackets", "["),
        ("nested", "[[[["),
        ("emphasis", "*_*_"),
        ("ticks", "``a"),
    ] {
        let env = Env::new();
        env.write(
            &format!("{name}.md"),
            pattern.repeat((1 << 20) / pattern.len()),
        );
        let started = std::time::Instant::now();
        let report = env.import(&env.path(&format!("{name}.md")), &[]);
        let took = started.elapsed();
        assert_eq!(report["files_imported"], 1);
        assert!(
            took.as_secs_f64() < 2.0,
            "1 MB of {pattern:?} took {took:.2?}"
        );
        eprintln!("import of 1 MB of {pattern:?}: {took:.2?}");
    }
}

/// Regression (issues 12.5, 13.3): a 100,000-line list read as one source would add five
/// billion pairs and abort the process; it is skipped at once with the way out, and the other
/// files are imported.
#[test]
fn a_source_over_max_pairs_is_skipped_before_its_pairs_are_counted() {
    let env = Env::new();
    let lines: String = (0..100_000)
        .map(|i| format!("quote number {i}\n"))
        .collect();
    env.write("docs/quotes.txt", &lines);
    env.write("docs/small.txt", "one insight\nanother insight\n");
    let out = env.run(&[
        "import", "docs", "--format", "lines", "--format", "json", "-q",
    ]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = report["files_skipped"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("100000 insights")
            && reason.contains("--window")
            && reason.contains("--max-pairs"),
        "{reason}"
    );
    assert_eq!(report["insights"], 2);
    // With a window the same file adds at most k·N pairs, and is imported.
    let out = env.run(&["import", "docs", "--format", "lines", "--window", "2", "-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression (issue 13.1): while one first import is staging the new database, a second first
/// import into the same path is told the database is locked (exit 4) and touches nothing,
/// instead of deleting the first one's staging file. (`flock` holds the lock here the way a
/// running import does.)
#[test]
fn a_second_first_import_is_locked_out_while_the_first_is_staging() {
    let env = Env::new();
    let staging = env.path("test.db.importing");
    std::fs::write(&staging, "").unwrap();
    let mut holder = std::process::Command::new("flock")
        .args([
            "--exclusive",
            "--no-fork",
            staging.to_str().unwrap(),
            "sleep",
            "30",
        ])
        .spawn()
        .expect("flock(1) from util-linux runs");
    // Wait until the holder has the lock.
    let locked = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::process::Command::new("flock")
            .args(["--nonblock", staging.to_str().unwrap(), "true"])
            .status()
            .is_ok_and(|s| !s.success())
    });
    assert!(locked, "the holder never took the lock");
    let out = env.run(&["import", repo("seeds").to_str().unwrap()]);
    holder.kill().unwrap();
    let _ = holder.wait();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked"));
    assert!(!env.db.exists(), "nothing was published");
    assert!(
        staging.exists(),
        "the other import's staging file was left alone"
    );
    // Once the lock is gone, a stale staging file is taken over and the import completes.
    env.import(&repo("seeds"), &[]);
    assert!(env.db.exists() && !staging.exists());
}

/// Regression (issue 13.2): file names that are not UTF-8 are stored as they are: two names
/// that differ only in invalid bytes are two files, and `--prune` with nothing changed prunes
/// nothing (it removed such a file on every second run).
#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_kept_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let dir = env.path("docs");
    std::fs::create_dir(&dir).unwrap();
    for (name, text) in [
        (&b"note-\xff.txt"[..], "first insight\nshared insight\n"),
        (&b"note-\xfe.txt"[..], "second insight\nshared insight\n"),
    ] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), text).unwrap();
    }
    let first = env.import(&dir, &["--format", "lines"]);
    assert_eq!(first["files_imported"], 2, "{first}");
    assert_eq!(first["sources_added"], 2, "{first}");
    for _ in 0..2 {
        let again = env.import(&dir, &["--format", "lines", "--prune"]);
        assert_eq!(again["files_unchanged"], 2, "{again}");
        assert_eq!(again["sources_pruned"], 0, "{again}");
    }
    assert_eq!(env.json(&["stats", "--format", "json"])["sources"], 2);
    // People see the name with U+FFFD where the bytes were.
    let shown = env.json(&["show", "shared insight", "--format", "json"]);
    let paths: Vec<&str> = shown["appears_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(
        paths.iter().all(|p| p.contains("note-\u{FFFD}.txt")),
        "{paths:?}"
    );
}

/// Regression (issue 12.6): `central --recompute` while an import holds the write lock
/// computes from what it read, prints it, and says it could not keep it (it exited 4).
#[test]
fn analysis_during_an_import_prints_its_results_without_keeping_them() {
    let env = Env::with_seeds();
    let writer = Connection::open(&env.db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = env.run(&["central", "--recompute", "--top", "3", "--format", "json"]);
    writer.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not keep the results"));
}

/// Every row of the tables an import fills, as text, table by table (sources without their
/// import time; the full-text indexes by their logical content, term by term).
fn stored_rows(db: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE temp.insight_terms USING fts5vocab(main, insights_fts, 'instance');
         CREATE VIRTUAL TABLE temp.title_terms USING fts5vocab(main, sources_fts, 'instance');",
    )
    .unwrap();
    let queries = [
        ("schema", "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"),
        ("sources", "SELECT id, path, name, title, format, content_hash, size, mtime_ns FROM sources ORDER BY id"),
        ("insights", "SELECT * FROM insights ORDER BY id"),
        ("occurrences", "SELECT * FROM occurrences ORDER BY source_id, position"),
        ("appears_with", "SELECT * FROM appears_with ORDER BY a, b"),
        ("appears_with_rev", "SELECT * FROM appears_with_rev ORDER BY b, a"),
        ("related_to", "SELECT * FROM related_to ORDER BY headline, related"),
        ("meta", "SELECT * FROM meta WHERE key <> 'graph_version' ORDER BY key"),
        ("sqlite_sequence", "SELECT * FROM sqlite_sequence ORDER BY name"),
        ("insights_fts", "SELECT * FROM temp.insight_terms ORDER BY term, doc, col, offset"),
        ("sources_fts", "SELECT * FROM temp.title_terms ORDER BY term, doc, col, offset"),
        ("snapshot", "SELECT hex(ids), hex(offsets), hex(targets), hex(weights) FROM graph_snapshot"),
    ];
    queries
        .into_iter()
        .map(|(name, sql)| {
            let mut stmt = conn.prepare(sql).unwrap();
            let width = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..width)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .map(|v| v.join("|"))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            (name, rows)
        })
        .collect()
}

/// A first import into an empty database takes the bulk path (indexes, the title trigger and
/// foreign-key checks off while loading, edges counted from memory, snapshot written from
/// them). It must store exactly what importing the same files in two steps stores, the second
/// step an incremental update on the ordinary path, and leave no foreign key dangling.
#[test]
fn a_bulk_load_stores_what_an_incremental_import_stores() {
    let env = Env::new();
    let mut seeds: Vec<_> = std::fs::read_dir(repo("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    let last = seeds.pop().expect("seeds");
    let dir = env.path("pages");
    std::fs::create_dir_all(&dir).unwrap();
    for page in &seeds {
        std::fs::copy(page, dir.join(page.file_name().unwrap())).unwrap();
    }
    let (stepwise, bulk) = (env.path("stepwise.db"), env.path("bulk.db"));
    let import = |db: &Path| {
        env.json(&[
            "--db",
            db.to_str().unwrap(),
            "import",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ])
    };
    import(&stepwise);
    std::fs::copy(&last, dir.join(last.file_name().unwrap())).unwrap();
    assert_eq!(import(&stepwise)["edges_mode"], "updated");
    assert_eq!(import(&bulk)["edges_mode"], "rebuilt");
    // The incremental path keeps no snapshot of the new graph; the first analysis writes one.
    env.ok(&["--db", stepwise.to_str().unwrap(), "stats"]);

    let (want, got) = (stored_rows(&stepwise), stored_rows(&bulk));
    for (table, rows) in &want {
        assert!(!rows.is_empty(), "{table} is empty: nothing compared");
        assert_eq!(&got[table], rows, "{table} differs");
    }
    let conn = Connection::open(&bulk).unwrap();
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0, "foreign keys left dangling by the bulk load");
    assert_edges_consistent(&bulk);
}

/// The summary counts skipped files and bad lines apart: "9 found, 4 imported, 7 skipped"
/// once counted two bad JSONL lines as skipped files.
#[test]
fn the_summary_counts_skipped_files_and_bad_lines_apart() {
    let env = Env::new();
    let docs = env.path("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("a.jsonl"),
        "{\"source\":\"A\",\"text\":\"one insight here\"}\nnot json\n{\"text\": [1]}\n{\"source\":\"A\",\"text\":\"two insight here\"}\n",
    )
    .unwrap();
    std::fs::write(docs.join("b.txt"), b"\x00binary").unwrap();
    let out = env.run(&["import", docs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(5));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains(
            "2 found, 1 imported, 0 unchanged, 1 skipped; 2 bad lines left out of files otherwise imported"
        ),
        "{summary}"
    );
}

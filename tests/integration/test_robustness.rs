//! No silent loss under odd names, huge texts and bad databases (issue 13): end-to-end
//! regression tests, one per defect found there.

use crate::common::{repo, Env};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// --- paths checked first -----------------------------------------------------------------

/// `--db dir/x/` ran the whole import, then failed with "Not a directory" and left
/// `x.importing` behind.
#[test]
fn a_database_path_ending_in_a_slash_is_refused_before_importing() {
    let env = Env::new();
    std::fs::create_dir(env.path("dir")).unwrap();
    let seeds = repo("seeds");
    let out = env.run(&["--db", "dir/x/", "import", seeds.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("must name a file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(env.path("dir")).unwrap().count(), 0);

    let out = env.run(&["--db", "missing/x.db", "import", seeds.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing: no such file or folder"));
    assert!(!env.path("missing").exists());

    env.write("file.txt", "not a folder");
    let out = env.run(&["--db", "file.txt/x.db", "stats"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a folder"), "{}", stderr(&out));
}

/// `--db /dev/null` said "disk I/O error".
#[test]
fn a_database_that_is_not_a_regular_file_is_refused() {
    let env = Env::new();
    let seeds = repo("seeds");
    for args in [&["import", seeds.to_str().unwrap()][..], &["stats"]] {
        let out = env
            .cmd()
            .env("NETGRAPH_DB", "/dev/null")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
    }
}

/// `export csv -o FILE` said "File exists (os error 17)".
#[test]
fn export_csv_into_a_file_asks_for_a_folder() {
    let env = Env::with_seeds();
    env.write("taken", "a file");
    let out = env.run(&["export", "csv", "-o", "taken"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("takes a folder"), "{}", stderr(&out));
}

// --- damaged databases -------------------------------------------------------------------

/// What an exit-4 message may tell the user to do; every one must say at least one.
const REMEDIES: [&str; 6] = [
    "restore a backup",
    "re-import into a new --db",
    "use another --db",
    "upgrade netgraph",
    "try again",
    "check the --db path",
];

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// A seeds database with kept results and a graph snapshot (so damage can hit every table).
fn damaged_database_source() -> Env {
    let env = Env::with_seeds();
    for args in [
        &["central", "-q"][..],
        &["central", "--by", "betweenness", "-q"],
        &["communities", "-q"],
    ] {
        env.ok(args);
    }
    assert!(!env.path("test.db-wal").exists());
    env
}

/// One byte flipped at 200 places spread over the file (the header's fields first) and in
/// the schema's text, each in a fresh copy: every command either works or says the database is damaged and what to do
/// (exit 4). Never an internal error (exit 1), a panic (101) or a hang.
#[test]
fn a_flipped_byte_anywhere_is_a_damaged_database_never_an_internal_error() {
    let source = damaged_database_source();
    let original = file_bytes(&source.db);
    let len = original.len() as u64;
    let mut positions: Vec<u64> = (0..200u64)
        .map(|i| {
            if i < 40 {
                i * 100 / 40
            } else {
                (i * 2_654_435_761) % len
            }
        })
        .collect();
    // And in the schema's text: a column, a view's function, an FTS5 option.
    for word in [
        "targets",
        "computed_at",
        "community_id",
        "COUNT(DISTINCT",
        "content_rowid",
    ] {
        let at = original
            .windows(word.len())
            .position(|w| w == word.as_bytes())
            .unwrap_or_else(|| panic!("{word} is in the schema"));
        positions.push((at + 2) as u64);
    }
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("flipped.db");
    let commands: [&[&str]; 7] = [
        &["stats"],
        &["central"],
        &["communities"],
        &["show", "1"],
        &["search", "product"],
        &["export", "json"],
        &["bridges"],
    ];
    let mut failures = Vec::new();
    for &at in &positions {
        let mut bytes = original.clone();
        bytes[at as usize] ^= 0xFF;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        std::fs::write(&db, &bytes).unwrap();
        for args in commands {
            let out = source
                .cmd()
                .env("NETGRAPH_DB", &db)
                .args(args)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            let err = stderr(&out);
            let ok = match out.status.code() {
                Some(0) => true,
                Some(4) => REMEDIES.iter().any(|r| err.contains(r)),
                // A damaged row can make an insight or a match disappear.
                Some(3) => args[0] == "show" || args[0] == "search",
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "byte {at}: {args:?} exit {:?}: {}",
                    out.status.code(),
                    err.trim()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A file truncated to nothing is not an empty netgraph database: read commands say so, and
/// import does not fill it (netgraph never leaves an empty file: a first import builds its
/// database elsewhere and moves it into place complete).
#[test]
fn an_empty_file_is_not_a_netgraph_database() {
    let env = Env::new();
    std::fs::write(&env.db, b"").unwrap();
    for args in [&["stats"][..], &["central"], &["search", "x"]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("not a netgraph database (the file is empty; delete it"));
        assert!(
            stderr(&out).contains("use another --db"),
            "{}",
            stderr(&out)
        );
    }
    let out = env.run(&["import", repo("seeds").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the file is empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::metadata(&env.db).unwrap().len(), 0);
}

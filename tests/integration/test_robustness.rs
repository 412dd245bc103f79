//! No silent loss under odd names, huge texts and bad databases (issue 13): end-to-end
//! regression tests, one per defect found there.

use crate::common::{repo, Env};
use std::process::Output;

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

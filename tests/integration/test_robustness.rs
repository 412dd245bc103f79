//! No silent loss under odd names, huge texts and bad databases (issue 13): end-to-end
//! regression tests, one per defect found there.

use crate::common::{repo, Env};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

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
const REMEDIES: [&str; 7] = [
    "restore a backup",
    "re-import into a new --db",
    "use another --db",
    "upgrade netgraph",
    "try again",
    "check the --db path",
    "make the file and its folder writable",
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

// --- read-only databases -----------------------------------------------------------------

/// Commands that only read, and those that would keep results, on a database they may not
/// write: all succeed, and say when results could not be kept.
fn read_commands_succeed(env: &Env) {
    let out_dir = tempfile::tempdir().unwrap();
    let json = out_dir.path().join("graph.json");
    let json = json.to_str().unwrap();
    let unkept = "could not keep the results: the database is read-only";
    for (args, keeps) in [
        (vec!["stats"], false),
        (vec!["central", "--top", "3"], true),
        (vec!["communities"], true),
        (vec!["export", "json", "-o", json], true),
        (vec!["bridges"], true),
        (vec!["search", "product"], false),
        (vec!["show", "1"], false),
        (vec!["neighbors", "1"], false),
        (vec!["path", "1", "2"], false),
        (vec!["dedupe"], false),
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out).contains(unkept),
            keeps,
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // A command whose point is to write says it cannot.
    let out = env.run(&["import", repo("seeds").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the database is read-only and this command writes to it"),
        "{}",
        stderr(&out)
    );
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `chmod a-w netgraph.db`: the permission bits decide, so this holds even for root (whom
/// the operating system lets write anything, and who runs these tests in CI).
#[test]
fn read_commands_work_on_a_read_only_database_file() {
    let env = Env::with_seeds();
    set_mode(&env.db, 0o444);
    let before = file_bytes(&env.db);
    read_commands_succeed(&env);
    assert!(
        file_bytes(&env.db) == before,
        "the read-only file was changed"
    );
    set_mode(&env.db, 0o644);
}

/// `chmod a-w` on the folder: SQLite could not create its -wal and -shm files there.
#[test]
fn read_commands_work_in_a_read_only_folder() {
    let env = Env::new();
    let folder = env.path("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("netgraph.db");
    let mut cmd = env.cmd();
    cmd.env("NETGRAPH_DB", &db);
    let seeds = repo("seeds");
    let out = cmd
        .args(["import", seeds.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    set_mode(&folder, 0o555);
    let before = file_bytes(&db);
    let ro = Env {
        dir: tempfile::tempdir().unwrap(),
        db: db.clone(),
    };
    read_commands_succeed(&ro);
    assert!(file_bytes(&db) == before, "the database was changed");
    set_mode(&folder, 0o755);
}

/// netgraph on `env`'s database as the user `nobody` (uid 65534), through `setpriv`.
fn as_nobody(env: &Env, args: &[&str]) -> std::io::Result<Output> {
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("netgraph"))
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .current_dir("/")
        .output()
}

/// Whether this machine lets [`as_nobody`] run (root, `setpriv` and the user exist, as on CI).
fn can_run_as_nobody(env: &Env) -> bool {
    as_nobody(env, &["--version"]).is_ok_and(|out| out.status.success())
}

/// The same as a user the operating system refuses to let write (run only where this
/// process is root and `setpriv` and the user `nobody` exist, as on CI).
#[test]
fn read_commands_work_for_a_user_who_may_not_write() {
    let env = Env::with_seeds();
    let nobody = |args: &[&str]| as_nobody(&env, args);
    set_mode(env.dir.path(), 0o755);
    set_mode(&env.db, 0o644);
    if !can_run_as_nobody(&env) {
        eprintln!("skipped: cannot run netgraph as user nobody here");
        return;
    }
    let before = file_bytes(&env.db);
    for args in [
        &["stats"][..],
        &["central", "--top", "3"],
        &["communities"],
        &["export", "json"],
        &["search", "product"],
    ] {
        let out = nobody(args).unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    assert!(file_bytes(&env.db) == before, "the database was changed");
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["test.db"], "files left beside the database");
}

// --- search: long insights ---------------------------------------------------------------

/// FTS5's snippet() is quadratic in the hits of a text: a 1 MB insight of which every other
/// word matches took over a minute to search, a 10 MB one hours. Both sizes are now searched
/// in a fraction of a second (a generous bound here, for a loaded machine).
#[test]
fn search_in_megabyte_insights_is_fast_and_marks_the_words() {
    let env = Env::new();
    let one = "product insight ".repeat(1 << 16); // 1 MiB
    let five = "insight on products ".repeat(5 << 18); // 5 MiB
    env.write(
        "docs/long.txt",
        format!("a short product note\n{one}\n{five}\n"),
    );
    env.import(&env.path("docs"), &["--format", "lines"]);
    let started = Instant::now();
    let found = env.json(&["search", "product", "--format", "json"]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "search took {took:?}");
    let hits = found["insights"].as_array().unwrap();
    assert_eq!(hits.len(), 3, "{found:#}");
    for hit in hits {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(snippet.chars().count() < 300, "{snippet}");
        assert!(
            snippet.contains("[product]") || snippet.contains("[products]"),
            "{snippet}"
        );
    }
}

// --- XML ---------------------------------------------------------------------------------

/// Characters XML 1.0 cannot hold (C0 controls, U+FFFE, U+FFFF) in insight texts, titles
/// and file names: the GraphML and GEXF files still parse.
#[test]
fn graphml_and_gexf_parse_whatever_the_texts_hold() {
    let env = Env::new();
    let odd = "bell\u{7} back\u{8} vt\u{b} ff\u{c} us\u{1f} nel\u{85} fffe\u{fffe} ffff\u{ffff}";
    env.write(
        "docs/odd \u{1}\u{ffff} name.txt",
        format!("before {odd} after\nplain second insight\n<&\"'> third\n"),
    );
    env.import(&env.path("docs"), &["--format", "lines"]);
    for format in ["graphml", "gexf"] {
        let xml = env.ok(&["export", format, "--with-sources"]);
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{format} does not parse: {e}"));
        let text: String = doc
            .descendants()
            .filter_map(|n| n.text().or_else(|| n.attribute("value")))
            .collect();
        assert!(text.contains("before bell"), "{format}: {text}");
        assert!(text.contains("<&\"'> third"), "{format}: {text}");
    }
}

/// The graph read back from the kept snapshot (streamed a chunk at a time) is the graph the
/// tables give, and a snapshot damaged where only its contents can tell (a target cut off, or
/// every target zeroed) is ignored for the tables.
#[test]
fn the_kept_snapshot_is_the_tables_graph_and_a_damaged_one_is_ignored() {
    use netgraph::graph::InsightGraph;
    use netgraph::store::{OpenMode, Store};
    fn same(a: &InsightGraph, b: &InsightGraph) {
        assert_eq!(a.ids(), b.ids());
        assert_eq!(a.edge_count(), b.edge_count());
        assert_eq!(a.total_weight(), b.total_weight());
        for u in 0..a.node_count() as u32 {
            assert_eq!(a.neighbors(u), b.neighbors(u), "row {u}");
            assert_eq!(a.weights(u), b.weights(u), "row {u}");
        }
    }
    let env = Env::with_seeds();
    let tables = {
        let store = Store::open(&env.db, OpenMode::Existing).unwrap();
        let first = store.load_graph().unwrap();
        let tables = store.scan_graph().unwrap();
        same(&first, &tables);
        assert!(tables.edge_count() > 100, "a graph worth comparing");
        tables
    };
    let kept = |sql: &str| {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let version: i64 = conn
            .query_row("SELECT graph_version FROM graph_snapshot", [], |r| r.get(0))
            .unwrap();
        conn.execute(sql, []).unwrap();
        version
    };
    let version = kept("UPDATE graph_snapshot SET id = 1");
    same(
        &Store::open(&env.db, OpenMode::Existing)
            .unwrap()
            .load_graph()
            .unwrap(),
        &tables,
    );
    for damage in [
        "UPDATE graph_snapshot SET targets = substr(targets, 1, length(targets) - 4)",
        "UPDATE graph_snapshot SET targets = zeroblob(length(targets))",
    ] {
        assert_eq!(kept(damage), version, "{damage}: still the current version");
        let store = Store::open(&env.db, OpenMode::Existing).unwrap();
        same(&store.load_graph().unwrap(), &tables);
    }
}

/// `import --prune` keeps the sources of files it cannot look at: a folder the user may not
/// read is reported as unreadable, not taken as deleted (run only where this process is root
/// and `setpriv` and the user `nobody` exist, as on CI: root may look into any folder).
#[test]
fn prune_keeps_the_sources_of_files_it_cannot_look_at() {
    let env = Env::new();
    let docs = env.path("docs");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(repo("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    for (folder, files) in [("open", &seeds[..3]), ("locked", &seeds[3..])] {
        let dir = docs.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        for file in files {
            std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
        }
    }
    set_mode(env.dir.path(), 0o777);
    let nobody = |args: &[&str]| as_nobody(&env, args);
    if !can_run_as_nobody(&env) {
        eprintln!("skipped: cannot run netgraph as user nobody here");
        return;
    }
    let docs_arg = docs.to_str().unwrap();
    let out = nobody(&["import", docs_arg, "-q"]).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let sources = |env: &Env| env.json(&["stats", "--format", "json"])["sources"].clone();
    let before = sources(&env);
    set_mode(&docs.join("locked"), 0o000);
    let out = nobody(&["import", docs_arg, "--prune"]).unwrap();
    set_mode(&docs.join("locked"), 0o755);
    // Exit 5: something was skipped, and the report says what.
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("0 pruned"), "{summary}");
    assert_eq!(sources(&env), before);
}

/// A device, pipe or socket named on the command line is skipped with a reason (`/dev/zero`
/// once read until memory ran out), and the files beside it are imported.
#[test]
fn devices_named_on_the_command_line_are_skipped_with_a_reason() {
    let env = Env::new();
    let out = env.run(&["import", "/dev/zero", repo("seeds").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/dev/zero: not a regular file (a device, pipe or socket)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.json(&["stats", "--format", "json"])["sources"], 5);
}

/// `netgraph central --format csv | head -1`: a reader that stops early is success in every
/// format (JSON and CSV once reported "Broken pipe" and exit 1).
#[test]
fn a_closed_pipe_is_success_in_every_format() {
    let env = Env::with_seeds();
    for format in ["table", "json", "csv"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("netgraph"))
            .arg("--db")
            .arg(&env.db)
            .args(["central", "--top", "0", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the command writes its first byte.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
    }
}

/// A picture that cannot be written is an I/O error (exit 1) naming the path, found before
/// Graphviz runs, not a Graphviz failure (exit 6).
#[test]
fn a_picture_that_cannot_be_written_is_an_io_error() {
    crate::common::require_graphviz();
    let env = Env::with_seeds();
    let out = env.run(&["render", "-o", "/proc/netgraph-test.svg"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/proc/netgraph-test.svg"),
        "{}",
        stderr(&out)
    );
    // And a picture that can be written leaves no temporary file beside it.
    let png = env.path("slide.png");
    env.ok(&["render", "-o", png.to_str().unwrap()]);
    let names: Vec<String> = std::fs::read_dir(png.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// After a first import was stopped (Ctrl-C leaves its staging file), a read command says so
/// rather than "no database here yet" alone; importing again recovers.
#[test]
fn an_interrupted_first_import_is_named_as_such() {
    let env = Env::new();
    let mut staging = env.db.as_os_str().to_os_string();
    staging.push(".importing");
    std::fs::write(&staging, b"").unwrap();
    let out = env.run(&["stats"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a first import into it did not finish"),
        "{}",
        stderr(&out)
    );
    env.import(&repo("seeds"), &[]);
    assert_eq!(env.json(&["stats", "--format", "json"])["sources"], 5);
    assert!(!Path::new(&staging).exists());
}

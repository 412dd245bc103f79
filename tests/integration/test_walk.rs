//! `netgraph import`: which files under a folder are read. `--format` naming a format takes
//! every file; `auto` takes document extensions and says what it left out; `--include` /
//! `--exclude` globs, `.gitignore` and `.ignore` files; hidden files; links, fifos, binaries.

use crate::common::*;
use rusqlite::Connection;
use std::process::Output;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files stored as sources, relative to the env's folder, sorted.
fn imported(env: &Env) -> Vec<String> {
    let root = env.dir.path().canonicalize().unwrap();
    let conn = Connection::open(&env.db).unwrap();
    let mut paths: Vec<String> = conn
        .prepare("SELECT DISTINCT path FROM sources")
        .unwrap()
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|p| {
            let p = std::path::PathBuf::from(p.unwrap());
            p.strip_prefix(&root).unwrap().display().to_string()
        })
        .collect();
    paths.sort();
    paths
}

/// A Debian-style copyright file: plain text, no extension.
const COPYRIGHT: &str = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: PACKAGE

Files: *
Copyright: 2001-2020 The PACKAGE authors
License: GPL-2+

License: GPL-2+
 This program is free software; you can redistribute it and/or modify it under the terms of
 the GNU General Public License as published by the Free Software Foundation.
";

/// Regression (issue 12.1): `import --format paragraphs DIR` of a folder of extension-less
/// `copyright` files said "no documents to import (looked for .txt, .md, .jsonl files)" and
/// imported nothing. Naming the format takes every file; under auto the error says how many
/// files were left out and how to take them.
#[test]
fn regression_copyright_files_without_extension_import_with_a_named_format() {
    let env = Env::new();
    let packages = ["bash", "coreutils", "grep", "sed", "tar"];
    for name in packages {
        env.write(
            &format!("doc/{name}/copyright"),
            COPYRIGHT.replace("PACKAGE", name),
        );
    }
    let out = env.run(&["import", "doc"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    for needle in [
        "no documents to import in doc: 5 files left out for their extension",
        "--format FORMAT (e.g. --format paragraphs)",
        "--include GLOB",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(!env.db.exists(), "a failed first import leaves no database");

    let report = env.import(&env.path("doc"), &["--format", "paragraphs"]);
    assert_eq!(report["files_found"], 5, "{report}");
    assert_eq!(report["files_imported"], 5, "{report}");
    assert_eq!(report["files_ignored"], 0, "{report}");
    let want: Vec<String> = packages
        .iter()
        .map(|p| format!("doc/{p}/copyright"))
        .collect();
    assert_eq!(imported(&env), want);
    // Each file is three paragraphs; the license text is the same in all five.
    assert_eq!(report["occurrences"], 15, "{report}");
    assert_eq!(report["insights"], 11, "{report}");
}

#[test]
fn auto_says_how_many_files_it_left_out_for_their_extension_and_how_to_take_them() {
    let env = Env::new();
    env.write("notes/a.txt", "alpha\nbeta\n");
    env.write("notes/b.md", "- alpha\n- gamma\n");
    env.write("notes/copyright", "delta\nepsilon\n");
    env.write("notes/sub/README", "zeta\n");
    env.write("notes/sub/list.csv", "eta,theta\n");
    let report = env.import(&env.path("notes"), &[]);
    assert_eq!(report["files_found"], 2, "{report}");
    assert_eq!(report["files_ignored"], 3, "{report}");
    assert_eq!(imported(&env), ["notes/a.txt", "notes/b.md"]);

    let out = env.run(&["import", "notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains(
            "3 left out for their extension (read them with --format FORMAT or --include GLOB)"
        ),
        "{table}"
    );
    // Without files left out, the summary does not mention them.
    let env = Env::new();
    env.write("notes/a.txt", "alpha\nbeta\n");
    let table = env.ok(&["import", "notes"]);
    assert!(!table.contains("left out"), "{table}");
}

#[test]
fn include_takes_only_the_files_it_matches_whatever_their_extension() {
    let env = Env::new();
    env.write("notes/a.notes", "alpha\nbeta\n");
    env.write("notes/deep/er/b.notes", "beta\ngamma\n");
    env.write("notes/c.txt", "delta\n");
    env.write("notes/d.text", "epsilon\n");
    let report = env.import(&env.path("notes"), &["--include", "*.notes"]);
    assert_eq!(report["files_imported"], 2, "{report}");
    assert_eq!(
        report["files_ignored"], 0,
        "files --include does not match are the user's choice, not counted: {report}"
    );
    assert_eq!(imported(&env), ["notes/a.notes", "notes/deep/er/b.notes"]);
    // Repeatable; a file an --include matches is read by content under auto (a list of short
    // lines here: one insight each).
    let report = env.import(
        &env.path("notes"),
        &["--include", "*.notes", "--include", "*.text"],
    );
    assert_eq!(report["files_imported"], 1, "{report}");
    assert_eq!(
        imported(&env),
        ["notes/a.notes", "notes/d.text", "notes/deep/er/b.notes"]
    );
    assert_eq!(env.json(&["stats", "--format", "json"])["insights"], 4);
}

#[test]
fn exclude_is_repeatable_relative_to_the_named_folder_and_wins_over_include() {
    let env = Env::new();
    for file in [
        "notes/keep.txt",
        "notes/drafts/one.txt",
        "notes/drafts/deeper/two.txt",
        "notes/topic/drafts/three.txt",
        "notes/old/four.txt",
        "notes/topic/old/five.txt",
        "notes/topic/six.txt",
    ] {
        env.write(file, format!("{file}\nshared line\n"));
    }
    env.import(
        &env.path("notes"),
        &["--exclude", "drafts/**", "--exclude", "old"],
    );
    // `drafts/**` names the named folder's drafts only; `old` (no slash) any folder called old.
    assert_eq!(
        imported(&env),
        [
            "notes/keep.txt",
            "notes/topic/drafts/three.txt",
            "notes/topic/six.txt"
        ]
    );

    let env = Env::new();
    env.write("notes/a.txt", "alpha\n");
    env.write("notes/secret.txt", "beta\n");
    env.write("notes/b.log", "gamma\n");
    env.import(
        &env.path("notes"),
        &[
            "--exclude",
            "secret.txt",
            "--include",
            "*.txt",
            "--include",
            "*.log",
        ],
    );
    assert_eq!(imported(&env), ["notes/a.txt", "notes/b.log"]);
}

#[test]
fn gitignore_and_ignore_files_are_honoured_outside_a_git_repository() {
    let env = Env::new();
    assert!(
        !env.dir.path().ancestors().any(|a| a.join(".git").exists()),
        "the test folder must not be inside a git repository"
    );
    // One above the named folder (as git reads a repository's root .gitignore), one in it,
    // one further down.
    env.write("project/.gitignore", "build/\n*.bak.txt\n");
    env.write("project/notes/.ignore", "private.txt\n");
    env.write("project/notes/sub/.gitignore", "*\n!kept.txt\n");
    for file in [
        "project/notes/a.txt",
        "project/notes/old.bak.txt",
        "project/notes/private.txt",
        "project/notes/build/out.txt",
        "project/notes/sub/kept.txt",
        "project/notes/sub/dropped.txt",
    ] {
        env.write(file, format!("{file}\n"));
    }
    env.import(&env.path("project/notes"), &[]);
    assert_eq!(
        imported(&env),
        ["project/notes/a.txt", "project/notes/sub/kept.txt"]
    );
    // --no-ignore reads them all; the ignore files themselves are hidden, never documents.
    let report = env.import(&env.path("project/notes"), &["--no-ignore"]);
    assert_eq!(report["files_found"], 6, "{report}");
    assert_eq!(imported(&env).len(), 6);
    // An --include glob takes a file the ignore files list, as ripgrep's --glob does.
    let env2 = Env::new();
    env2.write("notes/.gitignore", "*.txt\n");
    env2.write("notes/a.txt", "alpha\n");
    env2.write("notes/b.txt", "beta\n");
    let out = env2.run(&["import", "notes"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leaving out hidden ones, those a .gitignore or .ignore file lists"),
        "{}",
        stderr(&out)
    );
    env2.import(&env2.path("notes"), &["--include", "a.txt"]);
    assert_eq!(imported(&env2), ["notes/a.txt"]);
}

#[test]
fn gitignore_is_honoured_inside_a_git_repository_too() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("repo/.git/info")).unwrap();
    env.write("repo/.git/info/exclude", "local.txt\n");
    env.write("repo/.gitignore", "ignored.txt\n");
    for file in ["repo/a.txt", "repo/ignored.txt", "repo/local.txt"] {
        env.write(file, format!("{file}\n"));
    }
    env.import(&env.path("repo"), &[]);
    assert_eq!(imported(&env), ["repo/a.txt"]);
}

#[test]
fn hidden_files_and_folders_are_left_out_even_when_a_glob_names_them() {
    let env = Env::new();
    env.write("notes/a.txt", "alpha\n");
    env.write("notes/.draft.txt", "beta\n");
    env.write("notes/.obsidian/workspace.md", "- gamma\n");
    env.write("notes/sub/.hidden/c.txt", "delta\n");
    env.import(&env.path("notes"), &["--format", "lines"]);
    assert_eq!(imported(&env), ["notes/a.txt"]);
    env.import(&env.path("notes"), &["--include", "*.txt"]);
    assert_eq!(imported(&env), ["notes/a.txt"]);
    // Named on the command line, a hidden folder is walked and a hidden file read.
    env.import(&env.path("notes/.obsidian"), &[]);
    env.import(&env.path("notes/.draft.txt"), &[]);
    assert_eq!(
        imported(&env),
        [
            "notes/.draft.txt",
            "notes/.obsidian/workspace.md",
            "notes/a.txt"
        ]
    );
}

#[test]
fn a_file_named_on_the_command_line_is_always_read() {
    let env = Env::new();
    env.write("notes/.gitignore", "ignored.txt\n");
    env.write("notes/ignored.txt", "alpha\n");
    env.write("notes/copyright", "beta\n");
    env.write("notes/drafts/d.txt", "gamma\n");
    for file in ["notes/ignored.txt", "notes/copyright", "notes/drafts/d.txt"] {
        let report = env.import(&env.path(file), &["--exclude", "drafts/**"]);
        assert_eq!(report["files_imported"], 1, "{file}: {report}");
    }
    assert_eq!(
        imported(&env),
        ["notes/copyright", "notes/drafts/d.txt", "notes/ignored.txt"]
    );
}

#[test]
fn binary_files_are_still_skipped_with_a_reason_under_a_named_format() {
    let env = Env::new();
    env.write("docs/copyright", "alpha\n\nbeta\n");
    env.write("docs/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = env.run(&[
        "import",
        "docs",
        "--format",
        "paragraphs",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("logo.png: binary file (NUL byte at offset 8), not a text document"),
        "{}",
        stderr(&out)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files_found"], 2, "{report}");
    assert_eq!(report["files_imported"], 1, "{report}");
    let skipped = report["files_skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{report}");
    assert!(
        skipped[0]["path"].as_str().unwrap().ends_with("logo.png"),
        "{report}"
    );
}

#[test]
fn bad_globs_are_usage_errors_naming_the_flag() {
    let env = Env::new();
    env.write("notes/a.txt", "alpha\n");
    let out = env.run(&["import", "notes", "--include", "a[b"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--include \"a[b\": not a valid glob"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["import", "notes", "--include", "!a.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("use --exclude \"a.txt\""),
        "{}",
        stderr(&out)
    );
    assert!(!env.db.exists());
}

#[cfg(unix)]
#[test]
fn links_are_followed_each_file_taken_once_by_its_real_path() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    env.write("shelf/a.txt", "alpha\nbeta\n");
    env.write("shelf/copyright", "gamma\n");
    env.write("notes/b.txt", "beta\ndelta\n");
    symlink(env.path("shelf"), env.path("notes/shelf")).unwrap();
    symlink(env.path("shelf/a.txt"), env.path("notes/again.txt")).unwrap();
    symlink(env.path("nowhere.txt"), env.path("notes/broken.txt")).unwrap();
    let out = env.run(&["import", "notes", "shelf", "--format", "json"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("broken.txt: broken symbolic link"),
        "{}",
        stderr(&out)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files_found"], 2, "{report}");
    assert_eq!(
        report["files_ignored"], 1,
        "copyright, reached twice, is left out once: {report}"
    );
    assert_eq!(imported(&env), ["notes/b.txt", "shelf/a.txt"]);
}

/// A fifo under a folder would block the import forever once opened: it is no document.
#[cfg(unix)]
#[test]
fn fifos_are_left_out_under_a_named_format() {
    let env = Env::new();
    env.write("notes/a", "alpha\n");
    let made = std::process::Command::new("mkfifo")
        .arg(env.path("notes/pipe"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = env
        .cmd()
        .args(["import", "notes", "--format", "lines", "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(imported(&env), ["notes/a"]);
}

/// A line of an ignore file that is not a glob (an unclosed `{`; an unclosed `[` is read
/// literally, as git does) is left out with a warning; the file's other
/// lines still apply and the import succeeds.
#[test]
fn a_bad_line_in_an_ignore_file_is_a_warning_and_the_other_lines_apply() {
    let env = Env::new();
    env.write("project/.gitignore", "b{\nold.txt\n");
    env.write("project/notes/.ignore", "a{x\nskip.txt\n");
    for file in ["keep.txt", "skip.txt", "old.txt"] {
        env.write(&format!("project/notes/{file}"), format!("{file}\n"));
    }
    let out = env.run(&["import", "project/notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    for needle in [
        "warning: ",
        "project/.gitignore: line 1: error parsing glob 'b{'",
        "project/notes/.ignore: line 1: error parsing glob 'a{x'",
        "; that line is not used",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert_eq!(imported(&env), ["project/notes/keep.txt"]);
}

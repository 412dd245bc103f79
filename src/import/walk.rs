//! Finding the files an import reads: explicit files are always taken; folders are walked
//! recursively for document extensions, skipping hidden entries, following symbolic links
//! but never entering a folder twice (so link loops end).

use super::SkipReason;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Extensions picked up when walking a folder.
const DOCUMENT_EXTENSIONS: [&str; 8] = [
    "txt", "text", "md", "markdown", "mdown", "mkd", "jsonl", "ndjson",
];

/// What walking the command-line paths found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Absolute (canonical) paths of the files to read, sorted, without repeats.
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked, with the reason.
    pub problems: Vec<(PathBuf, SkipReason)>,
    /// Files under folders left out because their extension is not a document type.
    pub ignored: usize,
}

pub fn walk(paths: &[PathBuf]) -> Walk {
    let mut walk = Walk::default();
    let mut seen_dirs = HashSet::new();
    let mut files = HashSet::new();
    for path in paths {
        match path.canonicalize() {
            Ok(real) if real.is_dir() => visit_dir(&real, &mut seen_dirs, &mut files, &mut walk),
            Ok(real) => {
                files.insert(real);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                walk.problems.push((path.clone(), SkipReason::Missing))
            }
            Err(e) => walk
                .problems
                .push((path.clone(), SkipReason::Unreadable(e.to_string()))),
        }
    }
    walk.files = files.into_iter().collect();
    walk.files.sort();
    walk
}

fn is_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            DOCUMENT_EXTENSIONS
                .iter()
                .any(|d| d.eq_ignore_ascii_case(e))
        })
        .unwrap_or(false)
}

fn visit_dir(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    files: &mut HashSet<PathBuf>,
    walk: &mut Walk,
) {
    if !seen.insert(dir.to_path_buf()) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walk.problems.push((
                dir.to_path_buf(),
                SkipReason::UnreadableFolder(e.to_string()),
            ));
            return;
        }
    };
    let mut children: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
        .collect();
    children.sort();
    for (child, is_link) in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // `dir` is canonical, so only links need resolving; resolving them makes loops and
        // duplicates collapse onto one real path.
        let real = if is_link {
            match child.canonicalize() {
                Ok(real) => real,
                Err(_) => {
                    walk.problems.push((child, SkipReason::BrokenLink));
                    continue;
                }
            }
        } else {
            child.clone()
        };
        if real.is_dir() {
            visit_dir(&real, seen, files, walk);
        } else if is_document(&real) || is_document(&child) {
            files.insert(real);
        } else {
            walk.ignored += 1;
        }
    }
}

//! Insight titles, kept or computed: a person's title wins; otherwise the automatic title kept
//! for the current graph version, computed ([`crate::algo::titles`]) and kept when the corpus
//! changed since.

use crate::algo::titles::{titles as compute, TitleConfig};
use crate::error::{Error, Result};
use crate::ids::InsightId;
use crate::store::Store;
use serde::Serialize;
use std::path::Path;

/// Where a title comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TitleKind {
    /// Set by a person (`netgraph title`, `import --titles`).
    Manual,
    /// Picked by the titles algorithm.
    Auto,
}

/// One insight's title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Title {
    pub id: InsightId,
    pub title: String,
    pub kind: TitleKind,
}

/// The title of every insight, by id.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    by_id: Vec<Title>,
    /// Computed now, not read back.
    pub computed: bool,
    /// Computed but not kept (a read-only database).
    pub not_kept: bool,
}

impl Titles {
    /// The title of insight `id`; `None` for an unknown insight.
    pub fn get(&self, id: InsightId) -> Option<&str> {
        self.by_id
            .binary_search_by_key(&id, |t| t.id)
            .ok()
            .map(|i| self.by_id[i].title.as_str())
    }

    /// Every title, by insight id.
    pub fn all(&self) -> &[Title] {
        &self.by_id
    }
}

/// Longest title a person may set, in characters: longer ones do not fit a picture's circle.
pub const MAX_MANUAL_CHARS: usize = 60;

/// A person's title, checked: one line of printable characters, not empty, at most
/// [`MAX_MANUAL_CHARS`] characters; white space collapsed.
pub fn check_manual(title: &str) -> Result<String> {
    super::check_given_text(title, "title", MAX_MANUAL_CHARS, "a picture", "title")
}

/// One line of a titles file (`import --titles`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleLine {
    pub line: usize,
    /// An insight id or a piece of its text.
    pub insight: String,
    pub title: String,
}

/// Read a titles file: `insight<TAB>title` lines, where insight is an id or the text (or a
/// piece of it). Blank lines, `#` comments and a first line `insight<TAB>title` are skipped.
/// A line without a tab is an error naming the line.
pub fn read_title_lines(path: &Path) -> Result<Vec<TitleLine>> {
    let text = crate::error::read_named_file(path)?;
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((insight, title)) = line.split_once('\t') else {
            return Err(Error::InvalidInput(format!(
                "{}: line {}: expected `insight<TAB>title` (an id or the insight's text, a tab, the title)",
                path.display(),
                n + 1
            )));
        };
        if n == 0 && insight.trim().eq_ignore_ascii_case("insight") {
            continue;
        }
        lines.push(TitleLine {
            line: n + 1,
            insight: insight.trim().to_string(),
            title: title.to_string(),
        });
    }
    Ok(lines)
}

/// Set the titles of `lines`; each line that names no insight (or several) or gives an
/// unusable title is returned with the reason, and the others are set.
pub fn set_manual_titles(store: &mut Store, lines: &[TitleLine]) -> Result<Vec<(usize, String)>> {
    let mut problems = Vec::new();
    for l in lines {
        let set = store
            .resolve_insight(&l.insight)
            .and_then(|id| Ok((id, check_manual(&l.title)?)));
        match set {
            Ok((id, title)) => store.set_manual_title(id, Some(&title))?,
            Err(e) if e.exit_code() == crate::error::exit_code::DATABASE => return Err(e),
            Err(e) => problems.push((l.line, e.to_string())),
        }
    }
    Ok(problems)
}

/// The titles of all insights. Computing them reads every insight's text once: O(W) for the
/// corpus's W words (see [`crate::algo::titles`]); reading kept ones is O(V).
pub fn titles(store: &mut Store) -> Result<Titles> {
    let version = store.graph_version()?;
    let mut result = Titles::default();
    if store.titles_version()? != Some(version) {
        let texts = store.insight_texts()?;
        let refs: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        let picked = compute(&refs, &TitleConfig::default());
        let auto: Vec<(InsightId, String)> = texts.iter().map(|(id, _)| *id).zip(picked).collect();
        result.computed = true;
        // A database that cannot be written still gets its titles, just not kept (the same
        // rule as scores and partitions; a damaged database is still an error).
        if !super::keep(store, |s| s.write_auto_titles(&auto, version))? {
            result.not_kept = true;
            result.by_id = merge_manual(store, auto)?;
            return Ok(result);
        }
    }
    let rows = store.titles()?;
    result.by_id = rows
        .into_iter()
        .filter_map(|row| match (row.manual, row.auto) {
            (Some(title), _) => Some(Title {
                id: row.id,
                title,
                kind: TitleKind::Manual,
            }),
            (None, Some(title)) => Some(Title {
                id: row.id,
                title,
                kind: TitleKind::Auto,
            }),
            (None, None) => None,
        })
        .collect();
    Ok(result)
}

/// Automatic titles with the kept manual ones laid over them.
fn merge_manual(store: &Store, auto: Vec<(InsightId, String)>) -> Result<Vec<Title>> {
    let manual: std::collections::HashMap<InsightId, String> = store
        .titles()?
        .into_iter()
        .filter_map(|r| Some((r.id, r.manual?)))
        .collect();
    Ok(auto
        .into_iter()
        .map(|(id, title)| match manual.get(&id) {
            Some(m) => Title {
                id,
                title: m.clone(),
                kind: TitleKind::Manual,
            },
            None => Title {
                id,
                title,
                kind: TitleKind::Auto,
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_titles_are_checked_and_title_files_read() {
        assert_eq!(check_manual("  Passion   shift ").unwrap(), "Passion shift");
        assert!(check_manual(" ").is_err());
        assert!(check_manual(&"x".repeat(61)).is_err());
        // An escape sequence would reach every terminal that shows the title.
        let Err(Error::InvalidInput(why)) = check_manual("Red \u{1b}[31m title") else {
            panic!("a control character is refused");
        };
        assert!(why.contains("U+001B"), "{why}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("titles.tsv");
        std::fs::write(
            &path,
            "insight\ttitle\n# mine\n12\tPassion shift\r\n\npassion shift\tOther\n",
        )
        .unwrap();
        let lines = read_title_lines(&path).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (
                lines[0].line,
                lines[0].insight.as_str(),
                lines[0].title.as_str()
            ),
            (3, "12", "Passion shift")
        );
        std::fs::write(&path, "12 no tab\n").unwrap();
        assert!(read_title_lines(&path)
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }
}

//! Full-text search over insight texts and source titles (SQLite FTS5, ranked by bm25), and
//! naming an insight by its id or a piece of its text.
//!
//! User queries never reach FTS5 as syntax: every word is quoted (see [`fts_terms`]), so
//! `don't "x`, `AND` or `a*b` are searched as words.

use super::change::ChangeTx;
use super::Store;
use crate::error::{Error, Result};
use crate::ids::{InsightId, SourceId};
use crate::parse::normalize::insight_key;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// Highest insight id in the full-text index (meta key).
const INDEXED_UP_TO: &str = "search_indexed_up_to";

/// How many candidates an ambiguous name lists.
const AMBIGUOUS_LIST: usize = 10;

/// An insight matching a search.
#[derive(Debug, Clone, Serialize)]
pub struct InsightHit {
    pub id: InsightId,
    /// bm25 score; lower is a better match (SQLite's convention).
    pub score: f64,
    /// Sources holding the insight.
    pub sources: i64,
    /// The matching passage with the query's words between the markers.
    pub snippet: String,
    pub text: String,
}

/// A source whose title matches a search.
#[derive(Debug, Clone, Serialize)]
pub struct SourceHit {
    pub id: SourceId,
    pub score: f64,
    pub path: String,
    pub name: String,
    /// The title with the query's words between the markers.
    pub title: String,
    /// Insights in the source.
    pub insights: i64,
}

/// Markers placed around matched words in snippets.
#[derive(Debug, Clone, Copy)]
pub struct Highlight<'a> {
    pub open: &'a str,
    pub close: &'a str,
}

impl Default for Highlight<'_> {
    fn default() -> Self {
        Highlight {
            open: "[",
            close: "]",
        }
    }
}

/// The words of a user query as quoted FTS5 strings. Words without a letter or digit are
/// dropped (the tokenizer would find nothing in them); a `"` inside a word is doubled, which is
/// FTS5's escape, so no input can be read as an operator, a column filter or a prefix.
pub fn fts_terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect()
}

/// All words, anywhere (implicit AND).
fn all_words(query: &str) -> Result<String> {
    let terms = fts_terms(query);
    if terms.is_empty() {
        return Err(Error::InvalidInput(format!(
            "nothing to search for in {query:?}: give at least one word"
        )));
    }
    Ok(terms.join(" "))
}

/// The words as one phrase: in this order, next to each other (punctuation ignored).
fn phrase(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| w.replace('"', "\"\""))
        .collect();
    (!words.is_empty()).then(|| format!("\"{}\"", words.join(" ")))
}

impl Store {
    /// The best `limit` rows of an FTS5 table for `fts`: (rowid, bm25), best first, ties by
    /// rowid. Ranking is the only step that touches every match.
    fn top_matches(&self, table: &str, fts: &str, limit: usize) -> Result<Vec<(i64, f64)>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT rowid, rank FROM {table} WHERE {table} MATCH ?1 ORDER BY rank, rowid LIMIT ?2"
            ))?;
            let rows = stmt
                .query_map(params![fts, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect();
            rows
        })
    }

    /// Insights matching every word of `query`, best first (bm25, ties by id).
    ///
    /// FTS5 ranks every match by bm25 (O(matches · log)); snippet, text and source count are
    /// then read for the top `limit` rows only, one indexed lookup each.
    pub fn search_insights(
        &self,
        query: &str,
        limit: usize,
        marks: Highlight<'_>,
    ) -> Result<Vec<InsightHit>> {
        let fts = all_words(query)?;
        let top = self.top_matches("insights_fts", &fts, limit)?;
        self.read(|c| {
            let mut detail = c.prepare_cached(
                "SELECT snippet(insights_fts, 0, ?3, ?4, '…', 16), i.text,
                        (SELECT count(DISTINCT source_id) FROM occurrences WHERE insight_id = ?2),
                        i.id
                 FROM insights_fts JOIN insights i ON i.id = insights_fts.rowid
                 WHERE insights_fts MATCH ?1 AND insights_fts.rowid = ?2",
            )?;
            top.into_iter()
                .map(|(rowid, score)| {
                    detail.query_row(params![fts, rowid, marks.open, marks.close], |r| {
                        Ok(InsightHit {
                            id: r.get(3)?,
                            score,
                            sources: r.get(2)?,
                            snippet: r.get(0)?,
                            text: r.get(1)?,
                        })
                    })
                })
                .collect()
        })
    }

    /// Sources whose title matches every word of `query`, best first.
    pub fn search_sources(
        &self,
        query: &str,
        limit: usize,
        marks: Highlight<'_>,
    ) -> Result<Vec<SourceHit>> {
        let fts = all_words(query)?;
        let top = self.top_matches("sources_fts", &fts, limit)?;
        self.read(|c| {
            let mut detail = c.prepare_cached(
                "SELECT s.path, s.name, highlight(sources_fts, 0, ?3, ?4),
                        (SELECT count(*) FROM occurrences WHERE source_id = ?2)
                 FROM sources_fts JOIN sources s ON s.id = sources_fts.rowid
                 WHERE sources_fts MATCH ?1 AND sources_fts.rowid = ?2",
            )?;
            top.into_iter()
                .map(|(rowid, score)| {
                    detail.query_row(params![fts, rowid, marks.open, marks.close], |r| {
                        Ok(SourceHit {
                            id: SourceId(rowid),
                            score,
                            path: r.get(0)?,
                            name: r.get(1)?,
                            title: r.get(2)?,
                            insights: r.get(3)?,
                        })
                    })
                })
                .collect()
        })
    }

    /// The insight a user means by `name`: an id (`12` or `#12`; the id of an insight merged
    /// away by `dedupe --apply` means the insight it was merged into), the exact text (or a
    /// merged variant's text), or a piece of the text (its words in order).
    ///
    /// Errors: [`Error::NotFound`] when nothing matches, [`Error::Ambiguous`] listing the
    /// candidates when a piece of text matches several insights. Index lookups only.
    pub fn resolve_insight(&self, name: &str) -> Result<InsightId> {
        let name = name.trim();
        if let Ok(id) = name.strip_prefix('#').unwrap_or(name).parse::<i64>() {
            let no_such = || {
                Error::NotFound(format!(
                    "no insight #{id}; find one with `netgraph search WORDS`"
                ))
            };
            let id = InsightId::from_i64(id).ok_or_else(no_such)?;
            return self.insight_by_id(id)?.ok_or_else(no_such);
        }
        let key = insight_key(name);
        if key.is_empty() {
            return Err(Error::InvalidInput(
                "name an insight by its id or a piece of its text".into(),
            ));
        }
        let exact: Option<InsightId> = self.read(|c| {
            c.query_row(
                "SELECT id FROM insights WHERE key = ?1
                 UNION ALL SELECT insight_id FROM insight_aliases WHERE key = ?1 LIMIT 1",
                [&key],
                |r| r.get(0),
            )
            .optional()
        })?;
        if let Some(id) = exact {
            return Ok(id);
        }
        let Some(fts) = phrase(name) else {
            return Err(Error::InvalidInput(format!(
                "{name:?} has no words to look for; give an id or a piece of the text"
            )));
        };
        let found: Vec<(InsightId, String)> = self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT f.rowid, i.text FROM insights_fts f JOIN insights i ON i.id = f.rowid
                 WHERE insights_fts MATCH ?1 ORDER BY f.rank, f.rowid LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![fts, AMBIGUOUS_LIST as i64 + 1], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect();
            rows
        })?;
        match found.len() {
            0 => Err(Error::NotFound(format!(
                "no insight contains {name:?}; try `netgraph search {}` for insights with these words anywhere",
                name.split_whitespace().collect::<Vec<_>>().join(" ")
            ))),
            1 => Ok(found[0].0),
            n => {
                let mut message = format!("{name:?} matches {} insights; give an id or more of the text:", if n > AMBIGUOUS_LIST { format!("more than {AMBIGUOUS_LIST}") } else { n.to_string() });
                for (id, text) in found.iter().take(AMBIGUOUS_LIST) {
                    message.push_str(&format!("\n  #{:<7} {}", id.to_string(), short(text, 90)));
                }
                Err(Error::Ambiguous(message))
            }
        }
    }

    /// The current id of insight `id`: itself, or the insight it was merged into.
    fn insight_by_id(&self, id: InsightId) -> Result<Option<InsightId>> {
        self.read(|c| {
            c.query_row(
                "SELECT id FROM insights WHERE id = ?1
                 UNION ALL SELECT insight_id FROM insight_aliases WHERE old_id = ?1 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()
        })
    }
}

/// `text` cut to `width` characters with an ellipsis.
pub(crate) fn short(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

impl ChangeTx<'_> {
    /// Bring the insight full-text index up to date at the end of an import: index the insights
    /// added since the last refresh in one statement, or rebuild the whole index after a bulk
    /// load (or when it was never built). Source titles are kept fresh by triggers.
    pub fn refresh_search_index(&self, rebuild: bool) -> Result<()> {
        self.with(|tx| {
            let indexed: Option<i64> = tx
                .query_row(
                    "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1",
                    [INDEXED_UP_TO],
                    |r| r.get(0),
                )
                .optional()?;
            match indexed {
                Some(up_to) if !rebuild => tx.execute(
                    "INSERT INTO insights_fts (rowid, text) SELECT id, text FROM insights WHERE id > ?1",
                    [up_to],
                )?,
                _ => tx.execute("INSERT INTO insights_fts (insights_fts) VALUES ('rebuild')", [])?,
            };
            // The highest id ever given (AUTOINCREMENT's counter), not max(id): an insight
            // deleted in this import must not be indexed later under a reused id, and ids are
            // never reused.
            tx.execute(
                "INSERT INTO meta (key, value)
                 SELECT ?1, ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'insights'), 0) WHERE true
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [INDEXED_UP_TO],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_are_always_quoted() {
        let cases: [(&str, Vec<&str>); 5] = [
            ("don't \"x", vec!["\"don't\"", "\"\"\"x\""]),
            ("AND", vec!["\"AND\""]),
            ("a* NEAR(b)", vec!["\"a*\"", "\"NEAR(b)\""]),
            ("  -  ^ ", vec![]),
            ("title:foo", vec!["\"title:foo\""]),
        ];
        for (query, want) in cases {
            assert_eq!(fts_terms(query), want, "{query:?}");
        }
        assert_eq!(
            phrase("it's \"so\" - good").as_deref(),
            Some("\"it's \"\"so\"\" good\"")
        );
    }
}

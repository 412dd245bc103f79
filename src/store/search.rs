//! Full-text search over insight texts and source titles (SQLite FTS5, ranked by bm25), and
//! naming an insight by its id or a piece of its text.
//!
//! User queries never reach FTS5 as syntax: every word is quoted (see [`fts_terms`]), so
//! `don't "x`, `AND` or `a*b` are searched as words.

use super::change::ChangeTx;
use super::codec::StoredPath;
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
    /// then read for the top `limit` rows only, one indexed lookup each. A snippet costs
    /// O(hits²) in FTS5, so only texts up to [`WHOLE_TEXT_SNIPPET`] bytes get one from the
    /// whole text; longer ones get theirs from the first piece that holds a word (see
    /// [`long_snippet`]).
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
                "SELECT i.id, i.text,
                        (SELECT count(DISTINCT source_id) FROM occurrences WHERE insight_id = ?1)
                 FROM insights i WHERE i.id = ?1",
            )?;
            let mut snippet = c.prepare_cached(
                "SELECT snippet(insights_fts, 0, ?3, ?4, '…', 16) FROM insights_fts
                 WHERE insights_fts MATCH ?1 AND rowid = ?2",
            )?;
            top.into_iter()
                .map(|(rowid, score)| {
                    let (id, text, sources): (InsightId, String, i64) =
                        detail.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                    let snippet = if text.len() <= WHOLE_TEXT_SNIPPET {
                        snippet
                            .query_row(params![fts, rowid, marks.open, marks.close], |r| r.get(0))?
                    } else {
                        long_snippet(c, query, &text, marks)?
                    };
                    Ok(InsightHit {
                        id,
                        score,
                        sources,
                        snippet,
                        text,
                    })
                })
                .collect()
        })
    }

    /// Sources whose title matches every word of `query`, best first. A title longer than
    /// [`WHOLE_TEXT_SNIPPET`] bytes is shown as a snippet (FTS5's `highlight()` is quadratic
    /// too).
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
                "SELECT s.path, s.name, s.title, (SELECT count(*) FROM occurrences WHERE source_id = ?1)
                 FROM sources s WHERE s.id = ?1",
            )?;
            let mut highlight = c.prepare_cached(
                "SELECT highlight(sources_fts, 0, ?3, ?4) FROM sources_fts
                 WHERE sources_fts MATCH ?1 AND rowid = ?2",
            )?;
            top.into_iter()
                .map(|(rowid, score)| {
                    let (path, name, title, insights): (StoredPath, String, String, i64) =
                        detail.query_row([rowid], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                        })?;
                    let path = path.lossy();
                    let title = if title.len() <= WHOLE_TEXT_SNIPPET {
                        highlight.query_row(params![fts, rowid, marks.open, marks.close], |r| {
                            r.get(0)
                        })?
                    } else {
                        long_snippet(c, query, &title, marks)?
                    };
                    Ok(SourceHit {
                        id: SourceId(rowid),
                        score,
                        path,
                        name,
                        title,
                        insights,
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

/// Texts up to this size (bytes) get their snippet from FTS5's `snippet()` over the whole
/// text. FTS5 scores every window around every hit against every other hit, O(hits²): 2.1 s
/// for a 1 MB insight, 217 s for a 10 MB one. Insights are sentences or paragraphs, far
/// below this, so their snippets are FTS5's own.
pub const WHOLE_TEXT_SNIPPET: usize = 8 * 1024;

/// Long texts are cut at white space into pieces of about this many bytes for
/// [`long_snippet`].
const PIECE: usize = 2 * 1024;

/// A snippet of a long `text`: FTS5's `snippet()` of the first piece of the text that holds
/// any word of `query`, with `…` where the piece is cut from the text.
///
/// The pieces are indexed in a temporary FTS5 table with the search index's tokenizer, so a
/// word is matched and marked exactly as the search matched it (case, accents, word endings).
/// Pieces are indexed in batches that double, stopping at the first batch with a match: the
/// work is O(bytes up to the first match), and a snippet of one piece is O(PIECE²) at most.
fn long_snippet(
    c: &rusqlite::Connection,
    query: &str,
    text: &str,
    marks: Highlight<'_>,
) -> rusqlite::Result<String> {
    c.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippet_pieces USING fts5 (
             text, tokenize = 'porter unicode61 remove_diacritics 2'
         );
         DELETE FROM temp.snippet_pieces;",
    )?;
    let any_word = fts_terms(query).join(" OR ");
    let pieces = pieces(text, PIECE);
    let mut insert =
        c.prepare_cached("INSERT INTO temp.snippet_pieces (rowid, text) VALUES (?1, ?2)")?;
    let mut first = c.prepare_cached(
        "SELECT rowid, snippet(snippet_pieces, 0, ?2, ?3, '…', 16) FROM temp.snippet_pieces
         WHERE snippet_pieces MATCH ?1 ORDER BY rowid LIMIT 1",
    )?;
    let (mut done, mut batch) = (0, 8);
    let found = loop {
        if done == pieces.len() {
            break None;
        }
        let end = (done + batch).min(pieces.len());
        for (i, piece) in pieces.iter().enumerate().take(end).skip(done) {
            insert.execute(params![i as i64, &text[piece.clone()]])?;
        }
        (done, batch) = (end, batch * 2);
        let hit: Option<(i64, String)> = first
            .query_row(params![any_word, marks.open, marks.close], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if hit.is_some() {
            break hit;
        }
    };
    c.execute("DELETE FROM temp.snippet_pieces", [])?;
    let Some((i, mut snippet)) = found else {
        // The whole text matched but no piece alone does (cannot happen with FTS5's
        // tokenizers, which split at white space): the start of the text.
        return Ok(short(&text[pieces[0].clone()], 100));
    };
    let i = i as usize;
    if i > 0 && !snippet.starts_with('…') {
        snippet.insert(0, '…');
    }
    if i + 1 < pieces.len() && !snippet.ends_with('…') {
        snippet.push('…');
    }
    Ok(snippet)
}

/// `text` cut into byte ranges of about `size` to `2 * size` bytes (never empty), each
/// ending after white space so no word is cut; at a character boundary when there is no white
/// space where a cut should be.
fn pieces(text: &str, size: usize) -> Vec<std::ops::Range<usize>> {
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > 2 * size {
        let (from, to) = (boundary(start + size), boundary(start + 2 * size));
        let end = match text[from..to]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            Some((at, c)) => from + at + c.len_utf8(),
            None => to,
        };
        out.push(start..end);
        start = end;
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
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
    /// load (or when it was never built). Source titles are kept fresh by triggers, or
    /// rebuilt at the end of a bulk load (`ChangeTx::finish_bulk`).
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

    #[test]
    fn pieces_cover_the_text_and_cut_after_white_space() {
        let text = format!("{}{}", "ab cd é€ ".repeat(400), "x".repeat(50));
        let cut = pieces(&text, 64);
        assert_eq!(cut[0].start, 0);
        assert_eq!(cut.last().unwrap().end, text.len());
        for pair in cut.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert!(text[pair[0].clone()].ends_with(' '));
            assert!((64..=128).contains(&pair[0].len()));
        }
        // No white space at all: cut at character boundaries (slicing would panic otherwise).
        let dense = "é".repeat(300);
        assert!(pieces(&dense, 64)
            .iter()
            .all(|p| !dense[p.clone()].is_empty()));
        assert_eq!(pieces("", 64), vec![0..0]);
    }

    #[test]
    fn a_long_text_is_snippeted_around_a_match_with_the_index_rules() {
        let store = Store::open_in_memory().unwrap();
        let text = format!(
            "{}The product LEADERS met. {}",
            "filler ".repeat(3000),
            "tail ".repeat(3000)
        );
        let marks = Highlight::default();
        let snippet = long_snippet(store.conn(), "leader Produkt", &text, marks).unwrap();
        // Case and word endings as the search index has them: "leader" marks "LEADERS".
        assert!(snippet.contains("[LEADERS]"), "{snippet}");
        assert!(
            snippet.starts_with('…') && snippet.ends_with('…'),
            "{snippet}"
        );
        assert!(snippet.len() < 200, "{snippet}");
        // Words nowhere in the text: the start of the text, never an error.
        let none = long_snippet(store.conn(), "absent", &text, marks).unwrap();
        assert!(none.starts_with("filler") && none.ends_with('…'), "{none}");
    }
}

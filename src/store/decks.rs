//! What decks showed (the `deck_states` table), and the summary of what was imported that
//! decks and reports open with.

use super::Store;
use crate::error::Result;
use rusqlite::OptionalExtension;
use serde::Serialize;

/// How many sources each parser read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormatCount {
    pub format: String,
    pub sources: i64,
}

/// How the sources came in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Imports {
    /// Parsers by the number of sources they read, most first (ties by name).
    pub formats: Vec<FormatCount>,
    /// The first and the last import (UTC, ISO 8601); `None` without sources.
    pub first: Option<String>,
    pub last: Option<String>,
}

impl Store {
    /// The formats of the sources and the span of their imports. O(sources).
    pub fn imports(&self) -> Result<Imports> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT format, count(*) AS n FROM sources GROUP BY format ORDER BY n DESC, format",
            )?;
            let formats = stmt
                .query_map([], |r| {
                    Ok(FormatCount {
                        format: r.get(0)?,
                        sources: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (first, last) = c.query_row(
                "SELECT min(imported_at), max(imported_at) FROM sources",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok(Imports {
                formats,
                first,
                last,
            })
        })
    }

    /// The newest deck state kept for a graph version before `version`, with its version.
    pub fn previous_deck_state(&self, version: i64) -> Result<Option<(i64, String)>> {
        self.read(|c| {
            c.query_row(
                "SELECT graph_version, state FROM deck_states WHERE graph_version < ?1
                 ORDER BY graph_version DESC LIMIT 1",
                [version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
    }

    /// Keep what a deck made from graph `version` showed (replacing a deck of the same
    /// version: re-running a deck on an unchanged graph keeps comparing with the same
    /// earlier one).
    pub fn keep_deck_state(&mut self, version: i64, state: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO deck_states (graph_version, made_at, state) VALUES (?1, ?2, ?3)
                 ON CONFLICT (graph_version) DO UPDATE SET made_at = excluded.made_at,
                 state = excluded.state",
                rusqlite::params![version, super::now_utc(), state],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn the_previous_state_is_the_newest_of_an_older_graph() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.previous_deck_state(5).unwrap(), None);
        store.keep_deck_state(2, "two").unwrap();
        store.keep_deck_state(4, "four").unwrap();
        store.keep_deck_state(4, "four again").unwrap();
        assert_eq!(
            store.previous_deck_state(4).unwrap(),
            Some((2, "two".to_string()))
        );
        assert_eq!(
            store.previous_deck_state(9).unwrap(),
            Some((4, "four again".to_string()))
        );
    }

    #[test]
    fn an_empty_database_has_no_formats_and_no_dates() {
        let store = Store::open_in_memory().unwrap();
        let imports = store.imports().unwrap();
        assert!(imports.formats.is_empty());
        assert_eq!((imports.first, imports.last), (None, None));
    }
}

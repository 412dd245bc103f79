//! Reads and writes of theme names (`theme_names` in schema.sql): the name a person gave a
//! theme, by stable community id, and what became of the theme when a later partition did not
//! keep it whole.

use super::Store;
use crate::error::Result;
use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

/// A person's name for a theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeName {
    /// The stable community id.
    pub id: u32,
    pub name: String,
    /// UTC, ISO 8601.
    pub named_at: String,
    /// The themes that hold its insights, when the last partition computed did not keep it
    /// whole (its own id first if it continued but split); `None` when it continued whole.
    pub became: Option<Vec<u32>>,
}

/// `became` as stored: ids separated by spaces. Anything else is a damaged database.
fn parse_became(text: &str) -> std::result::Result<Vec<u32>, String> {
    text.split_whitespace()
        .map(|id| {
            id.parse()
                .map_err(|e| format!("theme_names.became holds {text:?}: {e}"))
        })
        .collect()
}

fn format_became(ids: &[u32]) -> String {
    ids.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
}

impl Store {
    /// Every theme name, by community id.
    pub fn theme_names(&self) -> Result<Vec<ThemeName>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT community_id, name, named_at, became FROM theme_names ORDER BY community_id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    let became: Option<String> = r.get(3)?;
                    Ok(ThemeName {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        named_at: r.get(2)?,
                        became: became
                            .map(|b| parse_became(&b))
                            .transpose()
                            .map_err(|e| {
                                rusqlite::Error::FromSqlConversionFailure(3, Type::Text, e.into())
                            })?,
                    })
                })?
                .collect();
            rows
        })
    }

    /// Set theme `id`'s name (what became of it is forgotten: the person has seen the theme as
    /// it is), or with `None` remove it. Returns the name it had before.
    pub fn set_theme_name(&mut self, id: u32, name: Option<&str>) -> Result<Option<String>> {
        let now = super::now_utc();
        self.write(|tx| {
            let before: Option<String> = tx
                .query_row(
                    "SELECT name FROM theme_names WHERE community_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            match name {
                Some(name) => tx.execute(
                    "INSERT INTO theme_names (community_id, name, named_at, became)
                     VALUES (?1, ?2, ?3, NULL)
                     ON CONFLICT (community_id) DO UPDATE
                     SET name = excluded.name, named_at = excluded.named_at, became = NULL",
                    params![id, name, now],
                )?,
                None => tx.execute("DELETE FROM theme_names WHERE community_id = ?1", [id])?,
            };
            Ok(before)
        })
    }

    /// Record what became of named themes in a newly computed partition: `(id, became)` pairs,
    /// as [`ThemeName::became`]. Ids without a name are ignored.
    pub fn write_theme_fates(&mut self, fates: &[(u32, Option<Vec<u32>>)]) -> Result<()> {
        self.write(|tx| {
            let mut update =
                tx.prepare_cached("UPDATE theme_names SET became = ?2 WHERE community_id = ?1")?;
            for (id, became) in fates {
                update.execute(params![id, became.as_deref().map(format_became)])?;
            }
            Ok(())
        })
    }

    /// Whether any kept partition has a community `id`: the themes a person can have seen.
    pub fn theme_exists(&self, id: u32) -> Result<bool> {
        self.read(|c| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM communities WHERE community_id = ?1)",
                [id],
                |r| r.get(0),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_set_replaced_and_cleared_and_fates_kept() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(store.theme_names().unwrap().is_empty());
        assert_eq!(
            store.set_theme_name(4, Some("AI and the PM role")).unwrap(),
            None
        );
        store.set_theme_name(9, Some("Hiring")).unwrap();
        store
            .write_theme_fates(&[(4, Some(vec![4, 17])), (9, None), (12, Some(vec![1]))])
            .unwrap();
        let names = store.theme_names().unwrap();
        assert_eq!(names.len(), 2, "a fate without a name is not kept");
        assert_eq!(
            (names[0].id, names[0].name.as_str(), names[0].became.clone()),
            (4, "AI and the PM role", Some(vec![4, 17]))
        );
        assert_eq!(names[1].became, None);
        // Naming again forgets the fate.
        assert_eq!(
            store.set_theme_name(4, Some("PM and AI")).unwrap(),
            Some("AI and the PM role".into())
        );
        assert_eq!(store.theme_names().unwrap()[0].became, None);
        assert_eq!(
            store.set_theme_name(4, None).unwrap(),
            Some("PM and AI".into())
        );
        assert_eq!(store.set_theme_name(4, None).unwrap(), None);
        assert_eq!(store.theme_names().unwrap().len(), 1);
    }

    #[test]
    fn a_theme_exists_once_a_kept_partition_has_it() {
        let store = Store::open_in_memory().unwrap();
        assert!(!store.theme_exists(3).unwrap());
        store
            .conn()
            .execute_batch(
                "INSERT INTO analysis_runs (id, kind, measure, params, graph_version, computed_at)
                 VALUES (1, 'communities', 'leiden', '{}', 1, '2024-01-01T00:00:00Z');
                 INSERT INTO communities (run_id, community_id, size, label) VALUES (1, 3, 2, 'x');",
            )
            .unwrap();
        assert!(store.theme_exists(3).unwrap());
        assert!(!store.theme_exists(4).unwrap());
    }

    #[test]
    fn a_damaged_fate_is_an_error() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO theme_names VALUES (1, 'n', '2024-01-01T00:00:00Z', '4 x');",
            )
            .unwrap();
        let err = store.theme_names().unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit_code::DATABASE);
    }
}

//! Reads and writes of insight titles (`titles` in schema.sql): a person's own title, and the
//! automatic one kept for a graph version.

use super::{meta, Store};
use crate::error::Result;
use crate::ids::InsightId;
use rusqlite::params;

/// Graph version the automatic titles were computed for (meta key).
const TITLES_VERSION: &str = "titles_version";

/// The titles kept for one insight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleRow {
    pub id: InsightId,
    pub manual: Option<String>,
    pub auto: Option<String>,
}

impl Store {
    /// Every kept title, by insight id.
    pub fn titles(&self) -> Result<Vec<TitleRow>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT insight_id, manual, auto FROM titles ORDER BY insight_id")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(TitleRow {
                        id: r.get(0)?,
                        manual: r.get(1)?,
                        auto: r.get(2)?,
                    })
                })?
                .collect();
            rows
        })
    }

    /// The graph version the kept automatic titles belong to, if any were kept.
    pub fn titles_version(&self) -> Result<Option<i64>> {
        self.read(|c| {
            meta::get(c, TITLES_VERSION)?
                .map(|v| {
                    v.parse().map_err(|e: std::num::ParseIntError| {
                        rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Text,
                            format!("meta.{TITLES_VERSION} holds {v:?}: {e}").into(),
                        )
                    })
                })
                .transpose()
        })
    }

    /// Replace every automatic title by `titles` (one per insight), computed on graph
    /// `version`, in one transaction. Manual titles are untouched.
    pub fn write_auto_titles(
        &mut self,
        titles: &[(InsightId, String)],
        version: i64,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE titles SET auto = NULL", [])?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO titles (insight_id, auto) VALUES (?1, ?2)
                 ON CONFLICT (insight_id) DO UPDATE SET auto = excluded.auto",
            )?;
            for (id, title) in titles {
                upsert.execute(params![id, title])?;
            }
            tx.execute(
                "DELETE FROM titles WHERE manual IS NULL AND auto IS NULL",
                [],
            )?;
            meta::set(tx, TITLES_VERSION, &version.to_string())
        })
    }

    /// Set (or with `None` clear) a person's title for insight `id`.
    pub fn set_manual_title(&mut self, id: InsightId, title: Option<&str>) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO titles (insight_id, manual) VALUES (?1, ?2)
                 ON CONFLICT (insight_id) DO UPDATE SET manual = excluded.manual",
                params![id, title],
            )?;
            tx.execute(
                "DELETE FROM titles WHERE insight_id = ?1 AND manual IS NULL AND auto IS NULL",
                [id],
            )
            .map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_titles_survive_refreshed_automatic_ones() {
        let mut store = Store::open_in_memory().unwrap();
        let (a, b) = (InsightId(1), InsightId(2));
        assert_eq!(store.titles_version().unwrap(), None);
        store
            .write_auto_titles(
                &[(a, "Passion shift".into()), (b, "Business acumen".into())],
                3,
            )
            .unwrap();
        store.set_manual_title(a, Some("My own")).unwrap();
        store.write_auto_titles(&[(a, "Pivot".into())], 4).unwrap();
        assert_eq!(store.titles_version().unwrap(), Some(4));
        assert_eq!(
            store.titles().unwrap(),
            vec![TitleRow {
                id: a,
                manual: Some("My own".into()),
                auto: Some("Pivot".into())
            }]
        );
        store.set_manual_title(a, None).unwrap();
        assert_eq!(store.titles().unwrap()[0].manual, None);
    }
}

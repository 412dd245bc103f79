//! Kept picture layouts (the `layouts` table): where each node of a picture was drawn.

use super::Store;
use crate::error::Result;
use crate::export::layout::Point;

impl Store {
    /// The kept positions of `picture`, sorted by node name (empty when none are kept).
    pub fn kept_layout(&self, picture: &str) -> Result<Vec<(String, Point)>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT node, x, y FROM layouts WHERE picture = ?1 ORDER BY node",
            )?;
            let rows = stmt
                .query_map([picture], |r| {
                    Ok((
                        r.get(0)?,
                        Point {
                            x: r.get(1)?,
                            y: r.get(2)?,
                        },
                    ))
                })?
                .collect();
            rows
        })
    }

    /// Replace the kept positions of `picture` with `positions`. O(n log n) for n nodes.
    pub fn keep_layout(&mut self, picture: &str, positions: &[(String, Point)]) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM layouts WHERE picture = ?1", [picture])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO layouts (picture, node, x, y) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (node, p) in positions {
                insert.execute(rusqlite::params![picture, node, p.x, p.y])?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpenMode;

    #[test]
    fn layouts_are_kept_per_picture_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let p = |x, y| Point { x, y };
        store
            .keep_layout(
                "a",
                &[("n2".into(), p(1.0, 2.0)), ("n1".into(), p(3.0, 4.0))],
            )
            .unwrap();
        store
            .keep_layout("b", &[("n1".into(), p(9.0, 9.0))])
            .unwrap();
        assert_eq!(
            store.kept_layout("a").unwrap(),
            vec![("n1".into(), p(3.0, 4.0)), ("n2".into(), p(1.0, 2.0))]
        );
        store
            .keep_layout("a", &[("n3".into(), p(5.0, 6.0))])
            .unwrap();
        assert_eq!(
            store.kept_layout("a").unwrap(),
            vec![("n3".into(), p(5.0, 6.0))]
        );
        assert_eq!(store.kept_layout("b").unwrap().len(), 1);
        assert!(store.kept_layout("c").unwrap().is_empty());
    }
}

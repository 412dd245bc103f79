//! Many rows per `INSERT`: one statement per row spends most of a bulk write in SQLite's
//! per-statement work (binding, stepping, resetting, and for an AUTOINCREMENT table reading
//! and writing `sqlite_sequence`), not in the B-tree.

use rusqlite::{Statement, Transaction};

/// Insert `rows` with `head` (`INSERT INTO t (c1, .., cw)`), `per_statement` rows of `width`
/// parameters per statement; `bind(statement, first, row)` binds one row's parameters from
/// index `first` on (1-based). The full statement is prepared once; a shorter last one is
/// prepared for the rest.
///
/// # Complexity
/// * Time complexity: **O(r · w)** binding plus SQLite's own O(r log R) for r rows into a
///   table of R.
/// * Auxiliary space: **O(per_statement)** rows buffered from the iterator.
pub(crate) fn insert_rows<T>(
    tx: &Transaction<'_>,
    head: &str,
    width: usize,
    per_statement: usize,
    rows: impl IntoIterator<Item = T>,
    mut bind: impl FnMut(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let statement = |count: usize| {
        let one = format!("({})", vec!["?"; width].join(","));
        format!("{head} VALUES {}", vec![one; count].join(","))
    };
    let mut full = tx.prepare_cached(&statement(per_statement))?;
    let mut chunk: Vec<T> = Vec::with_capacity(per_statement);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        chunk.clear();
        chunk.extend(rows.by_ref().take(per_statement));
        let mut tail;
        let insert = if chunk.len() == per_statement {
            &mut full
        } else {
            tail = tx.prepare_cached(&statement(chunk.len()))?;
            &mut tail
        };
        for (k, row) in chunk.iter().enumerate() {
            bind(insert, k * width + 1, row)?;
        }
        insert.raw_execute()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn full_statements_and_a_short_last_one_keep_every_row_in_order() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            .unwrap();
        let tx = conn.transaction().unwrap();
        // 2 full statements of 4 and a short one of 3; then nothing at all.
        let rows: Vec<(i64, String)> = (0..11).map(|k| (k * 7, format!("row {k}"))).collect();
        let bind = |s: &mut Statement<'_>, at: usize, (k, v): &(i64, String)| {
            s.raw_bind_parameter(at, k)?;
            s.raw_bind_parameter(at + 1, v.as_str())
        };
        insert_rows(
            &tx,
            "INSERT INTO t (k, v)",
            2,
            4,
            rows.iter().cloned(),
            bind,
        )
        .unwrap();
        insert_rows(&tx, "INSERT INTO t (k, v)", 2, 4, std::iter::empty(), bind).unwrap();
        let stored: Vec<(i64, String)> = tx
            .prepare("SELECT k, v FROM t ORDER BY k")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(stored, rows);
    }
}

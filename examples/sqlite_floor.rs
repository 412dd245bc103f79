//! The SQLite floor of an import: how fast SQLite alone stores the rows a finished import
//! wrote, so the import's time can be read against it.
//!
//! ```text
//! netgraph --db /tmp/imp.db import /tmp/corpus100k -q
//! cargo run --release --example sqlite_floor -- /tmp/imp.db [OUT.db]
//! ```
//!
//! Every row of every table the import filled (sources, insights, occurrences, both edge
//! tables, related_to, the graph snapshot, meta) is read into memory first (not timed). Then
//! each of two layouts is written to a fresh file (OUT.db, default a temporary file next to
//! the input) in one transaction, rows in primary-key order, by prepared statements of
//! `FLOOR_ROWS_PER_INSERT` rows each (default 64; 1 gives the classic one row per statement,
//! which pays a CHECK's `IN (...)` list once per row), without a journal or foreign-key
//! checks, with the import's own page cache, and the file is closed and flushed to disk
//! (`fsync`) inside the timed span:
//!
//! - `schema`: the tables of `schema.sql` as they are (keys, UNIQUE and CHECK constraints)
//!   without the secondary indexes, triggers and full-text indexes: what an import must pay
//!   for at least, unless the schema changes.
//! - `bare`: each table with its columns and primary key only (no UNIQUE, CHECK or NOT NULL),
//!   the fastest SQLite stores the same data.
//!
//! Prints the rows and the time per table and the total of each layout, best of ROUNDS
//! (`FLOOR_ROUNDS`, default 3). The SQL here is a benchmark's own: it measures SQLite, not
//! netgraph, so it does not go through `netgraph::store`.

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The schema netgraph creates.
const SCHEMA: &str = include_str!("../schema.sql");

/// SQLite's default bound on parameters per statement (SQLITE_MAX_VARIABLE_NUMBER).
const MAX_PARAMETERS: usize = 32766;

/// One table's rows, read from the import's database.
struct Table {
    name: String,
    columns: Vec<String>,
    /// Primary-key columns in key order (empty: the rowid).
    key: Vec<String>,
    without_rowid: bool,
    /// Row-major values, `columns.len()` per row.
    values: Vec<Value>,
}

impl Table {
    fn rows(&self) -> usize {
        self.values.len() / self.columns.len().max(1)
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(input) = args.next().map(PathBuf::from) else {
        eprintln!("usage: sqlite_floor IMPORTED.db [OUT.db]");
        std::process::exit(2);
    };
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| input.with_extension("floor.db"));
    let rounds: usize = std::env::var("FLOOR_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let rows_per_insert: usize = std::env::var("FLOOR_ROWS_PER_INSERT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(64)
        .max(1);
    let tables = read_tables(&input).unwrap_or_else(|e| {
        eprintln!("sqlite_floor: cannot read {}: {e}", input.display());
        std::process::exit(1);
    });
    for (layout, create) in [
        ("schema", schema_tables as fn(&[Table]) -> String),
        ("bare", bare_tables),
    ] {
        let ddl = create(&tables);
        let mut best: Option<(Duration, Vec<Duration>)> = None;
        for _ in 0..rounds {
            let timed = write_floor(&out, &ddl, &tables, rows_per_insert).unwrap_or_else(|e| {
                eprintln!("sqlite_floor: writing {}: {e}", out.display());
                std::process::exit(1);
            });
            if best.as_ref().is_none_or(|b| timed.0 < b.0) {
                best = Some(timed);
            }
        }
        let (total, per_table) = best.expect("at least one round");
        let size = std::fs::metadata(&out).map_or(0, |m| m.len());
        println!(
            "{layout}: {:.2} s for {} rows in {} tables, {:.0} MB (best of {rounds}, {rows_per_insert} rows per INSERT)",
            total.as_secs_f64(),
            tables.iter().map(Table::rows).sum::<usize>(),
            tables.len(),
            size as f64 / 1e6
        );
        for (table, time) in tables.iter().zip(per_table) {
            println!(
                "  {:<18} {:>10} rows {:>8.3} s",
                table.name,
                table.rows(),
                time.as_secs_f64()
            );
        }
        let _ = std::fs::remove_file(&out);
    }
}

/// Every table of the import's database that holds rows, except the full-text indexes'
/// shadow tables and SQLite's own, with its rows in primary-key order.
fn read_tables(path: &Path) -> rusqlite::Result<Vec<Table>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let names: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE '%_fts%' ORDER BY rowid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tables = Vec::new();
    for (name, sql) in names {
        let mut info: Vec<(i64, String, i64)> = conn
            .prepare(&format!(
                "SELECT cid, name, pk FROM pragma_table_info('{name}')"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        info.sort_by_key(|c| c.0);
        let columns: Vec<String> = info.iter().map(|c| c.1.clone()).collect();
        let mut key: Vec<(i64, String)> = info
            .iter()
            .filter(|c| c.2 > 0)
            .map(|c| (c.2, c.1.clone()))
            .collect();
        key.sort();
        let key: Vec<String> = key.into_iter().map(|k| k.1).collect();
        let without_rowid = sql.contains("WITHOUT ROWID");
        let order = if key.is_empty() {
            "rowid".to_string()
        } else {
            key.join(", ")
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM {name} ORDER BY {order}",
            columns.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut values = Vec::new();
        while let Some(row) = rows.next()? {
            for i in 0..columns.len() {
                values.push(row.get::<_, Value>(i)?);
            }
        }
        drop(rows);
        drop(stmt);
        if values.is_empty() {
            continue;
        }
        tables.push(Table {
            name,
            columns,
            key,
            without_rowid,
            values,
        });
    }
    Ok(tables)
}

/// `schema.sql` without its indexes, triggers, views and full-text tables: run whole, then
/// those dropped.
fn schema_tables(_: &[Table]) -> String {
    let conn = Connection::open_in_memory().expect("in-memory database");
    conn.execute_batch(SCHEMA).expect("schema.sql applies");
    let mut ddl: Vec<String> = conn
        .prepare(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'
             AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .expect("schema read back");
    ddl.push(String::new());
    ddl.join(";\n")
}

/// Each table with its columns and primary key only.
fn bare_tables(tables: &[Table]) -> String {
    let mut ddl = String::new();
    for t in tables {
        let key = if t.key.is_empty() {
            String::new()
        } else if t.key.len() == 1 && !t.without_rowid {
            format!(", PRIMARY KEY ({})", t.key[0])
        } else {
            format!(", PRIMARY KEY ({})", t.key.join(", "))
        };
        // A single INTEGER key of a rowid table is the rowid itself, as in schema.sql.
        let columns: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                if t.key.len() == 1 && !t.without_rowid && *c == t.key[0] {
                    format!("{c} INTEGER")
                } else {
                    c.clone()
                }
            })
            .collect();
        ddl.push_str(&format!(
            "CREATE TABLE {} ({}{key}){};\n",
            t.name,
            columns.join(", "),
            if t.without_rowid {
                " WITHOUT ROWID"
            } else {
                ""
            }
        ));
    }
    ddl
}

/// Write every table into a fresh database at `out`; the whole time (opening to the file on
/// disk) and each table's share.
fn write_floor(
    out: &Path,
    ddl: &str,
    tables: &[Table],
    rows_per_insert: usize,
) -> rusqlite::Result<(Duration, Vec<Duration>)> {
    let _ = std::fs::remove_file(out);
    let start = Instant::now();
    let mut conn = Connection::open(out)?;
    // As netgraph's staging database: the same page size, no journal, nothing synced until
    // the end, the same page cache (64 MB), no foreign-key checks (on by default in the
    // bundled SQLite).
    conn.pragma_update(None, "page_size", netgraph::store::NEW_PAGE_SIZE)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF;",
    )?;
    conn.execute_batch(ddl)?;
    let tx = conn.transaction()?;
    let mut per_table = Vec::new();
    for t in tables {
        let table_start = Instant::now();
        let width = t.columns.len();
        let insert = |rows: usize| {
            let marks = format!("({})", vec!["?"; width].join(","));
            format!(
                "INSERT INTO {} ({}) VALUES {}",
                t.name,
                t.columns.join(", "),
                vec![marks; rows].join(",")
            )
        };
        let per_statement = rows_per_insert.min(MAX_PARAMETERS / width).max(1);
        let mut full = tx.prepare(&insert(per_statement))?;
        for chunk in t.values.chunks(per_statement * width) {
            let mut short;
            let stmt = if chunk.len() == per_statement * width {
                &mut full
            } else {
                short = tx.prepare(&insert(chunk.len() / width))?;
                &mut short
            };
            for (i, v) in chunk.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            stmt.raw_execute()?;
        }
        per_table.push(table_start.elapsed());
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)?;
    std::fs::File::open(out)
        .and_then(|f| f.sync_all())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok((start.elapsed(), per_table))
}

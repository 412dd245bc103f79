//! SQLite storage: open and migrate, bulk writes of an import, typed reads for the graph,
//! stats and the explore commands. Nothing outside this module builds SQL.

pub mod centrality;
pub mod communities;
pub mod export;
mod migrations;
pub mod read;

pub mod write;

pub mod explore;
pub mod merge;
pub mod search;

use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use migrations::{APPLICATION_ID, SCHEMA_VERSION};

/// How long a writer waits for another writer's lock before giving up with `DatabaseLocked`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// An open netgraph database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Whether opening may create the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the database if it does not exist (import).
    Create,
    /// The database must exist (every read command).
    Existing,
}

impl Store {
    /// Open (and if needed create and migrate) the database at `path`.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            return Err(Error::NoDatabase(path.to_path_buf()));
        }
        if path.is_dir() {
            return Err(Error::CorruptDatabase {
                path: path.to_path_buf(),
                message: "is a folder, not a database file".into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        store.migrate()?;
        store.enable_wal()?;
        Ok(store)
    }

    /// A new database for a bulk load, built at `path` (a staging file) without a journal:
    /// nothing in it is worth protecting until [`publish`](Self::publish) moves it into place,
    /// and writing every page once instead of twice (WAL, then checkpoint) is most of the
    /// saving. A crash leaves only the staging file behind.
    pub fn create_staging(path: &Path) -> Result<Store> {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    source: e,
                })
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        store
            .conn
            .execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;")
            .map_err(|e| classify(path, e))?;
        store.migrate()?;
        Ok(store)
    }

    /// Close a staging database, flush it to disk and move it to `target` in one rename.
    pub fn publish(self, target: &Path) -> Result<()> {
        let staging = self.path.clone();
        self.conn.close().map_err(|(_, e)| classify(&staging, e))?;
        std::fs::File::open(&staging)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::Io {
                path: staging.clone(),
                source: e,
            })?;
        std::fs::rename(&staging, target).map_err(|e| Error::Io {
            path: target.to_path_buf(),
            source: e,
        })?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Make the rename itself durable; not every platform can open a folder.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        // From now on the database is shared: readers work while later imports write.
        Store::open(target, OpenMode::Existing).map(drop)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Map a SQLite error on this database to the error a user can act on.
    pub(crate) fn err(&self, e: rusqlite::Error) -> Error {
        classify(&self.path, e)
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.path.clone();
        let c = &self.conn;
        c.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&path, e))?;
        // Reading the header is the first thing that fails on a file that is not SQLite.
        c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(|e| classify(&path, e))?;
        c.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA threads = 2;",
        )
        .map_err(|e| classify(&path, e))?;
        Ok(())
    }

    /// WAL lets readers (stats, central) work while an import writes. Set only once the file
    /// is known to be netgraph's, so a foreign database is never modified.
    fn enable_wal(&self) -> Result<()> {
        if self.path.as_os_str() != ":memory:" {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Bring the schema to [`SCHEMA_VERSION`] in one exclusive transaction, or refuse.
    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let version: i64 = self.pragma_i64("user_version")?;
        let app_id: i64 = self.pragma_i64("application_id")?;
        if version == SCHEMA_VERSION && app_id == APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| classify(&path, e))?;
        if app_id != APPLICATION_ID && tables > 0 {
            return Err(Error::NotNetgraphDatabase {
                path,
                detail: format!("it holds {tables} other tables or indexes"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
            .map_err(|e| classify(&path, e))?;
        if tables == 0 {
            tx.execute_batch(migrations::SCHEMA)
                .map_err(|e| classify(&path, e))?;
        } else {
            for migration in &migrations::MIGRATIONS[version as usize..] {
                tx.execute_batch(migration)
                    .map_err(|e| classify(&path, e))?;
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| classify(&path, e))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(())
    }

    fn pragma_i64(&self, name: &str) -> Result<i64> {
        self.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The graph version: bumped by every import that changed the graph.
    pub fn graph_version(&self) -> Result<i64> {
        Ok(self
            .meta("graph_version")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }
}

/// Turn SQLite's error codes into the errors the CLI explains.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> Error {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            Error::CorruptDatabase { path, message: "not a SQLite database (file is encrypted or is not a database)".into() }
        }
        Some(ErrorCode::DatabaseCorrupt) => Error::CorruptDatabase {
            path,
            message: "the database file is corrupt (database disk image is malformed); restore a backup or re-import into a new --db".into(),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::DatabaseLocked { path },
        Some(ErrorCode::CannotOpen) => Error::CorruptDatabase { path, message: "cannot open the database file (missing folder or no permission)".into() },
        Some(ErrorCode::ReadOnly) => Error::CorruptDatabase { path, message: "the database is read-only (no write permission)".into() },
        _ => Error::Sqlite(e),
    }
}

/// Insert one kept analysis run (see `analysis_runs` in schema.sql); returns its id.
pub(crate) fn insert_analysis_run(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    measure: &str,
    params: &str,
    graph_version: i64,
    summary: &str,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO analysis_runs (kind, measure, params, graph_version, computed_at, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![kind, measure, params, graph_version, now_utc(), summary],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Now, in UTC ISO 8601, without pulling in a date crate.
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, ifnull(sql, '') FROM sqlite_master ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn fresh_schema_equals_migrated_schema() {
        let fresh = Store::open_in_memory().unwrap();
        let migrated = Connection::open_in_memory().unwrap();
        for m in migrations::MIGRATIONS {
            migrated.execute_batch(m).unwrap();
        }
        assert_eq!(schema_of(fresh.conn()), schema_of(&migrated));
        assert_eq!(fresh.pragma_i64("user_version").unwrap(), SCHEMA_VERSION);
        assert_eq!(fresh.pragma_i64("application_id").unwrap(), APPLICATION_ID);
    }

    #[test]
    fn migrate_twice_is_a_no_op() {
        let mut store = Store::open_in_memory().unwrap();
        let before = schema_of(store.conn());
        store.migrate().unwrap();
        store.migrate().unwrap();
        assert_eq!(before, schema_of(store.conn()));
    }

    #[test]
    fn civil_date_is_right() {
        assert_eq!(now_utc().len(), 20);
        assert!(now_utc().starts_with("20"));
    }
}

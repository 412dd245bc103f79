//! SQLite storage. Nothing outside this module builds SQL, and the store computes nothing of
//! the domain: it writes what it is given and reads typed rows back.
//!
//! The methods are grouped by the data they touch:
//!
//! | file | data |
//! |------|------|
//! | `mod.rs` | opening, migrating, the one place SQLite errors become [`Error`]s, `meta` |
//! | [`insights`] | insights: texts, source counts, details, merged variants |
//! | [`sources`] | sources and where insights occur in them |
//! | [`edges`] | appears-with edges: the graph for the algorithms, neighbourhoods |
//! | [`runs`] | kept analysis runs: centrality scores and community partitions |
//! | [`search`] | the full-text indexes, and naming an insight by a piece of its text |
//! | [`titles`] | insights' short titles: a person's own, and the automatic ones kept |
//! | [`themes`] | the names people gave themes, and what became of a named theme |
//! | [`change`] | one transaction that changes the graph: sources, insights, occurrences, edges |
//! | [`merge`] | moving the occurrences of merged insights (`dedupe --apply`) |
//! | [`codec`] | how ids, roles, measures and algorithms cross the SQLite boundary |
//!
//! Every public method maps SQLite's errors through [`Store::read`], [`Store::write`] or
//! [`change::ChangeTx`]'s `with`, which call [`classify`] once: a method body uses `?` on
//! `rusqlite` results and never spells out an error mapping.

pub mod change;
pub mod codec;
pub mod decks;
pub mod edges;
pub mod insights;
pub mod layouts;
pub mod merge;
mod meta;
mod migrations;
mod rows;
pub mod runs;
pub mod search;
pub mod sources;
pub mod themes;
pub mod titles;

use crate::cooccurrence::Window;
use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior, MAIN_DB};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use meta::EdgeTotals;
pub use migrations::{APPLICATION_ID, SCHEMA_VERSION};

/// How long a writer waits for another writer's lock before giving up with `DatabaseLocked`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// Page cache of a staging database (KiB), see [`Store::create_staging`].
const STAGING_CACHE_KIB: i64 = 64 << 10;

/// Page size of new databases (bytes; SQLite's default is 4096). Most of a netgraph database
/// is three B-trees of small rows written in key order (occurrences and the two edge
/// tables), and a bulk load spends much of its time splitting and balancing pages: with
/// 16 KiB pages a 100,000-page first import took 0.91 of the time (paired runs), the file
/// was 2% smaller and reads were as fast or faster, except a single insight's `show`
/// (8 ms against 6 ms). A database keeps the page size it was made with.
pub const NEW_PAGE_SIZE: u32 = 16 << 10;

/// An open netgraph database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened read-only: the file or its folder cannot be written (see [`Store::open`]).
    read_only: bool,
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
    ///
    /// An existing database that this process may not write (the file or its folder has no
    /// write permission, or the file system is read-only) is opened read-only for
    /// [`OpenMode::Existing`]: reads work, nothing is written (no WAL switch, no kept
    /// results; see [`Store::is_read_only`]); [`OpenMode::Create`] (import) refuses it.
    /// Whether it may be written is judged by the permission bits as well as by the operating
    /// system, so a file made read-only with `chmod a-w` is left untouched even by root, whom
    /// the operating system lets write anything.
    ///
    /// An existing file with no tables (an empty file) is not a netgraph database: netgraph
    /// never leaves one (a first import builds its database elsewhere and moves it into place
    /// complete), so it is refused rather than filled.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        check_path(path)?;
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            return Err(if staging_path(path).exists() {
                Error::UnfinishedImport(path.to_path_buf())
            } else {
                Error::NoDatabase(path.to_path_buf())
            });
        }
        let read_only = exists && !writable(path);
        if read_only && mode == OpenMode::Create {
            return Err(Error::ReadOnlyDatabase {
                path: path.to_path_buf(),
                reason: "this command writes to it".into(),
            });
        }
        let conn = if read_only {
            open_read_only(path)?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI;
            Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?
        };
        // SQLite itself falls back to read-only when the file cannot be opened for writing.
        let read_only = read_only || conn.is_readonly(MAIN_DB).unwrap_or(false);
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only,
        };
        store.configure()?;
        store.migrate(!exists)?;
        if !store.read_only {
            store.enable_wal()?;
        }
        Ok(store)
    }

    /// Whether the database was opened read-only: results computed on it cannot be kept.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// A new database for a bulk load, built at `path` (a staging file) without a journal:
    /// nothing in it is worth protecting until [`publish`](Self::publish) moves it into place,
    /// and writing every page once instead of twice (WAL, then checkpoint) is most of the
    /// saving. A crash leaves only the staging file behind.
    ///
    /// The file may exist, empty (the import holds a lock on it, see `import_into`); it is
    /// not removed, since a new file at the same path would escape that lock.
    pub fn create_staging(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
        };
        store.configure()?;
        store
            .conn
            .execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;")
            .map_err(|e| classify(path, e))?;
        // A bulk load appends in key order nearly everywhere, so a smaller page cache costs
        // no time (pages spill to the file as they fill) and saves memory: a 100k-page
        // import peaked at 611 MB with the 256 MB cache of `configure`, 420 MB with this.
        // Temporary files, not memory, for the sorts of CREATE INDEX at the end of the load:
        // in memory SQLite sorts everything as one run, slowly (see `ChangeTx::finish_bulk`).
        // Set before any transaction, as SQLite requires.
        store
            .conn
            .execute_batch(&format!(
                "PRAGMA cache_size = -{STAGING_CACHE_KIB}; PRAGMA temp_store = FILE;"
            ))
            .map_err(|e| classify(path, e))?;
        // Every row of a load into an empty database refers to rows the same load has just
        // written (an occurrence to its source and its insight), so the foreign-key checks
        // (on by default in this build of SQLite) can only pass: checking two parents per
        // occurrence was most of the time spent writing occurrences. Off for this connection
        // only; the published database is opened again with them on. The import tests check
        // that a bulk load leaves `PRAGMA foreign_key_check` clean.
        store
            .conn
            .execute_batch("PRAGMA foreign_keys = OFF")
            .map_err(|e| classify(path, e))?;
        store.migrate(true)?;
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
        std::fs::rename(&staging, target).map_err(|e| {
            // A staging file that cannot be published is of no use: leave nothing behind.
            let _ = std::fs::remove_file(&staging);
            Error::Io {
                path: target.to_path_buf(),
                source: e,
            }
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
            read_only: false,
        };
        store.configure()?;
        store.migrate(true)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run reads on the connection; SQLite's errors become the errors a user can act on, here
    /// and nowhere else.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| classify(&self.path, e))
    }

    /// Run writes in one `BEGIN IMMEDIATE` transaction, committed when `f` succeeds and rolled
    /// back otherwise.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let run = || -> rusqlite::Result<T> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| classify(&path, e))
    }

    fn configure(&mut self) -> Result<()> {
        self.read(|c| {
            c.busy_timeout(BUSY_TIMEOUT)?;
            // Reading the header is the first thing that fails on a file that is not SQLite.
            c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
            // Only a file with nothing written in it yet takes a page size (an existing
            // database keeps its own), and it must come before `cache_size`, which SQLite turns
            // into a number of pages of the size in force.
            c.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
            c.execute_batch(
                "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA threads = 2;",
            )
        })
    }

    /// Give back the memory of the page cache. A whole-blob or whole-table read (the graph's
    /// snapshot, every insight's text) leaves its pages in the cache, up to its 256 MiB, while
    /// the command goes on to compute in memory of its own; those pages were needed once.
    pub fn release_cache(&self) -> Result<()> {
        self.read(|c| c.execute_batch("PRAGMA shrink_memory"))
    }

    /// WAL lets readers (stats, central) work while an import writes. Set only once the file
    /// is known to be netgraph's, so a foreign database is never modified.
    fn enable_wal(&self) -> Result<()> {
        if self.path.as_os_str() == ":memory:" {
            return Ok(());
        }
        self.read(|c| c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)))
            .map(drop)
    }

    /// Bring the schema to [`SCHEMA_VERSION`] in one exclusive transaction, or refuse.
    /// `created`: the file was created by this open, so an empty one is ours to fill.
    fn migrate(&mut self, created: bool) -> Result<()> {
        let path = self.path.clone();
        let version: i64 = self.pragma_i64("user_version")?;
        let app_id: i64 = self.pragma_i64("application_id")?;
        if version == SCHEMA_VERSION && app_id == APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 =
            self.read(|c| c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)))?;
        if app_id != APPLICATION_ID && tables > 0 {
            return Err(Error::NotNetgraphDatabase {
                path,
                detail: format!("it holds {tables} other tables or indexes"),
            });
        }
        if tables == 0 && !created {
            let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
            return Err(Error::NotNetgraphDatabase {
                path,
                detail: if bytes == 0 {
                    "the file is empty; delete it to start a new database there".into()
                } else {
                    "an SQLite database without tables".into()
                },
            });
        }
        if version < 0 {
            return Err(Error::CorruptDatabase {
                path,
                message: format!("the database is damaged (schema version {version}); restore a backup or re-import into a new --db"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if self.read_only {
            return Err(Error::ReadOnlyDatabase {
                path,
                reason: format!(
                    "was made by an older netgraph (schema version {version}): it must be upgraded once"
                ),
            });
        }
        let run = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
            if tables == 0 {
                tx.execute_batch(migrations::SCHEMA)?;
            } else {
                for migration in &migrations::MIGRATIONS[version as usize..] {
                    tx.execute_batch(migration)?;
                }
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.commit()
        };
        // A migration that does not apply (a table it creates is there already) means the
        // recorded version does not describe the file: it is damaged.
        run(&mut self.conn).map_err(|e| match classify(&path, e) {
            Error::Sqlite(e) => Error::CorruptDatabase {
                message: format!(
                    "the database is damaged (schema version {version} does not match its tables: {}); restore a backup or re-import into a new --db",
                    // SQLite's message, without the migration's whole SQL it quotes.
                    match &e {
                        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
                        other => other.to_string(),
                    }
                ),
                path: path.clone(),
            },
            other => other,
        })
    }

    fn pragma_i64(&self, name: &str) -> Result<i64> {
        self.read(|c| c.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)))
    }

    /// The graph version: bumped by every change of the graph (import, prune, merge). Kept
    /// results name the version they were computed on.
    pub fn graph_version(&self) -> Result<i64> {
        self.read(meta::graph_version)
    }

    /// The co-occurrence window kept by the last import (`None`: every pair in a source).
    pub fn window(&self) -> Result<Window> {
        self.read(meta::window)
    }

    /// Appears-with edges and their total weight, as every change to the edges keeps them.
    pub fn edge_totals(&self) -> Result<EdgeTotals> {
        self.read(meta::edge_totals)
    }

    /// Run `f`'s reads in one read transaction: with WAL, everything it reads comes from one
    /// snapshot of the database, even while an import commits (a command that reads several
    /// tables never mixes a state before an import with one after it). Nested calls join the
    /// outer transaction.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.read(|c| c.execute_batch("BEGIN DEFERRED"))?;
        let result = f(self);
        // Ending a read transaction cannot lose anything; a failure here is reported only
        // when `f` succeeded.
        let end = self.read(|c| c.execute_batch("COMMIT"));
        let value = result?;
        end?;
        Ok(value)
    }

    /// Database-wide counts for `stats`, read in one [`snapshot`](Self::snapshot) so they
    /// describe one state.
    pub fn counts(&self) -> Result<Counts> {
        self.snapshot(|store| {
            store.read(|c| {
                let scalar = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0));
                let totals = meta::edge_totals(c)?;
                Ok(Counts {
                    files: scalar("SELECT count(DISTINCT path) FROM sources")?,
                    sources: scalar("SELECT count(*) FROM sources")?,
                    insights: edges::insight_count(c)?,
                    occurrences: scalar("SELECT count(*) FROM occurrences")?,
                    edges: totals.edges,
                    total_weight: totals.total_weight,
                    related_edges: scalar("SELECT count(*) FROM related_to")?,
                    window: meta::window(c)?,
                    graph_version: meta::graph_version(c)?,
                })
            })
        })
    }
}

/// Database-wide counts (the graph-derived ones are added by `stats`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub files: i64,
    pub sources: i64,
    pub insights: i64,
    pub occurrences: i64,
    pub edges: i64,
    pub total_weight: i64,
    pub related_edges: i64,
    pub window: Option<u32>,
    pub graph_version: i64,
}

/// Where a first import into `db` builds the database before moving it into place:
/// `DB.importing` beside it. Left behind, it says that import did not finish.
pub fn staging_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".importing");
    db.with_file_name(name)
}

/// Refuse a database path that cannot name a database file, before any work is done: one
/// that ends in a slash, whose folder is missing or not a folder, or that exists and is not
/// a regular file (a folder, a device such as `/dev/null`, a pipe).
pub fn check_path(path: &Path) -> Result<()> {
    let ends_in_separator = path
        .as_os_str()
        .as_encoded_bytes()
        .last()
        .is_some_and(|&b| std::path::is_separator(b as char));
    if ends_in_separator || path.file_name().is_none() {
        return Err(Error::InvalidInput(format!(
            "{}: a database path must name a file, not a folder (such as {})",
            path.display(),
            path.join("netgraph.db").display()
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
        if !parent.is_dir() {
            return Err(Error::InvalidInput(format!(
                "{}: not a folder, so it cannot hold the database {}",
                parent.display(),
                path.display()
            )));
        }
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::CorruptDatabase {
            path: path.to_path_buf(),
            message: "is a folder, not a database file; use another --db path".into(),
        }),
        Ok(m) if !m.is_file() => Err(Error::CorruptDatabase {
            path: path.to_path_buf(),
            message: "not a regular file (a device, pipe or socket); a database is a regular file: use another --db path".into(),
        }),
        _ => Ok(()),
    }
}

/// Open `path` read-only. A WAL database is read through its `-shm` file, which SQLite cannot
/// create in a folder this process may not write. When there is no `-wal` file either (no
/// writer has pages that are not yet in the main file), the file is opened immutable instead:
/// read as it is, without locks or shared memory.
fn open_read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
    let Err(e) = probe else { return Ok(conn) };
    if e.sqlite_error_code() != Some(ErrorCode::ReadOnly) {
        // Reported, classified, by the first read.
        return Ok(conn);
    }
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    let uri = path.to_str().map(|p| {
        let mut uri = String::from("file:");
        for c in p.chars() {
            match c {
                '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
                c => uri.push(c),
            }
        }
        uri + "?immutable=1"
    });
    match uri {
        Some(uri) if !Path::new(&wal).exists() => {
            drop(conn);
            Connection::open_with_flags(uri, flags).map_err(|e| classify(path, e))
        }
        _ => Err(Error::ReadOnlyDatabase {
            path: path.to_path_buf(),
            reason: "its write-ahead log (-wal) can be read only by a process that may write in its folder".into(),
        }),
    }
}

/// Whether this process may write the database file and create files beside it (SQLite's
/// `-wal` and `-shm`). Both the permission bits and the operating system are asked: root may
/// write anything, so the operating system alone never says no to it, while a file or
/// folder without write bits is one its owner meant to keep unchanged.
fn writable(path: &Path) -> bool {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    [path, folder].into_iter().all(|p| {
        let bits = std::fs::metadata(p).is_ok_and(|m| !m.permissions().readonly());
        #[cfg(unix)]
        let os = rustix::fs::access(p, rustix::fs::Access::WRITE_OK).is_ok();
        #[cfg(not(unix))]
        let os = true;
        bits && os
    })
}

/// Beginnings of SQLite error messages that netgraph's own, fixed SQL can meet only in a
/// damaged file: tables, columns or functions gone, a header field garbled, the schema text of
/// a table (FTS5's options) or an FTS5 index's own records garbled. "SQL logic error" is
/// SQLite's message for an error that has no message of its own, which netgraph's statements
/// meet only when a virtual table cannot be loaded.
const DAMAGE_SIGNS: [&str; 12] = [
    "no such table",
    "no such column",
    "no such function",
    "no such tokenizer",
    "no such module",
    "unsupported file format",
    "parse error in",
    "unrecognized option",
    "invalid fts5 file format",
    "error in tokenizer constructor",
    "vtable constructor failed",
    "SQL logic error",
];

/// Turn SQLite's errors into the errors the CLI explains: the one place that does.
///
/// A value that does not convert (an unknown role, text where a number belongs, an id out of
/// range), a row that should be there and is not, a missing table or column, a garbled
/// schema ([`DAMAGE_SIGNS`]) or a broken constraint can only come from a damaged or
/// hand-edited file: they are reported as a damaged database (exit 4), with the remedy, never
/// as an internal error.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> Error {
    let path = path.to_path_buf();
    let damaged = |detail: String| Error::CorruptDatabase {
        path: path.clone(),
        message: format!(
            "the database is damaged ({detail}); restore a backup or re-import into a new --db"
        ),
    };
    let message = match &e {
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::QueryReturnedNoRows => return damaged(e.to_string()),
        rusqlite::Error::SqliteFailure(_, Some(message)) => Some(message),
        // What preparing a statement reports, pointing at the token (a column gone).
        rusqlite::Error::SqlInputError { msg, .. } => Some(msg),
        _ => None,
    };
    if let Some(message) = message.filter(|m| DAMAGE_SIGNS.iter().any(|s| m.starts_with(s))) {
        return damaged(message.clone());
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::CorruptDatabase {
            path,
            message: "not a SQLite database (file is encrypted or is not a database); check the --db path, restore a backup or re-import into a new --db".into(),
        },
        Some(ErrorCode::DatabaseCorrupt) => Error::CorruptDatabase {
            path,
            message: "the database file is corrupt (database disk image is malformed); restore a backup or re-import into a new --db".into(),
        },
        // netgraph's writes keep every constraint of a sound database.
        Some(ErrorCode::ConstraintViolation) => damaged(e.to_string()),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::DatabaseLocked { path },
        Some(ErrorCode::CannotOpen) => Error::CorruptDatabase { path, message: "cannot open the database file (missing folder or no permission); check the --db path and its permissions".into() },
        Some(ErrorCode::ReadOnly) => Error::ReadOnlyDatabase {
            path,
            reason: "this command writes to it".into(),
        },
        _ => Error::Sqlite(e),
    }
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
    fn new_databases_get_the_large_page_size_and_old_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let page_size = |store: &Store| store.pragma_i64("page_size").unwrap();
        let created = Store::open(&dir.path().join("new.db"), OpenMode::Create).unwrap();
        assert_eq!(page_size(&created), i64::from(NEW_PAGE_SIZE));
        let staged = Store::create_staging(&dir.path().join("staged.db")).unwrap();
        assert_eq!(page_size(&staged), i64::from(NEW_PAGE_SIZE));

        // A database made by an older netgraph, with SQLite's default pages, keeps them.
        let old = dir.path().join("old.db");
        let conn = Connection::open(&old).unwrap();
        conn.execute_batch("PRAGMA page_size = 4096").unwrap();
        conn.execute_batch(migrations::SCHEMA).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        drop(conn);
        let reopened = Store::open(&old, OpenMode::Existing).unwrap();
        assert_eq!(page_size(&reopened), 4096);
        assert_eq!(reopened.counts().unwrap().insights, 0);
    }

    #[test]
    fn a_bulk_load_sorts_its_indexes_through_files_and_gives_the_cache_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut staged = Store::create_staging(&dir.path().join("staged.db")).unwrap();
        // 1 = FILE: CREATE INDEX sorts in runs written to temporary files.
        assert_eq!(staged.pragma_i64("temp_store").unwrap(), 1);
        let mut tx = staged.begin_change().unwrap();
        tx.start_bulk().unwrap();
        tx.finish_bulk().unwrap();
        tx.commit().unwrap();
        // The small cache of the index sort is for the sort only.
        assert_eq!(staged.pragma_i64("cache_size").unwrap(), -STAGING_CACHE_KIB);
        let index: i64 = staged
            .read(|c| {
                c.query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE name = 'occurrences_by_insight'",
                    [],
                    |r| r.get(0),
                )
            })
            .unwrap();
        assert_eq!(index, 1);
    }

    #[test]
    fn a_version_1_database_gains_titles_layouts_and_theme_names() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "DROP TRIGGER titles_cascade; DROP TABLE titles; DROP TABLE layouts;
                 DROP TABLE theme_names; DROP TABLE deck_states; DROP TABLE theme_colours;
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        store.migrate(false).unwrap();
        assert_eq!(store.pragma_i64("user_version").unwrap(), SCHEMA_VERSION);
        assert!(store.titles().unwrap().is_empty());
        assert!(store.theme_names().unwrap().is_empty());
    }

    /// A version that does not describe the tables is damage, said in one line: SQLite's
    /// message without the migration's SQL it quotes (15 lines of schema once).
    #[test]
    fn a_version_that_does_not_fit_the_tables_is_damage_said_in_one_line() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch("PRAGMA user_version = 3;")
            .unwrap();
        let Err(Error::CorruptDatabase { message, .. }) = store.migrate(false) else {
            panic!("a damaged database");
        };
        assert!(message.contains("already exists"), "{message}");
        assert!(
            !message.contains("CREATE") && !message.contains('\n'),
            "{message}"
        );
    }

    #[test]
    fn a_version_3_database_gains_theme_names_and_keeps_its_titles() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "DROP TABLE theme_names; DROP TABLE deck_states; DROP TABLE theme_colours;
                 PRAGMA user_version = 3;
                 INSERT INTO titles (insight_id, manual) VALUES (1, 'Mine');",
            )
            .unwrap();
        store.migrate(false).unwrap();
        assert_eq!(store.pragma_i64("user_version").unwrap(), SCHEMA_VERSION);
        assert_eq!(store.titles().unwrap()[0].manual.as_deref(), Some("Mine"));
        store.set_theme_name(2, Some("Hiring")).unwrap();
        assert_eq!(store.theme_names().unwrap()[0].name, "Hiring");
        store.keep_deck_state(1, "{}").unwrap();
        assert!(store.previous_deck_state(2).unwrap().is_some());
        let colours = store.read(|c| {
            c.query_row("SELECT count(*) FROM theme_colours", [], |r| {
                r.get::<_, i64>(0)
            })
        });
        assert_eq!(colours.unwrap(), 0);
    }

    /// Regression (issue 12.6): `stats` once printed sources from before an import and edges
    /// from after it. Reads inside a snapshot see one state, whatever commits meanwhile.
    #[test]
    fn a_snapshot_sees_one_state_while_another_connection_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path, OpenMode::Create).unwrap();
        let count = |s: &Store| {
            s.read(|c| c.query_row("SELECT count(*) FROM insights", [], |r| r.get::<_, i64>(0)))
        };
        let seen = store
            .snapshot(|s| {
                let before = count(s)?;
                let writer = Connection::open(&path).unwrap();
                writer
                    .execute("INSERT INTO insights (key, text) VALUES ('k', 'K')", [])
                    .unwrap();
                Ok((before, count(s)?))
            })
            .unwrap();
        assert_eq!(
            seen,
            (0, 0),
            "the second read saw the other connection's commit"
        );
        assert_eq!(
            count(&store).unwrap(),
            1,
            "after the snapshot it is visible"
        );
    }

    #[test]
    fn migrate_twice_is_a_no_op() {
        let mut store = Store::open_in_memory().unwrap();
        let before = schema_of(store.conn());
        store.migrate(false).unwrap();
        store.migrate(false).unwrap();
        assert_eq!(before, schema_of(store.conn()));
    }

    #[test]
    fn civil_date_is_right() {
        assert_eq!(now_utc().len(), 20);
        assert!(now_utc().starts_with("20"));
    }
}

//! The library's error type and the exit codes the CLI maps it to.
//!
//! Every variant names the file, database or argument it is about, so the one place in `main`
//! that prints errors never has to add context of its own.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in netgraph, grouped by what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path named on the command line does not exist.
    #[error("{}: no such file or folder", .0.display())]
    MissingPath(PathBuf),

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Nothing importable was found under the given paths.
    #[error("{0}")]
    NothingToImport(String),

    /// The database file exists but is not a SQLite database, or is damaged.
    #[error("{}: {message}", path.display())]
    CorruptDatabase { path: PathBuf, message: String },

    /// A SQLite database that some other program made.
    #[error("{}: not a netgraph database ({detail}); use another --db path", path.display())]
    NotNetgraphDatabase { path: PathBuf, detail: String },

    /// The database was written by a newer netgraph.
    #[error(
        "{}: made by a newer netgraph (schema version {found}; this netgraph knows up to {known}); upgrade netgraph to use it",
        path.display()
    )]
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    /// The database cannot be written (no write permission on the file or its folder, or a
    /// read-only file system) and the command must write.
    #[error(
        "{}: the database is read-only and {reason}; make the file and its folder writable, or work on a copy",
        path.display()
    )]
    ReadOnlyDatabase { path: PathBuf, reason: String },

    /// Another process holds the write lock.
    #[error(
        "{}: the database is locked by another writer (an import still running?); try again when it has finished",
        path.display()
    )]
    DatabaseLocked { path: PathBuf },

    /// The database file does not exist (read-only commands never create one).
    #[error("{}: no database here yet; run `netgraph import PATH...` first (or pass --db)", .0.display())]
    NoDatabase(PathBuf),

    /// The database file does not exist, but a first import's staging file does: that
    /// import was interrupted (or is still running).
    #[error("{}: no database here yet: a first import into it did not finish (interrupted, or still running); run `netgraph import PATH...` again", .0.display())]
    UnfinishedImport(PathBuf),

    /// The graph has no insights to analyse or show.
    #[error("the database has no insights yet: run `netgraph import PATH...` first")]
    EmptyGraph,

    /// An insight, community or other named thing does not exist.
    #[error("{0}")]
    NotFound(String),

    /// A query matched more than one thing where one was needed.
    #[error("{0}")]
    Ambiguous(String),

    /// An argument value that parses but makes no sense (bad id, out-of-range number...).
    #[error("{0}")]
    InvalidInput(String),

    /// An external program (Graphviz) is missing or failed.
    #[error("{0}")]
    ExternalTool(String),

    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// The text of a file the user named (a thesaurus, a titles list): a missing file is
/// [`Error::MissingPath`], any other failure [`Error::Io`] naming it.
pub fn read_named_file(path: &std::path::Path) -> Result<String> {
    if !path.exists() {
        return Err(Error::MissingPath(path.to_path_buf()));
    }
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Process exit codes, the one list of them; documented in the README and `netgraph --help`.
pub mod exit_code {
    /// Everything worked.
    pub const OK: u8 = 0;
    /// An unexpected failure (I/O, internal database error).
    pub const FAILURE: u8 = 1;
    /// The command line was wrong (unknown flag, bad value).
    pub const USAGE: u8 = 2;
    /// Something named does not exist: a path, an insight, a community, the database, any data.
    pub const NOT_FOUND: u8 = 3;
    /// The database cannot be used: corrupt, not netgraph's, too new, or locked.
    pub const DATABASE: u8 = 4;
    /// An import finished, but some files were skipped (each is reported).
    pub const PARTIAL: u8 = 5;
    /// A required external program (Graphviz) is missing or failed.
    pub const EXTERNAL_TOOL: u8 = 6;
}

impl Error {
    /// The exit code a script sees for this error.
    pub fn exit_code(&self) -> u8 {
        use exit_code::*;
        match self {
            Error::MissingPath(_)
            | Error::NothingToImport(_)
            | Error::NoDatabase(_)
            | Error::UnfinishedImport(_)
            | Error::EmptyGraph
            | Error::NotFound(_) => NOT_FOUND,
            Error::CorruptDatabase { .. }
            | Error::NotNetgraphDatabase { .. }
            | Error::DatabaseTooNew { .. }
            | Error::ReadOnlyDatabase { .. }
            | Error::DatabaseLocked { .. } => DATABASE,
            Error::Ambiguous(_) | Error::InvalidInput(_) => USAGE,
            Error::ExternalTool(_) => EXTERNAL_TOOL,
            Error::Io { .. } | Error::Sqlite(_) => FAILURE,
        }
    }
}

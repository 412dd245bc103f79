//! How domain values cross the SQLite boundary. Each type is stored as its name, and a stored
//! name this build does not know is a conversion error that names the column and the value
//! (reported as a damaged database), never a silent default. Ids are in [`crate::ids`].

use crate::algo::centrality::Measure;
use crate::algo::community::Algorithm;
use crate::parse::Role;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::path::{Path, PathBuf};

/// A file path going into `sources.path`: a UTF-8 path as text, any other as its raw bytes (a
/// BLOB), so a name that is not UTF-8 is stored as it is, never changed into another name or
/// merged with one that differs only in its invalid bytes.
pub struct PathParam<'a>(pub &'a Path);

/// A file path read from `sources.path` (text or raw bytes, see [`PathParam`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredPath(pub PathBuf);

impl StoredPath {
    /// The path for people: invalid bytes shown as U+FFFD.
    pub fn lossy(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl ToSql for PathParam<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self.0.to_str() {
            Some(text) => Ok(ToSqlOutput::from(text)),
            None => Ok(ToSqlOutput::from(raw_bytes(self.0))),
        }
    }
}

impl FromSql for StoredPath {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(text) => std::str::from_utf8(text)
                .map(|t| StoredPath(PathBuf::from(t)))
                .map_err(|e| FromSqlError::Other(Box::new(e))),
            ValueRef::Blob(bytes) => Ok(StoredPath(from_raw_bytes(bytes))),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

#[cfg(unix)]
fn raw_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn raw_bytes(path: &Path) -> Vec<u8> {
    // Other platforms' file names are Unicode (or WTF-8 on Windows); keep them readable.
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn from_raw_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn from_raw_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// A stored name that no value of the type has.
#[derive(Debug)]
struct Unknown {
    column: &'static str,
    value: String,
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} holds an unknown value {:?}", self.column, self.value)
    }
}

impl std::error::Error for Unknown {}

fn decode<T>(
    value: ValueRef<'_>,
    column: &'static str,
    from_name: impl Fn(&str) -> Option<T>,
) -> FromSqlResult<T> {
    let name = value.as_str()?;
    from_name(name).ok_or_else(|| {
        FromSqlError::Other(Box::new(Unknown {
            column,
            value: name.to_string(),
        }))
    })
}

impl ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Role {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        decode(value, "occurrences.role", Role::from_name)
    }
}

impl ToSql for Measure {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Measure {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        decode(value, "analysis_runs.measure", Measure::from_name)
    }
}

impl ToSql for Algorithm {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Algorithm {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        decode(value, "analysis_runs.measure", Algorithm::from_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let role: Role = conn
            .query_row("SELECT ?1", [Role::Headline], |r| r.get(0))
            .unwrap();
        assert_eq!(role, Role::Headline);
        let measure: Measure = conn
            .query_row("SELECT ?1", [Measure::Eigenvector], |r| r.get(0))
            .unwrap();
        assert_eq!(measure, Measure::Eigenvector);
        let err = conn
            .query_row("SELECT 'footnote'", [], |r| r.get::<_, Role>(0))
            .unwrap_err();
        assert!(
            err.to_string().contains("occurrences.role") && err.to_string().contains("footnote"),
            "{err}"
        );
        let err = crate::store::classify(std::path::Path::new("x.db"), err);
        assert_eq!(err.exit_code(), crate::error::exit_code::DATABASE);
        assert!(conn
            .query_row("SELECT 'walktrap'", [], |r| r.get::<_, Algorithm>(0))
            .is_err());
    }
}

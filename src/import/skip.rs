//! Why a file was not imported. Each reason says what the user can do about it; the report
//! and its JSON carry the sentence, so scripts and people read the same words.

use crate::parse::{InputFormat, ParseError};
use std::fmt;

/// Why a file (or a path on the command line) was not imported.
#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    /// The path does not exist.
    Missing,
    /// A folder that could not be listed.
    UnreadableFolder(String),
    /// A symbolic link to nothing.
    BrokenLink,
    /// The file could not be read (permissions, I/O).
    Unreadable(String),
    /// Named on the command line but not a regular file or folder: a device, a pipe or a
    /// socket, which could be read without end (`/dev/zero`) or wait forever (a FIFO).
    NotAFile,
    /// Larger than `--max-file-size`.
    TooLarge { size: u64, limit: u64 },
    /// UTF-16 with a byte-order mark.
    Utf16,
    /// A NUL byte: not a text document.
    Binary { offset: usize },
    /// Bytes that are not UTF-8, first at this line and offset.
    InvalidUtf8 { line: usize, offset: usize },
    /// Nothing but white space.
    Empty,
    /// One line the format's parser could not read (the rest of the file was imported).
    BadLine(ParseError),
    /// Parsed, but no insight in it.
    NoInsights { format: InputFormat },
    /// One source would add more appears-with pairs than `--max-pairs`.
    TooManyPairs {
        /// The source's name inside its file ("" for a whole file).
        source: String,
        insights: usize,
        pairs: u64,
        limit: u64,
    },
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{bytes} bytes")
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Missing => write!(f, "no such file or folder"),
            SkipReason::UnreadableFolder(e) => write!(f, "cannot read folder: {e}"),
            SkipReason::BrokenLink => write!(f, "broken symbolic link"),
            SkipReason::Unreadable(e) => write!(f, "cannot read: {e}"),
            SkipReason::NotAFile => write!(
                f,
                "not a regular file (a device, pipe or socket); save the text to a file and import that"
            ),
            SkipReason::TooLarge { size, limit } => write!(
                f,
                "too large ({}; the limit is {}, raise it with --max-file-size)",
                human_size(*size),
                human_size(*limit)
            ),
            SkipReason::Utf16 => write!(
                f,
                "UTF-16 text (byte-order mark); convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)"
            ),
            SkipReason::Binary { offset } => write!(
                f,
                "binary file (NUL byte at offset {offset}), not a text document"
            ),
            SkipReason::InvalidUtf8 { line, offset } => write!(
                f,
                "not valid UTF-8 (line {line}, byte offset {offset}); convert it to UTF-8 first"
            ),
            SkipReason::Empty => write!(f, "empty file"),
            SkipReason::BadLine(error) => write!(f, "{error}"),
            SkipReason::NoInsights { format } => {
                write!(f, "no insights found (read as {})", format.as_str())
            }
            SkipReason::TooManyPairs {
                source,
                insights,
                pairs,
                limit,
            } => {
                let name = if source.is_empty() {
                    String::new()
                } else {
                    format!("source {source:?}: ")
                };
                write!(
                    f,
                    "{name}{insights} insights in one source would add {pairs} appears-with pairs, over the limit of {limit}; link only nearby insights with --window N (e.g. --window 5), or raise --max-pairs"
                )
            }
        }
    }
}

/// Serialized as the sentence a person reads.
impl serde::Serialize for SkipReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_sentences() {
        assert_eq!(
            SkipReason::TooLarge {
                size: 3 << 20,
                limit: 1 << 20
            }
            .to_string(),
            "too large (3.0 MiB; the limit is 1.0 MiB, raise it with --max-file-size)"
        );
        assert_eq!(
            serde_json::to_string(&SkipReason::Empty).unwrap(),
            "\"empty file\""
        );
    }
}

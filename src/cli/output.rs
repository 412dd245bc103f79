//! Output helpers shared by the subcommands: `--format table|json|csv`, aligned tables cut to
//! the terminal width, CSV quoting, and a closed pipe (`netgraph central | head`) as success.

use netgraph::error::{Error, Result};
use std::io::{self, IsTerminal, Write};

/// How data is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// JSON for programs.
    Json,
    /// CSV with a header row.
    Csv,
}

/// Write to stdout; a closed pipe ends output quietly.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let stdout = io::stdout();
    let mut lock = io::BufWriter::new(stdout.lock());
    let result = write(&mut lock).and_then(|_| lock.flush());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Io {
            path: "<stdout>".into(),
            source: e,
        }),
    }
}

/// Pretty JSON of any serializable value, with a final newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    to_stdout(|w| {
        serde_json::to_writer_pretty(&mut *w, value).map_err(io::Error::other)?;
        writeln!(w)
    })
}

/// A column of a table.
pub struct Column {
    pub header: &'static str,
    /// Numbers align right.
    pub numeric: bool,
}

impl Column {
    pub const fn text(header: &'static str) -> Column {
        Column {
            header,
            numeric: false,
        }
    }
    pub const fn number(header: &'static str) -> Column {
        Column {
            header,
            numeric: true,
        }
    }
}

/// Terminal width when stdout is a terminal.
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| w.0 as usize)
}

/// Cut `text` to at most `width` characters, marking the cut with an ellipsis.
pub fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Print rows as aligned columns; the last column is cut to the terminal width.
pub fn print_table(columns: &[Column], rows: &[Vec<String>]) -> Result<()> {
    let n = columns.len();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.header.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(n.saturating_sub(1)) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let used: usize = widths[..n.saturating_sub(1)].iter().map(|w| w + 2).sum();
    let last_width = terminal_width().map(|w| w.saturating_sub(used).max(20));
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == n {
                match last_width {
                    Some(w) => s.push_str(&cut(cell, w)),
                    None => s.push_str(cell),
                }
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if columns[i].numeric {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                }
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    to_stdout(|w| {
        writeln!(w, "{}", line(columns.iter().map(|c| c.header).collect()))?;
        for row in rows {
            writeln!(w, "{}", line(row.iter().map(String::as_str).collect()))?;
        }
        Ok(())
    })
}

/// Quote a CSV field when it needs it (RFC 4180).
pub fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Print rows as CSV with a header.
pub fn print_csv(columns: &[Column], rows: &[Vec<String>]) -> Result<()> {
    to_stdout(|w| {
        let header: Vec<String> = columns.iter().map(|c| csv_field(c.header)).collect();
        writeln!(w, "{}", header.join(","))?;
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
            writeln!(w, "{}", cells.join(","))?;
        }
        Ok(())
    })
}

/// Print a note on stderr unless quiet.
pub fn note(quiet: bool, message: impl std::fmt::Display) {
    if !quiet {
        eprintln!("{message}");
    }
}

/// The last step of every command: pass the exit code through.
pub fn finish(result: Result<i32>) -> Result<i32> {
    result
}

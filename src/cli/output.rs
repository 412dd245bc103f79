//! The one output path of every command: a command builds a report value (`Serialize`, for
//! JSON) that also describes itself as a [`Table`] (for CSV and, by default, for people), and
//! [`emit`] prints it in the format asked for. A closed pipe (`netgraph central | head`) ends
//! output quietly.

use netgraph::error::{Error, Result};
use serde::Serialize;
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

/// A column of a table.
#[derive(Debug, Clone, Copy)]
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

/// One cell. A score prints short for people (six decimals) and whole in CSV.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Score(f64),
}

impl Cell {
    fn for_people(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Score(x) => short_score(*x),
        }
    }

    fn for_csv(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Score(x) => x.to_string(),
        }
    }
}

/// A text cell of anything that displays.
pub fn cell(value: impl ToString) -> Cell {
    Cell::Text(value.to_string())
}

/// Rows under named columns.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[Column]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn with_rows(mut self, rows: impl IntoIterator<Item = Vec<Cell>>) -> Table {
        self.rows.extend(rows);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A command's result as programs (JSON, CSV) and people (tables, text) read it.
pub trait Report: Serialize {
    /// The rows CSV prints, and people see unless [`write_human`](Report::write_human) says
    /// otherwise.
    fn table(&self) -> Table;

    /// What people read; by default the table.
    fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        write_table(out, &self.table())
    }
}

/// Print `report` as `format` asks, on stdout.
pub fn emit(format: OutputFormat, report: &impl Report) -> Result<()> {
    to_stdout(|w| match format {
        OutputFormat::Json => {
            // `io::Error::from` keeps an I/O error's kind, so a closed pipe stays one.
            serde_json::to_writer_pretty(&mut *w, report).map_err(io::Error::from)?;
            writeln!(w)
        }
        OutputFormat::Csv => write_csv(w, &report.table()),
        OutputFormat::Table => report.write_human(w),
    })
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

/// Aligned columns with a header; the last column is cut to the terminal width.
pub fn write_table(w: &mut dyn Write, table: &Table) -> io::Result<()> {
    let columns = &table.columns;
    let n = columns.len();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(Cell::for_people).collect())
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.header.chars().count()).collect();
    for row in &rows {
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
                let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
                if columns[i].numeric {
                    s.push_str(&pad);
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    s.push_str(&pad);
                }
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    writeln!(w, "{}", line(columns.iter().map(|c| c.header).collect()))?;
    for row in &rows {
        writeln!(w, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// RFC 4180 CSV with a header row (the `csv` crate quotes a field only when it must).
fn write_csv(w: &mut dyn Write, table: &Table) -> io::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w);
    csv.write_record(table.columns.iter().map(|c| c.header))
        .map_err(csv_io)?;
    for row in &table.rows {
        csv.write_record(row.iter().map(Cell::for_csv))
            .map_err(csv_io)?;
    }
    csv.flush()
}

/// A CSV error as an I/O error that keeps its kind (csv's own conversion makes every error
/// `Other`, so a closed pipe would be reported as a failure).
fn csv_io(error: csv::Error) -> io::Error {
    if matches!(error.kind(), csv::ErrorKind::Io(_)) {
        if let csv::ErrorKind::Io(io) = error.into_kind() {
            return io;
        }
        unreachable!("the kind was just matched");
    }
    io::Error::other(error)
}

/// A score for people: whole numbers as such, others to six decimals or four significant
/// digits when smaller.
pub fn short_score(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 1e-4 {
        format!("{x:.6}")
    } else {
        format!("{x:.3e}")
    }
}

/// Print a note on stderr unless quiet.
pub fn note(quiet: bool, message: impl std::fmt::Display) {
    if !quiet {
        eprintln!("{message}");
    }
}

/// Say that results were computed but not kept (the database is read-only, or an import holds
/// it), so the next command computes them again.
pub fn note_unkept(quiet: bool, kept: bool) {
    if !kept {
        note(
            quiet,
            "netgraph: could not keep the results: the database is read-only or an import is writing it (they are computed again next time)",
        );
    }
}

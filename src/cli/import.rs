//! `netgraph import`: documents into the database.

use super::output::{cell, emit, note, Column, OutputFormat, Report, Table};
use super::{Context, Outcome};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use netgraph::error::Result;
use netgraph::import::{import_into, ImportConfig, ImportObserver, ImportReport, WalkOptions};
use netgraph::parse::InputFormat;
use netgraph::results::titles::{read_title_lines, set_manual_titles};
use netgraph::store::OpenMode;
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Import documents: files and folders (recursively) into the insight graph.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Formats (--format, default auto, picked per file; -v says which):
  riffon      podcast-insight pages: headline, 'Related Insights', one insight per line
  paragraphs  plain text: each block of non-blank lines is one insight
  markdown    notes: list items and paragraphs are insights, headings are context
  lines       every non-empty line is one insight
  jsonl       one {\"source\": ..., \"text\": ...} object per line (highlight exports)
--format table|json chooses how the summary is printed; give --format twice for both.

Which files under a folder are read:
  --format auto      files ending .txt .text .md .markdown .mdown .mkd .jsonl .ndjson; the
                     summary counts the others ('left out for their extension')
  --format FORMAT    every file, whatever its name (binary ones are skipped with a reason)
  --include GLOB     only the files GLOB matches, whatever their extension (format: by extension,
                     then by content under auto)
  --exclude GLOB     not the files or folders GLOB matches; wins over --include
Globs use .gitignore syntax, relative to the folder named on the command line: '*.text' matches
at any depth, 'drafts/**' only that folder's drafts. .gitignore, .ignore and .git/info/exclude
files are honoured as git does, in a git repository or not (--no-ignore: not at all). Hidden
files and folders are always left out. A file named on the command line is always read.

Re-importing is incremental: unchanged files are skipped, changed files replace what they
added before. Everything is written in one transaction.

Examples:
  netgraph import seeds/
  netgraph import notes/ --format markdown --window 5
  netgraph import exports/highlights.jsonl --format json
  netgraph import ~/insights --prune
  netgraph import notes/ --thesaurus thesaurus.tsv
  netgraph import /usr/share/doc --format paragraphs --include copyright
  netgraph import notes/ --include '*.text' --include '*.md' --exclude 'drafts/**'")]
pub struct Args {
    /// Files or folders to import (folders are walked: see below for which files are read).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Input format (auto|riffon|paragraphs|markdown|lines|jsonl) and/or summary format (table|json).
    #[arg(long = "format", value_name = "FORMAT", value_parser = parse_format, action = clap::ArgAction::Append)]
    formats: Vec<FormatChoice>,

    /// Only insights within N positions of each other in a source appear together (0 = no window;
    /// default: keep the database's setting).
    #[arg(long, value_name = "N")]
    window: Option<u32>,

    /// Remove sources whose files are gone, and insights no source holds any more.
    #[arg(long)]
    prune: bool,

    /// Skip files larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    max_file_size: u64,

    /// Merge/ignore list: a TSV of `label<TAB>replace by` lines (empty replacement = ignore),
    /// applied to the files read in this import.
    #[arg(long, value_name = "FILE")]
    thesaurus: Option<PathBuf>,

    /// Skip a source that would add more appears-with pairs than this (k insights in one
    /// source add k(k-1)/2 pairs; with --window N at most k·N).
    #[arg(long, value_name = "N", default_value_t = netgraph::import::DEFAULT_MAX_PAIRS)]
    max_pairs: u64,

    /// Under folders, read only the files this glob matches, whatever their extension
    /// (.gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB", action = clap::ArgAction::Append)]
    include: Vec<String>,

    /// Under folders, leave out the files and folders this glob matches (.gitignore syntax;
    /// repeatable; wins over --include).
    #[arg(long, value_name = "GLOB", action = clap::ArgAction::Append)]
    exclude: Vec<String>,

    /// Do not honour .gitignore, .ignore and .git/info/exclude files.
    #[arg(long)]
    no_ignore: bool,

    /// Titles of your own: a TSV of `insight<TAB>title` lines (an id or the insight's text),
    /// set after the import; a line naming no insight is reported and skipped.
    #[arg(long, value_name = "FILE")]
    titles: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy)]
enum FormatChoice {
    Input(InputFormat),
    Json,
    Table,
}

fn parse_format(s: &str) -> std::result::Result<FormatChoice, String> {
    match s {
        "json" => Ok(FormatChoice::Json),
        "table" => Ok(FormatChoice::Table),
        _ => InputFormat::from_name(s).map(FormatChoice::Input).ok_or_else(|| {
            "expected an input format (auto, riffon, paragraphs, markdown, lines, jsonl) or a summary format (table, json)".to_string()
        }),
    }
}

/// Progress bar on stderr (hidden when stderr is not a terminal) and verbose notes.
struct Progress {
    bar: ProgressBar,
    verbose: bool,
    notes: Mutex<Vec<String>>,
    /// The current phase and when it started, for `-v` timings.
    phase: Mutex<(String, std::time::Instant)>,
}

impl Progress {
    /// A bar on stderr, hidden with --quiet.
    fn new(ctx: &Context) -> Progress {
        let target = if ctx.quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg:10} [{bar:30}] {pos}/{len} files ({per_sec}, {eta})",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Progress {
            bar,
            verbose: ctx.verbose,
            notes: Mutex::new(Vec::new()),
            phase: Mutex::new((String::new(), std::time::Instant::now())),
        }
    }

    /// Clear the bar and print the verbose notes gathered while it ran.
    fn finish(self, quiet: bool) {
        self.end_phase("");
        self.bar.finish_and_clear();
        let mut notes = self.notes.into_inner().unwrap_or_default();
        notes.sort();
        for line in notes {
            note(quiet, line);
        }
    }

    fn end_phase(&self, next: &str) {
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        if self.verbose && !phase.0.is_empty() {
            self.bar
                .suspend(|| eprintln!("netgraph: {} took {:.2?}", phase.0, phase.1.elapsed()));
        }
        *phase = (next.to_string(), std::time::Instant::now());
    }
}

impl ImportObserver for Progress {
    fn files_found(&self, count: usize) {
        self.bar.set_length(count as u64);
    }
    fn files_done(&self, count: usize) {
        self.bar.inc(count as u64);
    }
    fn phase(&self, name: &str) {
        self.end_phase(name);
        self.bar.set_message(name.to_string());
    }
    fn format_picked(&self, path: &Path, format: InputFormat, reason: &str) {
        if self.verbose {
            self.notes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(format!(
                    "{}: read as {} ({reason})",
                    path.display(),
                    format.as_str()
                ));
        }
    }
}

impl Args {
    /// The input format and whether the summary is JSON: `--format` names either.
    fn formats(&self) -> (InputFormat, OutputFormat) {
        let mut input = InputFormat::Auto;
        let mut output = OutputFormat::Table;
        for choice in &self.formats {
            match choice {
                FormatChoice::Input(f) => input = *f,
                FormatChoice::Json => output = OutputFormat::Json,
                FormatChoice::Table => output = OutputFormat::Table,
            }
        }
        (input, output)
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome> {
    let (format, output) = args.formats();
    let config = ImportConfig {
        format,
        window: args.window,
        prune: args.prune,
        max_file_size: args.max_file_size.saturating_mul(1 << 20),
        thesaurus: args
            .thesaurus
            .as_deref()
            .map(netgraph::dedupe::thesaurus::Thesaurus::load)
            .transpose()?,
        max_pairs: args.max_pairs,
        walk: WalkOptions::new(args.include, args.exclude, !args.no_ignore)?,
    };
    // A bad titles file is reported before the import, not after it.
    let title_lines = args.titles.as_deref().map(read_title_lines).transpose()?;
    let progress = Progress::new(ctx);
    let report = import_into(&ctx.db, &args.paths, &config, &progress);
    progress.finish(ctx.quiet);
    let report = report?;
    let mut title_problems = Vec::new();
    if let Some(lines) = &title_lines {
        let mut store = ctx.open(OpenMode::Existing)?;
        title_problems = set_manual_titles(&mut store, lines)?;
        for (line, reason) in &title_problems {
            eprintln!("netgraph: skipped titles line {line}: {reason}");
        }
    }
    for skipped in &report.files_skipped {
        eprintln!(
            "netgraph: skipped {}: {}",
            skipped.path.display(),
            skipped.reason
        );
    }
    for warning in &report.warnings {
        eprintln!("netgraph: warning: {warning}");
    }
    emit(output, &Summary(&report))?;
    Ok(
        if report.files_skipped.is_empty() && title_problems.is_empty() {
            Outcome::Done
        } else {
            Outcome::Partial
        },
    )
}

/// What an import did, for people or (`--format json`) programs.
#[derive(Serialize)]
#[serde(transparent)]
struct Summary<'a>(&'a ImportReport);

/// The entries of `files_skipped` that are whole files (or sources), not single lines of a
/// file whose other lines were imported: the summary counts the two apart.
fn whole_files_skipped(r: &ImportReport) -> usize {
    r.files_skipped.iter().filter(|s| s.line.is_none()).count()
}

impl Report for Summary<'_> {
    fn table(&self) -> Table {
        let r = self.0;
        Table::new(&[Column::text("key"), Column::number("value")]).with_rows(
            [
                ("files_found", r.files_found as i64),
                ("files_imported", r.files_imported as i64),
                ("files_skipped", whole_files_skipped(r) as i64),
                (
                    "lines_skipped",
                    (r.files_skipped.len() - whole_files_skipped(r)) as i64,
                ),
                ("insights", r.insights),
                ("edges", r.edges),
            ]
            .into_iter()
            .map(|(k, v)| vec![cell(k), cell(v)]),
        )
    }

    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        let r = self.0;
        let ignored = if r.files_ignored > 0 {
            format!(
                "; {} left out for their extension (read them with --format FORMAT or --include GLOB)",
                r.files_ignored
            )
        } else {
            String::new()
        };
        let whole = whole_files_skipped(r);
        let lines = match r.files_skipped.len() - whole {
            0 => String::new(),
            1 => "; 1 bad line left out of a file otherwise imported".to_string(),
            n => format!("; {n} bad lines left out of files otherwise imported"),
        };
        writeln!(
            w,
            "files:    {} found, {} imported, {} unchanged, {whole} skipped{lines}{ignored}",
            r.files_found, r.files_imported, r.files_unchanged,
        )?;
        writeln!(
            w,
            "sources:  {} added, {} replaced, {} pruned",
            r.sources_added, r.sources_replaced, r.sources_pruned
        )?;
        let removed = if r.insights_removed > 0 {
            format!(", {} removed", r.insights_removed)
        } else {
            String::new()
        };
        writeln!(
            w,
            "insights: {} new, {} already known ({} occurrences){removed}; {} in the database",
            r.insights_new, r.insights_known, r.occurrences, r.insights
        )?;
        writeln!(
            w,
            "edges:    {} appears-with, total weight {} ({}{})",
            r.edges,
            r.total_weight,
            r.edges_mode,
            r.window.map_or(String::new(), |w| format!(", window {w}"))
        )
    }
}

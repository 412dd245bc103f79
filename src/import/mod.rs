//! `import`: files -> parse -> store, transactionally and incrementally.
//!
//! 1. Walk the paths (walk.rs). 2. In batches, read, hash and parse files in parallel; a file
//!    whose size and mtime match what is stored is not even read, one whose hash matches is not
//!    parsed. 3. One writer stores each changed file's sources, insights and occurrences in a
//!    single transaction. 4. The appears-with edges follow: a full rebuild (sorted pair counts,
//!    ordered bulk insert) when the database was empty, the window changed or much changed;
//!    otherwise the changed sources' old pair contributions are taken back and the new ones added.
//!
//! Memory is bounded by one batch of files plus the insight-key map plus, on a rebuild, 8 bytes
//! per pair contribution.

mod skip;
mod walk;

use crate::cooccurrence::{self, EdgeCounter, SourceSequence, Window};
use crate::error::{Error, Result};
use crate::parse::{detect_format, normalize::InsightKey, InputFormat, ParseError, ParsedSource};
use crate::store::change::{ChangeTx, NewFile, StoredCounts};
use crate::store::sources::KnownFile;
use crate::store::Store;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use skip::SkipReason;
pub use walk::{walk, Walk, WalkOptions};

/// Files per parallel read/parse batch: large enough to keep both cores busy, small enough
/// that a batch's text stays a few MB.
const BATCH: usize = 512;

/// A source alone adding more pairs than this gets a warning (see `--window`).
pub const PAIR_WARNING: u64 = 1_000_000;

/// A source alone adding more pairs than this is skipped unless `--max-pairs` allows it: a
/// list of 10,000 quotes read as one source would add 50 million pairs (4 GB while counting).
pub const DEFAULT_MAX_PAIRS: u64 = 5_000_000;

/// Above this share of changed sources, rebuilding all edges is cheaper than a delta.
const REBUILD_SHARE: f64 = 0.25;

/// How an import reads and links documents.
#[derive(Debug, Clone)]
pub struct ImportConfig {
    /// Input format, or `Auto` to pick per file.
    pub format: InputFormat,
    /// Co-occurrence window; `None` keeps the database's setting, `Some(0)` removes it.
    pub window: Option<u32>,
    /// Remove sources whose files are gone.
    pub prune: bool,
    /// Larger files are skipped.
    pub max_file_size: u64,
    /// The user's merge/ignore list, applied to every file parsed.
    pub thesaurus: Option<crate::dedupe::thesaurus::Thesaurus>,
    /// A source adding more appears-with pairs than this is skipped (with its reason);
    /// default [`DEFAULT_MAX_PAIRS`].
    pub max_pairs: u64,
    /// Which files under the folders are documents: globs and ignore files (see [`walk`]).
    pub walk: WalkOptions,
}

impl Default for ImportConfig {
    fn default() -> Self {
        ImportConfig {
            format: InputFormat::Auto,
            window: None,
            prune: false,
            max_file_size: 64 << 20,
            thesaurus: None,
            max_pairs: DEFAULT_MAX_PAIRS,
            walk: WalkOptions::default(),
        }
    }
}

/// Progress and verbose notes from an import; the library never prints.
pub trait ImportObserver: Sync {
    fn files_found(&self, _count: usize) {}
    fn files_done(&self, _count: usize) {}
    fn phase(&self, _name: &str) {}
    fn format_picked(&self, _path: &Path, _format: InputFormat, _reason: &str) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl ImportObserver for Silent {}

/// A file, or one line of a file, that was not imported, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    /// The 1-based line left out of a file whose other lines were imported (a bad JSONL
    /// record); absent when the whole file was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub reason: SkipReason,
}

/// How an import brought the appears-with edges up to date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgesMode {
    /// Nothing changed.
    #[default]
    Unchanged,
    /// The changed sources' contributions were taken back and added ([`cooccurrence::delta`]).
    Updated,
    /// Every edge was counted again ([`EdgeCounter`]).
    Rebuilt,
}

impl std::fmt::Display for EdgesMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EdgesMode::Unchanged => "unchanged",
            EdgesMode::Updated => "updated",
            EdgesMode::Rebuilt => "rebuilt",
        })
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Files found under the given paths.
    pub files_found: usize,
    /// New or changed files stored.
    pub files_imported: usize,
    pub files_unchanged: usize,
    pub files_skipped: Vec<Skipped>,
    /// Files under folders left out for their extension (`--format auto` without `--include`);
    /// `--format FORMAT` or `--include GLOB` takes them.
    pub files_ignored: usize,
    pub sources_added: usize,
    pub sources_replaced: usize,
    pub sources_pruned: usize,
    pub occurrences: usize,
    pub insights_new: usize,
    pub insights_known: usize,
    pub insights_removed: usize,
    pub edges_mode: EdgesMode,
    pub edges: i64,
    pub total_weight: i64,
    pub insights: i64,
    pub window: Option<u32>,
    pub warnings: Vec<String>,
}

/// The outcome of reading one file.
enum FileOutcome {
    Unchanged,
    Touched {
        mtime_ns: i64,
    },
    /// Not imported: why, and the lines its parser could not read.
    Skipped(SkipReason, Vec<ParseError>),
    Parsed(ParsedFile),
}

struct ParsedFile {
    format: InputFormat,
    /// Lines the parser left out.
    skipped_lines: Vec<ParseError>,
    /// Sources left out for adding too many pairs.
    skipped_sources: Vec<SkipReason>,
    hash: String,
    size: u64,
    mtime_ns: i64,
    sources: Vec<ParsedSource>,
    keys: Vec<Vec<InsightKey>>,
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// Read, check and parse one file.
fn read_file(
    path: &Path,
    known: Option<&KnownFile>,
    config: &ImportConfig,
    window: Window,
    observer: &dyn ImportObserver,
) -> FileOutcome {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return skipped(SkipReason::Unreadable(e.to_string())),
    };
    let size = meta.len();
    let mtime = mtime_ns(&meta);
    if let Some(k) = known {
        if k.size == size && k.mtime_ns == mtime {
            return FileOutcome::Unchanged;
        }
    }
    if size > config.max_file_size {
        return skipped(SkipReason::TooLarge {
            size,
            limit: config.max_file_size,
        });
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return skipped(SkipReason::Unreadable(e.to_string())),
    };
    let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes));
    if let Some(k) = known {
        if k.content_hash == hash {
            return FileOutcome::Touched { mtime_ns: mtime };
        }
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return skipped(SkipReason::Utf16);
    }
    if let Some(at) = memchr_nul(&bytes) {
        return skipped(SkipReason::Binary { offset: at });
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return skipped(SkipReason::InvalidUtf8 { line, offset: at });
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return skipped(SkipReason::Empty);
    }
    let format = match config.format {
        InputFormat::Auto => {
            let ext = path.extension().and_then(|e| e.to_str());
            let (format, reason) = detect_format(ext, text);
            observer.format_picked(path, format, reason);
            format
        }
        forced => forced,
    };
    let parsed = format.parser().parse(text);
    let mut sources = parsed.sources;
    if let Some(thesaurus) = &config.thesaurus {
        thesaurus.apply(&mut sources);
    }
    let sources: Vec<ParsedSource> = sources
        .into_iter()
        .filter(|s| !s.insights.is_empty())
        .collect();
    if sources.is_empty() {
        return FileOutcome::Skipped(SkipReason::NoInsights { format }, parsed.skipped);
    }
    let keys: Vec<Vec<InsightKey>> = sources
        .iter()
        .map(|s| s.insights.iter().map(|i| InsightKey::of(&i.text)).collect())
        .collect();
    // Refused here, before any pair is counted: a source over --max-pairs would take memory
    // and time in proportion to its pairs, not to its text.
    let mut skipped_sources = Vec::new();
    let (sources, keys): (Vec<ParsedSource>, Vec<Vec<InsightKey>>) = sources
        .into_iter()
        .zip(keys)
        .filter(|(source, keys)| {
            let pairs = source_pairs_bound(keys, window);
            if pairs <= config.max_pairs {
                return true;
            }
            skipped_sources.push(SkipReason::TooManyPairs {
                source: source.name.clone(),
                insights: keys.len(),
                pairs,
                limit: config.max_pairs,
            });
            false
        })
        .unzip();
    if sources.is_empty() {
        let reason = skipped_sources.pop().expect("every source was refused");
        return FileOutcome::Skipped(reason, parsed.skipped);
    }
    FileOutcome::Parsed(ParsedFile {
        format,
        skipped_lines: parsed.skipped,
        skipped_sources,
        hash,
        size,
        mtime_ns: mtime,
        sources,
        keys,
    })
}

/// The appears-with pairs one source adds at most: k(k-1)/2 for its k distinct insights, or
/// k·w with a window w. Distinct insights are counted only when the bound on all of them is
/// over [`PAIR_WARNING`].
fn source_pairs_bound(keys: &[InsightKey], window: Window) -> u64 {
    let k = keys.len() as u64;
    if let Some(w) = window {
        return k.saturating_mul(u64::from(w));
    }
    if cooccurrence::clique_pairs(keys.len()) <= PAIR_WARNING {
        return cooccurrence::clique_pairs(keys.len());
    }
    let distinct: std::collections::HashSet<u128> = keys.iter().map(|k| k.hash).collect();
    cooccurrence::clique_pairs(distinct.len())
}

fn skipped(reason: SkipReason) -> FileOutcome {
    FileOutcome::Skipped(reason, Vec::new())
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// Store what reading one file gave: count it, skip it, or replace its sources.
#[allow(clippy::too_many_arguments)]
fn store_outcome(
    tx: &mut ChangeTx<'_>,
    path: &Path,
    outcome: FileOutcome,
    known: &HashMap<PathBuf, KnownFile>,
    window: Window,
    report: &mut ImportReport,
    removed_sequences: &mut Vec<SourceSequence>,
    added_sequences: &mut Vec<SourceSequence>,
    spent: &mut Vec<ParsedFile>,
) -> Result<()> {
    match outcome {
        FileOutcome::Unchanged => report.files_unchanged += 1,
        FileOutcome::Touched { mtime_ns } => {
            tx.touch_file(path, mtime_ns)?;
            report.files_unchanged += 1;
        }
        FileOutcome::Skipped(reason, lines) => {
            report_lines(report, path, lines);
            report.files_skipped.push(Skipped {
                path: path.to_path_buf(),
                line: None,
                reason,
            });
        }
        FileOutcome::Parsed(mut file) => {
            report_lines(report, path, std::mem::take(&mut file.skipped_lines));
            report
                .files_skipped
                .extend(
                    std::mem::take(&mut file.skipped_sources)
                        .into_iter()
                        .map(|reason| Skipped {
                            path: path.to_path_buf(),
                            line: None,
                            reason,
                        }),
                );
            if let Some(old) = known.get(path) {
                removed_sequences.extend(tx.remove_sources(&old.source_ids)?);
                report.sources_replaced += old.source_ids.len();
            }
            for (source, keys) in file.sources.iter().zip(&file.keys) {
                // Counting distinct insights needs a set; only sources that could be large do.
                if window.is_some() || cooccurrence::clique_pairs(keys.len()) <= PAIR_WARNING {
                    continue;
                }
                let distinct = keys
                    .iter()
                    .map(|k| k.hash)
                    .collect::<std::collections::HashSet<_>>()
                    .len();
                if cooccurrence::clique_pairs(distinct) > PAIR_WARNING {
                    report.warnings.push(format!(
                        "{}{}: {} insights in one source add {} appears-with pairs; consider --window N",
                        path.display(),
                        if source.name.is_empty() { String::new() } else { format!(" [{}]", source.name) },
                        distinct,
                        cooccurrence::clique_pairs(distinct)
                    ));
                }
            }
            let (sequences, counts): (Vec<SourceSequence>, StoredCounts) =
                tx.add_file(&NewFile {
                    path,
                    format: file.format.as_str(),
                    content_hash: &file.hash,
                    size: file.size,
                    mtime_ns: file.mtime_ns,
                    sources: &file.sources,
                    keys: &file.keys,
                })?;
            added_sequences.extend(sequences);
            report.files_imported += 1;
            report.sources_added += counts.sources;
            report.occurrences += counts.occurrences;
            report.insights_new += counts.new_insights;
            report.insights_known += counts.known_insights;
            spent.push(file);
        }
    }
    Ok(())
}

/// Free `value` on a worker thread. Tearing down millions of small allocations (the walked
/// paths, the known files, the sources' sequences) took half a second at the end of an
/// unchanged re-import of 1M files, on the thread everything else waits for; nothing needs it
/// done before the import returns.
fn free_in_background<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// Report each line a parser left out of `path`.
fn report_lines(report: &mut ImportReport, path: &Path, lines: Vec<ParseError>) {
    report
        .files_skipped
        .extend(lines.into_iter().map(|problem| Skipped {
            path: path.to_path_buf(),
            line: Some(problem.line),
            reason: SkipReason::BadLine(problem),
        }));
}

/// Import `paths` into the database at `db`, creating it if needed.
///
/// A new database is built in a staging file next to `db` and moved into place when the
/// import succeeded, so a failed or interrupted first import leaves no database at all (and the
/// bulk load skips the journal). An existing database is updated in one transaction.
pub fn import_into(
    db: &Path,
    paths: &[PathBuf],
    config: &ImportConfig,
    observer: &dyn ImportObserver,
) -> Result<ImportReport> {
    // A path that cannot hold the database fails now, not after the whole import.
    crate::store::check_path(db)?;
    if db.exists() {
        let mut store = Store::open(db, crate::store::OpenMode::Create)?;
        return import(&mut store, paths, config, observer);
    }
    let staging = crate::store::staging_path(db);
    // Held from the first byte of staging to the rename: a second first import into the same
    // database is told it is locked (exit 4) instead of deleting this one's staging file, and
    // an import that waited finds the published database below and updates it.
    let _lock = StagingLock::take(&staging, db)?;
    if db.exists() {
        let _ = std::fs::remove_file(&staging);
        let mut store = Store::open(db, crate::store::OpenMode::Create)?;
        return import(&mut store, paths, config, observer);
    }
    let mut store = Store::create_staging(&staging)?;
    match import(&mut store, paths, config, observer) {
        Ok(report) => {
            store.publish(db)?;
            Ok(report)
        }
        Err(e) => {
            drop(store);
            let _ = std::fs::remove_file(&staging);
            Err(e)
        }
    }
}

/// An exclusive advisory lock (`flock`) on a first import's staging file, created empty if it
/// is not there. A stale staging file left by a killed import is not locked by anyone, so it
/// is simply taken over.
struct StagingLock {
    _file: std::fs::File,
}

impl StagingLock {
    fn take(staging: &Path, db: &Path) -> Result<StagingLock> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(staging)
            .map_err(|source| Error::Io {
                path: staging.to_path_buf(),
                source,
            })?;
        #[cfg(unix)]
        {
            use rustix::fs::{flock, FlockOperation};
            if flock(&file, FlockOperation::NonBlockingLockExclusive).is_err() {
                return Err(Error::DatabaseLocked {
                    path: db.to_path_buf(),
                });
            }
        }
        // Whatever a killed import left is not worth keeping: start from an empty file.
        file.set_len(0).map_err(|source| Error::Io {
            path: staging.to_path_buf(),
            source,
        })?;
        Ok(StagingLock { _file: file })
    }
}

/// Import `paths` into `store`.
///
/// Errors only when nothing could be imported at all (every path missing, no documents) or the
/// database fails; per-file problems are reported in [`ImportReport::files_skipped`].
pub fn import(
    store: &mut Store,
    paths: &[PathBuf],
    config: &ImportConfig,
    observer: &dyn ImportObserver,
) -> Result<ImportReport> {
    observer.phase("scanning");
    // The walk reads folders and the store reads the sources table: neither waits for the
    // other, so they run side by side (each about 90 ms at 100,000 files).
    let (walked, known) = std::thread::scope(|scope| {
        let walking = scope.spawn(|| walk(paths, config.format, &config.walk));
        let known = store.known_files();
        let walked = walking
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (walked, known)
    });
    let Walk {
        files,
        problems,
        ignored,
        warnings,
    } = walked;
    let mut report = ImportReport {
        files_found: files.len(),
        files_ignored: ignored,
        warnings,
        ..Default::default()
    };
    if files.is_empty() && !config.prune {
        if let Some((path, reason)) = problems.first() {
            if problems.len() == paths.len() && *reason == SkipReason::Missing {
                return Err(Error::MissingPath(path.clone()));
            }
        }
        return Err(Error::NothingToImport(walk::nothing_found(
            paths,
            config.format,
            &config.walk,
            ignored,
            problems.first().map(|(_, reason)| reason),
        )));
    }
    report
        .files_skipped
        .extend(problems.into_iter().map(|(path, reason)| Skipped {
            path,
            line: None,
            reason,
        }));
    observer.files_found(files.len());

    let known = known?;
    let old_window = store.window()?;
    let window = match config.window {
        None => old_window,
        Some(0) => None,
        Some(w) => Some(w),
    };
    report.window = window;
    let mut tx = store.begin_change()?;
    let total_sources_before = tx.source_count()? as usize;
    if total_sources_before == 0 {
        tx.start_bulk()?;
    }
    // Pair contributions of changed sources: taken back (old) and added (new), for a delta.
    let mut removed_sequences: Vec<SourceSequence> = Vec::new();
    let mut added_sequences: Vec<SourceSequence> = Vec::new();

    observer.phase("reading");
    // Reading and parsing (parallel, on a producer thread) overlaps with storing (this thread):
    // while one batch is written, the next is parsed. The channel holds at most two parsed
    // batches, which bounds memory.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<FileOutcome>>(2);
    let stored: Result<()> = std::thread::scope(|scope| {
        let known = &known;
        let files = &files;
        scope.spawn(move || {
            for batch in files.chunks(BATCH) {
                let outcomes: Vec<FileOutcome> = batch
                    .par_iter()
                    .map(|path| read_file(path, known.get(path), config, window, observer))
                    .collect();
                if sender.send(outcomes).is_err() {
                    break; // the writer failed and stopped listening
                }
            }
        });
        let result = (|| -> Result<()> {
            for (batch, outcomes) in files.chunks(BATCH).zip(receiver.iter()) {
                let mut spent = Vec::with_capacity(outcomes.len());
                for (path, outcome) in batch.iter().zip(outcomes) {
                    store_outcome(
                        &mut tx,
                        path,
                        outcome,
                        known,
                        window,
                        &mut report,
                        &mut removed_sequences,
                        &mut added_sequences,
                        &mut spent,
                    )?;
                }
                // This thread is the one that waits (every write goes through it); freeing a
                // batch's parsed texts and keys (two allocations per insight, made by the
                // parsing threads) is left to those threads.
                free_in_background(spent);
                tx.flush_pending()?;
                observer.files_done(batch.len());
            }
            Ok(())
        })();
        drop(receiver);
        result
    });
    stored?;
    let mut changed = report.files_imported > 0;
    report.sources_added -= report.sources_replaced.min(report.sources_added);

    if config.prune {
        observer.phase("pruning");
        // Only a file known to be gone is pruned: one that cannot be looked at (a folder
        // without read or search permission, an I/O error) is kept, since `exists()` would
        // call it gone and prune what the walk just reported as unreadable.
        let gone: Vec<crate::ids::SourceId> = known
            .iter()
            .filter(|(path, _)| matches!(path.try_exists(), Ok(false)))
            .flat_map(|(_, k)| k.source_ids.iter().copied())
            .collect();
        if !gone.is_empty() {
            report.sources_pruned = gone.len();
            removed_sequences.extend(tx.remove_sources(&gone)?);
            changed = true;
        }
    }
    free_in_background((files, known));
    if !removed_sequences.is_empty() {
        report.insights_removed = tx.delete_orphan_insights()?;
    }

    let window_changed = window != old_window;
    if changed || window_changed {
        let total_sources = tx.source_count()? as usize;
        let touched = removed_sequences.len() + added_sequences.len();
        let bulk = total_sources_before == 0;
        let rebuild =
            bulk || window_changed || touched as f64 >= REBUILD_SHARE * total_sources.max(1) as f64;
        if rebuild {
            let counts = if bulk {
                // Into an empty database, the sequences just stored are every source there
                // is: they are counted on another thread while this one builds the indexes,
                // which do not depend on the edges.
                observer.phase("indexing");
                let (counts, indexed) = std::thread::scope(|scope| {
                    let counting = scope.spawn(|| EdgeCounter::count(&added_sequences, window));
                    let indexed = tx
                        .finish_bulk()
                        .and_then(|()| tx.refresh_search_index(true));
                    let counts = counting
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (counts, indexed)
                });
                indexed?;
                counts
            } else {
                let mut counter = EdgeCounter::new(window);
                tx.for_each_sequence(|seq| counter.add(seq))?;
                counter.finish()
            };
            observer.phase("linking");
            let version = tx.bump_graph_version()?;
            tx.write_all_edges(&counts, version)?;
            if !bulk {
                tx.refresh_search_index(false)?;
            }
            report.edges_mode = EdgesMode::Rebuilt;
        } else {
            observer.phase("linking");
            tx.apply_edge_delta(&cooccurrence::delta(
                &removed_sequences,
                &added_sequences,
                window,
            ))?;
            tx.refresh_search_index(false)?;
            tx.bump_graph_version()?;
            report.edges_mode = EdgesMode::Updated;
        }
        tx.set_window(window)?;
        if window_changed && total_sources_before > 0 {
            report.warnings.push(format!(
                "co-occurrence window changed from {} to {}: all appears-with edges were recomputed",
                old_window.map_or("none".to_string(), |w| w.to_string()),
                window.map_or("none".to_string(), |w| w.to_string())
            ));
        }
    }
    if tx.is_bulk() {
        observer.phase("indexing");
        tx.finish_bulk()?;
    }
    free_in_background((removed_sequences, added_sequences));
    observer.phase("committing");
    let totals = tx.edge_totals()?;
    report.edges = totals.edges;
    report.total_weight = totals.total_weight;
    report.insights = tx.insight_count()?;
    tx.commit()?;
    Ok(report)
}

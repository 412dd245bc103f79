//! One transaction that changes the graph (an import, a prune, a merge), inside one
//! `BEGIN IMMEDIATE`: a crash, kill or Ctrl-C before `commit` leaves the database exactly as
//! it was. Statements are prepared once and cached; bulk loads into an empty database drop the
//! secondary indexes first and build them once at the end.
//!
//! Edges are written as [`crate::cooccurrence`] computes them (whole counts or deltas); this
//! file does no edge arithmetic of its own.

use super::codec::PathParam;
use super::edges::{insight_ids, write_snapshot, IdIndex};
use super::meta::{self, EdgeTotals};
use super::rows::insert_rows;
use super::{classify, now_utc, Store};
use crate::cooccurrence::{Edge, EdgeCounts, EdgeDelta, SourceSequence, Window};
use crate::error::Result;
use crate::graph::CsrArrays;
use crate::ids::{InsightId, SourceId};
use crate::parse::normalize::InsightKey;
use crate::parse::{ParsedSource, Role};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::PathBuf;

/// A parsed file ready to be stored.
pub struct NewFile<'a> {
    pub path: &'a std::path::Path,
    pub format: &'a str,
    pub content_hash: &'a str,
    pub size: u64,
    pub mtime_ns: i64,
    pub sources: &'a [ParsedSource],
    /// Identity keys, parallel to `sources[i].insights`.
    pub keys: &'a [Vec<InsightKey>],
}

/// Counts of one stored file.
#[derive(Debug, Default, Clone, Copy)]
pub struct StoredCounts {
    pub sources: usize,
    pub occurrences: usize,
    pub new_insights: usize,
    pub known_insights: usize,
}

/// What a bulk load into an empty database drops first and makes again at the end, each once
/// instead of once per row: the secondary index of occurrences (built by one sort), and the
/// trigger that indexes each new source's title (the title index is rebuilt in one pass; the
/// trigger flushed the full-text index to disk at every statement, a tenth of an import).
const BULK_DROPPED: [&str; 2] = ["occurrences_by_insight", "sources_fts_insert"];

/// Page cache (KiB) while [`ChangeTx::finish_bulk`] builds the indexes: the size of each
/// sorted run of CREATE INDEX.
const INDEX_SORT_CACHE_KIB: i64 = 16 << 10;

impl Store {
    /// Start a transaction that changes the graph (an import, a merge), taking the write lock
    /// now so a concurrent writer is reported before any work is done.
    pub fn begin_change(&mut self) -> Result<ChangeTx<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        Ok(ChangeTx {
            next_ids: None,
            pending: Pending::default(),
            tx,
            path,
            keys: None,
            bulk: None,
        })
    }
}

/// The keys are already xxh3-128 hashes: use their low bits as the map's hash.
#[derive(Default)]
pub struct PrehashedU128(u64);

impl Hasher for PrehashedU128 {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

/// The edge tables a change maintains.
#[derive(Debug, Clone, Copy)]
enum EdgeTable {
    /// appears_with, with its mirror appears_with_rev kept in step by every change.
    AppearsWith,
    /// appears_with_rev alone: only for bulk inserts of rows already given as (b, a, weight).
    AppearsWithReverse,
    RelatedTo,
}

impl EdgeTable {
    /// The `INSERT INTO table (columns)` head of this table's bulk insert (see [`insert_rows`]).
    fn insert_head(self) -> &'static str {
        match self {
            EdgeTable::AppearsWith => "INSERT INTO appears_with (a, b, weight)",
            EdgeTable::AppearsWithReverse => "INSERT INTO appears_with_rev (b, a, weight)",
            EdgeTable::RelatedTo => "INSERT INTO related_to (headline, related, weight)",
        }
    }
    /// Statements adding ?3 to the weight of edge (?1, ?2), creating it if new.
    fn upsert(self) -> &'static [&'static str] {
        match self {
            EdgeTable::AppearsWith => &[
                "INSERT INTO appears_with (a, b, weight) VALUES (?1, ?2, ?3) ON CONFLICT (a, b) DO UPDATE SET weight = weight + excluded.weight",
                "INSERT INTO appears_with_rev (b, a, weight) VALUES (?2, ?1, ?3) ON CONFLICT (b, a) DO UPDATE SET weight = weight + excluded.weight",
            ],
            EdgeTable::AppearsWithReverse => &[
                "INSERT INTO appears_with_rev (b, a, weight) VALUES (?2, ?1, ?3) ON CONFLICT (b, a) DO UPDATE SET weight = weight + excluded.weight",
            ],
            EdgeTable::RelatedTo => &[
                "INSERT INTO related_to (headline, related, weight) VALUES (?1, ?2, ?3) ON CONFLICT (headline, related) DO UPDATE SET weight = weight + excluded.weight",
            ],
        }
    }

    /// Statements adding a negative ?3 to edge (?1, ?2) when it stays positive.
    fn subtract(self) -> &'static [&'static str] {
        match self {
            EdgeTable::AppearsWith => &[
                "UPDATE appears_with SET weight = weight + ?3 WHERE a = ?1 AND b = ?2 AND weight + ?3 > 0",
                "UPDATE appears_with_rev SET weight = weight + ?3 WHERE b = ?2 AND a = ?1 AND weight + ?3 > 0",
            ],
            EdgeTable::AppearsWithReverse => &[
                "UPDATE appears_with_rev SET weight = weight + ?3 WHERE b = ?2 AND a = ?1 AND weight + ?3 > 0",
            ],
            EdgeTable::RelatedTo => &[
                "UPDATE related_to SET weight = weight + ?3 WHERE headline = ?1 AND related = ?2 AND weight + ?3 > 0",
            ],
        }
    }

    /// Statements deleting edge (?1, ?2).
    fn delete(self) -> &'static [&'static str] {
        match self {
            EdgeTable::AppearsWith => &[
                "DELETE FROM appears_with WHERE a = ?1 AND b = ?2",
                "DELETE FROM appears_with_rev WHERE b = ?2 AND a = ?1",
            ],
            EdgeTable::AppearsWithReverse => {
                &["DELETE FROM appears_with_rev WHERE b = ?2 AND a = ?1"]
            }
            EdgeTable::RelatedTo => {
                &["DELETE FROM related_to WHERE headline = ?1 AND related = ?2"]
            }
        }
    }
}

/// Insight key hash -> insight id.
pub type KeyMap = HashMap<u128, InsightId, BuildHasherDefault<PrehashedU128>>;

/// One transaction that changes the graph.
pub struct ChangeTx<'c> {
    tx: Transaction<'c>,
    path: PathBuf,
    /// Insight key hash -> id, loaded on first use.
    keys: Option<KeyMap>,
    /// During a bulk load: the definitions (`sqlite_schema.sql`) of what
    /// [`start_bulk`](Self::start_bulk) dropped, to be run again as they were.
    bulk: Option<Vec<String>>,
    /// The ids `add_file` gives next, read on first use.
    next_ids: Option<NextIds>,
    /// Rows stored by `add_file`, written in bulk by [`flush_pending`](Self::flush_pending).
    pending: Pending,
}

/// The ids of the next new source and insight. `add_file` gives them itself, as SQLite would
/// (one more than the largest source id; for insights, AUTOINCREMENT's one more than the
/// largest id ever given), so that their rows can wait and go in many per statement: this
/// transaction holds the write lock, so no one else takes an id meanwhile.
#[derive(Debug, Clone, Copy)]
struct NextIds {
    source: i64,
    insight: i64,
}

/// Rows waiting to be written, parents first (sources, insights, then the occurrences that
/// refer to them), so foreign keys hold at every statement.
#[derive(Default)]
struct Pending {
    sources: Vec<PendingSource>,
    insights: Vec<PendingInsight>,
    occurrences: Vec<PendingOccurrence>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.insights.is_empty() && self.occurrences.is_empty()
    }
}

struct PendingSource {
    id: SourceId,
    path: PathBuf,
    name: String,
    title: Option<String>,
    format: String,
    content_hash: String,
    size: i64,
    mtime_ns: i64,
    imported_at: std::rc::Rc<str>,
}

struct PendingInsight {
    id: InsightId,
    key: String,
    text: String,
}

struct PendingOccurrence {
    source_id: SourceId,
    position: u32,
    insight_id: InsightId,
    role: Role,
    line: u32,
    context: Option<String>,
}

/// Rows per multi-row INSERT: sources (9 parameters), insights (3), occurrences (6); all far
/// below SQLite's limit on parameters.
const SOURCE_ROWS: usize = 64;
const INSIGHT_ROWS: usize = 128;
const OCCURRENCE_ROWS: usize = 128;
/// Rows per multi-row INSERT of edges (3 parameters each).
const EDGE_ROWS: usize = 256;

impl<'c> ChangeTx<'c> {
    /// Run statements in this transaction; SQLite's errors become the errors a user can act
    /// on, here and nowhere else.
    pub(super) fn with<T>(
        &self,
        f: impl FnOnce(&Transaction<'c>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        f(&self.tx).map_err(|e| classify(&self.path, e))
    }
}

impl ChangeTx<'_> {
    fn count(&self, sql: &str) -> Result<i64> {
        self.with(|tx| tx.query_row(sql, [], |r| r.get(0)))
    }

    /// Number of sources stored.
    pub fn source_count(&self) -> Result<i64> {
        self.count("SELECT count(*) FROM sources")
    }

    pub fn insight_count(&self) -> Result<i64> {
        self.with(|tx| super::edges::insight_count(tx))
    }

    /// Drop the secondary index and the per-row title trigger for a bulk load into an empty
    /// database ([`BULK_DROPPED`]); made again by [`finish_bulk`](Self::finish_bulk) from their
    /// own definitions, so the schema ends exactly as it was.
    pub fn start_bulk(&mut self) -> Result<()> {
        if self.bulk.is_some() {
            return Ok(());
        }
        let dropped = self.with(|tx| {
            let mut definitions = Vec::new();
            for name in BULK_DROPPED {
                let found: Option<(String, String)> = tx
                    .query_row(
                        "SELECT type, sql FROM sqlite_schema WHERE name = ?1",
                        [name],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((kind, sql)) = found {
                    tx.execute_batch(&format!("DROP {kind} {name}"))?;
                    definitions.push(sql);
                }
            }
            Ok(definitions)
        })?;
        self.bulk = Some(dropped);
        Ok(())
    }

    /// Whether a bulk load is under way (between [`start_bulk`](Self::start_bulk) and
    /// [`finish_bulk`](Self::finish_bulk)).
    pub fn is_bulk(&self) -> bool {
        self.bulk.is_some()
    }

    /// Make again what [`start_bulk`](Self::start_bulk) dropped, and index every source's
    /// title in one pass (no-op outside a bulk load).
    pub fn finish_bulk(&mut self) -> Result<()> {
        self.flush_pending()?;
        if let Some(definitions) = self.bulk.take() {
            self.with(|tx| {
                // CREATE INDEX sorts its entries with SQLite's external merge sort, in runs of
                // about the page cache's size. A run is sorted as a linked list, which misses the
                // processor's cache at every step once the run outgrows it; small runs, each
                // written to a temporary file and merged in one streaming pass, sort fast. With
                // temporary files (a staging database's, see `Store::create_staging`), the index
                // of a 1M-page import's 11M occurrences took 4.8 s with a 16 MiB cache instead
                // of 11.8 s with 256 MiB (18.9 s with the sort in memory).
                let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
                tx.execute_batch(&format!("PRAGMA cache_size = -{INDEX_SORT_CACHE_KIB}"))?;
                for sql in &definitions {
                    tx.execute_batch(sql)?;
                }
                tx.execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
                tx.execute(
                    "INSERT INTO sources_fts (sources_fts) VALUES ('rebuild')",
                    [],
                )
                .map(drop)
            })?;
        }
        Ok(())
    }

    fn keys(&mut self) -> Result<&mut KeyMap> {
        if self.keys.is_none() {
            // Merged variants (insight_aliases) map to the insight they were merged into.
            let map = self.with(|tx| {
                let mut map = KeyMap::default();
                let mut stmt = tx.prepare(
                    "SELECT key, id FROM insights UNION ALL SELECT key, insight_id FROM insight_aliases",
                )?;
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    let key = InsightKey::from_key(row.get::<_, String>(0)?);
                    map.insert(key.hash, row.get(1)?);
                }
                Ok(map)
            })?;
            self.keys = Some(map);
        }
        Ok(self.keys.as_mut().expect("loaded above"))
    }

    /// The insight sequences (in position order, with roles) of the given sources.
    pub fn sequences_of(&self, source_ids: &[SourceId]) -> Result<Vec<SourceSequence>> {
        self.with(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT insight_id, role FROM occurrences WHERE source_id = ?1 ORDER BY position",
            )?;
            let mut out = Vec::with_capacity(source_ids.len());
            for id in source_ids {
                let mut seq = SourceSequence::default();
                let mut rows = stmt.query([id])?;
                while let Some(row) = rows.next()? {
                    seq.push(row.get(0)?, row.get(1)?);
                }
                out.push(seq);
            }
            Ok(out)
        })
    }

    /// Delete sources and their occurrences; returns their insight sequences, so their
    /// appears-with contributions can be taken back.
    pub fn remove_sources(&mut self, source_ids: &[SourceId]) -> Result<Vec<SourceSequence>> {
        self.flush_pending()?;
        let sequences = self.sequences_of(source_ids)?;
        self.with(|tx| {
            let mut del_occ = tx.prepare_cached("DELETE FROM occurrences WHERE source_id = ?1")?;
            let mut del_src = tx.prepare_cached("DELETE FROM sources WHERE id = ?1")?;
            for id in source_ids {
                del_occ.execute([id])?;
                del_src.execute([id])?;
            }
            Ok(())
        })?;
        Ok(sequences)
    }

    /// Record a new mtime for a file whose content did not change.
    pub fn touch_file(&self, path: &std::path::Path, mtime_ns: i64) -> Result<()> {
        self.with(|tx| {
            tx.prepare_cached("UPDATE sources SET mtime_ns = ?2 WHERE path = ?1")?
                .execute(params![PathParam(path), mtime_ns])
                .map(drop)
        })
    }

    /// Store one file's sources, insights and occurrences. Returns each source's insight
    /// sequence in position order, and counts. The rows are written by the next
    /// [`flush_pending`](Self::flush_pending) (the import flushes after every batch of files,
    /// and [`commit`](Self::commit) before committing); until then, only this transaction's
    /// key map knows them.
    pub fn add_file(&mut self, file: &NewFile<'_>) -> Result<(Vec<SourceSequence>, StoredCounts)> {
        self.keys()?;
        let mut next = self.next_ids()?;
        let keys = self.keys.as_mut().expect("loaded");
        let pending = &mut self.pending;
        let imported_at: std::rc::Rc<str> = now_utc().into();
        let mut counts = StoredCounts::default();
        let mut sequences = Vec::with_capacity(file.sources.len());
        for (source, source_keys) in file.sources.iter().zip(file.keys) {
            let source_id = SourceId(next.source);
            next.source += 1;
            pending.sources.push(PendingSource {
                id: source_id,
                path: file.path.to_path_buf(),
                name: source.name.clone(),
                title: source.title.clone(),
                format: file.format.to_string(),
                content_hash: file.content_hash.to_string(),
                size: file.size as i64,
                mtime_ns: file.mtime_ns,
                imported_at: imported_at.clone(),
            });
            counts.sources += 1;
            let mut seq = SourceSequence::with_capacity(source.insights.len());
            for (position, (insight, key)) in source.insights.iter().zip(source_keys).enumerate() {
                let id = match keys.get(&key.hash) {
                    Some(&id) => {
                        counts.known_insights += 1;
                        id
                    }
                    None => {
                        let id = InsightId::from_i64(next.insight).ok_or_else(|| {
                            classify(
                                &self.path,
                                rusqlite::Error::IntegralValueOutOfRange(0, next.insight),
                            )
                        })?;
                        next.insight += 1;
                        pending.insights.push(PendingInsight {
                            id,
                            key: key.key.clone(),
                            text: insight.text.clone(),
                        });
                        keys.insert(key.hash, id);
                        counts.new_insights += 1;
                        id
                    }
                };
                pending.occurrences.push(PendingOccurrence {
                    source_id,
                    position: position as u32,
                    insight_id: id,
                    role: insight.role,
                    line: insight.line,
                    context: insight.context.clone(),
                });
                counts.occurrences += 1;
                seq.push(id, insight.role);
            }
            sequences.push(seq);
        }
        self.next_ids = Some(next);
        Ok((sequences, counts))
    }

    fn next_ids(&mut self) -> Result<NextIds> {
        if let Some(next) = self.next_ids {
            return Ok(next);
        }
        let next = self.with(|tx| {
            tx.query_row(
                "SELECT ifnull((SELECT max(id) FROM sources), 0) + 1,
                        max(ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'insights'), 0),
                            ifnull((SELECT max(id) FROM insights), 0)) + 1",
                [],
                |r| {
                    Ok(NextIds {
                        source: r.get(0)?,
                        insight: r.get(1)?,
                    })
                },
            )
        })?;
        self.next_ids = Some(next);
        Ok(next)
    }

    /// Write the rows `add_file` gathered, many per statement (see [`insert_rows`]), parents
    /// first.
    pub fn flush_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        self.with(|tx| {
            insert_rows(
                tx,
                "INSERT INTO sources (id, path, name, title, format, content_hash, size, mtime_ns, imported_at)",
                9,
                SOURCE_ROWS,
                &pending.sources,
                |stmt, at, s| {
                    stmt.raw_bind_parameter(at, s.id)?;
                    stmt.raw_bind_parameter(at + 1, PathParam(&s.path))?;
                    stmt.raw_bind_parameter(at + 2, s.name.as_str())?;
                    stmt.raw_bind_parameter(at + 3, s.title.as_deref())?;
                    stmt.raw_bind_parameter(at + 4, s.format.as_str())?;
                    stmt.raw_bind_parameter(at + 5, s.content_hash.as_str())?;
                    stmt.raw_bind_parameter(at + 6, s.size)?;
                    stmt.raw_bind_parameter(at + 7, s.mtime_ns)?;
                    stmt.raw_bind_parameter(at + 8, &*s.imported_at)
                },
            )?;
            insert_rows(
                tx,
                "INSERT INTO insights (id, key, text)",
                3,
                INSIGHT_ROWS,
                &pending.insights,
                |stmt, at, i| {
                    stmt.raw_bind_parameter(at, i.id)?;
                    stmt.raw_bind_parameter(at + 1, i.key.as_str())?;
                    stmt.raw_bind_parameter(at + 2, i.text.as_str())
                },
            )?;
            insert_rows(
                tx,
                "INSERT INTO occurrences (source_id, position, insight_id, role, line, context)",
                6,
                OCCURRENCE_ROWS,
                &pending.occurrences,
                |stmt, at, o| {
                    stmt.raw_bind_parameter(at, o.source_id)?;
                    stmt.raw_bind_parameter(at + 1, o.position)?;
                    stmt.raw_bind_parameter(at + 2, o.insight_id)?;
                    stmt.raw_bind_parameter(at + 3, o.role)?;
                    stmt.raw_bind_parameter(at + 4, o.line)?;
                    stmt.raw_bind_parameter(at + 5, o.context.as_deref())
                },
            )
        })
    }

    /// Every source's insight sequence, streamed in (source, position) order.
    pub fn for_each_sequence(&mut self, mut each: impl FnMut(&SourceSequence)) -> Result<()> {
        self.flush_pending()?;
        self.with(|tx| {
            let mut stmt = tx.prepare(
                "SELECT source_id, insight_id, role FROM occurrences ORDER BY source_id, position",
            )?;
            let mut rows = stmt.query([])?;
            let mut current = SourceId(i64::MIN);
            let mut seq = SourceSequence::default();
            while let Some(row) = rows.next()? {
                let source: SourceId = row.get(0)?;
                if source != current {
                    if !seq.insights.is_empty() {
                        each(&seq);
                    }
                    seq.insights.clear();
                    seq.roles.clear();
                    current = source;
                }
                seq.push(row.get(1)?, row.get(2)?);
            }
            if !seq.insights.is_empty() {
                each(&seq);
            }
            Ok(())
        })
    }

    /// Replace every appears-with and related-to edge by `counts` (ordered bulk inserts), keep
    /// their totals, and keep the graph snapshot of `version` built from them, so the first
    /// analysis after a big import does not have to scan appears_with.
    ///
    /// appears_with_rev is written from the snapshot's rows: row `b` holds its smaller
    /// neighbours first, ascending, which is the (b, a) order the table is clustered on, so no
    /// second copy of the edges is sorted. Time O(V + E); memory the snapshot arrays (8 bytes
    /// per edge and direction) besides `counts`.
    pub fn write_all_edges(&mut self, counts: &EdgeCounts, version: i64) -> Result<()> {
        self.with(|tx| {
            tx.execute_batch(
                "DELETE FROM appears_with; DELETE FROM appears_with_rev; DELETE FROM related_to",
            )
        })?;
        self.flush_pending()?;
        let ids = self.with(|tx| insight_ids(tx))?;
        // The snapshot arrays are built on another thread while this one writes appears_with
        // (neither needs the other): at 1M pages that is a few seconds of the import's one
        // writing thread.
        let (inserted, arrays) = std::thread::scope(|scope| {
            let building = scope.spawn(|| {
                let index = IdIndex::new(&ids);
                let edges: Option<Vec<Edge>> = counts
                    .appears_with
                    .iter()
                    .map(|&(a, b, w)| Some((index.get(InsightId(a))?, index.get(InsightId(b))?, w)))
                    .collect();
                edges.and_then(|e| CsrArrays::from_sorted_edges(ids.len(), &e))
            });
            let inserted =
                self.insert_edges(EdgeTable::AppearsWith, counts.appears_with.iter().copied());
            let arrays = building
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (inserted, arrays)
        });
        inserted?;
        match &arrays {
            Some(arrays) => {
                self.insert_edges(EdgeTable::AppearsWithReverse, reverse_rows(&ids, arrays))?
            }
            // An edge names an insight that is not stored: no snapshot, and the mirror is
            // sorted on its own.
            None => {
                let mut reverse: Vec<Edge> = counts
                    .appears_with
                    .iter()
                    .map(|&(a, b, w)| (b, a, w))
                    .collect();
                {
                    use rayon::slice::ParallelSliceMut;
                    reverse.par_sort_unstable();
                }
                self.insert_edges(EdgeTable::AppearsWithReverse, reverse)?;
            }
        }
        self.insert_edges(EdgeTable::RelatedTo, counts.related_to.iter().copied())?;
        self.set_edge_totals(EdgeTotals {
            edges: counts.appears_with.len() as i64,
            total_weight: counts.total_weight,
        })?;
        match arrays {
            Some(arrays) => self.with(|tx| write_snapshot(tx, version, &ids, &arrays)),
            None => Ok(()),
        }
    }

    /// Bulk insert, many rows per statement (see [`insert_rows`]).
    fn insert_edges(&self, table: EdgeTable, edges: impl IntoIterator<Item = Edge>) -> Result<()> {
        self.with(|tx| {
            insert_rows(
                tx,
                table.insert_head(),
                3,
                EDGE_ROWS,
                edges,
                |stmt, at, &(a, b, w)| {
                    stmt.raw_bind_parameter(at, a)?;
                    stmt.raw_bind_parameter(at + 1, b)?;
                    stmt.raw_bind_parameter(at + 2, w)
                },
            )
        })
    }

    /// Apply weight changes to both edge tables: an edge is created, raised, lowered, or
    /// deleted when its weight reaches zero. Then recount the totals.
    pub fn apply_edge_delta(&mut self, delta: &EdgeDelta) -> Result<()> {
        self.flush_pending()?;
        for (table, changes) in [
            (EdgeTable::AppearsWith, &delta.appears_with),
            (EdgeTable::RelatedTo, &delta.related_to),
        ] {
            self.with(|tx| {
                for &(a, b, d) in changes {
                    if d > 0 {
                        for sql in table.upsert() {
                            tx.prepare_cached(sql)?.execute(params![a, b, d])?;
                        }
                        continue;
                    }
                    let mut kept = 0;
                    for sql in table.subtract() {
                        kept = tx.prepare_cached(sql)?.execute(params![a, b, d])?;
                    }
                    if kept == 0 {
                        for sql in table.delete() {
                            tx.prepare_cached(sql)?.execute(params![a, b])?;
                        }
                    }
                }
                Ok(())
            })?;
        }
        let totals = self.with(|tx| meta::count_edges(tx))?;
        self.set_edge_totals(totals)
    }

    /// Count one more change of the graph; returns the new graph version.
    pub fn bump_graph_version(&self) -> Result<i64> {
        self.with(|tx| meta::bump_graph_version(tx))
    }

    /// Delete insights no source holds any more. Returns how many.
    pub fn delete_orphan_insights(&mut self) -> Result<usize> {
        self.flush_pending()?;
        let n = self.with(|tx| {
            tx.execute(
                "DELETE FROM insights WHERE NOT EXISTS
                   (SELECT 1 FROM occurrences o WHERE o.insight_id = insights.id)",
                [],
            )
        })?;
        if n > 0 {
            self.keys = None;
        }
        Ok(n)
    }

    /// The co-occurrence window the stored edges were computed with.
    pub fn window(&self) -> Result<Window> {
        self.with(|tx| meta::window(tx))
    }

    pub fn set_window(&self, window: Window) -> Result<()> {
        self.with(|tx| meta::set_window(tx, window))
    }

    fn set_edge_totals(&self, totals: EdgeTotals) -> Result<()> {
        self.with(|tx| meta::set_edge_totals(tx, totals))
    }

    /// Appears-with edges and their total weight, as kept in `meta` (counted if missing).
    pub fn edge_totals(&self) -> Result<EdgeTotals> {
        self.with(|tx| meta::edge_totals(tx))
    }

    pub fn commit(mut self) -> Result<()> {
        self.flush_pending()?;
        self.finish_bulk()?;
        let path = self.path.clone();
        self.tx.commit().map_err(|e| classify(&path, e))
    }
}

/// The rows of appears_with_rev, `(b, a, weight)` with `a < b`, in (b, a) order, read from the
/// symmetric CSR arrays of the same edges over the ascending insight `ids`: each row lists its
/// smaller neighbours first, ascending (see [`CsrArrays::from_sorted_edges`]), and node order is
/// id order.
fn reverse_rows<'a>(
    ids: &'a [InsightId],
    arrays: &'a CsrArrays,
) -> impl Iterator<Item = Edge> + 'a {
    ids.iter().enumerate().flat_map(move |(b, &b_id)| {
        let row = arrays.offsets[b] as usize..arrays.offsets[b + 1] as usize;
        arrays.targets[row.clone()]
            .iter()
            .zip(&arrays.weights[row])
            .take_while(move |&(&a, _)| (a as usize) < b)
            .map(move |(&a, &w)| (b_id.0, ids[a as usize].0, w))
    })
}

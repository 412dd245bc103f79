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
            pending: Vec::new(),
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
    /// `INSERT ... VALUES` with `rows` rows of three parameters.
    fn insert(self, rows: usize) -> String {
        let mut sql = String::from(match self {
            EdgeTable::AppearsWith => "INSERT INTO appears_with (a, b, weight) VALUES ",
            EdgeTable::AppearsWithReverse => "INSERT INTO appears_with_rev (b, a, weight) VALUES ",
            EdgeTable::RelatedTo => "INSERT INTO related_to (headline, related, weight) VALUES ",
        });
        for i in 0..rows {
            sql.push_str(if i == 0 { "(?,?,?)" } else { ",(?,?,?)" });
        }
        sql
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
    /// Occurrences stored by `add_file`, written in bulk by `flush_occurrences`.
    pending: Vec<PendingOccurrence>,
}

/// An occurrence waiting to be written.
struct PendingOccurrence {
    source_id: SourceId,
    position: u32,
    insight_id: InsightId,
    role: Role,
    line: u32,
    context: Option<String>,
}

/// Rows per multi-row INSERT of occurrences (6 parameters each, far below SQLite's limit).
const OCCURRENCE_ROWS: usize = 128;

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
        self.flush_occurrences()?;
        if let Some(definitions) = self.bulk.take() {
            self.with(|tx| {
                for sql in &definitions {
                    tx.execute_batch(sql)?;
                }
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
        self.flush_occurrences()?;
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
    /// sequence in position order, and counts.
    pub fn add_file(&mut self, file: &NewFile<'_>) -> Result<(Vec<SourceSequence>, StoredCounts)> {
        self.keys()?;
        let keys = self.keys.as_mut().expect("loaded");
        let pending = &mut self.pending;
        let mut run =
            |tx: &Transaction<'_>| -> rusqlite::Result<(Vec<SourceSequence>, StoredCounts)> {
                let now = now_utc();
                let mut counts = StoredCounts::default();
                let mut sequences = Vec::with_capacity(file.sources.len());
                let mut ins_source = tx.prepare_cached(
                "INSERT INTO sources (path, name, title, format, content_hash, size, mtime_ns, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
                let mut ins_insight =
                    tx.prepare_cached("INSERT INTO insights (key, text) VALUES (?1, ?2)")?;
                for (source, source_keys) in file.sources.iter().zip(file.keys) {
                    ins_source.execute(params![
                        PathParam(file.path),
                        source.name,
                        source.title,
                        file.format,
                        file.content_hash,
                        file.size as i64,
                        file.mtime_ns,
                        now
                    ])?;
                    let source_id = SourceId(tx.last_insert_rowid());
                    counts.sources += 1;
                    let mut seq = SourceSequence::with_capacity(source.insights.len());
                    for (position, (insight, key)) in
                        source.insights.iter().zip(source_keys).enumerate()
                    {
                        let id = match keys.get(&key.hash) {
                            Some(&id) => {
                                counts.known_insights += 1;
                                id
                            }
                            None => {
                                ins_insight.execute(params![key.key, insight.text])?;
                                let rowid = tx.last_insert_rowid();
                                let id = InsightId::from_i64(rowid)
                                    .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, rowid))?;
                                keys.insert(key.hash, id);
                                counts.new_insights += 1;
                                id
                            }
                        };
                        pending.push(PendingOccurrence {
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
                Ok((sequences, counts))
            };
        run(&self.tx).map_err(|e| classify(&self.path, e))
    }

    /// Write the occurrences `add_file` gathered, many rows per statement: one statement per
    /// row spent most of an import's time in per-statement overhead.
    pub fn flush_occurrences(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let sql_for = |rows: usize| {
            let mut sql = String::from(
                "INSERT INTO occurrences (source_id, position, insight_id, role, line, context) VALUES ",
            );
            for i in 0..rows {
                sql.push_str(if i == 0 {
                    "(?,?,?,?,?,?)"
                } else {
                    ",(?,?,?,?,?,?)"
                });
            }
            sql
        };
        let full = sql_for(OCCURRENCE_ROWS);
        self.with(|tx| {
            for chunk in pending.chunks(OCCURRENCE_ROWS) {
                let sql = if chunk.len() == OCCURRENCE_ROWS {
                    full.clone()
                } else {
                    sql_for(chunk.len())
                };
                let mut stmt = tx.prepare_cached(&sql)?;
                for (i, o) in chunk.iter().enumerate() {
                    let at = i * 6;
                    stmt.raw_bind_parameter(at + 1, o.source_id)?;
                    stmt.raw_bind_parameter(at + 2, o.position)?;
                    stmt.raw_bind_parameter(at + 3, o.insight_id)?;
                    stmt.raw_bind_parameter(at + 4, o.role)?;
                    stmt.raw_bind_parameter(at + 5, o.line)?;
                    stmt.raw_bind_parameter(at + 6, o.context.as_deref())?;
                }
                stmt.raw_execute()?;
            }
            Ok(())
        })
    }

    /// Every source's insight sequence, streamed in (source, position) order.
    pub fn for_each_sequence(&mut self, mut each: impl FnMut(&SourceSequence)) -> Result<()> {
        self.flush_occurrences()?;
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
        self.insert_edges(EdgeTable::AppearsWith, counts.appears_with.iter().copied())?;
        let ids = self.with(|tx| insight_ids(tx))?;
        let arrays = {
            let index = IdIndex::new(&ids);
            let edges: Option<Vec<Edge>> = counts
                .appears_with
                .iter()
                .map(|&(a, b, w)| Some((index.get(InsightId(a))?, index.get(InsightId(b))?, w)))
                .collect();
            edges.and_then(|e| CsrArrays::from_sorted_edges(ids.len(), &e))
        };
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

    /// Bulk insert, many rows per statement (see `flush_occurrences`).
    fn insert_edges(&self, table: EdgeTable, edges: impl IntoIterator<Item = Edge>) -> Result<()> {
        const ROWS: usize = 256;
        let full = table.insert(ROWS);
        self.with(|tx| {
            let mut chunk: Vec<Edge> = Vec::with_capacity(ROWS);
            let mut edges = edges.into_iter().peekable();
            while edges.peek().is_some() {
                chunk.clear();
                chunk.extend(edges.by_ref().take(ROWS));
                let sql = if chunk.len() == ROWS {
                    full.clone()
                } else {
                    table.insert(chunk.len())
                };
                let mut stmt = tx.prepare_cached(&sql)?;
                for (i, &(a, b, w)) in chunk.iter().enumerate() {
                    stmt.raw_bind_parameter(3 * i + 1, a)?;
                    stmt.raw_bind_parameter(3 * i + 2, b)?;
                    stmt.raw_bind_parameter(3 * i + 3, w)?;
                }
                stmt.raw_execute()?;
            }
            Ok(())
        })
    }

    /// Apply weight changes to both edge tables: an edge is created, raised, lowered, or
    /// deleted when its weight reaches zero. Then recount the totals.
    pub fn apply_edge_delta(&mut self, delta: &EdgeDelta) -> Result<()> {
        self.flush_occurrences()?;
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
        self.flush_occurrences()?;
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
        self.flush_occurrences()?;
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

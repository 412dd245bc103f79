//! The writes of one import, all inside one `BEGIN IMMEDIATE` transaction: a crash, kill or
//! Ctrl-C before `commit` leaves the database exactly as it was. Statements are prepared once
//! and cached; bulk loads into an empty database drop the secondary indexes first and build
//! them once at the end.

use super::{classify, now_utc, Store};
use crate::cooccurrence::{self, SourceSequence, Window};
use crate::error::{Error, Result};
use crate::parse::normalize::InsightKey;
use crate::parse::{ParsedSource, Role};
use rusqlite::{params, Transaction, TransactionBehavior};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::PathBuf;

/// What the database knows about one imported file.
#[derive(Debug, Clone)]
pub struct KnownFile {
    pub content_hash: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub source_ids: Vec<i64>,
}

/// A parsed file ready to be stored.
pub struct NewFile<'a> {
    pub path: &'a str,
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

/// Secondary indexes dropped during a bulk load; (name, definition).
const BULK_INDEXES: [(&str, &str); 1] = [(
    "occurrences_by_insight",
    "CREATE INDEX occurrences_by_insight ON occurrences (insight_id, source_id)",
)];

impl Store {
    /// Every imported file, by path.
    pub fn known_files(&self) -> Result<HashMap<String, KnownFile>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT path, id, content_hash, size, mtime_ns FROM sources")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut files: HashMap<String, KnownFile> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let path: String = row.get(0)?;
            let id: i64 = row.get(1)?;
            let file = files.entry(path).or_insert_with(|| KnownFile {
                content_hash: row.get(2).unwrap_or_default(),
                size: row.get::<_, i64>(3).unwrap_or(0) as u64,
                mtime_ns: row.get(4).unwrap_or(0),
                source_ids: Vec::new(),
            });
            file.source_ids.push(id);
        }
        Ok(files)
    }

    /// Start the import transaction, taking the write lock now so a concurrent writer is
    /// reported before any work is done.
    pub fn begin_import(&mut self) -> Result<ImportTx<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        Ok(ImportTx {
            pending: Vec::new(),
            tx,
            path,
            keys: None,
            bulk: false,
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

/// What [`ImportTx::rebuild_edges`] wrote to appears_with.
pub struct RebuiltEdges {
    pub edge_count: i64,
    pub total_weight: i64,
    /// The edges, (a, b, weight) with a < b, sorted.
    pub edges: Vec<(u32, u32, u32)>,
}

/// The two edge tables an import maintains.
#[derive(Debug, Clone, Copy)]
pub enum EdgeTable {
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

fn role_of(name: &str) -> Role {
    Role::from_name(name).unwrap_or(Role::Body)
}

/// Insight key hash -> insight id.
pub type KeyMap = HashMap<u128, u32, BuildHasherDefault<PrehashedU128>>;

/// One import's transaction.
pub struct ImportTx<'c> {
    tx: Transaction<'c>,
    path: PathBuf,
    /// Insight key hash -> id, loaded on first use.
    keys: Option<KeyMap>,
    bulk: bool,
    /// Occurrences stored by `add_file`, written in bulk by `flush_occurrences`.
    pending: Vec<PendingOccurrence>,
}

/// An occurrence waiting to be written.
struct PendingOccurrence {
    source_id: i64,
    position: u32,
    insight_id: u32,
    role: Role,
    line: u32,
    context: Option<String>,
}

/// Rows per multi-row INSERT of occurrences (6 parameters each, far below SQLite's limit).
const OCCURRENCE_ROWS: usize = 128;

fn insight_id(id: i64) -> Result<u32> {
    u32::try_from(id)
        .map_err(|_| Error::InvalidInput(format!("insight id {id} exceeds the supported range")))
}

impl<'c> ImportTx<'c> {
    /// The open transaction, for the other store modules (search index, merges).
    pub(super) fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }
}

impl ImportTx<'_> {
    pub(super) fn err(&self, e: rusqlite::Error) -> Error {
        classify(&self.path, e)
    }

    fn count(&self, sql: &str) -> Result<i64> {
        self.tx
            .query_row(sql, [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Number of sources stored.
    pub fn source_count(&self) -> Result<i64> {
        self.count("SELECT count(*) FROM sources")
    }

    /// Drop secondary indexes for a bulk load into an empty database; rebuilt by [`finish_bulk`].
    pub fn start_bulk(&mut self) -> Result<()> {
        for (name, _) in BULK_INDEXES {
            self.tx
                .execute_batch(&format!("DROP INDEX IF EXISTS {name}"))
                .map_err(|e| self.err(e))?;
        }
        self.bulk = true;
        Ok(())
    }

    /// Build the indexes [`start_bulk`](Self::start_bulk) dropped (no-op otherwise).
    pub fn finish_bulk(&mut self) -> Result<()> {
        self.flush_occurrences()?;
        if self.bulk {
            for (_, sql) in BULK_INDEXES {
                self.tx.execute_batch(sql).map_err(|e| self.err(e))?;
            }
            self.bulk = false;
        }
        Ok(())
    }

    fn keys(&mut self) -> Result<&mut KeyMap> {
        if self.keys.is_none() {
            let mut map = KeyMap::default();
            // Merged variants (insight_aliases) map to the insight they were merged into.
            let mut stmt = self
                .tx
                .prepare("SELECT key, id FROM insights UNION ALL SELECT key, insight_id FROM insight_aliases")
                .map_err(|e| classify(&self.path, e))?;
            let mut rows = stmt.query([]).map_err(|e| classify(&self.path, e))?;
            while let Some(row) = rows.next().map_err(|e| classify(&self.path, e))? {
                let key = InsightKey::from_key(row.get::<_, String>(0)?);
                map.insert(key.hash, insight_id(row.get(1)?)?);
            }
            self.keys = Some(map);
        }
        Ok(self.keys.as_mut().expect("loaded above"))
    }

    /// The insight sequences (in position order, with roles) of the given sources.
    pub fn sequences_of(&self, source_ids: &[i64]) -> Result<Vec<SourceSequence>> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT insight_id, role FROM occurrences WHERE source_id = ?1 ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(source_ids.len());
        for id in source_ids {
            let mut seq = SourceSequence::default();
            let mut rows = stmt.query([id]).map_err(|e| classify(&self.path, e))?;
            while let Some(row) = rows.next().map_err(|e| classify(&self.path, e))? {
                seq.push(insight_id(row.get(0)?)?, role_of(&row.get::<_, String>(1)?));
            }
            out.push(seq);
        }
        Ok(out)
    }

    /// Delete sources and their occurrences; returns their insight sequences, so their
    /// appears-with contributions can be taken back.
    pub fn remove_sources(&mut self, source_ids: &[i64]) -> Result<Vec<SourceSequence>> {
        self.flush_occurrences()?;
        let sequences = self.sequences_of(source_ids)?;
        let mut del_occ = self
            .tx
            .prepare_cached("DELETE FROM occurrences WHERE source_id = ?1")
            .map_err(|e| classify(&self.path, e))?;
        let mut del_src = self
            .tx
            .prepare_cached("DELETE FROM sources WHERE id = ?1")
            .map_err(|e| classify(&self.path, e))?;
        for id in source_ids {
            del_occ.execute([id]).map_err(|e| classify(&self.path, e))?;
            del_src.execute([id]).map_err(|e| classify(&self.path, e))?;
        }
        Ok(sequences)
    }

    /// Record a new mtime for a file whose content did not change.
    pub fn touch_file(&self, path: &str, mtime_ns: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE sources SET mtime_ns = ?2 WHERE path = ?1")
            .and_then(|mut s| s.execute(params![path, mtime_ns]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Store one file's sources, insights and occurrences. Returns each source's insight
    /// sequence in position order, and counts.
    pub fn add_file(&mut self, file: &NewFile<'_>) -> Result<(Vec<SourceSequence>, StoredCounts)> {
        let now = now_utc();
        let mut counts = StoredCounts::default();
        let mut sequences = Vec::with_capacity(file.sources.len());
        self.keys()?;
        let keys = self.keys.as_mut().expect("loaded");
        let tx = &self.tx;
        let path = &self.path;
        let e = |err| classify(path, err);
        let mut ins_source = tx
            .prepare_cached(
                "INSERT INTO sources (path, name, title, format, content_hash, size, mtime_ns, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(e)?;
        let mut ins_insight = tx
            .prepare_cached("INSERT INTO insights (key, text) VALUES (?1, ?2)")
            .map_err(e)?;
        for (source, source_keys) in file.sources.iter().zip(file.keys) {
            ins_source
                .execute(params![
                    file.path,
                    source.name,
                    source.title,
                    file.format,
                    file.content_hash,
                    file.size as i64,
                    file.mtime_ns,
                    now
                ])
                .map_err(e)?;
            let source_id = tx.last_insert_rowid();
            counts.sources += 1;
            let mut seq = SourceSequence::default();
            for (position, (insight, key)) in source.insights.iter().zip(source_keys).enumerate() {
                let id = match keys.get(&key.hash) {
                    Some(&id) => {
                        counts.known_insights += 1;
                        id
                    }
                    None => {
                        ins_insight
                            .execute(params![key.key, insight.text])
                            .map_err(e)?;
                        let id = insight_id(tx.last_insert_rowid())?;
                        keys.insert(key.hash, id);
                        counts.new_insights += 1;
                        id
                    }
                };
                self.pending.push(PendingOccurrence {
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
        for chunk in pending.chunks(OCCURRENCE_ROWS) {
            let sql = if chunk.len() == OCCURRENCE_ROWS {
                full.clone()
            } else {
                sql_for(chunk.len())
            };
            let mut stmt = self
                .tx
                .prepare_cached(&sql)
                .map_err(|e| classify(&self.path, e))?;
            for (i, o) in chunk.iter().enumerate() {
                let at = i * 6;
                stmt.raw_bind_parameter(at + 1, o.source_id)?;
                stmt.raw_bind_parameter(at + 2, o.position)?;
                stmt.raw_bind_parameter(at + 3, o.insight_id)?;
                stmt.raw_bind_parameter(at + 4, o.role.as_str())?;
                stmt.raw_bind_parameter(at + 5, o.line)?;
                stmt.raw_bind_parameter(at + 6, o.context.as_deref())?;
            }
            stmt.raw_execute().map_err(|e| classify(&self.path, e))?;
        }
        Ok(())
    }

    /// Every source's insight sequence, streamed in (source, position) order.
    fn all_sequences(&self, mut each: impl FnMut(&SourceSequence)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare(
                "SELECT source_id, insight_id, role FROM occurrences ORDER BY source_id, position",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut current = i64::MIN;
        let mut seq = SourceSequence::default();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let source: i64 = row.get(0)?;
            if source != current {
                if !seq.insights.is_empty() {
                    each(&seq);
                }
                seq.insights.clear();
                seq.roles.clear();
                current = source;
            }
            seq.push(insight_id(row.get(1)?)?, role_of(&row.get::<_, String>(2)?));
        }
        if !seq.insights.is_empty() {
            each(&seq);
        }
        Ok(())
    }

    /// Recompute every appears-with and related-to edge from the stored occurrences.
    /// Returns (appears-with edges, their total weight).
    ///
    /// O(P log P) for P pair contributions (sorted in parallel), then ordered bulk inserts.
    pub fn rebuild_edges(&mut self, window: Window) -> Result<RebuiltEdges> {
        self.flush_occurrences()?;
        let mut pairs = Vec::new();
        let mut links = Vec::new();
        self.all_sequences(|seq| {
            cooccurrence::source_pairs(&seq.insights, window, &mut pairs);
            seq.related_links(&mut links);
        })?;
        let total_weight = pairs.len() as i64;
        let edges = cooccurrence::count_pairs(pairs);
        let edge_count = edges.len() as i64;
        self.tx
            .execute_batch(
                "DELETE FROM appears_with; DELETE FROM appears_with_rev; DELETE FROM related_to",
            )
            .map_err(|e| self.err(e))?;
        self.insert_edges(EdgeTable::AppearsWith, &edges)?;
        let mut reverse: Vec<(u32, u32, u32)> = edges.iter().map(|&(a, b, w)| (b, a, w)).collect();
        {
            use rayon::slice::ParallelSliceMut;
            reverse.par_sort_unstable();
        }
        self.insert_edges(EdgeTable::AppearsWithReverse, &reverse)?;
        self.insert_edges(EdgeTable::RelatedTo, &cooccurrence::count_pairs(links))?;
        Ok(RebuiltEdges {
            edge_count,
            total_weight,
            edges,
        })
    }

    /// Keep the graph snapshot for `version` from the edges a rebuild wrote, so the first
    /// analysis after a big import does not have to scan appears_with. O(V + E).
    pub fn keep_snapshot(&self, version: i64, rebuilt: &RebuiltEdges) -> Result<()> {
        use super::read::{insight_ids, write_snapshot, IdIndex};
        let ids = insight_ids(&self.tx).map_err(|e| self.err(e))?;
        let index = IdIndex::new(&ids);
        let edges: Option<Vec<(u32, u32, u32)>> = rebuilt
            .edges
            .iter()
            .map(|&(a, b, w)| Some((index.get(i64::from(a))?, index.get(i64::from(b))?, w)))
            .collect();
        let arrays = edges.and_then(|e| crate::graph::CsrArrays::from_sorted_edges(ids.len(), &e));
        if let Some(arrays) = arrays {
            write_snapshot(&self.tx, version, &ids, &arrays).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Bulk insert, many rows per statement (see `flush_occurrences`).
    fn insert_edges(&self, table: EdgeTable, edges: &[(u32, u32, u32)]) -> Result<()> {
        const ROWS: usize = 256;
        let full = table.insert(ROWS);
        for chunk in edges.chunks(ROWS) {
            let sql = if chunk.len() == ROWS {
                full.clone()
            } else {
                table.insert(chunk.len())
            };
            let mut stmt = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
            for (i, &(a, b, w)) in chunk.iter().enumerate() {
                stmt.raw_bind_parameter(3 * i + 1, a)?;
                stmt.raw_bind_parameter(3 * i + 2, b)?;
                stmt.raw_bind_parameter(3 * i + 3, w)?;
            }
            stmt.raw_execute().map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Apply weight changes (packed pair -> +/- sources) to an edge table; edges whose weight
    /// reaches zero are deleted.
    pub fn apply_edge_delta(&mut self, table: EdgeTable, delta: &HashMap<u64, i64>) -> Result<()> {
        let mut changes: Vec<(u64, i64)> = delta
            .iter()
            .filter(|(_, d)| **d != 0)
            .map(|(k, d)| (*k, *d))
            .collect();
        changes.sort_unstable();
        let e = |err| classify(&self.path, err);
        for (key, d) in changes {
            let (a, b) = cooccurrence::unpack(key);
            if d > 0 {
                for sql in table.upsert() {
                    self.tx
                        .prepare_cached(sql)
                        .and_then(|mut st| st.execute(params![a, b, d]))
                        .map_err(e)?;
                }
                continue;
            }
            let mut kept = 0;
            for sql in table.subtract() {
                kept = self
                    .tx
                    .prepare_cached(sql)
                    .and_then(|mut st| st.execute(params![a, b, d]))
                    .map_err(e)?;
            }
            if kept == 0 {
                for sql in table.delete() {
                    self.tx
                        .prepare_cached(sql)
                        .and_then(|mut st| st.execute(params![a, b]))
                        .map_err(e)?;
                }
            }
        }
        Ok(())
    }

    /// Take back the edge contributions of sources as they were (`before`) and add those of
    /// sources as they are now (`after`), in both edge tables; then recount the totals.
    /// O(pairs of the sources touched), whatever the size of the graph.
    pub fn replace_contributions(
        &mut self,
        before: &[SourceSequence],
        after: &[SourceSequence],
        window: Window,
    ) -> Result<()> {
        let mut pair_delta: HashMap<u64, i64> = HashMap::new();
        let mut link_delta: HashMap<u64, i64> = HashMap::new();
        let mut buffer = Vec::new();
        for (sequences, sign) in [(before, -1i64), (after, 1)] {
            for seq in sequences {
                buffer.clear();
                cooccurrence::source_pairs(&seq.insights, window, &mut buffer);
                for &p in &buffer {
                    *pair_delta.entry(p).or_insert(0) += sign;
                }
                buffer.clear();
                seq.related_links(&mut buffer);
                for &l in &buffer {
                    *link_delta.entry(l).or_insert(0) += sign;
                }
            }
        }
        self.apply_edge_delta(EdgeTable::AppearsWith, &pair_delta)?;
        self.apply_edge_delta(EdgeTable::RelatedTo, &link_delta)?;
        let (edges, total_weight) = self.count_edges()?;
        self.set_edge_totals(edges, total_weight)
    }

    /// Count one more change of the graph; returns the new graph version.
    pub fn bump_graph_version(&self) -> Result<i64> {
        let version = self
            .meta("graph_version")?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
            + 1;
        self.set_meta("graph_version", &version.to_string())?;
        Ok(version)
    }

    /// Delete insights no source holds any more. Returns how many.
    pub fn delete_orphan_insights(&mut self) -> Result<usize> {
        self.flush_occurrences()?;
        let n = self
            .tx
            .execute(
                "DELETE FROM insights WHERE NOT EXISTS
                   (SELECT 1 FROM occurrences o WHERE o.insight_id = insights.id)",
                [],
            )
            .map_err(|e| self.err(e))?;
        if n > 0 {
            self.keys = None;
        }
        Ok(n)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Keep (edges, total weight) in `meta`, so imports that change nothing need not count.
    pub fn set_edge_totals(&self, edges: i64, total_weight: i64) -> Result<()> {
        self.set_meta("edges", &edges.to_string())?;
        self.set_meta("total_weight", &total_weight.to_string())
    }

    /// (edges, total weight) of appears-with, as kept in `meta` (counted if missing).
    pub fn edge_totals(&self) -> Result<(i64, i64)> {
        let kept =
            |k: &str| -> Result<Option<i64>> { Ok(self.meta(k)?.and_then(|v| v.parse().ok())) };
        match (kept("edges")?, kept("total_weight")?) {
            (Some(e), Some(w)) => Ok((e, w)),
            _ => self.count_edges(),
        }
    }

    /// Count (edges, total weight) of appears-with by scanning it.
    pub fn count_edges(&self) -> Result<(i64, i64)> {
        self.tx
            .query_row(
                "SELECT count(*), ifnull(sum(weight), 0) FROM appears_with",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    pub fn insight_count(&self) -> Result<i64> {
        self.count("SELECT count(*) FROM insights")
    }

    pub fn commit(mut self) -> Result<()> {
        self.flush_occurrences()?;
        self.finish_bulk()?;
        let path = self.path.clone();
        self.tx.commit().map_err(|e| classify(&path, e))
    }
}

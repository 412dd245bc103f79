//! The writes of one import, all inside one `BEGIN IMMEDIATE` transaction: a crash, kill or
//! Ctrl-C before `commit` leaves the database exactly as it was. Statements are prepared once
//! and cached; bulk loads into an empty database drop the secondary indexes first and build
//! them once at the end.

use super::{classify, now_utc, Store};
use crate::cooccurrence::{self, Window};
use crate::error::{Error, Result};
use crate::parse::normalize::InsightKey;
use crate::parse::ParsedSource;
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
const BULK_INDEXES: [(&str, &str); 2] = [
    (
        "occurrences_by_insight",
        "CREATE INDEX occurrences_by_insight ON occurrences (insight_id, source_id)",
    ),
    (
        "appears_with_by_b",
        "CREATE INDEX appears_with_by_b ON appears_with (b, a)",
    ),
];

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

/// Insight key hash -> insight id.
pub type KeyMap = HashMap<u128, u32, BuildHasherDefault<PrehashedU128>>;

/// One import's transaction.
pub struct ImportTx<'c> {
    tx: Transaction<'c>,
    path: PathBuf,
    /// Insight key hash -> id, loaded on first use.
    keys: Option<KeyMap>,
    bulk: bool,
}

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

    /// The insight sequences (in position order) of the given sources.
    pub fn sequences_of(&self, source_ids: &[i64]) -> Result<Vec<Vec<u32>>> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT insight_id FROM occurrences WHERE source_id = ?1 ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(source_ids.len());
        for id in source_ids {
            let seq = stmt
                .query_map([id], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err(e))?
                .map(|r| r.map_err(Error::from).and_then(insight_id))
                .collect::<Result<Vec<u32>>>()?;
            out.push(seq);
        }
        Ok(out)
    }

    /// Delete sources and their occurrences; returns their insight sequences, so their
    /// appears-with contributions can be taken back.
    pub fn remove_sources(&mut self, source_ids: &[i64]) -> Result<Vec<Vec<u32>>> {
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
    pub fn add_file(&mut self, file: &NewFile<'_>) -> Result<(Vec<Vec<u32>>, StoredCounts)> {
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
        let mut ins_occ = tx
            .prepare_cached(
                "INSERT INTO occurrences (source_id, position, insight_id, role, line, context)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
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
            let mut seq = Vec::with_capacity(source.insights.len());
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
                ins_occ
                    .execute(params![
                        source_id,
                        position as i64,
                        id,
                        insight.role.as_str(),
                        insight.line,
                        insight.context
                    ])
                    .map_err(e)?;
                counts.occurrences += 1;
                seq.push(id);
            }
            sequences.push(seq);
        }
        Ok((sequences, counts))
    }

    /// Every source's insight sequence, streamed in (source, position) order.
    fn all_sequences(&self, mut each: impl FnMut(&[u32])) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT source_id, insight_id FROM occurrences ORDER BY source_id, position")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut current = i64::MIN;
        let mut seq: Vec<u32> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let source: i64 = row.get(0)?;
            if source != current {
                if !seq.is_empty() {
                    each(&seq);
                }
                seq.clear();
                current = source;
            }
            seq.push(insight_id(row.get(1)?)?);
        }
        if !seq.is_empty() {
            each(&seq);
        }
        Ok(())
    }

    /// Recompute every appears-with edge from the stored occurrences.
    ///
    /// O(P log P) for P pair contributions (sorted in parallel), then one ordered bulk insert.
    pub fn rebuild_edges(&mut self, window: Window) -> Result<(i64, i64)> {
        let mut pairs = Vec::new();
        self.all_sequences(|seq| cooccurrence::source_pairs(seq, window, &mut pairs))?;
        let total_weight = pairs.len() as i64;
        let edges = cooccurrence::count_pairs(pairs);
        let edge_count = edges.len() as i64;
        let had_index = !self.bulk;
        if had_index {
            self.tx
                .execute_batch("DROP INDEX IF EXISTS appears_with_by_b")
                .map_err(|e| self.err(e))?;
        }
        self.tx
            .execute_batch("DELETE FROM appears_with")
            .map_err(|e| self.err(e))?;
        {
            let mut ins = self
                .tx
                .prepare_cached("INSERT INTO appears_with (a, b, weight) VALUES (?1, ?2, ?3)")
                .map_err(|e| classify(&self.path, e))?;
            for (a, b, w) in edges {
                ins.execute(params![a, b, w])
                    .map_err(|e| classify(&self.path, e))?;
            }
        }
        if had_index {
            self.tx
                .execute_batch(BULK_INDEXES[1].1)
                .map_err(|e| self.err(e))?;
        }
        Ok((edge_count, total_weight))
    }

    /// Apply weight changes to appears-with edges (pair -> +/- sources); edges whose weight
    /// reaches zero are deleted.
    pub fn apply_edge_delta(&mut self, delta: &HashMap<u64, i64>) -> Result<()> {
        let mut changes: Vec<(u64, i64)> = delta
            .iter()
            .filter(|(_, d)| **d != 0)
            .map(|(k, d)| (*k, *d))
            .collect();
        changes.sort_unstable();
        let e = |err| classify(&self.path, err);
        let mut add = self
            .tx
            .prepare_cached(
                "INSERT INTO appears_with (a, b, weight) VALUES (?1, ?2, ?3)
                 ON CONFLICT (a, b) DO UPDATE SET weight = weight + excluded.weight",
            )
            .map_err(e)?;
        let mut sub = self
            .tx
            .prepare_cached("UPDATE appears_with SET weight = weight + ?3 WHERE a = ?1 AND b = ?2 AND weight + ?3 > 0")
            .map_err(e)?;
        let mut del = self
            .tx
            .prepare_cached("DELETE FROM appears_with WHERE a = ?1 AND b = ?2")
            .map_err(e)?;
        for (key, d) in changes {
            let (a, b) = cooccurrence::unpack(key);
            if d > 0 {
                add.execute(params![a, b, d]).map_err(e)?;
            } else if sub.execute(params![a, b, d]).map_err(e)? == 0 {
                del.execute(params![a, b]).map_err(e)?;
            }
        }
        Ok(())
    }

    /// Delete insights no source holds any more. Returns how many.
    pub fn delete_orphan_insights(&mut self) -> Result<usize> {
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
        self.finish_bulk()?;
        let path = self.path.clone();
        self.tx.commit().map_err(|e| classify(&path, e))
    }
}

//! Reads of the appears-with edges: the whole graph for the algorithms (kept as a CSR
//! snapshot per graph version), and one insight's neighbourhood for the explore commands.

use super::Store;
use crate::error::{Error, Result};
use crate::graph::{CsrArrays, InsightGraph};
use crate::ids::InsightId;
use rusqlite::{params, Connection, OptionalExtension, MAIN_DB};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;

/// A neighbour of an insight.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbor {
    pub id: InsightId,
    /// Hops from the start (1 = adjacent).
    pub depth: u32,
    /// The insight one hop closer to the start through which this one was reached (the start
    /// itself at depth 1): the heaviest such link, ties by lowest id.
    pub via: InsightId,
    /// Weight of the link from `via`.
    pub weight: i64,
    pub text: String,
}

impl Store {
    /// Load G: every insight is a node, every appears-with edge an undirected weighted edge.
    ///
    /// Reads the kept snapshot when it matches the graph version; otherwise scans the tables
    /// and keeps a snapshot for next time, if the database can be written right now. Both
    /// are O(V + E), without sorting.
    pub fn load_graph(&self) -> Result<InsightGraph> {
        let version = self.graph_version()?;
        if let Some(graph) = self.read(|c| read_snapshot(c, version))? {
            self.release_cache()?;
            return Ok(graph);
        }
        let graph = self.scan_graph()?;
        self.keep_snapshot(version, &graph);
        self.release_cache()?;
        Ok(graph)
    }

    /// Build G from the insights and appears_with tables: two sequential scans (ids ascending,
    /// edges in (a, b) order) and a counting sort into CSR.
    pub fn scan_graph(&self) -> Result<InsightGraph> {
        let (ids, edges) = self.read(|c| {
            let ids = insight_ids(c)?;
            let index = IdIndex::new(&ids);
            let mut stmt = c.prepare("SELECT a, b, weight FROM appears_with")?;
            let mut rows = stmt.query([])?;
            let mut edges: Vec<(u32, u32, u32)> = Vec::new();
            while let Some(row) = rows.next()? {
                if let (Some(a), Some(b)) = (index.get(row.get(0)?), index.get(row.get(1)?)) {
                    edges.push((a, b, row.get(2)?));
                }
            }
            Ok((ids, edges))
        })?;
        CsrArrays::from_sorted_edges(ids.len(), &edges)
            .and_then(|arrays| InsightGraph::from_arrays(ids, &arrays))
            .ok_or_else(|| Error::CorruptDatabase {
                path: self.path().to_path_buf(),
                message: "appears_with is not a valid edge list (a < b, sorted, known insights)"
                    .into(),
            })
    }

    /// Keep a snapshot of `graph` for `version`. Best effort: a locked or read-only database
    /// just goes without one (it never waits for another writer).
    fn keep_snapshot(&self, version: i64, graph: &InsightGraph) {
        if self.is_read_only() {
            return;
        }
        let conn = self.conn();
        if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
            return;
        }
        let _ = write_snapshot(conn, version, graph.ids(), &graph.to_arrays());
        let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
    }

    /// The `limit` heaviest appears-with neighbours of `id` (ties by id), heaviest first.
    pub fn strongest_neighbors(&self, id: InsightId, limit: usize) -> Result<Vec<Neighbor>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT n.neighbor_id, n.weight, i.text FROM neighbors n JOIN insights i ON i.id = n.neighbor_id
                 WHERE n.insight_id = ?1
                 ORDER BY n.weight DESC, n.neighbor_id LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![id, limit as i64], |r| {
                    Ok(Neighbor {
                        id: r.get(0)?,
                        depth: 1,
                        via: id,
                        weight: r.get(1)?,
                        text: r.get(2)?,
                    })
                })?
                .collect();
            rows
        })
    }

    /// Insights within `depth` hops of `start` over edges of weight >= `min_weight`, by depth,
    /// then link weight (heaviest first), then id; at most `limit` (0 = all).
    ///
    /// Breadth-first, one indexed neighbour query per expanded insight: O(reached insights +
    /// their edges), independent of the size of the rest of the graph.
    pub fn neighborhood(
        &self,
        start: InsightId,
        depth: u32,
        min_weight: i64,
        limit: usize,
    ) -> Result<Vec<Neighbor>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT neighbor_id, weight FROM neighbors WHERE insight_id = ?1 AND weight >= ?2",
            )?;
            let mut seen: HashMap<InsightId, ()> = HashMap::from([(start, ())]);
            let mut frontier = vec![start];
            let mut found: Vec<Neighbor> = Vec::new();
            for d in 1..=depth {
                // Best link into each newly reached insight from this frontier.
                let mut reached: HashMap<InsightId, (InsightId, i64)> = HashMap::new();
                for &u in &frontier {
                    let rows = stmt.query_map(params![u, min_weight], |r| {
                        Ok((r.get::<_, InsightId>(0)?, r.get::<_, i64>(1)?))
                    })?;
                    for row in rows {
                        let (v, w) = row?;
                        if seen.contains_key(&v) {
                            continue;
                        }
                        let best = reached.entry(v).or_insert((u, w));
                        if w > best.1 || (w == best.1 && u < best.0) {
                            *best = (u, w);
                        }
                    }
                }
                if reached.is_empty() {
                    break;
                }
                let mut layer: Vec<(InsightId, InsightId, i64)> = reached
                    .into_iter()
                    .map(|(v, (via, w))| (v, via, w))
                    .collect();
                layer.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
                frontier = layer.iter().map(|&(v, _, _)| v).collect();
                for &(v, via, weight) in &layer {
                    seen.insert(v, ());
                    found.push(Neighbor {
                        id: v,
                        depth: d,
                        via,
                        weight,
                        text: String::new(),
                    });
                }
                if limit > 0 && found.len() >= limit {
                    found.truncate(limit);
                    break;
                }
            }
            let mut text = c.prepare_cached("SELECT text FROM insights WHERE id = ?1")?;
            for n in &mut found {
                n.text = text.query_row([n.id], |r| r.get(0))?;
            }
            Ok(found)
        })
    }
}

/// The number of insights. Every insight is a node of the graph, so the snapshot kept for
/// the current graph version holds exactly their ids: its length answers in O(1) (SQLite
/// reads a blob's length from its record header). Without a current snapshot, `count(*)`
/// scans the key index, O(insights): 45 ms at 111k, most of an unchanged re-import's commit.
pub(super) fn insight_count(conn: &Connection) -> rusqlite::Result<i64> {
    let version = super::meta::graph_version(conn)?;
    let kept: Option<i64> = conn
        .query_row(
            "SELECT length(ids) / 8 FROM graph_snapshot WHERE id = 1 AND graph_version = ?1",
            [version],
            |r| r.get(0),
        )
        .optional()?;
    match kept {
        Some(count) => Ok(count),
        None => conn.query_row("SELECT count(*) FROM insights", [], |r| r.get(0)),
    }
}

/// Every insight id, ascending.
pub(super) fn insight_ids(conn: &Connection) -> rusqlite::Result<Vec<InsightId>> {
    let mut stmt = conn.prepare("SELECT id FROM insights ORDER BY id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect();
    ids
}

/// Insight id -> node index, for ascending ids: a direct table when ids are dense enough
/// (they are, unless most insights were pruned), else binary search.
pub(super) struct IdIndex<'a> {
    ids: &'a [InsightId],
    table: Vec<u32>,
}

impl<'a> IdIndex<'a> {
    pub(super) fn new(ids: &'a [InsightId]) -> IdIndex<'a> {
        let max = ids.last().map_or(0, |id| id.0 as usize);
        let table = if max <= 4 * ids.len() + 1024 {
            let mut table = vec![u32::MAX; max + 1];
            for (i, id) in ids.iter().enumerate() {
                table[id.0 as usize] = i as u32;
            }
            table
        } else {
            Vec::new()
        };
        IdIndex { ids, table }
    }

    pub(super) fn get(&self, id: InsightId) -> Option<u32> {
        if !self.table.is_empty() {
            return self
                .table
                .get(id.0 as usize)
                .copied()
                .filter(|&i| i != u32::MAX);
        }
        self.ids.binary_search(&id).ok().map(|i| i as u32)
    }
}

/// Write the snapshot of the graph of `version` (see `graph_snapshot` in schema.sql).
///
/// The row is inserted with zero-filled blobs of the final sizes, which are then written in
/// place (incremental blob I/O) a few pages at a time: binding whole byte arrays held two
/// copies of the snapshot (ours and SQLite's record) at once, the peak of a large import. All
/// of it in one savepoint, so no reader ever sees the zeros.
pub(super) fn write_snapshot(
    conn: &Connection,
    version: i64,
    ids: &[InsightId],
    arrays: &CsrArrays,
) -> rusqlite::Result<()> {
    conn.execute_batch("SAVEPOINT write_snapshot")?;
    match write_snapshot_rows(conn, version, ids, arrays) {
        Ok(()) => conn.execute_batch("RELEASE write_snapshot"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO write_snapshot; RELEASE write_snapshot");
            Err(e)
        }
    }
}

fn write_snapshot_rows(
    conn: &Connection,
    version: i64,
    ids: &[InsightId],
    arrays: &CsrArrays,
) -> rusqlite::Result<()> {
    let size = |count: usize, width: usize| (count * width) as i64;
    conn.execute(
        "INSERT OR REPLACE INTO graph_snapshot (id, graph_version, ids, offsets, targets, weights)
         VALUES (1, ?1, zeroblob(?2), zeroblob(?3), zeroblob(?4), zeroblob(?5))",
        params![
            version,
            size(ids.len(), 8),
            size(arrays.offsets.len(), 8),
            size(arrays.targets.len(), 4),
            size(arrays.weights.len(), 4)
        ],
    )?;
    write_le(conn, "ids", ids, |id| id.get().to_le_bytes())?;
    write_le(conn, "offsets", &arrays.offsets, u64::to_le_bytes)?;
    write_le(conn, "targets", &arrays.targets, u32::to_le_bytes)?;
    write_le(conn, "weights", &arrays.weights, u32::to_le_bytes)
}

/// Write `values` little-endian into the blob `column` of the snapshot row, 64 KiB at a time.
fn write_le<const N: usize, T: Copy>(
    conn: &Connection,
    column: &str,
    values: &[T],
    to: impl Fn(T) -> [u8; N],
) -> rusqlite::Result<()> {
    const CHUNK: usize = 64 << 10;
    let mut blob = conn.blob_open(MAIN_DB, "graph_snapshot", column, 1, false)?;
    let mut buffer = Vec::with_capacity(CHUNK);
    let mut at = 0;
    for chunk in values.chunks(CHUNK / N) {
        buffer.clear();
        for &v in chunk {
            buffer.extend_from_slice(&to(v));
        }
        blob.write_at(&buffer, at)?;
        at += buffer.len();
    }
    blob.close()
}

/// The snapshot of the graph of `version`, if one is kept and valid. A damaged snapshot is
/// not an error: the tables are the truth, and the caller scans them instead.
fn read_snapshot(conn: &Connection, version: i64) -> rusqlite::Result<Option<InsightGraph>> {
    fn words<const N: usize, T>(bytes: &[u8], from: impl Fn([u8; N]) -> T) -> Vec<T> {
        bytes
            .chunks_exact(N)
            .map(|c| from(c.try_into().expect("N bytes")))
            .collect()
    }
    // One read transaction, so the streamed blobs belong to the row whose offsets were read.
    let tx = conn
        .is_autocommit()
        .then(|| conn.unchecked_transaction())
        .transpose()?;
    let head = conn
        .query_row(
            "SELECT ids, offsets, length(targets), length(weights) FROM graph_snapshot
             WHERE id = 1 AND graph_version = ?1",
            [version],
            |r| {
                let ids: Option<Vec<InsightId>> =
                    words(r.get_ref(0)?.as_blob()?, i64::from_le_bytes)
                        .into_iter()
                        .map(InsightId::from_i64)
                        .collect();
                let offsets = words(r.get_ref(1)?.as_blob()?, u64::from_le_bytes);
                Ok((ids, offsets, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            },
        )
        .optional()?;
    let Some((Some(ids), offsets, targets_len, weights_len)) = head else {
        return Ok(None);
    };
    let entries = offsets.last().map_or(0, |&m| m as i64);
    if !ids.windows(2).all(|w| w[0] < w[1])
        || targets_len != 4 * entries
        || weights_len != 4 * entries
    {
        return Ok(None);
    }
    // Targets and weights (600 MB at a million insights) are streamed into the graph rather
    // than read whole: a whole blob is one copy in SQLite's memory and another decoded.
    let open = |column| conn.blob_open(MAIN_DB, "graph_snapshot", column, 1, true);
    let (targets, weights) = (
        LeWords::new(open("targets")?),
        LeWords::new(open("weights")?),
    );
    let graph = InsightGraph::from_rows(ids, &offsets, targets.zip(weights));
    drop(tx);
    Ok(graph)
}

/// The little-endian `u32`s of a blob, read a chunk at a time. A read error ends the stream
/// early, which [`InsightGraph::from_rows`] takes as a damaged snapshot.
struct LeWords<R> {
    reader: R,
    chunk: Vec<u8>,
    at: usize,
}

impl<R: Read> LeWords<R> {
    /// Bytes read at a time: 256 KiB.
    const CHUNK: usize = 1 << 18;

    fn new(reader: R) -> Self {
        LeWords {
            reader,
            chunk: Vec::with_capacity(Self::CHUNK),
            at: 0,
        }
    }
}

impl<R: Read> Iterator for LeWords<R> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.at + 4 > self.chunk.len() {
            self.chunk.clear();
            self.at = 0;
            (&mut self.reader)
                .take(Self::CHUNK as u64)
                .read_to_end(&mut self.chunk)
                .ok()?;
            if self.chunk.len() % 4 != 0 || self.chunk.is_empty() {
                return None;
            }
        }
        let word = u32::from_le_bytes(self.chunk[self.at..self.at + 4].try_into().ok()?);
        self.at += 4;
        Some(word)
    }
}

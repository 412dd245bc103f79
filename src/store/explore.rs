//! Reads for the explore commands (`show`, `neighbors`, `path`): one insight at a time, by
//! index, never loading the whole graph.

use super::Store;
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// An insight's text and how widely it occurs.
#[derive(Debug, Clone, Serialize)]
pub struct InsightInfo {
    pub id: i64,
    pub text: String,
    pub sources: i64,
    /// Appears-with neighbours.
    pub degree: i64,
    /// Sum of appears-with weights.
    pub strength: i64,
}

/// One place an insight occurs.
#[derive(Debug, Clone, Serialize)]
pub struct Appearance {
    pub source_id: i64,
    pub path: String,
    pub name: String,
    pub title: Option<String>,
    pub role: String,
    pub line: i64,
}

/// A neighbour of an insight.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbor {
    pub id: i64,
    /// Hops from the start (1 = adjacent).
    pub depth: u32,
    /// The insight one hop closer to the start through which this one was reached (the start
    /// itself at depth 1): the heaviest such link, ties by lowest id.
    pub via: i64,
    /// Weight of the link from `via`.
    pub weight: i64,
    pub text: String,
}

/// A merged variant of an insight.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub old_id: i64,
    pub text: String,
}

/// A kept centrality score of one insight. (No rank: counting the insights above it is a
/// scan of the whole run, too slow for `show` on a large graph; `central` lists ranks.)
#[derive(Debug, Clone, Serialize)]
pub struct KeptScore {
    pub measure: String,
    pub score: f64,
    pub params: String,
}

/// The kept community of one insight.
#[derive(Debug, Clone, Serialize)]
pub struct KeptCommunity {
    pub algorithm: String,
    pub community: i64,
    pub label: String,
    pub size: i64,
}

/// A source in which two insights appear together.
#[derive(Debug, Clone, Serialize)]
pub struct LinkSource {
    pub source_id: i64,
    pub path: String,
    pub name: String,
    pub title: Option<String>,
}

fn collect<T>(
    rows: rusqlite::Result<impl Iterator<Item = rusqlite::Result<T>>>,
) -> rusqlite::Result<Vec<T>> {
    rows?.collect()
}

impl Store {
    /// Text, source count, degree and strength of insight `id`.
    pub fn insight_info(&self, id: i64) -> Result<InsightInfo> {
        self.conn()
            .query_row(
                // The two halves of the neighbors view spelled out: SQLite does not push a
                // correlated condition into a UNION ALL view, and would scan appears_with.
                "SELECT i.text,
                        (SELECT count(DISTINCT source_id) FROM occurrences WHERE insight_id = ?1),
                        (SELECT count(*) FROM appears_with WHERE a = ?1)
                          + (SELECT count(*) FROM appears_with_rev WHERE b = ?1),
                        (SELECT ifnull(sum(weight), 0) FROM appears_with WHERE a = ?1)
                          + (SELECT ifnull(sum(weight), 0) FROM appears_with_rev WHERE b = ?1)
                 FROM insights i WHERE i.id = ?1",
                [id],
                |r| {
                    Ok(InsightInfo {
                        id,
                        text: r.get(0)?,
                        sources: r.get(1)?,
                        degree: r.get(2)?,
                        strength: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::NotFound(format!("no insight #{id}")))
    }

    /// Where insight `id` occurs, by path, source and position; the first `limit`.
    pub fn appearances(&self, id: i64, limit: usize) -> Result<Vec<Appearance>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT s.id, s.path, s.name, s.title, o.role, o.line
                 FROM occurrences o JOIN sources s ON s.id = o.source_id
                 WHERE o.insight_id = ?1 ORDER BY s.path, s.name, o.position LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        collect(stmt.query_map(params![id, limit as i64], |r| {
            Ok(Appearance {
                source_id: r.get(0)?,
                path: r.get(1)?,
                name: r.get(2)?,
                title: r.get(3)?,
                role: r.get(4)?,
                line: r.get(5)?,
            })
        }))
        .map_err(|e| self.err(e))
    }

    /// The `limit` heaviest appears-with neighbours of `id` (ties by id), heaviest first.
    pub fn strongest_neighbors(&self, id: i64, limit: usize) -> Result<Vec<Neighbor>> {
        self.adjacent(id, 1, limit)
    }

    /// Neighbours with weight >= `min_weight`, heaviest first, at most `limit`.
    fn adjacent(&self, id: i64, min_weight: i64, limit: usize) -> Result<Vec<Neighbor>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT n.neighbor_id, n.weight, i.text FROM neighbors n JOIN insights i ON i.id = n.neighbor_id
                 WHERE n.insight_id = ?1 AND n.weight >= ?2
                 ORDER BY n.weight DESC, n.neighbor_id LIMIT ?3",
            )
            .map_err(|e| self.err(e))?;
        collect(stmt.query_map(params![id, min_weight, limit as i64], |r| {
            Ok(Neighbor {
                id: r.get(0)?,
                depth: 1,
                via: id,
                weight: r.get(1)?,
                text: r.get(2)?,
            })
        }))
        .map_err(|e| self.err(e))
    }

    /// Insights within `depth` hops of `start` over edges of weight >= `min_weight`, by depth,
    /// then link weight (heaviest first), then id; at most `limit` (0 = all).
    ///
    /// Breadth-first, one indexed neighbour query per expanded insight: O(reached insights +
    /// their edges), independent of the size of the rest of the graph.
    pub fn neighborhood(
        &self,
        start: i64,
        depth: u32,
        min_weight: i64,
        limit: usize,
    ) -> Result<Vec<Neighbor>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT neighbor_id, weight FROM neighbors WHERE insight_id = ?1 AND weight >= ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut seen: HashMap<i64, ()> = HashMap::from([(start, ())]);
        let mut frontier = vec![start];
        let mut found: Vec<Neighbor> = Vec::new();
        for d in 1..=depth {
            // Best link into each newly reached insight from this frontier.
            let mut reached: HashMap<i64, (i64, i64)> = HashMap::new();
            for &u in &frontier {
                let rows = collect(stmt.query_map(params![u, min_weight], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                }))
                .map_err(|e| self.err(e))?;
                for (v, w) in rows {
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
            let mut layer: Vec<(i64, i64, i64)> = reached
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
        let mut text = self
            .conn()
            .prepare_cached("SELECT text FROM insights WHERE id = ?1")
            .map_err(|e| self.err(e))?;
        for n in &mut found {
            n.text = text
                .query_row([n.id], |r| r.get(0))
                .map_err(|e| self.err(e))?;
        }
        Ok(found)
    }

    /// Texts merged into insight `id` by `dedupe --apply`.
    pub fn variants(&self, id: i64) -> Result<Vec<Variant>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT old_id, text FROM insight_aliases WHERE insight_id = ?1 ORDER BY old_id",
            )
            .map_err(|e| self.err(e))?;
        collect(stmt.query_map([id], |r| {
            Ok(Variant {
                old_id: r.get(0)?,
                text: r.get(1)?,
            })
        }))
        .map_err(|e| self.err(e))
    }

    /// The newest kept score of every centrality measure computed for the current graph
    /// version. Primary-key lookups only.
    pub fn kept_scores_of(&self, id: i64) -> Result<Vec<KeptScore>> {
        let version = self.graph_version()?;
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT r.measure, c.score, r.params
                 FROM analysis_runs r JOIN centrality c ON c.run_id = r.id AND c.insight_id = ?1
                 WHERE r.kind = 'centrality' AND r.graph_version = ?2
                   AND r.id = (SELECT r2.id FROM analysis_runs r2
                               WHERE r2.kind = 'centrality' AND r2.measure = r.measure AND r2.graph_version = ?2
                               ORDER BY r2.id DESC LIMIT 1)
                 ORDER BY r.measure",
            )
            .map_err(|e| self.err(e))?;
        collect(stmt.query_map(params![id, version], |r| {
            Ok(KeptScore {
                measure: r.get(0)?,
                score: r.get(1)?,
                params: r.get(2)?,
            })
        }))
        .map_err(|e| self.err(e))
    }

    /// The insight's community in the newest partition kept for the current graph version.
    pub fn kept_community_of(&self, id: i64) -> Result<Option<KeptCommunity>> {
        let version = self.graph_version()?;
        self.conn()
            .query_row(
                "SELECT r.measure, m.community_id, c.label, c.size
                 FROM analysis_runs r
                 JOIN memberships m ON m.run_id = r.id AND m.insight_id = ?1
                 JOIN communities c ON c.run_id = r.id AND c.community_id = m.community_id
                 WHERE r.kind = 'communities' AND r.graph_version = ?2
                 ORDER BY r.id DESC LIMIT 1",
                params![id, version],
                |r| {
                    Ok(KeptCommunity {
                        algorithm: r.get(0)?,
                        community: r.get(1)?,
                        label: r.get(2)?,
                        size: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The sources in which insights `a` and `b` appear together (within the co-occurrence
    /// window, if one is set), by path.
    pub fn linking_sources(&self, a: i64, b: i64) -> Result<Vec<LinkSource>> {
        let window: i64 = self
            .meta("window")?
            .and_then(|w| w.parse().ok())
            .filter(|&w| w > 0)
            .unwrap_or(i64::MAX);
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT s.id, s.path, s.name, s.title
                 FROM occurrences oa
                 JOIN occurrences ob ON ob.source_id = oa.source_id AND ob.insight_id = ?2
                 JOIN sources s ON s.id = oa.source_id
                 WHERE oa.insight_id = ?1
                 GROUP BY s.id HAVING min(abs(oa.position - ob.position)) <= ?3
                 ORDER BY s.path, s.name",
            )
            .map_err(|e| self.err(e))?;
        collect(stmt.query_map(params![a, b, window], |r| {
            Ok(LinkSource {
                source_id: r.get(0)?,
                path: r.get(1)?,
                name: r.get(2)?,
                title: r.get(3)?,
            })
        }))
        .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept results are read straight from the analysis tables the `central` and
    /// `communities` commands write.
    #[test]
    fn kept_scores_and_community_of_the_current_graph_version() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO meta VALUES ('graph_version', '2');
                 INSERT INTO insights (id, key, text) VALUES (1, 'a', 'A'), (2, 'b', 'B'), (3, 'c', 'C');
                 INSERT INTO analysis_runs (id, kind, measure, params, graph_version, computed_at)
                 VALUES (1, 'centrality', 'pagerank', '{}', 1, '2024-01-01T00:00:00Z'),
                        (2, 'centrality', 'pagerank', '{\"alpha\":0.85}', 2, '2024-01-02T00:00:00Z'),
                        (3, 'communities', 'leiden', '{}', 2, '2024-01-02T00:00:00Z');
                 INSERT INTO centrality VALUES (1, 1, 9.0), (2, 1, 0.2), (2, 2, 0.5), (2, 3, 0.3);
                 INSERT INTO memberships VALUES (3, 1, 7), (3, 2, 7), (3, 3, 8);
                 INSERT INTO communities VALUES (3, 7, 2, 'theme seven'), (3, 8, 1, 'eight');",
            )
            .unwrap();
        let scores = store.kept_scores_of(1).unwrap();
        assert_eq!(scores.len(), 1);
        assert_eq!(
            (scores[0].measure.as_str(), scores[0].score),
            ("pagerank", 0.2)
        );
        let c = store.kept_community_of(1).unwrap().unwrap();
        assert_eq!(
            (c.community, c.label.as_str(), c.size),
            (7, "theme seven", 2)
        );
        assert!(store.kept_community_of(99).unwrap().is_none());
    }
}

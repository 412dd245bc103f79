//! What an appears-with edge means, in one place.
//!
//! Two distinct insights appear together in a source when both occur in it and, if a
//! co-occurrence window `w` is set, some occurrence of one is at most `w` positions from some
//! occurrence of the other. The weight of the undirected edge {a, b} is the number of distinct
//! sources in which a and b appear together. A source of k distinct insights contributes at
//! most k(k-1)/2 pairs without a window, and at most k·w with one.
//!
//! Pairs are packed into one `u64` (`a << 32 | b`, `a < b`) so a whole corpus's contributions
//! can be sorted and counted in flat memory.
//!
//! This module owns the edge arithmetic, as pure functions the store never repeats:
//! [`EdgeCounter`] counts every edge of a corpus (a first import, a window change, a large
//! change), and [`delta`] gives the weight changes when some sources are replaced, added or
//! removed (an incremental import, a prune, a `dedupe --apply` merge). The store only writes
//! what they return.

use crate::ids::InsightId;
use crate::parse::Role;
use std::collections::HashMap;

/// The co-occurrence window: `None` means every pair of insights in a source.
pub type Window = Option<u32>;

/// One source's insights in position order, with their roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSequence {
    /// Insight ids (`InsightId.0`), as the pair packing uses them.
    pub insights: Vec<u32>,
    pub roles: Vec<Role>,
}

impl SourceSequence {
    pub fn with_capacity(insights: usize) -> SourceSequence {
        SourceSequence {
            insights: Vec::with_capacity(insights),
            roles: Vec::with_capacity(insights),
        }
    }

    pub fn push(&mut self, insight: InsightId, role: Role) {
        self.insights.push(insight.0);
        self.roles.push(role);
    }

    /// Append this source's related-to links, headline -> related, each once, packed
    /// `headline << 32 | related` (directed, so not through [`pack`]).
    pub fn related_links(&self, out: &mut Vec<u64>) {
        let Some(h) = self
            .roles
            .iter()
            .position(|&r| r == Role::Headline)
            .map(|i| self.insights[i])
        else {
            return;
        };
        let start = out.len();
        for (&id, &role) in self.insights.iter().zip(&self.roles) {
            if role == Role::Related && id != h {
                out.push((u64::from(h) << 32) | u64::from(id));
            }
        }
        out[start..].sort_unstable();
        let mut kept = start;
        for i in start..out.len() {
            if kept == start || out[i] != out[kept - 1] {
                out[kept] = out[i];
                kept += 1;
            }
        }
        out.truncate(kept);
    }
}

/// Pack an unordered pair of distinct insight ids.
#[inline]
pub fn pack(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

/// Unpack a pair packed by [`pack`], smaller id first.
#[inline]
pub fn unpack(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// Number of pairs a source of `k` distinct insights adds without a window.
pub fn clique_pairs(k: usize) -> u64 {
    let k = k as u64;
    k * k.saturating_sub(1) / 2
}

/// Append the distinct pairs one source contributes to `out`.
///
/// `sequence` is the source's insights in position order (repeats allowed). Each pair is
/// appended once per source. Time O(k²) without a window (O(k·w) with one) plus a sort of the
/// source's pairs for deduplication.
pub fn source_pairs(sequence: &[u32], window: Window, out: &mut Vec<u64>) {
    let start = out.len();
    match window {
        None => {
            let mut distinct: Vec<u32> = sequence.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            for (i, &a) in distinct.iter().enumerate() {
                for &b in &distinct[i + 1..] {
                    out.push(pack(a, b));
                }
            }
            // Already sorted and distinct.
            return;
        }
        Some(w) => {
            let w = w as usize;
            for (i, &a) in sequence.iter().enumerate() {
                for &b in sequence.iter().skip(i + 1).take(w) {
                    if a != b {
                        out.push(pack(a, b));
                    }
                }
            }
        }
    }
    let tail = &mut out[start..];
    tail.sort_unstable();
    let mut kept = 0;
    for i in 0..tail.len() {
        if i == 0 || tail[i] != tail[kept - 1] {
            tail[kept] = tail[i];
            kept += 1;
        }
    }
    out.truncate(start + kept);
}

/// Sort packed pairs and count each: the appears-with edge list with weights, ordered by (a, b).
pub fn count_pairs(mut pairs: Vec<u64>) -> Vec<(u32, u32, u32)> {
    use rayon::slice::ParallelSliceMut;
    pairs.par_sort_unstable();
    let mut edges = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let key = pairs[i];
        let mut j = i + 1;
        while j < pairs.len() && pairs[j] == key {
            j += 1;
        }
        let (a, b) = unpack(key);
        edges.push((a, b, (j - i) as u32));
        i = j;
    }
    edges
}

/// An edge with its weight: (a, b, shared sources), `a < b` for appears-with, (headline,
/// related, sources) for related-to.
pub type Edge = (u32, u32, u32);

/// Every edge of a corpus, sorted by (a, b).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EdgeCounts {
    pub appears_with: Vec<Edge>,
    pub related_to: Vec<Edge>,
    /// Sum of the appears-with weights: the number of pair contributions.
    pub total_weight: i64,
}

/// Counts the edges of a whole corpus, one source at a time: each source's distinct pairs
/// are appended to a flat list, sorted and counted at the end.
///
/// Time O(P log P) for P pair contributions (the sort is parallel), memory 8 bytes per
/// contribution.
#[derive(Debug, Default)]
pub struct EdgeCounter {
    window: Window,
    pairs: Vec<u64>,
    links: Vec<u64>,
}

impl EdgeCounter {
    pub fn new(window: Window) -> EdgeCounter {
        EdgeCounter {
            window,
            ..EdgeCounter::default()
        }
    }

    /// Count one source's contributions.
    pub fn add(&mut self, source: &SourceSequence) {
        source_pairs(&source.insights, self.window, &mut self.pairs);
        source.related_links(&mut self.links);
    }

    /// Every edge of the corpus `sources`.
    pub fn count(sources: &[SourceSequence], window: Window) -> EdgeCounts {
        let mut counter = EdgeCounter::new(window);
        for source in sources {
            counter.add(source);
        }
        counter.finish()
    }

    pub fn finish(self) -> EdgeCounts {
        let total_weight = self.pairs.len() as i64;
        EdgeCounts {
            appears_with: count_pairs(self.pairs),
            related_to: count_pairs(self.links),
            total_weight,
        }
    }
}

/// A change of weight of one edge: (a, b, +/- sources).
pub type WeightChange = (u32, u32, i64);

/// The weight changes of both edge tables, sorted by (a, b), without zeros.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EdgeDelta {
    pub appears_with: Vec<WeightChange>,
    pub related_to: Vec<WeightChange>,
}

/// The change to every edge when sources as they were (`before`) are replaced by sources as
/// they are now (`after`): the old sources' contributions taken back, the new ones added. A
/// removed source is only in `before`, a new one only in `after`, a merge changes a source's
/// sequence. Each source counts a pair once, so a weight stays "number of distinct sources".
///
/// Time O(p) hash operations for the p pair contributions of the sources touched, plus a sort
/// of the changed edges; independent of the size of the rest of the graph.
pub fn delta(before: &[SourceSequence], after: &[SourceSequence], window: Window) -> EdgeDelta {
    let mut pairs: HashMap<u64, i64> = HashMap::new();
    let mut links: HashMap<u64, i64> = HashMap::new();
    let mut buffer = Vec::new();
    for (sequences, sign) in [(before, -1i64), (after, 1)] {
        for seq in sequences {
            buffer.clear();
            source_pairs(&seq.insights, window, &mut buffer);
            for &p in &buffer {
                *pairs.entry(p).or_insert(0) += sign;
            }
            buffer.clear();
            seq.related_links(&mut buffer);
            for &l in &buffer {
                *links.entry(l).or_insert(0) += sign;
            }
        }
    }
    let sorted = |changes: HashMap<u64, i64>| {
        let mut out: Vec<WeightChange> = changes
            .into_iter()
            .filter(|&(_, d)| d != 0)
            .map(|(key, d)| {
                let (a, b) = unpack(key);
                (a, b, d)
            })
            .collect();
        out.sort_unstable();
        out
    };
    EdgeDelta {
        appears_with: sorted(pairs),
        related_to: sorted(links),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence(ids: &[u32]) -> SourceSequence {
        let mut seq = SourceSequence::default();
        for &id in ids {
            seq.push(InsightId(id), Role::Body);
        }
        seq
    }

    #[test]
    fn delta_takes_back_old_sources_and_adds_new_ones() {
        // Source 1 was {1,2,3} and becomes {1,2,4}; source 2 ({2,3}) is removed.
        let before = [sequence(&[1, 2, 3]), sequence(&[2, 3])];
        let after = [sequence(&[1, 2, 4])];
        let d = delta(&before, &after, None);
        assert_eq!(
            d.appears_with,
            vec![(1, 3, -1), (1, 4, 1), (2, 3, -2), (2, 4, 1)]
        );
        assert!(d.related_to.is_empty());
        // Nothing changed: no delta at all.
        assert_eq!(delta(&before, &before, None), EdgeDelta::default());
    }

    #[test]
    fn a_merge_counts_a_pair_once_per_source() {
        // Insight 3 is merged into 2: the source holding 1, 2 and 3 keeps weight 1 on (1, 2).
        let before = [sequence(&[1, 2, 3])];
        let after = [sequence(&[1, 2, 2])];
        assert_eq!(
            delta(&before, &after, None).appears_with,
            vec![(1, 3, -1), (2, 3, -1)]
        );
    }

    #[test]
    fn counter_counts_the_whole_corpus() {
        let mut counter = EdgeCounter::new(None);
        counter.add(&sequence(&[1, 2, 3]));
        counter.add(&sequence(&[2, 3]));
        let counts = counter.finish();
        assert_eq!(counts.appears_with, vec![(1, 2, 1), (1, 3, 1), (2, 3, 2)]);
        assert_eq!(counts.total_weight, 4);
    }

    fn pairs(seq: &[u32], window: Window) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        source_pairs(seq, window, &mut out);
        out.into_iter().map(unpack).collect()
    }

    #[test]
    fn clique_without_window_ignores_repeats() {
        assert_eq!(pairs(&[3, 1, 2, 1], None), vec![(1, 2), (1, 3), (2, 3)]);
        assert_eq!(clique_pairs(11), 55);
    }

    #[test]
    fn window_limits_pairs_to_nearby_positions() {
        assert_eq!(pairs(&[1, 2, 3, 4], Some(1)), vec![(1, 2), (2, 3), (3, 4)]);
        assert_eq!(
            pairs(&[1, 2, 3, 4], Some(2)),
            vec![(1, 2), (1, 3), (2, 3), (2, 4), (3, 4)]
        );
        // A repeat far away brings its neighbours in.
        assert_eq!(pairs(&[1, 2, 3, 1], Some(1)), vec![(1, 2), (1, 3), (2, 3)]);
    }

    #[test]
    fn related_links_go_from_the_headline_once_each() {
        let mut seq = SourceSequence::default();
        for (id, role) in [
            (5, Role::Headline),
            (7, Role::Body),
            (3, Role::Related),
            (3, Role::Related),
            (5, Role::Related),
        ] {
            seq.push(InsightId(id), role);
        }
        let mut out = Vec::new();
        seq.related_links(&mut out);
        assert_eq!(out, vec![(5u64 << 32) | 3]);
        let mut none = Vec::new();
        SourceSequence {
            insights: vec![1, 2],
            roles: vec![Role::Body, Role::Body],
        }
        .related_links(&mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn counting_gives_weights_in_order() {
        let mut all = Vec::new();
        source_pairs(&[1, 2, 3], None, &mut all);
        source_pairs(&[2, 3], None, &mut all);
        assert_eq!(count_pairs(all), vec![(1, 2, 1), (1, 3, 1), (2, 3, 2)]);
    }
}

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

use crate::parse::Role;

/// The co-occurrence window: `None` means every pair of insights in a source.
pub type Window = Option<u32>;

/// One source's insights in position order, with their roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSequence {
    pub insights: Vec<u32>,
    pub roles: Vec<Role>,
}

impl SourceSequence {
    pub fn push(&mut self, insight: u32, role: Role) {
        self.insights.push(insight);
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

#[cfg(test)]
mod tests {
    use super::*;

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
            seq.push(id, role);
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

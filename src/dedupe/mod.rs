//! Near-duplicate insights: texts that are nearly the same (one truncated, one with a typo or
//! different punctuation) but got different identity keys.
//!
//! 1. Each text becomes a set of character shingles ([`shingles`]).
//! 2. Each set gets a MinHash signature ([`minhash`]); LSH banding ([`lsh`]) proposes the
//!    pairs worth comparing, so the work grows with the number of similar pairs, not n².
//! 3. Every candidate pair is verified exactly: Jaccard similarity of the shingle sets, or, for
//!    a truncation, the containment of the shorter set in the longer one.
//! 4. Verified pairs are joined into groups (union-find); each group keeps one insight.
//!
//! [`plan`] only reads; [`apply`] merges in one transaction ([`merge`]).
//! [`thesaurus`] is the user's own merge/ignore list, applied by import.

pub mod lsh;
pub mod minhash;
pub mod shingles;
pub mod thesaurus;

use crate::cooccurrence;
use crate::error::{Error, Result};
use crate::ids::InsightId;
use crate::store::merge::MergeGroup;
use crate::store::Store;
use rayon::prelude::*;
use serde::Serialize;

/// How near-duplicates are found.
#[derive(Debug, Clone)]
pub struct DedupeConfig {
    /// Pairs with similarity at least this are duplicates (default 0.8).
    pub threshold: f64,
    /// Shingle length in characters (default 5).
    pub shingle: usize,
    /// A shorter text counts as a truncation of a longer one only if it has at least this many
    /// shingles (default 20, about 24 characters)...
    pub min_truncation_shingles: usize,
    /// ...and at least this share of the longer one's shingles (default 0.5; LSH finds such
    /// pairs with probability ≥ 0.87, ≥ 0.99 from 0.6).
    pub min_truncation_share: f64,
}

impl Default for DedupeConfig {
    fn default() -> Self {
        DedupeConfig {
            threshold: 0.8,
            shingle: shingles::DEFAULT_K,
            min_truncation_shingles: 20,
            min_truncation_share: 0.5,
        }
    }
}

/// Why two texts were judged the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Jaccard similarity of the shingles reached the threshold.
    Similar,
    /// The shorter text's shingles are (nearly) all in the longer one.
    Truncated,
}

/// A verified pair (indices into the input).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair {
    pub a: u32,
    pub b: u32,
    pub jaccard: f64,
    pub containment: f64,
    /// The similarity that decided: Jaccard, or containment for a truncation.
    pub similarity: f64,
    pub kind: Kind,
}

/// Near-duplicate pairs among `texts`, sorted by (a, b).
///
/// Time O(n · L · P) for the signatures (n texts of L characters, P = 128 hash functions),
/// O(b · n log n) for LSH, O(C · L) to verify C candidate pairs.
///
/// Space O(n · (b + S)) for b = 32 band keys and an S-bit [`Sketch`] per text (about 520 bytes;
/// 0.5 GB at a million texts), plus the shingle sets of the texts in a candidate pair that
/// passes the sketch bound. A text's own shingle set (8 bytes per character) lives only while
/// its keys and sketch are made: keeping every set, with every 1 KB signature, took 6.7 GB at
/// a million texts of about 290 characters.
pub fn similar_pairs(texts: &[&str], config: &DedupeConfig) -> Vec<Pair> {
    let seeds = minhash::seeds(minhash::DEFAULT_PERMUTATIONS);
    let rows = lsh::DEFAULT_ROWS;
    let bands = seeds.len() / rows;
    let mut keys = vec![0u64; texts.len() * bands];
    let (sketches, sizes): (Vec<Sketch>, Vec<u32>) = texts
        .par_iter()
        .zip(keys.par_chunks_mut(bands))
        .map(|(text, keys)| {
            let set = shingles::shingles(text, config.shingle);
            lsh::band_keys(&minhash::signature(&set, &seeds), rows, keys);
            (Sketch::of(&set), set.len() as u32)
        })
        .unzip();
    let candidates = lsh::candidates(&keys, bands, |a, b| {
        let (x, y) = (a as usize, b as usize);
        may_match(
            sizes[x] as usize,
            sizes[y] as usize,
            sketches[x].common_at_most(&sketches[y]),
            config,
        )
    });
    drop((keys, sketches));
    // The shingle sets again, for the texts a verification reads: near-duplicates are a small
    // share of a corpus, so these are few.
    let mut involved: Vec<u32> = candidates.iter().flat_map(|&(a, b)| [a, b]).collect();
    involved.par_sort_unstable();
    involved.dedup();
    let sets: Vec<Vec<u64>> = involved
        .par_iter()
        .map(|&i| shingles::shingles(texts[i as usize], config.shingle))
        .collect();
    let set_of = |i: u32| &sets[involved.binary_search(&i).expect("an involved text")];
    candidates
        .par_iter()
        .filter_map(|&(a, b)| {
            verify(set_of(a), set_of(b), config).map(|(jaccard, containment, similarity, kind)| {
                Pair {
                    a,
                    b,
                    jaccard,
                    containment,
                    similarity,
                    kind,
                }
            })
        })
        .collect()
}

/// Bits of a [`Sketch`].
const SKETCH_BITS: usize = 2048;

/// A set of shingle hashes folded into [`SKETCH_BITS`] bits, with how many of its hashes
/// share a bit with another: enough to bound an intersection from above in O(bits / 64)
/// instead of merging two sorted sets.
struct Sketch {
    bits: [u64; SKETCH_BITS / 64],
    /// |set| - popcount(bits).
    collisions: u32,
}

impl Sketch {
    fn of(set: &[u64]) -> Sketch {
        let mut bits = [0u64; SKETCH_BITS / 64];
        for &h in set {
            let bit = (h >> 53) as usize % SKETCH_BITS;
            bits[bit / 64] |= 1 << (bit % 64);
        }
        let set_bits: u32 = bits.iter().map(|w| w.count_ones()).sum();
        Sketch {
            bits,
            collisions: set.len() as u32 - set_bits,
        }
    }

    /// An upper bound on |A ∩ B|: every common hash sets the same bit in both sketches, so
    /// the common hashes occupy at most popcount(A & B) bits, and at most min(collisions)
    /// of them can share a bit with another hash of the same set.
    fn common_at_most(&self, other: &Sketch) -> usize {
        let shared: u32 = self
            .bits
            .iter()
            .zip(&other.bits)
            .map(|(a, b)| (a & b).count_ones())
            .sum();
        (shared + self.collisions.min(other.collisions)) as usize
    }
}

/// Whether two sets of `a` and `b` hashes with at most `common` in common can pass [`verify`]: the bounds
/// on Jaccard and containment that `common` gives reach the thresholds. Never false for a
/// pair [`verify`] accepts, so pruning with it changes no result.
fn may_match(a: usize, b: usize, common: usize, config: &DedupeConfig) -> bool {
    let (short, long) = (a.min(b), a.max(b));
    let common = common.min(short);
    if short == 0 {
        return true;
    }
    let jaccard = common as f64 / (short + long - common) as f64;
    let containment = common as f64 / short as f64;
    jaccard >= config.threshold || containment >= config.threshold.max(0.9)
}

fn verify(a: &[u64], b: &[u64], config: &DedupeConfig) -> Option<(f64, f64, f64, Kind)> {
    let (jaccard, containment) = shingles::similarity(a, b);
    if jaccard >= config.threshold {
        return Some((jaccard, containment, jaccard, Kind::Similar));
    }
    let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
    let truncation = short >= config.min_truncation_shingles
        && short as f64 >= config.min_truncation_share * long as f64;
    (truncation && containment >= config.threshold.max(0.9)).then_some((
        jaccard,
        containment,
        containment,
        Kind::Truncated,
    ))
}

/// An insight in a duplicate group.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: InsightId,
    pub sources: i64,
    pub text: String,
}

/// One group of near-duplicates and the insight it would be merged into.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The insight kept: most sources, then the longest text, then the lowest id.
    pub keep: InsightId,
    /// Lowest similarity of a pair that joined the group.
    pub similarity: f64,
    /// `truncated` if any joining pair was a truncation, else `similar`.
    pub kind: Kind,
    /// Kept insight first, then the others by id.
    pub members: Vec<Member>,
}

/// The dry-run merge plan: every group of near-duplicate insights in the database, ordered by
/// kept id. Reads only.
pub fn plan(store: &Store, config: &DedupeConfig) -> Result<Vec<Group>> {
    if !(0.0..=1.0).contains(&config.threshold) || config.threshold == 0.0 {
        return Err(Error::InvalidInput(format!(
            "--threshold {} must be in (0, 1]",
            config.threshold
        )));
    }
    let insights = store.insights_with_sources()?;
    let texts: Vec<&str> = insights.iter().map(|i| i.text.as_str()).collect();
    let pairs = similar_pairs(&texts, config);
    // Union-find over verified pairs.
    let mut parent: Vec<u32> = (0..texts.len() as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    for p in &pairs {
        let (ra, rb) = (find(&mut parent, p.a), find(&mut parent, p.b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut groups: std::collections::BTreeMap<u32, (Vec<u32>, f64, Kind)> = Default::default();
    for p in &pairs {
        let root = find(&mut parent, p.a);
        let g = groups
            .entry(root)
            .or_insert((Vec::new(), 1.0, Kind::Similar));
        g.0.extend([p.a, p.b]);
        g.1 = g.1.min(p.similarity);
        if p.kind == Kind::Truncated {
            g.2 = Kind::Truncated;
        }
    }
    let mut out: Vec<Group> = groups
        .into_values()
        .map(|(mut idx, similarity, kind)| {
            idx.sort_unstable();
            idx.dedup();
            let mut members: Vec<Member> = idx
                .iter()
                .map(|&i| {
                    let s = &insights[i as usize];
                    Member {
                        id: s.id,
                        sources: s.sources,
                        text: s.text.clone(),
                    }
                })
                .collect();
            let keep = members
                .iter()
                .max_by(|x, y| {
                    x.sources
                        .cmp(&y.sources)
                        .then(x.text.chars().count().cmp(&y.text.chars().count()))
                        .then(y.id.cmp(&x.id))
                })
                .map(|m| m.id)
                .expect("a group has two members");
            members.sort_by_key(|m| (m.id != keep, m.id));
            Group {
                keep,
                similarity,
                kind,
                members,
            }
        })
        .collect();
    out.sort_by_key(|g| g.keep);
    Ok(out)
}

/// What a merge did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeReport {
    pub groups: usize,
    pub insights_merged: usize,
    pub occurrences_moved: usize,
    pub sources_relinked: usize,
    pub edges_before: i64,
    pub edges_after: i64,
}

/// Merge every group of `plan` into its kept insight, in one transaction, recording the merges
/// so later imports of the merged texts follow them.
pub fn apply(store: &mut Store, plan: &[Group], config: &DedupeConfig) -> Result<MergeReport> {
    let groups: Vec<MergeGroup> = plan
        .iter()
        .map(|g| MergeGroup {
            keep: g.keep,
            merge: g
                .members
                .iter()
                .map(|m| m.id)
                .filter(|&id| id != g.keep)
                .collect(),
            similarity: g.similarity,
        })
        .collect();
    merge(store, &groups, config.threshold)
}

/// Apply merge `groups` in one transaction (all or nothing): occurrences move to each kept
/// insight, the merges are recorded, and the appears-with contributions of exactly the
/// sources that held a merged insight are taken back and added again
/// ([`cooccurrence::delta`]), so an insight that shared a source with two variants keeps
/// weight 1 from it. Bumps the graph version.
///
/// [`Error::InvalidInput`] if an insight is in two groups, [`Error::NotFound`] if one is
/// gone. O(S · k²) for the S sources holding the merged insights, k insights per source.
pub fn merge(store: &mut Store, groups: &[MergeGroup], threshold: f64) -> Result<MergeReport> {
    let mut all: Vec<InsightId> = Vec::new();
    for g in groups {
        all.push(g.keep);
        all.extend(&g.merge);
    }
    all.sort_unstable();
    if let Some(w) = all.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::InvalidInput(format!(
            "insight #{} is in more than one merge group",
            w[0]
        )));
    }
    let window = store.window()?;
    let mut tx = store.begin_change()?;
    let edges_before = tx.edge_totals()?.edges;
    let sources = tx.sources_holding(&all)?;
    let before = tx.sequences_of(&sources)?;
    let moved = tx.move_merged(groups, threshold)?;
    let after = tx.sequences_of(&sources)?;
    tx.apply_edge_delta(&cooccurrence::delta(&before, &after, window))?;
    tx.bump_graph_version()?;
    let edges_after = tx.edge_totals()?.edges;
    tx.commit()?;
    Ok(MergeReport {
        groups: groups.len(),
        insights_merged: moved.insights_merged,
        occurrences_moved: moved.occurrences_moved,
        sources_relinked: sources.len(),
        edges_before,
        edges_after,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sketch_bound_is_never_below_the_true_intersection() {
        use super::Sketch;
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state
        };
        for round in 0..200 {
            let common: Vec<u64> = (0..round).map(|_| next()).collect();
            let mut a: Vec<u64> = common
                .iter()
                .copied()
                .chain((0..150).map(|_| next()))
                .collect();
            let mut b: Vec<u64> = common
                .iter()
                .copied()
                .chain((0..90).map(|_| next()))
                .collect();
            a.sort_unstable();
            b.sort_unstable();
            let bound = Sketch::of(&a).common_at_most(&Sketch::of(&b));
            assert!(
                bound >= super::shingles::intersection(&a, &b),
                "round {round}"
            );
            assert!(
                bound <= round + 100,
                "the bound stays close: {bound} for {round}"
            );
        }
    }

    use super::*;

    #[test]
    fn finds_typos_punctuation_and_truncations_but_not_neighbours() {
        let texts = [
            "Top product builders are driven by a constant dissatisfaction with the status quo.",
            "Top product builders are driven by a constant dissatisfaction with the staus quo!",
            "Top product builders are driven by a constant dissatisfaction",
            "Top product builders are driven by curiosity about customers and their problems.",
            "AI tools reduce the communication overhead between product and engineering.",
            "AI tools reduce the communication overhead between product and engineering",
        ];
        let pairs = similar_pairs(&texts, &DedupeConfig::default());
        let found: Vec<(u32, u32, Kind)> = pairs.iter().map(|p| (p.a, p.b, p.kind)).collect();
        assert_eq!(
            found,
            vec![
                (0, 1, Kind::Similar),
                (0, 2, Kind::Truncated),
                (1, 2, Kind::Truncated),
                (4, 5, Kind::Similar)
            ]
        );
        assert_eq!(pairs[3].similarity, 1.0);
    }

    fn fts_consistent(store: &Store) {
        for table in ["insights_fts", "sources_fts"] {
            store
                .conn()
                .execute(
                    &format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"),
                    [],
                )
                .unwrap_or_else(|e| panic!("{table} out of step with its content: {e}"));
        }
    }

    /// The full-text indexes stay in step with their tables through bulk load, incremental
    /// import, prune (orphan deletes), replaced sources and merges.
    #[test]
    fn search_indexes_stay_consistent() {
        use crate::import::{import, ImportConfig, Silent};
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("a.jsonl", "{\"source\":\"Book A\",\"text\":\"alpha one\"}\n{\"source\":\"Book A\",\"text\":\"alpha one!\"}\n");
        write("b.jsonl", "{\"source\":\"Book B\",\"text\":\"beta two\"}\n{\"source\":\"Book B\",\"text\":\"alpha one\"}\n");
        let mut store = Store::open_in_memory().unwrap();
        let paths = vec![dir.path().to_path_buf()];
        import(&mut store, &paths, &ImportConfig::default(), &Silent).unwrap();
        fts_consistent(&store);
        write("b.jsonl", "{\"source\":\"Book B2\",\"text\":\"gamma three\"}\n{\"source\":\"Book B2\",\"text\":\"alpha one\"}\n");
        write("c.jsonl", "{\"source\":\"Book C\",\"text\":\"delta four\"}\n{\"source\":\"Book C\",\"text\":\"alpha one!\"}\n");
        import(&mut store, &paths, &ImportConfig::default(), &Silent).unwrap();
        fts_consistent(&store);
        let (one, one_bang) = (
            store.resolve_insight("alpha one").unwrap(),
            store.resolve_insight("alpha one!").unwrap(),
        );
        assert_ne!(one, one_bang);
        let report = merge(
            &mut store,
            &[MergeGroup {
                keep: one,
                merge: vec![one_bang],
                similarity: 1.0,
            }],
            0.8,
        )
        .unwrap();
        assert_eq!((report.insights_merged, report.sources_relinked), (1, 3));
        fts_consistent(&store);
        assert_eq!(store.resolve_insight(&one_bang.to_string()).unwrap(), one);
        std::fs::remove_file(dir.path().join("c.jsonl")).unwrap();
        import(
            &mut store,
            &paths,
            &ImportConfig {
                prune: true,
                ..ImportConfig::default()
            },
            &Silent,
        )
        .unwrap();
        fts_consistent(&store);
        assert!(store
            .search_insights("delta", 5, Default::default())
            .unwrap()
            .is_empty());
        assert_eq!(
            store
                .search_sources("B2", 5, Default::default())
                .unwrap()
                .len(),
            1
        );
        assert!(store
            .search_sources("Book C", 5, Default::default())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn an_insight_in_two_groups_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let group = |keep, merge| MergeGroup {
            keep: InsightId(keep),
            merge: vec![InsightId(merge)],
            similarity: 1.0,
        };
        let err = merge(&mut store, &[group(1, 2), group(3, 2)], 0.8).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    }

    #[test]
    fn short_texts_are_not_truncations_of_long_ones() {
        let texts = [
            "product",
            "product leaders own the business outcome, not just the roadmap",
        ];
        assert!(similar_pairs(&texts, &DedupeConfig::default()).is_empty());
    }
}

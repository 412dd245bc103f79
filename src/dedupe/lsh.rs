//! Locality-sensitive hashing over MinHash signatures (banding; Leskovec, Rajaraman & Ullman,
//! *Mining of Massive Datasets*, ch. 3.4): a signature of b·r values is cut into b bands of r
//! rows; two items are candidates when they agree on every row of at least one band, which
//! happens with probability 1 − (1 − s^r)^b for Jaccard similarity s.
//!
//! With b = 32, r = 4: s = 0.5 → 0.87, s = 0.6 → 0.99, s = 0.8 → 1.00, while s = 0.1 → 0.003.
//! Candidates are then verified exactly, so LSH only decides which pairs are looked at.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

/// Rows per band.
pub const DEFAULT_ROWS: usize = 4;

/// A bucket larger than this is a degenerate signature (e.g. many empty texts) and is skipped,
/// so one bucket cannot make the work quadratic.
pub const MAX_BUCKET: usize = 2000;

/// The band keys of one signature, written to `out` (one per band of `rows` rows): two
/// signatures agree on a whole band exactly when their keys for it are equal (up to 64-bit
/// hash collisions). Keeping only these, 8 bytes per band, is what lets a signature's 8 bytes
/// per row be dropped as soon as it is made.
pub fn band_keys(signature: &[u64], rows: usize, out: &mut [u64]) {
    let mut bytes = Vec::with_capacity(rows * 8);
    for (band, key) in signature.chunks_exact(rows).zip(out.iter_mut()) {
        bytes.clear();
        bytes.extend(band.iter().flat_map(|v| v.to_le_bytes()));
        *key = xxh3_64(&bytes);
    }
}

/// Candidate pairs `(i, j)`, `i < j`, sorted and distinct, of items that share a key in at
/// least one band and that `keep` accepts. `keys` holds `bands` keys per item, item after
/// item (see [`band_keys`]). `keep` runs inside each band, so pairs it rejects are never
/// stored: memory grows with the pairs kept, not with every bucket's pairs.
/// O(b · n log n) for the bucket sorts plus one `keep` per bucket pair.
pub fn candidates(
    keys: &[u64],
    bands: usize,
    keep: impl Fn(u32, u32) -> bool + Sync,
) -> Vec<(u32, u32)> {
    if bands == 0 {
        return Vec::new();
    }
    let items = keys.len() / bands;
    let mut pairs: Vec<(u32, u32)> = (0..bands)
        .into_par_iter()
        .flat_map_iter(|band| {
            let mut keyed: Vec<(u64, u32)> = (0..items)
                .map(|i| (keys[i * bands + band], i as u32))
                .collect();
            keyed.sort_unstable();
            let mut out = Vec::new();
            for bucket in keyed.chunk_by(|x, y| x.0 == y.0) {
                if bucket.len() > MAX_BUCKET {
                    continue;
                }
                for (x, &(_, a)) in bucket.iter().enumerate() {
                    for &(_, b) in &bucket[x + 1..] {
                        if keep(a, b) {
                            out.push((a, b));
                        }
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_bands_make_candidates() {
        let sigs = [
            [1, 2, 3, 4, 5, 6, 7, 8],
            [1, 2, 3, 4, 0, 0, 0, 0],
            [9, 9, 9, 9, 5, 6, 7, 8],
            [7; 8],
        ];
        let mut keys = vec![0; sigs.len() * 2];
        for (sig, out) in sigs.iter().zip(keys.chunks_mut(2)) {
            band_keys(sig, 4, out);
        }
        assert_eq!(candidates(&keys, 2, |_, _| true), vec![(0, 1), (0, 2)]);
        assert_eq!(candidates(&keys, 2, |_, b| b != 2), vec![(0, 1)]);
    }
}

//! MinHash signatures (Broder 1997): for each of `n` hash functions, the smallest hash of any
//! shingle. Two sets agree on one signature position with probability equal to their Jaccard
//! similarity.
//!
//! The hash functions are `mix(x ^ seed_i)` with the SplitMix64 finalizer as `mix`: cheap,
//! well spread, and deterministic (fixed seeds), so plans are reproducible.

/// Signature length: 32 bands of 4 rows for [`super::lsh`].
pub const DEFAULT_PERMUTATIONS: usize = 128;

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `n` seeds, derived from a fixed start.
pub fn seeds(n: usize) -> Vec<u64> {
    (0..n as u64)
        .map(|i| mix(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i + 1)))
        .collect()
}

/// The MinHash signature of a shingle set under `seeds`. O(|set| · n). An empty set gets
/// `u64::MAX` everywhere (and never collides with a real signature in practice).
pub fn signature(set: &[u64], seeds: &[u64]) -> Vec<u64> {
    let mut sig = vec![u64::MAX; seeds.len()];
    for &x in set {
        for (slot, &seed) in sig.iter_mut().zip(seeds) {
            let h = mix(x ^ seed);
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_estimates_jaccard() {
        let a: Vec<u64> = (0..1000).collect();
        let b: Vec<u64> = (500..1500).collect(); // Jaccard 1/3
        let s = seeds(512);
        let (sa, sb) = (signature(&a, &s), signature(&b, &s));
        let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 512.0;
        assert!((agree - 1.0 / 3.0).abs() < 0.07, "{agree}");
        assert_eq!(signature(&a, &s), sa);
    }
}

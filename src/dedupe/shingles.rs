//! Character shingles: the set of k-character windows of a text, hashed to `u64`.
//!
//! Before shingling, text is lower-cased and every run of characters that are not letters or
//! digits becomes one space, so two texts that differ only in punctuation, case or spacing have
//! the same shingles, and a typo changes only the k shingles that cover it.

use xxhash_rust::xxh3::xxh3_64;

/// Shingle length in characters; 5 is the usual choice for short English texts.
pub const DEFAULT_K: usize = 5;

/// Lower case, letters and digits only, single spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// The sorted, distinct hashes of the `k`-character shingles of `text` (after [`normalize`]).
/// A text shorter than `k` is one shingle. O(L log L) for L characters.
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    let norm = normalize(text);
    let bounds: Vec<usize> = norm
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(norm.len()))
        .collect();
    let chars = bounds.len() - 1;
    let mut out: Vec<u64> = if chars == 0 {
        Vec::new()
    } else if chars <= k {
        vec![xxh3_64(norm.as_bytes())]
    } else {
        (0..=chars - k)
            .map(|i| xxh3_64(&norm.as_bytes()[bounds[i]..bounds[i + k]]))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// |A ∩ B| of two sorted, distinct sets. O(|A| + |B|).
pub fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// (Jaccard |A∩B|/|A∪B|, containment |A∩B|/min(|A|,|B|)) of two sorted, distinct sets.
pub fn similarity(a: &[u64], b: &[u64]) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let inter = intersection(a, b) as f64;
    let union = (a.len() + b.len()) as f64 - inter;
    (inter / union, inter / a.len().min(b.len()) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_case_and_spacing_do_not_matter() {
        assert_eq!(
            normalize("  It's   a TEST -- really!"),
            "it s a test really"
        );
        assert_eq!(shingles("Hello, world!", 5), shingles("hello world", 5));
        assert_eq!(shingles("abc", 5).len(), 1);
        assert!(shingles("!!", 5).is_empty());
    }

    #[test]
    fn jaccard_and_containment() {
        let long = shingles("the quick brown fox jumps over the lazy dog", 5);
        let cut = shingles("the quick brown fox jumps", 5);
        let (j, c) = similarity(&long, &cut);
        assert_eq!(c, 1.0);
        assert!(j > 0.4 && j < 0.6, "{j}");
        let typo = shingles("the quick brown fox jumsp over the lazy dog", 5);
        assert!(similarity(&long, &typo).0 > 0.7);
        assert_eq!(similarity(&long, &long), (1.0, 1.0));
    }
}

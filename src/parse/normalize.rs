//! Insight identity: two insights are the same when their normalized keys are equal.
//!
//! The key is the text after Unicode NFKC, with typographic quotes and dashes folded to ASCII,
//! runs of Unicode white space collapsed to one space and trimmed, and case folded (Unicode
//! lowercase). The stored display text keeps the original characters, with white space collapsed.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// An insight's identity: the normalized key and its 128-bit hash.
///
/// The import keeps a hash -> id map instead of a key -> id map: hashing happens in the parallel
/// parse phase, and the map stays small. xxh3-128 makes a collision between two different keys
/// astronomically unlikely (about 10^-27 for a million insights).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightKey {
    pub hash: u128,
    pub key: String,
}

impl InsightKey {
    /// The key of an insight text.
    pub fn of(text: &str) -> InsightKey {
        InsightKey::from_key(insight_key(text))
    }

    /// Wrap an already normalized key.
    pub fn from_key(key: String) -> InsightKey {
        InsightKey {
            hash: xxhash_rust::xxh3::xxh3_128(key.as_bytes()),
            key,
        }
    }
}

/// The original text with every run of white space collapsed to one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The identity key of an insight text.
///
/// ASCII text (the common case) takes a fast path: NFKC leaves ASCII unchanged.
pub fn insight_key(text: &str) -> String {
    if text.is_ascii() {
        let mut out = String::with_capacity(text.len());
        for word in text.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        }
        return out;
    }
    let folded: String = text.chars().map(fold_typography).collect();
    let normalized: String = match is_nfkc_quick(folded.chars()) {
        IsNormalized::Yes => folded,
        _ => folded.nfkc().collect(),
    };
    collapse_whitespace(&normalized.to_lowercase())
}

/// Curly quotes, primes and dashes to their ASCII forms.
fn fold_typography(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_space_quotes_and_dashes() {
        let cases = [
            ("Hello   World", "hello world"),
            ("  tabs\tand\nnewlines  ", "tabs and newlines"),
            ("It\u{2019}s \u{201C}quoted\u{201D}", "it's \"quoted\""),
            ("a\u{2014}b \u{2013} c", "a-b - c"),
            ("\u{FB01}ne \u{2460}", "fine 1"),
            ("non\u{00A0}breaking\u{2003}space", "non breaking space"),
            ("\u{00C9}COLE", "\u{00E9}cole"),
            ("E\u{0301}cole", "\u{00E9}cole"),
        ];
        for (input, want) in cases {
            assert_eq!(insight_key(input), want, "key of {input:?}");
        }
    }

    #[test]
    fn display_text_keeps_characters_but_collapses_space() {
        assert_eq!(
            collapse_whitespace(" It\u{2019}s  \n fine "),
            "It\u{2019}s fine"
        );
    }
}

//! Insight identity: two insights are the same when their normalized keys are equal.
//!
//! The key is the text after Unicode NFKC, with typographic quotes and dashes folded to ASCII,
//! case folded by Unicode default full case folding (CaseFolding.txt, statuses C and F, via
//! the `caseless` crate: `ß` and `ẞ` fold to `ss`, every sigma to `σ`, `İ` to `i` + U+0307 and
//! the dotless `ı` stays itself, since the Turkic mappings are a locale's choice), normalized
//! to NFKC again (folding can undo it), and runs of Unicode white space collapsed to one space
//! and trimmed. The stored display text keeps the original characters, with white space
//! collapsed.

use caseless::Caseless;
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
    if text.is_ascii() {
        return collapse_ascii(text, false);
    }
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
/// ASCII text (the common case) takes a fast path: NFKC leaves ASCII unchanged and its case
/// folding is ASCII lowercasing. Its words are split as [`collapse_whitespace`] splits them
/// (Unicode White_Space, which counts the vertical tab, unlike `split_ascii_whitespace`).
pub fn insight_key(text: &str) -> String {
    if text.is_ascii() {
        return collapse_ascii(text, true);
    }
    unicode_key(text)
}

/// The ASCII characters with the Unicode White_Space property: tab, line feed, vertical tab,
/// form feed, carriage return and space (U+001C..U+001F are not White_Space).
fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// [`collapse_whitespace`] of ASCII text, optionally lowercased.
///
/// Most texts are collapsed already (single spaces between words, none at the ends): they are
/// recognised by two passes the compiler vectorises and copied whole. The others are rebuilt
/// byte by byte. Lowercasing is one pass over the result. The byte-by-byte path alone was an
/// eighth of a first import's CPU time (1.1M insights, each collapsed for its text and key).
fn collapse_ascii(text: &str, lowercase: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = if is_collapsed_ascii(bytes) {
        bytes.to_vec()
    } else {
        let mut out = Vec::with_capacity(bytes.len());
        let mut space = false;
        for &b in bytes {
            if is_ascii_white_space(b) {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(b' ');
                space = false;
            }
            out.push(b);
        }
        out
    };
    if lowercase {
        out.make_ascii_lowercase();
    }
    // Only ASCII bytes were kept.
    String::from_utf8(out).expect("ASCII is UTF-8")
}

/// Whether ASCII `bytes` are their own collapse: no white space but single spaces, and none
/// at either end.
fn is_collapsed_ascii(bytes: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    // Branch-free folds over the whole text, so that they vectorise: no white space but the
    // space, and no space after a space.
    let other_space = bytes.iter().fold(false, |any, &b| {
        any | (is_ascii_white_space(b) & (b != b' '))
    });
    let double = bytes
        .windows(2)
        .fold(false, |any, w| any | ((w[0] == b' ') & (w[1] == b' ')));
    !other_space && !double
}

/// The key of any text, by the general path.
fn unicode_key(text: &str) -> String {
    // Typography after NFKC: compatibility forms (U+2034 triple prime, U+FE31 vertical em
    // dash) decompose into the marks it folds.
    let folded: String = nfkc(text.to_string())
        .chars()
        .map(fold_typography)
        .default_case_fold()
        .collect();
    // Folding can undo NFKC: `ß` + U+0307 folds to `ss` + U+0307, which composes to `sṡ`.
    collapse_whitespace(&nfkc(folded))
}

fn nfkc(text: String) -> String {
    match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfkc().collect(),
    }
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
            ("\u{2034}", "'''"),
        ];
        for (input, want) in cases {
            assert_eq!(insight_key(input), want, "key of {input:?}");
        }
    }

    /// The ASCII fast paths split where `str::split_whitespace` splits, for every ASCII byte
    /// between, around and repeated.
    #[test]
    fn ascii_paths_split_as_split_whitespace() {
        for byte in 0..=0x7F_u8 {
            let c = byte as char;
            for text in [
                format!("A{c}b"),
                format!("{c}A{c}{c}B c{c}"),
                format!("{c}{c}"),
            ] {
                let words: Vec<&str> = text.split_whitespace().collect();
                assert_eq!(
                    collapse_whitespace(&text),
                    words.join(" "),
                    "byte {byte:#04x}"
                );
                assert_eq!(
                    insight_key(&text),
                    words.join(" ").to_ascii_lowercase(),
                    "byte {byte:#04x}"
                );
            }
        }
    }

    #[test]
    fn display_text_keeps_characters_but_collapses_space() {
        assert_eq!(
            collapse_whitespace(" It\u{2019}s  \n fine "),
            "It\u{2019}s fine"
        );
    }

    /// Unicode default full case folding, where lowercasing differs: `ß`, sigma, Turkish i.
    #[test]
    fn keys_use_full_default_case_folding() {
        let same = [
            ("STRASSE", "stra\u{00DF}e"),
            ("Stra\u{1E9E}e", "strasse"),
            // Every sigma is one letter: capital, final and medial.
            (
                "\u{039F}\u{0394}\u{039F}\u{03A3}",
                "\u{03BF}\u{03B4}\u{03BF}\u{03C2}",
            ),
            (
                "\u{03BF}\u{03B4}\u{03BF}\u{03C3}",
                "\u{03BF}\u{03B4}\u{03BF}\u{03C2}",
            ),
        ];
        for (a, b) in same {
            assert_eq!(insight_key(a), insight_key(b), "{a:?} and {b:?}");
        }
        // Turkish as the Unicode default defines it (statuses C and F, not the Turkic T):
        // `I` folds to `i`, `İ` to `i` + combining dot above, and the dotless `ı` stays itself.
        assert_eq!(insight_key("I"), "i");
        assert_eq!(insight_key("\u{0130}"), "i\u{0307}");
        assert_eq!(insight_key("\u{0131}"), "\u{0131}");
        assert_ne!(
            insight_key("D\u{0130}\u{015E}"),
            insight_key("d\u{0131}\u{015F}")
        );
        assert_ne!(insight_key("DI\u{015E}"), insight_key("d\u{0131}\u{015F}"));
    }

    /// A key is its own key, for every character alone and before a combining mark (where
    /// folding can undo NFKC).
    #[test]
    fn keys_are_idempotent_for_every_character() {
        let bad: Vec<String> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .flat_map(|c| [c.to_string(), format!("{c}\u{0307}")])
            .filter(|s| {
                let key = insight_key(s);
                insight_key(&key) != key
            })
            .collect();
        assert!(bad.is_empty(), "not idempotent: {bad:?}");
    }

    /// Regression (found by fuzzing): the ASCII fast path split words at ASCII white space,
    /// which leaves out the vertical tab, so `a<VT>b` kept its tab while the display text and
    /// every non-ASCII key collapsed it.
    #[test]
    fn ascii_fast_path_agrees_with_the_general_path() {
        assert_eq!(insight_key("Alice\u{b}Bob"), "alice bob");
        assert_eq!(insight_key("All\u{b}"), "all");
        for byte in 0..=0x7F_u8 {
            let text = format!(" X{}y\u{b}Z ", byte as char);
            assert_eq!(insight_key(&text), unicode_key(&text), "byte {byte:#04x}");
        }
    }
}

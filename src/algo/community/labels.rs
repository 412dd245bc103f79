//! Theme labels for communities: the words most distinctive of a community's insights.

use std::collections::HashMap;

/// Parameters of [`label_communities`].
#[derive(Debug, Clone, PartialEq)]
pub struct LabelConfig {
    /// Words per label. Default 3.
    pub words: usize,
    /// Shortest word kept, in letters. Default 3.
    pub min_letters: usize,
}

impl Default for LabelConfig {
    fn default() -> Self {
        LabelConfig {
            words: 3,
            min_letters: 3,
        }
    }
}

/// English stop words (scikit-learn's list, plus contractions' stems, the one- and two-letter
/// function words titles must not start or end with, and a few words every insight uses),
/// sorted for binary search.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "almost",
    "alone",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "amongst",
    "amount",
    "an",
    "and",
    "another",
    "any",
    "anyhow",
    "anyone",
    "anything",
    "anyway",
    "anywhere",
    "are",
    "aren",
    "around",
    "as",
    "at",
    "be",
    "because",
    "become",
    "becomes",
    "becoming",
    "been",
    "before",
    "beforehand",
    "behind",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "couldn",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "done",
    "down",
    "due",
    "during",
    "each",
    "either",
    "else",
    "elsewhere",
    "enough",
    "etc",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "everywhere",
    "except",
    "few",
    "for",
    "former",
    "formerly",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "give",
    "given",
    "gives",
    "go",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "hence",
    "her",
    "here",
    "hereafter",
    "hereby",
    "herein",
    "hereupon",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "keep",
    "last",
    "latter",
    "latterly",
    "least",
    "less",
    "let",
    "like",
    "made",
    "make",
    "makes",
    "making",
    "many",
    "may",
    "me",
    "meanwhile",
    "might",
    "mine",
    "more",
    "moreover",
    "most",
    "mostly",
    "much",
    "must",
    "my",
    "myself",
    "namely",
    "neither",
    "never",
    "nevertheless",
    "next",
    "no",
    "nobody",
    "none",
    "noone",
    "nor",
    "not",
    "nothing",
    "now",
    "nowhere",
    "of",
    "off",
    "often",
    "ok",
    "on",
    "once",
    "one",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "part",
    "per",
    "perhaps",
    "please",
    "put",
    "rather",
    "same",
    "see",
    "seem",
    "seemed",
    "seeming",
    "seems",
    "several",
    "she",
    "should",
    "shouldn",
    "since",
    "so",
    "some",
    "somehow",
    "someone",
    "something",
    "sometime",
    "sometimes",
    "somewhere",
    "still",
    "such",
    "take",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "thence",
    "there",
    "thereafter",
    "thereby",
    "therefore",
    "therein",
    "thereupon",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "throughout",
    "thru",
    "thus",
    "to",
    "together",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "very",
    "via",
    "was",
    "wasn",
    "way",
    "we",
    "well",
    "were",
    "weren",
    "what",
    "whatever",
    "when",
    "whence",
    "whenever",
    "where",
    "whereafter",
    "whereas",
    "whereby",
    "wherein",
    "whereupon",
    "wherever",
    "whether",
    "which",
    "while",
    "whither",
    "who",
    "whoever",
    "whole",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won",
    "would",
    "wouldn",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The label words of `text`: maximal runs of letters, lowercased, at least `min_letters`
/// long and not stop words.
///
/// Any character that is not alphabetic (Unicode) splits words, so "It's" gives "it" and
/// "s", both too short at the default of 3 letters, and "AI-first" gives "first". The stop
/// list holds English words of three letters or more only: with `min_letters` below 3, short
/// function words ("of", "is", "to") come through.
///
/// # Arguments
/// * `text`: any text.
/// * `min_letters`: the shortest word kept, counted in characters before lowercasing.
///
/// # Returns
/// A lazy iterator over the kept words, in text order, repeats included.
///
/// # Complexity
/// * Time complexity: **O(L + w log S)** for a text of L bytes with w words and a stop list
///   of S words (one binary search per word).
/// * Auxiliary space: **O(1)** besides each returned word.
///
/// # Examples
/// ```
/// use netgraph::algo::community::labels::tokenize;
///
/// let text = "It's the CTO's role: AI-first product-market fit, 3x!";
/// let words: Vec<String> = tokenize(text, 3).collect();
/// assert_eq!(words, vec!["cto", "role", "first", "product", "market", "fit"]);
/// ```
pub fn tokenize(text: &str, min_letters: usize) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(move |w| w.chars().count() >= min_letters)
        .map(str::to_lowercase)
        .filter(|w| !is_stop_word(w))
}

/// One label per community: the `config.words` words with the highest class-based TF-IDF,
/// joined by ", ".
///
/// Every community is one document (the concatenation of its insights' text); a word's score
/// in community c is tf(t, c) · idf(t)², with idf(t) = ln(1 + A / f(t)), where tf(t, c) is t's
/// share of c's words, f(t) its count over all communities and A the average number of words
/// per community (BERTopic's c-TF-IDF), so words frequent in c but rare elsewhere win. The idf
/// is squared so that a word common to the whole corpus ("product" in a corpus about product
/// management) does not top most labels by frequency alone. Ties go to the word first in
/// alphabetical order; a community without any word gets an empty label.
///
/// # Arguments
/// * `texts`: the text of every node, indexed like `membership`.
/// * `membership`: community id (`0..count`) of every node.
/// * `count`: the number of communities.
/// * `config`: words per label and the shortest word kept ([`LabelConfig`]).
///
/// # Returns
/// `count` labels, label `c` for community `c`: up to `config.words` words, best first,
/// joined by ", ".
///
/// # Panics
/// If `texts` and `membership` differ in length, or a community id is `>= count`.
///
/// # Complexity
/// * Time complexity: **O(L + T log T)** for texts of L bytes holding T kept word
///   occurrences (tokenizing and hashing, then one sort of (community, word) pairs and the
///   per-community sorts of their distinct words).
/// * Auxiliary space: **O(T + count)**.
///
/// # Reference
/// M. Grootendorst, "BERTopic: Neural topic modeling with a class-based TF-IDF procedure",
/// arXiv:2203.05794 (2022).
///
/// # Examples
/// ```
/// use netgraph::algo::community::labels::{label_communities, LabelConfig};
///
/// let texts = [
///     "Pricing strategy drives revenue",
///     "Revenue grows with better pricing",
///     "Product teams need revenue focus",
///     "Hiring engineers takes time",
///     "Engineers value hiring managers who code",
///     "Product teams hire engineers",
/// ];
/// let labels = label_communities(&texts, &[0, 0, 0, 1, 1, 1], 2, &LabelConfig::default());
/// // "revenue" (3 times) and "pricing" (twice) occur only in community 0, "engineers" and
/// // "hiring" only in community 1; "product" and "teams", in both, score lower.
/// assert_eq!(labels, vec!["revenue, pricing, better", "engineers, hiring, code"]);
/// ```
pub fn label_communities(
    texts: &[&str],
    membership: &[u32],
    count: usize,
    config: &LabelConfig,
) -> Vec<String> {
    assert_eq!(texts.len(), membership.len(), "one text per node");
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    // (community << 32 | word) per occurrence; sorted, runs are tf(t, c).
    let mut pairs: Vec<u64> = Vec::new();
    for (text, &c) in texts.iter().zip(membership) {
        for word in tokenize(text, config.min_letters) {
            let next = words.len() as u32;
            let id = *vocabulary.entry(word).or_insert_with_key(|w| {
                words.push(w.clone());
                next
            });
            pairs.push((u64::from(c) << 32) | u64::from(id));
        }
    }
    pairs.sort_unstable();
    let mut corpus_count = vec![0u64; words.len()];
    let mut class_words = vec![0u64; count];
    for &p in &pairs {
        corpus_count[(p & 0xFFFF_FFFF) as usize] += 1;
        class_words[(p >> 32) as usize] += 1;
    }
    let average = pairs.len() as f64 / count.max(1) as f64;

    let mut labels = vec![String::new(); count];
    let mut scored: Vec<(f64, &str)> = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let c = (pairs[i] >> 32) as usize;
        scored.clear();
        while i < pairs.len() && (pairs[i] >> 32) as usize == c {
            let word = pairs[i] & 0xFFFF_FFFF;
            let mut j = i;
            while j < pairs.len() && pairs[j] == pairs[i] {
                j += 1;
            }
            let tf = (j - i) as f64 / class_words[c] as f64;
            let idf = (1.0 + average / corpus_count[word as usize] as f64).ln();
            scored.push((tf * idf * idf, &words[word as usize]));
            i = j;
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let top: Vec<&str> = scored.iter().take(config.words).map(|s| s.1).collect();
        labels[c] = top.join(", ");
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn tokens_are_lowercase_words_of_three_letters() {
        let words: Vec<String> =
            tokenize("It's the CTO's role: AI-first product-market fit, 3x!", 3).collect();
        assert_eq!(
            words,
            vec!["cto", "role", "first", "product", "market", "fit"]
        );
    }

    #[test]
    fn labels_pick_distinctive_words() {
        let texts = [
            "Pricing strategy drives revenue",
            "Revenue grows with better pricing",
            "Product teams need revenue focus",
            "Hiring engineers takes time",
            "Engineers value hiring managers who code",
            "Product teams hire engineers",
        ];
        let labels = label_communities(&texts, &[0, 0, 0, 1, 1, 1], 2, &LabelConfig::default());
        // "revenue" (3×) and "pricing" (2×) only in community 0; "product"/"teams" in both.
        assert_eq!(labels[0], "revenue, pricing, better");
        assert_eq!(labels[1], "engineers, hiring, code");
    }

    #[test]
    fn communities_without_words_get_empty_labels() {
        let labels = label_communities(
            &["12", "a b", "graph theory"],
            &[0, 1, 2],
            3,
            &LabelConfig::default(),
        );
        assert_eq!(labels, vec!["", "", "graph, theory"]);
    }
}

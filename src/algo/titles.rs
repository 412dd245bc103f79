//! Short titles for insights: the key phrase most distinctive of an insight against the rest of
//! the corpus, in the insight's own words ("Passion shift", "Customer insight newsletter").
//!
//! The method is TF-IDF phrase scoring on RAKE candidates:
//!
//! 1. **Candidates** (RAKE, Rose et al. 2010): the text is cut into chunks at punctuation and
//!    at stop words; each maximal run of 2 to [`TitleConfig::max_words`] remaining words is a
//!    candidate ("passion shift", "pure technology role"), and a longer run gives its windows.
//!    Verbs, adverbs and vague adjectives common in insight prose ("provides", "directly",
//!    "successful") cut runs too, so a title reads as a name, not a clause. Only the first
//!    [`TitleConfig::scan_words`] words are read: an insight states its point first, and a huge
//!    text costs no more than a short one.
//! 2. **Score**: the sum of the idf of the candidate's content words, idf(w) = ln((N + 1) /
//!    (df(w) + 1)) + 1 over the N insights (scikit-learn's smoothed idf), divided by
//!    (words + 1)^[`LENGTH_DAMPING`] so that a longer phrase must earn its length, and weighted
//!    by its position, 1 + 0.5 / (1 + first word / 8) (YAKE's observation, Campos et al. 2020,
//!    that key phrases come early). Distinctive words win over words every insight uses.
//! 3. **Distinct**: insights are titled in order of their best score; an insight whose best
//!    phrase is taken (case-insensitive) takes its next best. When no candidate is left, the
//!    title is the first words of the text.
//!
//! Cost: O(W) for the W words of the corpus (document frequencies) plus O(N · s · m) for the
//! candidates of N insights (s scanned words, m words per phrase), and a sort of the N best
//! scores; memory O(vocabulary + N · s · m).
//!
//! # References
//! - S. Rose, D. Engel, N. Cramer, W. Cowley, "Automatic keyword extraction from individual
//!   documents", in *Text Mining: Applications and Theory*, Wiley, 2010 (RAKE).
//! - R. Campos et al., "YAKE! Keyword extraction from single documents using multiple local
//!   features", *Information Sciences* 509, 2020.

use super::community::labels::is_stop_word;
use std::collections::{HashMap, HashSet};

/// How a longer phrase is discounted: the score divides by (words + 1) to this power.
const LENGTH_DAMPING: f64 = 0.75;

/// Parameters of [`titles`].
#[derive(Debug, Clone, PartialEq)]
pub struct TitleConfig {
    /// Fewest words in a title. Default 2.
    pub min_words: usize,
    /// Most words in a title. Default 6.
    pub max_words: usize,
    /// Most characters in a title. Default 40.
    pub max_chars: usize,
    /// Words of each text read for candidates. Default 60.
    pub scan_words: usize,
}

impl Default for TitleConfig {
    fn default() -> Self {
        TitleConfig {
            min_words: 2,
            max_words: 6,
            max_chars: 40,
            scan_words: 60,
        }
    }
}

/// One word of a text, as written and as compared.
struct Word<'a> {
    text: &'a str,
    key: String,
    /// The chunk (between punctuation) it belongs to.
    chunk: usize,
}

/// The words of `text`: runs of letters and digits, with an apostrophe or hyphen inside a word
/// kept ("customer's", "product-led"); anything else ends a word, and punctuation other than
/// those ends a chunk.
fn words(text: &str, limit: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut chunk = 0;
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_mark = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_mark {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            push(&mut out, &text[s..i], chunk);
            if out.len() == limit {
                return out;
            }
        }
        if !c.is_whitespace() {
            chunk += 1;
        }
    }
    if let Some(s) = start {
        push(&mut out, &text[s..], chunk);
    }
    out.truncate(limit);
    out
}

fn push<'a>(out: &mut Vec<Word<'a>>, text: &'a str, chunk: usize) {
    out.push(Word {
        text,
        key: text.to_lowercase(),
        chunk,
    });
}

/// A word that can open or close a title: not a stop word, not a lone letter or a number.
fn content(word: &Word<'_>) -> bool {
    word.key.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !is_stop_word(&word.key)
        && !is_stop_word(word.key.split(['\'', '’']).next().unwrap_or(""))
}

/// A scored candidate phrase of one text: word range and score.
struct Candidate {
    start: usize,
    end: usize,
    score: f64,
}

/// A short title for each of `texts`, in the same order (see the module documentation).
///
/// # Examples
/// ```
/// use netgraph::algo::titles::{titles, TitleConfig};
/// let texts = [
///     "The pivot to product leadership is driven by a passion shift.",
///     "A customer insight newsletter proves your value to product leadership.",
///     "Product leadership needs business acumen.",
/// ];
/// let got = titles(&texts, &TitleConfig::default());
/// assert_eq!(got.len(), 3);
/// assert!(got.iter().all(|t| t.split(' ').count() >= 2 && t.chars().count() <= 40));
/// // Each title is the insight's own, and no two are the same.
/// assert_eq!(got[0], "Passion shift");
/// assert_ne!(got[1], got[2]);
/// ```
pub fn titles(texts: &[&str], config: &TitleConfig) -> Vec<String> {
    use rayon::prelude::*;
    let scanned: Vec<Vec<Word<'_>>> = texts
        .par_iter()
        .map(|t| words(t, config.scan_words))
        .collect();
    let idf = inverse_document_frequency(texts);
    let mut candidates: Vec<Vec<Candidate>> = scanned
        .par_iter()
        .map(|w| candidates(w, &idf, config))
        .collect();
    // Title the insights whose best phrase scores highest first: they are the most
    // distinctive, and the ones a clash should not push to a weaker phrase.
    let mut order: Vec<usize> = (0..texts.len()).collect();
    let best = |i: usize| candidates[i].first().map_or(f64::NEG_INFINITY, |c| c.score);
    order.sort_by(|&a, &b| best(b).total_cmp(&best(a)).then(a.cmp(&b)));
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = vec![String::new(); texts.len()];
    for i in order {
        let words = &scanned[i];
        let title = std::mem::take(&mut candidates[i])
            .into_iter()
            .map(|c| phrase(&words[c.start..c.end]))
            .find(|t| !taken.contains(&t.to_lowercase()))
            .unwrap_or_else(|| numbered(fallback(texts[i], words, config), &taken));
        if !title.is_empty() {
            taken.insert(title.to_lowercase());
        }
        out[i] = title;
    }
    out
}

/// idf of every lowercased word over `texts` (each text counts a word once). Counted in
/// parallel over chunks of texts, whose counts are then added (integer sums: the same whatever
/// the thread count).
fn inverse_document_frequency(texts: &[&str]) -> HashMap<String, f64> {
    use rayon::prelude::*;
    let df: HashMap<String, u32> = texts
        .par_chunks(2048)
        .map(|chunk| {
            let mut df: HashMap<String, u32> = HashMap::new();
            let mut seen: HashSet<String> = HashSet::new();
            for text in chunk {
                seen.clear();
                for w in words(text, usize::MAX) {
                    if !seen.contains(&w.key) {
                        seen.insert(w.key.clone());
                        *df.entry(w.key).or_insert(0) += 1;
                    }
                }
            }
            df
        })
        .reduce(HashMap::new, |mut a, b| {
            for (w, d) in b {
                *a.entry(w).or_insert(0) += d;
            }
            a
        });
    let n = texts.len() as f64;
    df.into_iter()
        .map(|(w, d)| (w, ((n + 1.0) / (f64::from(d) + 1.0)).ln() + 1.0))
        .collect()
}

/// Every candidate of one text, best first (ties: earlier, then shorter): the maximal runs of
/// non-stop words inside a chunk (RAKE's candidates), and, for a run longer than
/// `max_words`, every window of it that fits.
fn candidates(
    words: &[Word<'_>],
    idf: &HashMap<String, f64>,
    config: &TitleConfig,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < words.len() {
        if !phrase_word(&words[start]) {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < words.len()
            && words[end].chunk == words[start].chunk
            && phrase_word(&words[end])
        {
            end += 1;
        }
        let run_len = end - start;
        let windows = if run_len <= config.max_words {
            vec![(start, end)]
        } else {
            (start..end)
                .flat_map(|a| {
                    (a + config.min_words..=(a + config.max_words).min(end)).map(move |b| (a, b))
                })
                .collect()
        };
        for (a, b) in windows {
            let run = &words[a..b];
            let chars: usize =
                run.iter().map(|w| w.text.chars().count()).sum::<usize>() + run.len() - 1;
            if run.len() < config.min_words
                || chars > config.max_chars
                || !content(&run[run.len() - 1])
                || !content(&run[0])
            {
                continue;
            }
            let score: f64 = run
                .iter()
                .map(|w| idf.get(&w.key).copied().unwrap_or(1.0))
                .sum();
            let position = 1.0 + 0.5 / (1.0 + a as f64 / 8.0);
            out.push(Candidate {
                start: a,
                end: b,
                score: score / (run.len() as f64 + 1.0).powf(LENGTH_DAMPING) * position,
            });
        }
        start = end;
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then(a.end.cmp(&b.end))
    });
    out
}

/// A word that can stand inside a title: not a stop word, not a verb or adverb that makes a
/// phrase read as a clause ("provides", "truly"), not a number.
fn phrase_word(word: &Word<'_>) -> bool {
    content(word)
        && WEAK_WORDS.binary_search(&word.key.as_str()).is_err()
        && !adverb(&word.key)
        && !word.key.chars().all(|c| c.is_numeric())
}

/// An "-ly" adverb ("directly", "proactively"), but not the nouns and adjectives that end so.
fn adverb(word: &str) -> bool {
    const NOT_ADVERBS: &[&str] = &[
        "ally",
        "anomaly",
        "apply",
        "assembly",
        "butterfly",
        "daily",
        "family",
        "homily",
        "italy",
        "july",
        "monopoly",
        "reply",
        "supply",
        "weekly",
        "monthly",
        "yearly",
    ];
    word.chars().count() > 4 && word.ends_with("ly") && !NOT_ADVERBS.contains(&word)
}

/// Words that are not stop words but make a title read as part of a sentence: common verbs,
/// adverbs and vague adjectives of insight prose. Sorted for binary search.
const WEAK_WORDS: &[&str] = &[
    "actually",
    "allows",
    "believe",
    "better",
    "build",
    "builds",
    "called",
    "come",
    "comes",
    "create",
    "creates",
    "critical",
    "deep",
    "different",
    "driven",
    "enables",
    "ensure",
    "ensures",
    "focus",
    "force",
    "forces",
    "fuels",
    "good",
    "great",
    "help",
    "helps",
    "important",
    "key",
    "leads",
    "lets",
    "longer",
    "means",
    "moving",
    "need",
    "needs",
    "new",
    "proves",
    "provides",
    "really",
    "reduce",
    "reduces",
    "requires",
    "rise",
    "risk",
    "said",
    "says",
    "shifts",
    "simply",
    "start",
    "starting",
    "successful",
    "sufficient",
    "takes",
    "tend",
    "think",
    "traditional",
    "truly",
    "want",
    "wants",
    "ways",
];

/// The words as a title: as written, the first letter capitalised.
fn phrase(words: &[Word<'_>]) -> String {
    let text: Vec<&str> = words.iter().map(|w| w.text).collect();
    capitalise(&text.join(" "))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `title`, or `title (2)`, `title (3)`... whichever is not taken yet.
fn numbered(title: String, taken: &HashSet<String>) -> String {
    if title.is_empty() || !taken.contains(&title.to_lowercase()) {
        return title;
    }
    (2..)
        .map(|n| format!("{title} ({n})"))
        .find(|t| !taken.contains(&t.to_lowercase()))
        .expect("a free number")
}

/// A title when no candidate is free: the first words of the text, within the limits, without
/// a stop word at the end; the whole text cut to `max_chars` if even that fails.
fn fallback(text: &str, words: &[Word<'_>], config: &TitleConfig) -> String {
    let mut best: Option<&[Word<'_>]> = None;
    let mut chars = 0;
    for end in 0..words.len().min(config.max_words) {
        chars += words[end].text.chars().count() + usize::from(end > 0);
        if chars > config.max_chars {
            break;
        }
        if content(&words[end]) {
            best = Some(&words[..=end]);
        }
    }
    match best {
        Some(w) => phrase(w),
        None => {
            let cut: String = text.chars().take(config.max_chars).collect();
            capitalise(cut.trim())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens_and_chunks_break_at_punctuation() {
        let w = words("A customer's product-led shift, (like CTO) - done.", 100);
        let texts: Vec<&str> = w.iter().map(|w| w.text).collect();
        assert_eq!(
            texts,
            [
                "A",
                "customer's",
                "product-led",
                "shift",
                "like",
                "CTO",
                "done"
            ]
        );
        assert_eq!(w[3].chunk, w[0].chunk);
        assert_ne!(w[4].chunk, w[3].chunk);
        assert_eq!(words("one two three", 2).len(), 2);
    }

    #[test]
    fn titles_have_no_stop_word_at_either_end_and_stay_short() {
        let texts = [
            "To be truly successful, a product leader cannot just focus on features and users. They must operate as the head of their product's business.",
            "The core job of a product manager is to find the problems worth solving.",
            "Engineers who debug customer issues build the empathy that product work needs.",
        ];
        let got = titles(&texts, &TitleConfig::default());
        for t in &got {
            let words: Vec<String> = t.split(' ').map(str::to_lowercase).collect();
            assert!((2..=6).contains(&words.len()), "{t}");
            assert!(t.chars().count() <= 40, "{t}");
            assert!(
                !is_stop_word(&words[0]) && !is_stop_word(words.last().unwrap()),
                "{t}"
            );
        }
        let distinct: HashSet<String> = got.iter().map(|t| t.to_lowercase()).collect();
        assert_eq!(distinct.len(), got.len(), "{got:?}");
    }

    #[test]
    fn a_clash_takes_the_next_best_phrase_and_empty_texts_fall_back() {
        let texts = ["Passion shift.", "Passion shift!", "", "the of and"];
        let got = titles(&texts, &TitleConfig::default());
        assert_eq!(got[0], "Passion shift");
        assert_eq!(got[1], "Passion shift (2)");
        assert_eq!(got[2], "");
        assert_eq!(got[3], "The of and");
    }

    #[test]
    fn weak_words_are_sorted_and_not_stop_words() {
        assert!(WEAK_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(WEAK_WORDS.iter().all(|w| !is_stop_word(w)));
    }
}

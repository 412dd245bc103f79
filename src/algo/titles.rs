//! Short titles for insights: the key phrase most distinctive of an insight against the rest of
//! the corpus, in the insight's own words ("Passion shift", "Customer insight newsletter").
//!
//! The method is TF-IDF phrase scoring on RAKE candidates:
//!
//! 1. **Candidates** (RAKE, Rose et al. 2010): the text is cut into chunks at punctuation and
//!    at stop words; each maximal run of 2 to [`TitleConfig::max_words`] remaining words is a
//!    candidate ("passion shift", "pure technology role"), and a longer run gives its windows.
//!    Verbs, adverbs and vague adjectives common in insight prose ("provides", "directly",
//!    "successful") cut runs too, so a title reads as a name, not a clause, and no candidate
//!    ends in a word that reads as a finite verb (see **Verbs** below). Only the first
//!    [`TitleConfig::scan_words`] words are read: an insight states its point first, and a huge
//!    text costs no more than a short one. Theme names ([`crate::algo::community::labels`])
//!    use the same candidates.
//! 2. **Score**: the sum of the idf of the candidate's content words, idf(w) = ln((N + 1) /
//!    (df(w) + 1)) + 1 over the N insights (scikit-learn's smoothed idf), divided by
//!    (words + 1)^[`LENGTH_DAMPING`] so that a longer phrase must earn its length, and weighted
//!    by its position, 1 + 0.5 / (1 + first word / 8) (YAKE's observation, Campos et al. 2020,
//!    that key phrases come early). Distinctive words win over words every insight uses.
//! 3. **Distinct**: insights are titled in order of their best score; an insight whose best
//!    phrase is taken (case-insensitive) takes its next best. When no candidate is left, the
//!    title is the first words of the text.
//!
//! **Verbs.** A title is a name ("Ideal founder archetype"), not a clause ("Ideal founder
//! archetype starts"). Without a part-of-speech tagger, a light signal does (in the spirit of
//! the closed-class and suffix rules of rule-based taggers, Brill 1992):
//! - a word that is the third-person present ("serves", "teaches", "clarifies") of a verb in a
//!   lexicon of about 300 common verbs, or an irregular past ("felt", "grew"), cuts runs like a
//!   stop word. The lexicon leaves out verbs whose "-s" form is more often a plural noun in
//!   insight prose ("needs", "changes", "results", "features"): those stay phrase words;
//! - "-izes" and "-ifies" words are third-person verbs whatever the lexicon says;
//! - a candidate may not end in a regular past or participle ("-ed": "Team empowered"), nor in
//!   a lexicon verb's base form after a plural ("PMs excel"); such words may still open or sit
//!   inside a candidate ("Distributed systems", "Excel models").
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
//! - E. Brill, "A simple rule-based part of speech tagger", *Proceedings of the Third
//!   Conference on Applied Natural Language Processing*, 1992.

use super::community::labels::is_stop_word;
use std::borrow::Cow;
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
pub(crate) struct Word<'a> {
    pub(crate) text: &'a str,
    /// Lowercased (borrowed from the text when it is already).
    pub(crate) key: Cow<'a, str>,
    /// The chunk (between punctuation) it belongs to.
    pub(crate) chunk: usize,
}

/// The words of `text`: runs of letters and digits, with an apostrophe or hyphen inside a word
/// kept ("customer's", "product-led"); anything else ends a word, and punctuation other than
/// those ends a chunk.
pub(crate) fn words(text: &str, limit: usize) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity((text.len() / 6).min(limit));
    scan_words(text, limit, |word, chunk| push(&mut out, word, chunk));
    out
}

/// Calls `emit(word, chunk)` for each of the first `limit` [`words`] of `text`, in order, with
/// the chunk it belongs to, without building the list. O(length of the text read).
pub(crate) fn scan_words<'a>(text: &'a str, limit: usize, mut emit: impl FnMut(&'a str, usize)) {
    let mut emitted = 0;
    let mut chunk = 0;
    let mut start: Option<usize> = None;
    let mut i = 0;
    if limit == 0 {
        return;
    }
    // Byte by byte, a run of ASCII letters and digits in one tight loop (most of an English
    // corpus; this loop reads every byte of it: 0.75 of the time of one step per character
    // over the insights of a generated 100,000-page corpus), decoding a character only where
    // a byte is not ASCII.
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i].is_ascii_alphanumeric() {
            start.get_or_insert(i);
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        let c = char_at(text, i);
        let next = i + c.len_utf8();
        let inner_mark = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && next < text.len()
            && alphanumeric(char_at(text, next));
        if alphanumeric(c) || inner_mark {
            start.get_or_insert(i);
            i = next;
            continue;
        }
        if let Some(s) = start.take() {
            emit(&text[s..i], chunk);
            emitted += 1;
            if emitted == limit {
                return;
            }
        }
        if !c.is_whitespace() {
            chunk += 1;
        }
        i = next;
    }
    if let Some(s) = start {
        emit(&text[s..], chunk);
    }
}

/// The character starting at byte `i` of `text` (a character boundary).
fn char_at(text: &str, i: usize) -> char {
    match text.as_bytes()[i] {
        b if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().expect("a character boundary"),
    }
}

fn alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn push<'a>(out: &mut Vec<Word<'a>>, text: &'a str, chunk: usize) {
    let key = if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        // Unicode lowercasing is not only of uppercase letters (titlecase "ǅ" has a lower
        // case too): always lowercase words outside ASCII.
        Cow::Owned(text.to_lowercase())
    };
    out.push(Word { text, key, chunk });
}

/// A word that can open a title: not a stop word, not a lone letter or a number.
fn content(key: &str) -> bool {
    key.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !is_stop_word(key)
        && !is_stop_word(key.split(['\'', '’']).next().unwrap_or(""))
}

/// A scored candidate phrase of one text: word range and score.
struct Candidate {
    start: u32,
    end: u32,
    score: f64,
}

impl Candidate {
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
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
    let vocabulary = vocabulary(texts);
    // Each text's candidates as word ranges, with its best phrase already written out: the
    // scanned words are dropped at once, so memory holds a few ranges per text, not every
    // text's words (at 1M insights the words alone were gigabytes). A text whose best phrase
    // another took is scanned again below; the result is the same as keeping the words.
    let mut scored: Vec<Scored> = texts
        .par_iter()
        .map(|t| {
            let words = words(t, config.scan_words);
            let candidates = candidates(&words, &vocabulary, config);
            let first = candidates.first().map(|c| phrase(&words[c.range()]));
            Scored { first, candidates }
        })
        .collect();
    drop(vocabulary);
    // Title the insights whose best phrase scores highest first: they are the most
    // distinctive, and the ones a clash should not push to a weaker phrase.
    let mut order: Vec<usize> = (0..texts.len()).collect();
    let best = |i: usize| {
        scored[i]
            .candidates
            .first()
            .map_or(f64::NEG_INFINITY, |c| c.score)
    };
    order.sort_by(|&a, &b| best(b).total_cmp(&best(a)).then(a.cmp(&b)));
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = vec![String::new(); texts.len()];
    for i in order {
        let Scored { first, candidates } = std::mem::take(&mut scored[i]);
        let title = match first {
            Some(t) if !taken.contains(&t.to_lowercase()) => t,
            _ => {
                let words = words(texts[i], config.scan_words);
                candidates
                    .into_iter()
                    .map(|c| phrase(&words[c.range()]))
                    .find(|t| !taken.contains(&t.to_lowercase()))
                    .unwrap_or_else(|| numbered(fallback(texts[i], &words, config), &taken))
            }
        };
        if !title.is_empty() {
            taken.insert(title.to_lowercase());
        }
        out[i] = title;
    }
    out
}

/// One text's candidates, best first, and its best phrase written out.
#[derive(Default)]
struct Scored {
    first: Option<String>,
    candidates: Vec<Candidate>,
}

/// What titles need of one distinct word: its idf and its [`Signals`]. Computed once per word
/// rather than at each of its occurrences: the lexicon lookups behind `Signals` (binary
/// searches of stop words and verbs) were over half of the titles' time.
struct Lexeme {
    idf: f64,
    signals: Signals,
}

/// Every lowercased word of `texts` with its [`Lexeme`].
fn vocabulary(texts: &[&str]) -> HashMap<String, Lexeme> {
    use rayon::prelude::*;
    inverse_document_frequency(texts)
        .into_par_iter()
        .map(|(key, idf)| {
            let signals = Signals::of_key(&key);
            (key, Lexeme { idf, signals })
        })
        .collect()
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
                    if !seen.contains(w.key.as_ref()) {
                        seen.insert(w.key.to_string());
                        *df.entry(w.key.into_owned()).or_insert(0) += 1;
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
    vocabulary: &HashMap<String, Lexeme>,
    config: &TitleConfig,
) -> Vec<Candidate> {
    // Every word of `words` is in the vocabulary (made from the same texts); a word that is
    // not gets the signals it would have and idf 1.
    let (idf, signals): (Vec<f64>, Vec<Signals>) = words
        .iter()
        .map(|w| match vocabulary.get(w.key.as_ref()) {
            Some(l) => (l.idf, l.signals),
            None => (1.0, Signals::of(w)),
        })
        .unzip();
    let mut out = Vec::new();
    for run in runs_where(words, |i| signals[i].phrase) {
        let (start, end) = (run.start, run.end);
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
            // A run ending in a participle gives the window before it: "Team empowered" is no
            // title, but its run may hold a shorter one.
            let Some(b) = (a + 1..=b).rev().find(|&b| can_end_with(&signals[a..b])) else {
                continue;
            };
            let run = &words[a..b];
            let chars: usize =
                run.iter().map(|w| w.text.chars().count()).sum::<usize>() + run.len() - 1;
            if run.len() < config.min_words || chars > config.max_chars {
                continue;
            }
            let score: f64 = idf[a..b].iter().sum();
            let position = 1.0 + 0.5 / (1.0 + a as f64 / 8.0);
            out.push(Candidate {
                start: a as u32,
                end: b as u32,
                score: score / (run.len() as f64 + 1.0).powf(LENGTH_DAMPING) * position,
            });
        }
    }
    // A long run's windows, cut back where they end in a participle, can repeat one another.
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    out.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then(a.end.cmp(&b.end))
    });
    out
}

/// The candidate runs of a text (RAKE): maximal runs of phrase words ([`phrase_word`], which
/// `phrase(i)` says of `words[i]`, looked up once per distinct word) inside one chunk, as
/// ranges of `words`. Every window of a run that [`can_end`] is a candidate phrase.
pub(crate) fn runs_where<'a>(
    words: &'a [Word<'a>],
    phrase: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < words.len() && !phrase(start) {
            start += 1;
        }
        if start == words.len() {
            return None;
        }
        let mut end = start + 1;
        while end < words.len() && words[end].chunk == words[start].chunk && phrase(end) {
            end += 1;
        }
        let run = start..end;
        start = end;
        Some(run)
    })
}

/// A word that can stand inside a title: not a stop word, not a verb or adverb that makes a
/// phrase read as a clause ("provides", "serves", "truly"), not a number.
pub(crate) fn phrase_word(key: &str) -> bool {
    content(key)
        && WEAK_WORDS.binary_search(&key).is_err()
        && !adverb(key)
        && !key.chars().all(|c| c.is_numeric())
        && !verbs::finite(key)
}

/// What the candidate rules need to know of one word, by its lowercased form alone (so theme
/// names compute it once per distinct word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signals {
    /// It can stand inside a candidate ([`phrase_word`]).
    pub(crate) phrase: bool,
    /// A regular past or participle ("empowered"): it ends no candidate.
    pub(crate) participle: bool,
    /// A lexicon verb's base form ("excel").
    pub(crate) verb: bool,
    /// A lexicon verb's base or "-ing" form ("ask", "managing"): a verb alone names no topic,
    /// so a one-word theme name is never one.
    pub(crate) verb_alone: bool,
    /// A plural noun by its ending ("PMs").
    pub(crate) plural: bool,
}

impl Signals {
    pub(crate) fn of(word: &Word<'_>) -> Signals {
        Signals::of_key(&word.key)
    }

    /// The signals of a lowercased word.
    pub(crate) fn of_key(key: &str) -> Signals {
        let verb = verbs::base(key);
        Signals {
            phrase: phrase_word(key),
            participle: verbs::past_participle(key),
            verb,
            verb_alone: verb || verbs::gerund(key),
            plural: verbs::plural(key),
        }
    }

    /// Whether a candidate may end with this word, `before` being the word before it in the
    /// candidate (`None` for a one-word candidate): not after a participle, and not a verb's
    /// base form after a plural, which reads as subject and verb ("PMs excel").
    pub(crate) fn can_end_after(&self, before: Option<&Signals>) -> bool {
        let verb_after_plural = self.verb && before.is_some_and(|b| b.plural);
        !(self.participle || verb_after_plural)
    }
}

/// Whether `phrase` (a window of a run) may end where it does: its last word does not read as
/// a finite verb, by the suffix and lexicon signals of [`verbs`] (see [`Signals`]).
pub(crate) fn can_end(phrase: &[Word<'_>]) -> bool {
    let tail: Vec<Signals> = phrase[phrase.len().saturating_sub(2)..]
        .iter()
        .map(Signals::of)
        .collect();
    can_end_with(&tail)
}

/// [`can_end`] for a phrase given by its words' signals.
fn can_end_with(phrase: &[Signals]) -> bool {
    match phrase {
        [] => false,
        [.., before, last] => last.can_end_after(Some(before)),
        [last] => last.can_end_after(None),
    }
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
        if content(&words[end].key) && can_end(&words[..=end]) && !verbs::finite(&words[end].key) {
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

/// The light part-of-speech signal of titles (see the module documentation, **Verbs**): which
/// words read as finite verbs or participles. Every test is a suffix rule plus a binary search
/// in a sorted list: O(log V) per word for a lexicon of V verbs.
mod verbs {
    /// Whether `word` (lowercased) is a finite verb form that cuts a run: the third-person
    /// present of a lexicon verb ("serves", "teaches", "clarifies", "goes"), an "-izes" or
    /// "-ifies" word, or an irregular past ("felt").
    pub(super) fn finite(word: &str) -> bool {
        if !word.chars().all(|c| c.is_ascii_lowercase()) {
            return false;
        }
        if IRREGULAR_PAST.binary_search(&word).is_ok() || matches!(word, "does" | "goes") {
            return true;
        }
        let n = word.len();
        (n >= 7 && (word.ends_with("izes") || word.ends_with("ifies"))) || third_person(word)
    }

    /// "-s", "-es" and "-ies" forms whose base is in the lexicon.
    fn third_person(word: &str) -> bool {
        let n = word.len();
        if n < 3 || !word.ends_with('s') || word.ends_with("ss") {
            return false;
        }
        (word.ends_with("ies") && n > 4 && is_verb_with(&word[..n - 3], "y"))
            || (word.ends_with("es") && is_verb(&word[..n - 2]))
            || is_verb(&word[..n - 1])
    }

    /// Whether `word` is a lexicon verb's base form ("excel", "serve").
    pub(super) fn base(word: &str) -> bool {
        is_verb(word)
    }

    /// The "-ing" form of a lexicon verb: "asking", "managing", "stopping", "lying".
    pub(super) fn gerund(word: &str) -> bool {
        let Some(stem) = word.strip_suffix("ing") else {
            return false;
        };
        let doubled = stem.len() >= 2 && {
            let b = stem.as_bytes();
            b[b.len() - 1] == b[b.len() - 2]
        };
        is_verb(stem)
            || is_verb_with(stem, "e")
            || (doubled && is_verb(&stem[..stem.len() - 1]))
            || stem
                .strip_suffix('y')
                .is_some_and(|s| is_verb_with(s, "ie"))
    }

    fn is_verb(word: &str) -> bool {
        VERBS.binary_search(&word).is_ok()
    }

    /// Whether `stem` followed by `ending` is a lexicon verb (without building the word: every
    /// word of a corpus is tested).
    fn is_verb_with(stem: &str, ending: &str) -> bool {
        VERBS
            .binary_search_by(|v| v.bytes().cmp(stem.bytes().chain(ending.bytes())))
            .is_ok()
    }

    /// A regular past or participle ("empowered", "applied") or an irregular participle
    /// ("grown"): no title ends in one. Hyphenated words ("product-led") and words that only
    /// look so ("hundred", "speed") are not.
    pub(super) fn past_participle(word: &str) -> bool {
        if !word.chars().all(|c| c.is_ascii_lowercase()) {
            return false;
        }
        if IRREGULAR_PARTICIPLES.binary_search(&word).is_ok() {
            return true;
        }
        word.len() >= 5
            && word.ends_with("ed")
            && !word.ends_with("eed")
            && NOT_PARTICIPLES.binary_search(&word).is_err()
    }

    /// A plural noun, by its ending: "-s", but not "-ss", "-us", "-is", "-ics" ("business",
    /// "focus", "analysis", "analytics") nor a few singular words in "-s".
    pub(super) fn plural(word: &str) -> bool {
        word.len() >= 3
            && word.ends_with('s')
            && !["ss", "us", "is", "ics"].iter().any(|e| word.ends_with(e))
            && !matches!(word, "sales" | "news" | "series" | "species" | "means")
    }

    /// Common verbs whose third-person "-s" form reads as a verb, not as a plural noun, in
    /// insight prose. Left out on purpose: need, change, result, feature, value, work, plan,
    /// cost, answer, lead, talk, win, hire... (their "-s" forms are mostly nouns), and the
    /// stop words (make, take, give, get, use...). Sorted for binary search.
    pub(super) const VERBS: &[&str] = &[
        "accelerate",
        "accept",
        "accompany",
        "accomplish",
        "achieve",
        "acknowledge",
        "acquire",
        "act",
        "adapt",
        "adopt",
        "advise",
        "affect",
        "align",
        "allocate",
        "allow",
        "amplify",
        "analyse",
        "analyze",
        "announce",
        "anticipate",
        "appear",
        "apply",
        "appreciate",
        "argue",
        "arise",
        "arrive",
        "ask",
        "assess",
        "assign",
        "assume",
        "attract",
        "automate",
        "avoid",
        "behave",
        "believe",
        "belong",
        "blame",
        "boost",
        "borrow",
        "break",
        "bring",
        "calculate",
        "carry",
        "catch",
        "celebrate",
        "choose",
        "clarify",
        "collaborate",
        "collect",
        "combine",
        "commit",
        "communicate",
        "compare",
        "compete",
        "complain",
        "complete",
        "concentrate",
        "conclude",
        "confirm",
        "confront",
        "connect",
        "consider",
        "consist",
        "constrain",
        "consume",
        "contain",
        "continue",
        "contribute",
        "convert",
        "convince",
        "coordinate",
        "correlate",
        "create",
        "cultivate",
        "decide",
        "declare",
        "decline",
        "define",
        "delegate",
        "deliver",
        "demonstrate",
        "deny",
        "depend",
        "derive",
        "describe",
        "deserve",
        "destroy",
        "determine",
        "develop",
        "die",
        "differ",
        "diminish",
        "disappear",
        "discover",
        "discuss",
        "disrupt",
        "distinguish",
        "distract",
        "dominate",
        "drive",
        "eliminate",
        "embrace",
        "emerge",
        "emphasise",
        "emphasize",
        "employ",
        "empower",
        "enable",
        "encourage",
        "engage",
        "enhance",
        "enjoy",
        "ensure",
        "enter",
        "equip",
        "erode",
        "establish",
        "evaluate",
        "evolve",
        "exceed",
        "excel",
        "exhibit",
        "exist",
        "expand",
        "expect",
        "explain",
        "explore",
        "expose",
        "express",
        "extend",
        "facilitate",
        "fail",
        "fall",
        "feel",
        "fight",
        "find",
        "finish",
        "fit",
        "follow",
        "forget",
        "foster",
        "gather",
        "generate",
        "grasp",
        "grow",
        "guarantee",
        "hate",
        "hear",
        "hide",
        "hinder",
        "hinge",
        "hold",
        "hurt",
        "identify",
        "ignore",
        "illustrate",
        "imagine",
        "implement",
        "imply",
        "improve",
        "include",
        "incorporate",
        "indicate",
        "inform",
        "inherit",
        "inspire",
        "integrate",
        "intend",
        "introduce",
        "invest",
        "invite",
        "involve",
        "join",
        "justify",
        "kill",
        "know",
        "lack",
        "learn",
        "leave",
        "lend",
        "leverage",
        "lie",
        "listen",
        "live",
        "look",
        "lose",
        "love",
        "maintain",
        "manage",
        "matter",
        "maximize",
        "migrate",
        "minimize",
        "miss",
        "mitigate",
        "motivate",
        "multiply",
        "negotiate",
        "notice",
        "observe",
        "obtain",
        "occur",
        "open",
        "operate",
        "optimize",
        "organize",
        "outgrow",
        "outpace",
        "outperform",
        "overcome",
        "overlook",
        "oversee",
        "owe",
        "participate",
        "pay",
        "perform",
        "permit",
        "persist",
        "persuade",
        "pivot",
        "prefer",
        "prepare",
        "preserve",
        "pretend",
        "prevent",
        "prioritise",
        "prioritize",
        "proceed",
        "produce",
        "prohibit",
        "promote",
        "propose",
        "protect",
        "prove",
        "provide",
        "pull",
        "pursue",
        "push",
        "raise",
        "reach",
        "react",
        "realise",
        "realize",
        "receive",
        "recognise",
        "recognize",
        "recommend",
        "reduce",
        "reflect",
        "refuse",
        "reinforce",
        "reject",
        "relate",
        "rely",
        "remain",
        "remember",
        "remind",
        "remove",
        "replace",
        "represent",
        "require",
        "resemble",
        "resist",
        "resolve",
        "respond",
        "retain",
        "reveal",
        "save",
        "seek",
        "select",
        "sell",
        "send",
        "separate",
        "serve",
        "settle",
        "show",
        "shrink",
        "simplify",
        "sit",
        "slow",
        "solve",
        "speak",
        "spend",
        "stand",
        "start",
        "stay",
        "stop",
        "strengthen",
        "strive",
        "struggle",
        "succeed",
        "suffer",
        "suggest",
        "suit",
        "support",
        "surface",
        "survive",
        "sustain",
        "teach",
        "tell",
        "think",
        "thrive",
        "train",
        "transform",
        "translate",
        "treat",
        "trust",
        "try",
        "turn",
        "undercut",
        "undermine",
        "understand",
        "unlock",
        "validate",
        "vary",
        "wait",
        "walk",
        "warn",
        "watch",
        "wish",
        "wonder",
        "write",
    ];

    /// Irregular simple pasts that are not also present forms. Sorted.
    pub(super) const IRREGULAR_PAST: &[&str] = &[
        "became",
        "began",
        "bled",
        "bought",
        "brought",
        "built",
        "came",
        "caught",
        "chose",
        "dealt",
        "drew",
        "drove",
        "dug",
        "fell",
        "felt",
        "fled",
        "flew",
        "forgave",
        "forgot",
        "fought",
        "found",
        "froze",
        "gave",
        "grew",
        "heard",
        "held",
        "hid",
        "knew",
        "laid",
        "led",
        "left",
        "lent",
        "lost",
        "meant",
        "met",
        "overcame",
        "paid",
        "ran",
        "rode",
        "rose",
        "sang",
        "sat",
        "saw",
        "sent",
        "shook",
        "shot",
        "slept",
        "sold",
        "sought",
        "spent",
        "spoke",
        "stole",
        "stood",
        "struck",
        "swept",
        "swore",
        "taught",
        "thought",
        "threw",
        "told",
        "took",
        "understood",
        "undertook",
        "withdrew",
        "woke",
        "wore",
        "wrote",
    ];

    /// Irregular past participles that are not also simple pasts. Sorted.
    const IRREGULAR_PARTICIPLES: &[&str] = &[
        "begun",
        "broken",
        "chosen",
        "drawn",
        "fallen",
        "forgotten",
        "gone",
        "grown",
        "hidden",
        "known",
        "proven",
        "seen",
        "shown",
        "spoken",
        "stolen",
        "thrown",
        "written",
    ];

    /// Words in "-ed" that are not verb forms. Sorted.
    const NOT_PARTICIPLES: &[&str] = &[
        "embed", "hundred", "infrared", "kindred", "naked", "ragged", "rugged", "sacred", "shred",
        "wicked", "wretched",
    ];

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn lists_are_sorted() {
            for list in [
                VERBS,
                IRREGULAR_PAST,
                IRREGULAR_PARTICIPLES,
                NOT_PARTICIPLES,
            ] {
                assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            }
        }

        #[test]
        fn verb_forms_are_told_from_nouns() {
            for verb in [
                "serves",
                "starts",
                "teaches",
                "clarifies",
                "excels",
                "expands",
                "pushes",
                "prioritizes",
                "felt",
                "goes",
            ] {
                assert!(finite(verb), "{verb}");
            }
            for noun in [
                "needs", "features", "managers", "changes", "results", "business", "series",
                "leaders", "analysis",
            ] {
                assert!(!finite(noun), "{noun}");
            }
            for p in ["empowered", "applied", "grown", "focused"] {
                assert!(past_participle(p), "{p}");
            }
            for not in ["speed", "hundred", "product-led", "led"] {
                assert!(!past_participle(not), "{not}");
            }
            assert!(plural("pms") && plural("engineers"));
            for g in ["asking", "managing", "stopping", "lying"] {
                assert!(gerund(g), "{g}");
            }
            for not in ["engineering", "marketing", "pricing", "thing"] {
                assert!(!gerund(not), "{not}");
            }
            assert!(!plural("sales") && !plural("focus") && !plural("analytics"));
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

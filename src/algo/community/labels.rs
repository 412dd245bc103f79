//! Theme names for communities: the few phrases most distinctive of a community's insights
//! ("customer insight newsletter, CPOs"), by class-based TF-IDF over candidate phrases, chosen
//! so that no word, stem or stop word repeats or pads the name.

use crate::algo::titles::{scan_words, Signals};
use rayon::prelude::*;
use rust_stemmers::{Algorithm as Language, Stemmer};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Parameters of [`label_communities`].
#[derive(Debug, Clone, PartialEq)]
pub struct LabelConfig {
    /// Most words in a name, all its phrases together. Default 4.
    pub max_words: usize,
    /// Most words in one phrase (1 to 3). Default 3.
    pub phrase_words: usize,
    /// Most phrases in a name. Default 3.
    pub max_phrases: usize,
    /// Most characters in a name, so that four names side by side (a row of a picture's
    /// legend) fit a 16:9 slide, and a name fits a table column. Default 32 (measured on the
    /// seeds' picture: 34 made it wider than 16:9).
    pub max_chars: usize,
    /// A phrase stands for a shorter one inside it when it scores at least this share of the
    /// shorter one's score ("engineering background" for "engineering" when the phrase is
    /// nearly as distinctive). Default 0.5.
    pub absorb: f64,
    /// Words of each insight read. Default 200: a very long text weighs no more than that.
    pub scan_words: usize,
}

impl Default for LabelConfig {
    fn default() -> Self {
        LabelConfig {
            max_words: 4,
            phrase_words: 3,
            max_phrases: 3,
            max_chars: 32,
            absorb: 0.5,
            scan_words: 200,
        }
    }
}

/// English stop words (scikit-learn's list, plus contractions' stems, the one- and two-letter
/// function words titles must not start or end with, a few words every insight uses, and
/// "instead"), sorted for binary search.
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
    "instead",
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

/// One label (theme name) per community: up to `config.max_phrases` phrases of 1 to
/// `config.phrase_words` words, `config.max_words` words and `config.max_chars` characters in
/// all, joined by ", ", best first.
///
/// # Method
/// 1. **Candidates** are the phrases titles use ([`crate::algo::titles`]): maximal runs of words
///    that are neither stop words nor verbs (RAKE, Rose et al. 2010), read up to
///    `config.scan_words` words per insight, and every window of 1 to `config.phrase_words`
///    words of a run that does not end in a participle, a finite verb or a possessive; a lone
///    word is no verb ("ask", "managing"). The rules are looked up once per distinct word.
/// 2. **c-TF-IDF** (Grootendorst 2022): every community is one document, the candidate
///    occurrences of its insights. The score of phrase p in community c is
///    tf(p, c) · idf(p)², with tf(p, c) = p's share of c's candidate occurrences and
///    idf(p) = ln(1 + A / f(p)), where f(p) counts p over all communities and A is the average
///    number of candidate occurrences per community. The idf is squared so that a phrase
///    common to the whole corpus ("product" in a corpus about product management) does not top
///    most names by frequency alone.
/// 3. **Phrases first**: a candidate is replaced by a longer one that contains it, is said at
///    least twice in c and scores at least `config.absorb` times as high (repeatedly, up to
///    `config.phrase_words` words), so a name says "engineering background" rather than
///    "engineering" when the phrase is nearly as distinctive.
/// 4. **Diversity**: candidates are taken best first while words remain; one is skipped when
///    it has more words than are left, repeats a stem itself, or shares a stem with a phrase
///    already taken (Snowball English stemmer, Porter 2001: not "engineer, engineering";
///    hyphenated words count each part), which also rules out a phrase inside another. The
///    name ends at the first candidate left that is too long for the characters left.
///
/// Ties go to the phrase first in alphabetical order. A word written in capitals or mixed case
/// in most of its occurrences ("AI", "CPOs") is shown so; other words in lower case. A
/// community without any candidate gets an empty label.
///
/// # Arguments
/// * `texts`: the text of every node, indexed like `membership`.
/// * `membership`: community id (`0..count`) of every node.
/// * `count`: the number of communities.
/// * `config`: sizes of a name ([`LabelConfig`]).
///
/// # Returns
/// `count` labels, label `c` for community `c`. Deterministic: the same for any thread
/// count.
///
/// # Panics
/// If `texts` and `membership` differ in length, or a community id is `>= count`.
///
/// # Complexity
/// * Time complexity: **O(L + T + D log D + V log V)** for texts of L bytes giving T candidate
///   occurrences, D distinct (community, phrase) pairs and a vocabulary of V words: reading
///   (in parallel, the rules looked up once per distinct word), a hash count per community
///   (in parallel), one parallel sort of the D pairs for f(p), and per community a selection
///   of its best candidates; each phrase a name takes costs one scan of its community's
///   distinct phrases.
/// * Auxiliary space: **O(L / 4 + D + V)** (the token stream, the pairs, the vocabulary).
///
/// # References
/// - M. Grootendorst, "BERTopic: Neural topic modeling with a class-based TF-IDF procedure",
///   arXiv:2203.05794 (2022).
/// - S. Rose, D. Engel, N. Cramer, W. Cowley, "Automatic keyword extraction from individual
///   documents", in *Text Mining: Applications and Theory*, Wiley, 2010 (RAKE).
/// - M. F. Porter, "Snowball: A language for stemming algorithms" (2001), its English
///   ("Porter2") stemmer.
///
/// # Examples
/// ```
/// use netgraph::algo::community::labels::{label_communities, LabelConfig};
///
/// let texts = [
///     "Pricing strategy drives revenue.",
///     "Pricing strategy shapes revenue growth.",
///     "Product teams need revenue focus.",
///     "Hiring engineers takes time.",
///     "Engineers value hiring managers who code.",
///     "Product teams hire engineers.",
/// ];
/// let labels = label_communities(&texts, &[0, 0, 0, 1, 1, 1], 2, &LabelConfig::default());
/// // "revenue" (3 times, only in community 0) comes first; "pricing" is said only in "pricing
/// // strategy", so the phrase stands for it; "growth", next, would make the name longer than
/// // 32 characters. "product teams", in both, scores lower. Verbs ("drives", "takes") are in
/// // no name.
/// assert_eq!(labels, vec!["revenue, pricing strategy", "engineers, hiring, code"]);
/// ```
pub fn label_communities(
    texts: &[&str],
    membership: &[u32],
    count: usize,
    config: &LabelConfig,
) -> Vec<String> {
    assert_eq!(texts.len(), membership.len(), "one text per node");
    // Nodes grouped by community (a counting sort), so each community's candidates are one
    // slice of the token stream.
    let mut starts = vec![0usize; count + 1];
    for &c in membership {
        starts[c as usize + 1] += 1;
    }
    for c in 0..count {
        starts[c + 1] += starts[c];
    }
    let mut order = vec![0usize; texts.len()];
    let mut next = starts.clone();
    for (u, &c) in membership.iter().enumerate() {
        order[next[c as usize]] = u;
        next[c as usize] += 1;
    }

    let corpus = Corpus::read(texts, &order, config.scan_words);
    let phrase_words = config.phrase_words.clamp(1, 3);
    let mut classes: Vec<Class> = (0..count)
        .into_par_iter()
        .map(|c| Class::count(&corpus, starts[c]..starts[c + 1], phrase_words))
        .collect();
    corpus_frequencies(&mut classes);
    let total: u64 = classes.iter().map(|c| c.total).sum();
    let average = total as f64 / count.max(1) as f64;
    let stemmer = Stemmer::create(Language::English);
    classes
        .par_iter()
        .map(|class| class.name(&corpus, average, &stemmer, config))
        .collect()
}

/// f(p) of every phrase of every community: its occurrences over all communities. Every
/// (phrase, community, place) is sorted by phrase (in parallel), and each run of one phrase
/// sums its counts: no hash table of all phrases, whose lookups miss the cache.
fn corpus_frequencies(classes: &mut [Class]) {
    let mut entries: Vec<(u64, u32, u32, u32)> = classes
        .iter()
        .enumerate()
        .flat_map(|(c, class)| {
            class
                .phrases
                .iter()
                .enumerate()
                .map(move |(i, &(p, n))| (p, c as u32, i as u32, n))
        })
        .collect();
    entries.par_sort_unstable_by_key(|e| e.0);
    for class in classes.iter_mut() {
        class.frequency = vec![0; class.phrases.len()];
    }
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        let f: u32 = run.iter().map(|e| e.3).sum();
        for &(_, c, i, _) in run {
            classes[c as usize].frequency[i as usize] = f;
        }
    }
}

/// Words packed into a phrase key: 21 bits each (id + 1, 0 for none), first word highest, so
/// keys sort like the phrases alphabetically (word ids are alphabetical).
const WORD_BITS: u32 = 21;
const WORD_MASK: u64 = (1 << WORD_BITS) - 1;
/// Words with an id this high or above (a vocabulary of over two million words) are left
/// out of phrases: they are among the rarest.
const MAX_WORD: u32 = (1 << WORD_BITS) - 2;

/// Candidates of a community sorted before any is looked at; the rest are sorted only if a
/// name needs more of them.
const RANKED_FIRST: usize = 64;

/// A token of the stream: a word id and what the candidate rules say about it.
const ID_MASK: u32 = (1 << 29) - 1;
/// The word opens a run.
const RUN_START: u32 = 1 << 31;
/// A one-word phrase may end with it.
const ENDS_ALONE: u32 = 1 << 30;
/// A longer phrase may end with it (its word before is the one before it in the run).
const ENDS_AFTER: u32 = 1 << 29;

fn pack(words: &[u32]) -> u64 {
    let mut key = 0u64;
    for i in 0..3 {
        key <<= WORD_BITS;
        if let Some(&w) = words.get(i) {
            key |= u64::from(w) + 1;
        }
    }
    key
}

fn unpack(key: u64) -> impl Iterator<Item = u32> {
    (0..3)
        .rev()
        .map(move |i| ((key >> (i * WORD_BITS)) & WORD_MASK) as u32)
        .take_while(|&w| w != 0)
        .map(|w| w - 1)
}

fn len(key: u64) -> usize {
    unpack(key).count()
}

/// The candidate runs of every text, as one token stream in community order, and the
/// vocabulary (ids in alphabetical order).
struct Corpus {
    tokens: Vec<u32>,
    /// Token offset of each text in community order, and the end.
    offsets: Vec<usize>,
    /// Lowercased words, by id.
    words: Vec<String>,
    /// How each word is shown.
    shown: Vec<String>,
}

/// One chunk of texts as read in parallel: tokens with chunk-local word ids.
#[derive(Default)]
struct LocalChunk {
    tokens: Vec<u32>,
    ends: Vec<usize>,
    words: Vec<String>,
    forms: Vec<Form>,
}

/// How a word was written: occurrences, and those in capitals or mixed case with the first
/// such form.
#[derive(Default, Clone)]
struct Form {
    total: u32,
    special: u32,
    form: Option<String>,
}

impl Form {
    fn add(&mut self, other: &Form) {
        self.total += other.total;
        self.special += other.special;
        if self.form.is_none() {
            self.form.clone_from(&other.form);
        }
    }
}

/// Written other than in lower case or with only its first letter capitalised ("AI",
/// "CPOs", "iPhone").
fn special_case(text: &str, key: &str) -> bool {
    if text.len() == key.len() && text == key {
        return false;
    }
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    !(first.is_uppercase() && key.ends_with(rest) && !rest.chars().any(char::is_uppercase))
}

/// What names need to know of a distinct word: the candidate rules ([`Signals`]) and whether
/// it is a possessive, which ends no name ("the customer's").
#[derive(Clone, Copy)]
struct WordRules {
    signals: Signals,
    possessive: bool,
}

/// The cache slot of words without two letters.
const NOT_A_PHRASE_WORD: u32 = 0;

impl WordRules {
    /// A word that is no phrase word.
    const NONE: WordRules = WordRules {
        signals: Signals {
            phrase: false,
            participle: false,
            verb: false,
            verb_alone: false,
            plural: false,
        },
        possessive: false,
    };

    /// The rules of a lowercased word.
    fn of_key(key: &str) -> WordRules {
        WordRules {
            signals: Signals::of_key(key),
            possessive: key.ends_with("'s") || key.ends_with("’s"),
        }
    }

    /// The token flags of this word after `before` in its run.
    fn flags(&self, before: Option<&WordRules>) -> u32 {
        let mut flags = 0;
        if self.possessive {
            return flags;
        }
        if self.signals.can_end_after(None) && !self.signals.verb_alone {
            flags |= ENDS_ALONE;
        }
        if let Some(b) = before {
            if self.signals.can_end_after(Some(&b.signals)) {
                flags |= ENDS_AFTER;
            }
        }
        flags
    }
}

impl Corpus {
    fn read(texts: &[&str], order: &[usize], scan_words: usize) -> Corpus {
        // A few chunks per thread: enough to balance the load, few enough that each chunk's
        // word cache (the rules of each distinct word) is filled rarely.
        let chunk_size = order
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(1024);
        let chunks: Vec<LocalChunk> = order
            .par_chunks(chunk_size)
            .map(|nodes| read_chunk(texts, nodes, scan_words))
            .collect();

        // One vocabulary, ids in alphabetical order (ties between equal phrase scores then go
        // to the alphabetically first).
        let mut forms: HashMap<&str, Form> = HashMap::new();
        for chunk in &chunks {
            for (w, f) in chunk.words.iter().zip(&chunk.forms) {
                forms.entry(w.as_str()).or_default().add(f);
            }
        }
        let mut vocabulary: Vec<(&str, Form)> = forms.into_iter().collect();
        vocabulary.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let index: HashMap<&str, u32> = vocabulary
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (*w, i as u32))
            .collect();
        let remaps: Vec<Vec<u32>> = chunks
            .iter()
            .map(|chunk| chunk.words.iter().map(|w| index[w.as_str()]).collect())
            .collect();
        let words: Vec<String> = vocabulary.iter().map(|(w, _)| w.to_string()).collect();
        let shown: Vec<String> = vocabulary
            .iter()
            .map(|(w, f)| match &f.form {
                Some(form) if 2 * f.special > f.total => form.clone(),
                _ => w.to_string(),
            })
            .collect();
        drop(index);

        let mut tokens = Vec::with_capacity(chunks.iter().map(|c| c.tokens.len()).sum());
        let mut offsets = Vec::with_capacity(order.len() + 1);
        offsets.push(0);
        for (chunk, remap) in chunks.iter().zip(&remaps) {
            let base = tokens.len();
            tokens.extend(
                chunk
                    .tokens
                    .iter()
                    .map(|&t| (t & !ID_MASK) | remap[(t & ID_MASK) as usize]),
            );
            offsets.extend(chunk.ends.iter().map(|&e| base + e));
        }
        Corpus {
            tokens,
            offsets,
            words,
            shown,
        }
    }
}

/// The tokens of one chunk of texts (`nodes`, in community order), with chunk-local word ids.
///
/// The rules are looked up once per distinct word of the chunk (they read several sorted word
/// lists): every distinct word seen gets a cache slot, and those inside runs also get a chunk
/// vocabulary id (numbers and stop words never do). A lowercased ASCII word of up to 16 bytes
/// (nearly every English word) is looked up by its bytes packed into a `u128`, which hashes
/// and compares in a few instructions; longer or non-ASCII words by their string.
fn read_chunk(texts: &[&str], nodes: &[usize], words_read: usize) -> LocalChunk {
    let mut chunk = LocalChunk::default();
    let mut short: HashMap<u128, u32, BuildHasherDefault<KeyHasher>> = HashMap::default();
    let mut long: HashMap<String, u32, BuildHasherDefault<KeyHasher>> = HashMap::default();
    // Per slot: the rules, the lowercased word, the vocabulary id (u32::MAX until in a run).
    // Slot 0 (NOT_A_PHRASE_WORD) stands for every word without two letters.
    let mut rules: Vec<WordRules> = vec![WordRules::NONE];
    let mut keys: Vec<Box<str>> = vec!["".into()];
    let mut vocabulary_id: Vec<u32> = vec![u32::MAX];
    let mut text_words: Vec<ScannedWord> = Vec::new();
    let mut lowered = String::new();
    for &u in nodes {
        let text = texts[u];
        text_words.clear();
        scan_words(text, words_read, |word, chunk_no| {
            let bytes = word.as_bytes();
            let start = (word.as_ptr() as usize - text.as_ptr() as usize) as u32;
            let mut scanned = ScannedWord {
                slot: NOT_A_PHRASE_WORD,
                chunk: chunk_no as u32,
                start,
                end: start + bytes.len() as u32,
                lowercase: false,
            };
            let ascii = bytes.is_ascii();
            if ascii {
                // A word without two letters (a number) is never a phrase word: no need to
                // look it up.
                if bytes
                    .iter()
                    .filter(|b| b.is_ascii_alphabetic())
                    .nth(1)
                    .is_none()
                {
                    text_words.push(scanned);
                    return;
                }
                scanned.lowercase = !bytes.iter().any(u8::is_ascii_uppercase);
            }
            let mut new_slot = |key: &str| {
                rules.push(WordRules::of_key(key));
                keys.push(key.into());
                vocabulary_id.push(u32::MAX);
                rules.len() as u32 - 1
            };
            scanned.slot = if ascii && bytes.len() <= 16 {
                // The lowercased bytes packed in a register.
                let key = bytes.iter().enumerate().fold(0u128, |key, (i, &b)| {
                    key | u128::from(b.to_ascii_lowercase()) << (8 * i)
                });
                match short.get(&key) {
                    Some(&slot) => slot,
                    None => {
                        let packed = key.to_le_bytes();
                        let lowered = std::str::from_utf8(&packed[..bytes.len()]).expect("ASCII");
                        let slot = new_slot(lowered);
                        short.insert(key, slot);
                        slot
                    }
                }
            } else {
                lowered.clear();
                if ascii {
                    lowered.extend(bytes.iter().map(|b| char::from(b.to_ascii_lowercase())));
                } else {
                    // As `words` does: Unicode lowercasing is not only of uppercase letters,
                    // and a final sigma depends on its place in the word.
                    lowered.push_str(&word.to_lowercase());
                }
                match long.get(lowered.as_str()) {
                    Some(&slot) => slot,
                    None => {
                        let slot = new_slot(&lowered);
                        long.insert(lowered.clone(), slot);
                        slot
                    }
                }
            };
            text_words.push(scanned);
        });
        let phrase = |i: usize| rules[text_words[i].slot as usize].signals.phrase;
        let mut i = 0;
        while i < text_words.len() {
            if !phrase(i) {
                i += 1;
                continue;
            }
            // A run: phrase words in one chunk.
            let run_start = i;
            while i < text_words.len()
                && (i == run_start || text_words[i].chunk == text_words[run_start].chunk)
                && phrase(i)
            {
                let word = &text_words[i];
                let slot = word.slot as usize;
                if vocabulary_id[slot] == u32::MAX {
                    vocabulary_id[slot] = chunk.words.len() as u32;
                    chunk.words.push(keys[slot].to_string());
                    chunk.forms.push(Form::default());
                }
                let id = vocabulary_id[slot];
                let form = &mut chunk.forms[id as usize];
                form.total += 1;
                let written = &text[word.start as usize..word.end as usize];
                if !word.lowercase && special_case(written, &keys[slot]) {
                    form.special += 1;
                    form.form.get_or_insert_with(|| written.to_string());
                }
                let before = (i > run_start).then(|| &rules[text_words[i - 1].slot as usize]);
                let mut token = id | rules[slot].flags(before);
                if i == run_start {
                    token |= RUN_START;
                }
                chunk.tokens.push(token);
                i += 1;
            }
        }
        chunk.ends.push(chunk.tokens.len());
    }
    chunk
}

/// A word of a text as [`read_chunk`] keeps it while reading the text.
#[derive(Clone, Copy)]
struct ScannedWord {
    /// Its cache slot.
    slot: u32,
    /// The chunk (between punctuation) it belongs to.
    chunk: u32,
    /// Its bytes in the text.
    start: u32,
    end: u32,
    /// Written in lowercase ASCII: shown as it is compared.
    lowercase: bool,
}

/// A hash map keyed by phrase keys.
type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// The hasher of this module's maps (words and phrase keys): FxHash's multiply-rotate step
/// over 8-byte words, finished with the SplitMix64 mixer (Steele, Lea & Flood 2014) so that
/// every bit of the hash depends on every bit of the key. SipHash, the default, is built to
/// resist hash flooding, which keys made from a person's own documents cannot mount; this
/// hasher made naming a 100,000-page corpus about a third cheaper (measured with
/// `examples/bench_labels.rs`).
#[derive(Default)]
struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(tail) ^ (bytes.len() as u64) << 56);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u128(&mut self, key: u128) {
        self.add(key as u64);
        self.add((key >> 64) as u64);
    }

    fn write_u64(&mut self, key: u64) {
        self.add(key);
    }
}

/// One community's candidate phrases with their counts.
struct Class {
    /// (phrase key, occurrences), in no particular order.
    phrases: Vec<(u64, u32)>,
    /// f(p) of each phrase, parallel to `phrases`: its occurrences in all communities.
    frequency: Vec<u32>,
    /// All candidate occurrences.
    total: u64,
}

impl Class {
    /// Count the candidates of the texts `texts` (positions in community order).
    fn count(corpus: &Corpus, texts: std::ops::Range<usize>, phrase_words: usize) -> Class {
        let tokens = &corpus.tokens[corpus.offsets[texts.start]..corpus.offsets[texts.end]];
        let mut counts: KeyMap<u32> = KeyMap::default();
        let mut total = 0u64;
        let mut run_start = 0;
        for (i, &t) in tokens.iter().enumerate() {
            if t & RUN_START != 0 {
                run_start = i;
            }
            // Phrases ending at word i: i alone, and i with up to two words before it.
            let mut ids = [0u32; 3];
            for n in 1..=phrase_words.min(i - run_start + 1) {
                let ends = if n == 1 { ENDS_ALONE } else { ENDS_AFTER };
                let words = &tokens[i + 1 - n..=i];
                if t & ends == 0 || words.iter().any(|&w| w & ID_MASK > MAX_WORD) {
                    continue;
                }
                for (slot, &w) in ids.iter_mut().zip(words) {
                    *slot = w & ID_MASK;
                }
                *counts.entry(pack(&ids[..n])).or_insert(0) += 1;
                total += 1;
            }
        }
        Class {
            phrases: counts.into_iter().collect(),
            frequency: Vec::new(),
            total,
        }
    }

    /// The name of this community (see [`label_communities`]).
    fn name(
        &self,
        corpus: &Corpus,
        average: f64,
        stemmer: &Stemmer,
        config: &LabelConfig,
    ) -> String {
        if self.total == 0 {
            return String::new();
        }
        // Phrase i's score.
        let score = |i: usize| {
            let tf = f64::from(self.phrases[i].1) / self.total as f64;
            let idf = (1.0 + average / f64::from(self.frequency[i])).ln();
            tf * idf * idf
        };
        let mut ranked: Vec<(f64, u64, u32)> = self
            .phrases
            .iter()
            .enumerate()
            .map(|(i, &(p, n))| (score(i), p, n))
            .collect();
        // Keys sort alphabetically, so ties go to the alphabetically first phrase. A name needs
        // a few candidates: the best are sorted first, the rest only if they run out.
        let order =
            |a: &(f64, u64, u32), b: &(f64, u64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let head = RANKED_FIRST.min(ranked.len());
        if head < ranked.len() {
            ranked.select_nth_unstable_by(head, order);
        }
        ranked[..head].sort_unstable_by(order);
        let mut tail_sorted = head == ranked.len();

        let phrase_words = config.phrase_words.clamp(1, 3);
        let mut chosen: Vec<u64> = Vec::new();
        let mut stems: Vec<String> = Vec::new();
        let mut cache: HashMap<u32, Vec<String>> = HashMap::new();
        let mut used = 0;
        // Characters of the name so far, counting the ", " before the next phrase.
        let mut chars = 0;
        for i in 0..ranked.len() {
            if chosen.len() >= config.max_phrases || used >= config.max_words {
                break;
            }
            if i == head && !tail_sorted {
                ranked[head..].sort_unstable_by(order);
                tail_sorted = true;
            }
            let (sc, p, n) = ranked[i];
            // What rules p out rules out every longer phrase holding it: check p first, and
            // look for a longer phrase only then.
            let room = config.max_words - used;
            let fits =
                |q: u64| len(q) <= room && chars + shown_chars(corpus, q) - 2 <= config.max_chars;
            if len(p) > room {
                continue;
            }
            let p_stems = phrase_stems(corpus, p, stemmer, &mut cache);
            if has_repeats(&p_stems) || p_stems.iter().any(|s| stems.contains(s)) {
                continue;
            }
            // The best phrase left is too long for the characters left: the name ends here (a
            // lower-ranked word that happens to be shorter would only pad it). A first phrase
            // too long for any name (a 40-letter word) is passed over.
            if !fits(p) {
                if chosen.is_empty() {
                    continue;
                }
                break;
            }
            let longer = self.extend((p, n, sc), phrase_words.min(room), config.absorb, score);
            let (q, q_stems) = match phrase_stems(corpus, longer, stemmer, &mut cache) {
                q_stems
                    if longer != p
                        && fits(longer)
                        && !has_repeats(&q_stems)
                        && !q_stems.iter().any(|s| stems.contains(s)) =>
                {
                    (longer, q_stems)
                }
                _ => (p, p_stems),
            };
            used += len(q);
            chars += shown_chars(corpus, q);
            chosen.push(q);
            stems.extend(q_stems);
        }
        chosen
            .iter()
            .map(|&p| {
                unpack(p)
                    .map(|w| corpus.shown[w as usize].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The longest phrase, up to `max_len` words, that contains `p` one word longer at each
    /// step and scores at least `absorb` times the phrase it extends, said at least twice (or
    /// as often as that phrase); `p` itself if there is none. Among extensions, the best
    /// scored wins (ties: alphabetical).
    fn extend(
        &self,
        mut p: (u64, u32, f64),
        max_len: usize,
        absorb: f64,
        score: impl Fn(usize) -> f64,
    ) -> u64 {
        while len(p.0) < max_len {
            let target = len(p.0) + 1;
            let best = self
                .phrases
                .iter()
                .enumerate()
                .filter(|&(_, &(q, m))| m >= p.1.min(2) && len(q) == target && contains(q, p.0))
                .map(|(i, &(q, m))| (q, m, score(i)))
                .filter(|q| q.2 >= absorb * p.2)
                .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)));
            match best {
                Some(q) => p = q,
                None => break,
            }
        }
        p.0
    }
}

/// Characters of a phrase as shown, and of the ", " that joins it to the next one.
fn shown_chars(corpus: &Corpus, phrase: u64) -> usize {
    let words: usize = unpack(phrase)
        .map(|w| corpus.shown[w as usize].chars().count() + 1)
        .sum();
    words + 1
}

/// Whether phrase `q` begins or ends with phrase `p` (one word shorter).
fn contains(q: u64, p: u64) -> bool {
    let q: Vec<u32> = unpack(q).collect();
    let p: Vec<u32> = unpack(p).collect();
    q[..q.len() - 1] == p[..] || q[1..] == p[..]
}

/// The stems of a phrase's words, each word cut into its parts at hyphens and apostrophes
/// (a possessive "s" dropped); `cache` keeps each word's stems.
fn phrase_stems(
    corpus: &Corpus,
    phrase: u64,
    stemmer: &Stemmer,
    cache: &mut HashMap<u32, Vec<String>>,
) -> Vec<String> {
    let mut stems = Vec::new();
    for w in unpack(phrase) {
        let word_stems = cache.entry(w).or_insert_with(|| {
            let word = corpus.words[w as usize].as_str();
            word.split(['-', '\'', '’'])
                .filter(|p| !p.is_empty())
                .enumerate()
                .filter(|&(i, part)| i == 0 || part != "s")
                .map(|(_, part)| stemmer.stem(part).into_owned())
                .collect()
        });
        stems.extend(word_stems.iter().cloned());
    }
    stems
}

fn has_repeats(stems: &[String]) -> bool {
    stems
        .iter()
        .enumerate()
        .any(|(i, s)| stems[..i].contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(texts: &[&str], membership: &[u32]) -> Vec<String> {
        let count = membership.iter().max().map_or(0, |&m| m as usize + 1);
        label_communities(texts, membership, count, &LabelConfig::default())
    }

    fn phrases(name: &str) -> Vec<&str> {
        name.split(", ").filter(|p| !p.is_empty()).collect()
    }

    /// Two themes with overlapping vocabulary, inflected forms and stop words everywhere.
    const ENGINEERS: [&str; 8] = [
        "The engineer who learns engineering by doing is the engineer teams want.",
        "Engineering managers help engineers grow; an engineer's growth is engineering work.",
        "Engineers and engineering leaders: engineered systems need engineering culture.",
        "An engineering culture of code review makes engineers better engineers.",
        "Pricing strategy is the product strategy of revenue.",
        "Revenue grows when the pricing strategy fits the product.",
        "A pricing strategy for revenue: the product sets the price.",
        "Product pricing and revenue forecasts shape the pricing strategy.",
    ];
    const MEMBERSHIP: [u32; 8] = [0, 0, 0, 0, 1, 1, 1, 1];

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn no_stem_twice_and_no_stop_word() {
        let stemmer = Stemmer::create(Language::English);
        let got = names(&ENGINEERS, &MEMBERSHIP);
        for name in &got {
            let words: Vec<String> = name
                .split([',', ' '])
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            assert!(!words.is_empty(), "{got:?}");
            let stems: Vec<String> = words.iter().map(|w| stemmer.stem(w).into_owned()).collect();
            assert!(!has_repeats(&stems), "{name}: a stem twice");
            assert!(
                words.iter().all(|w| !is_stop_word(w)),
                "{name}: a stop word"
            );
        }
        // "engineer", "engineering", "engineers", "engineered": one of them, once.
        assert_eq!(got[0].matches("engineer").count(), 1, "{:?}", got[0]);
    }

    #[test]
    fn a_phrase_said_throughout_names_its_theme() {
        let got = names(&ENGINEERS, &MEMBERSHIP);
        // "pricing strategy" is in every insight of theme 1, and "pricing" mostly in it.
        assert!(phrases(&got[1]).contains(&"pricing strategy"), "{got:?}");
        assert!(!phrases(&got[1]).contains(&"pricing"), "{got:?}");
        // A phrase is never a part of another one of the name.
        for name in &got {
            let ps = phrases(name);
            for a in &ps {
                for b in &ps {
                    assert!(a == b || !b.contains(a), "{name}");
                }
            }
        }
    }

    #[test]
    fn names_fit_their_word_budget() {
        let texts = [
            "Customer discovery interviews reveal unmet customer needs early.",
            "Continuous customer discovery interviews beat big annual surveys.",
            "Weekly customer discovery interviews keep product trios honest.",
            "Opportunity solution trees organise customer discovery interviews.",
        ];
        let config = LabelConfig::default();
        for name in names(&texts, &[0, 0, 0, 0]) {
            let ps = phrases(&name);
            assert!((1..=config.max_phrases).contains(&ps.len()), "{name}");
            assert!(name.chars().count() <= config.max_chars, "{name}");
            assert!(ps
                .iter()
                .all(|p| p.split(' ').count() <= config.phrase_words));
            let words: usize = ps.iter().map(|p| p.split(' ').count()).sum();
            assert!(words <= config.max_words, "{name}");
            assert!(name.starts_with("customer discovery interviews"), "{name}");
        }
    }

    #[test]
    fn a_word_too_long_for_any_name_is_passed_over() {
        let long = "Pneumonoultramicroscopicsilicovolcanoconiosis hurts miners.";
        let got = names(&[long, long, "Gardening tips"], &[0, 0, 1]);
        assert_eq!(got[0], "miners", "{got:?}");
    }

    #[test]
    fn a_character_budget_keeps_names_short() {
        let config = LabelConfig {
            max_chars: 12,
            ..LabelConfig::default()
        };
        let got = label_communities(&ENGINEERS, &MEMBERSHIP, 2, &config);
        assert!(
            got.iter().all(|n| !n.is_empty() && n.chars().count() <= 12),
            "{got:?}"
        );
        let full = names(&ENGINEERS, &MEMBERSHIP);
        assert!(full.iter().any(|n| n.chars().count() > 12), "{full:?}");
    }

    #[test]
    fn names_are_the_same_whatever_the_threads() {
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| names(&ENGINEERS, &MEMBERSHIP))
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(4));
        assert_eq!(one, names(&ENGINEERS, &MEMBERSHIP));
    }

    #[test]
    fn verbs_participles_and_possessives_end_no_name_and_capitals_stay() {
        let texts = [
            "AI tools automate the work. AI tools changed everything; the team's AI tools.",
            "With AI tools, PMs excel. AI copilots serve the customer's needs.",
            "Gardening tips: water tomatoes early, prune tomatoes often.",
        ];
        let got = names(&texts, &[0, 0, 1]);
        assert!(got[0].starts_with("AI tools"), "{got:?}");
        for word in [
            "automate",
            "changed",
            "excel",
            "serve",
            "team's",
            "customer's",
        ] {
            assert!(
                !got[0].split([',', ' ']).any(|w| w == word),
                "{word} in {got:?}"
            );
        }
        assert!(got[1].contains("tomatoes"), "{got:?}");
    }

    #[test]
    fn long_and_non_ascii_words_are_one_word_whatever_their_case() {
        // Words of over 16 bytes and words outside ASCII are looked up by their string, the
        // rest by packed bytes: either way, a word capitalised at the start of a sentence is
        // the same word, so the names are those of the texts in lower case.
        let texts = [
            "Internationalization matters. Straße wins. Straße, café.",
            "Internationalization again; Straße.",
            "internationalization, straße",
            "Gardening tips: water tomatoes early, prune tomatoes often.",
        ];
        let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let got = names(&texts, &[0, 0, 0, 1]);
        assert_eq!(got, names(&lower, &[0, 0, 0, 1]));
        assert_eq!(got[0], "internationalization, straße", "{got:?}");
    }

    #[test]
    fn communities_without_words_get_empty_names() {
        let got = names(&["12", "a b of the", "graph theory"], &[0, 1, 2]);
        assert_eq!(got, vec!["", "", "graph theory"]);
    }

    #[test]
    fn keys_pack_and_sort_like_the_phrases() {
        let a = pack(&[3]);
        let ab = pack(&[3, 7]);
        let abc = pack(&[3, 7, 1]);
        let b = pack(&[4]);
        assert!(a < ab && ab < abc && abc < b);
        assert_eq!(unpack(abc).collect::<Vec<_>>(), vec![3, 7, 1]);
        assert_eq!(len(ab), 2);
        assert!(contains(abc, ab) && contains(abc, pack(&[7, 1])));
        assert!(!contains(abc, pack(&[3, 1])));
    }

    #[test]
    fn special_case_is_capitals_or_mixed_case_only() {
        assert!(special_case("AI", "ai") && special_case("CPOs", "cpos"));
        assert!(special_case("iPhone", "iphone"));
        assert!(!special_case("Product", "product") && !special_case("product", "product"));
    }
}

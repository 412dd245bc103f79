//! Corpus generator for benchmarks: writes N riffon-style podcast-insight pages with realistic
//! reuse of insights.
//!
//! Model: a pool of insights split over themes; each page picks a theme (Zipf-distributed, so a
//! few themes dominate), a headline and ten related insights, most from its own theme and some
//! from others. Within a theme, insight popularity is Zipf-like (P(rank r) ∝ 1/r), so a few
//! insights appear on thousands of pages and most on a handful: the heavy tail real corpora show.
//! Insight texts are ~45 pseudo-words (~300 characters) drawn from the theme's vocabulary, so
//! community labels and full-text search have something to find. Output is deterministic per seed.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages 100000 --out /tmp/corpus100k [--seed 1]
//! ```

use netgraph::algo::rng::SplitMix64;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

/// Draws for the corpus: netgraph's own seeded generator plus a Zipf-like rank.
struct Rng(SplitMix64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(SplitMix64::new(seed))
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }
    /// Zipf-like rank in 0..n with P(r) ∝ 1/(r+1): log-uniform sampling.
    fn zipf(&mut self, n: usize) -> usize {
        let r = ((n as f64 + 1.0).ln() * self.0.next_f64()).exp() as usize;
        r.saturating_sub(1).min(n - 1)
    }
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ner", "sa", "to", "vel", "ri", "don", "pa", "shu", "gen", "tor", "ba",
    "lin", "co", "mar", "fi", "quen", "dra", "sol", "ve", "tu", "ham",
];
const GLUE: [&str; 16] = [
    "the", "a", "of", "to", "and", "in", "is", "that", "for", "with", "as", "by", "not", "it",
    "on", "from",
];

struct Config {
    pages: usize,
    out: PathBuf,
    seed: u64,
    themes: usize,
    pool: usize,
    related: usize,
}

fn parse_args() -> Result<Config, String> {
    let mut c = Config {
        pages: 10_000,
        out: PathBuf::from("corpus"),
        seed: 1,
        themes: 60,
        pool: 0,
        related: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--pages" => c.pages = value()?.parse().map_err(|e| format!("--pages: {e}"))?,
            "--out" => c.out = PathBuf::from(value()?),
            "--seed" => c.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--themes" => c.themes = value()?.parse().map_err(|e| format!("--themes: {e}"))?,
            "--pool" => c.pool = value()?.parse().map_err(|e| format!("--pool: {e}"))?,
            "--related" => c.related = value()?.parse().map_err(|e| format!("--related: {e}"))?,
            "-h" | "--help" => {
                println!("gen_corpus --pages N --out DIR [--seed S] [--themes T] [--pool P] [--related R]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if c.pool == 0 {
        c.pool = (c.pages * 3 / 2).max(100);
    }
    if c.themes == 0 || c.pages == 0 {
        return Err("--pages and --themes must be positive".into());
    }
    Ok(c)
}

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

fn main() {
    let c = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(2);
        }
    };
    let mut rng = Rng::new(c.seed);
    // Each theme has its own vocabulary of 40 words.
    let vocab: Vec<Vec<String>> = (0..c.themes)
        .map(|_| (0..40).map(|_| word(&mut rng)).collect())
        .collect();
    // Insight i belongs to theme i % themes; its rank in the theme is i / themes.
    let per_theme = c.pool.div_ceil(c.themes);
    let text_of = |i: usize| -> String {
        let theme = i % c.themes;
        let mut r = Rng::new(c.seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let words = 38 + r.below(16);
        let mut s = String::with_capacity(words * 7);
        for w in 0..words {
            let token: &str = if r.below(3) == 0 {
                GLUE[r.below(GLUE.len())]
            } else {
                &vocab[theme][r.zipf(40)]
            };
            if w == 0 {
                let mut cs = token.chars();
                if let Some(f) = cs.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(cs.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(token);
            }
            if w + 1 < words && r.below(12) == 0 {
                s.push('.');
            }
        }
        let _ = write!(s, " ({i}).");
        s
    };
    std::fs::create_dir_all(&c.out).expect("create output folder");
    let mut page = String::new();
    let mut total_bytes = 0usize;
    for p in 0..c.pages {
        let theme = rng.zipf(c.themes);
        let mut chosen: Vec<usize> = Vec::with_capacity(c.related + 1);
        let mut tries = 0;
        while chosen.len() < c.related + 1 && tries < 100 {
            tries += 1;
            let t = if chosen.is_empty() || rng.below(5) != 0 {
                theme
            } else {
                rng.below(c.themes)
            };
            let rank = rng.zipf(per_theme);
            let i = rank * c.themes + t;
            if i < c.pool && !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        page.clear();
        page.push_str("Get your free personalized podcast brief\n\nWe scan new podcasts and send you the top 5 insights daily.\n\n");
        for (k, &i) in chosen.iter().enumerate() {
            page.push_str(&text_of(i));
            page.push_str("\n\n");
            if k == 0 {
                page.push_str("Related Insights\n\n");
            }
        }
        let _ = write!(page, "Episode {p} on {} | RiffOn", vocab[theme][0]);
        let path = c.out.join(format!("page-{p:07}.txt"));
        let mut f = std::fs::File::create(&path).expect("create page");
        f.write_all(page.as_bytes()).expect("write page");
        total_bytes += page.len();
    }
    eprintln!(
        "wrote {} pages ({:.1} MB) to {} (pool {} insights, {} themes, seed {})",
        c.pages,
        total_bytes as f64 / 1e6,
        c.out.display(),
        c.pool,
        c.themes,
        c.seed
    );
}

//! `netgraph search`, `show`, `neighbors`, `path`, `bridges`, `dedupe` and
//! `import --thesaurus`.

use crate::common::*;

/// A JSONL corpus: (source, [insight texts]).
fn jsonl(sources: &[(&str, &[&str])]) -> String {
    let mut out = String::new();
    for (source, texts) in sources {
        for text in *texts {
            out.push_str(&serde_json::json!({ "source": source, "text": text }).to_string());
            out.push('\n');
        }
    }
    out
}

fn env_with(sources: &[(&str, &[&str])]) -> Env {
    let env = Env::new();
    let path = env.write("corpus.jsonl", jsonl(sources));
    env.import(&path, &[]);
    env
}

fn code(env: &Env, args: &[&str]) -> (Option<i32>, String) {
    let out = env.run(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Neighbour id -> weight of `insight`, from `neighbors --format json`.
fn weights(env: &Env, insight: &str) -> Vec<(i64, i64)> {
    let v = env.json(&["neighbors", insight, "--format", "json", "--limit", "0"]);
    let mut out: Vec<(i64, i64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_i64().unwrap(), n["weight"].as_i64().unwrap()))
        .collect();
    out.sort();
    out
}

fn id_of(env: &Env, text: &str) -> i64 {
    env.json(&["show", text, "--format", "json"])["id"]
        .as_i64()
        .unwrap()
}

// ---- search ------------------------------------------------------------------------------

#[test]
fn search_ranks_highlights_and_counts_sources() {
    let env = Env::with_seeds();
    let v = env.json(&["search", "product", "leader", "--format", "json"]);
    let hits = v["insights"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        let text = h["text"].as_str().unwrap().to_lowercase();
        assert!(
            text.contains("product") && text.contains("leader"),
            "{text}"
        );
        assert!(h["snippet"].as_str().unwrap().contains('['), "{h}");
        assert!(h["sources"].as_i64().unwrap() >= 1);
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] <= w[1]),
        "bm25 order: {scores:?}"
    );
    // Stemming: "leaders" finds "leader".
    let plural = env.json(&["search", "leaders", "--format", "json", "--limit", "50"]);
    assert!(plural["insights"].as_array().unwrap().len() >= hits.len());
}

#[test]
fn search_queries_never_reach_fts_as_syntax() {
    let env = Env::with_seeds();
    for query in [
        "don't \"x",
        "AND",
        "OR NOT",
        "a*",
        "\"",
        "NEAR(product",
        "text:product",
        "-",
        "(",
        "^product",
        "product)",
    ] {
        let (status, err) = code(&env, &["search", query]);
        // 0 found, 3 nothing found, 2 no word at all (`"`, `-`): never an internal error.
        assert!(
            matches!(status, Some(0 | 2 | 3)),
            "{query:?}: {status:?} {err}"
        );
        assert!(
            !err.to_lowercase().contains("syntax") && !err.contains("fts5"),
            "{query:?}: {err}"
        );
    }
    assert!(env.ok(&["search", "don't"]).contains("[don't]"));
    let (status, err) = code(&env, &["search", "zyxwvut"]);
    assert_eq!(status, Some(3));
    assert!(err.contains("no insight or source title"), "{err}");
}

#[test]
fn search_finds_source_titles() {
    let env = env_with(&[
        ("Thinking Fast and Slow", &["one idea", "two ideas"]),
        ("Deep Work", &["focus wins"]),
    ]);
    let v = env.json(&["search", "slow", "--format", "json"]);
    assert!(v["insights"].as_array().unwrap().is_empty());
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["title"], "Thinking Fast and [Slow]");
    assert_eq!(sources[0]["insights"], 2);
}

#[test]
fn search_index_follows_incremental_imports_and_prunes() {
    let env = Env::new();
    let a = env.write("docs/a.txt", "alpha insight here\n\nbeta insight here\n");
    env.write("docs/b.txt", "gamma insight here\n\nbeta insight here\n");
    env.import(&env.path("docs"), &["--format", "paragraphs"]);
    assert_eq!(
        env.json(&["search", "gamma", "--format", "json"])["insights"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A new file: its new insight is searchable; a deleted file's orphan insight is not.
    env.write("docs/c.txt", "delta insight here\n\nbeta insight here\n");
    std::fs::remove_file(&a).unwrap();
    env.import(&env.path("docs"), &["--format", "paragraphs", "--prune"]);
    assert_eq!(
        env.json(&["search", "delta", "--format", "json"])["insights"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(code(&env, &["search", "alpha"]).0, Some(3));
    assert_eq!(
        env.json(&["search", "insight", "--format", "json"])["insights"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

// ---- resolving insights -----------------------------------------------------------------

#[test]
fn insights_are_named_by_id_exact_text_or_a_piece() {
    let env = Env::with_seeds();
    let by_piece = env.json(&["show", "constant dissatisfaction", "--format", "json"]);
    let id = by_piece["id"].as_i64().unwrap();
    let by_id = env.json(&["show", &id.to_string(), "--format", "json"]);
    assert_eq!(by_id["text"], by_piece["text"]);
    let by_hash = env.json(&["show", &format!("#{id}"), "--format", "json"]);
    assert_eq!(by_hash["id"], id);
    let exact = by_piece["text"].as_str().unwrap().to_uppercase();
    assert_eq!(env.json(&["show", &exact, "--format", "json"])["id"], id);

    let (status, err) = code(&env, &["show", "product"]);
    assert_eq!(status, Some(2), "ambiguous is a usage error");
    assert!(err.contains("matches") && err.contains("#"), "{err}");
    let (status, err) = code(&env, &["show", "99999"]);
    assert_eq!(status, Some(3));
    assert!(err.contains("no insight #99999"), "{err}");
    let (status, err) = code(&env, &["neighbors", "quantum entanglement of teapots"]);
    assert_eq!(status, Some(3));
    assert!(err.contains("no insight contains"), "{err}");
}

// ---- show ---------------------------------------------------------------------------------

#[test]
fn show_lists_text_sources_neighbours_and_says_what_is_not_kept() {
    let env = Env::with_seeds();
    let v = env.json(&[
        "show",
        "constant dissatisfaction",
        "--format",
        "json",
        "--neighbors",
        "3",
    ]);
    assert!(v["text"]
        .as_str()
        .unwrap()
        .starts_with("Top product builders"));
    let places = v["appears_in"].as_array().unwrap();
    assert_eq!(places.len() as i64, v["sources"].as_i64().unwrap());
    assert!(places[0]["path"].as_str().unwrap().ends_with(".txt"));
    assert!(["headline", "related"].contains(&places[0]["role"].as_str().unwrap()));
    let neighbors = v["neighbors"].as_array().unwrap();
    assert_eq!(neighbors.len(), 3);
    let w: Vec<i64> = neighbors
        .iter()
        .map(|n| n["weight"].as_i64().unwrap())
        .collect();
    assert!(w.windows(2).all(|p| p[0] >= p[1]));
    assert_eq!(
        v["degree"].as_i64().unwrap(),
        weights(&env, "constant dissatisfaction").len() as i64
    );
    assert!(v["community"].is_null());
    let table = env.ok(&["show", "constant dissatisfaction"]);
    assert!(
        table.contains("appears in:") && table.contains("run `netgraph central`"),
        "{table}"
    );
}

// ---- neighbors ------------------------------------------------------------------------------

#[test]
fn neighbors_by_depth_and_weight() {
    // a-b (2 sources), b-c (1), c-d (1), a-e (1).
    let env = env_with(&[
        ("s1", &["node a", "node b"]),
        ("s2", &["node a", "node b"]),
        ("s3", &["node b", "node c"]),
        ("s4", &["node c", "node d"]),
        ("s5", &["node a", "node e"]),
    ]);
    let one = env.json(&["neighbors", "node a", "--format", "json"]);
    let got: Vec<(&str, i64, i64)> = one
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["text"].as_str().unwrap(),
                n["depth"].as_i64().unwrap(),
                n["weight"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![("node b", 1, 2), ("node e", 1, 1)]);
    let two = env.json(&["neighbors", "node a", "--depth", "3", "--format", "json"]);
    let texts: Vec<&str> = two
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["node b", "node e", "node c", "node d"]);
    assert_eq!(two[2]["via"], one[0]["id"]);
    let heavy = env.json(&[
        "neighbors",
        "node a",
        "--depth",
        "3",
        "--min-weight",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(heavy.as_array().unwrap().len(), 1);
    let (status, _) = code(&env, &["neighbors", "node d", "--min-weight", "5"]);
    assert_eq!(status, Some(3));
    assert_eq!(
        code(&env, &["neighbors", "node a", "--depth", "0"]).0,
        Some(2)
    );
}

// ---- path -----------------------------------------------------------------------------------

#[test]
fn path_takes_fewest_hops_then_heaviest_then_lowest_ids() {
    // start - {m1, m2, m3} - end, all 2 hops: via m1 weights 1+1, via m2 2+1, via m3 2+1.
    // m2 and m3 tie on weight; m2 has the lower id (imported first).
    let env = env_with(&[
        ("p1", &["start here", "middle one"]),
        ("p2", &["middle one", "end there"]),
        ("p3", &["start here", "middle two"]),
        ("p4", &["start here", "middle two"]),
        ("p5", &["middle two", "end there"]),
        ("p6", &["start here", "middle three"]),
        ("p7", &["start here", "middle three"]),
        ("p8", &["middle three", "end there"]),
        ("p9", &["far away", "far further"]),
    ]);
    let v = env.json(&["path", "start here", "end there", "--format", "json"]);
    let texts: Vec<&str> = v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["start here", "middle two", "end there"]);
    assert_eq!(v["hops"], 2);
    assert_eq!(v["total_weight"], 3.0);
    let first = &v["links"][0];
    assert_eq!(first["weight"], 2.0);
    let names: Vec<&str> = first["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["p3", "p4"]);
    let table = env.ok(&["path", "start here", "end there"]);
    assert!(
        table.contains("together in 2 sources") && table.contains("[p3]"),
        "{table}"
    );

    let (status, err) = code(&env, &["path", "start here", "far away"]);
    assert_eq!(status, Some(3));
    assert!(err.contains("no path"), "{err}");
}

#[test]
fn path_on_the_disconnected_fixture() {
    let env = Env::with_corpus("disconnected");
    let stats = env.json(&["stats", "--format", "json"]);
    assert!(stats["components"].as_i64().unwrap() > 1);
    // Any two insights: either a path whose hops are real edges, or exit 3.
    let n = stats["insights"].as_i64().unwrap();
    let (status, _) = code(&env, &["path", "1", &n.to_string()]);
    assert!(status == Some(0) || status == Some(3));
}

// ---- bridges --------------------------------------------------------------------------------

/// Two dense themes of five insights, joined only through one bridge insight.
fn two_themes() -> Env {
    let a: Vec<String> = (1..=5).map(|i| format!("alpha theme point {i}")).collect();
    let b: Vec<String> = (1..=5).map(|i| format!("beta theme point {i}")).collect();
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    env_with(&[
        ("A1", &a),
        ("A2", &a),
        ("B1", &b),
        ("B2", &b),
        ("X1", &["the bridge idea", a[0]]),
        ("X2", &["the bridge idea", b[0]]),
    ])
}

#[test]
fn bridges_put_the_linking_insight_first_and_report_the_gap() {
    let env = two_themes();
    let v = env.json(&["bridges", "--format", "json", "--min-size", "5", "-q"]);
    let top = &v["bridges"][0];
    assert_eq!(top["text"], "the bridge idea");
    assert!(
        (top["participation"].as_f64().unwrap() - 0.5).abs() < 1e-9,
        "{top}"
    );
    assert_eq!(top["communities_reached"], 2);
    let gaps = v["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1);
    assert!(gaps[0]["ratio"].as_f64().unwrap() < 0.5, "{}", gaps[0]);
    let table = env.ok(&["bridges", "-q", "--min-size", "5"]);
    assert!(table.contains("gaps between communities"), "{table}");
}

// ---- dedupe -----------------------------------------------------------------------------------

const X: &str = "Great products come from teams that talk to customers every single week.";
const X_TYPO: &str = "Great products come from teams that talk to custmers every single week!";
const X_CUT: &str = "Great products come from teams that talk to customers every";

#[test]
fn dedupe_lists_a_plan_without_changing_anything() {
    let env = env_with(&[
        ("s1", &[X, "unrelated idea about pricing"]),
        ("s2", &[X_TYPO, "another thought on hiring"]),
        ("s3", &[X_CUT]),
    ]);
    let before = env.json(&["stats", "--format", "json"]);
    let v = env.json(&["dedupe", "--format", "json"]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{v}");
    let members: Vec<&str> = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0], X, "ties on sources keep the longest text");
    assert_eq!(groups[0]["kind"], "truncated");
    assert!(v["applied"].is_null());
    assert_eq!(env.json(&["stats", "--format", "json"]), before);
    let table = env.ok(&["dedupe"]);
    assert!(
        table.contains("keep") && table.contains("merge") && table.contains("--apply"),
        "{table}"
    );
    // At 0.99 the typo no longer counts; the truncation (fully contained) still does.
    let strict = env.json(&["dedupe", "--threshold", "0.99", "--format", "json"]);
    let members: Vec<&str> = strict["groups"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(members, [X, X_CUT]);
    assert_eq!(code(&env, &["dedupe", "--threshold", "1.5"]).0, Some(2));
}

#[test]
fn dedupe_apply_merges_and_recounts_weights_once_per_source() {
    // s3 holds both variants with z: after the merge z-X must weigh 1 (s3), not 2.
    let env = env_with(&[
        ("s1", &[X, "insight y", "insight a"]),
        ("s2", &[X_TYPO, "insight y"]),
        ("s3", &[X, X_TYPO, "insight z"]),
    ]);
    let x = id_of(&env, X);
    let typo = id_of(&env, X_TYPO);
    let (y, z, a) = (
        id_of(&env, "insight y"),
        id_of(&env, "insight z"),
        id_of(&env, "insight a"),
    );
    let v = env.json(&["dedupe", "--apply", "--format", "json"]);
    assert_eq!(v["applied"]["insights_merged"], 1);
    let mut want = vec![(y, 2), (z, 1), (a, 1)];
    want.sort();
    assert_eq!(weights(&env, &x.to_string()), want);
    assert_eq!(weights(&env, &z.to_string()), vec![(x, 1)]);
    let stats = env.json(&["stats", "--format", "json"]);
    assert_eq!(stats["insights"], 4);
    // X-y 2, X-a 1, y-a 1, X-z 1.
    assert_eq!(stats["edges"], 4);
    assert_eq!(stats["total_weight"], 5);
    // The merged id and text now mean the kept insight, which lists its variant.
    let shown = env.json(&["show", &typo.to_string(), "--format", "json"]);
    assert_eq!(shown["id"], x);
    assert_eq!(shown["variants"][0]["text"], X_TYPO);
    assert_eq!(id_of(&env, X_TYPO), x);
    // A later import of the variant text follows the merge.
    let more = env.write("more.jsonl", jsonl(&[("s4", &[X_TYPO, "insight w"])]));
    let report = env.import(&more, &[]);
    assert_eq!(report["insights_new"], 1, "{report}");
    assert_eq!(weights(&env, "insight w"), vec![(x, 1)]);
    // Nothing left to merge.
    assert!(env.json(&["dedupe", "--format", "json"])["groups"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn dedupe_on_a_generated_corpus_finds_the_planted_duplicates() {
    let words = [
        "product",
        "customer",
        "engineering",
        "team",
        "growth",
        "pricing",
        "hiring",
        "strategy",
        "market",
        "design",
        "feedback",
        "roadmap",
        "metrics",
        "culture",
        "founder",
        "sales",
        "retention",
        "onboarding",
        "platform",
        "data",
    ];
    let mut state: u64 = 42;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut texts: Vec<String> = (0..600)
        .map(|i| {
            let n = 8 + (next() % 10) as usize;
            let body: Vec<&str> = (0..n)
                .map(|_| words[(next() % words.len() as u64) as usize])
                .collect();
            format!("insight {i}: {}", body.join(" "))
        })
        .collect();
    // Plant: a typo, a punctuation change and a truncation of three originals.
    let planted = [
        (10usize, texts[10].replacen('e', "3", 1)),
        (20, format!("{}!!", texts[20].replace(' ', "  , "))),
        (30, texts[30][..texts[30].len() * 3 / 4].to_string()),
    ];
    for (_, t) in &planted {
        texts.push(t.clone());
    }
    let sources: Vec<(String, Vec<&str>)> = texts
        .chunks(6)
        .enumerate()
        .map(|(i, c)| (format!("page {i}"), c.iter().map(String::as_str).collect()))
        .collect();
    let refs: Vec<(&str, &[&str])> = sources
        .iter()
        .map(|(s, t)| (s.as_str(), t.as_slice()))
        .collect();
    let env = env_with(&refs);
    let v = env.json(&["dedupe", "--format", "json"]);
    let groups = v["groups"].as_array().unwrap();
    let found: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["text"].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    for (orig, copy) in &planted {
        let copy = &copy.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            found
                .iter()
                .any(|g| g.contains(&texts[*orig]) && g.contains(copy)),
            "missed {copy:?} in {found:?}"
        );
    }
    assert_eq!(groups.len(), 3, "no false groups: {found:?}");
    // Search and show work on the generated corpus too.
    assert!(
        !env.json(&["search", "insight", "500", "--format", "json"])["insights"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        env.json(&["show", "insight 500:", "--format", "json"])["sources"],
        1
    );
}

// ---- thesaurus ----------------------------------------------------------------------------------

#[test]
fn import_thesaurus_replaces_and_ignores() {
    let env = Env::new();
    env.write(
        "t.tsv",
        "label\treplace by\nAI  is eating software\tSoftware is eaten by AI\nlorem ipsum\t\n",
    );
    let corpus = env.write(
        "c.jsonl",
        jsonl(&[
            ("s1", &["ai is eating software", "lorem ipsum", "real idea"]),
            ("s2", &["Software is eaten by AI", "real idea"]),
        ]),
    );
    let thesaurus = env.path("t.tsv");
    let report = env.import(&corpus, &["--thesaurus", thesaurus.to_str().unwrap()]);
    assert_eq!(report["insights"], 2, "{report}");
    let v = env.json(&["show", "eaten", "--format", "json"]);
    assert_eq!(v["text"], "Software is eaten by AI");
    assert_eq!(v["sources"], 2);
    assert_eq!(code(&env, &["search", "lorem"]).0, Some(3));
    let (status, err) = code(
        &env,
        &[
            "import",
            corpus.to_str().unwrap(),
            "--thesaurus",
            "missing.tsv",
        ],
    );
    assert_eq!(status, Some(3), "{err}");
    env.write("bad.tsv", "no tab on this line\n");
    let (status, err) = code(
        &env,
        &[
            "import",
            corpus.to_str().unwrap(),
            "--thesaurus",
            env.path("bad.tsv").to_str().unwrap(),
        ],
    );
    assert_eq!(status, Some(2));
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn every_explore_command_needs_a_database() {
    let env = Env::new();
    for args in [
        &["search", "x"][..],
        &["show", "1"],
        &["neighbors", "1"],
        &["path", "1", "2"],
        &["bridges"],
        &["dedupe"],
    ] {
        assert_eq!(code(&env, args).0, Some(3), "{args:?}");
    }
    assert!(!env.db.exists());
}

#[test]
fn show_reports_kept_scores_and_community_once_computed() {
    let env = Env::with_seeds();
    env.ok(&["central", "-q"]);
    env.ok(&["communities", "-q"]);
    let v = env.json(&["show", "constant dissatisfaction", "--format", "json"]);
    let measures: Vec<&str> = v["centrality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["measure"].as_str().unwrap())
        .collect();
    assert!(measures.contains(&"pagerank"), "{v}");
    assert!(!v["community"]["label"].as_str().unwrap().is_empty(), "{v}");
    // Bridges reuse what is kept.
    let b = env.json(&["bridges", "--format", "json", "--min-size", "2"]);
    assert!(b["bridges"].as_array().is_some());
}

/// Regressions (issue 13.8, 13.13): a path from an insight to itself has 0 shared sources, not
/// -0; `central --top 0` lists every insight, as 0 means "all" for pictures and exports;
/// `--threads` is bounded.
#[test]
fn small_things_say_what_they_mean() {
    let env = Env::with_seeds();
    let table = env.ok(&["path", "1", "1"]);
    assert!(table.starts_with("0 hops, 0 shared sources"), "{table}");
    let json = env.json(&["path", "1", "1", "--format", "json"]);
    assert_eq!(json["total_weight"].to_string(), "0.0");
    let all = env.json(&["central", "--top", "0", "--format", "json"]);
    assert_eq!(all.as_array().unwrap().len(), 37);
    let out = env.run(&["--threads", "20000", "stats"]);
    assert_eq!(out.status.code(), Some(2));
}

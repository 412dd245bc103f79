//! `--backbone`: the disparity filter and each insight's strongest links, checked against
//! tests/fixtures/make_backbone_fixtures.py on real weighted graphs, and the automatic
//! backbone of dense pictures.

use crate::common::{expected, Env};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// The edges of a JSON export as sorted pairs of insight texts.
fn text_edges(doc: &Value) -> BTreeSet<(String, String)> {
    let text: HashMap<i64, String> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_i64().unwrap(),
                n["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let a = text[&e["source"].as_i64().unwrap()].clone();
            let b = text[&e["target"].as_i64().unwrap()].clone();
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect()
}

fn pairs(list: &Value) -> BTreeSet<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let (a, b) = (p[0].as_str().unwrap(), p[1].as_str().unwrap());
            if a < b {
                (a.to_string(), b.to_string())
            } else {
                (b.to_string(), a.to_string())
            }
        })
        .collect()
}

#[test]
fn backbones_match_the_reference_on_real_graphs() {
    let reference = expected("backbone");
    for name in ["karate", "lesmis", "davis"] {
        let want = &reference["graphs"][name];
        let env = Env::with_corpus(name);
        let all = env.json(&["export", "json", "--top", "0"]);
        assert_eq!(
            text_edges(&all).len() as u64,
            want["edges"].as_u64().unwrap(),
            "{name}: data exports keep every edge by default"
        );
        for (flag, key) in [
            ("disparity=0.05", "disparity_0.05"),
            ("disparity=0.2", "disparity_0.2"),
            ("top=1", "top1"),
            ("top=2", "top2"),
        ] {
            let doc = env.json(&["export", "json", "--top", "0", "--backbone", flag]);
            let got = text_edges(&doc);
            assert_eq!(got, pairs(&want[key]), "{name} --backbone {flag}");
            assert_eq!(doc["graph"]["backbone"], flag, "{name} {flag}");
            assert_eq!(doc["graph"]["edges_before_backbone"], want["edges"]);
        }
        // The default alpha is 0.05.
        let doc = env.json(&["export", "json", "--top", "0", "--backbone", "disparity"]);
        assert_eq!(text_edges(&doc), pairs(&want["disparity_0.05"]), "{name}");
    }
}

#[test]
fn lesmis_keeps_its_heaviest_links() {
    // A known answer worked by hand: Valjean–Cosette has weight 31. Cosette (degree 11,
    // strength 68) gives (1 - 31/68)^10 ≈ 0.0023; Valjean (degree 36, strength 158) gives
    // (1 - 31/158)^35 ≈ 0.0005. Both are far below 0.05.
    let env = Env::with_corpus("lesmis");
    let doc = env.json(&["export", "json", "--top", "0", "--backbone", "disparity"]);
    assert!(text_edges(&doc).contains(&("Cosette".to_string(), "Valjean".to_string())));
}

/// `(a, b)` insight ids of the edges of a DOT netgraph wrote (`n2 -- n4 [...]`).
fn dot_edges(dot: &str) -> BTreeSet<(i64, i64)> {
    dot.lines()
        .filter_map(|l| {
            let (a, rest) = l.trim().split_once(" -- ")?;
            let b = rest.split_whitespace().next()?;
            Some((
                a.strip_prefix('n')?.parse().ok()?,
                b.strip_prefix('n')?.parse().ok()?,
            ))
        })
        .collect()
}

#[test]
fn dense_pictures_get_the_disparity_backbone_unless_told_otherwise() {
    // Les Misérables' 77 characters have 254 links: 6.6 per character, above the threshold.
    let env = Env::with_corpus("lesmis");
    let out = env.run(&["export", "dot", "--top", "0", "-o", "lesmis.dot"]);
    assert!(out.status.success());
    let dot = std::fs::read_to_string(env.path("lesmis.dot")).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        dot.contains("Strongest links only: disparity filter, alpha 0.05, and each insight&#39;s heaviest links")
            || dot.contains("Strongest links only: disparity filter, alpha 0.05, and each insight's heaviest links"),
        "the subtitle says which backbone"
    );
    assert!(stderr.contains("--backbone none shows all"), "{stderr}");
    // Every edge of the filter is drawn, and every character keeps at least one link: the
    // heaviest links of those the filter left alone are added back.
    let drawn = dot_edges(&dot);
    let filter = env.json(&["export", "json", "--top", "0", "--backbone", "disparity"]);
    let all = env.json(&["export", "json", "--top", "0"]);
    let pair = |e: &Value| {
        let (a, b) = (e["source"].as_i64().unwrap(), e["target"].as_i64().unwrap());
        (a.min(b), a.max(b))
    };
    for e in filter["edges"].as_array().unwrap() {
        assert!(drawn.contains(&pair(e)), "{e}");
    }
    let mut heaviest: HashMap<i64, f64> = HashMap::new();
    for e in all["edges"].as_array().unwrap() {
        let (a, b) = pair(e);
        let w = e["weight"].as_f64().unwrap();
        for x in [a, b] {
            let h = heaviest.entry(x).or_insert(0.0);
            *h = h.max(w);
        }
    }
    for &x in heaviest.keys() {
        assert!(
            drawn.iter().any(|&(a, b)| a == x || b == x),
            "insight {x} lost every link"
        );
    }
    assert!(drawn.len() < 254 && drawn.len() > 9, "{}", drawn.len());

    let all = env.ok(&["export", "dot", "--top", "0", "--backbone", "none"]);
    assert_eq!(dot_edges(&all).len(), 254);
    assert!(!all.contains("Strongest links only"));
    // A sparse picture is left alone: the karate club has 78 links among 34 members (4.6).
    let env = Env::with_corpus("karate");
    let dot = env.ok(&["export", "dot", "--top", "0"]);
    assert_eq!(dot_edges(&dot).len(), 78);
}

#[test]
fn bad_backbones_are_usage_errors() {
    let env = Env::with_corpus("karate");
    for bad in ["disparity=0", "disparity=2", "top=0", "top", "spanning"] {
        let out = env.run(&["export", "json", "--backbone", bad]);
        assert_eq!(out.status.code(), Some(2), "--backbone {bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("backbone") || stderr.contains("top"),
            "{stderr}"
        );
    }
}

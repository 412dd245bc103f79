//! The theme map (`--level themes`): one circle per theme, links by association strength,
//! and the automatic switch when an unnarrowed picture would show too many themes.

use crate::common::Env;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Theme node ids (`t4` -> 4) of a theme-map DOT.
fn theme_nodes(dot: &str) -> Vec<u32> {
    dot.lines()
        .filter(|l| !l.contains(" -- "))
        .filter_map(|l| {
            let name = l.split_whitespace().next()?;
            let rest = name.strip_prefix('t')?;
            rest.parse().ok()
        })
        .collect()
}

/// `(a, b)` theme-id pairs of the drawn links, a < b.
fn theme_links(dot: &str) -> BTreeSet<(u32, u32)> {
    dot.lines()
        .filter_map(|l| {
            let (a, rest) = l.trim().split_once(" -- ")?;
            let b = rest.split_whitespace().next()?;
            let (a, b): (u32, u32) = (
                a.strip_prefix('t')?.parse().ok()?,
                b.strip_prefix('t')?.parse().ok()?,
            );
            Some((a.min(b), a.max(b)))
        })
        .collect()
}

/// A corpus of `k` themes: each a clique of five insights that appear together in three
/// pages, with one page joining theme i to theme i+1 through one insight each.
fn themed_corpus(env: &Env, k: usize) {
    for t in 0..k {
        let members: Vec<String> = (0..5)
            .map(|m| format!("Theme {t} idea {m} about subject {t}"))
            .collect();
        for p in 0..3 {
            env.write(
                &format!("c/t{t}-p{p}.md"),
                members
                    .iter()
                    .map(|m| format!("- {m}\n"))
                    .collect::<String>(),
            );
        }
        if t + 1 < k {
            env.write(
                &format!("c/join{t}.md"),
                format!(
                    "- Theme {t} idea 0 about subject {t}\n- Theme {} idea 0 about subject {}\n",
                    t + 1,
                    t + 1
                ),
            );
        }
    }
    env.import(&env.path("c"), &[]);
}

/// Six themes as in [`themed_corpus`], every pair joined by 1 to 3 pages.
fn joined_corpus(env: &Env) {
    for t in 0..6 {
        let members: Vec<String> = (0..5)
            .map(|m| format!("Theme {t} idea {m} about subject {t}"))
            .collect();
        for p in 0..4 {
            let page: String = members.iter().map(|m| format!("- {m}\n")).collect();
            env.write(&format!("c/t{t}-p{p}.md"), page);
        }
    }
    for a in 0..6 {
        for b in a + 1..6 {
            for p in 0..1 + (a * b + a) % 3 {
                env.write(
                    &format!("c/join{a}-{b}-{p}.md"),
                    format!("- Theme {a} idea {p} about subject {a}\n- Theme {b} idea {p} about subject {b}\n"),
                );
            }
        }
    }
    env.import(&env.path("c"), &[]);
}

#[test]
fn theme_map_draws_each_theme_with_its_name_and_central_insight() {
    let env = Env::with_seeds();
    let communities = env.json(&["communities", "--format", "json"]);
    let dot = env.ok(&["export", "dot", "--level", "themes"]);
    let list = communities["communities"].as_array().unwrap();
    let themes: Vec<&Value> = list
        .iter()
        .filter(|c| c["size"].as_u64().unwrap() > 1)
        .collect();
    assert_eq!(theme_nodes(&dot).len(), themes.len(), "{dot}");
    for c in &themes {
        let id = c["id"].as_u64().unwrap();
        let label = c["label"].as_str().unwrap();
        let line = dot
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("t{id} ")))
            .unwrap_or_else(|| panic!("no node for theme {id}"));
        assert!(line.contains(&format!("({})", c["size"])), "{line}");
        for word in label.split(", ") {
            assert!(line.contains(word), "theme {id} label '{label}' in {line}");
        }
    }
    // The most central insight of the largest theme, by PageRank, names it.
    let central = env.json(&["central", "--top", "0", "--format", "json"]);
    let largest = &themes[0];
    let members: BTreeSet<u64> = largest["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_u64().unwrap())
        .collect();
    let rows = central["results"]
        .as_array()
        .or(central.as_array())
        .unwrap();
    let top = rows
        .iter()
        .find(|r| members.contains(&r["id"].as_u64().unwrap()))
        .unwrap();
    let titles = env.json(&["titles", "--format", "json"]);
    let title = titles
        .as_array()
        .or(titles["titles"].as_array())
        .unwrap()
        .iter()
        .find(|t| t["id"] == top["id"])
        .unwrap()["title"]
        .as_str()
        .unwrap()
        .to_string();
    let line = dot
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("t{} ", largest["id"])))
        .unwrap();
    assert!(
        line.contains(&title.replace('\'', "&#39;")) || line.contains(&title),
        "{title} in {line}"
    );
}

#[test]
fn theme_links_are_each_themes_strongest_associations() {
    let env = Env::new();
    joined_corpus(&env);
    let dot = env.ok(&["export", "dot", "--level", "themes"]);
    let drawn = theme_links(&dot);
    // Association strength computed here, independently: w_ab · 2m / (S_a · S_b).
    let graph = env.json(&["export", "json", "--top", "0"]);
    let community: HashMap<i64, u32> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_i64().unwrap(),
                n["community"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    let mut strength: HashMap<u32, f64> = HashMap::new();
    let mut between: HashMap<(u32, u32), f64> = HashMap::new();
    let mut two_m = 0.0;
    for e in graph["edges"].as_array().unwrap() {
        let (a, b) = (
            community[&e["source"].as_i64().unwrap()],
            community[&e["target"].as_i64().unwrap()],
        );
        let w = e["weight"].as_f64().unwrap();
        two_m += 2.0 * w;
        *strength.entry(a).or_default() += w;
        *strength.entry(b).or_default() += w;
        if a != b {
            *between.entry((a.min(b), a.max(b))).or_default() += w;
        }
    }
    let association =
        |&(a, b): &(u32, u32)| between[&(a, b)] * two_m / (strength[&a] * strength[&b]);
    // Every pair of the six themes is joined, by 1 to 3 pages: each theme has five links and
    // draws its three strongest (the other end may add more).
    let themes = theme_nodes(&dot);
    assert_eq!(themes.len(), 6);
    assert!(drawn.len() >= 9 && drawn.len() < 15, "{drawn:?}");
    for pair in &drawn {
        let a = association(pair);
        assert!(a > 0.0, "{pair:?}");
        assert!(dot.contains(&format!("linked {a:.2}×")), "{a}");
    }
    for &t in &themes {
        let mut mine: Vec<((u32, u32), f64)> = between
            .keys()
            .filter(|p| p.0 == t || p.1 == t)
            .map(|p| (*p, association(p)))
            .collect();
        mine.sort_by(|x, y| y.1.total_cmp(&x.1));
        assert_eq!(mine.len(), 5);
        // Its strongest link is drawn, its weakest only if the other end keeps it.
        assert!(drawn.contains(&mine[0].0), "theme {t}: {mine:?}");
        let third = mine[2].1;
        for (pair, a) in &mine {
            if *a > third + 1e-9 {
                assert!(
                    drawn.contains(pair),
                    "theme {t}: {pair:?} is among its 3 strongest"
                );
            }
        }
    }
}

#[test]
fn unnarrowed_pictures_of_many_themes_become_a_theme_map() {
    let env = Env::new();
    themed_corpus(&env, 12);
    let out = env.run(&["export", "dot", "-o", "auto.dot"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("drawing the theme map instead"), "{stderr}");
    let dot = std::fs::read_to_string(env.path("auto.dot")).unwrap();
    assert_eq!(theme_nodes(&dot).len(), 12);
    // Anything that narrows the picture keeps insights.
    for narrow in [
        &["--top", "30"][..],
        &["--community", "0"][..],
        &["--level", "insights"][..],
    ] {
        let mut args = vec!["export", "dot"];
        args.extend_from_slice(narrow);
        let out = env.run(&args);
        assert!(out.status.success(), "{narrow:?}");
        let dot = String::from_utf8(out.stdout).unwrap();
        assert!(
            theme_nodes(&dot).is_empty() && dot.contains("n1 "),
            "{narrow:?}"
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("theme map"));
    }
    // A few themes stay a picture of insights.
    let env = Env::new();
    themed_corpus(&env, 4);
    let dot = env.ok(&["export", "dot"]);
    assert!(theme_nodes(&dot).is_empty());
}

#[test]
fn top_counts_themes_and_the_rest_is_other() {
    let env = Env::new();
    themed_corpus(&env, 6);
    let dot = env.ok(&["export", "dot", "--level", "themes", "--top", "2"]);
    assert_eq!(theme_nodes(&dot).len(), 2);
    assert!(dot.contains("Other themes"));
    assert!(dot.contains("(20)"), "4 themes of 5 insights are other");
    assert!(
        dot.contains("The 2 largest of 6 themes, holding 10 of 30 insights"),
        "{dot}"
    );
    let all = env.ok(&["export", "dot", "--level", "themes", "--top", "0"]);
    assert_eq!(theme_nodes(&all).len(), 6);
    assert!(!all.contains("Other themes"));
}

#[test]
fn theme_map_refuses_insight_filters() {
    let env = Env::with_seeds();
    for args in [
        &["export", "dot", "--level", "themes", "--community", "0"][..],
        &["render", "-o", "x.svg", "--level", "themes", "--ego", "1"][..],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--level themes draws every theme"));
    }
    let out = env.run(&["export", "dot", "--level", "planets"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_theme_pictures_show_their_links_to_other_themes_as_stubs() {
    let env = Env::new();
    themed_corpus(&env, 6);
    let communities = env.json(&["communities", "--format", "json"]);
    let list = communities["communities"].as_array().unwrap();
    // The theme of "Theme 2 ...": joined to themes 1 and 3 by one page each.
    let of = |t: usize| {
        list.iter()
            .find(|c| {
                c["members"].as_array().unwrap().iter().any(|m| {
                    let id = m.as_u64().unwrap().to_string();
                    env.ok(&["show", &id])
                        .contains(&format!("Theme {t} idea 0"))
                })
            })
            .map(|c| c["id"].as_u64().unwrap())
            .unwrap()
    };
    let (two, one, three) = (of(2), of(1), of(3));
    let dot = env.ok(&["export", "dot", "--community", &two.to_string()]);
    let stubs: BTreeSet<u64> = dot
        .lines()
        .filter(|l| !l.contains(" -- "))
        .filter_map(|l| {
            l.trim()
                .strip_prefix('c')?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert_eq!(stubs, BTreeSet::from([one, three]), "{dot}");
    let label = &list.iter().find(|c| c["id"] == one).unwrap()["label"];
    // The pointer counts the links of the shown insights (here one, of weight 1).
    assert!(dot.contains("1 link from these insights"), "{dot}");
    assert!(dot.contains(label.as_str().unwrap().split(", ").next().unwrap()));
    // Stub links are dashed, from the insight that makes the link.
    assert_eq!(dot.matches(&format!(" -- c{one} ")).count(), 1);
    // Without --community there are no stubs.
    let all = env.ok(&["export", "dot", "--top", "30"]);
    assert!(!all
        .lines()
        .any(|l| l.trim().starts_with('c') && l.contains("dashed")));
}

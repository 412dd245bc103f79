//! `netgraph deck`: every slide present and slide-sized, deck.md's links resolve, identical
//! files on a re-run, the numbers of `central` and `bridges`, and "what changed" after an
//! incremental import.

use crate::common::{png_size, repo, require_graphviz, Env};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file of a deck folder, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The slide names deck.md shows, in order (`![alt](NAME.png)`).
fn linked_slides(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| {
            let l = l.trim();
            let start = l.strip_prefix("![")?;
            let at = start.find("](")?;
            Some(start[at + 2..].strip_suffix(')')?.to_string())
        })
        .collect()
}

/// The presenter notes of the slide showing `png` in deck.md.
fn notes_of<'a>(md: &'a str, png: &str) -> Vec<&'a str> {
    let section = md
        .split("\n---\n")
        .find(|s| s.contains(&format!("]({png})")))
        .unwrap_or_else(|| panic!("no slide {png} in deck.md"));
    section
        .split("<!--\n")
        .nth(1)
        .map(|n| n.split("-->").next().unwrap().lines().collect())
        .unwrap_or_default()
}

/// Parse an SVG of Graphviz's (which starts with a DOCTYPE).
fn parse(svg: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(svg, options).unwrap()
}

/// The insight ids drawn with the dark ring in a slide's SVG.
fn ringed(svg: &str) -> Vec<u64> {
    let doc = parse(svg);
    let mut ids: Vec<u64> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .filter(|n| {
            n.descendants().any(|s| {
                s.has_tag_name("ellipse")
                    && s.attribute("stroke") == Some("#1f2933")
                    && s.attribute("stroke-width") == Some("5")
            })
        })
        .filter_map(|n| {
            let title = n.children().find(|c| c.has_tag_name("title"))?.text()?;
            title.strip_prefix('n')?.parse().ok()
        })
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn the_seeds_deck_has_every_slide_at_slide_size_and_deck_md_links_them() {
    require_graphviz();
    let env = Env::with_seeds();
    env.ok(&["deck", "-o", "deck"]);
    let dir = env.path("deck");
    let communities = env.json(&["communities", "--format", "json"]);
    let themes: Vec<u64> = communities["communities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["size"].as_u64().unwrap() > 1)
        .take(6)
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert!(themes.len() >= 2, "the seeds have several themes");

    let mut want = vec!["01-themes".to_string(), "02-central".to_string()];
    for (i, id) in themes.iter().enumerate() {
        want.push(format!("{:02}-theme-{id}", i + 3));
    }
    want.push(format!("{:02}-bridges", themes.len() + 3));
    let md = std::fs::read_to_string(dir.join("deck.md")).unwrap();
    let linked = linked_slides(&md);
    assert_eq!(
        linked,
        want.iter().map(|w| format!("{w}.png")).collect::<Vec<_>>(),
        "deck.md shows the slides in order"
    );
    assert!(
        md.starts_with("---\nmarp: true\n"),
        "Marp front matter:\n{md}"
    );
    // One section per slide: the ruler closing the front matter, then one between slides.
    assert_eq!(md.matches("\n---\n").count(), 1 + want.len() - 1);
    for name in &want {
        let png = dir.join(format!("{name}.png"));
        assert_eq!(png_size(&png), (1920, 1080), "{name}.png");
        let svg = std::fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();
        let doc = parse(&svg);
        let root = doc.root_element();
        let pt = |a: &str| -> f64 {
            root.attribute(a)
                .unwrap()
                .trim_end_matches("pt")
                .parse()
                .unwrap()
        };
        assert!(
            (pt("width") / pt("height") - 16.0 / 9.0).abs() < 0.01,
            "{name}.svg is {}x{}",
            pt("width"),
            pt("height")
        );
    }
    assert!(
        !dir.join(format!("{:02}-changes.png", themes.len() + 4))
            .exists(),
        "no 'what changed' slide without an earlier deck"
    );
}

#[test]
fn a_rerun_on_an_unchanged_database_rewrites_identical_files() {
    require_graphviz();
    let env = Env::with_seeds();
    env.ok(&["deck", "-o", "one"]);
    env.ok(&["deck", "-o", "two"]);
    let (one, two) = (files(&env.path("one")), files(&env.path("two")));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(bytes == &two[name], "{name} differs on a re-run");
    }
}

#[test]
fn the_central_slide_numbers_insights_as_central_ranks_them() {
    require_graphviz();
    let env = Env::with_seeds();
    let central = env.json(&["central", "--top", "10", "--format", "json"]);
    env.ok(&["deck", "-o", "deck"]);
    let md = std::fs::read_to_string(env.path("deck/deck.md")).unwrap();
    let notes = notes_of(&md, "02-central.png");
    let want: Vec<String> = central
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{}. {} (#{})", i + 1, r["text"].as_str().unwrap(), r["id"]))
        .collect();
    assert_eq!(notes, want);
}

#[test]
fn theme_slides_ring_the_themes_strongest_bridges() {
    require_graphviz();
    let env = Env::with_seeds();
    let bridges = env.json(&["bridges", "--top", "1000", "--format", "json"]);
    env.ok(&["deck", "-o", "deck", "--themes", "2"]);
    let communities = env.json(&["communities", "--format", "json"]);
    for (i, theme) in communities["communities"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .enumerate()
    {
        let id = theme["id"].as_u64().unwrap();
        let mut want: Vec<u64> = bridges["bridges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["community"].as_u64() == Some(id))
            .take(3)
            .map(|b| b["id"].as_u64().unwrap())
            .collect();
        want.sort_unstable();
        assert!(!want.is_empty(), "theme {id} of the seeds has bridges");
        let svg = std::fs::read_to_string(env.path(&format!("deck/{:02}-theme-{id}.svg", i + 3)))
            .unwrap();
        assert_eq!(ringed(&svg), want, "theme {id}");
    }
}

#[test]
fn the_bridges_slide_asks_the_gap_questions_of_bridges() {
    require_graphviz();
    let env = Env::with_seeds();
    let found = env.json(&[
        "bridges",
        "--min-size",
        "2",
        "--top",
        "100",
        "--format",
        "json",
    ]);
    env.ok(&["deck", "-o", "deck"]);
    let md = std::fs::read_to_string(env.path("deck/deck.md")).unwrap();
    let slide = linked_slides(&md)
        .into_iter()
        .find(|s| s.ends_with("-bridges.png"))
        .unwrap();
    let notes = notes_of(&md, &slide).join("\n");
    // Every gap the deck asks about is a pair `bridges` lists with the same ratio, at most half
    // of chance; the widest such gap is asked first.
    let gaps: Vec<&serde_json::Value> = found["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["ratio"].as_f64().unwrap() <= 0.5)
        .collect();
    assert!(!gaps.is_empty(), "the seeds have a gap");
    let first = gaps[0];
    let question = format!(
        "What connects \u{201c}{}\u{201d} and \u{201c}{}\u{201d}? (linked {:.2}×",
        first["a"]["label"].as_str().unwrap(),
        first["b"]["label"].as_str().unwrap(),
        first["ratio"].as_f64().unwrap()
    );
    assert!(notes.contains(&question), "{question}\nnot in\n{notes}");
    // The top bridge is on the slide, ringed.
    let top = found["bridges"][0]["id"].as_u64().unwrap();
    let svg =
        std::fs::read_to_string(env.path("deck").join(slide.replace(".png", ".svg"))).unwrap();
    assert!(ringed(&svg).contains(&top));
}

#[test]
fn after_an_incremental_import_a_slide_says_what_changed() {
    require_graphviz();
    let env = Env::with_seeds();
    env.ok(&["deck", "-o", "before"]);
    env.write(
        "more/notes.md",
        "# Notes on leadership\n\n\
         - Hiring senior engineers early sets the culture of code review for years to come.\n\
         - A weekly written update keeps remote teams aligned without extra meetings.\n\
         - Pricing experiments reveal what customers value far better than surveys do.\n",
    );
    env.import(&env.path("more"), &[]);
    env.ok(&["deck", "-o", "after"]);
    let md = std::fs::read_to_string(env.path("after/deck.md")).unwrap();
    let last = linked_slides(&md).pop().unwrap();
    assert!(last.ends_with("-changes.png"), "{last}");
    assert_eq!(png_size(&env.path("after").join(&last)), (1920, 1080));
    let notes = notes_of(&md, &last).join("\n");
    assert!(notes.contains("5 → 6 sources, 37 → 40 insights"), "{notes}");
    assert!(notes.contains("3 new insights"), "{notes}");
    for title in ["Hiring senior engineers", "Pricing experiments"] {
        assert!(notes.contains(title), "{title} not in\n{notes}");
    }
    // Again, unchanged: the same comparison, the same files.
    env.ok(&["deck", "-o", "again"]);
    assert_eq!(files(&env.path("after")), files(&env.path("again")));
    // A deck written over the earlier one leaves none of its slides behind: with two themes
    // the third theme's slide goes, and the user's own file stays.
    env.write("after/mine.txt", "keep me");
    env.ok(&["deck", "-o", "after", "--themes", "2"]);
    let left: Vec<String> = files(&env.path("after")).into_keys().collect();
    assert!(left.contains(&"mine.txt".to_string()));
    let md = std::fs::read_to_string(env.path("after/deck.md")).unwrap();
    let slides = linked_slides(&md);
    assert_eq!(left.len(), 2 * slides.len() + 2, "{left:?}");
}

#[test]
fn bad_output_folders_and_empty_databases_are_clear_errors() {
    let env = Env::with_seeds();
    let out = env.run(&["deck", "-o", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such"));
    env.write("file.txt", "x");
    let out = env.run(&["deck", "-o", "file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
    let out = env.run(&["deck", "--top", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let empty = Env::new();
    let out = empty.run(&["deck", "-o", "deck"]);
    assert_eq!(out.status.code(), Some(3), "no database");
    assert!(!empty.path("deck").exists(), "nothing written");
}

/// `exports/deck/` is the seeds' deck the README shows.
#[test]
fn the_committed_deck_is_the_seeds_deck() {
    let dir = repo("exports/deck");
    let md = std::fs::read_to_string(dir.join("deck.md")).unwrap();
    for slide in linked_slides(&md) {
        assert_eq!(png_size(&dir.join(&slide)), (1920, 1080), "{slide}");
        assert!(dir.join(slide.replace(".png", ".svg")).exists(), "{slide}");
    }
}

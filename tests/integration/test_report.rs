//! `netgraph report`: every section, the numbers `central`, `communities` and `bridges` print,
//! Markdown links that resolve, HTML with no external reference and hostile text kept as
//! text, JSON for programs.

use crate::common::{repo, require_graphviz, Env};

const SECTIONS: [&str; 8] = [
    "## What was imported",
    "## Pictures",
    "## The most central insights",
    "### By PageRank",
    "### By betweenness",
    "## Themes",
    "## Bridges",
    "## Near-duplicates not merged",
];

#[test]
fn the_markdown_report_has_every_section_and_its_pictures_resolve() {
    require_graphviz();
    let env = Env::with_seeds();
    std::fs::create_dir(env.path("out")).unwrap();
    env.ok(&["report", "-o", "out/report.md"]);
    let md = std::fs::read_to_string(env.path("out/report.md")).unwrap();
    for section in SECTIONS.iter().chain(&["## Gaps"]) {
        assert!(
            md.contains(&format!("{section}\n")),
            "no {section} in\n{md}"
        );
    }
    let links: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("![")?.split("](").nth(1)?.strip_suffix(')'))
        .collect();
    assert_eq!(links, ["report-themes.svg", "report-central.svg"]);
    for link in links {
        let svg = std::fs::read_to_string(env.path("out").join(link)).unwrap();
        assert!(
            svg.contains("<svg") && svg.contains("class=\"node\""),
            "{link}"
        );
    }
    assert!(
        md.contains("- 5 sources, 37 insights, 251 appears-with links"),
        "{md}"
    );
    assert!(md.contains("- Formats: riffon 5"), "{md}");
}

#[test]
fn the_report_tells_the_numbers_central_communities_and_bridges_print() {
    let env = Env::with_seeds();
    let report = env.json(&["report", "--format", "json", "--no-pictures"]);
    for (measure, key) in [
        ("pagerank", "by_pagerank"),
        ("betweenness", "by_betweenness"),
    ] {
        let central = env.json(&[
            "central", "--by", measure, "--top", "10", "--format", "json",
        ]);
        let ours = report[key]["insights"].as_array().unwrap();
        assert_eq!(ours.len(), 10, "{measure}");
        for (theirs, ours) in central.as_array().unwrap().iter().zip(ours) {
            assert_eq!(ours["id"], theirs["id"], "{measure}");
            assert_eq!(ours["rank"], theirs["rank"], "{measure}");
            assert_eq!(ours["sources"], theirs["sources"], "{measure}");
            assert_eq!(ours["text"], theirs["text"], "{measure}");
            let (a, b) = (
                ours["score"].as_f64().unwrap(),
                theirs["score"].as_f64().unwrap(),
            );
            assert!(
                (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                "{measure}: {a} vs {b}"
            );
        }
    }
    let communities = env.json(&["communities", "--format", "json"]);
    assert_eq!(report["corpus"]["modularity"], communities["modularity"]);
    assert_eq!(report["corpus"]["themes"], communities["count"]);
    for (ours, theirs) in report["themes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(communities["communities"].as_array().unwrap())
    {
        assert_eq!(ours["id"], theirs["id"]);
        assert_eq!(ours["size"], theirs["size"]);
        assert_eq!(ours["name"], theirs["label"]);
    }
    let bridges = env.json(&[
        "bridges",
        "--min-size",
        "2",
        "--top",
        "100",
        "--format",
        "json",
    ]);
    let ids = |list: &serde_json::Value, path: &[&str]| -> Vec<u64> {
        list.as_array()
            .unwrap()
            .iter()
            .take(10)
            .map(|b| path.iter().fold(b, |v, k| &v[*k]).as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(&report["bridges"], &["insight", "id"]),
        ids(&bridges["bridges"], &["id"])
    );
    // Every gap told is one `bridges` lists, with the same ratio, at most half of chance.
    let gaps = report["gaps"].as_array().unwrap();
    assert!(!gaps.is_empty(), "the seeds have gaps");
    for gap in gaps {
        let ratio = gap["ratio"].as_f64().unwrap();
        assert!(ratio <= 0.5);
        let listed = bridges["gaps"].as_array().unwrap().iter().any(|g| {
            g["a"]["id"] == gap["a"]["id"]
                && g["b"]["id"] == gap["b"]["id"]
                && (g["ratio"].as_f64().unwrap() - ratio).abs() < 1e-12
        });
        assert!(listed, "{gap}");
        assert!(gap["question"]
            .as_str()
            .unwrap()
            .starts_with("What connects"));
        assert!(!gap["near_a"].as_array().unwrap().is_empty());
    }
    assert_eq!(report["near_duplicates"]["groups"], 0);
}

#[test]
fn the_html_report_is_self_contained_and_shows_hostile_text_as_text() {
    require_graphviz();
    let env = Env::with_seeds();
    env.write(
        "hostile.txt",
        "<script>alert(1)</script> breaks pages that trust their input, says one <img src=x onerror=alert(2)>.\n\
         A second insight links to [a site](https://example.com) and *stars* and | pipes |.\n",
    );
    env.import(&env.path("hostile.txt"), &["--format", "lines"]);
    env.ok(&[
        "report",
        "-o",
        "report.html",
        "--top",
        "50",
        "--themes",
        "50",
    ]);
    let html = std::fs::read_to_string(env.path("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let without_texts = html.replace("https://example.com", "");
    assert!(
        !without_texts.contains("http://") && !without_texts.contains("https://"),
        "the HTML names a URL of its own"
    );
    assert_eq!(html.matches("<svg").count(), 2, "both pictures inlined");
    let lower = html.to_lowercase();
    // A URL typed in an insight is shown as text; nothing is fetched or linked.
    for external in [
        " src=\"", " href=\"", "url(", "@import", "<script", "<img", "<link", "<iframe",
    ] {
        assert!(
            !lower.contains(external),
            "{external} in the HTML report: {}",
            &html[lower.find(external).unwrap().saturating_sub(200)..][..400]
        );
    }
    // The hostile texts are there, as text.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        html.contains("[a site](https://example.com)"),
        "the link is text"
    );
    assert!(
        html.contains("*stars*"),
        "Markdown in texts is shown as typed"
    );
}

#[test]
fn to_standard_output_markdown_has_no_pictures_and_json_parses() {
    let env = Env::with_seeds();
    let md = env.ok(&["report"]);
    assert!(md.starts_with("# What 37 insights say\n"), "{md}");
    assert!(!md.contains("## Pictures"));
    for section in SECTIONS.iter().filter(|s| **s != "## Pictures") {
        assert!(md.contains(section), "{section}");
    }
    let json = env.json(&[
        "report",
        "--format",
        "json",
        "--no-pictures",
        "--title",
        "T",
    ]);
    assert_eq!(json["title"], "T");
    assert_eq!(json["corpus"]["insights"], 37);
}

#[test]
fn bad_report_requests_are_clear_errors() {
    let env = Env::with_seeds();
    let out = env.run(&["report", "-o", "report.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".md, .html or .json"));
    let out = env.run(&["report", "-o", "missing/report.md"]);
    assert_eq!(out.status.code(), Some(3));
    let out = env.run(&["report", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    let empty = Env::new();
    assert_eq!(empty.run(&["report"]).status.code(), Some(3));
}

/// `exports/report.md` is the seeds' report, with its pictures beside it.
#[test]
fn the_committed_report_is_whole() {
    let md = std::fs::read_to_string(repo("exports/report.md")).unwrap();
    for section in SECTIONS {
        assert!(md.contains(section), "{section}");
    }
    for picture in ["report-themes.svg", "report-central.svg"] {
        assert!(md.contains(&format!("]({picture})")));
        assert!(repo("exports").join(picture).exists(), "{picture}");
    }
}

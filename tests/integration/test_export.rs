//! `netgraph export` and `netgraph render`: the golden DOT of the seeds, escaping through
//! Graphviz, every export read back as the database's graph, SVGs drawn whole, every filter,
//! and every bad input.
//!
//! Graphviz (`dot`) and `rsvg-convert` are external: a test that needs one fails, saying how to
//! install it, when it is missing (`scripts/setup-debian.sh` installs both). No test runs Python:
//! what networkx reads from the exports is recorded once in a fixture (`read_with_networkx.py`).

use crate::common::{fixture, png_size, repo, require_graphviz, Env};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// Run `dot -Tsvg` on DOT text; assert it exits 0; return the SVG.
fn svg_of(dot: &str) -> String {
    use std::io::Write;
    require_graphviz();
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dot runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "Graphviz rejected the DOT: {}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every DOT a test writes goes through Graphviz.
fn dot_of(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["export", "dot"];
    all.extend_from_slice(args);
    let dot = env.ok(&all);
    svg_of(&dot);
    dot
}

fn json_of(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["export", "json"];
    all.extend_from_slice(args);
    env.json(&all)
}

fn node_ids(doc: &Value) -> BTreeSet<i64> {
    doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_i64())
        .collect()
}

fn edges(doc: &Value) -> Vec<(i64, i64, f64)> {
    doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "appears_with")
        .map(|e| {
            (
                e["source"].as_i64().unwrap(),
                e["target"].as_i64().unwrap(),
                e["weight"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn code(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env.run(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn seeds_dot_matches_the_golden_file() {
    let env = Env::with_seeds();
    let dot = dot_of(
        &env,
        &["--title", "Seeds: what holds our product thinking together"],
    );
    let golden = fixture("golden/seeds.dot");
    if std::env::var("NETGRAPH_BLESS").as_deref() == Ok("1") {
        std::fs::write(&golden, &dot).unwrap();
    }
    let want = std::fs::read_to_string(&golden)
        .expect("golden file; make it with NETGRAPH_BLESS=1 cargo test");
    assert!(
        dot == want,
        "DOT differs from {}; if the change is wanted, rerun with NETGRAPH_BLESS=1",
        golden.display()
    );
    // The same database gives the same bytes.
    assert_eq!(
        dot,
        env.ok(&[
            "export",
            "dot",
            "--title",
            "Seeds: what holds our product thinking together"
        ])
    );
}

#[test]
fn dot_is_seeded_and_slide_shaped() {
    let env = Env::with_seeds();
    let dot = dot_of(&env, &[]);
    for attr in [
        "layout=neato",
        "start=",
        "overlap=prism",
        "outputorder=edgesfirst",
        "size=\"16,9!\"",
    ] {
        assert!(dot.contains(attr), "missing {attr}");
    }
    // Safe ids only: every node statement starts with n<digits>.
    for line in dot
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('n') && !l.starts_with("node ") && l.contains(" ["))
    {
        let id = line.split([' ', '[']).next().unwrap();
        assert!(
            id[1..].chars().all(|c| c.is_ascii_digit()),
            "unsafe id {id}"
        );
    }
}

#[test]
fn awkward_text_survives_graphviz() {
    let env = Env::new();
    let texts = [
        r#"She said "ship it" now"#,
        r"C:\Notes\new \N \l \\ path",
        "a < b && c > d <b>bold</b>",
        "Rockets 🚀 and 👩‍💻 emoji",
        "שלום עולם ideas",
        "مرحبا بالعالم ideas",
        "&amp; is not an ampersand",
    ];
    env.write("docs/a.txt", texts.join("\n"));
    env.import(&env.path("docs"), &["--format", "lines"]);
    let dot = env.ok(&[
        "export",
        "dot",
        "--top",
        "0",
        "--title",
        "Quotes \" and <tags> & \\backslashes\\",
    ]);
    let svg = svg_of(&dot);
    // Backslashes carry an invisible word joiner (see `escape`).
    let decoded = xml_unescape(&svg).replace('\u{2060}', "");
    for text in texts {
        // Each label shows its first words exactly as written.
        let first: Vec<&str> = text.split_whitespace().take(2).collect();
        assert!(
            decoded.contains(&first.join(" ")),
            "label of {text:?} lost; svg:\n{svg}"
        );
    }
    assert!(decoded.contains("Quotes \" and <tags> & \\backslashes\\"));
}

/// Undo the XML escaping Graphviz applies to SVG text.
fn xml_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e < 10);
        let decoded = end.and_then(|e| {
            let entity = &tail[1..e];
            match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if entity.starts_with("#x") => u32::from_str_radix(&entity[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// GraphML, GEXF, node-link JSON and the neo4j CSV files, parsed as their readers parse them,
/// each give the graph in the database: the same insights and sources, edges and weights, and
/// every attribute right.
#[test]
fn every_export_reads_back_as_the_database_graph() {
    let env = Env::with_seeds();
    // Exports carry the scores kept in the database: `Truth` ranks by every measure first.
    let want = read_back::database(&env.db);
    let truth = read_back::Truth::of(&env, &want);
    for (format, file) in [
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("json", "g.json"),
        ("csv", "csv"),
    ] {
        env.ok(&["export", format, "--top", "0", "--with-sources", "-o", file]);
    }
    assert_eq!(want.insights.len(), 37);
    assert_eq!(want.appears_with.len(), 251);
    assert_eq!(want.sources.len(), 5);
    let full: Vec<&str> = [
        "kind",
        "label",
        "title",
        "text",
        "sources",
        "community",
        "community_label",
    ]
    .into_iter()
    .chain(read_back::SCORES)
    .collect();
    let with_colour: Vec<&str> = full.iter().copied().chain(["colour"]).collect();
    // CSV says what a row is in its `:LABEL` column.
    let without_kind: Vec<&str> = full.iter().copied().filter(|a| *a != "kind").collect();
    let read = |file: &str| std::fs::read_to_string(env.path(file)).unwrap();
    for (format, got, insight_attrs, source_attrs) in [
        (
            "graphml",
            read_back::graphml(&read("g.graphml")),
            &full[..],
            &["kind", "label", "path"][..],
        ),
        (
            "gexf",
            read_back::gexf(&read("g.gexf")),
            &full[..],
            &["kind", "label"][..],
        ),
        (
            "json",
            read_back::json(&read("g.json")),
            &with_colour[..],
            &["kind", "label", "path"][..],
        ),
        (
            "csv",
            read_back::csv(&env.path("csv")),
            &without_kind[..],
            &["label", "path"][..],
        ),
    ] {
        truth.assert_same(format, &got, insight_attrs, source_attrs);
    }
}

#[test]
fn csv_has_the_neo4j_import_headers() {
    let env = Env::with_seeds();
    env.ok(&[
        "export",
        "csv",
        "--top",
        "0",
        "--with-sources",
        "-o",
        "neo4j",
    ]);
    let read = |name: &str| std::fs::read_to_string(env.path("neo4j").join(name)).unwrap();
    let insights = read("insights.csv");
    let header = insights.lines().next().unwrap();
    assert!(
        header.starts_with("insightId:ID(Insight),label,title,text,sources:int,pagerank:double"),
        "{header}"
    );
    assert!(
        header.ends_with("community:int,communityLabel,:LABEL"),
        "{header}"
    );
    assert_eq!(insights.lines().count(), 38);
    assert!(insights.lines().skip(1).all(|l| l.ends_with(",Insight")));
    let rels = read("appears_with.csv");
    assert_eq!(
        rels.lines().next().unwrap(),
        ":START_ID(Insight),:END_ID(Insight),weight:int,:TYPE"
    );
    assert_eq!(rels.lines().count(), 252);
    assert!(rels.lines().skip(1).all(|l| l.ends_with(",APPEARS_WITH")));
    assert_eq!(
        read("sources.csv").lines().next().unwrap(),
        "sourceId:ID(Source),title,path,:LABEL"
    );
    assert_eq!(
        read("appears_in.csv").lines().next().unwrap(),
        ":START_ID(Insight),:END_ID(Source),:TYPE"
    );
}

#[test]
fn top_keeps_the_n_highest_scores_and_their_edges() {
    let env = Env::with_seeds();
    let all = json_of(&env, &["--top", "0"]);
    let top = json_of(&env, &["--top", "5"]);
    assert_eq!(node_ids(&top).len(), 5);
    let score = |doc: &Value| -> Vec<(i64, f64)> {
        doc["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["id"].as_i64().unwrap(), n["pagerank"].as_f64().unwrap()))
            .collect()
    };
    let lowest_kept = score(&top)
        .iter()
        .map(|s| s.1)
        .fold(f64::INFINITY, f64::min);
    let kept = node_ids(&top);
    assert!(score(&all)
        .iter()
        .filter(|s| !kept.contains(&s.0))
        .all(|s| s.1 <= lowest_kept));
    let induced: Vec<_> = edges(&all)
        .into_iter()
        .filter(|e| kept.contains(&e.0) && kept.contains(&e.1))
        .collect();
    assert_eq!(edges(&top), induced);
    assert_eq!(
        node_ids(&json_of(&env, &[])).len(),
        37,
        "data exports keep every insight unless --top is given"
    );
    // Node statements are `nID [...]`; edge statements are `nA -- nB [...]`.
    let picture_nodes = |dot: &str| {
        dot.lines()
            .filter(|l| {
                let mut words = l.split_whitespace();
                let id = words.next().unwrap_or("");
                id.starts_with('n')
                    && id[1..].parse::<u32>().is_ok()
                    && words.next().is_some_and(|w| w.starts_with('['))
            })
            .count()
    };
    assert_eq!(
        picture_nodes(&dot_of(&env, &[])),
        30,
        "pictures default to --top 30"
    );
    assert_eq!(picture_nodes(&dot_of(&env, &["--top", "5"])), 5);
}

#[test]
fn community_keeps_one_community() {
    let env = Env::with_seeds();
    let all = json_of(&env, &["--top", "0"]);
    let k = all["nodes"][0]["community"].as_u64().unwrap();
    let ks = k.to_string();
    let one = json_of(&env, &["--top", "0", "--community", &ks]);
    let members: BTreeSet<i64> = all["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["community"] == k)
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    assert_eq!(node_ids(&one), members);
    dot_of(&env, &["--community", &ks]);
}

/// A picture's caption counts what it was chosen from: the whole graph, one theme, or an
/// insight's neighbourhood (a theme's picture once said "of 37 insights" for a theme of 10).
#[test]
fn the_caption_counts_what_the_insights_were_chosen_from() {
    let env = Env::with_seeds();
    let all = json_of(&env, &["--top", "0"]);
    let k = all["nodes"][0]["community"].as_u64().unwrap();
    let size = all["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["community"] == k)
        .count();
    assert!(size > 3, "a theme worth narrowing");
    let ks = k.to_string();
    let caption = |args: &[&str]| {
        let dot = dot_of(&env, args);
        let start = dot.find("point-size=\"24\"").expect("a caption line");
        let text = &dot[start..];
        let text = &text[text.find('>').expect("the tag ends") + 1..];
        text[..text.find('<').expect("the text ends")].to_string()
    };
    assert!(
        caption(&[]).contains("The 30 most central of 37 insights"),
        "{}",
        caption(&[])
    );
    let theme = caption(&["--community", &ks]);
    assert!(
        theme.contains(&format!("All the theme's {size} insights")),
        "{theme}"
    );
    let top = caption(&["--community", &ks, "--top", "3"]);
    assert!(
        top.contains(&format!(
            "The 3 most central of the theme's {size} insights"
        )),
        "{top}"
    );
    let ego = caption(&["--ego", "2", "--radius", "1", "--top", "4"]);
    assert!(
        ego.contains("The 4 most central of") && ego.contains("insights within 1 link of #2"),
        "{ego}"
    );
}

#[test]
fn ego_keeps_the_neighbourhood() {
    let env = Env::with_seeds();
    let all = json_of(&env, &["--top", "0"]);
    let centre = 5;
    let mut near: BTreeSet<i64> = BTreeSet::from([centre]);
    for (a, b, _) in edges(&all) {
        if a == centre {
            near.insert(b);
        }
        if b == centre {
            near.insert(a);
        }
    }
    let ego = json_of(&env, &["--top", "0", "--ego", "5", "--radius", "1"]);
    assert_eq!(node_ids(&ego), near);
    let small = json_of(&env, &["--top", "3", "--ego", "5"]);
    assert!(
        node_ids(&small).contains(&centre),
        "the centre stays whatever --top says"
    );
    dot_of(&env, &["--ego", "5", "--radius", "2"]);
}

#[test]
fn min_weight_drops_light_edges() {
    let env = Env::with_seeds();
    let heavy = json_of(&env, &["--top", "0", "--min-weight", "2"]);
    let all = json_of(&env, &["--top", "0"]);
    let want: Vec<_> = edges(&all).into_iter().filter(|e| e.2 >= 2.0).collect();
    assert!(!want.is_empty() && want.len() < edges(&all).len());
    assert_eq!(edges(&heavy), want);
    dot_of(&env, &["--min-weight", "2"]);
}

#[test]
fn with_sources_adds_sources_and_appears_in_edges() {
    let env = Env::with_seeds();
    let doc = json_of(&env, &["--top", "0", "--with-sources"]);
    let sources = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "source")
        .count();
    assert_eq!(sources, 5);
    let appears_in = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "appears_in")
        .count();
    assert!(appears_in >= 37);
    let dot = dot_of(&env, &["--with-sources"]);
    assert!(dot.contains("shape=box") && dot.contains("style=\"dashed\""));
}

#[test]
fn cluster_draws_communities_as_subgraphs() {
    let env = Env::with_seeds();
    let dot = dot_of(&env, &["--cluster"]);
    assert!(dot.contains("subgraph cluster_0"));
    assert!(dot.contains("layout=fdp"));
}

#[test]
fn render_writes_images_by_extension() {
    let env = Env::with_seeds();
    require_graphviz();
    for (file, magic) in [
        ("g.svg", &b"<?xml"[..]),
        ("g.png", &b"\x89PNG"[..]),
        ("g.pdf", &b"%PDF"[..]),
    ] {
        env.ok(&["render", "-o", file, "--top", "10", "--title", "Ten"]);
        let bytes = std::fs::read(env.path(file)).unwrap();
        assert!(bytes.starts_with(magic), "{file} is not what its name says");
    }
}

/// `netgraph render -o slide.png` with no Graphviz on the PATH: exit 6, and its stderr.
fn render_without_graphviz(env: &Env) -> String {
    let empty = env.path("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = env
        .cmd()
        .env("PATH", &empty)
        .args(["render", "-o", "slide.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn render_without_graphviz_says_how_to_install_and_keeps_the_dot() {
    let env = Env::with_seeds();
    let stderr = render_without_graphviz(&env);
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(stderr.contains("slide.dot"), "{stderr}");
    let dot = std::fs::read_to_string(env.path("slide.dot")).unwrap();
    assert!(dot.starts_with("graph {"));
}

/// Regression (issue 13.7): the fallback DOT never overwrites a file the user did not name.
#[test]
fn render_fallback_never_overwrites_an_existing_dot() {
    let env = Env::with_seeds();
    env.write("slide.dot", "my own graph");
    let stderr = render_without_graphviz(&env);
    assert!(stderr.contains("slide.1.dot"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(env.path("slide.dot")).unwrap(),
        "my own graph"
    );
    assert!(std::fs::read_to_string(env.path("slide.1.dot"))
        .unwrap()
        .starts_with("graph {"));
}

/// Regression (issue 13.7): an insight over 16,384 characters renders; its tooltip is cut.
#[test]
fn a_huge_insight_renders() {
    let env = Env::new();
    let long = "word ".repeat(8_000);
    env.write("notes/long.md", format!("- {long}\n- a short insight\n"));
    env.import(&env.path("notes"), &[]);
    require_graphviz();
    env.ok(&["render", "-o", "huge.svg", "--labels", "full"]);
    assert!(std::fs::metadata(env.path("huge.svg")).unwrap().len() > 0);
}

#[test]
fn bad_input_gets_clear_errors_and_exit_codes() {
    let env = Env::with_seeds();
    let (c, e) = code(&env, &["export", "dot", "--ego", "999999"]);
    assert_eq!(c, 3, "{e}");
    assert!(e.contains("no insight #999999"), "{e}");
    let (c, e) = code(&env, &["export", "json", "--community", "4242"]);
    assert_eq!(c, 3, "{e}");
    assert!(e.contains("no community 4242"), "{e}");
    let (c, e) = code(
        &env,
        &["export", "graphml", "-o", "missing/folder/g.graphml"],
    );
    assert_eq!(c, 3, "{e}");
    assert!(
        e.contains("missing/folder") && e.contains("no such file or folder"),
        "{e}"
    );
    let (c, e) = code(&env, &["render", "-o", "missing/g.svg"]);
    assert_eq!(c, 3, "{e}");
    let (c, e) = code(&env, &["export", "csv", "-o", "missing/deeper"]);
    assert_eq!(c, 3, "{e}");
    let (c, e) = code(&env, &["render", "-o", "g.gif"]);
    assert_eq!(c, 2, "{e}");
    assert!(e.contains(".svg, .png or .pdf"), "{e}");
    let (c, e) = code(&env, &["export", "dot", "--min-weight", "0"]);
    assert_eq!(c, 2, "{e}");
    let (c, _) = code(&env, &["export", "dot", "--radius", "2"]);
    assert_eq!(c, 2, "--radius needs --ego");
    assert!(!Path::new(&env.path("missing")).exists());

    let empty = Env::new();
    empty.write("e.txt", "\n");
    let _ = empty.run(&["import", "e.txt"]);
    let (c, e) = code(&empty, &["export", "dot"]);
    assert_eq!(c, 3, "{e}");
    assert!(e.contains("no insights"), "{e}");
    let none = Env::new();
    let (c, e) = code(&none, &["render"]);
    assert_eq!(c, 3, "{e}");
}

#[test]
fn ego_takes_a_piece_of_text_like_every_other_command() {
    let env = Env::with_seeds();
    let by_id = json_of(&env, &["--ego", "1", "--radius", "1"]);
    let by_text = json_of(&env, &["--ego", "passion shift", "--radius", "1"]);
    assert_eq!(node_ids(&by_id), node_ids(&by_text));
    assert!(node_ids(&by_text).contains(&1));
    let out = env.run(&["export", "json", "--ego", "product"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an ambiguous piece of text is a usage error"
    );
}

/// Regression: with `dpi=120` among the DOT's graph attributes, Graphviz wrote SVGs whose
/// `viewBox` was in 72-dpi units while the drawing was in 120-dpi units, so rsvg-convert,
/// browsers and slide tools showed only the top-left 60 % of the picture.
#[test]
fn every_svg_render_writes_is_whole() {
    let env = Env::with_seeds();
    require_graphviz();
    for (file, args) in [
        (
            "titled.svg",
            &["--title", "What holds our product thinking together"][..],
        ),
        ("all-with-sources.svg", &["--top", "0", "--with-sources"]),
        ("cluster.svg", &["--cluster"]),
        ("dot-engine.svg", &["--engine", "dot", "--top", "12"]),
        ("sfdp.svg", &["--engine", "sfdp"]),
        (
            "ego.svg",
            &[
                "--ego",
                "passion shift",
                "--radius",
                "1",
                "--size-by",
                "betweenness",
            ],
        ),
    ] {
        let mut all = vec!["render", "-o", file];
        all.extend_from_slice(args);
        env.ok(&all);
        whole_svg::assert_whole(&env.path(file));
    }
}

/// `dot -Tsvg` on what `export dot` writes draws the same whole picture: the resolution is
/// not part of the DOT (PNGs get it on Graphviz's command line).
#[test]
fn exported_dot_draws_a_whole_svg() {
    let env = Env::with_seeds();
    let dot = dot_of(&env, &["--title", "Seeds"]);
    assert!(
        !dot.contains("dpi"),
        "the DOT sets a resolution, so its SVG is cut:\n{dot}"
    );
    let svg = env.write("from-dot.svg", svg_of(&dot));
    whole_svg::assert_whole(&svg);
}

/// The resolution moved from the DOT to `dot -Tpng -Gdpi=...`: PNGs keep their slide size.
#[test]
fn png_is_a_slide_1080_pixels_high() {
    let env = Env::with_seeds();
    require_graphviz();
    env.ok(&["render", "-o", "slide.png", "--title", "Seeds"]);
    let (width, height) = png_size(&env.path("slide.png"));
    assert!(
        fits_slide(width, height),
        "slide.png is {width}x{height}, not fitted to 1920x1080"
    );
}

/// `exports/` is what the README shows: the committed SVG is whole and the PNG slide-sized.
#[test]
fn committed_exports_are_whole() {
    whole_svg::assert_whole(&repo("exports/seeds.svg"));
    let (width, height) = png_size(&repo("exports/seeds.png"));
    assert!(
        fits_slide(width, height),
        "exports/seeds.png is {width}x{height}"
    );
}

/// A picture fills a 1920x1080 slide on one side and fits it on the other (Graphviz scales the
/// drawing up until the first side reaches `size="16,9!"`).
fn fits_slide(width: u32, height: u32) -> bool {
    (height == 1080 && width <= 1920) || (width == 1920 && (1070..=1080).contains(&height))
}

/// Our readers of GraphML, GEXF and node-link JSON see the graph networkx sees: what networkx
/// 3.6 read from the golden exports of the seeds (`tests/fixtures/golden/commands/export.*`,
/// which test_golden keeps equal to today's output) is recorded in
/// `expected/networkx_read.json` by `tests/fixtures/read_with_networkx.py`.
#[test]
fn our_readers_see_what_networkx_sees() {
    let recorded = crate::common::expected("networkx_read");
    let golden =
        |name: &str| std::fs::read_to_string(fixture(&format!("golden/commands/{name}"))).unwrap();
    for (format, ours) in [
        ("graphml", read_back::graphml(&golden("export.graphml"))),
        ("gexf", read_back::gexf(&golden("export.gexf"))),
        ("json", read_back::json(&golden("export.json"))),
    ] {
        let theirs = read_back::networkx(format, &recorded[format]);
        assert_eq!(theirs.insights.len(), 37, "{format}");
        if let Some(difference) = read_back::difference(&ours, &theirs) {
            panic!("{format}: netgraph's reader and networkx disagree: {difference}");
        }
    }
}

/// Reading exports back: each format into one [`ReadGraph`](read_back::ReadGraph), the way a
/// tool that imports it would see the graph, and the same graph taken from the database.
mod read_back {
    use crate::common::Env;
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Attributes by name; numbers are JSON numbers holding an f64, so `2`, `2.0` and an int
    /// typed `"2"` compare equal whatever the format.
    pub type Attrs = BTreeMap<String, Value>;

    /// A graph of insights and sources as read from one export.
    #[derive(Debug, Default, PartialEq)]
    pub struct ReadGraph {
        pub insights: BTreeMap<i64, Attrs>,
        pub sources: BTreeMap<i64, Attrs>,
        /// `(a, b)` with `a < b` -> weight.
        pub appears_with: BTreeMap<(i64, i64), f64>,
        /// `(insight, source)`.
        pub appears_in: BTreeSet<(i64, i64)>,
    }

    #[derive(Debug, Clone, Copy)]
    enum Node {
        Insight(i64),
        Source(i64),
    }

    /// Node ids as GraphML, GEXF and JSON write them: `12` an insight, `s3` a source.
    fn node(raw: &str) -> Node {
        match raw.strip_prefix('s') {
            Some(id) => Node::Source(id.parse().unwrap_or_else(|_| panic!("node id {raw:?}"))),
            None => Node::Insight(raw.parse().unwrap_or_else(|_| panic!("node id {raw:?}"))),
        }
    }

    fn number(x: f64) -> Value {
        Value::from(x)
    }

    /// Attribute names in one spelling: CSV's `communityLabel` is everyone else's
    /// `community_label`.
    fn canonical(name: &str) -> String {
        let mut out = String::new();
        for c in name.chars() {
            if c.is_ascii_uppercase() {
                out.push('_');
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A value of a declared type (GraphML `attr.type`, GEXF `type`, CSV `name:type`).
    fn typed(kind: &str, text: &str, what: &str) -> Value {
        match kind {
            "int" | "integer" | "long" | "float" | "double" => number(
                text.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{what}: {text:?} is not a {kind}")),
            ),
            "boolean" => Value::Bool(text.trim() == "true"),
            _ => Value::String(text.to_string()),
        }
    }

    /// Builds a [`ReadGraph`], refusing what a reader would get wrong: a node or edge twice,
    /// an edge between two sources, an appears-with edge without a weight.
    struct Builder {
        format: &'static str,
        graph: ReadGraph,
    }

    impl Builder {
        fn new(format: &'static str) -> Builder {
            Builder {
                format,
                graph: ReadGraph::default(),
            }
        }

        fn node(&mut self, id: Node, attrs: Attrs) {
            let format = self.format;
            let old = match id {
                Node::Insight(id) => self.graph.insights.insert(id, attrs),
                Node::Source(id) => self.graph.sources.insert(id, attrs),
            };
            assert!(old.is_none(), "{format}: node {id:?} twice");
        }

        fn edge(&mut self, a: Node, b: Node, mut attrs: Attrs) {
            let format = self.format;
            let kind = attrs.remove("kind");
            match (a, b) {
                (Node::Insight(a), Node::Insight(b)) => {
                    assert!(
                        kind.is_none() || kind == Some(Value::from("appears_with")),
                        "{format}: edge {a}-{b} between insights is {kind:?}"
                    );
                    let weight = attrs
                        .remove("weight")
                        .and_then(|w| w.as_f64())
                        .unwrap_or_else(|| panic!("{format}: edge {a}-{b} has no weight"));
                    assert!(attrs.is_empty(), "{format}: edge {a}-{b} has {attrs:?}");
                    let old = self.graph.appears_with.insert((a.min(b), a.max(b)), weight);
                    assert!(old.is_none(), "{format}: edge {a}-{b} twice");
                }
                (Node::Insight(i), Node::Source(s)) | (Node::Source(s), Node::Insight(i)) => {
                    assert!(
                        kind.is_none() || kind == Some(Value::from("appears_in")),
                        "{format}: edge #{i}-s{s} is {kind:?}"
                    );
                    assert!(attrs.is_empty(), "{format}: edge #{i}-s{s} has {attrs:?}");
                    assert!(
                        self.graph.appears_in.insert((i, s)),
                        "{format}: edge #{i}-s{s} twice"
                    );
                }
                (a, b) => panic!("{format}: edge between two sources {a:?}-{b:?}"),
            }
        }
    }

    fn xml<'i>(text: &'i str, format: &str) -> roxmltree::Document<'i> {
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{format} is not XML: {e}"))
    }

    fn children<'a, 'i>(
        node: roxmltree::Node<'a, 'i>,
        name: &'static str,
    ) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
        node.children()
            .filter(move |c| c.is_element() && c.tag_name().name() == name)
    }

    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &'static str) -> roxmltree::Node<'a, 'i> {
        children(node, name)
            .next()
            .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()))
    }

    fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
        node.attribute(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}", node.tag_name().name()))
    }

    /// GraphML as its `<key>`s declare it.
    pub fn graphml(text: &str) -> ReadGraph {
        let doc = xml(text, "graphml");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "graphml");
        let mut keys = BTreeMap::new();
        let mut ids = std::collections::BTreeSet::new();
        for key in children(root, "key") {
            // The GraphML schema makes key ids unique, whatever their domain.
            assert!(
                ids.insert(attr(key, "id")),
                "graphml: key id {:?} twice",
                attr(key, "id")
            );
            let name = canonical(attr(key, "attr.name"));
            keys.insert(
                (attr(key, "for"), attr(key, "id")),
                (name, attr(key, "attr.type")),
            );
        }
        let graph = child(root, "graph");
        assert_eq!(attr(graph, "edgedefault"), "undirected");
        let data = |element: roxmltree::Node, scope: &str| -> Attrs {
            children(element, "data")
                .map(|d| {
                    let (name, kind) = keys
                        .get(&(scope, attr(d, "key")))
                        .unwrap_or_else(|| panic!("graphml: undeclared key {:?}", attr(d, "key")));
                    (name.clone(), typed(kind, d.text().unwrap_or(""), name))
                })
                .collect()
        };
        let mut built = Builder::new("graphml");
        for n in children(graph, "node") {
            built.node(node(attr(n, "id")), data(n, "node"));
        }
        for e in children(graph, "edge") {
            built.edge(
                node(attr(e, "source")),
                node(attr(e, "target")),
                data(e, "edge"),
            );
        }
        built.graph
    }

    /// GEXF as its `<attributes>` declare it; a node's `label` is an attribute, an edge's
    /// `label` its kind.
    pub fn gexf(text: &str) -> ReadGraph {
        let doc = xml(text, "gexf");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "gexf");
        let graph = child(root, "graph");
        assert_eq!(attr(graph, "defaultedgetype"), "undirected");
        let mut declared = BTreeMap::new();
        for list in children(graph, "attributes") {
            for a in children(list, "attribute") {
                declared.insert(
                    (attr(list, "class"), attr(a, "id")),
                    (canonical(attr(a, "title")), attr(a, "type")),
                );
            }
        }
        let mut built = Builder::new("gexf");
        for n in children(child(graph, "nodes"), "node") {
            let mut attrs = Attrs::new();
            if let Some(label) = n.attribute("label") {
                attrs.insert("label".into(), label.into());
            }
            for values in children(n, "attvalues") {
                for v in children(values, "attvalue") {
                    let (name, kind) = declared
                        .get(&("node", attr(v, "for")))
                        .unwrap_or_else(|| panic!("gexf: undeclared {:?}", attr(v, "for")));
                    attrs.insert(name.clone(), typed(kind, attr(v, "value"), name));
                }
            }
            built.node(node(attr(n, "id")), attrs);
        }
        for e in children(child(graph, "edges"), "edge") {
            let mut attrs = Attrs::new();
            if let Some(weight) = e.attribute("weight") {
                attrs.insert("weight".into(), typed("double", weight, "weight"));
            }
            if let Some(label) = e.attribute("label") {
                attrs.insert("kind".into(), label.into());
            }
            built.edge(node(attr(e, "source")), node(attr(e, "target")), attrs);
        }
        built.graph
    }

    /// A JSON value with every number an f64.
    fn normal(value: &Value) -> Value {
        match value {
            Value::Number(n) => number(n.as_f64().unwrap()),
            other => other.clone(),
        }
    }

    fn json_id(id: &Value) -> Node {
        match id {
            Value::Number(n) => Node::Insight(n.as_i64().expect("integer id")),
            Value::String(s) => node(s),
            other => panic!("json: node id {other}"),
        }
    }

    /// Node-link JSON, as `nx.node_link_graph` reads it (key `edges`).
    pub fn json(text: &str) -> ReadGraph {
        let doc: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(doc["directed"], false);
        assert_eq!(doc["multigraph"], false);
        let mut built = Builder::new("json");
        for n in doc["nodes"].as_array().expect("nodes") {
            let attrs = n
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "id")
                .map(|(k, v)| (canonical(k), normal(v)))
                .collect();
            built.node(json_id(&n["id"]), attrs);
        }
        for e in doc["edges"].as_array().expect("edges") {
            let attrs = e
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "source" && *k != "target")
                .map(|(k, v)| (canonical(k), normal(v)))
                .collect();
            built.edge(json_id(&e["source"]), json_id(&e["target"]), attrs);
        }
        built.graph
    }

    /// One neo4j-admin CSV file: rows of (id column values, attributes), with `:LABEL` and
    /// `:TYPE` checked against `label`.
    fn csv_rows(path: &Path, label: &str) -> Vec<(Vec<i64>, Attrs)> {
        let mut reader =
            csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let headers = reader.headers().unwrap().clone();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut ids = Vec::new();
            let mut attrs = Attrs::new();
            for (header, value) in headers.iter().zip(record.iter()) {
                if header.contains(":ID(") || header.starts_with(":START_ID(") {
                    ids.insert(0, value.parse().expect("integer id"));
                } else if header.starts_with(":END_ID(") {
                    ids.push(value.parse().expect("integer id"));
                } else if header == ":LABEL" || header == ":TYPE" {
                    assert_eq!(value, label, "{} {header}", path.display());
                } else {
                    let (name, kind) = header.split_once(':').unwrap_or((header, "string"));
                    if !(value.is_empty() && kind != "string") {
                        attrs.insert(canonical(name), typed(kind, value, name));
                    }
                }
            }
            rows.push((ids, attrs));
        }
        rows
    }

    /// The four files of `export csv --with-sources`. A source's display name is its
    /// `title` column here, its `label` elsewhere.
    pub fn csv(dir: &Path) -> ReadGraph {
        let mut built = Builder::new("csv");
        for (ids, attrs) in csv_rows(&dir.join("insights.csv"), "Insight") {
            built.node(Node::Insight(ids[0]), attrs);
        }
        for (ids, mut attrs) in csv_rows(&dir.join("sources.csv"), "Source") {
            if let Some(title) = attrs.remove("title") {
                attrs.insert("label".into(), title);
            }
            built.node(Node::Source(ids[0]), attrs);
        }
        for (ids, attrs) in csv_rows(&dir.join("appears_with.csv"), "APPEARS_WITH") {
            built.edge(Node::Insight(ids[0]), Node::Insight(ids[1]), attrs);
        }
        for (ids, attrs) in csv_rows(&dir.join("appears_in.csv"), "APPEARS_IN") {
            built.edge(Node::Insight(ids[0]), Node::Source(ids[1]), attrs);
        }
        built.graph
    }

    /// What `read_with_networkx.py` recorded networkx reading: `{"nodes": {id: attrs},
    /// "edges": [[a, b, attrs]]}`. networkx adds GEXF's drawing (`viz`) and edge ids, which are
    /// not the graph, and calls a GEXF edge's kind its `label`.
    pub fn networkx(format: &'static str, recorded: &Value) -> ReadGraph {
        let mut built = Builder::new(format);
        for (id, attrs) in recorded["nodes"].as_object().expect("nodes") {
            let attrs = attrs
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| !(format == "gexf" && *k == "viz"))
                .map(|(k, v)| (canonical(k), normal(v)))
                .collect();
            built.node(node(id), attrs);
        }
        for edge in recorded["edges"].as_array().expect("edges") {
            let attrs = edge[2]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| !(format == "gexf" && *k == "id"))
                .map(|(k, v)| match (format, k.as_str()) {
                    ("gexf", "label") => ("kind".to_string(), normal(v)),
                    _ => (canonical(k), normal(v)),
                })
                .collect();
            built.edge(
                node(edge[0].as_str().unwrap()),
                node(edge[1].as_str().unwrap()),
                attrs,
            );
        }
        built.graph
    }

    /// Equal, numbers to the last bits: serde_json's default float parser is not always
    /// correctly rounded, so the same decimal may differ in its last bit.
    fn same(x: Option<&Value>, y: Option<&Value>) -> bool {
        match (x.and_then(Value::as_f64), y.and_then(Value::as_f64)) {
            (Some(a), Some(b)) => (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
            _ => x == y,
        }
    }

    /// The first way `ours` and `theirs` differ, if they do.
    pub fn difference(ours: &ReadGraph, theirs: &ReadGraph) -> Option<String> {
        for (what, a, b) in [
            ("insight", &ours.insights, &theirs.insights),
            ("source", &ours.sources, &theirs.sources),
        ] {
            for id in a.keys().chain(b.keys()) {
                match (a.get(id), b.get(id)) {
                    (Some(x), Some(y)) => {
                        let Some(name) = x
                            .keys()
                            .chain(y.keys())
                            .find(|k| !same(x.get(*k), y.get(*k)))
                        else {
                            continue;
                        };
                        return Some(format!(
                            "{what} {id} {name}: {:?} vs {:?}",
                            x.get(name),
                            y.get(name)
                        ));
                    }
                    (x, y) => return Some(format!("{what} {id}: {x:?} vs {y:?}")),
                }
            }
        }
        if ours.appears_with != theirs.appears_with {
            let edge = ours
                .appears_with
                .keys()
                .chain(theirs.appears_with.keys())
                .find(|k| ours.appears_with.get(*k) != theirs.appears_with.get(*k))
                .unwrap();
            return Some(format!(
                "edge {edge:?}: {:?} vs {:?}",
                ours.appears_with.get(edge),
                theirs.appears_with.get(edge)
            ));
        }
        (ours.appears_in != theirs.appears_in).then(|| "appears-in edges".to_string())
    }

    /// The graph in the database, read with SQL (the tables `schema.sql` documents):
    /// insights with their text, source count, degree and strength; sources with their path
    /// and display name (title, else name, else file name); both kinds of edges.
    pub fn database(db: &Path) -> ReadGraph {
        let conn =
            rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("database opens");
        let mut graph = ReadGraph::default();
        let mut rows = conn
            .prepare("SELECT a, b, weight FROM appears_with")
            .unwrap();
        let edges = rows
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?)))
            .unwrap();
        for edge in edges {
            let (a, b, weight) = edge.unwrap();
            graph.appears_with.insert((a, b), weight as f64);
        }
        let mut rows = conn
            .prepare(
                "SELECT i.id, i.text, s.sources FROM insights i \
                 JOIN insight_sources s ON s.insight_id = i.id",
            )
            .unwrap();
        let insights = rows
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .unwrap();
        for insight in insights {
            let (id, text, sources) = insight.unwrap();
            let touching = graph
                .appears_with
                .iter()
                .filter(|((a, b), _)| *a == id || *b == id);
            let (degree, strength) = touching.fold((0.0, 0.0), |(d, s), (_, w)| (d + 1.0, s + w));
            let attrs = Attrs::from([
                ("text".to_string(), Value::from(text)),
                ("sources".to_string(), number(sources as f64)),
                ("degree".to_string(), number(degree)),
                ("strength".to_string(), number(strength)),
            ]);
            graph.insights.insert(id, attrs);
        }
        let mut rows = conn
            .prepare("SELECT id, path, name, title FROM sources")
            .unwrap();
        let sources = rows
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .unwrap();
        for source in sources {
            let (id, path, name, title) = source.unwrap();
            let file_name = Path::new(&path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let label = [title, name]
                .into_iter()
                .flatten()
                .find(|s| !s.is_empty())
                .unwrap_or(file_name);
            let attrs = Attrs::from([
                ("path".to_string(), Value::from(path)),
                ("label".to_string(), Value::from(label)),
            ]);
            graph.sources.insert(id, attrs);
        }
        let mut rows = conn
            .prepare("SELECT DISTINCT insight_id, source_id FROM occurrences")
            .unwrap();
        let pairs = rows.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        for pair in pairs {
            graph.appears_in.insert(pair.unwrap());
        }
        graph
    }

    /// What every export must say: the database's graph, `central`'s scores and
    /// `communities`' themes.
    pub struct Truth<'a> {
        db: &'a ReadGraph,
        scores: BTreeMap<&'static str, BTreeMap<i64, f64>>,
        themes: BTreeMap<i64, (f64, String)>,
    }

    pub const SCORES: [&str; 6] = [
        "pagerank",
        "betweenness",
        "closeness",
        "eigenvector",
        "degree",
        "strength",
    ];

    impl<'a> Truth<'a> {
        pub fn of(env: &Env, db: &'a ReadGraph) -> Truth<'a> {
            let mut scores = BTreeMap::new();
            for by in SCORES {
                let ranked =
                    env.json(&["central", "--by", by, "--top", "100000", "--format", "json"]);
                let by_id: BTreeMap<i64, f64> = ranked
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| (r["id"].as_i64().unwrap(), r["score"].as_f64().unwrap()))
                    .collect();
                assert_eq!(by_id.len(), db.insights.len(), "central --by {by}");
                scores.insert(by, by_id);
            }
            let mut themes = BTreeMap::new();
            let found = env.json(&["communities", "--format", "json"]);
            for theme in found["communities"].as_array().unwrap() {
                let members = theme["members"].as_array().unwrap();
                assert_eq!(
                    theme["size"].as_u64().unwrap() as usize,
                    members.len(),
                    "communities lists every member here"
                );
                for m in members {
                    let label = theme["label"].as_str().unwrap().to_string();
                    themes.insert(m.as_i64().unwrap(), (theme["id"].as_f64().unwrap(), label));
                }
            }
            assert_eq!(themes.len(), db.insights.len());
            Truth { db, scores, themes }
        }

        /// Assert `got` (read from `format`) is the database's graph, each insight carrying
        /// exactly `insight_attrs` and each source `source_attrs`, every value right.
        pub fn assert_same(
            &self,
            format: &str,
            got: &ReadGraph,
            insight_attrs: &[&str],
            source_attrs: &[&str],
        ) {
            let db = self.db;
            let ids = |m: &BTreeMap<i64, Attrs>| m.keys().copied().collect::<Vec<_>>();
            assert_eq!(ids(&got.insights), ids(&db.insights), "{format}: insights");
            assert_eq!(ids(&got.sources), ids(&db.sources), "{format}: sources");
            assert_eq!(
                got.appears_with, db.appears_with,
                "{format}: appears-with edges and weights"
            );
            assert_eq!(got.appears_in, db.appears_in, "{format}: appears-in edges");
            let want: BTreeSet<&str> = insight_attrs.iter().copied().collect();
            for (id, attrs) in &got.insights {
                let names: BTreeSet<&str> = attrs.keys().map(String::as_str).collect();
                assert_eq!(names, want, "{format}: attributes of insight {id}");
                let known = &db.insights[id];
                for (name, value) in attrs {
                    let at = format!("{format}: insight {id} {name}");
                    match name.as_str() {
                        "kind" => assert_eq!(value, "insight", "{at}"),
                        "text" | "sources" => assert_eq!(value, &known[name], "{at}"),
                        "title" => {
                            // The insight's short title (see `netgraph titles`).
                            let title = value.as_str().unwrap();
                            let words = title.split_whitespace().count();
                            assert!(
                                (2..=6).contains(&words) && title.chars().count() <= 40,
                                "{at}: {title:?}"
                            );
                        }
                        "label" => {
                            let label = value.as_str().unwrap();
                            let text = known["text"].as_str().unwrap();
                            assert!(
                                !label.is_empty() && text.starts_with(label.trim_end_matches('…')),
                                "{at}: {label:?} does not begin {text:?}"
                            );
                        }
                        "community" => assert_eq!(value.as_f64(), Some(self.themes[id].0), "{at}"),
                        "community_label" => assert_eq!(value, &self.themes[id].1, "{at}"),
                        "colour" => {
                            let colour = value.as_str().unwrap();
                            assert!(
                                colour.len() == 7 && colour.starts_with('#'),
                                "{at}: {colour}"
                            );
                        }
                        score if SCORES.contains(&score) => {
                            let got = value.as_f64().unwrap();
                            let want = self.scores[score][id];
                            assert!(
                                (got - want).abs() <= 1e-12 * want.abs().max(1e-12),
                                "{at}: {got} but central says {want}"
                            );
                            if let Some(counted) = known.get(score) {
                                assert_eq!(value, counted, "{at}: not what the edges add up to");
                            }
                        }
                        other => panic!("{format}: insight attribute {other} is not checked here"),
                    }
                }
            }
            let want: BTreeSet<&str> = source_attrs.iter().copied().collect();
            for (id, attrs) in &got.sources {
                let names: BTreeSet<&str> = attrs.keys().map(String::as_str).collect();
                assert_eq!(names, want, "{format}: attributes of source {id}");
                for (name, value) in attrs {
                    match name.as_str() {
                        "kind" => assert_eq!(value, "source", "{format}: source {id}"),
                        _ => {
                            assert_eq!(value, &db.sources[id][name], "{format}: source {id} {name}")
                        }
                    }
                }
            }
        }
    }
}

/// Whether an SVG shows everything it draws.
mod whole_svg {
    use crate::common::require_rsvg;
    use std::path::Path;
    use std::process::Command;

    /// An affine map `(x, y) -> (a x + c y + e, b x + d y + f)`, as SVG's `matrix(a b c d e f)`.
    #[derive(Debug, Clone, Copy)]
    struct Affine([f64; 6]);

    impl Affine {
        const IDENTITY: Affine = Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

        /// `self` after `then`: first `then`, then `self`, as nested SVG transforms compose.
        fn times(self, then: Affine) -> Affine {
            let [a, b, c, d, e, f] = self.0;
            let [a2, b2, c2, d2, e2, f2] = then.0;
            Affine([
                a * a2 + c * b2,
                b * a2 + d * b2,
                a * c2 + c * d2,
                b * c2 + d * d2,
                a * e2 + c * f2 + e,
                b * e2 + d * f2 + f,
            ])
        }

        fn apply(self, (x, y): (f64, f64)) -> (f64, f64) {
            let [a, b, c, d, e, f] = self.0;
            (a * x + c * y + e, b * x + d * y + f)
        }

        /// An SVG `transform` attribute: `scale(..) rotate(..) translate(..) matrix(..)`.
        fn parse(list: &str) -> Affine {
            let mut out = Affine::IDENTITY;
            for item in list.split(')').map(str::trim).filter(|s| !s.is_empty()) {
                let (name, args) = item.split_once('(').expect("transform(args)");
                let n: Vec<f64> = args
                    .split([' ', ','])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().expect("transform number"))
                    .collect();
                let step = match (name.trim(), n.as_slice()) {
                    ("translate", [x]) => Affine([1.0, 0.0, 0.0, 1.0, *x, 0.0]),
                    ("translate", [x, y]) => Affine([1.0, 0.0, 0.0, 1.0, *x, *y]),
                    ("scale", [s]) => Affine([*s, 0.0, 0.0, *s, 0.0, 0.0]),
                    ("scale", [x, y]) => Affine([*x, 0.0, 0.0, *y, 0.0, 0.0]),
                    ("rotate", [deg]) => {
                        let (sin, cos) = deg.to_radians().sin_cos();
                        Affine([cos, sin, -sin, cos, 0.0, 0.0])
                    }
                    ("matrix", [a, b, c, d, e, f]) => Affine([*a, *b, *c, *d, *e, *f]),
                    _ => panic!("transform {item:?} is not understood here"),
                };
                out = out.times(step);
            }
            out
        }
    }

    fn numbers(text: &str) -> Vec<f64> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}")))
            .collect()
    }

    fn pairs(values: &[f64]) -> Vec<(f64, f64)> {
        assert!(values.len() % 2 == 0, "odd coordinate list");
        values.chunks(2).map(|p| (p[0], p[1])).collect()
    }

    fn num(node: roxmltree::Node, name: &str) -> f64 {
        node.attribute(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}", node.tag_name().name()))
            .trim_end_matches("pt")
            .parse()
            .unwrap_or_else(|_| panic!("<{}> {name} is not a number", node.tag_name().name()))
    }

    /// The points that bound what `element` draws, in its own coordinates. Text is its anchor
    /// and a width of 0.4 em per character (less than any font here needs, so a label that is
    /// really cut is caught and one that fits is not).
    fn extent(element: roxmltree::Node) -> Vec<(f64, f64)> {
        match element.tag_name().name() {
            "ellipse" => {
                let (cx, cy) = (num(element, "cx"), num(element, "cy"));
                let (rx, ry) = (num(element, "rx"), num(element, "ry"));
                vec![(cx - rx, cy), (cx + rx, cy), (cx, cy - ry), (cx, cy + ry)]
            }
            "polygon" | "polyline" => pairs(&numbers(element.attribute("points").unwrap())),
            "path" => {
                // Graphviz writes absolute M/C/L commands with x,y pairs.
                let d = element.attribute("d").unwrap();
                assert!(
                    d.chars().all(|c| !c.is_alphabetic() || "MCLZ".contains(c)),
                    "path {d:?} is not absolute M/C/L"
                );
                pairs(&numbers(&d.replace(['M', 'C', 'L', 'Z'], " ")))
            }
            "text" => {
                let (x, y) = (num(element, "x"), num(element, "y"));
                let size = element
                    .attribute("font-size")
                    .map_or(14.0, |s| s.parse().unwrap());
                let chars = element
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .map(|t| t.chars().count())
                    .sum::<usize>() as f64;
                let width = 0.4 * size * chars;
                let (left, right) = match element.attribute("text-anchor") {
                    Some("middle") => (x - width / 2.0, x + width / 2.0),
                    Some("end") => (x - width, x),
                    _ => (x, x + width),
                };
                vec![(left, y), (right, y), (left, y - 0.7 * size)]
            }
            _ => Vec::new(),
        }
    }

    /// Everything transforms above `element` (and its own) do to its coordinates.
    fn placement(element: roxmltree::Node) -> Affine {
        element
            .ancestors()
            .filter_map(|a| a.attribute("transform"))
            .fold(Affine::IDENTITY, |inner, t| Affine::parse(t).times(inner))
    }

    fn colour(hex: &str) -> Option<[u8; 3]> {
        let hex = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some([channel(0)?, channel(2)?, channel(4)?])
    }

    /// Assert that `svg` is whole: every shape and text (nodes, edges, clusters, title and
    /// legend), placed by the SVG's transforms, lies inside the `viewBox` that viewers map onto
    /// the canvas, whose shape matches `width`/`height`; and that `rsvg-convert`, rendering it to
    /// PNG, paints each insight's colour at the centre of its circle.
    pub fn assert_whole(svg: &Path) {
        let text =
            std::fs::read_to_string(svg).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&text, options)
            .unwrap_or_else(|e| panic!("{} is not XML: {e}", svg.display()));
        let root = doc.root_element();
        let head = text
            .lines()
            .filter(|l| l.contains("<svg") || l.contains("viewBox") || l.contains("transform"))
            .take(3)
            .collect::<Vec<_>>()
            .join("\n");
        let view = numbers(root.attribute("viewBox").expect("viewBox"));
        let [vx, vy, vw, vh] = view[..] else {
            panic!("viewBox {view:?}")
        };
        let (width, height) = (num(root, "width"), num(root, "height"));
        assert!(
            ((width / height) / (vw / vh) - 1.0).abs() < 0.01,
            "{}: the viewBox is not the canvas's shape\n{head}",
            svg.display()
        );

        let mut outside = Vec::new();
        let mut checked = 0;
        let mut circles = Vec::new();
        for element in doc.descendants().filter(|n| n.is_element()) {
            let points = extent(element);
            if points.is_empty() {
                continue;
            }
            // The page's own white background: Graphviz writes the scale with two decimals,
            // so on a strongly scaled picture its far edge can miss the viewBox by more than 1%;
            // it carries no content.
            let background = element.has_tag_name("polygon")
                && element.attribute("fill") == Some("white")
                && element.parent().and_then(|p| p.attribute("class")) == Some("graph");
            if background {
                continue;
            }
            checked += 1;
            let at = placement(element);
            for point in points {
                let (x, y) = at.apply(point);
                // Graphviz writes the scale with two decimals, which moves the far edge of its
                // own background by up to 1 %.
                let slack = 1.0 + 0.01 * vw.max(vh);
                if x < vx - slack || x > vx + vw + slack || y < vy - slack || y > vy + vh + slack {
                    let owner = element
                        .ancestors()
                        .find(|a| a.has_tag_name("g"))
                        .and_then(|g| g.children().find(|c| c.has_tag_name("title")))
                        .and_then(|t| t.text())
                        .unwrap_or("?");
                    outside.push(format!(
                        "<{}> of {owner} at ({x:.0}, {y:.0})",
                        element.tag_name().name()
                    ));
                    break;
                }
            }
            let in_node = element
                .parent()
                .and_then(|p| p.ancestors().find(|a| a.attribute("class") == Some("node")));
            if element.has_tag_name("ellipse") && in_node.is_some() {
                if let Some(fill) = element.attribute("fill").and_then(colour) {
                    let centre = at.apply((num(element, "cx"), num(element, "cy")));
                    circles.push((centre, fill));
                }
            }
        }
        assert!(
            checked > 10 && !circles.is_empty(),
            "{}: nothing drawn?",
            svg.display()
        );
        assert!(
            outside.is_empty(),
            "{}: {} of {checked} drawn elements lie outside the viewBox {view:?}, so viewers cut \
             them off; first: {:?}\n{head}",
            svg.display(),
            outside.len(),
            &outside[..outside.len().min(5)]
        );

        // A real renderer: the PNG rsvg-convert makes has each circle's colour where it should.
        require_rsvg();
        let png = svg.with_extension("rsvg.png");
        let out = Command::new("rsvg-convert")
            .arg("-o")
            .arg(&png)
            .arg(svg)
            .output()
            .expect("rsvg-convert runs");
        assert!(
            out.status.success(),
            "rsvg-convert failed on {}: {}",
            svg.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let file = std::fs::File::open(&png).unwrap();
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .expect("rsvg-convert wrote a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        let (w, h) = (frame.width as f64, frame.height as f64);
        assert!(
            ((w / h) / (vw / vh) - 1.0).abs() < 0.01,
            "rsvg-convert drew {w}x{h} for the viewBox {view:?}"
        );
        let step = frame.color_type.samples();
        for ((x, y), want) in circles {
            let (px, py) = ((x - vx) * w / vw, (y - vy) * h / vh);
            assert!(
                (0.0..w).contains(&px) && (0.0..h).contains(&py),
                "{}: a circle at ({x:.0}, {y:.0}) is off the {w}x{h} rendering",
                svg.display()
            );
            let i = py as usize * frame.line_size + px as usize * step;
            let got = &pixels[i..i + 3];
            assert!(
                got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 8),
                "{}: rsvg-convert painted {got:?} at ({px:.0}, {py:.0}), not the circle's {want:?}",
                svg.display()
            );
        }
    }
}

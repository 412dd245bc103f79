//! `netgraph export` and `netgraph render`: the golden DOT of the seeds, escaping through
//! Graphviz, round trips through networkx, every filter, and every bad input.
//!
//! Graphviz and networkx are external: a test that needs one is skipped (with a note) when it
//! is missing, except under CI=true, where missing tools fail the test.

use crate::common::{fixture, Env};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// Whether `program` runs; under CI a missing tool is a failure, not a skip.
fn tool_available(program: &str, probe: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`{program}` is required under CI (install graphviz / networkx)"
        );
        eprintln!("skipping: `{program}` is not available");
    }
    ok
}

fn graphviz() -> bool {
    tool_available("dot", &["-V"])
}

fn networkx() -> bool {
    tool_available("python3", &["-c", "import networkx"])
}

/// Run `dot -Tsvg` on DOT text; assert it exits 0; return the SVG.
fn svg_of(dot: &str) -> String {
    use std::io::Write;
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
    if graphviz() {
        svg_of(&dot);
    }
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
    if !graphviz() {
        return;
    }
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

#[test]
fn graphml_gexf_and_json_round_trip_through_networkx() {
    let env = Env::with_seeds();
    env.ok(&["export", "graphml", "--top", "0", "-o", "g.graphml"]);
    env.ok(&["export", "gexf", "--top", "0", "-o", "g.gexf"]);
    env.ok(&["export", "json", "--top", "0", "-o", "g.json"]);
    let ours = json_of(&env, &["--top", "0"]);
    let want_nodes: BTreeSet<String> = node_ids(&ours).iter().map(|i| i.to_string()).collect();
    let mut want_edges: Vec<(String, String, f64)> = edges(&ours)
        .into_iter()
        .map(|(a, b, w)| (a.to_string(), b.to_string(), w))
        .collect();
    want_edges.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    assert!(want_nodes.len() > 30 && !want_edges.is_empty());
    if !networkx() {
        return;
    }
    let script = r#"
import json, sys, networkx as nx
kind, path = sys.argv[1], sys.argv[2]
if kind == "graphml":
    g = nx.read_graphml(path)
elif kind == "gexf":
    g = nx.read_gexf(path, version="1.3")
else:
    g = nx.node_link_graph(json.load(open(path)))
assert not g.is_directed() and not g.is_multigraph()
nodes = sorted(str(n) for n in g.nodes)
edges = sorted(tuple(sorted((str(a), str(b)), key=int)) + (float(d["weight"]),) for a, b, d in g.edges(data=True))
some = next(iter(g.nodes))
attrs = sorted(g.nodes[some].keys())
print(json.dumps({"nodes": nodes, "edges": edges, "attrs": attrs}))
"#;
    for (kind, file) in [
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("json", "g.json"),
    ] {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(kind)
            .arg(env.path(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "networkx could not read {kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        let nodes: BTreeSet<String> = got["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(nodes, want_nodes, "{kind} nodes");
        let mut got_edges: Vec<(String, String, f64)> = got["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e[0].as_str().unwrap().into(),
                    e[1].as_str().unwrap().into(),
                    e[2].as_f64().unwrap(),
                )
            })
            .collect();
        got_edges.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        assert_eq!(got_edges, want_edges, "{kind} edges and weights");
        let attrs = got["attrs"].to_string();
        for attr in ["text", "sources", "pagerank", "community"] {
            assert!(
                attrs.contains(attr),
                "{kind} lacks node attribute {attr}: {attrs}"
            );
        }
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
        header.starts_with("insightId:ID(Insight),label,text,sources:int,pagerank:double"),
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
    if !graphviz() {
        return;
    }
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

#[test]
fn render_without_graphviz_says_how_to_install_and_keeps_the_dot() {
    let env = Env::with_seeds();
    let empty = env.path("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let out = env
        .cmd()
        .env("PATH", &empty)
        .args(["render", "-o", "slide.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(stderr.contains("slide.dot"), "{stderr}");
    let dot = std::fs::read_to_string(env.path("slide.dot")).unwrap();
    assert!(dot.starts_with("graph {"));
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

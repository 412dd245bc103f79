//! `netgraph render -o graph.html`: the interactive page, checked as a file (self-contained,
//! the same view and layout as the pictures, hostile text kept inert) and in a real browser
//! (headless Chromium draws it, a search highlights the insight, a screenshot shows it).

use crate::common::{require_graphviz, require_tool, Env};
use netgraph::export::layout::layout;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browser the tests drive: Debian's `chromium` (scripts/setup-debian.sh installs it), or
/// the one NETGRAPH_CHROMIUM names (on Ubuntu `chromium` is a snap; point this at any
/// Chromium or Chrome binary).
fn browser() -> String {
    let program = std::env::var("NETGRAPH_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    require_tool(&program, &["--version"], "chromium");
    program
}

/// Run headless Chromium on `page` (with `fragment` after `#`) and return its stdout; fails
/// the test after two minutes rather than hanging.
fn chromium(env: &Env, page: &Path, fragment: &str, extra: &[&str]) -> String {
    let profile = env.path(&format!("chromium-profile-{}", extra.len()));
    let url = format!("file://{}#{fragment}", page.display());
    let mut child = Command::new(browser())
        .args([
            "--headless",
            // Tests run as root in CI, where Chromium's sandbox cannot start.
            "--no-sandbox",
            // Software WebGL (SwiftShader) on machines without a GPU.
            "--enable-unsafe-swiftshader",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--window-size=1600,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {url} exited with {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish {url} within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// The page's self-test results (`#selftest=WORDS`), read from the DOM Chromium dumps.
fn selftest(env: &Env, page: &Path, words: &str) -> Value {
    let dom = chromium(env, page, &format!("selftest={words}"), &["--dump-dom"]);
    let start = dom
        .find("<pre id=\"selftest-result\"")
        .unwrap_or_else(|| panic!("no self-test result in the page; DOM:\n{}", tail(&dom)));
    let body = &dom[start..];
    let text = &body[body.find('>').unwrap() + 1..body.find("</pre>").unwrap()];
    let json = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn tail(text: &str) -> &str {
    &text[text.len().saturating_sub(3000)..]
}

/// The JSON data block of a page.
fn page_data(html: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"netgraph-data\">";
    let start = html.find(open).expect("a data block") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn render_page(env: &Env, file: &str, extra: &[&str]) -> (PathBuf, String) {
    let mut args = vec!["render", "-o", file];
    args.extend_from_slice(extra);
    env.ok(&args);
    let path = env.path(file);
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

/// Insight ids of `netgraph export json` with `flags`: the view every format shares.
fn export_ids(env: &Env, flags: &[&str]) -> BTreeSet<u64> {
    let mut args = vec!["export", "json"];
    args.extend_from_slice(flags);
    let json = env.json(&args);
    json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "insight")
        .map(|n| n["id"].as_u64().unwrap())
        .collect()
}

fn page_ids(data: &Value) -> BTreeSet<u64> {
    data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_u64().unwrap())
        .collect()
}

/// Where a copy of each screenshot is kept after the test (the temp folder is removed).
fn keep(path: &Path, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page");
    std::fs::create_dir_all(&dir).unwrap();
    let kept = dir.join(name);
    std::fs::copy(path, &kept).unwrap();
    kept
}

fn rgb(hex: &str) -> [u8; 3] {
    let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [v(1), v(3), v(5)]
}

#[test]
fn the_page_draws_the_view_and_a_search_highlights_the_insight() {
    require_graphviz();
    let env = Env::with_seeds();
    let (page, html) = render_page(&env, "graph.html", &[]);
    let data = page_data(&html);
    // A graph that fits (at most 5,000 insights) is shown whole: the view of `--top 0`.
    let ids = page_ids(&data);
    assert_eq!(ids, export_ids(&env, &["--top", "0"]));
    assert_eq!(ids.len(), 37);
    let edges = data["edges"].as_array().unwrap().len();

    // The one seed insight that names the "ICCPO" role.
    let json = env.json(&["export", "json", "--top", "0"]);
    let iccpo: Vec<u64> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["text"].as_str().unwrap_or("").contains("ICCPO"))
        .map(|n| n["id"].as_u64().unwrap())
        .collect();
    assert_eq!(iccpo.len(), 1, "{iccpo:?}");

    let result = selftest(&env, &page, "iccpo");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    // It drew: every insight and edge is in the graph, and the WebGL layers are not empty.
    assert_eq!(result["nodes"], ids.len(), "{result}");
    assert_eq!(result["edges"], edges, "{result}");
    assert!(result["node_pixels"].as_u64().unwrap() > 5_000, "{result}");
    assert!(result["edge_pixels"].as_u64().unwrap() > 5_000, "{result}");
    assert_eq!(
        result["labels"],
        ids.len(),
        "every label fits at the start: {result}"
    );
    // Typing the word (any case) finds the insight and highlights it, and only it.
    assert_eq!(result["matches"], serde_json::json!(iccpo), "{result}");
    assert_eq!(result["highlighted"], serde_json::json!(iccpo), "{result}");
    assert_eq!(result["result_items"], 1, "{result}");
    assert_eq!(result["search_count"], "1 match", "{result}");
    // On screen: the match keeps its theme's colour, the others are dimmed.
    let probes = result["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 2, "{result}");
    for probe in probes {
        let want = if probe["matched"] == true {
            &probe["theme_colour"]
        } else {
            &result["dim_colour"]
        };
        assert_eq!(&probe["drawn"], want, "{result}");
    }
    assert_ne!(probes[0]["drawn"], probes[1]["drawn"]);

    // A screenshot: the size asked for, and the graph in it (pixels of the theme colours).
    let shot = env.path("graph.png");
    chromium(
        &env,
        &page,
        "",
        &[&format!("--screenshot={}", shot.display())],
    );
    let kept = keep(&shot, "seeds.png");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1600, 900), "{}", kept.display());
    let channels = info.line_size / info.width as usize;
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    for theme in data["themes"].as_array().unwrap() {
        let colour = rgb(theme["colour"].as_str().unwrap());
        let count = pixels.iter().filter(|&&p| p == colour).count();
        assert!(
            count > 200,
            "theme {} ({colour:?}) has {count} pixels in {}",
            theme["label"],
            kept.display()
        );
    }
    let white = pixels.iter().filter(|&&p| p == [255, 255, 255]).count();
    assert!(
        white < pixels.len() * 97 / 100,
        "nearly blank: {}",
        kept.display()
    );
}

#[test]
fn hostile_text_stays_text() {
    require_graphviz();
    let env = Env::new();
    let hostile = "Closing tags </script><script>document.title='pwned'</script><!-- and {{DATA}} \
                   and </SCRIPT > stay text";
    let mut lines = String::new();
    for (source, text) in [
        ("a", hostile),
        ("a", "An ordinary insight about pricing"),
        ("b", "An ordinary insight about pricing"),
        ("b", "Another insight about hiring"),
    ] {
        lines.push_str(&serde_json::json!({"source": source, "text": text}).to_string());
        lines.push('\n');
    }
    let corpus = env.write("corpus.jsonl", lines);
    env.import(&corpus, &[]);
    let (page, html) = render_page(
        &env,
        "graph.html",
        &[
            "--top",
            "0",
            "--title",
            "</title><script>document.title='pwned'</script>",
        ],
    );
    // Four scripts: the data, graphology, sigma.js and the page's own.
    let lower = html.to_ascii_lowercase();
    assert_eq!(lower.matches("<script").count(), 4, "{}", tail(&html));
    assert_eq!(lower.matches("</script").count(), 4);
    assert!(!html.contains("<script>document.title"));
    let data = page_data(&html);
    let texts: Vec<&str> = data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&hostile), "{texts:?}");

    let result = selftest(&env, &page, "pwned");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["nodes"], 3, "{result}");
    assert_eq!(result["matches"].as_array().unwrap().len(), 1, "{result}");
    let dom = chromium(&env, &page, "", &["--dump-dom"]);
    assert!(
        dom.contains(
            "<title>&lt;/title&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;</title>"
        ),
        "the title is text: {}",
        &dom[..dom.len().min(1500)]
    );
}

#[test]
fn the_page_loads_nothing() {
    require_graphviz();
    let env = Env::with_seeds();
    let (_, html) = render_page(&env, "graph.html", &["--top", "0"]);
    // The only URL in the file is in the licence notice of sigma.js (its home page).
    let start = html.find("<!--").unwrap();
    let end = start + html[start..].find("-->").unwrap();
    let notice = &html[start..end];
    assert!(notice.contains("Permission is hereby granted"));
    let outside = format!("{}{}", &html[..start], &html[end..]);
    assert!(!outside.contains("://"), "a URL outside the licence notice");
    assert_eq!(html.matches("<!--").count(), 1);
    // Nothing in the markup (outside scripts and style) refers to another file.
    let mut markup = outside.clone();
    for (open, close) in [("<script", "</script>"), ("<style>", "</style>")] {
        while let Some(a) = markup.find(open) {
            let b = a + markup[a..].find(close).unwrap() + close.len();
            markup.replace_range(a..b, "");
        }
    }
    for attribute in [
        "src=", "href=", "url(", "@import", "<link", "<iframe", "<object", "<embed",
    ] {
        assert!(!markup.contains(attribute), "{attribute} in {markup}");
    }
    // And the browser is told to load nothing, whatever the page's script does.
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"
    ));
    // The vendored libraries' licences travel with them.
    for name in [
        "sigma.js 3.0.3",
        "graphology 0.26.0",
        "events 3.3.0",
        "graphology-utils 2.5.2",
    ] {
        assert!(notice.contains(name), "{name}");
    }
}

#[test]
fn filters_choose_what_the_page_shows_as_for_every_export() {
    require_graphviz();
    let env = Env::with_seeds();
    let central = env.json(&["central", "--top", "1", "--format", "json"]);
    let top_id = central
        .as_array()
        .and_then(|a| a.first())
        .or_else(|| central["results"].as_array().and_then(|a| a.first()))
        .map(|r| r["id"].as_u64().unwrap())
        .expect("central lists an insight");
    let top = top_id.to_string();
    for flags in [
        vec!["--top", "5"],
        vec!["--top", "0"],
        vec!["--community", "0", "--top", "0"],
        vec!["--ego", top.as_str(), "--radius", "1", "--top", "0"],
        vec!["--min-weight", "2", "--top", "12"],
        vec!["--size-by", "betweenness", "--top", "8"],
    ] {
        // Pictures (the page among them) thin dense graphs to a backbone by default; data
        // exports keep every edge: compare them with every edge.
        let flags = [&flags[..], &["--backbone", "none"]].concat();
        let (_, html) = render_page(&env, "f.html", &flags);
        let data = page_data(&html);
        assert_eq!(page_ids(&data), export_ids(&env, &flags), "{flags:?}");
        let json = env.json(&[&["export", "json"][..], &flags].concat());
        let want_edges = json["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "appears_with")
            .count();
        assert_eq!(
            data["edges"].as_array().unwrap().len(),
            want_edges,
            "{flags:?}"
        );
    }
    let (_, html) = render_page(&env, "b.html", &["--size-by", "betweenness", "--top", "8"]);
    assert_eq!(page_data(&html)["size_by"], "betweenness");
}

#[test]
fn insights_sit_where_the_picture_puts_them() {
    require_graphviz();
    let env = Env::with_seeds();
    for flags in [
        vec!["--top", "30"],
        vec!["--top", "0", "--engine", "sfdp", "--labels", "words"],
    ] {
        let (_, html) = render_page(&env, "p.html", &flags);
        let data = page_data(&html);
        let dot = env.ok(&[&["export", "dot"][..], &flags].concat());
        let laid = layout(&dot).unwrap();
        // The layout is kept at 0.01 pt, as for pictures, and read back by Graphviz.
        for node in data["nodes"].as_array().unwrap() {
            let name = format!("n{}", node["id"]);
            let placed = laid.node(&name).unwrap_or_else(|| panic!("{name}"));
            let (x, y) = (node["x"].as_f64().unwrap(), node["y"].as_f64().unwrap());
            assert!(
                (x - placed.centre.x).abs() <= 0.011 && (y - placed.centre.y).abs() <= 0.011,
                "{flags:?} {name}: ({x}, {y}) against ({}, {})",
                placed.centre.x,
                placed.centre.y
            );
            let lines: Vec<&str> = node["label"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l[0].as_str().unwrap())
                .collect();
            let want: Vec<&str> = placed.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(lines, want, "{name}: the label Graphviz drew");
        }
        // The page and the picture share one kept layout: a picture drawn in between (which
        // reuses it) leaves the page's positions as they were.
        let picture = [&["render", "-o", "p.svg"][..], &flags].concat();
        env.ok(&picture);
        let (_, again) = render_page(&env, "p.html", &flags);
        let positions = |data: &Value| -> Vec<(f64, f64)> {
            data["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap()))
                .collect()
        };
        assert_eq!(positions(&page_data(&again)), positions(&data), "{flags:?}");
    }
}

#[test]
fn a_click_lists_the_sources_of_the_insight() {
    require_graphviz();
    let env = Env::with_seeds();
    let (_, html) = render_page(&env, "graph.html", &["--top", "5"]);
    let data = page_data(&html);
    let sources = data["sources"].as_array().unwrap();
    for node in data["nodes"].as_array().unwrap() {
        let listed = node["sources"].as_array().unwrap();
        assert_eq!(
            listed.len() as u64,
            node["n_sources"].as_u64().unwrap(),
            "{node}"
        );
        let shown = env.ok(&["show", &node["id"].to_string()]);
        for s in listed {
            let source = &sources[s.as_u64().unwrap() as usize];
            let file = source["file"].as_str().unwrap();
            assert!(!file.contains('/'), "no folders in a shared page: {file}");
            assert!(
                shown.contains(file),
                "{file} not in `netgraph show`:\n{shown}"
            );
        }
    }
}

#[test]
fn render_html_without_graphviz_keeps_the_dot_and_a_bad_extension_names_html() {
    let env = Env::with_seeds();
    let empty = env.path("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = env
        .cmd()
        .env("PATH", &empty)
        .args(["render", "-o", "graph.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(stderr.contains("graph.dot"), "{stderr}");
    assert!(!env.path("graph.html").exists());
    assert!(std::fs::read_to_string(env.path("graph.dot"))
        .unwrap()
        .starts_with("graph {"));

    let out = env.run(&["render", "-o", "graph.jpeg"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".html"), "{stderr}");
}

/// Above 5,000 insights the page shows the 5,000 most central and says so, on stderr and in
/// the page; it never cuts silently.
#[test]
fn a_page_past_5000_insights_shows_the_most_central_and_says_so() {
    require_graphviz();
    let env = Env::new();
    // A chain of 5,001 insights: source k holds insights k and k+1.
    let mut lines = String::new();
    for k in 0..5_000 {
        for i in [k, k + 1] {
            let line =
                serde_json::json!({"source": format!("s{k}"), "text": format!("insight {i}")});
            lines.push_str(&line.to_string());
            lines.push('\n');
        }
    }
    let corpus = env.write("chain.jsonl", lines);
    env.import(&corpus, &[]);
    let flags = ["--top", "0", "--labels", "none", "--engine", "sfdp"];
    let out = env.run(&[&["render", "-o", "big.html"][..], &flags].concat());
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the page shows the 5000 most central insights"),
        "{stderr}"
    );
    let html = std::fs::read_to_string(env.path("big.html")).unwrap();
    let data = page_data(&html);
    assert_eq!(data["clipped"], 5000);
    assert_eq!(
        page_ids(&data),
        export_ids(&env, &["--top", "5000"]),
        "the 5,000 most central"
    );
    assert!(data["caption"]
        .as_str()
        .unwrap()
        .starts_with("The 5,000 most central of 5,001 insights"));

    // Asking for fewer is not a cut.
    let out = env.run(&["render", "-o", "small.html", "--top", "20"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("most central insights the filters"));
    let html = std::fs::read_to_string(env.path("small.html")).unwrap();
    assert_eq!(page_data(&html)["clipped"], Value::Null);

    // Left to choose, the page of a graph past 5,000 insights opens on the theme map, and
    // its themes hold about 5,000 insights in all.
    let out = env.run(&["render", "-o", "auto.html", "--labels", "none"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(env.path("auto.html")).unwrap();
    let data = page_data(&html);
    let map = data["map"]["nodes"].as_array().unwrap();
    let themes = map.iter().filter(|n| n["community"] != Value::Null).count();
    assert_eq!(themes, 24, "the default theme map");
    assert_eq!(map.last().unwrap()["name"], "Other themes");
    let members: u64 = map.iter().map(|n| n["members"].as_u64().unwrap()).sum();
    assert_eq!(members, 5001, "every insight is in a theme or in other");
    let mut shown = 0;
    for (k, node) in map.iter().enumerate().take(themes) {
        let block = theme_block(&html, k).unwrap();
        let n = block["nodes"].as_array().unwrap().len();
        assert_eq!(n as u64, node["shown"].as_u64().unwrap());
        assert_eq!(n as u64, node["members"].as_u64().unwrap().min(5000 / 24));
        shown += n;
    }
    assert!(shown <= 5000, "{shown}");
}

/// The block of theme `k` (its place in the legend) of a two-level page.
fn theme_block(html: &str, k: usize) -> Option<Value> {
    let open = format!("<script type=\"application/json\" id=\"netgraph-theme-{k}\">");
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    Some(serde_json::from_str(&html[start..end]).unwrap())
}

/// `--level themes` (or a graph past 5,000 insights) gives the two-level page: it opens on
/// the theme map, every theme of `communities` with its size and name; each theme's block
/// holds the view `render --community K` draws; a search lights the theme holding the match,
/// and opening it from the result list draws the theme with the insight selected.
#[test]
fn a_theme_page_opens_on_the_map_and_shows_a_theme_on_a_click() {
    require_graphviz();
    let env = Env::with_seeds();
    let out = env.run(&["render", "-o", "themes.html", "--level", "themes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("theme map of 4 themes"), "{stderr}");
    let page = env.path("themes.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let data = page_data(&html);
    assert!(data.get("nodes").is_none(), "no insight level at the top");
    let map = &data["map"];
    assert_eq!(map["kind"], "themes");

    // The map's themes are the communities, largest first, with their sizes and names.
    let communities = env.json(&["communities", "--format", "json"]);
    let want: Vec<(u64, u64, String)> = communities["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_u64().unwrap(),
                c["size"].as_u64().unwrap(),
                c["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let got: Vec<(u64, u64, String)> = map["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["community"].as_u64().unwrap(),
                n["members"].as_u64().unwrap(),
                n["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // Where `render --level themes` puts them: the same kept layout.
    let dot = env.ok(&["export", "dot", "--level", "themes"]);
    let laid = layout(&dot).unwrap();
    for n in map["nodes"].as_array().unwrap() {
        let placed = laid.node(&format!("t{}", n["community"])).unwrap();
        let (x, y) = (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap());
        assert!(
            (x - placed.centre.x).abs() <= 0.011 && (y - placed.centre.y).abs() <= 0.011,
            "theme {}: ({x}, {y}) against {:?}",
            n["community"],
            placed.centre
        );
    }

    // Each theme's block: the view of `--community K --top N`, the legend entry of the
    // theme, and stubs leading to the other themes on the page.
    let per_theme = (5000 / want.len()).to_string();
    for (k, (community, size, _)) in want.iter().enumerate() {
        let block = theme_block(&html, k).unwrap_or_else(|| panic!("no block for theme {k}"));
        assert_eq!(block["theme"], k);
        let ids = page_ids(&block);
        let community = community.to_string();
        let expected = export_ids(&env, &["--community", &community, "--top", &per_theme]);
        assert_eq!(ids, expected, "theme {community}");
        assert_eq!(ids.len() as u64, *size);
        assert!(block["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["theme"] == k));
        let stubs = block["stubs"].as_array().unwrap();
        assert!(!stubs.is_empty(), "theme {community} links to others");
        for stub in stubs {
            let t = stub["theme"].as_u64().unwrap() as usize;
            assert_eq!(
                map["nodes"][t]["community"], stub["community"],
                "a stub names its legend entry"
            );
        }
    }
    assert!(theme_block(&html, want.len()).is_none());

    // In the browser: the map draws, a search lights the theme of the match, and a click on
    // the match in the list opens its theme with it selected; "All themes" goes back.
    let json = env.json(&["export", "json", "--top", "0"]);
    let iccpo = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["text"].as_str().unwrap_or("").contains("ICCPO"))
        .unwrap()
        .clone();
    let result = selftest(&env, &page, "iccpo");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["level"], "themes", "{result}");
    assert_eq!(result["nodes"], want.len(), "{result}");
    assert!(result["node_pixels"].as_u64().unwrap() > 5_000, "{result}");
    assert!(result["edge_pixels"].as_u64().unwrap() > 500, "{result}");
    assert_eq!(result["labels"], want.len(), "{result}");
    assert_eq!(
        result["matches"],
        serde_json::json!([iccpo["id"]]),
        "{result}"
    );
    assert_eq!(
        result["lit_themes"],
        serde_json::json!([iccpo["community"]]),
        "{result}"
    );
    assert_eq!(result["highlighted"], result["lit_themes"], "{result}");
    assert_eq!(result["search_count"], "1 match in 1 theme", "{result}");
    for probe in result["probes"].as_array().unwrap() {
        let want = if probe["matched"] == true {
            &probe["theme_colour"]
        } else {
            &result["dim_colour"]
        };
        assert_eq!(&probe["drawn"], want, "{result}");
    }
    let opened = &result["opened"];
    assert_eq!(opened["level"], "insights", "{result}");
    assert_eq!(opened["community"], iccpo["community"], "{result}");
    assert_eq!(opened["selected"], iccpo["id"], "{result}");
    assert_eq!(
        opened["highlighted"],
        serde_json::json!([iccpo["id"]]),
        "{result}"
    );
    assert_eq!(opened["details"], true, "{result}");
    assert!(
        opened["sources_listed"].as_u64().unwrap() >= 1,
        "its sources: {result}"
    );
    assert_eq!(opened["back_visible"], true, "{result}");
    assert_eq!(opened["search_count"], "1 match", "{result}");
    assert!(opened["node_pixels"].as_u64().unwrap() > 1_000, "{result}");
    assert_eq!(
        opened["drawn"].as_u64().unwrap(),
        opened["insights"].as_u64().unwrap() + opened["stubs"].as_u64().unwrap(),
        "{result}"
    );
    assert_eq!(result["back"]["level"], "themes", "{result}");
    assert_eq!(result["back"]["nodes"], want.len(), "{result}");
    assert_eq!(result["back"]["back_visible"], false, "{result}");

    // Screenshots of the map and of a theme opened from the fragment.
    for (fragment, name) in [("", "themes.png"), ("theme=0", "theme-0.png")] {
        let shot = env.path(name);
        chromium(
            &env,
            &page,
            fragment,
            &[&format!("--screenshot={}", shot.display())],
        );
        keep(&shot, name);
        assert_eq!(crate::common::png_size(&shot), (1600, 900));
    }
}

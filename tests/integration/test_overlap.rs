//! Pictures a reader can read: no label overlaps another label or a circle, and nothing
//! falls off the canvas. Checked on the coordinates Graphviz computes (`-Tjson`, read by
//! `netgraph::export::layout`) for the seeds, a generated corpus of 1,000 pages at `--top 30`
//! and `--top 60`, the theme map, and every label mode. The same check on a 100,000-page
//! corpus is `#[ignore]`d (it imports for a minute): run it with
//! `cargo test --release --test integration overlap -- --ignored`.

use crate::common::{require_tool, Env};
use netgraph::export::layout::{layout, Layout, Rect};
use std::path::PathBuf;

/// Overlaps smaller than this (square points) are rounding, not a reader's problem.
const SLACK_AREA: f64 = 2.0;

/// Every overlap and overflow in `layout`, described.
fn problems(layout: &Layout) -> Vec<String> {
    let mut found = Vec::new();
    // Circles and label boxes of every node, and the graph label (title, caption, legend).
    let mut items: Vec<(String, Rect)> = Vec::new();
    for node in &layout.nodes {
        if let Some(shape) = node.shape {
            items.push((format!("circle of {}", node.name), shape));
        }
        if let Some(label) = node.label {
            items.push((format!("label of {}", node.name), label));
        }
    }
    if let Some(label) = layout.label {
        items.push(("the legend".into(), label));
    }
    for (what, rect) in &items {
        if !layout.bbox.contains(rect, 0.5) {
            found.push(format!(
                "{what} falls off the canvas: {rect:?} outside {:?}",
                layout.bbox
            ));
        }
    }
    for (i, (a, ra)) in items.iter().enumerate() {
        for (b, rb) in &items[i + 1..] {
            // Lines (edges) may cross labels; circles and labels may not meet at all.
            let area = ra.overlap(rb);
            if area > SLACK_AREA {
                found.push(format!("{a} overlaps {b} ({area:.0} pt²)"));
            }
        }
    }
    found
}

/// Lay out the DOT of `netgraph export dot ARGS` and assert it is clean.
fn assert_readable(env: &Env, args: &[&str], what: &str) -> Layout {
    let mut all = vec!["export", "dot", "-q"];
    all.extend_from_slice(args);
    let dot = env.ok(&all);
    let placed = layout(&dot).unwrap_or_else(|e| panic!("{what}: {e}"));
    let found = problems(&placed);
    assert!(
        found.is_empty(),
        "{what}: {} problems, first: {:#?}",
        found.len(),
        &found[..found.len().min(8)]
    );
    assert!(!placed.nodes.is_empty(), "{what}: nothing drawn");
    placed
}

/// A corpus of `pages` pages written by the repository's generator (examples/gen_corpus.rs,
/// which `cargo test` builds), imported into a fresh database.
fn generated(pages: usize) -> Env {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/integration-… -> target/<profile>/examples/gen_corpus
    let generator: PathBuf = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join("gen_corpus"))
        .unwrap();
    assert!(
        generator.exists(),
        "{} is missing: `cargo test` builds it; with a test filter, run `cargo build --release --examples` first",
        generator.display()
    );
    let env = Env::new();
    let out = env.path("corpus");
    let status = std::process::Command::new(&generator)
        .args(["--pages", &pages.to_string(), "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    env.import(&out, &[]);
    env
}

#[test]
fn seeds_pictures_are_readable_in_every_label_mode() {
    require_tool("dot", &["-V"], "graphviz");
    let env = Env::with_seeds();
    for labels in ["title", "words", "none"] {
        for top in ["30", "60"] {
            assert_readable(
                &env,
                &["--top", top, "--labels", labels],
                &format!("seeds --top {top} --labels {labels}"),
            );
        }
    }
    assert_readable(
        &env,
        &["--top", "12", "--labels", "full"],
        "seeds --labels full",
    );
    assert_readable(&env, &["--level", "themes"], "seeds theme map");
    assert_readable(&env, &["--cluster"], "seeds --cluster");
}

#[test]
fn generated_corpus_pictures_are_readable() {
    require_tool("dot", &["-V"], "graphviz");
    let env = generated(1_000);
    for top in ["30", "60"] {
        assert_readable(&env, &["--top", top], &format!("1,000 pages --top {top}"));
    }
    assert_readable(&env, &["--level", "themes"], "1,000 pages theme map");
}

#[test]
#[ignore = "imports 100,000 generated pages (about a minute): run with --ignored"]
fn hundred_thousand_page_pictures_are_readable() {
    require_tool("dot", &["-V"], "graphviz");
    let env = generated(100_000);
    for top in ["30", "60"] {
        assert_readable(&env, &["--top", top], &format!("100,000 pages --top {top}"));
    }
    assert_readable(&env, &["--level", "themes"], "100,000 pages theme map");
}

#[test]
fn the_check_finds_overlaps_and_overflows() {
    require_tool("dot", &["-V"], "graphviz");
    // Two labelled circles pinned on top of each other: the check must say so.
    let dot = r#"graph { layout=neato; node [shape=circle, fixedsize=shape];
        n1 [pos="0,0!", width=0.5, label="a long label here"];
        n2 [pos="0.2,0.1!", width=0.5, label="another long label"]; }"#;
    let found = problems(&layout(dot).unwrap());
    assert!(
        found
            .iter()
            .any(|p| p.contains("label of n1 overlaps label of n2")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("circle of n1 overlaps circle of n2")),
        "{found:?}"
    );
}

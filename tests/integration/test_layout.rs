//! `netgraph::export::layout`: Graphviz's positions read back for the DOT `render` draws, on
//! the seeds, with every engine and the filters that change what the DOT holds.

use crate::common::{require_graphviz, Env};
use netgraph::export::dot::{to_dot, DotStyle, Engine, LabelMode};
use netgraph::export::layout::{layout, Layout};
use netgraph::export::view::{self, Filters, View, ViewConfig};
use netgraph::store::{OpenMode, Store};

fn view_of(env: &Env, filters: Filters) -> View {
    let mut store = Store::open(&env.db, OpenMode::Existing).unwrap();
    view::build(
        &mut store,
        &ViewConfig {
            filters,
            ..ViewConfig::default()
        },
    )
    .unwrap()
}

/// Every insight and source of the view is placed once, inside the bounding box, and the
/// edges are the view's.
fn check(view: &View, layout: &Layout, what: &str) {
    let mut placed: Vec<u32> = layout
        .nodes
        .iter()
        .filter_map(|n| n.insight())
        .map(|i| i.0)
        .collect();
    placed.sort_unstable();
    let wanted: Vec<u32> = view.nodes.iter().map(|n| n.id.0).collect();
    assert_eq!(placed, wanted, "{what}: insights placed");
    let sources = layout.nodes.iter().filter(|n| n.source().is_some()).count();
    assert_eq!(sources, view.sources.len(), "{what}: sources placed");
    for node in &layout.nodes {
        assert!(
            layout.bbox.contains(&node.rect(), 0.5),
            "{what}: {} at {:?} is outside {:?}",
            node.name,
            node.rect(),
            layout.bbox
        );
        if let Some(label) = node.label {
            assert!(layout.bbox.contains(&label, 1.0), "{what}: {}", node.name);
        }
    }
    let mut edges: Vec<(String, String)> = layout.edges.clone();
    edges.sort();
    let mut want: Vec<(String, String)> = view
        .edges
        .iter()
        .map(|e| (format!("n{}", e.a), format!("n{}", e.b)))
        .chain(
            view.appears_in
                .iter()
                .map(|(i, s)| (format!("n{i}"), format!("s{s}"))),
        )
        .collect();
    want.sort();
    assert_eq!(edges, want, "{what}: edges");
}

#[test]
fn every_insight_of_the_view_is_placed_inside_the_bounding_box() {
    require_graphviz();
    let env = Env::with_seeds();
    let top30 = view_of(&env, Filters::default());
    let all = view_of(
        &env,
        Filters {
            top: None,
            ..Filters::default()
        },
    );
    assert_eq!(all.nodes.len(), 37);
    let sources = view_of(
        &env,
        Filters {
            top: Some(10),
            with_sources: true,
            ..Filters::default()
        },
    );
    for (view, name) in [(&top30, "top 30"), (&all, "all"), (&sources, "sources")] {
        for engine in Engine::ALL {
            let style = DotStyle {
                engine: Some(engine),
                ..DotStyle::default()
            };
            let what = format!("{name}, {}", engine.as_str());
            check(view, &layout(&to_dot(view, &style)).unwrap(), &what);
        }
    }
    let clustered = DotStyle {
        cluster: true,
        labels: LabelMode::Words,
        ..DotStyle::default()
    };
    let laid = layout(&to_dot(&top30, &clustered)).unwrap();
    check(&top30, &laid, "clusters");
    assert_eq!(laid.clusters.len(), top30.themes.len());
    for cluster in &laid.clusters {
        assert!(laid.bbox.contains(&cluster.bbox, 0.5), "{}", cluster.name);
    }
}

#[test]
fn the_layout_is_the_pictures_and_does_not_change_between_runs() {
    require_graphviz();
    let env = Env::with_seeds();
    let view = view_of(&env, Filters::default());
    let dot = to_dot(&view, &DotStyle::default());
    let first = layout(&dot).unwrap();
    assert_eq!(
        first,
        layout(&dot).unwrap(),
        "the DOT's seed fixes the layout"
    );
    // The SVG `render` writes draws each insight's circle where the layout says (inside the
    // group that scales the drawing to the DOT's `size`).
    let svg_path = env.path("graph.svg");
    netgraph::export::render::render(&dot, &svg_path).unwrap();
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&svg, options).unwrap();
    for node in first.nodes.iter().filter(|n| n.insight().is_some()) {
        let group = doc
            .descendants()
            .find(|n| {
                n.attribute("class") == Some("node")
                    && n.children()
                        .any(|c| c.has_tag_name("title") && c.text() == Some(&node.name))
            })
            .unwrap_or_else(|| panic!("{} not in the SVG", node.name));
        let ellipse = group
            .descendants()
            .find(|n| n.has_tag_name("ellipse"))
            .unwrap();
        let cx: f64 = ellipse.attribute("cx").unwrap().parse().unwrap();
        let cy: f64 = ellipse.attribute("cy").unwrap().parse().unwrap();
        // SVG y = -(layout y) inside the group, before the scale; pos has 5 significant
        // digits.
        assert!((cx - node.centre.x).abs() < 0.1, "{}: {cx}", node.name);
        assert!((-cy - node.centre.y).abs() < 0.1, "{}: {cy}", node.name);
    }
}

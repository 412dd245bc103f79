//! Pictures that stay put: layouts kept in the database, known insights pinned after an
//! incremental import, byte-identical pictures from the same database and options, and
//! numbered pictures with their key.

use crate::common::{require_tool, Env};
use netgraph::export::layout::layout;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// The kept positions of every picture: picture -> node -> (x, y).
fn kept(env: &Env) -> BTreeMap<String, BTreeMap<String, (f64, f64)>> {
    let c = Connection::open(&env.db).unwrap();
    let mut stmt = c
        .prepare("SELECT picture, node, x, y FROM layouts")
        .unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, (f64, f64)>> = BTreeMap::new();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
            ))
        })
        .unwrap()
    {
        let (picture, node, x, y) = row.unwrap();
        out.entry(picture).or_default().insert(node, (x, y));
    }
    out
}

#[test]
fn the_same_database_and_options_draw_the_same_svg() {
    require_tool("dot", &["-V"], "graphviz");
    let env = Env::with_seeds();
    for extra in [
        &[][..],
        &["--labels", "number"][..],
        &["--level", "themes"][..],
    ] {
        let mut a = vec!["render", "-o", "a.svg"];
        a.extend_from_slice(extra);
        let mut b = vec!["render", "-o", "b.svg"];
        b.extend_from_slice(extra);
        env.ok(&a);
        env.ok(&b);
        let (a, b) = (
            std::fs::read(env.path("a.svg")).unwrap(),
            std::fs::read(env.path("b.svg")).unwrap(),
        );
        assert!(a == b, "{extra:?}: two renders differ");
    }
}

#[test]
fn known_insights_keep_their_place_after_an_unrelated_import() {
    require_tool("dot", &["-V"], "graphviz");
    let env = Env::with_seeds();
    env.ok(&["render", "-o", "before.svg"]);
    let before = kept(&env);
    assert_eq!(before.len(), 1, "one picture kept");
    let (picture, nodes) = before.iter().next().unwrap();
    assert_eq!(nodes.len(), 30);

    env.write("more/garden.md", "- Gardening teaches patience with slow feedback loops\n- Compost turns kitchen waste into soil over many months\n");
    env.import(&env.path("more"), &[]);
    let out = env.run(&["-v", "render", "-o", "after.svg"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let after = kept(&env);
    let moved: Vec<&String> = nodes
        .iter()
        .filter(|(n, p)| after[picture].get(*n).is_some_and(|q| q != *p))
        .map(|(n, _)| n)
        .collect();
    let still: usize = nodes
        .keys()
        .filter(|n| after[picture].contains_key(*n))
        .count();
    assert!(still >= 28, "{still} of 30 insights still shown");
    assert!(
        moved.is_empty(),
        "moved after an unrelated import: {moved:?}"
    );
    assert!(
        stderr.contains(&format!(
            "layout: {still} of 30 nodes where the last picture put them"
        )),
        "{stderr}"
    );

    // --relayout starts afresh.
    let out = env.run(&["-v", "render", "-o", "fresh.svg", "--relayout"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("layout: 0 of 30 nodes"));
}

/// Regression: theme maps kept their layout in the database but their drawing pass pinned
/// no theme, so after an import the map could be laid out anew.
#[test]
fn theme_maps_pin_every_theme_where_it_was_kept() {
    require_tool("dot", &["-V"], "graphviz");
    let env = Env::with_seeds();
    env.ok(&["render", "-o", "map.svg", "--level", "themes"]);
    env.write("more/garden.md", "- Gardening teaches patience with slow feedback loops\n- Compost turns kitchen waste into soil over many months\n");
    env.import(&env.path("more"), &[]);
    let kept_before = kept(&env);
    let (name, themes) = kept_before.iter().next().unwrap();
    assert!(name.starts_with("themes "), "{name}");
    let mut store =
        netgraph::store::Store::open(&env.db, netgraph::store::OpenMode::Existing).unwrap();
    let map = netgraph::export::theme_map::build(&mut store, &Default::default()).unwrap();
    let picture = netgraph::export::picture::Picture::Themes(map);
    let (drawing, layout) = netgraph::export::draw::draw_kept(
        &mut store,
        &picture,
        &netgraph::export::dot::DotStyle::default(),
        false,
    )
    .unwrap();
    assert_eq!(layout.reused, themes.len(), "every kept theme reused");
    for (node, (x, y)) in themes {
        let line = drawing
            .dot
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{node} [")))
            .unwrap_or_else(|| panic!("{node} not drawn"));
        assert!(
            line.contains(&format!("pos=\"{x:.2},{y:.2}!\"")),
            "{node} not pinned at its kept place: {line}"
        );
    }
}

#[test]
fn a_read_only_database_still_renders_and_keeps_nothing() {
    require_tool("dot", &["-V"], "graphviz");
    let env = Env::with_seeds();
    let mut perms = std::fs::metadata(&env.db).unwrap().permissions();
    env.ok(&["central"]);
    env.ok(&["communities"]);
    perms.set_readonly(true);
    std::fs::set_permissions(&env.db, perms).unwrap();
    let out = env.run(&["-v", "render", "-o", "ro.svg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("positions not kept"));
}

#[test]
fn numbered_pictures_have_a_key_beside_the_graph() {
    require_tool("dot", &["-V"], "graphviz");
    let env = Env::with_seeds();
    let central = env.json(&["central", "--top", "12", "--format", "json"]);
    let rows = central["results"]
        .as_array()
        .or(central.as_array())
        .unwrap()
        .clone();
    // The DOT of the drawing pass, as render hands it to Graphviz.
    let mut store =
        netgraph::store::Store::open(&env.db, netgraph::store::OpenMode::Existing).unwrap();
    let config = netgraph::export::view::ViewConfig {
        filters: netgraph::export::view::Filters {
            top: Some(12),
            ..Default::default()
        },
        ..Default::default()
    };
    let view = netgraph::export::view::build(&mut store, &config).unwrap();
    let picture = netgraph::export::picture::Picture::Insights(view);
    let style = netgraph::export::dot::DotStyle {
        labels: netgraph::export::dot::LabelMode::Number,
        ..Default::default()
    };
    let drawing = netgraph::export::draw::draw(&picture, &style, &[]).unwrap();
    // Circle k holds the number of its rank in `central`.
    for (rank, row) in rows.iter().enumerate() {
        let line = drawing
            .dot
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("n{} ", row["id"])))
            .unwrap();
        assert!(line.contains(&format!("<b>{}</b>", rank + 1)), "{line}");
    }
    // The key lists 1..12 with whole texts (12 insights: auto shows them whole).
    let key = drawing
        .dot
        .lines()
        .find(|l| l.trim_start().starts_with("key "))
        .unwrap();
    for n in 1..=12 {
        assert!(key.contains(&format!("<b>{n}</b>")), "key lacks {n}");
    }
    let first_words: String = rows[0]["text"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        key.contains(&netgraph::export::dot::escape(&first_words)),
        "{first_words}"
    );
    // Beside the graph: right of every circle, no overlap, inside the canvas.
    let placed = layout(&drawing.dot).unwrap();
    let key = placed.node("key").unwrap().rect();
    for node in placed.nodes.iter().filter(|n| n.insight().is_some()) {
        assert!(
            node.rect().x1 < key.x0,
            "{} reaches into the key",
            node.name
        );
    }
    assert!(placed.bbox.contains(&key, 0.5));
    // Titles when asked, or beyond 12 insights.
    let titled = netgraph::export::draw::draw(
        &picture,
        &netgraph::export::dot::DotStyle {
            key: netgraph::export::dot::KeyMode::Title,
            ..style.clone()
        },
        &[],
    )
    .unwrap();
    let key = titled
        .dot
        .lines()
        .find(|l| l.trim_start().starts_with("key "))
        .unwrap();
    assert!(
        !key.contains(&netgraph::export::dot::escape(&first_words)),
        "{key}"
    );
}

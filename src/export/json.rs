//! Node-link JSON in the shape of networkx's `node_link_data` (networkx 3.6 defaults, so
//! `nx.node_link_graph(data)` reads it as is): `{"directed": false, "multigraph": false,
//! "graph": {...}, "nodes": [{"id": 17, ...}], "edges": [{"source": 17, "target": 4,
//! "weight": 2}]}`. networkx 3.6 reads links from the key "edges" (older d3 examples say
//! "links").

use super::dot::short_label;
use super::view::View;
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The node-link document of `view`.
pub fn to_value(view: &View) -> Value {
    let mut nodes: Vec<Value> = view
        .nodes
        .iter()
        .map(|node| {
            let mut o = Map::new();
            o.insert("id".into(), json!(node.id));
            o.insert("kind".into(), json!("insight"));
            o.insert("label".into(), json!(short_label(&node.text).join(" ")));
            o.insert("title".into(), json!(node.title));
            o.insert("text".into(), json!(node.text));
            o.insert("sources".into(), json!(node.sources));
            for (m, score) in view.measures.iter().zip(&node.scores) {
                o.insert(m.as_str().into(), json!(score));
            }
            o.insert("community".into(), json!(node.community));
            o.insert(
                "community_label".into(),
                json!(view.themes[node.theme].label),
            );
            o.insert("colour".into(), json!(view.themes[node.theme].colour));
            Value::Object(o)
        })
        .collect();
    nodes.extend(view.sources.iter().map(
        |s| json!({"id": format!("s{}", s.id), "kind": "source", "label": s.title, "path": s.path}),
    ));
    let mut edges: Vec<Value> = view
        .edges
        .iter()
        .map(|e| json!({"source": e.a, "target": e.b, "kind": "appears_with", "weight": e.weight}))
        .collect();
    edges.extend(
        view.appears_in
            .iter()
            .map(|(i, s)| json!({"source": i, "target": format!("s{s}"), "kind": "appears_in"})),
    );
    json!({
        "directed": false,
        "multigraph": false,
        "graph": {"name": "netgraph", "size_by": view.size_by.as_str()},
        "nodes": nodes,
        "edges": edges,
    })
}

/// Write `view` as pretty node-link JSON.
pub fn write(view: &View, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &to_value(view)).map_err(io::Error::other)?;
    writeln!(w)
}

//! Node-link JSON in the shape of networkx's `node_link_data` (networkx 3.6 defaults, so
//! `nx.node_link_graph(data)` reads it as is): `{"directed": false, "multigraph": false,
//! "graph": {...}, "nodes": [{"id": 17, ...}], "edges": [{"source": 17, "target": 4,
//! "weight": 2}]}`. networkx 3.6 reads links from the key "edges" (older d3 examples say
//! "links").
//!
//! The document is streamed: nodes and edges are serialized one at a time, so writing it
//! takes memory for one element beyond the [`View`] (the whole document as one
//! `serde_json::Value` took 3.5 GB at 2M edges). Keys are written in sorted order, as
//! serde_json's own maps sort them.

use super::dot::short_label;
use super::view::{View, ViewEdge};
use crate::ids::{InsightId, SourceId};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// Write `view` as pretty node-link JSON, one node or edge at a time.
pub fn write(view: &View, w: &mut dyn Write) -> io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    let mut doc = Serializer::serialize_map(&mut ser, Some(5))?;
    doc.serialize_entry("directed", &false)?;
    doc.serialize_entry("edges", &Edges(view))?;
    doc.serialize_entry(
        "graph",
        &match view.backbone {
            None => json!({"name": "netgraph", "size_by": view.size_by.as_str()}),
            Some(b) => json!({
                "name": "netgraph",
                "size_by": view.size_by.as_str(),
                "backbone": b.backbone.flag(),
                "edges_before_backbone": b.edges_before,
            }),
        },
    )?;
    doc.serialize_entry("multigraph", &false)?;
    doc.serialize_entry("nodes", &Nodes(view))?;
    SerializeMap::end(doc)?;
    writeln!(w)
}

/// The `nodes` array: insights, then sources.
struct Nodes<'a>(&'a View);

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut seq = s.serialize_seq(Some(view.nodes.len() + view.sources.len()))?;
        for i in 0..view.nodes.len() {
            seq.serialize_element(&insight_node(view, i))?;
        }
        for source in &view.sources {
            seq.serialize_element(&json!({
                "id": source_node(source.id),
                "kind": "source",
                "label": source.title,
                "path": source.path,
            }))?;
        }
        seq.end()
    }
}

/// Node `i` of `view` as a JSON object. Its keys depend on the kept measures, so it is a map
/// (sorted keys), built for one node at a time.
fn insight_node(view: &View, i: usize) -> Value {
    let node = &view.nodes[i];
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
}

/// The `edges` array: appears-with edges, then appears-in edges to sources.
struct Edges<'a>(&'a View);

/// An appears-with edge; fields in sorted key order.
#[derive(Serialize)]
struct AppearsWith {
    kind: &'static str,
    source: InsightId,
    target: InsightId,
    weight: f64,
}

/// An appears-in edge from an insight to a source node `s<id>`; fields in sorted key order.
#[derive(Serialize)]
struct AppearsIn {
    kind: &'static str,
    source: InsightId,
    target: String,
}

impl Serialize for Edges<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut seq = s.serialize_seq(Some(view.edges.len() + view.appears_in.len()))?;
        for &ViewEdge { a, b, weight } in &view.edges {
            seq.serialize_element(&AppearsWith {
                kind: "appears_with",
                source: a,
                target: b,
                weight,
            })?;
        }
        for &(insight, source) in &view.appears_in {
            seq.serialize_element(&AppearsIn {
                kind: "appears_in",
                source: insight,
                target: source_node(source),
            })?;
        }
        seq.end()
    }
}

fn source_node(id: SourceId) -> String {
    format!("s{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::Measure;
    use crate::export::view::{Filters, Theme, ViewNode};
    use crate::store::sources::SourceNode;

    fn view() -> View {
        let node = |id: u32, text: &str, scores: Vec<f64>| ViewNode {
            id: InsightId(id),
            title: format!("Title {id}"),
            text: text.into(),
            sources: 2,
            score: scores[0],
            scores,
            community: 4,
            theme: 0,
        };
        View {
            nodes: vec![
                node(1, "Customers \"know\" the problem", vec![0.25, 1.0]),
                node(7, "Ship small", vec![0.75, 0.0]),
            ],
            edges: vec![ViewEdge {
                a: InsightId(1),
                b: InsightId(7),
                weight: 2.0,
            }],
            size_by: Measure::PageRank,
            measures: vec![Measure::PageRank, Measure::Betweenness],
            themes: vec![Theme {
                community: Some(4),
                label: "customers, problem".into(),
                colour: "#0072B2",
                shown: 2,
            }],
            sources: vec![SourceNode {
                id: SourceId(3),
                title: "Episode 3".into(),
                path: "pages/3.txt".into(),
            }],
            appears_in: vec![(InsightId(1), SourceId(3)), (InsightId(7), SourceId(3))],
            stubs: Vec::new(),
            sources_total: 1,
            graph_nodes: 2,
            theme_size: None,
            pool: 2,
            filters: Filters::default(),
            backbone: None,
            kept: true,
        }
    }

    /// The streamed document is byte for byte the one `serde_json::to_writer_pretty` made of
    /// the whole document as one value (what netgraph wrote before it streamed).
    #[test]
    fn streamed_document_equals_the_whole_value_pretty_printed() {
        let view = view();
        let node = |n: &ViewNode| {
            json!({
                "id": n.id, "kind": "insight", "label": short_label(&n.text).join(" "),
                "title": n.title,
                "text": n.text, "sources": n.sources, "pagerank": n.scores[0],
                "betweenness": n.scores[1], "community": n.community,
                "community_label": "customers, problem", "colour": "#0072B2",
            })
        };
        let whole = json!({
            "directed": false,
            "multigraph": false,
            "graph": {"name": "netgraph", "size_by": "pagerank"},
            "nodes": [node(&view.nodes[0]), node(&view.nodes[1]),
                      {"id": "s3", "kind": "source", "label": "Episode 3", "path": "pages/3.txt"}],
            "edges": [{"source": 1, "target": 7, "kind": "appears_with", "weight": 2.0},
                      {"source": 1, "target": "s3", "kind": "appears_in"},
                      {"source": 7, "target": "s3", "kind": "appears_in"}],
        });
        let mut want = serde_json::to_vec_pretty(&whole).unwrap();
        want.push(b'\n');
        let mut got = Vec::new();
        write(&view, &mut got).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }

    /// A reader that goes away (`netgraph export json | head`) is still a broken pipe to the
    /// caller, which treats it as success.
    #[test]
    fn a_closed_pipe_stays_a_broken_pipe() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write(&view(), &mut Closed).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}

//! GraphML (<http://graphml.graphdrawing.org/>) as networkx `read_graphml`, Gephi, Cytoscape
//! and yEd read it: node id = insight id; node data label, title, text, sources, the kept
//! centrality scores, community and community_label; edge data weight.
//!
//! With `--with-sources`, sources are extra nodes `s<id>` (kind = source) joined to their
//! insights by edges of kind appears_in.

use super::dot::short_label;
use super::view::View;
use super::{number, xml_escape};
use std::io::{self, Write};

/// The key of an edge's kind, attribute `kind` (a node's kind has key `kind`).
const EDGE_KIND: &str = "edge_kind";

/// Write `view` as GraphML.
pub fn write(view: &View, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    // Key ids are unique across domains, as the GraphML schema requires; a name may be shared
    // (`kind` of nodes and of edges).
    let key = |w: &mut dyn Write, id: &str, for_: &str, ty: &str| {
        let name = id.strip_prefix("edge_").unwrap_or(id);
        writeln!(
            w,
            r#"  <key id="{id}" for="{for_}" attr.name="{name}" attr.type="{ty}"/>"#
        )
    };
    key(w, "kind", "node", "string")?;
    key(w, "label", "node", "string")?;
    key(w, "title", "node", "string")?;
    key(w, "text", "node", "string")?;
    key(w, "sources", "node", "int")?;
    for m in &view.measures {
        key(w, m.as_str(), "node", "double")?;
    }
    key(w, "community", "node", "int")?;
    key(w, "community_label", "node", "string")?;
    key(w, "path", "node", "string")?;
    key(w, EDGE_KIND, "edge", "string")?;
    key(w, "weight", "edge", "double")?;
    writeln!(w, r#"  <graph id="netgraph" edgedefault="undirected">"#)?;
    for node in &view.nodes {
        writeln!(w, r#"    <node id="{}">"#, node.id)?;
        data(w, "kind", "insight")?;
        data(w, "label", &short_label(&node.text).join(" "))?;
        data(w, "title", &node.title)?;
        data(w, "text", &node.text)?;
        data(w, "sources", &node.sources.to_string())?;
        for (m, score) in view.measures.iter().zip(&node.scores) {
            data(w, m.as_str(), &number(*score))?;
        }
        data(w, "community", &node.community.to_string())?;
        data(w, "community_label", &view.themes[node.theme].label)?;
        writeln!(w, "    </node>")?;
    }
    for source in &view.sources {
        writeln!(w, r#"    <node id="s{}">"#, source.id)?;
        data(w, "kind", "source")?;
        data(w, "label", &source.title)?;
        data(w, "path", &source.path)?;
        writeln!(w, "    </node>")?;
    }
    for e in &view.edges {
        writeln!(w, r#"    <edge source="{}" target="{}">"#, e.a, e.b)?;
        data(w, EDGE_KIND, "appears_with")?;
        data(w, "weight", &number(e.weight))?;
        writeln!(w, "    </edge>")?;
    }
    for (insight, source) in &view.appears_in {
        writeln!(w, r#"    <edge source="{insight}" target="s{source}">"#)?;
        data(w, EDGE_KIND, "appears_in")?;
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}

fn data(w: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(w, r#"      <data key="{key}">{}</data>"#, xml_escape(value))
}

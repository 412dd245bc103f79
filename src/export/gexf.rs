//! GEXF 1.3 (<https://gexf.net/>) for Gephi: the GraphML attributes plus `viz:color` (the
//! community colour of the picture) and `viz:size` (diameter proportional to the square root
//! of the score, as in the picture).

use super::dot::short_label;
use super::view::View;
use super::{number, xml_escape};
use std::io::{self, Write};

/// Largest `viz:size`; the top-scoring insight gets it.
const MAX_SIZE: f64 = 50.0;
const MIN_SIZE: f64 = 4.0;

/// Write `view` as GEXF 1.3.
pub fn write(view: &View, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(w, "  <meta>\n    <creator>netgraph</creator>\n    <description>insight co-occurrence graph</description>\n  </meta>")?;
    writeln!(w, r#"  <graph defaultedgetype="undirected" mode="static">"#)?;
    writeln!(w, r#"    <attributes class="node" mode="static">"#)?;
    let attribute = |w: &mut dyn Write, id: &str, ty: &str| {
        writeln!(
            w,
            r#"      <attribute id="{id}" title="{id}" type="{ty}"/>"#
        )
    };
    attribute(w, "kind", "string")?;
    attribute(w, "title", "string")?;
    attribute(w, "text", "string")?;
    attribute(w, "sources", "integer")?;
    for m in &view.measures {
        attribute(w, m.as_str(), "double")?;
    }
    attribute(w, "community", "integer")?;
    attribute(w, "community_label", "string")?;
    writeln!(w, "    </attributes>")?;
    writeln!(w, "    <nodes>")?;
    let max_score = view.nodes.iter().map(|n| n.score).fold(0.0, f64::max);
    for node in &view.nodes {
        writeln!(
            w,
            r#"      <node id="{}" label="{}">"#,
            node.id,
            xml_escape(&short_label(&node.text).join(" "))
        )?;
        writeln!(w, "        <attvalues>")?;
        value(w, "kind", "insight")?;
        value(w, "title", &node.title)?;
        value(w, "text", &node.text)?;
        value(w, "sources", &node.sources.to_string())?;
        for (m, score) in view.measures.iter().zip(&node.scores) {
            value(w, m.as_str(), &number(*score))?;
        }
        value(w, "community", &node.community.to_string())?;
        value(w, "community_label", &view.themes[node.theme].label)?;
        writeln!(w, "        </attvalues>")?;
        let (r, g, b) = rgb(view.themes[node.theme].colour);
        writeln!(w, r#"        <viz:color r="{r}" g="{g}" b="{b}"/>"#)?;
        let share = if max_score > 0.0 {
            node.score / max_score
        } else {
            0.0
        };
        writeln!(
            w,
            r#"        <viz:size value="{:.3}"/>"#,
            MIN_SIZE.max(MAX_SIZE * share.sqrt())
        )?;
        writeln!(w, "      </node>")?;
    }
    for source in &view.sources {
        writeln!(
            w,
            r#"      <node id="s{}" label="{}">"#,
            source.id,
            xml_escape(&source.title)
        )?;
        writeln!(w, "        <attvalues>")?;
        value(w, "kind", "source")?;
        writeln!(w, "        </attvalues>")?;
        writeln!(w, r#"        <viz:color r="154" g="165" b="177"/>"#)?;
        writeln!(w, "      </node>")?;
    }
    writeln!(w, "    </nodes>")?;
    writeln!(w, "    <edges>")?;
    for (i, e) in view.edges.iter().enumerate() {
        writeln!(
            w,
            r#"      <edge id="{i}" source="{}" target="{}" weight="{}"/>"#,
            e.a,
            e.b,
            number(e.weight)
        )?;
    }
    for (i, (insight, source)) in view.appears_in.iter().enumerate() {
        writeln!(
            w,
            r#"      <edge id="{}" source="{insight}" target="s{source}" label="appears_in"/>"#,
            view.edges.len() + i
        )?;
    }
    writeln!(w, "    </edges>")?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")
}

fn value(w: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(
        w,
        r#"          <attvalue for="{key}" value="{}"/>"#,
        xml_escape(value)
    )
}

/// "#RRGGBB" to components.
fn rgb(hex: &str) -> (u8, u8, u8) {
    let c = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    (c(1), c(3), c(5))
}

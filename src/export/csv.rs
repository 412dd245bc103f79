//! CSV files in the header format of `neo4j-admin database import`: typed columns
//! (`sources:int`, `pagerank:double`), `:ID(Insight)` / `:START_ID(Insight)` /
//! `:END_ID(Insight)` id spaces, and `:LABEL` / `:TYPE` columns, so
//!
//! ```text
//! neo4j-admin database import full --nodes=insights.csv --relationships=appears_with.csv \
//!     --multiline-fields=true neo4j
//! ```
//!
//! loads the graph (`--multiline-fields` because an insight's text may hold a line break).
//! Strings are always quoted, a quote doubled.

use super::number;
use super::view::View;
use std::io::{self, Write};

/// The files written, in order: insights, appears_with, and with sources, sources and
/// appears_in.
pub const INSIGHTS: &str = "insights.csv";
pub const APPEARS_WITH: &str = "appears_with.csv";
pub const SOURCES: &str = "sources.csv";
pub const APPEARS_IN: &str = "appears_in.csv";

/// The CSV files of `view` as (file name, contents).
pub fn files(view: &View) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    let mut out = Vec::new();

    let mut w = Vec::new();
    let mut header = vec![
        "insightId:ID(Insight)".to_string(),
        "label".into(),
        "text".into(),
        "sources:int".into(),
    ];
    header.extend(
        view.measures
            .iter()
            .map(|m| format!("{}:double", m.as_str())),
    );
    header.extend([
        "community:int".into(),
        "communityLabel".into(),
        ":LABEL".into(),
    ]);
    writeln!(w, "{}", header.join(","))?;
    for node in &view.nodes {
        let mut row = vec![
            node.id.to_string(),
            quote(&super::dot::short_label(&node.text).join(" ")),
            quote(&node.text),
            node.sources.to_string(),
        ];
        row.extend(node.scores.iter().map(|s| number(*s)));
        row.extend([
            node.community.to_string(),
            quote(&view.themes[node.theme].label),
            "Insight".into(),
        ]);
        writeln!(w, "{}", row.join(","))?;
    }
    out.push((INSIGHTS, w));

    let mut w = Vec::new();
    writeln!(w, ":START_ID(Insight),:END_ID(Insight),weight:int,:TYPE")?;
    for e in &view.edges {
        writeln!(
            w,
            "{},{},{},APPEARS_WITH",
            e.a,
            e.b,
            e.weight.round() as i64
        )?;
    }
    out.push((APPEARS_WITH, w));

    if view.filters.with_sources {
        let mut w = Vec::new();
        writeln!(w, "sourceId:ID(Source),title,path,:LABEL")?;
        for s in &view.sources {
            writeln!(w, "{},{},{},Source", s.id, quote(&s.title), quote(&s.path))?;
        }
        out.push((SOURCES, w));
        let mut w = Vec::new();
        writeln!(w, ":START_ID(Insight),:END_ID(Source),:TYPE")?;
        for (i, s) in &view.appears_in {
            writeln!(w, "{i},{s},APPEARS_IN")?;
        }
        out.push((APPEARS_IN, w));
    }
    Ok(out)
}

fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

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
//! Strings are always quoted, a quote doubled: written by hand because the `csv` crate quotes
//! whole records alike, and a text column must stay quoted even when a text looks like a
//! number, while the numeric columns must not be.

use super::number;
use super::view::View;
use crate::error::{Error, Result};
use std::io::{self, Write};
use std::path::Path;

/// The files written, in order: insights, appears_with, and with sources, sources and
/// appears_in.
pub const INSIGHTS: &str = "insights.csv";
pub const APPEARS_WITH: &str = "appears_with.csv";
pub const SOURCES: &str = "sources.csv";
pub const APPEARS_IN: &str = "appears_in.csv";

/// Write the CSV files of `view` into the folder `dir`, each streamed to disk; returns their
/// names in the order written.
pub fn write_files(view: &View, dir: &Path) -> Result<Vec<&'static str>> {
    let mut names = Vec::new();
    let mut file = |name: &'static str, write: &dyn Fn(&mut dyn Write) -> io::Result<()>| {
        super::write_to(&dir.join(name), write)?;
        names.push(name);
        Ok::<(), Error>(())
    };
    file(INSIGHTS, &|w| insights(view, w))?;
    file(APPEARS_WITH, &|w| appears_with(view, w))?;
    if view.filters.with_sources {
        file(SOURCES, &|w| sources(view, w))?;
        file(APPEARS_IN, &|w| appears_in(view, w))?;
    }
    Ok(names)
}

fn insights(view: &View, w: &mut dyn Write) -> io::Result<()> {
    let mut header = vec![
        "insightId:ID(Insight)".to_string(),
        "label".into(),
        "title".into(),
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
            quote(&node.title),
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
    Ok(())
}

fn appears_with(view: &View, w: &mut dyn Write) -> io::Result<()> {
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
    Ok(())
}

fn sources(view: &View, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "sourceId:ID(Source),title,path,:LABEL")?;
    for s in &view.sources {
        writeln!(w, "{},{},{},Source", s.id, quote(&s.title), quote(&s.path))?;
    }
    Ok(())
}

fn appears_in(view: &View, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, ":START_ID(Insight),:END_ID(Source),:TYPE")?;
    for (i, s) in &view.appears_in {
        writeln!(w, "{i},{s},APPEARS_IN")?;
    }
    Ok(())
}

fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

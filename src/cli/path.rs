//! `netgraph path`: how two insights are connected.

use super::output::{cell, emit, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::algo::path::strongest_shortest_path;
use netgraph::error::{Error, Result};
use netgraph::ids::InsightId;
use netgraph::store::sources::LinkSource;
use netgraph::store::OpenMode;
use serde::Serialize;
use std::io::{self, Write};

/// The shortest chain of insights from A to B, each link with the sources that make it.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The chain has the fewest hops; among chains as short, the one whose links are shared by the most
sources in total; then the one with the lowest insight ids. Exit code 3 when A and B are not
connected.

Examples:
  netgraph path 3 17
  netgraph path \"constant dissatisfaction\" \"customer insight newsletter\"
  netgraph path 3 17 --format json")]
pub struct Args {
    /// First insight: id or a piece of its text.
    #[arg(value_name = "A")]
    from: String,
    /// Second insight: id or a piece of its text.
    #[arg(value_name = "B")]
    to: String,
    /// Output format (csv: one row per link).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct Step {
    id: InsightId,
    text: String,
}

#[derive(Serialize)]
struct Link {
    from: InsightId,
    to: InsightId,
    weight: f64,
    sources: Vec<LinkSource>,
}

#[derive(Serialize)]
struct Chain {
    hops: usize,
    total_weight: f64,
    insights: Vec<Step>,
    links: Vec<Link>,
}

fn source_name(s: &LinkSource) -> String {
    let title = s.title.clone().unwrap_or_default();
    let place = if s.name.is_empty() {
        s.path.clone()
    } else {
        format!("{} [{}]", s.path, s.name)
    };
    if title.is_empty() || title == s.name {
        place
    } else {
        format!("{title} ({place})")
    }
}

impl Report for Chain {
    /// One row per link (CSV).
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("from"),
            Column::number("to"),
            Column::number("weight"),
            Column::text("sources"),
        ])
        .with_rows(self.links.iter().map(|l| {
            let names: Vec<String> = l.sources.iter().map(source_name).collect();
            vec![
                cell(l.from),
                cell(l.to),
                cell(l.weight),
                cell(names.join("; ")),
            ]
        }))
    }

    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(
            w,
            "{} hops, {} shared sources along the way",
            self.hops, self.total_weight
        )?;
        for (i, step) in self.insights.iter().enumerate() {
            writeln!(w, "#{:<6} {}", step.id, step.text)?;
            if let Some(link) = self.links.get(i) {
                let plural = if link.weight == 1.0 { "" } else { "s" };
                writeln!(w, "   |  together in {} source{plural}:", link.weight)?;
                for s in &link.sources {
                    writeln!(w, "   |    {}", source_name(s))?;
                }
            }
        }
        Ok(())
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let (a, b) = (
        store.resolve_insight(&args.from)?,
        store.resolve_insight(&args.to)?,
    );
    let graph = store.load_graph()?;
    let nodes = graph
        .index_of(a)
        .zip(graph.index_of(b))
        .and_then(|(ia, ib)| strongest_shortest_path(&graph, ia, ib))
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no path between #{a} and #{b}: no chain of shared sources connects them"
            ))
        })?;
    let ids: Vec<InsightId> = nodes.iter().map(|&u| graph.id(u)).collect();
    let mut links = Vec::new();
    for pair in nodes.windows(2) {
        let (u, v) = (pair[0], pair[1]);
        let at = graph.neighbors(u).binary_search(&v).ok();
        links.push(Link {
            from: graph.id(u),
            to: graph.id(v),
            weight: at.map_or(0.0, |i| graph.weights(u)[i]),
            sources: store.linking_sources(graph.id(u), graph.id(v))?,
        });
    }
    let insights = store.insight_details(&ids)?;
    let chain = Chain {
        hops: links.len(),
        // From +0.0: an empty sum of floats is -0.0, which printed as "-0" for `path A A`.
        total_weight: links.iter().fold(0.0, |sum, l| sum + l.weight),
        insights: insights
            .into_iter()
            .map(|d| Step {
                id: d.id,
                text: d.text,
            })
            .collect(),
        links,
    };
    emit(args.format, &chain)
}

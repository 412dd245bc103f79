//! `netgraph show`: everything about one insight.

use super::output::{cell, emit, write_table, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::error::Result;
use netgraph::results::{self, InsightResults};
use netgraph::store::edges::Neighbor;
use netgraph::store::insights::{InsightInfo, Variant};
use netgraph::store::sources::Appearance;
use netgraph::store::OpenMode;
use serde::Serialize;
use std::io::{self, Write};

/// One insight: its text, the sources it appears in, its strongest neighbours, its kept
/// centrality scores and its community.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
INSIGHT is an id (12 or #12) or a piece of the text (its words in order); a piece that matches
several insights lists them. Scores and the community are the ones kept by `netgraph central`
and `netgraph communities` for the current graph.

Examples:
  netgraph show 12
  netgraph show \"constant dissatisfaction\"
  netgraph show 12 --neighbors 20 --format json")]
pub struct Args {
    /// Insight id or a piece of its text.
    #[arg(value_name = "INSIGHT")]
    insight: String,
    /// How many of the strongest neighbours to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    neighbors: usize,
    /// How many of the sources it appears in to list (all are counted).
    #[arg(long, default_value_t = 20, value_name = "N")]
    sources: usize,
    /// Output format (csv lists the neighbours only).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    insight: InsightInfo,
    appears_in: Vec<Appearance>,
    neighbors: Vec<Neighbor>,
    variants: Vec<Variant>,
    #[serde(flatten)]
    results: InsightResults,
}

impl Report for Shown {
    /// The strongest neighbours (CSV lists these only).
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("weight"),
            Column::number("id"),
            Column::text("neighbour"),
        ])
        .with_rows(
            self.neighbors
                .iter()
                .map(|n| vec![cell(n.weight), cell(n.id), cell(&n.text)]),
        )
    }

    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        let i = &self.insight;
        let plural = if i.sources == 1 { "" } else { "s" };
        writeln!(
            w,
            "#{}  {} source{plural}, {} neighbours, strength {}",
            i.id, i.sources, i.degree, i.strength
        )?;
        writeln!(w, "{}", i.text)?;
        for v in &self.variants {
            writeln!(w, "  also (merged #{}): {}", v.old_id, v.text)?;
        }
        if (self.appears_in.len() as i64) < i.sources {
            writeln!(
                w,
                "\nappears in (first {} of {} sources; see --sources):",
                self.appears_in.len(),
                i.sources
            )?;
        } else {
            writeln!(w, "\nappears in:")?;
        }
        let places = Table::new(&[
            Column::text("role"),
            Column::text("title"),
            Column::text("file"),
        ])
        .with_rows(self.appears_in.iter().map(|a| {
            let place = if a.name.is_empty() {
                format!("{}:{}", a.path, a.line)
            } else {
                format!("{} [{}]", a.path, a.name)
            };
            vec![
                cell(a.role.as_str()),
                cell(a.title.as_deref().unwrap_or_default()),
                cell(place),
            ]
        }));
        write_table(w, &places)?;
        let neighbours = self.table();
        if !neighbours.is_empty() {
            writeln!(w, "\nstrongest neighbours (weight = shared sources):")?;
            write_table(w, &neighbours)?;
        }
        writeln!(w)?;
        write_results(w, &self.results)
    }
}

fn write_results(w: &mut dyn Write, results: &InsightResults) -> io::Result<()> {
    if results.centrality.is_empty() {
        writeln!(
            w,
            "centrality: none kept for the current graph (run `netgraph central`)"
        )?;
    } else {
        writeln!(w, "centrality:")?;
        for s in &results.centrality {
            writeln!(w, "  {:<12} {:.6}", s.measure.as_str(), s.score)?;
        }
    }
    match &results.community {
        Some(c) => writeln!(
            w,
            "community:  {} \"{}\" ({} insights, {})",
            c.community, c.label, c.size, c.algorithm
        ),
        None => writeln!(
            w,
            "community:  none kept for the current graph (run `netgraph communities`)"
        ),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let id = store.resolve_insight(&args.insight)?;
    let shown = Shown {
        insight: store.insight_info(id)?,
        appears_in: store.appearances(id, args.sources)?,
        neighbors: store.strongest_neighbors(id, args.neighbors)?,
        variants: store.variants(id)?,
        results: results::of_insight(&store, id)?,
    };
    emit(args.format, &shown)
}

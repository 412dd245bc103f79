//! `netgraph stats`: what is in the database.

use super::output::{cell, cut, emit, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::error::Result;
use netgraph::store::insights::InsightRow;
use netgraph::store::{Counts, OpenMode};
use serde::Serialize;
use std::io::{self, Write};

/// Sources, insights, edges, components and the most widespread insights.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  netgraph stats\n  netgraph stats --format json | jq .components"
)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// How many of the most widespread insights to list.
    #[arg(long, default_value_t = 5, value_name = "N")]
    top: usize,
}

#[derive(Serialize)]
struct Stats {
    #[serde(skip)]
    database: String,
    #[serde(flatten)]
    counts: Counts,
    components: usize,
    largest_component: usize,
    isolated_insights: usize,
    most_sources: Vec<InsightRow>,
}

impl Report for Stats {
    /// `key,value` rows (CSV).
    fn table(&self) -> Table {
        let c = &self.counts;
        Table::new(&[Column::text("key"), Column::number("value")]).with_rows(
            [
                ("files", c.files),
                ("sources", c.sources),
                ("insights", c.insights),
                ("occurrences", c.occurrences),
                ("edges", c.edges),
                ("total_weight", c.total_weight),
                ("related_edges", c.related_edges),
                ("components", self.components as i64),
                ("largest_component", self.largest_component as i64),
                ("isolated_insights", self.isolated_insights as i64),
            ]
            .into_iter()
            .map(|(k, v)| vec![cell(k), cell(v)]),
        )
    }

    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        let c = &self.counts;
        writeln!(w, "database           {}", self.database)?;
        writeln!(w, "files              {}", c.files)?;
        writeln!(w, "sources            {}", c.sources)?;
        writeln!(w, "insights           {}", c.insights)?;
        writeln!(w, "occurrences        {}", c.occurrences)?;
        writeln!(
            w,
            "appears-with edges {} (total weight {})",
            c.edges, c.total_weight
        )?;
        writeln!(w, "related-to edges   {}", c.related_edges)?;
        writeln!(
            w,
            "components         {} (largest {} insights, {} isolated)",
            self.components, self.largest_component, self.isolated_insights
        )?;
        let window = c.window.map_or(
            "none (all insights of a source appear together)".to_string(),
            |w| format!("{w} positions"),
        );
        writeln!(w, "window             {window}")?;
        if !self.most_sources.is_empty() {
            writeln!(w, "\nin most sources:")?;
            for i in &self.most_sources {
                writeln!(
                    w,
                    "  {:>4} sources  #{:<6} {}",
                    i.sources,
                    i.id.to_string(),
                    cut(&i.text, 90)
                )?;
            }
        }
        Ok(())
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    // One snapshot: the counts, the graph and the list describe the same state even while an
    // import commits.
    let stats = store.snapshot(|store| {
        let counts = store.counts()?;
        let graph = store.load_graph()?;
        let (components, largest_component) = graph.component_summary();
        Ok(Stats {
            database: store.path().display().to_string(),
            counts,
            components,
            largest_component,
            isolated_insights: (0..graph.node_count() as u32)
                .filter(|&u| graph.degree(u) == 0)
                .count(),
            most_sources: store.most_sourced(args.top)?,
        })
    })?;
    emit(args.format, &stats)
}

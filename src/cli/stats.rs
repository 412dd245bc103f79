//! `netgraph stats`: what is in the database.

use super::output::{print_json, to_stdout, OutputFormat};
use super::Context;
use netgraph::error::Result;
use netgraph::store::read::{Counts, InsightSources};
use netgraph::store::OpenMode;
use serde::Serialize;

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
    #[serde(flatten)]
    counts: Counts,
    components: usize,
    largest_component: usize,
    isolated_insights: usize,
    most_sources: Vec<InsightSources>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let store = ctx.open(OpenMode::Existing)?;
    let counts = store.counts()?;
    let graph = store.load_graph()?;
    let (components, largest_component) = graph.component_summary();
    let isolated_insights = (0..graph.node_count() as u32)
        .filter(|&u| graph.degree(u) == 0)
        .count();
    let stats = Stats {
        counts,
        components,
        largest_component,
        isolated_insights,
        most_sources: store.most_sourced(args.top)?,
    };
    match args.format {
        OutputFormat::Json => print_json(&stats)?,
        OutputFormat::Csv => {
            to_stdout(|w| {
                writeln!(w, "key,value")?;
                let c = &stats.counts;
                for (k, v) in [
                    ("files", c.files),
                    ("sources", c.sources),
                    ("insights", c.insights),
                    ("occurrences", c.occurrences),
                    ("edges", c.edges),
                    ("total_weight", c.total_weight),
                    ("related_edges", c.related_edges),
                    ("components", stats.components as i64),
                    ("largest_component", stats.largest_component as i64),
                    ("isolated_insights", stats.isolated_insights as i64),
                ] {
                    writeln!(w, "{k},{v}")?;
                }
                Ok(())
            })?;
        }
        OutputFormat::Table => to_stdout(|w| {
            let c = &stats.counts;
            writeln!(w, "database           {}", store.path().display())?;
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
                stats.components, stats.largest_component, stats.isolated_insights
            )?;
            writeln!(
                w,
                "window             {}",
                c.window.map_or(
                    "none (all insights of a source appear together)".to_string(),
                    |w| format!("{w} positions")
                )
            )?;
            if !stats.most_sources.is_empty() {
                writeln!(w, "\nin most sources:")?;
                for i in &stats.most_sources {
                    writeln!(
                        w,
                        "  {:>4} sources  #{:<6} {}",
                        i.sources,
                        i.id,
                        super::output::cut(&i.text, 90)
                    )?;
                }
            }
            Ok(())
        })?,
    }
    Ok(0)
}

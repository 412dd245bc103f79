//! `netgraph neighbors`: the insights around one insight.

use super::output::{cell, emit, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::error::{Error, Result};
use netgraph::store::edges::Neighbor;
use netgraph::store::OpenMode;
use serde::Serialize;

/// Insights within D hops of an insight, over appears-with links of weight at least W.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Listed by depth, then link weight (shared sources), heaviest first. `via` is the insight one hop
closer through which each was reached (its heaviest such link).

Examples:
  netgraph neighbors 12
  netgraph neighbors \"constant dissatisfaction\" --depth 2 --min-weight 2
  netgraph neighbors 12 --format json | jq '.[].id'")]
pub struct Args {
    /// Insight id or a piece of its text.
    #[arg(value_name = "INSIGHT")]
    insight: String,
    /// Hops from the insight.
    #[arg(long, default_value_t = 1, value_name = "D", value_parser = clap::value_parser!(u32).range(1..))]
    depth: u32,
    /// Only links shared by at least this many sources.
    #[arg(long, default_value_t = 1, value_name = "W", value_parser = clap::value_parser!(i64).range(1..))]
    min_weight: i64,
    /// Most insights to list (0 = all).
    #[arg(long, default_value_t = 50, value_name = "N")]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

/// The insights reached, by depth; JSON is the bare array.
#[derive(Serialize)]
#[serde(transparent)]
struct Reached(Vec<Neighbor>);

impl Report for Reached {
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("depth"),
            Column::number("id"),
            Column::number("weight"),
            Column::number("via"),
            Column::text("text"),
        ])
        .with_rows(self.0.iter().map(|n| {
            vec![
                cell(n.depth),
                cell(n.id),
                cell(n.weight),
                cell(n.via),
                cell(&n.text),
            ]
        }))
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let id = store.resolve_insight(&args.insight)?;
    let found = store.neighborhood(id, args.depth, args.min_weight, args.limit)?;
    if found.is_empty() {
        let linked = if args.min_weight > 1 {
            format!(" linked by {} or more sources", args.min_weight)
        } else {
            String::new()
        };
        return Err(Error::NotFound(format!(
            "insight #{id} has no neighbours{linked}"
        )));
    }
    emit(args.format, &Reached(found))
}

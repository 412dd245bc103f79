//! `netgraph neighbors`: the insights around one insight.

use super::output::{print_csv, print_json, print_table, Column, OutputFormat};
use super::Context;
use netgraph::error::{Error, Result};
use netgraph::store::OpenMode;

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

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let store = ctx.open(OpenMode::Existing)?;
    let id = store.resolve_insight(&args.insight)?;
    let found = store.neighborhood(id, args.depth, args.min_weight, args.limit)?;
    if found.is_empty() {
        return Err(Error::NotFound(format!(
            "insight #{id} has no neighbours{}",
            if args.min_weight > 1 {
                format!(" linked by {} or more sources", args.min_weight)
            } else {
                String::new()
            }
        )));
    }
    let columns = [
        Column::number("depth"),
        Column::number("id"),
        Column::number("weight"),
        Column::number("via"),
        Column::text("text"),
    ];
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|n| {
            vec![
                n.depth.to_string(),
                n.id.to_string(),
                n.weight.to_string(),
                n.via.to_string(),
                n.text.clone(),
            ]
        })
        .collect();
    match args.format {
        OutputFormat::Json => print_json(&found)?,
        OutputFormat::Csv => print_csv(&columns, &rows)?,
        OutputFormat::Table => print_table(&columns, &rows)?,
    }
    Ok(0)
}

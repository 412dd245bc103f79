//! `netgraph search`: full-text search over insight texts and source titles.

use super::output::{print_csv, print_json, print_table, to_stdout, Column, OutputFormat};
use super::Context;
use netgraph::error::{Error, Result};
use netgraph::store::search::{Highlight, InsightHit, SourceHit};
use netgraph::store::OpenMode;
use serde::Serialize;

/// Find insights (and sources by title) containing all the given words, best match first.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Words are matched whole, ignoring case, accents and word endings (insight = insights); every
word must occur. Quotes and operators are searched as plain words. Matched words are shown
[like this].

Examples:
  netgraph search product leadership
  netgraph search \"don't\" --limit 5
  netgraph search customer --format json | jq '.insights[].id'")]
pub struct Args {
    /// Words to look for.
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    /// Most results of each kind (insights, sources).
    #[arg(long, default_value_t = 10, value_name = "N")]
    limit: usize,
    /// Output format (csv lists the insights only).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct Found {
    query: String,
    insights: Vec<InsightHit>,
    sources: Vec<SourceHit>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let store = ctx.open(OpenMode::Existing)?;
    let query = args.query.join(" ");
    let limit = args.limit.max(1);
    let marks = Highlight::default();
    let found = Found {
        insights: store.search_insights(&query, limit, marks)?,
        sources: store.search_sources(&query, limit, marks)?,
        query,
    };
    if found.insights.is_empty() && found.sources.is_empty() {
        return Err(Error::NotFound(format!(
            "no insight or source title contains all of: {}",
            found.query
        )));
    }
    let columns = [
        Column::number("id"),
        Column::number("sources"),
        Column::text("match"),
    ];
    let rows: Vec<Vec<String>> = found
        .insights
        .iter()
        .map(|h| vec![h.id.to_string(), h.sources.to_string(), h.snippet.clone()])
        .collect();
    match args.format {
        OutputFormat::Json => print_json(&found)?,
        OutputFormat::Csv => print_csv(&columns, &rows)?,
        OutputFormat::Table => {
            if !rows.is_empty() {
                print_table(&columns, &rows)?;
            }
            if !found.sources.is_empty() {
                if !rows.is_empty() {
                    to_stdout(|w| writeln!(w, "\nsources with matching titles:"))?;
                }
                let columns = [
                    Column::number("source"),
                    Column::number("insights"),
                    Column::text("title"),
                    Column::text("path"),
                ];
                let rows: Vec<Vec<String>> = found
                    .sources
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.insights.to_string(),
                            s.title.clone(),
                            s.path.clone(),
                        ]
                    })
                    .collect();
                print_table(&columns, &rows)?;
            }
        }
    }
    Ok(0)
}

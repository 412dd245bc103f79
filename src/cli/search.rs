//! `netgraph search`: full-text search over insight texts and source titles.

use super::output::{cell, emit, write_table, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::error::{Error, Result};
use netgraph::store::search::{Highlight, InsightHit, SourceHit};
use netgraph::store::OpenMode;
use serde::Serialize;
use std::io::{self, Write};

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

impl Report for Found {
    /// The matching insights (CSV lists these only).
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("id"),
            Column::number("sources"),
            Column::text("match"),
        ])
        .with_rows(
            self.insights
                .iter()
                .map(|h| vec![cell(h.id), cell(h.sources), cell(&h.snippet)]),
        )
    }

    /// The insights, then the sources whose titles match.
    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        let insights = self.table();
        if !insights.is_empty() {
            write_table(w, &insights)?;
        }
        if self.sources.is_empty() {
            return Ok(());
        }
        if !insights.is_empty() {
            writeln!(w, "\nsources with matching titles:")?;
        }
        let sources = Table::new(&[
            Column::number("source"),
            Column::number("insights"),
            Column::text("title"),
            Column::text("path"),
        ])
        .with_rows(
            self.sources
                .iter()
                .map(|s| vec![cell(s.id), cell(s.insights), cell(&s.title), cell(&s.path)]),
        );
        write_table(w, &sources)
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
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
    emit(args.format, &found)
}

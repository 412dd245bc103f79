//! `netgraph titles`: the short title of every insight.

use super::output::{cell, emit, note, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::error::Result;
use netgraph::ids::InsightId;
use netgraph::results::{self, TitleKind};
use netgraph::store::OpenMode;
use serde::Serialize;

/// List the short titles pictures use: a person's own (`netgraph title`), or else the key
/// phrase most distinctive of the insight against the corpus.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Automatic titles are RAKE candidate phrases (no stop word at either end, 2-6 words, at most 40
characters) scored by the TF-IDF of their words and how early they come; no two insights share
one. They are kept in the database and refreshed after an import changes the corpus.

Examples:
  netgraph titles
  netgraph titles --format csv > titles.csv     edit, then: netgraph import --titles titles.tsv
  netgraph titles --format json | jq '.[] | select(.kind == \"manual\")'")]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct Row {
    id: InsightId,
    title: String,
    kind: TitleKind,
    text: String,
}

/// Every insight's title; JSON is the bare array.
#[derive(Serialize)]
#[serde(transparent)]
struct Listing(Vec<Row>);

impl Report for Listing {
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("id"),
            Column::text("kind"),
            Column::text("title"),
            Column::text("text"),
        ])
        .with_rows(self.0.iter().map(|r| {
            let kind = match r.kind {
                TitleKind::Manual => "manual",
                TitleKind::Auto => "auto",
            };
            vec![cell(r.id), cell(kind), cell(&r.title), cell(&r.text)]
        }))
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let titles = results::titles(&mut store)?;
    if titles.not_kept {
        note(
            ctx.quiet,
            "netgraph: the database is read-only; titles were computed but not kept",
        );
    }
    let rows = store
        .insight_texts()?
        .into_iter()
        .filter_map(|(id, text)| {
            let t = titles.all().binary_search_by_key(&id, |t| t.id).ok()?;
            let t = &titles.all()[t];
            Some(Row {
                id,
                title: t.title.clone(),
                kind: t.kind,
                text,
            })
        })
        .collect();
    emit(args.format, &Listing(rows))
}

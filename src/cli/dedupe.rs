//! `netgraph dedupe`: near-duplicate insights, listed as a merge plan; merged with `--apply`.

use super::output::{cell, emit, Column, OutputFormat, Report, Table};
use super::Context;
use netgraph::dedupe::{apply, plan, DedupeConfig, Group, Kind, MergeReport};
use netgraph::error::{Error, Result};
use netgraph::store::OpenMode;
use serde::Serialize;
use std::io::{self, Write};

/// Find insights that are nearly the same text (a typo, other punctuation, one truncated) and
/// show the merge plan; `--apply` merges each group into one insight.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Similarity is the Jaccard similarity of 5-character shingles (punctuation and case ignored), or
for a truncated text, the share of its shingles found in the longer one. Candidates come from
MinHash/LSH, then every pair is checked exactly. Without --apply nothing changes.

--apply merges each group into the insight found in most sources (then the longest text, then
the lowest id), in one transaction: occurrences move to it, appears-with weights are recounted
(a source holding two variants counts once), the other texts are kept as variants (shown by
`netgraph show`), and later imports of those texts join the kept insight. To fix merges by hand,
use `netgraph import --thesaurus FILE`.

Examples:
  netgraph dedupe
  netgraph dedupe --threshold 0.9
  netgraph dedupe --apply")]
pub struct Args {
    /// Lowest similarity (0-1] at which two insights are the same.
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    threshold: f64,
    /// Merge the groups listed.
    #[arg(long)]
    apply: bool,
    /// Output format (csv: one row per insight in a group).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct Plan {
    threshold: f64,
    groups: Vec<Group>,
    applied: Option<MergeReport>,
}

impl Report for Plan {
    /// One row per insight in a group (CSV).
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("group"),
            Column::number("keep"),
            Column::number("id"),
            Column::number("sources"),
            Column::number("similarity"),
            Column::text("text"),
        ])
        .with_rows(self.groups.iter().enumerate().flat_map(|(n, g)| {
            g.members.iter().map(move |m| {
                vec![
                    cell(n + 1),
                    cell(g.keep),
                    cell(m.id),
                    cell(m.sources),
                    cell(format!("{:.3}", g.similarity)),
                    cell(&m.text),
                ]
            })
        }))
    }

    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        if self.groups.is_empty() {
            return writeln!(
                w,
                "no near-duplicate insights at similarity {}",
                self.threshold
            );
        }
        for (n, g) in self.groups.iter().enumerate() {
            let kind = match g.kind {
                Kind::Similar => "near-identical",
                Kind::Truncated => "includes a truncation",
            };
            writeln!(w, "group {}: similarity {:.3}, {kind}", n + 1, g.similarity)?;
            for m in &g.members {
                let action = if m.id == g.keep { "keep " } else { "merge" };
                let plural = if m.sources == 1 { "" } else { "s" };
                writeln!(
                    w,
                    "  {action} #{:<6} {:>3} source{plural:<1}  {}",
                    m.id, m.sources, m.text
                )?;
            }
        }
        let merged: usize = self.groups.iter().map(|g| g.members.len() - 1).sum();
        match &self.applied {
            None => writeln!(
                w,
                "\n{} groups: {merged} insights would be merged. Nothing changed; run with --apply to merge.",
                self.groups.len()
            ),
            Some(r) => writeln!(
                w,
                "\nmerged {} insights in {} groups ({} occurrences moved, {} sources relinked); appears-with edges {} -> {}",
                r.insights_merged, r.groups, r.occurrences_moved, r.sources_relinked, r.edges_before, r.edges_after
            ),
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    if store.counts()?.insights == 0 {
        return Err(Error::EmptyGraph);
    }
    let config = DedupeConfig {
        threshold: args.threshold,
        ..DedupeConfig::default()
    };
    let groups = plan(&store, &config)?;
    let applied = if args.apply && !groups.is_empty() {
        Some(apply(&mut store, &groups, &config)?)
    } else {
        None
    };
    let plan = Plan {
        threshold: args.threshold,
        groups,
        applied,
    };
    emit(args.format, &plan)
}

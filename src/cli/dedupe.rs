//! `netgraph dedupe`: near-duplicate insights, listed as a merge plan; merged with `--apply`.

use super::output::{print_csv, print_json, to_stdout, Column, OutputFormat};
use super::Context;
use netgraph::dedupe::{apply, plan, DedupeConfig, Group};
use netgraph::error::{Error, Result};
use netgraph::store::merge::MergeReport;
use netgraph::store::OpenMode;
use serde::Serialize;

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
struct Report {
    threshold: f64,
    groups: Vec<Group>,
    applied: Option<MergeReport>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
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
    let report = Report {
        threshold: args.threshold,
        groups,
        applied,
    };
    match args.format {
        OutputFormat::Json => print_json(&report)?,
        OutputFormat::Csv => {
            let columns = [
                Column::number("group"),
                Column::number("keep"),
                Column::number("id"),
                Column::number("sources"),
                Column::number("similarity"),
                Column::text("text"),
            ];
            let rows: Vec<Vec<String>> = report
                .groups
                .iter()
                .enumerate()
                .flat_map(|(n, g)| {
                    g.members.iter().map(move |m| {
                        vec![
                            (n + 1).to_string(),
                            g.keep.to_string(),
                            m.id.to_string(),
                            m.sources.to_string(),
                            format!("{:.3}", g.similarity),
                            m.text.clone(),
                        ]
                    })
                })
                .collect();
            print_csv(&columns, &rows)?;
        }
        OutputFormat::Table => to_stdout(|w| {
            if report.groups.is_empty() {
                return writeln!(
                    w,
                    "no near-duplicate insights at similarity {}",
                    args.threshold
                );
            }
            for (n, g) in report.groups.iter().enumerate() {
                let kind = match g.kind {
                    netgraph::dedupe::Kind::Similar => "near-identical",
                    netgraph::dedupe::Kind::Truncated => "includes a truncation",
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
            let merged: usize = report.groups.iter().map(|g| g.members.len() - 1).sum();
            match &report.applied {
                None => writeln!(
                    w,
                    "\n{} groups: {merged} insights would be merged. Nothing changed; run with --apply to merge.",
                    report.groups.len()
                ),
                Some(r) => writeln!(
                    w,
                    "\nmerged {} insights in {} groups ({} occurrences moved, {} sources relinked); appears-with edges {} -> {}",
                    r.insights_merged, r.groups, r.occurrences_moved, r.sources_relinked, r.edges_before, r.edges_after
                ),
            }
        })?,
    }
    Ok(0)
}

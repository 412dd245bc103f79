//! `netgraph show`: everything about one insight.

use super::output::{print_csv, print_json, print_table, to_stdout, Column, OutputFormat};
use super::Context;
use netgraph::error::Result;
use netgraph::store::explore::{
    Appearance, InsightInfo, KeptCommunity, KeptScore, Neighbor, Variant,
};
use netgraph::store::OpenMode;
use serde::Serialize;

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
    centrality: Vec<KeptScore>,
    community: Option<KeptCommunity>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let store = ctx.open(OpenMode::Existing)?;
    let id = store.resolve_insight(&args.insight)?;
    let shown = Shown {
        insight: store.insight_info(id)?,
        appears_in: store.appearances(id, args.sources)?,
        neighbors: store.strongest_neighbors(id, args.neighbors)?,
        variants: store.variants(id)?,
        centrality: store.kept_scores_of(id)?,
        community: store.kept_community_of(id)?,
    };
    let neighbor_columns = [
        Column::number("weight"),
        Column::number("id"),
        Column::text("neighbour"),
    ];
    let neighbor_rows: Vec<Vec<String>> = shown
        .neighbors
        .iter()
        .map(|n| vec![n.weight.to_string(), n.id.to_string(), n.text.clone()])
        .collect();
    match args.format {
        OutputFormat::Json => return print_json(&shown).map(|_| 0),
        OutputFormat::Csv => return print_csv(&neighbor_columns, &neighbor_rows).map(|_| 0),
        OutputFormat::Table => {}
    }
    let i = &shown.insight;
    to_stdout(|w| {
        writeln!(
            w,
            "#{}  {} source{}, {} neighbours, strength {}",
            i.id,
            i.sources,
            if i.sources == 1 { "" } else { "s" },
            i.degree,
            i.strength
        )?;
        writeln!(w, "{}", i.text)?;
        for v in &shown.variants {
            writeln!(w, "  also (merged #{}): {}", v.old_id, v.text)?;
        }
        if (shown.appears_in.len() as i64) < i.sources {
            writeln!(
                w,
                "\nappears in (first {} of {} sources; see --sources):",
                shown.appears_in.len(),
                i.sources
            )
        } else {
            writeln!(w, "\nappears in:")
        }
    })?;
    let rows: Vec<Vec<String>> = shown
        .appears_in
        .iter()
        .map(|a| {
            let place = if a.name.is_empty() {
                format!("{}:{}", a.path, a.line)
            } else {
                format!("{} [{}]", a.path, a.name)
            };
            vec![a.role.clone(), a.title.clone().unwrap_or_default(), place]
        })
        .collect();
    print_table(
        &[
            Column::text("role"),
            Column::text("title"),
            Column::text("file"),
        ],
        &rows,
    )?;
    if !neighbor_rows.is_empty() {
        to_stdout(|w| writeln!(w, "\nstrongest neighbours (weight = shared sources):"))?;
        print_table(&neighbor_columns, &neighbor_rows)?;
    }
    to_stdout(|w| {
        writeln!(w)?;
        if shown.centrality.is_empty() {
            writeln!(
                w,
                "centrality: none kept for the current graph (run `netgraph central`)"
            )?;
        } else {
            writeln!(w, "centrality:")?;
            for s in &shown.centrality {
                writeln!(w, "  {:<12} {:.6}", s.measure, s.score)?;
            }
        }
        match &shown.community {
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
    })?;
    Ok(0)
}

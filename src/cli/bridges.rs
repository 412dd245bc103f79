//! `netgraph bridges`: insights that join themes, and themes that barely meet.

use super::output::{note, print_csv, print_json, print_table, to_stdout, Column, OutputFormat};
use super::Context;
use netgraph::algo::bridges::{bridges, gaps};
use netgraph::analysis::centrality::{centrality, kept_scores, CentralityConfig, Measure};
use netgraph::analysis::communities::{communities, kept_partition, CommunityConfig};
use netgraph::error::{Error, Result};
use netgraph::store::OpenMode;
use serde::Serialize;
use std::collections::HashMap;

/// Bridges between communities (participation coefficient with betweenness) and the gaps: pairs
/// of large communities linked far less than chance predicts.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Participation P = 1 - sum over communities s of (k_is / k_i)^2 (Guimera & Amaral 2005), with k the
co-occurrence weights: 0 when all of an insight's links stay in its community, towards 1 when
they spread evenly over many. Bridges are ranked by P x betweenness / max betweenness.
A gap's ratio is the weight between two communities over the weight expected from their total
strengths (K_a K_b / 2m): 0 = never in the same source, 1 = as often as chance.
Uses the communities and betweenness kept by `netgraph communities` / `netgraph central`, and
computes (and keeps) them with the defaults when there are none for the current graph.

Examples:
  netgraph bridges
  netgraph bridges --top 20 --min-size 10
  netgraph bridges --format json | jq '.gaps[0]'")]
pub struct Args {
    /// How many bridges and gaps to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// Gaps only between communities of at least this many insights.
    #[arg(long, default_value_t = 5, value_name = "S")]
    min_size: usize,
    /// Output format (csv lists the bridges only).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct BridgeRow {
    id: i64,
    participation: f64,
    betweenness: f64,
    score: f64,
    communities_reached: usize,
    community: u32,
    text: String,
}

#[derive(Serialize)]
struct CommunityRef {
    id: u32,
    size: usize,
    label: String,
}

#[derive(Serialize)]
struct GapRow {
    a: CommunityRef,
    b: CommunityRef,
    weight: f64,
    expected: f64,
    ratio: f64,
    /// The heaviest existing link between the two: [insight in a, insight in b, weight].
    closest: Option<(i64, i64, f64)>,
}

#[derive(Serialize)]
struct Report {
    bridges: Vec<BridgeRow>,
    gaps: Vec<GapRow>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let graph = store.load_graph()?;
    if graph.is_empty() {
        return Err(Error::EmptyGraph);
    }
    let partition = match kept_partition(&store, &graph)? {
        Some(p) => p,
        None => {
            note(
                ctx.quiet,
                "netgraph: no communities kept for this graph; computing them (Leiden, defaults)",
            );
            communities(&mut store, &graph, &CommunityConfig::default())?
        }
    };
    let betweenness = match kept_scores(&store, &graph, Measure::Betweenness)? {
        Some(s) => s,
        None => {
            note(
                ctx.quiet,
                "netgraph: no betweenness kept for this graph; computing it (defaults)",
            );
            centrality(
                &mut store,
                &graph,
                &CentralityConfig::new(Measure::Betweenness),
            )?
        }
    };
    let membership = &partition.membership;
    let info: HashMap<u32, (usize, String)> = partition
        .communities
        .iter()
        .map(|c| (c.id, (c.size, c.label.clone())))
        .collect();
    let community = |c: u32| {
        let (size, label) = info.get(&c).cloned().unwrap_or_default();
        CommunityRef { id: c, size, label }
    };
    let ranked = bridges(&graph, membership, &betweenness.values);
    let ids: Vec<i64> = ranked
        .iter()
        .take(args.top)
        .map(|b| graph.id(b.node))
        .collect();
    let details = store.insight_details(&ids)?;
    let report = Report {
        bridges: ranked
            .iter()
            .zip(details)
            .map(|(b, d)| BridgeRow {
                id: d.id,
                participation: b.participation,
                betweenness: b.betweenness,
                score: b.score,
                communities_reached: b.communities,
                community: membership[b.node as usize],
                text: d.text,
            })
            .collect(),
        gaps: gaps(&graph, membership, args.min_size)
            .into_iter()
            .take(args.top)
            .map(|g| GapRow {
                a: community(g.a),
                b: community(g.b),
                weight: g.weight,
                expected: g.expected,
                ratio: g.ratio,
                closest: g.closest.map(|(x, y, w)| (graph.id(x), graph.id(y), w)),
            })
            .collect(),
    };
    if report.bridges.is_empty() && report.gaps.is_empty() {
        return Err(Error::NotFound(format!(
            "no bridges or gaps: {} communities, none of whose insights link to another{}",
            partition.communities.len(),
            if partition.communities.len() > 1 {
                format!(
                    " (gaps need communities of at least {} insights; see --min-size)",
                    args.min_size
                )
            } else {
                String::new()
            }
        )));
    }
    let columns = [
        Column::number("id"),
        Column::number("P"),
        Column::number("betweenness"),
        Column::number("reach"),
        Column::number("community"),
        Column::text("text"),
    ];
    let rows: Vec<Vec<String>> = report
        .bridges
        .iter()
        .map(|b| {
            vec![
                b.id.to_string(),
                format!("{:.3}", b.participation),
                format!("{:.2}", b.betweenness),
                b.communities_reached.to_string(),
                b.community.to_string(),
                b.text.clone(),
            ]
        })
        .collect();
    match args.format {
        OutputFormat::Json => print_json(&report)?,
        OutputFormat::Csv => print_csv(&columns, &rows)?,
        OutputFormat::Table => {
            if rows.is_empty() {
                to_stdout(|w| writeln!(w, "bridges: no insight links two communities"))?;
            } else {
                to_stdout(|w| {
                    writeln!(w, "bridges (P: share of links spread over communities; reach: communities linked):")
                })?;
                print_table(&columns, &rows)?;
            }
            to_stdout(|w| {
                writeln!(
                    w,
                    "\ngaps between communities of {}+ insights (ratio: linked / expected):",
                    args.min_size
                )
            })?;
            if report.gaps.is_empty() {
                to_stdout(|w| {
                    writeln!(
                        w,
                        "  none: fewer than two communities that large (see --min-size)"
                    )
                })?;
            } else {
                let rows: Vec<Vec<String>> = report
                    .gaps
                    .iter()
                    .map(|g| {
                        vec![
                            format!("{:.3}", g.ratio),
                            format!("{}", g.weight),
                            format!("{:.1}", g.expected),
                            g.closest
                                .map_or("-".into(), |(x, y, w)| format!("#{x}-#{y} ({w})")),
                            format!(
                                "{} \"{}\" ({}) / {} \"{}\" ({})",
                                g.a.id, g.a.label, g.a.size, g.b.id, g.b.label, g.b.size
                            ),
                        ]
                    })
                    .collect();
                print_table(
                    &[
                        Column::number("ratio"),
                        Column::number("weight"),
                        Column::number("expected"),
                        Column::text("closest link"),
                        Column::text("communities"),
                    ],
                    &rows,
                )?;
            }
        }
    }
    Ok(0)
}

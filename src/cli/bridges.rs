//! `netgraph bridges`: insights that join themes, and themes that barely meet.

use super::output::{
    cell, emit, note, note_unkept, write_table, Column, OutputFormat, Report, Table,
};
use super::Context;
use netgraph::algo::bridges::{bridges, gaps};
use netgraph::algo::centrality::{CentralityConfig, Measure};
use netgraph::algo::community::{Algorithm, CommunityConfig};
use netgraph::error::{Error, Result};
use netgraph::graph::InsightGraph;
use netgraph::ids::InsightId;
use netgraph::results::{self, Partition, Reuse};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

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
    id: InsightId,
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
    closest: Option<(InsightId, InsightId, f64)>,
}

#[derive(Serialize)]
struct Bridges {
    bridges: Vec<BridgeRow>,
    gaps: Vec<GapRow>,
    #[serde(skip)]
    min_size: usize,
}

impl Report for Bridges {
    /// The bridges (CSV lists these only).
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("id"),
            Column::number("P"),
            Column::number("betweenness"),
            Column::number("reach"),
            Column::number("community"),
            Column::text("text"),
        ])
        .with_rows(self.bridges.iter().map(|b| {
            vec![
                cell(b.id),
                cell(format!("{:.3}", b.participation)),
                cell(format!("{:.2}", b.betweenness)),
                cell(b.communities_reached),
                cell(b.community),
                cell(&b.text),
            ]
        }))
    }

    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        if self.bridges.is_empty() {
            writeln!(w, "bridges: no insight links two communities")?;
        } else {
            writeln!(
                w,
                "bridges (P: share of links spread over communities; reach: communities linked):"
            )?;
            write_table(w, &self.table())?;
        }
        writeln!(
            w,
            "\ngaps between communities of {}+ insights (ratio: linked / expected):",
            self.min_size
        )?;
        if self.gaps.is_empty() {
            return writeln!(
                w,
                "  none: fewer than two communities that large (see --min-size)"
            );
        }
        let gaps = Table::new(&[
            Column::number("ratio"),
            Column::number("weight"),
            Column::number("expected"),
            Column::text("closest link"),
            Column::text("communities"),
        ])
        .with_rows(self.gaps.iter().map(|g| {
            vec![
                cell(format!("{:.3}", g.ratio)),
                cell(g.weight),
                cell(format!("{:.1}", g.expected)),
                cell(
                    g.closest
                        .map_or("-".into(), |(x, y, w)| format!("#{x}-#{y} ({w})")),
                ),
                cell(format!(
                    "{} \"{}\" ({}) / {} \"{}\" ({})",
                    g.a.id, g.a.label, g.a.size, g.b.id, g.b.label, g.b.size
                )),
            ]
        }));
        write_table(w, &gaps)
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (mut store, graph) = ctx.open_graph()?;
    if graph.is_empty() {
        return Err(Error::EmptyGraph);
    }
    // What the user last computed for this graph; the defaults (computed and kept) otherwise.
    let any = Reuse::AnyParameters;
    let leiden = CommunityConfig::for_graph(Algorithm::Leiden, graph.node_count());
    let partition = results::partition(&mut store, &graph, &leiden, any)?;
    if !partition.reused {
        note(
            ctx.quiet,
            "netgraph: no communities kept for this graph; computed them (Leiden, defaults)",
        );
    }
    let exact = CentralityConfig::new(Measure::Betweenness);
    let betweenness = results::scores(&mut store, &graph, &exact, any)?;
    if !betweenness.reused {
        note(
            ctx.quiet,
            "netgraph: no betweenness kept for this graph; computed it (defaults)",
        );
    }
    note_unkept(ctx.quiet, partition.kept && betweenness.kept);
    let ranked = bridges(&graph, &partition.membership, &betweenness.values);
    let ids: Vec<InsightId> = ranked
        .iter()
        .take(args.top)
        .map(|b| graph.id(b.node))
        .collect();
    let report = Bridges {
        bridges: ranked
            .iter()
            .zip(store.insight_details(&ids)?)
            .map(|(b, d)| BridgeRow {
                id: d.id,
                participation: b.participation,
                betweenness: b.betweenness,
                score: b.score,
                communities_reached: b.communities,
                community: partition.membership[b.node as usize],
                text: d.text,
            })
            .collect(),
        gaps: gap_rows(&graph, &partition, args.min_size, args.top),
        min_size: args.min_size,
    };
    if report.bridges.is_empty() && report.gaps.is_empty() {
        return Err(nothing_found(&partition, args.min_size));
    }
    emit(args.format, &report)
}

/// The `top` widest gaps between communities of at least `min_size` insights.
fn gap_rows(
    graph: &InsightGraph,
    partition: &Partition,
    min_size: usize,
    top: usize,
) -> Vec<GapRow> {
    let info: HashMap<u32, (usize, String)> = partition
        .communities
        .iter()
        .map(|c| (c.id, (c.size, c.label.clone())))
        .collect();
    let community = |c: u32| {
        let (size, label) = info.get(&c).cloned().unwrap_or_default();
        CommunityRef { id: c, size, label }
    };
    gaps(graph, &partition.membership, min_size)
        .into_iter()
        .take(top)
        .map(|g| GapRow {
            a: community(g.a),
            b: community(g.b),
            weight: g.weight,
            expected: g.expected,
            ratio: g.ratio,
            closest: g.closest.map(|(x, y, w)| (graph.id(x), graph.id(y), w)),
        })
        .collect()
}

fn nothing_found(partition: &Partition, min_size: usize) -> Error {
    let count = partition.communities.len();
    let hint = if count > 1 {
        format!(" (gaps need communities of at least {min_size} insights; see --min-size)")
    } else {
        String::new()
    };
    Error::NotFound(format!(
        "no bridges or gaps: {count} communities, none of whose insights link to another{hint}"
    ))
}

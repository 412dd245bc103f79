//! `netgraph central`: the most central insights by one measure.

use super::output::{cell, emit, note, note_unkept, Cell, Column, OutputFormat, Report, Table};
use super::{names, Context};
use netgraph::algo::centrality::{CentralityConfig, Distance, Measure};
use netgraph::error::{Error, Result};
use netgraph::ids::InsightId;
use netgraph::results::{self, Reuse};
use serde::Serialize;

/// Rank insights by PageRank, betweenness, closeness, eigenvector, degree or strength.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Measures (networkx 3.x definitions on the appears-with graph):\n  \
    pagerank     random walk along shared sources (default)\n  \
    betweenness  share of shortest paths through the insight (hops, or --distance inverse)\n  \
    closeness    nearness to the reachable insights (Wasserman-Faust for disconnected graphs)\n  \
    eigenvector  connected to well-connected insights (weighted)\n  \
    degree       number of insights it appears with\n  \
    strength     sum of shared sources with them\n\n\
Scores are kept in the database and reused until an import changes the graph.\n\n\
Examples:\n  \
    netgraph central --top 10\n  \
    netgraph central --top 0 --format csv > all-scores.csv\n  \
    netgraph central --by betweenness --samples 1000 --seed 7\n  \
    netgraph central --by betweenness --distance inverse --format csv > bridges.csv\n  \
    netgraph central --by eigenvector --top 1000 --format json | jq '.[0]'"
)]
pub struct Args {
    /// The measure.
    #[arg(long, default_value = "pagerank", value_name = "MEASURE", ignore_case = true,
          value_parser = names::<Measure>(&Measure::NAMES))]
    by: Measure,
    /// How many insights to list, best first (0 = all).
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Betweenness: estimate from K random source insights (Brandes-Pich pivots).
    #[arg(long, value_name = "K")]
    samples: Option<usize>,
    /// Betweenness: seed of the --samples draw.
    #[arg(long, value_name = "S", requires = "samples")]
    seed: Option<u64>,
    /// Betweenness: path length in hops, or 1/weight (inverse) so shared sources shorten
    /// paths.
    #[arg(long, value_name = "KIND", value_parser = names::<Distance>(&["hops", "inverse"]))]
    distance: Option<Distance>,
    /// PageRank: damping factor in (0, 1].
    #[arg(long, value_name = "A")]
    alpha: Option<f64>,
    /// PageRank, eigenvector: give up after this many iterations (the output says so).
    #[arg(long, value_name = "N")]
    max_iterations: Option<usize>,
    /// Compute again even if kept scores match the graph.
    #[arg(long)]
    recompute: bool,
}

impl Args {
    /// The flags as one validated config: a flag that does not apply to the measure is an
    /// error, not silently ignored.
    fn config(&self) -> Result<CentralityConfig> {
        let by = self.by;
        let only = |flag: &str, given: bool, measures: &[Measure]| -> Result<()> {
            if !given || measures.contains(&by) {
                return Ok(());
            }
            let names: Vec<&str> = measures.iter().map(|m| m.as_str()).collect();
            Err(Error::InvalidInput(format!(
                "{flag} applies to --by {} only",
                names.join(" or ")
            )))
        };
        only("--samples", self.samples.is_some(), &[Measure::Betweenness])?;
        only(
            "--distance",
            self.distance.is_some(),
            &[Measure::Betweenness],
        )?;
        only("--alpha", self.alpha.is_some(), &[Measure::PageRank])?;
        let iterated = [Measure::PageRank, Measure::Eigenvector];
        only("--max-iterations", self.max_iterations.is_some(), &iterated)?;
        let mut config = CentralityConfig::new(by);
        match &mut config {
            CentralityConfig::PageRank(p) => {
                p.alpha = self.alpha.unwrap_or(p.alpha);
                p.max_iterations = self.max_iterations.unwrap_or(p.max_iterations);
            }
            CentralityConfig::Eigenvector(e) => {
                e.max_iterations = self.max_iterations.unwrap_or(e.max_iterations);
            }
            CentralityConfig::Betweenness(b) => {
                b.samples = self.samples;
                b.seed = self.seed.unwrap_or(b.seed);
                b.distance = self.distance.unwrap_or(b.distance);
            }
            _ => {}
        }
        Ok(config)
    }
}

/// One ranked insight.
#[derive(Serialize)]
struct Row {
    rank: usize,
    id: InsightId,
    score: f64,
    degree: usize,
    sources: i64,
    text: String,
}

/// The ranking, best first; JSON is the bare array.
#[derive(Serialize)]
#[serde(transparent)]
struct Ranking(Vec<Row>);

impl Report for Ranking {
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("rank"),
            Column::number("id"),
            Column::number("score"),
            Column::number("degree"),
            Column::number("sources"),
            Column::text("text"),
        ])
        .with_rows(self.0.iter().map(|r| {
            vec![
                cell(r.rank),
                cell(r.id),
                Cell::Score(r.score),
                cell(r.degree),
                cell(r.sources),
                cell(&r.text),
            ]
        }))
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let config = args.config()?;
    let reuse = if args.recompute {
        Reuse::Never
    } else {
        Reuse::SameParameters
    };
    let (mut store, graph) = ctx.open_graph()?;
    let scores = results::scores(&mut store, &graph, &config, reuse)?;
    note_unkept(ctx.quiet, scores.kept);
    if let Some(text) = &scores.note {
        note(ctx.quiet, format!("note ({}): {text}", scores.measure));
    }
    if ctx.verbose && scores.reused {
        note(ctx.quiet, format!("note: kept {} scores reused (the graph is unchanged; --recompute to compute again)", scores.measure));
    }
    let top = if args.top == 0 { usize::MAX } else { args.top };
    let nodes: Vec<u32> = scores.ranking().into_iter().take(top).collect();
    let ids: Vec<InsightId> = nodes.iter().map(|&u| graph.id(u)).collect();
    let rows = nodes.iter().zip(store.insight_details(&ids)?).enumerate();
    let ranking = Ranking(
        rows.map(|(i, (&u, d))| Row {
            rank: i + 1,
            id: d.id,
            score: scores.values[u as usize],
            degree: graph.degree(u),
            sources: d.sources,
            text: d.text,
        })
        .collect(),
    );
    emit(args.format, &ranking)
}

//! `netgraph central`: the most central insights by one measure.

use super::output::{note, print_csv, print_json, print_table, Column, OutputFormat};
use super::Context;
use netgraph::algo::centrality::Distance;
use netgraph::analysis::centrality::{centrality, CentralityConfig, Measure};
use netgraph::error::{Error, Result};
use netgraph::store::OpenMode;
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
    netgraph central --by betweenness --samples 1000 --seed 7\n  \
    netgraph central --by betweenness --distance inverse --format csv > bridges.csv\n  \
    netgraph central --by eigenvector --top 1000 --format json | jq '.[0]'"
)]
pub struct Args {
    /// The measure.
    #[arg(long, default_value = "pagerank", value_name = "MEASURE", value_parser = parse_measure)]
    by: Measure,
    /// How many insights to list, best first.
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
    /// Betweenness: path length in hops, or 1/weight so shared sources shorten paths.
    #[arg(long, value_enum, value_name = "KIND")]
    distance: Option<DistanceArg>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DistanceArg {
    /// Every edge has length 1.
    Hops,
    /// Edge length 1/weight.
    Inverse,
}

fn parse_measure(name: &str) -> std::result::Result<Measure, String> {
    Measure::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Measure::ALL.iter().map(|m| m.as_str()).collect();
        format!("unknown measure; use one of {}", names.join(", "))
    })
}

impl Args {
    /// The flags as one validated config.
    fn config(&self) -> Result<CentralityConfig> {
        let by = self.by;
        let only = |flag: &str, measures: &[Measure]| -> Result<()> {
            if measures.contains(&by) {
                Ok(())
            } else {
                let names: Vec<&str> = measures.iter().map(|m| m.as_str()).collect();
                Err(Error::InvalidInput(format!(
                    "{flag} applies to --by {} only",
                    names.join(" or ")
                )))
            }
        };
        let mut config = CentralityConfig::new(by);
        config.reuse = !self.recompute;
        if let Some(k) = self.samples {
            only("--samples", &[Measure::Betweenness])?;
            config.betweenness.samples = Some(k);
        }
        if let Some(seed) = self.seed {
            config.betweenness.seed = seed;
        }
        if let Some(distance) = self.distance {
            only("--distance", &[Measure::Betweenness])?;
            config.betweenness.distance = match distance {
                DistanceArg::Hops => Distance::Hops,
                DistanceArg::Inverse => Distance::Inverse,
            };
        }
        if let Some(alpha) = self.alpha {
            only("--alpha", &[Measure::PageRank])?;
            config.pagerank.alpha = alpha;
        }
        if let Some(max) = self.max_iterations {
            only(
                "--max-iterations",
                &[Measure::PageRank, Measure::Eigenvector],
            )?;
            config.pagerank.max_iterations = max;
            config.eigenvector.max_iterations = max;
        }
        Ok(config)
    }
}

#[derive(Serialize)]
struct Row {
    rank: usize,
    id: i64,
    score: f64,
    degree: usize,
    sources: i64,
    text: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let config = args.config()?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let graph = store.load_graph()?;
    let scores = centrality(&mut store, &graph, &config)?;
    if let Some(text) = &scores.note {
        note(ctx.quiet, format!("note ({}): {text}", scores.measure));
    }
    if ctx.verbose && scores.reused {
        note(ctx.quiet, format!("note: kept {} scores reused (the graph is unchanged; --recompute to compute again)", scores.measure));
    }
    let top: Vec<u32> = scores.ranking().into_iter().take(args.top).collect();
    let ids: Vec<i64> = top.iter().map(|&u| graph.id(u)).collect();
    let details = store.insight_details(&ids)?;
    let rows: Vec<Row> = top
        .iter()
        .zip(details)
        .enumerate()
        .map(|(i, (&u, d))| Row {
            rank: i + 1,
            id: d.id,
            score: scores.values[u as usize],
            degree: graph.degree(u),
            sources: d.sources,
            text: d.text,
        })
        .collect();
    let columns = [
        Column::number("rank"),
        Column::number("id"),
        Column::number("score"),
        Column::number("degree"),
        Column::number("sources"),
        Column::text("text"),
    ];
    match args.format {
        OutputFormat::Json => print_json(&rows)?,
        OutputFormat::Csv => print_csv(&columns, &cells(&rows, |x| x.to_string()))?,
        OutputFormat::Table => print_table(&columns, &cells(&rows, short_score))?,
    }
    Ok(0)
}

fn cells(rows: &[Row], score: impl Fn(f64) -> String) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.rank.to_string(),
                r.id.to_string(),
                score(r.score),
                r.degree.to_string(),
                r.sources.to_string(),
                r.text.clone(),
            ]
        })
        .collect()
}

/// A score for people: whole numbers as such, others to six decimals or four significant
/// digits when smaller.
fn short_score(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 1e-4 {
        format!("{x:.6}")
    } else {
        format!("{x:.3e}")
    }
}

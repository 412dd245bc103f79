//! `netgraph communities`: themes of insights that appear together (Leiden or Louvain), with
//! stable ids, labels and modularity.

use super::output::{
    cut, note, print_csv, print_json, print_table, to_stdout, Column, OutputFormat,
};
use super::Context;
use netgraph::analysis::communities::{communities, Algorithm, CommunityConfig, Partition};
use netgraph::error::Result;
use netgraph::store::OpenMode;
use serde::Serialize;

/// Find communities (themes): groups of insights that appear together more than chance.
///
/// Results are kept in the database and reused while the graph and parameters are
/// unchanged; community ids stay the same across re-runs where a community continues.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    netgraph communities                              Leiden, modularity and labelled themes\n  \
    netgraph communities --algorithm louvain\n  \
    netgraph communities --resolution 2               more, smaller communities\n  \
    netgraph communities --seed 7 --restarts 20\n  \
    netgraph communities --format json | jq '.communities[0]'\n  \
    netgraph communities --format csv > memberships.csv")]
pub struct Args {
    /// Community detection algorithm.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Leiden)]
    algorithm: AlgorithmArg,
    /// Resolution γ of modularity: above 1 gives more, smaller communities; below 1 fewer,
    /// larger ones.
    #[arg(long, default_value_t = CommunityConfig::default().resolution, value_name = "R")]
    resolution: f64,
    /// Random seed; the same database and seed give the same output.
    #[arg(long, default_value_t = CommunityConfig::default().seed, value_name = "S")]
    seed: u64,
    /// Runs derived from the seed; the partition with the highest modularity is kept
    /// (default: 10, fewer above 5,000 insights, never below 2).
    #[arg(long, value_name = "N")]
    restarts: Option<usize>,
    /// Compute again even if kept communities are current.
    #[arg(long)]
    recompute: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AlgorithmArg {
    /// Leiden (Traag et al. 2019): connected communities.
    Leiden,
    /// Louvain (Blondel et al. 2008).
    Louvain,
}

#[derive(Serialize)]
struct JsonPartition<'a> {
    algorithm: &'static str,
    resolution: f64,
    seed: u64,
    restarts: usize,
    modularity: f64,
    count: usize,
    communities: Vec<JsonCommunity<'a>>,
}

#[derive(Serialize)]
struct JsonCommunity<'a> {
    id: u32,
    size: usize,
    label: &'a str,
    members: &'a [i64],
}

/// How many member texts the table shows per community.
const TABLE_MEMBERS: usize = 3;

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let config = CommunityConfig {
        algorithm: match args.algorithm {
            AlgorithmArg::Leiden => Algorithm::Leiden,
            AlgorithmArg::Louvain => Algorithm::Louvain,
        },
        resolution: args.resolution,
        seed: args.seed,
        restarts: args.restarts,
        recompute: args.recompute,
        ..CommunityConfig::default()
    };
    let mut store = ctx.open(OpenMode::Existing)?;
    let graph = store.load_graph()?;
    let partition = communities(&mut store, &graph, &config)?;
    if partition.reused {
        note(
            ctx.quiet,
            "netgraph: kept communities are current (graph unchanged); --recompute runs again",
        );
    }
    match args.format {
        OutputFormat::Json => print_json(&JsonPartition {
            algorithm: partition.algorithm.as_str(),
            resolution: partition.resolution,
            seed: partition.seed,
            restarts: config.restarts_for(&graph),
            modularity: partition.modularity,
            count: partition.communities.len(),
            communities: partition
                .communities
                .iter()
                .map(|c| JsonCommunity {
                    id: c.id,
                    size: c.size,
                    label: &c.label,
                    members: &c.members,
                })
                .collect(),
        }),
        OutputFormat::Csv => {
            let texts = Texts::load(&store)?;
            let columns = [
                Column::number("community"),
                Column::text("label"),
                Column::number("rank"),
                Column::number("insight"),
                Column::text("text"),
            ];
            let rows: Vec<Vec<String>> = partition
                .communities
                .iter()
                .flat_map(|c| {
                    c.members.iter().enumerate().map(|(rank, &id)| {
                        vec![
                            c.id.to_string(),
                            c.label.clone(),
                            (rank + 1).to_string(),
                            id.to_string(),
                            texts.get(id).to_string(),
                        ]
                    })
                })
                .collect();
            print_csv(&columns, &rows)
        }
        OutputFormat::Table => table(&store, &partition),
    }?;
    Ok(0)
}

fn table(store: &netgraph::store::Store, partition: &Partition) -> Result<()> {
    let texts = Texts::load(store)?;
    to_stdout(|w| {
        writeln!(
            w,
            "{}  resolution {}  seed {}  modularity {:.6}  {} communities",
            partition.algorithm.as_str(),
            partition.resolution,
            partition.seed,
            partition.modularity,
            partition.communities.len()
        )
    })?;
    let columns = [
        Column::number("id"),
        Column::number("size"),
        Column::text("label"),
        Column::text("most central insights"),
    ];
    let rows: Vec<Vec<String>> = partition
        .communities
        .iter()
        .map(|c| {
            let top: Vec<String> = c
                .members
                .iter()
                .take(TABLE_MEMBERS)
                .map(|&id| format!("#{id} {}", cut(texts.get(id), 60)))
                .collect();
            vec![
                c.id.to_string(),
                c.size.to_string(),
                c.label.clone(),
                top.join(" | "),
            ]
        })
        .collect();
    print_table(&columns, &rows)
}

/// Insight texts by id.
struct Texts(Vec<(i64, String)>);

impl Texts {
    fn load(store: &netgraph::store::Store) -> Result<Texts> {
        Ok(Texts(store.insight_texts()?))
    }

    fn get(&self, id: i64) -> &str {
        self.0
            .binary_search_by_key(&id, |t| t.0)
            .map_or("", |i| &self.0[i].1)
    }
}

//! `netgraph communities`: themes of insights that appear together (Leiden or Louvain), with
//! stable ids, labels and modularity; `netgraph communities name K "..."` names a theme.

use super::output::{
    cell, cut, emit, note, note_unkept, write_table, Column, OutputFormat, Report, Table,
};
use super::{names, Context};
use netgraph::algo::community::{
    default_restarts, Algorithm, CommunityConfig, LeidenConfig, LouvainConfig,
};
use netgraph::error::Result;
use netgraph::export::view::PALETTE;
use netgraph::ids::InsightId;
use netgraph::results::{self, NameChange, Named, Partition, Reuse};
use netgraph::store::OpenMode;
use serde::Serialize;
use std::io::{self, Write};

/// Find communities (themes): groups of insights that appear together more than chance.
///
/// Results are kept in the database and reused while the graph and parameters are
/// unchanged; community ids stay the same across re-runs where a community continues. A
/// theme's label is the name you gave it (`communities name`), else the few phrases most
/// distinctive of its insights.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  \
    netgraph communities                              Leiden, modularity and labelled themes\n  \
    netgraph communities --algorithm louvain\n  \
    netgraph communities --resolution 2               more, smaller communities\n  \
    netgraph communities --seed 7 --restarts 20\n  \
    netgraph communities name 4 \"AI and the PM role\"   name theme 4 (--clear removes it)\n  \
    netgraph communities --format json | jq '.communities[0]'\n  \
    netgraph communities --format csv > memberships.csv"
)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Community detection algorithm: leiden (Traag et al. 2019, connected communities) or
    /// louvain (Blondel et al. 2008).
    #[arg(long, default_value = "leiden", value_name = "ALGORITHM",
          value_parser = names::<Algorithm>(&Algorithm::NAMES))]
    algorithm: Algorithm,
    /// Resolution γ of modularity: above 1 gives more, smaller communities; below 1 fewer,
    /// larger ones.
    #[arg(long, default_value_t = LeidenConfig::default().resolution, value_name = "R")]
    resolution: f64,
    /// Random seed; the same database and seed give the same output.
    #[arg(long, default_value_t = LeidenConfig::default().seed, value_name = "S")]
    seed: u64,
    /// Runs derived from the seed; the partition with the highest modularity is kept
    /// (default: 10, fewer above 5,000 insights, never below 2; at most 1,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    restarts: Option<u16>,
    /// Leiden: iterations per run (0 = until stable: no node moves, or an iteration gains
    /// less than 1e-6 modularity).
    #[arg(long, value_name = "N")]
    iterations: Option<usize>,
    /// Compute again even if kept communities are current.
    #[arg(long)]
    recompute: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Name(NameArgs),
}

/// Give a theme a name of your own, shown instead of the automatic label in `communities`,
/// pictures, legends and exports.
///
/// The name stays with the theme through re-runs and imports (theme ids are stable); when the
/// theme splits or no longer exists, `communities` says so.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    netgraph communities name 4 \"AI and the PM role\"\n  \
    netgraph communities name 4 --clear")]
struct NameArgs {
    /// Theme id (the id column of `netgraph communities`).
    #[arg(value_name = "K")]
    id: u32,
    /// The name (at most 60 characters).
    #[arg(value_name = "NAME", required_unless_present = "clear")]
    name: Option<String>,
    /// Remove your name: the automatic label is shown again.
    #[arg(long, conflicts_with = "name")]
    clear: bool,
}

impl Args {
    /// The flags as one config; the restarts default to the graph's size.
    fn config(&self, nodes: usize) -> CommunityConfig {
        let restarts = self
            .restarts
            .map_or_else(|| default_restarts(nodes), usize::from);
        match self.algorithm {
            Algorithm::Leiden => {
                let defaults = LeidenConfig::default();
                CommunityConfig::Leiden(LeidenConfig {
                    resolution: self.resolution,
                    seed: self.seed,
                    restarts,
                    iterations: match self.iterations {
                        None => defaults.iterations,
                        Some(0) => None,
                        Some(n) => Some(n),
                    },
                    ..defaults
                })
            }
            Algorithm::Louvain => CommunityConfig::Louvain(LouvainConfig {
                resolution: self.resolution,
                seed: self.seed,
                restarts,
            }),
        }
    }
}

/// The partition as printed: JSON lists member ids; people and CSV see member texts.
#[derive(Serialize)]
struct Themes {
    algorithm: Algorithm,
    resolution: f64,
    seed: u64,
    restarts: usize,
    modularity: f64,
    count: usize,
    communities: Vec<Theme>,
    /// Named themes that split or no longer exist.
    name_changes: Vec<NameChange>,
    #[serde(skip)]
    texts: Vec<(InsightId, String)>,
}

#[derive(Serialize)]
struct Theme {
    id: u32,
    size: usize,
    /// The person's name when `named`, else the automatic label.
    label: String,
    named: bool,
    /// The colour pictures draw it in, kept from run to run; `null`: grey (beyond the
    /// palette's themes).
    colour: Option<&'static str>,
    members: Vec<InsightId>,
}

/// How many member texts the table shows per community.
const TABLE_MEMBERS: usize = 3;

impl Themes {
    fn new(
        partition: Partition,
        named: &[u32],
        name_changes: Vec<NameChange>,
        texts: Vec<(InsightId, String)>,
    ) -> Themes {
        Themes {
            algorithm: partition.algorithm,
            resolution: partition.resolution,
            seed: partition.seed,
            restarts: partition.restarts,
            modularity: partition.modularity,
            count: partition.communities.len(),
            communities: partition
                .communities
                .into_iter()
                .map(|c| Theme {
                    id: c.id,
                    size: c.size,
                    label: c.label,
                    named: named.binary_search(&c.id).is_ok(),
                    colour: c.colour.map(|k| PALETTE[k]),
                    members: c.members,
                })
                .collect(),
            name_changes,
            texts,
        }
    }

    fn text(&self, id: InsightId) -> &str {
        self.texts
            .binary_search_by_key(&id, |t| t.0)
            .map_or("", |i| &self.texts[i].1)
    }
}

impl Report for Themes {
    /// One row per member (CSV).
    fn table(&self) -> Table {
        Table::new(&[
            Column::number("community"),
            Column::text("label"),
            Column::number("rank"),
            Column::number("insight"),
            Column::text("text"),
        ])
        .with_rows(self.communities.iter().flat_map(|c| {
            c.members.iter().enumerate().map(|(rank, &id)| {
                vec![
                    cell(c.id),
                    cell(&c.label),
                    cell(rank + 1),
                    cell(id),
                    cell(self.text(id)),
                ]
            })
        }))
    }

    /// One row per community with its most central members.
    fn write_human(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(
            w,
            "{}  resolution {}  seed {}  modularity {:.6}  {} communities",
            self.algorithm, self.resolution, self.seed, self.modularity, self.count
        )?;
        let table = Table::new(&[
            Column::number("id"),
            Column::number("size"),
            Column::text("label"),
            Column::text("best-connected members"),
        ])
        .with_rows(self.communities.iter().map(|c| {
            let top: Vec<String> = c
                .members
                .iter()
                .take(TABLE_MEMBERS)
                .map(|&id| format!("#{id} {}", cut(self.text(id), 60)))
                .collect();
            vec![
                cell(c.id),
                cell(c.size),
                cell(&c.label),
                cell(top.join(" | ")),
            ]
        }));
        write_table(w, &table)
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    if let Some(Action::Name(name)) = args.action {
        return run_name(ctx, name);
    }
    let start = std::time::Instant::now();
    let (mut store, graph) = ctx.open_graph()?;
    let load = start.elapsed();
    let config = args.config(graph.node_count());
    let reuse = if args.recompute {
        Reuse::Never
    } else {
        Reuse::SameParameters
    };
    let mut phases = results::PartitionPhases::default();
    let partition = results::partition_timed(&mut store, &graph, &config, reuse, &mut phases)?;
    if ctx.verbose {
        note_phases(load, &phases);
    }
    note_unkept(ctx.quiet, partition.kept);
    if partition.reused {
        note(
            ctx.quiet,
            "netgraph: kept communities are current (graph unchanged); --recompute runs again",
        );
    }
    let changes = results::name_changes(&store, &partition)?;
    for change in &changes {
        note(ctx.quiet, format!("netgraph: {change}"));
    }
    let named: Vec<u32> = store.theme_names()?.iter().map(|n| n.id).collect();
    let texts = match args.format {
        OutputFormat::Json => Vec::new(),
        // The table shows a few members per theme: read those, not every text again.
        OutputFormat::Table => {
            let shown: Vec<InsightId> = partition
                .communities
                .iter()
                .flat_map(|c| c.members.iter().take(TABLE_MEMBERS).copied())
                .collect();
            store.insight_texts_of(&shown)?
        }
        OutputFormat::Csv => store.insight_texts()?,
    };
    emit(args.format, &Themes::new(partition, &named, changes, texts))
}

fn run_name(ctx: &Context, args: NameArgs) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let name = if args.clear {
        None
    } else {
        args.name.as_deref()
    };
    let message = match results::name_theme(&mut store, args.id, name)? {
        Named::Set(name) => format!("theme {}: {name}", args.id),
        Named::Cleared(name) => format!(
            "theme {}: name '{name}' removed; the automatic label is shown again",
            args.id
        ),
        Named::HadNone => format!("theme {} had no name of its own", args.id),
    };
    note(ctx.quiet, message);
    Ok(())
}

/// `-v`: where the time went, one line per phase, on stderr. The texts are read while the
/// algorithm runs, so their line is indented under it and not part of the sum.
fn note_phases(load: std::time::Duration, p: &results::PartitionPhases) {
    for (phase, time) in [
        ("load graph", load),
        ("read kept", p.read_kept),
        ("algorithm", p.algorithm),
        ("  meanwhile: read texts", p.texts),
        ("labels", p.labels),
        ("assemble", p.assemble),
        ("write back", p.write_back),
    ] {
        eprintln!("netgraph: {phase:<23} {:>8.3} s", time.as_secs_f64());
    }
}

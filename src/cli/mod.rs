//! The command line: clap definitions, one file per subcommand (its args and `run`), and the
//! output helpers they share. Raw flags become validated config values here, once.

mod bridges;
mod central;
mod communities;
mod deck;
mod dedupe;
mod export;
mod import;
mod neighbors;
mod output;
mod path;
mod render;
mod report;
mod search;
mod show;
mod stats;
mod title;
mod titles;

use clap::{Parser, Subcommand};
use netgraph::error::{exit_code, Result};
use netgraph::graph::InsightGraph;
use netgraph::store::{OpenMode, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "netgraph",
    version,
    about = "Turn a pile of insight documents into a network you can query, measure and show",
    long_about = "Turn a pile of insight documents into a network you can query, measure and show.\n\n\
        netgraph imports documents (podcast-insight pages, Markdown notes, highlight exports) into \
        an SQLite graph of insights and sources, ranks insights by centrality, finds themes, and \
        exports slide-ready pictures and files for Gephi, Cytoscape, Neo4j and d3.",
    after_help = concat!(
        "Examples:\n",
        "  netgraph import seeds/                 import a folder of documents\n",
        "  netgraph stats                         what is in the database\n",
        "  netgraph central --top 10              the most central insights (PageRank)\n",
        "  netgraph communities                   themes (Leiden) with labels\n",
        "  netgraph show \"passion shift\"          one insight by id or a piece of its text\n",
        "  netgraph path \"passion shift\" \"financial literacy\"   how two ideas connect\n",
        "  netgraph titles                        the short title of every insight\n",
        "  netgraph render -o graph.svg           a picture for a slide\n",
        "  netgraph deck -o deck                  a slide deck that tells the story\n",
        "  netgraph report -o report.html         the same story as a document\n\n",
        "The database is netgraph.db in the current folder, or $NETGRAPH_DB, or --db PATH.\n\n",
        "Exit codes:\n",
        "  0  success\n",
        "  1  unexpected failure (I/O error, internal database error)\n",
        "  2  usage error (unknown flag, bad value, ambiguous insight)\n",
        "  3  not found (missing path, nothing to import, no database, empty graph, unknown insight)\n",
        "  4  database unusable (corrupt, not a netgraph database, made by a newer netgraph, locked)\n",
        "  5  import finished but skipped some files (each one is reported)\n",
        "  6  external tool missing or failed (Graphviz)"
    )
)]
pub struct Cli {
    /// The database file.
    #[arg(
        long,
        global = true,
        env = "NETGRAPH_DB",
        default_value = "netgraph.db",
        value_name = "PATH"
    )]
    pub db: PathBuf,

    /// Say more (per-file notes such as the format picked).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// No progress bars or notes; errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Worker threads, 1 to 256 (default: one per core). Results do not depend on it.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Import(import::Args),
    Stats(stats::Args),
    Central(central::Args),
    Communities(communities::Args),
    Search(search::Args),
    Show(show::Args),
    Neighbors(neighbors::Args),
    Path(path::Args),
    Bridges(bridges::Args),
    Dedupe(dedupe::Args),
    Title(title::Args),
    Titles(titles::Args),
    Render(render::Args),
    Deck(deck::Args),
    Report(report::Args),
    Export(export::Args),
}

/// Shared state of one invocation.
pub struct Context {
    pub db: PathBuf,
    pub verbose: bool,
    pub quiet: bool,
}

impl Context {
    pub fn open(&self, mode: OpenMode) -> Result<Store> {
        Store::open(&self.db, mode)
    }

    /// The existing database and its insight graph, for the analysis commands.
    pub fn open_graph(&self) -> Result<(Store, InsightGraph)> {
        let store = self.open(OpenMode::Existing)?;
        let graph = store.load_graph()?;
        Ok((store, graph))
    }
}

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done.
    Done,
    /// Done, but some input was skipped (each item reported on stderr).
    Partial,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Outcome::Done => exit_code::OK,
            Outcome::Partial => exit_code::PARTIAL,
        })
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    if let Some(n) = cli.threads {
        // Fails only if a pool was already built, which nothing here does before this line.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global();
    }
    let ctx = Context {
        db: cli.db,
        verbose: cli.verbose,
        quiet: cli.quiet,
    };
    let done = |()| Outcome::Done;
    match cli.command {
        Command::Import(args) => import::run(&ctx, args),
        Command::Stats(args) => stats::run(&ctx, args).map(done),
        Command::Central(args) => central::run(&ctx, args).map(done),
        Command::Communities(args) => communities::run(&ctx, args).map(done),
        Command::Search(args) => search::run(&ctx, args).map(done),
        Command::Show(args) => show::run(&ctx, args).map(done),
        Command::Neighbors(args) => neighbors::run(&ctx, args).map(done),
        Command::Path(args) => path::run(&ctx, args).map(done),
        Command::Bridges(args) => bridges::run(&ctx, args).map(done),
        Command::Dedupe(args) => dedupe::run(&ctx, args).map(done),
        Command::Title(args) => title::run(&ctx, args).map(done),
        Command::Titles(args) => titles::run(&ctx, args).map(done),
        Command::Deck(args) => deck::run(&ctx, args).map(done),
        Command::Report(args) => report::run(&ctx, args).map(done),
        Command::Render(args) => render::run(&ctx, args).map(done),
        Command::Export(args) => export::run(&ctx, args).map(done),
    }
}

/// A clap parser for a library type with names: the help lists the names, the library's
/// `FromStr` turns the chosen one into the value (so the CLI keeps no copy of the enum).
pub fn names<T>(names: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Debug,
{
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names)
        .map(|name| name.parse::<T>().expect("every listed name parses"))
}

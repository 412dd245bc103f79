//! `netgraph export dot|graphml|gexf|json|csv`: the graph, or the part the filters keep, in
//! a file other tools read.

use super::output::{note, note_unkept, to_stdout};
use super::{names, Context};
use netgraph::algo::backbone::Backbone;
use netgraph::algo::centrality::Measure;
use netgraph::error::{Error, Result};
use netgraph::export::dot::{DotStyle, Engine, KeyMode, LabelMode, FULL_LABELS_MAX};
use netgraph::export::picture::{self, Level, LevelChoice, Picture};
use netgraph::export::theme_map::{ThemeMapConfig, DEFAULT_MAP_THEMES};
use netgraph::export::view::{self, BackboneChoice, Ego, Filters, View, ViewConfig};
use netgraph::export::{csv, write_to, FileFormat};
use netgraph::store::{OpenMode, Store};
use std::path::{Path, PathBuf};

const FILTER_HELP: &str = "\
Filters (shared by every export and render; combine freely):
  --top N              the N most central insights and the edges among them (0 = all; default
                       30 for pictures and DOT, all for GraphML, GEXF, JSON and CSV); with
                       --level themes, the N largest themes (default 24)
  --community K        only community K (ids as `netgraph communities` shows them)
  --ego INSIGHT        only insights near INSIGHT (an id or a piece of its text)
  --radius R           with --ego: how many edges away to go (default 1)
  --min-weight W       only edges between insights sharing at least W sources
  --with-sources       add the sources as boxes, joined to their insights
  --backbone B         keep only the links that carry the graph: disparity[=ALPHA] (Serrano,
                       Boguna & Vespignani 2009; ALPHA 0.05 by default), top=K (each insight's
                       K strongest links) or none. Pictures denser than 6 links per insight use
                       the disparity filter unless --backbone none; data exports keep all.
Scores and communities are the kept results of `netgraph central` / `netgraph communities`
(computed with the defaults and kept when there are none).";

/// Export the insight graph for Graphviz, Gephi, Cytoscape, networkx, d3 or Neo4j.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
enum Format {
    /// Graphviz DOT styled for slides (render it with `netgraph render` or `dot -Tsvg`).
    #[command(after_help = concat!(
        "Examples:\n",
        "  netgraph export dot -o graph.dot --title \"What holds our thinking together\"\n",
        "  netgraph export dot --community 2 --size-by betweenness | dot -Tsvg > theme2.svg\n",
        "  netgraph export dot --ego 17 --radius 2 --with-sources -o around17.dot"
    ))]
    Dot {
        #[command(flatten)]
        view: ViewArgs,
        #[command(flatten)]
        style: StyleArgs,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// GraphML for networkx, Gephi, Cytoscape and yEd.
    #[command(
        after_help = "Examples:\n  netgraph export graphml --top 0 -o graph.graphml\n  \
        python -c \"import networkx as nx; print(nx.read_graphml('graph.graphml'))\""
    )]
    Graphml {
        #[command(flatten)]
        view: ViewArgs,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// GEXF 1.3 with colours and sizes, for Gephi.
    #[command(after_help = "Examples:\n  netgraph export gexf --top 0 -o graph.gexf")]
    Gexf {
        #[command(flatten)]
        view: ViewArgs,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Node-link JSON (networkx `node_link_graph`, d3).
    #[command(
        after_help = "Examples:\n  netgraph export json --top 100 -o graph.json\n  \
        python -c \"import json, networkx as nx; print(nx.node_link_graph(json.load(open('graph.json'))))\""
    )]
    Json {
        #[command(flatten)]
        view: ViewArgs,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// CSV files for `neo4j-admin database import` (insights.csv, appears_with.csv; with
    /// --with-sources also sources.csv, appears_in.csv).
    #[command(
        after_help = "Examples:\n  netgraph export csv --top 0 -o neo4j-import/\n  \
        neo4j-admin database import full --nodes=neo4j-import/insights.csv \\\n      \
        --relationships=neo4j-import/appears_with.csv --multiline-fields=true neo4j"
    )]
    Csv {
        #[command(flatten)]
        view: ViewArgs,
        /// The folder to write the files into (created if its parent exists).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
}

/// Which insights to show, and the measure that ranks and sizes them.
#[derive(Debug, clap::Args)]
#[command(after_help = FILTER_HELP)]
pub struct ViewArgs {
    /// The N most central insights and the edges among them (0 = all; default 30 for pictures
    /// and DOT, all for data exports).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Only the members of community K.
    #[arg(long, value_name = "K")]
    community: Option<u32>,
    /// Only insights near this insight: an id or a piece of its text (see --radius).
    #[arg(long, value_name = "INSIGHT")]
    ego: Option<String>,
    /// With --ego: how many edges away from ID to go.
    #[arg(long, value_name = "R", default_value_t = 1, requires = "ego")]
    radius: u32,
    /// Only edges between insights sharing at least W sources.
    #[arg(long, value_name = "W")]
    min_weight: Option<f64>,
    /// Add the sources (as boxes) and appears-in edges.
    #[arg(long)]
    with_sources: bool,
    /// Keep only the links that carry the graph: disparity[=ALPHA], top=K, or none.
    #[arg(long, value_name = "BACKBONE", value_parser = parse_backbone)]
    backbone: Option<BackboneChoice>,
    /// The centrality that ranks (--top) and sizes the insights.
    #[arg(long, value_name = "MEASURE", default_value = "pagerank", ignore_case = true,
          value_parser = names::<Measure>(&Measure::NAMES))]
    size_by: Measure,
}

impl ViewArgs {
    /// The validated selection, with `purpose`'s defaults for --top and --backbone; the ego
    /// insight is resolved in `store`.
    pub fn config(&self, purpose: Purpose, store: &Store) -> Result<ViewConfig> {
        let (default_top, default_backbone) = match purpose {
            Purpose::Picture => (Some(view::DEFAULT_TOP), BackboneChoice::Auto),
            Purpose::Data => (None, BackboneChoice::Off),
        };
        if let Some(w) = self.min_weight {
            if !(w.is_finite() && w > 0.0) {
                return Err(Error::InvalidInput(format!(
                    "--min-weight {w}: give a number of sources above 0"
                )));
            }
        }
        Ok(ViewConfig {
            filters: Filters {
                top: match self.top {
                    Some(0) => None,
                    Some(n) => Some(n),
                    None => default_top,
                },
                community: self.community,
                ego: match &self.ego {
                    Some(name) => Some(Ego {
                        id: store.resolve_insight(name)?,
                        radius: self.radius,
                    }),
                    None => None,
                },
                min_weight: self.min_weight,
                with_sources: self.with_sources,
                max_sources: match purpose {
                    Purpose::Picture => Some(view::PICTURE_SOURCES),
                    Purpose::Data => None,
                },
                backbone: self.backbone.unwrap_or(default_backbone),
                only: None,
            },
            size_by: self.size_by,
        })
    }
}

/// `--backbone`: a [`Backbone`], or `none`.
fn parse_backbone(text: &str) -> std::result::Result<BackboneChoice, String> {
    if text.trim() == "none" {
        Ok(BackboneChoice::Off)
    } else {
        text.parse::<Backbone>().map(BackboneChoice::On)
    }
}

/// How the picture looks.
#[derive(Debug, clap::Args)]
pub struct StyleArgs {
    /// A title above the legend.
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Layout engine (default: neato up to 150 insights, sfdp beyond, fdp with --cluster).
    #[arg(long, value_name = "ENGINE", value_parser = names::<Engine>(&Engine::NAMES))]
    engine: Option<Engine>,
    /// Draw each community as a boxed cluster.
    #[arg(long)]
    cluster: bool,
    /// Draw one circle per insight, or per theme (the theme map: area = insights, lines =
    /// themes linked more than chance). Default: insights, or the theme map when nothing
    /// narrows the picture (--top, --community, --ego) and its insights would fall in more
    /// than 8 themes.
    #[arg(long, value_name = "LEVEL", value_parser = names::<Level>(&Level::NAMES))]
    level: Option<Level>,
    /// What the label under each circle says: title (the insight's short title, see
    /// `netgraph titles`), words (its first words), full (the whole text, for up to 12
    /// insights), none, or number (its rank in the circle, and a key beside the graph).
    #[arg(long, value_name = "MODE", default_value = "title",
          value_parser = names::<LabelMode>(&LabelMode::NAMES))]
    labels: LabelMode,
    /// With --labels number: what the key beside the graph says for each number: full (the
    /// whole text), title, or auto (whole texts up to 12 insights, titles beyond).
    #[arg(long, value_name = "KEY", default_value = "auto",
          value_parser = names::<KeyMode>(&KeyMode::NAMES))]
    key: KeyMode,
}

impl StyleArgs {
    /// How to choose the level, given what narrows the picture. The theme map shows every
    /// theme, so --community and --ego (which pick insights) cannot go with --level themes.
    pub fn level(&self, view: &ViewArgs) -> Result<LevelChoice> {
        match self.level {
            Some(Level::Themes) if view.community.is_some() || view.ego.is_some() => {
                Err(Error::InvalidInput(
                    "--level themes draws every theme; --community and --ego pick insights (use --level insights, or leave them out)".into(),
                ))
            }
            Some(level) => Ok(LevelChoice::At(level)),
            None if view.top.is_some() || view.community.is_some() || view.ego.is_some() => {
                Ok(LevelChoice::At(Level::Insights))
            }
            None => Ok(LevelChoice::Auto),
        }
    }

    pub fn style(&self) -> DotStyle {
        DotStyle {
            title: self.title.clone(),
            engine: self.engine,
            cluster: self.cluster,
            labels: self.labels,
            key: self.key,
            placement: None,
            marked: None,
            notes: Vec::new(),
        }
    }
}

/// How many insights a view shows when --top is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A picture (DOT, render): the most central few, so a slide stays readable.
    Picture,
    /// Data for another tool: everything.
    Data,
}

/// Open the database and select what a picture (DOT, render) draws; say on stderr when the
/// theme map was chosen for the user.
pub fn load_picture(ctx: &Context, view_args: &ViewArgs, style: &StyleArgs) -> Result<Picture> {
    let level = style.level(view_args)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let config = view_args.config(Purpose::Picture, &store)?;
    let map = map_config(level, view_args, config.size_by);
    let drawn = picture::picture(&mut store, &config, &map, level)?;
    note_unkept(ctx.quiet, drawn.picture.kept());
    if let Some(themes) = drawn.switched_to_themes {
        note(
            ctx.quiet,
            format!(
                "netgraph: the {} most central insights fall in {themes} themes, too many colours for one picture: drawing the theme map instead (--level insights, or --top N, draws insights)",
                config.filters.top.unwrap_or(view::DEFAULT_TOP)
            ),
        );
    }
    if let Picture::Insights(view) = &drawn.picture {
        warn_full_labels(ctx, &style.style(), view);
    }
    Ok(drawn.picture)
}

/// The theme map a picture or page draws at `level`: `--top N` themes with `--level
/// themes` (0: all), else [`DEFAULT_MAP_THEMES`].
pub fn map_config(level: LevelChoice, view_args: &ViewArgs, size_by: Measure) -> ThemeMapConfig {
    ThemeMapConfig {
        themes: match (level, view_args.top) {
            (LevelChoice::At(Level::Themes), Some(0)) => usize::MAX,
            (LevelChoice::At(Level::Themes), Some(n)) => n,
            _ => DEFAULT_MAP_THEMES,
        },
        size_by,
    }
}

/// What a written picture holds, for the closing note.
pub fn picture_summary(picture: &Picture) -> String {
    match picture {
        Picture::Insights(view) => summary(view),
        Picture::Themes(map) => format!(
            "theme map: {} themes{}, {} links",
            map.themes.len(),
            if map.other.is_some() {
                " and other"
            } else {
                ""
            },
            map.links.len()
        ),
    }
}

/// Open the database and select the view.
pub fn load_view(ctx: &Context, args: &ViewArgs, purpose: Purpose) -> Result<View> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let config = args.config(purpose, &store)?;
    let view = view::build(&mut store, &config)?;
    note_unkept(ctx.quiet, view.kept);
    Ok(view)
}

/// What a written view holds, for the closing note: "30 insights, 41 of 312 edges (backbone:
/// disparity filter, alpha 0.05)".
pub fn summary(view: &View) -> String {
    let mut s = match view.backbone {
        Some(b) => format!(
            "{} insights, {} of {} edges (backbone: {}{})",
            view.nodes.len(),
            view.edges.len(),
            b.edges_before,
            b,
            if b.automatic {
                "; --backbone none shows all"
            } else {
                ""
            }
        ),
        None => format!("{} insights, {} edges", view.nodes.len(), view.edges.len()),
    };
    if !view.sources.is_empty() {
        s.push_str(&format!(", {} sources", view.sources.len()));
    }
    s
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (view, purpose, format, output) = match args.format {
        Format::Dot {
            view,
            style,
            output,
        } => return export_dot(ctx, &view, &style, output.as_deref()),
        Format::Graphml { view, output } => (view, Purpose::Data, FileFormat::GraphMl, output),
        Format::Gexf { view, output } => (view, Purpose::Data, FileFormat::Gexf, output),
        Format::Json { view, output } => (view, Purpose::Data, FileFormat::Json, output),
        Format::Csv { view, output } => return export_csv(ctx, &view, &output),
    };
    let view = load_view(ctx, &view, purpose)?;
    match output {
        Some(path) => {
            write_to(&path, |w| format.write(&view, w))?;
            note(
                ctx.quiet,
                format!("wrote {} ({})", path.display(), summary(&view)),
            );
            Ok(())
        }
        None => to_stdout(|w| format.write(&view, w)),
    }
}

/// `export dot`: the DOT of what `render` would draw.
fn export_dot(
    ctx: &Context,
    view: &ViewArgs,
    style: &StyleArgs,
    output: Option<&Path>,
) -> Result<()> {
    let picture = load_picture(ctx, view, style)?;
    let dot = picture.to_dot(&style.style());
    match output {
        Some(path) => {
            write_to(path, |w| w.write_all(dot.as_bytes()))?;
            note(
                ctx.quiet,
                format!("wrote {} ({})", path.display(), picture_summary(&picture)),
            );
            Ok(())
        }
        None => to_stdout(|w| w.write_all(dot.as_bytes())),
    }
}

/// Whole texts as labels are for small pictures: say so when there are more insights.
pub fn warn_full_labels(ctx: &Context, style: &DotStyle, view: &View) {
    if style.labels == LabelMode::Full && view.nodes.len() > FULL_LABELS_MAX {
        note(
            ctx.quiet,
            format!(
                "netgraph: --labels full is meant for up to {FULL_LABELS_MAX} insights; this picture has {} (labels will crowd; try --labels title or a smaller --top)",
                view.nodes.len()
            ),
        );
    }
}

/// The Neo4j CSV files, into a folder checked before the (possibly long) analyses.
fn export_csv(ctx: &Context, args: &ViewArgs, dir: &Path) -> Result<()> {
    make_dir(dir)?;
    let view = load_view(ctx, args, Purpose::Data)?;
    let names = csv::write_files(&view, dir)?;
    note(
        ctx.quiet,
        format!(
            "wrote {} in {} ({})",
            names.join(", "),
            dir.display(),
            summary(&view)
        ),
    );
    Ok(())
}

/// Create `dir` if needed; its parent must exist, and it must not be a file.
fn make_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(Error::InvalidInput(format!(
            "{}: is a file, and `export csv -o` takes a folder (created if missing) to write insights.csv and appears_with.csv into",
            dir.display()
        )));
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    std::fs::create_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })
}

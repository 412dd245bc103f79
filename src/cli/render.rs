//! `netgraph render`: a slide-ready picture (SVG, PNG or PDF) made by Graphviz, or an
//! interactive page (HTML) drawn from the same layout.

use super::export::{load_picture, picture_summary, Purpose, StyleArgs, ViewArgs};
use super::output::{note, note_unkept};
use super::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use netgraph::error::{Error, Result};
use netgraph::export::dot::DotStyle;
use netgraph::export::draw::draw_kept;
use netgraph::export::page::{self, PageOptions, Provenance, MAX_INSIGHTS};
use netgraph::export::picture::{Level, LevelChoice};
use netgraph::export::render::{render, RenderFormat};
use netgraph::export::view::{self, ViewConfig};
use netgraph::results::Analyses;
use netgraph::store::{OpenMode, Store};
use std::path::PathBuf;

/// Draw the most central insights, coloured by theme, as an image (needs Graphviz).
#[derive(Debug, clap::Args)]
#[command(after_help = concat!(
    "The format follows the file name: .svg, .png (1920x1080), .pdf, or .html: one\n",
    "self-contained interactive page (pan, zoom, search, themes) with the insights where the\n",
    "pictures put them. The page shows every insight up to 5000; a larger graph (or --level\n",
    "themes) opens on the theme map, and a click on a theme shows its most central insights.\n",
    "Positions are kept in the database: the next picture with the same options keeps known\n",
    "insights where they were and places new ones around them (--relayout starts afresh).\n",
    "Needs Graphviz (`apt-get install graphviz`); without it the DOT is written to FILE.dot\n",
    "and netgraph exits with code 6.\n\n",
    "Examples:\n",
    "  netgraph render -o graph.svg\n",
    "  netgraph render -o slide.png --title \"15 ideas that hold our thinking together\" --top 15\n",
    "  netgraph render -o theme.pdf --community 2 --size-by betweenness\n",
    "  netgraph render -o around17.svg --ego 17 --radius 2 --with-sources\n",
    "  netgraph render -o themes.png --level themes --title \"What 100,000 pages talk about\"\n",
    "  netgraph render -o graph.html\n",
    "  netgraph render -o theme2.html --community 2"
))]
pub struct Args {
    /// The file to write; .svg, .png, .pdf or .html.
    #[arg(short, long, value_name = "FILE", default_value = "graph.svg")]
    output: PathBuf,
    #[command(flatten)]
    view: ViewArgs,
    #[command(flatten)]
    style: StyleArgs,
    /// Lay the picture out afresh instead of keeping insights where the last picture of the
    /// same kind and options put them.
    #[arg(long)]
    relayout: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    // A bad extension or missing folder is reported before the analyses run.
    let format = RenderFormat::from_path(&args.output)?;
    if let Some(parent) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    if format == RenderFormat::Page {
        return run_page(ctx, &args);
    }
    let picture = load_picture(ctx, &args.view, &args.style)?;
    let style = args.style.style();
    let mut store = ctx.open(OpenMode::Existing)?;
    let dot = match draw_kept(&mut store, &picture, &style, args.relayout) {
        Ok((drawing, layout)) => {
            if ctx.verbose {
                note(
                    ctx.quiet,
                    format!(
                        "layout: {} of {} nodes where the last picture put them{}",
                        layout.reused,
                        drawing.positions.len(),
                        if layout.kept {
                            ""
                        } else {
                            " (positions not kept: read-only database)"
                        }
                    ),
                );
            }
            drawing.dot
        }
        // Graphviz missing or failing: `render` says so and keeps the DOT (unpinned).
        Err(Error::ExternalTool(_)) => picture.to_dot(&style),
        Err(e) => return Err(e),
    };
    let warnings = render(&dot, &args.output)?;
    if ctx.verbose && !warnings.is_empty() {
        note(ctx.quiet, format!("Graphviz: {warnings}"));
    }
    note(
        ctx.quiet,
        format!(
            "wrote {} ({})",
            args.output.display(),
            picture_summary(&picture)
        ),
    );
    Ok(())
}

/// The interactive page. A graph of more than [`MAX_INSIGHTS`] insights (or `--level themes`)
/// gets the two-level page: the theme map, and each theme's most central insights on a click.
/// Otherwise the page shows the view as for a picture (every insight unless `--top`,
/// `--community` or `--ego` narrow it), at most [`MAX_INSIGHTS`] (the most central, said on
/// stderr and in the page), with the sources of each for its panel.
fn run_page(ctx: &Context, args: &Args) -> Result<()> {
    let level = args.style.level(&args.view)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut config = args.view.config(Purpose::Picture, &store)?;
    let analyses = Analyses::load(&mut store, config.size_by)?;
    let two_level = match level {
        LevelChoice::At(Level::Themes) => true,
        LevelChoice::At(Level::Insights) => false,
        LevelChoice::Auto => analyses.graph.node_count() > MAX_INSIGHTS,
    };
    let style = args.style.style();
    if two_level {
        return run_theme_page(ctx, args, level, &mut store, &analyses, &config, &style);
    }
    if level == LevelChoice::Auto {
        // Nothing narrows the page and the graph fits: all of it.
        config.filters.top = None;
    }
    let capped = config.filters.top.is_none_or(|n| n > MAX_INSIGHTS);
    if capped {
        config.filters.top = Some(MAX_INSIGHTS);
    }
    let view = view::build_with(&mut store, &analyses, &config)?;
    note_unkept(ctx.quiet, view.kept);
    // Without --community or --ego the filters keep the whole graph, so a graph of exactly
    // MAX_INSIGHTS is not cut; with them, exactly MAX_INSIGHTS kept is taken as cut.
    let whole = config.filters.community.is_none() && config.filters.ego.is_none();
    let clipped =
        capped && view.nodes.len() == MAX_INSIGHTS && !(whole && view.graph_nodes <= MAX_INSIGHTS);
    if clipped {
        note(
            ctx.quiet,
            format!(
                "netgraph: the page shows the {MAX_INSIGHTS} most central insights the filters keep \
                 (a page stays fluid up to that many); narrow it with --community, --ego or \
                 --min-weight to see the others, or leave out --top and --level for the theme map"
            ),
        );
    }
    super::export::warn_full_labels(ctx, &style, &view);
    // Every source of each insight for its panel, also where a picture draws only the few
    // holding the most (`--with-sources`).
    let (sources, appears_in) =
        if view.filters.with_sources && view.sources.len() == view.sources_total {
            (view.sources.clone(), view.appears_in.clone())
        } else {
            store.appears_in(&view.nodes.iter().map(|n| n.id).collect::<Vec<_>>())?
        };
    let (insights, edges) = (view.nodes.len(), view.edges.len());
    page::write_page(
        &mut store,
        view,
        &style,
        args.relayout,
        Provenance {
            sources: &sources,
            appears_in: &appears_in,
        },
        &PageOptions {
            title: style.title.clone(),
            clipped,
        },
        &args.output,
    )?;
    note(
        ctx.quiet,
        format!(
            "wrote {} ({insights} insights, {edges} edges; open it in a browser)",
            args.output.display(),
        ),
    );
    Ok(())
}

/// The two-level page: the theme map, and each theme's most central insights.
fn run_theme_page(
    ctx: &Context,
    args: &Args,
    level: LevelChoice,
    store: &mut Store,
    analyses: &Analyses,
    config: &ViewConfig,
    style: &DotStyle,
) -> Result<()> {
    let map = super::export::map_config(level, &args.view, config.size_by);
    note_unkept(ctx.quiet, analyses.kept());
    let bar = if ctx.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} laying out themes [{bar:30}] {pos}/{len} ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let built = page::theme_page(
        store,
        analyses,
        &map,
        &config.filters,
        style,
        args.relayout,
        &args.output,
        &mut |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    );
    bar.finish_and_clear();
    let built = built?;
    let (sources, appears_in) = store.appears_in(&built.insight_ids())?;
    page::write_theme_page(
        &built,
        Provenance {
            sources: &sources,
            appears_in: &appears_in,
        },
        &PageOptions {
            title: style.title.clone(),
            clipped: false,
        },
        &args.output,
    )?;
    note(
        ctx.quiet,
        format!(
            "wrote {} (theme map of {} themes{}, at most {} insights each, {} in all; open it in a browser)",
            args.output.display(),
            built.map.themes.len(),
            if built.map.other.is_some() { " and other" } else { "" },
            page::insights_per_theme(built.map.themes.len()),
            built.insights()
        ),
    );
    Ok(())
}

//! `netgraph render`: a slide-ready picture (SVG, PNG or PDF) made by Graphviz.

use super::export::{load_picture, picture_summary, StyleArgs, ViewArgs};
use super::output::note;
use super::Context;
use netgraph::error::{Error, Result};
use netgraph::export::draw::draw_kept;
use netgraph::export::render::{render, ImageFormat};
use netgraph::store::OpenMode;
use std::path::PathBuf;

/// Draw the most central insights, coloured by theme, as an image (needs Graphviz).
#[derive(Debug, clap::Args)]
#[command(after_help = concat!(
    "The image format follows the file name: .svg, .png (1920x1080) or .pdf.\n",
    "Positions are kept in the database: the next picture with the same options keeps known\n",
    "insights where they were and places new ones around them (--relayout starts afresh).\n",
    "Needs Graphviz (`apt-get install graphviz`); without it the DOT is written to FILE.dot\n",
    "and netgraph exits with code 6.\n\n",
    "Examples:\n",
    "  netgraph render -o graph.svg\n",
    "  netgraph render -o slide.png --title \"15 ideas that hold our thinking together\" --top 15\n",
    "  netgraph render -o theme.pdf --community 2 --size-by betweenness\n",
    "  netgraph render -o around17.svg --ego 17 --radius 2 --with-sources\n",
    "  netgraph render -o themes.png --level themes --title \"What 100,000 pages talk about\""
))]
pub struct Args {
    /// The image to write; .svg, .png or .pdf.
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
    ImageFormat::from_path(&args.output)?;
    if let Some(parent) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
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

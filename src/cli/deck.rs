//! `netgraph deck`: the slide set that tells what a body of insights says.

use super::output::{note, note_unkept};
use super::{names, Context};
use netgraph::error::{Error, Result};
use netgraph::export::deck::{self, DeckConfig};
use netgraph::export::dot::{KeyMode, LabelMode};
use netgraph::store::OpenMode;
use std::path::PathBuf;

/// Write a slide deck (SVG and PNG slides, 1920x1080, and deck.md) that tells the story.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Slides, in order, with one palette and the kept layouts throughout:
  01-themes      the theme map: each theme named, sized by its insights, linked to the themes
                 it is most associated with
  02-central     the most central insights (PageRank), numbered, with the key
  03-theme-K...  one per largest theme (--themes): its most central insights; its strongest
                 bridges to other themes ringed; stubs to the themes it links to
  NN-bridges     insights joining themes (ringed) and the gaps: pairs of themes linked less
                 than half as often as chance, each as a question with the nearest insights
  NN-changes     what changed since the deck made before the last import (new and vanished
                 themes, rises and falls, new insights among the most central): only when the
                 graph changed since an earlier deck
deck.md has one section per slide, with Marp front matter (marp deck.md --pdf, or --pptx)
and each slide's text as presenter notes. Re-running on an unchanged database rewrites
identical files. Needs Graphviz.

Examples:
  netgraph deck -o deck
  netgraph deck -o talk --title \"What our customers taught us\" --themes 4
  netgraph deck -o deck --top 15 --key title")]
pub struct Args {
    /// The folder to write the slides into (made if missing; its parent must exist).
    #[arg(short, long, value_name = "DIR", default_value = "deck")]
    output: PathBuf,
    /// The deck's title, on the first slide.
    #[arg(long)]
    title: Option<String>,
    /// Theme slides: one for each of the N largest themes.
    #[arg(long, value_name = "N", default_value_t = 6)]
    themes: usize,
    /// Insights on the "most central" slide.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// Labels of the theme slides: title, words, full, none or number.
    #[arg(long, value_name = "MODE", default_value = "title",
          value_parser = names::<LabelMode>(&LabelMode::NAMES))]
    labels: LabelMode,
    /// What the keys of numbered slides say: full, title or auto.
    #[arg(long, value_name = "KEY", default_value = "auto",
          value_parser = names::<KeyMode>(&KeyMode::NAMES))]
    key: KeyMode,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let dir = &args.output;
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{}: exists and is not a folder",
            dir.display()
        )));
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    let config = DeckConfig {
        title: args.title.clone(),
        themes: args.themes,
        top: args.top,
        labels: args.labels,
        key: args.key,
    };
    let deck = deck::plan(&mut store, &config)?;
    note_unkept(ctx.quiet, deck.story.kept);
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let written = deck::write(&mut store, &deck, dir)?;
    if !written.kept {
        note(
            ctx.quiet,
            "netgraph: the database is read-only; the next deck cannot say what changed since this one",
        );
    }
    if ctx.verbose {
        for file in &written.files {
            note(ctx.quiet, format!("  {}", file.display()));
        }
    }
    note(
        ctx.quiet,
        format!(
            "wrote {} slides to {} ({}deck.md to present them)",
            deck.slides.len(),
            dir.display(),
            if deck.changes.is_some() {
                "with what changed since the last deck; "
            } else {
                ""
            }
        ),
    );
    Ok(())
}

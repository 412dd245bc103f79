//! `netgraph report`: what a body of insights says, as a document to read and paste.

use super::output::{note, note_unkept, to_stdout};
use super::{names, Context};
use netgraph::error::{Error, Result};
use netgraph::export::report::{self, ReportConfig, ReportFormat};
use netgraph::export::{write_file, write_to};
use netgraph::store::OpenMode;
use std::path::PathBuf;

/// Write a report: what was imported, the most central insights, the themes, bridges, gaps and
/// near-duplicates, with pictures.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Sections: what was imported (sources, insights, formats, dates); the most central insights
by PageRank and by betweenness (title, whole text, sources, score); each of the largest
themes (name, size, distinctive words, nearest themes, most central insights, its bridges);
bridges; gaps between themes, each as a question with the insights nearest to each side;
near-duplicates not merged yet; pictures (the theme map and the most central insights).
The numbers are those `central`, `communities` and `bridges` print for the same database.

md links the pictures, written beside the report as <name>-themes.svg and <name>-central.svg
(to standard output, md has no pictures); html is one self-contained file with the pictures
inlined (no script, no external URL); json holds the same content for programs.
The format follows the file name (.md, .html, .json) unless --format says otherwise.
Pictures need Graphviz; without it the report is written without them and says so.

Examples:
  netgraph report -o report.md
  netgraph report -o report.html --title \"What our interviews say\"
  netgraph report --format json | jq '.gaps[].question'")]
pub struct Args {
    /// The file to write; standard output when not given.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// md, html or json (default: from the file name, else md).
    #[arg(long, value_name = "FORMAT", value_parser = names::<ReportFormat>(&ReportFormat::NAMES))]
    format: Option<ReportFormat>,
    /// The report's heading.
    #[arg(long)]
    title: Option<String>,
    /// Insights in each ranking.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// The largest themes, told one by one.
    #[arg(long, value_name = "N", default_value_t = 10)]
    themes: usize,
    /// Leave the pictures out (no Graphviz needed).
    #[arg(long)]
    no_pictures: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) => ReportFormat::from_extension(path).ok_or_else(|| {
            Error::InvalidInput(format!(
                "{}: cannot tell the report format; end the name in .md, .html or .json, or give --format",
                path.display()
            ))
        })?,
        (None, None) => ReportFormat::Markdown,
    };
    if let Some(parent) = args
        .output
        .as_ref()
        .and_then(|o| o.parent())
        .filter(|p| !p.as_os_str().is_empty())
    {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    // Markdown on standard output has nowhere to put its pictures.
    let to_stdout_md = format == ReportFormat::Markdown && args.output.is_none();
    let pictures = !(args.no_pictures || to_stdout_md);
    let built = report::build(
        &mut store,
        &ReportConfig {
            title: args.title.clone(),
            top: args.top,
            themes: args.themes,
            pictures,
        },
    )?;
    note_unkept(ctx.quiet, built.story.kept);
    if let (true, Some(why)) = (pictures, &built.pictures_missing) {
        note(
            ctx.quiet,
            format!("netgraph: the report has no pictures: {why}"),
        );
    }
    let text = match format {
        ReportFormat::Json => report::json(&built),
        ReportFormat::Html => report::html(&built),
        ReportFormat::Markdown => match &args.output {
            Some(path) => {
                let stem = path
                    .file_stem()
                    .map_or("report".into(), |s| s.to_string_lossy().into_owned());
                let mut links = Vec::new();
                for picture in &built.pictures {
                    let name = format!("{stem}-{}.svg", picture.name);
                    write_file(&path.with_file_name(&name), picture.svg.as_bytes())?;
                    links.push(name);
                }
                report::markdown(&built, Some(&links))
            }
            None => report::markdown(&built, None),
        },
    };
    match &args.output {
        Some(path) => {
            write_to(path, |w| w.write_all(text.as_bytes()))?;
            note(
                ctx.quiet,
                format!(
                    "wrote {} ({}, {} themes, {} bridges, {} gaps{})",
                    path.display(),
                    format.as_str(),
                    built.story.themes.len(),
                    built.story.bridges.len(),
                    built.story.gaps.len(),
                    if built.pictures.is_empty() {
                        String::new()
                    } else {
                        format!(", {} pictures", built.pictures.len())
                    }
                ),
            );
            Ok(())
        }
        None => to_stdout(|w| w.write_all(text.as_bytes())),
    }
}

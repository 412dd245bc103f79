//! `netgraph title`: a person's own short title for an insight.

use super::output::note;
use super::Context;
use netgraph::error::Result;
use netgraph::results::titles::check_manual;
use netgraph::store::OpenMode;

/// Set the short title pictures and narrow tables show for an insight (JSON, `show` and the
/// exports keep the full text). It stays through re-imports and `dedupe --apply`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Without a title of your own, an insight's title is the key phrase most distinctive of it
(`netgraph titles` lists them all). Titles have at most 60 characters.

Examples:
  netgraph title 12 \"Passion shift: from tech to product\"
  netgraph title \"passion shift\" \"Why CTOs become product leaders\"
  netgraph title 12 --clear
  netgraph import notes/ --titles titles.tsv      many at once (insight<TAB>title lines)")]
pub struct Args {
    /// Insight id or a piece of its text.
    #[arg(value_name = "INSIGHT")]
    insight: String,
    /// The title.
    #[arg(value_name = "TITLE", required_unless_present = "clear")]
    title: Option<String>,
    /// Remove your title: the automatic one is shown again.
    #[arg(long, conflicts_with = "title")]
    clear: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let id = store.resolve_insight(&args.insight)?;
    let title = args.title.as_deref().map(check_manual).transpose()?;
    store.set_manual_title(id, title.as_deref())?;
    match title {
        Some(t) => note(ctx.quiet, format!("#{id}: {t}")),
        None => note(ctx.quiet, format!("#{id}: back to the automatic title")),
    }
    Ok(())
}

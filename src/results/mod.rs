//! Analysis results as every command, export and picture uses them: the one place that
//! decides "kept or computed" (Neo4j GDS "write mode").
//!
//! - [`scores()`]: centrality scores of one measure ([`crate::algo::centrality`]).
//! - [`partition()`]: communities with stable ids, labels and modularity
//!   ([`crate::algo::community`]); [`name_theme`] gives a theme a person's name, which every
//!   label then shows, and [`name_changes`] says which named themes split or are gone.
//! - [`titles()`]: a short title for every insight (a person's, else the automatic one).
//! - [`Analyses`]: the graph with its partition, scores and titles, loaded once for a
//!   picture, deck or report.
//! - [`of_insight()`]: what is kept about one insight (for `show`).
//!
//! A computed result is written to the store with its parameters (a serde struct, as JSON) and
//! the graph version, and read back while the graph is unchanged. [`Reuse`] says how closely a
//! kept run must match the request. On a read-only database a computed result is returned
//! without being kept, and says so (`kept: false`): reading never fails for want of writing.

pub mod analyses;
pub mod partition;
pub mod scores;
pub mod titles;

pub use analyses::Analyses;
pub use partition::{
    name_changes, name_theme, partition, partition_timed, ChangeKind, Community, NameChange, Named,
    Partition, PartitionPhases, THEME_COLOURS,
};
pub use scores::{scores, Scores};
pub use titles::{titles, Title, TitleKind, Titles};

use crate::error::{Error, Result};
use crate::ids::InsightId;
use crate::store::runs::{KeptCommunity, KeptScore};
use crate::store::Store;
use serde::Serialize;

/// How a kept run may stand in for a computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// A run kept for the current graph with exactly the requested parameters (what
    /// `central` and `communities` use).
    SameParameters,
    /// The current run kept for the current graph, whatever its parameters (what `bridges`,
    /// `show`, exports and pictures use): the one `central` or `communities` last gave, kept
    /// or computed, so they show what the user last asked for; the request's parameters only
    /// when nothing is kept.
    AnyParameters,
    /// Compute, and keep the result (`--recompute`).
    Never,
}

/// What is kept about one insight for the current graph: the newest score of each measure
/// and its community in the newest partition.
#[derive(Debug, Clone, Serialize)]
pub struct InsightResults {
    pub centrality: Vec<KeptScore>,
    pub community: Option<KeptCommunity>,
}

/// The kept results of insight `id`; primary-key lookups only, never a computation. Its
/// community's label is the person's name for the theme when one is set.
pub fn of_insight(store: &Store, id: InsightId) -> Result<InsightResults> {
    let mut community = store.kept_community_of(id)?;
    if let Some(c) = community.as_mut() {
        if let Some(name) = store
            .theme_names()?
            .into_iter()
            .find(|n| i64::from(n.id) == c.community)
        {
            c.label = name.name;
        }
    }
    Ok(InsightResults {
        centrality: store.kept_scores_of(id)?,
        community,
    })
}

/// A short text a person gives (`what`: a title, a theme name), checked: white space
/// collapsed to one line, not empty, no control characters (an escape sequence would be
/// printed to every terminal that shows it), at most `max` characters (to fit `fits`).
/// `automatic` names what `--clear` returns to.
pub(crate) fn check_given_text(
    text: &str,
    what: &str,
    max: usize,
    fits: &str,
    automatic: &str,
) -> Result<String> {
    let text = crate::parse::normalize::collapse_whitespace(text);
    let chars = text.chars().count();
    if chars == 0 {
        return Err(Error::InvalidInput(format!(
            "the {what} is empty; give some words, or --clear to return to the automatic {automatic}"
        )));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(Error::InvalidInput(format!(
            "the {what} holds a control character (U+{:04X}); give printable text",
            u32::from(c)
        )));
    }
    if chars > max {
        return Err(Error::InvalidInput(format!(
            "the {what} has {chars} characters; at most {max} fit {fits}"
        )));
    }
    Ok(text)
}

/// Write a computed result with `write` unless the database is read-only; whether it is now
/// kept. A database found read-only only when written (a file system mounted read-only while
/// it was open) counts as read-only too, and so does one another writer (an import) holds
/// longer than the busy timeout: the result computed from the snapshot read is still right.
pub(crate) fn keep<T>(
    store: &mut Store,
    write: impl FnOnce(&mut Store) -> Result<T>,
) -> Result<bool> {
    if store.is_read_only() {
        return Ok(false);
    }
    match write(store) {
        Ok(_) => Ok(true),
        Err(Error::ReadOnlyDatabase { .. } | Error::DatabaseLocked { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

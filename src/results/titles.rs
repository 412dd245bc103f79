//! Insight titles, kept or computed: a person's title wins; otherwise the automatic title kept
//! for the current graph version, computed ([`crate::algo::titles`]) and kept when the corpus
//! changed since.

use crate::algo::titles::{titles as compute, TitleConfig};
use crate::error::Result;
use crate::ids::InsightId;
use crate::store::Store;
use serde::Serialize;

/// Where a title comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TitleKind {
    /// Set by a person (`netgraph title`, `import --titles`).
    Manual,
    /// Picked by the titles algorithm.
    Auto,
}

/// One insight's title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Title {
    pub id: InsightId,
    pub title: String,
    pub kind: TitleKind,
}

/// The title of every insight, by id.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    by_id: Vec<Title>,
    /// Computed now, not read back.
    pub computed: bool,
    /// Computed but not kept (a read-only database).
    pub not_kept: bool,
}

impl Titles {
    /// The title of insight `id`; `None` for an unknown insight.
    pub fn get(&self, id: InsightId) -> Option<&str> {
        self.by_id
            .binary_search_by_key(&id, |t| t.id)
            .ok()
            .map(|i| self.by_id[i].title.as_str())
    }

    /// Every title, by insight id.
    pub fn all(&self) -> &[Title] {
        &self.by_id
    }
}

/// The titles of all insights. Computing them reads every insight's text once: O(W) for the
/// corpus's W words (see [`crate::algo::titles`]); reading kept ones is O(V).
pub fn titles(store: &mut Store) -> Result<Titles> {
    let version = store.graph_version()?;
    let mut result = Titles::default();
    if store.titles_version()? != Some(version) {
        let texts = store.insight_texts()?;
        let refs: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        let picked = compute(&refs, &TitleConfig::default());
        let auto: Vec<(InsightId, String)> = texts.iter().map(|(id, _)| *id).zip(picked).collect();
        result.computed = true;
        // A database that cannot be written still gets its titles, just not kept.
        if let Err(e) = store.write_auto_titles(&auto, version) {
            if e.exit_code() != crate::error::exit_code::DATABASE {
                return Err(e);
            }
            result.not_kept = true;
            result.by_id = merge_manual(store, auto)?;
            return Ok(result);
        }
    }
    let rows = store.titles()?;
    result.by_id = rows
        .into_iter()
        .filter_map(|row| match (row.manual, row.auto) {
            (Some(title), _) => Some(Title {
                id: row.id,
                title,
                kind: TitleKind::Manual,
            }),
            (None, Some(title)) => Some(Title {
                id: row.id,
                title,
                kind: TitleKind::Auto,
            }),
            (None, None) => None,
        })
        .collect();
    Ok(result)
}

/// Automatic titles with the kept manual ones laid over them.
fn merge_manual(store: &Store, auto: Vec<(InsightId, String)>) -> Result<Vec<Title>> {
    let manual: std::collections::HashMap<InsightId, String> = store
        .titles()?
        .into_iter()
        .filter_map(|r| Some((r.id, r.manual?)))
        .collect();
    Ok(auto
        .into_iter()
        .map(|(id, title)| match manual.get(&id) {
            Some(m) => Title {
                id,
                title: m.clone(),
                kind: TitleKind::Manual,
            },
            None => Title {
                id,
                title,
                kind: TitleKind::Auto,
            },
        })
        .collect())
}

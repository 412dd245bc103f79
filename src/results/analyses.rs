//! The analyses a picture, deck or report reads, loaded once: the graph, its communities, the
//! scores that rank and size the insights, and the titles.

use super::{partition, scores, titles, Partition, Reuse, Scores, Titles};
use crate::algo::centrality::{CentralityConfig, Measure};
use crate::algo::community::{Algorithm, CommunityConfig};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use crate::store::Store;

/// The graph and what the user last computed for it (any parameters; Leiden and the measure's
/// defaults, computed and kept, when nothing is kept), read once and shared by every part of a
/// picture, deck or report.
#[derive(Debug, Clone)]
pub struct Analyses {
    pub graph: InsightGraph,
    pub partition: Partition,
    /// Scores of the measure that ranks and sizes insights.
    pub scores: Scores,
    pub titles: Titles,
    /// The graph version the analyses belong to.
    pub version: i64,
}

impl Analyses {
    /// Load the graph and its analyses, ranking by `size_by`. O(V + E) to read a kept graph
    /// and runs; a detection or centrality computation when none is kept.
    ///
    /// Errors: [`Error::EmptyGraph`] when the database has no insights.
    pub fn load(store: &mut Store, size_by: Measure) -> Result<Analyses> {
        // Titles first: computing them reads every text, and that working set is gone before
        // the graph (the largest part of memory) is loaded.
        let titles = titles(store)?;
        return_freed_memory();
        let graph = store.load_graph()?;
        if graph.is_empty() {
            return Err(Error::EmptyGraph);
        }
        let partition = partition(
            store,
            &graph,
            &CommunityConfig::for_graph(Algorithm::Leiden, graph.node_count()),
            Reuse::AnyParameters,
        )?;
        let scores = scores(
            store,
            &graph,
            &CentralityConfig::new(size_by),
            Reuse::AnyParameters,
        )?;
        let version = store.graph_version()?;
        // Detecting communities (a working copy of the graph per restart, the labels' pass
        // over every text) leaves freed memory in the allocator's arenas, under what a caller
        // computes next: a first `deck` at 1M insights (betweenness next) peaked at 3.40 GiB,
        // 3.27 GiB with this.
        return_freed_memory();
        Ok(Analyses {
            graph,
            partition,
            scores,
            titles,
            version,
        })
    }

    /// The measure that ranks and sizes insights.
    pub fn size_by(&self) -> Measure {
        self.scores.measure
    }

    /// The partition and scores are in the store (`false` on a read-only database that had
    /// to compute them).
    pub fn kept(&self) -> bool {
        self.partition.kept && self.scores.kept
    }

    /// The scores of `measure`: the loaded ones, else the newest kept for this graph, else
    /// computed with the defaults (and kept).
    pub fn scores_of(&self, store: &mut Store, measure: Measure) -> Result<Scores> {
        if measure == self.scores.measure {
            return Ok(self.scores.clone());
        }
        scores(
            store,
            &self.graph,
            &CentralityConfig::new(measure),
            Reuse::AnyParameters,
        )
    }
}

/// Give the memory freed so far back to the operating system. glibc's allocator keeps freed
/// blocks in each thread's arena; after a pass over every text on every core (the titles, the
/// report's near-duplicates) that is about 0.6 GiB at 1M insights, which the graph loaded next would otherwise sit on
/// top of (measured at 1M pages: the first `render` peaked at 4.18 GiB, 3.55 GiB with this).
/// Elsewhere a no-op.
pub(crate) fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim(3) takes no pointer and only releases free heap memory; it is
        // safe to call at any time from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}

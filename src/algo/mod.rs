//! Graph algorithms over [`crate::graph::InsightGraph`]: centrality and community detection.

pub mod centrality;
pub mod community;

//! Graph algorithms over [`crate::graph::InsightGraph`]: centrality and community detection.

pub mod bridges;
pub mod centrality;
pub mod community;
pub mod path;
pub mod rng;
pub mod titles;

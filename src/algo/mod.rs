//! Graph algorithms over [`crate::graph::InsightGraph`]: centrality, community detection, backbones, paths,
//! titles.

pub mod backbone;
pub mod bridges;
pub mod centrality;
pub mod community;
pub mod path;
pub mod rng;
pub mod titles;

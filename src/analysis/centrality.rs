//! Kept centrality scores.

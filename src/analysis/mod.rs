//! Analysis results as the commands use them: computed by [`crate::algo`] on the graph loaded
//! from the store, written back to the store with their parameters and graph version, and
//! reused while the graph is unchanged (Neo4j GDS "write mode").

pub mod centrality;
pub mod communities;

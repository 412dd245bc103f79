//! # netgraph
//!
//! Turn a pile of insight documents into a network you can query, measure and show.
//!
//! A document travels one way through the crate:
//!
//! ```text
//! files --parse--> insights --store--> SQLite --graph--> petgraph CSR --algo--> scores, communities
//!                                         ^                                        |
//!                                         +------------- kept results -------------+
//!                                         |
//!                                         +--export--> DOT / SVG / PNG, GraphML, GEXF, JSON, CSV
//! ```
//!
//! - [`parse`]: one parser per document format behind [`parse::DocumentParser`]; insight
//!   identity ([`parse::normalize`]).
//! - [`import`]: walking paths, reading files in parallel, incremental and transactional import.
//! - [`cooccurrence`]: what an appears-with edge and its weight mean.
//! - [`ids`]: the identifier types every layer shares (`InsightId`, `SourceId`, node index).
//! - [`store`]: the SQLite database (`schema.sql`), migrations, bulk writes, typed reads.
//! - [`graph`]: the insight graph as a petgraph `Csr`.
//! - [`algo`]: centrality and community detection, each checked against networkx/igraph.
//! - [`results`]: the one place that decides "kept or computed" for scores and communities.
//! - [`export`]: Graphviz DOT and the other exchange formats.
//! - [`dedupe`]: near-duplicate insights (shingles, MinHash, LSH) and the user's thesaurus.
//!
//! The library never prints and does not depend on the CLI; the `netgraph` binary is a thin
//! layer over it.

pub mod algo;
pub mod cooccurrence;
pub mod dedupe;
pub mod error;
pub mod export;
pub mod graph;
pub mod ids;
pub mod import;
pub mod parse;
pub mod results;
pub mod store;

pub use error::{Error, Result};

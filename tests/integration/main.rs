//! End-to-end tests of the real `netgraph` binary, one module per subcommand, all in one test
//! binary (one link step). Each test works in its own temporary folder.

mod common;

mod test_central;
mod test_communities;
mod test_explore;
mod test_export;
mod test_golden;
mod test_import;
mod test_properties;
mod test_robustness;
mod test_stats;
mod test_themes;
mod test_titles;

//! End-to-end tests of the real `netgraph` binary, one module per subcommand, all in one test
//! binary (one link step). Each test works in its own temporary folder.

mod common;

mod test_backbone;
mod test_central;
mod test_communities;
mod test_deck;
mod test_explore;
mod test_export;
mod test_golden;
mod test_import;
mod test_layout;
mod test_overlap;
mod test_page;
mod test_pinned;
mod test_properties;
mod test_report;
mod test_robustness;
mod test_stats;
mod test_theme_map;
mod test_themes;
mod test_titles;
mod test_walk;

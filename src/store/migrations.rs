//! Schema versions, after cargo's `util/sqlite.rs`: an append-only list of migrations keyed on
//! `PRAGMA user_version`, run in one exclusive transaction when a database is opened.
//!
//! A new database gets `schema.sql` whole. An older one gets every migration after its version.
//! Never edit a released migration; append one and update `schema.sql` to match (the test
//! `fresh_schema_equals_migrated_schema` holds the two together).

/// The whole current schema; applied to new databases.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// `MIGRATIONS[i]` takes a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first released schema (schema.sql at version 1, frozen).
    include_str!("migrations/v1.sql"),
    // 1 -> 2: short titles of insights.
    include_str!("migrations/v2_titles.sql"),
    // 2 -> 3: kept picture layouts.
    include_str!("migrations/v3_layouts.sql"),
    // 3 -> 4: names people gave themes.
    include_str!("migrations/v4_theme_names.sql"),
    // 4 -> 5: what each deck showed.
    include_str!("migrations/v5_deck_states.sql"),
    // 5 -> 6: the colours themes keep from run to run.
    include_str!("migrations/v6_theme_colours.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of netgraph databases: "NGRH".
pub const APPLICATION_ID: i64 = 0x4E47_5248;

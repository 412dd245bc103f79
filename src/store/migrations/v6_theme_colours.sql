-- The colour each theme of one run is drawn in: its place in the pictures' palette (`PALETTE`
-- in src/export/view.rs). A theme that continues one of the run it was matched to keeps that
-- theme's colour, so pictures made before and after an import can be set side by side; the
-- largest themes without one take the free places, most distinct first. A theme without a row
-- is drawn grey. A run with no rows at all (kept before this table) is coloured by size rank.
CREATE TABLE theme_colours (
    run_id       INTEGER NOT NULL REFERENCES analysis_runs (id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    colour       INTEGER NOT NULL,
    PRIMARY KEY (run_id, community_id)
) WITHOUT ROWID;

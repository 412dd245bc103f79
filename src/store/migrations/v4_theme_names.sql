-- Names people gave themes (`netgraph communities name K "..."`), keyed by the stable community
-- id, so a name follows its theme through re-runs and incremental imports; shown instead of the
-- automatic label wherever the theme appears. `became` is what the last partition computed
-- found when the named theme did not continue whole: the ids of the themes that hold its
-- insights, space-separated (its own id first when it continued but split); NULL when it
-- continued whole. `communities` reports a split or a theme that no longer exists from it.
CREATE TABLE theme_names (
    community_id INTEGER PRIMARY KEY,         -- communities.community_id
    name         TEXT    NOT NULL,
    named_at     TEXT    NOT NULL,            -- UTC, ISO 8601
    became       TEXT
);

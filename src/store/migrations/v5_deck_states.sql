-- What each deck showed (`netgraph deck`), so the next deck made after the graph changed can
-- say what changed: one row per graph version a deck was made from. `state` is JSON: the themes
-- (stable id, name, size), the ranks of the most central insights, and the highest insight id.
CREATE TABLE deck_states (
    graph_version INTEGER PRIMARY KEY,        -- meta.graph_version the deck was made from
    made_at       TEXT    NOT NULL,           -- UTC, ISO 8601
    state         TEXT    NOT NULL
);

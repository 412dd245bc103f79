-- Short titles of insights (`netgraph titles`). `manual` is a person's title (`netgraph title`,
-- `import --titles`), kept until cleared, through re-imports and merges; `auto` is the key
-- phrase the titles algorithm picked, refreshed when meta.titles_version falls behind
-- meta.graph_version. A row exists only for insights that have either.
CREATE TABLE titles (
    insight_id INTEGER PRIMARY KEY,           -- insights.id
    manual     TEXT,
    auto       TEXT
);
CREATE TRIGGER titles_cascade AFTER DELETE ON insights BEGIN
    DELETE FROM titles WHERE insight_id = old.id;
END;

-- netgraph database schema, version 6.
--
-- The whole schema of a fresh database. netgraph applies it when it creates a database and
-- migrates older databases forward (src/store/migrations.rs); PRAGMA user_version holds the
-- version and PRAGMA application_id marks the file as netgraph's (0x4E475248, "NGRH").
--
-- Nodes are insights and sources; edges are occurrences (appears-in), appears_with and the
-- related_to view. Ids are integers so the graph loads into petgraph without lookups by text.

-- Key/value settings of the graph: the co-occurrence window, the graph version counter.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Source nodes: one per file, or one per named source inside a multi-source file (JSONL).
-- A file is known by its path and content hash; size and mtime let an unchanged file be
-- skipped without reading it.
CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL,           -- absolute path of the file
    name         TEXT    NOT NULL DEFAULT '', -- source name inside the file ('' = the whole file)
    title        TEXT,                       -- page title, Markdown title, JSONL source name
    format       TEXT    NOT NULL,           -- parser used: riffon, paragraphs, markdown, lines, jsonl
    content_hash TEXT    NOT NULL,           -- xxh3-128 of the file's bytes, hex
    size         INTEGER NOT NULL,           -- file size in bytes
    mtime_ns     INTEGER NOT NULL,           -- file modification time, ns since the epoch
    imported_at  TEXT    NOT NULL,           -- UTC, ISO 8601
    UNIQUE (path, name)
);

-- Insight nodes, deduplicated by key (normalized text: NFKC, folded quotes and dashes,
-- collapsed white space, lower case). text is the first form seen.
CREATE TABLE insights (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so ids users saw stay meaningful
    key  TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL
);

-- appears-in edges: insight -> source, with the insight's place and role in the source.
CREATE TABLE occurrences (
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    position   INTEGER NOT NULL,             -- 0-based order of insights in the source
    insight_id INTEGER NOT NULL REFERENCES insights (id),
    role       TEXT    NOT NULL CHECK (role IN ('headline', 'related', 'body')),
    line       INTEGER NOT NULL,             -- 1-based line in the file
    context    TEXT,                         -- heading path above the insight (Markdown)
    PRIMARY KEY (source_id, position)
) WITHOUT ROWID;
CREATE INDEX occurrences_by_insight ON occurrences (insight_id, source_id);

-- appears-with edges: undirected insight -- insight, stored once with a < b.
-- weight = number of distinct sources holding both (within the co-occurrence window, if set).
-- Clustered on (a, b): a full scan streams the edge list in order, which is how the graph
-- is loaded.
CREATE TABLE appears_with (
    a      INTEGER NOT NULL,
    b      INTEGER NOT NULL,
    weight INTEGER NOT NULL CHECK (weight > 0),
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;

-- The same edges keyed by their larger end, so the neighbours of one insight are two range
-- reads (a = x in appears_with, b = x here). Kept in step with appears_with by import and
-- dedupe; written in order, which is cheaper than building an index on appears_with (b, a).
CREATE TABLE appears_with_rev (
    b      INTEGER NOT NULL,
    a      INTEGER NOT NULL,
    weight INTEGER NOT NULL CHECK (weight > 0),
    PRIMARY KEY (b, a),
    CHECK (a < b)
) WITHOUT ROWID;

-- The insight graph as compact arrays (a CSR holding both directions of every appears-with
-- edge), written by the first analysis after the graph changed, so later commands load millions
-- of edges without scanning and sorting appears_with. Valid only while graph_version matches
-- meta.graph_version. ids: i64 LE per node (ascending); offsets: u64 LE, nodes + 1;
-- targets: u32 LE node indices; weights: u32 LE, parallel to targets.
CREATE TABLE graph_snapshot (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    graph_version INTEGER NOT NULL,
    ids           BLOB    NOT NULL,
    offsets       BLOB    NOT NULL,
    targets       BLOB    NOT NULL,
    weights       BLOB    NOT NULL
);

-- related-to edges: headline -> related insight of a riffon page; weight = pages that say so.
-- Directed; maintained by import like appears_with.
CREATE TABLE related_to (
    headline INTEGER NOT NULL,
    related  INTEGER NOT NULL,
    weight   INTEGER NOT NULL CHECK (weight > 0),
    PRIMARY KEY (headline, related)
) WITHOUT ROWID;

-- Both directions of every appears-with edge, for queries that start from one insight.
CREATE VIEW neighbors (insight_id, neighbor_id, weight) AS
    SELECT a, b, weight FROM appears_with
    UNION ALL
    SELECT b, a, weight FROM appears_with_rev;

-- Kept analysis results (written by `central`, `communities`), tagged with the graph version
-- and parameters they were computed with.
CREATE TABLE analysis_runs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,          -- 'centrality' or 'communities'
    measure       TEXT    NOT NULL,          -- pagerank, betweenness, ..., leiden, louvain
    params        TEXT    NOT NULL,          -- canonical JSON of the parameters
    graph_version INTEGER NOT NULL,          -- meta.graph_version when computed
    computed_at   TEXT    NOT NULL,
    summary       TEXT    NOT NULL DEFAULT '{}', -- JSON: modularity, iterations, approximate...
    UNIQUE (kind, measure, params)
);

-- Centrality scores of one run.
CREATE TABLE centrality (
    run_id     INTEGER NOT NULL REFERENCES analysis_runs (id) ON DELETE CASCADE,
    insight_id INTEGER NOT NULL,
    score      REAL    NOT NULL,
    PRIMARY KEY (run_id, insight_id)
) WITHOUT ROWID;

-- Community memberships of one run; community ids are kept stable across runs.
CREATE TABLE memberships (
    run_id       INTEGER NOT NULL REFERENCES analysis_runs (id) ON DELETE CASCADE,
    insight_id   INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    PRIMARY KEY (run_id, insight_id)
) WITHOUT ROWID;

-- Community labels of one run.
CREATE TABLE communities (
    run_id       INTEGER NOT NULL REFERENCES analysis_runs (id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    label        TEXT    NOT NULL,
    PRIMARY KEY (run_id, community_id)
) WITHOUT ROWID;

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

-- Insight -> number of sources, for display.
CREATE VIEW insight_sources (insight_id, sources) AS
    SELECT insight_id, COUNT(DISTINCT source_id) FROM occurrences GROUP BY insight_id;

-- Full-text index of insight texts for `search` and for naming insights by a piece of their
-- text. External content: the text is stored once, in insights. New insights are indexed by
-- import's last step in one statement (a bulk load into an empty database rebuilds the index),
-- which is cheaper than a trigger per inserted row; meta 'search_indexed_up_to' is the highest
-- insight id indexed (ids are never reused, so everything above it is new). Deletes and text
-- changes are rare and handled by the triggers below.
CREATE VIRTUAL TABLE insights_fts USING fts5 (
    text,
    content = 'insights',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER insights_fts_delete AFTER DELETE ON insights
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_up_to')
BEGIN
    INSERT INTO insights_fts (insights_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER insights_fts_update AFTER UPDATE OF text ON insights
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_up_to')
BEGIN
    INSERT INTO insights_fts (insights_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO insights_fts (rowid, text) VALUES (new.id, new.text);
END;

-- Full-text index of source titles (external content on sources). One source per page, so
-- per-row triggers are affordable here, and source ids can be reused, which rules out a
-- high-water mark.
CREATE VIRTUAL TABLE sources_fts USING fts5 (
    title,
    content = 'sources',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
    INSERT INTO sources_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
    INSERT INTO sources_fts (sources_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER sources_fts_update AFTER UPDATE OF title ON sources BEGIN
    INSERT INTO sources_fts (sources_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO sources_fts (rowid, title) VALUES (new.id, new.title);
END;

-- Recorded merges of near-duplicate insights (`dedupe --apply`): one row per merged group.
CREATE TABLE merges (
    id         INTEGER PRIMARY KEY,
    insight_id INTEGER NOT NULL,             -- the insight the group was merged into
    similarity REAL    NOT NULL,             -- lowest similarity of a pair that joined the group
    threshold  REAL    NOT NULL,             -- the --threshold the merge was planned with
    merged_at  TEXT    NOT NULL              -- UTC, ISO 8601
);

-- Insight variants: texts merged into another insight. Import looks keys up here as well as in
-- insights, so a later import of a variant text follows the merge. Deleting an insight deletes
-- its variants (trigger below).
CREATE TABLE insight_aliases (
    key        TEXT    PRIMARY KEY,          -- identity key of the variant text
    insight_id INTEGER NOT NULL,             -- the insight it now means
    text       TEXT    NOT NULL,             -- the variant's text as first seen
    old_id     INTEGER NOT NULL,             -- the id the variant had before the merge
    merge_id   INTEGER REFERENCES merges (id)
) WITHOUT ROWID;
CREATE INDEX insight_aliases_by_insight ON insight_aliases (insight_id);
CREATE INDEX insight_aliases_by_old_id ON insight_aliases (old_id);
CREATE TRIGGER insight_aliases_cascade AFTER DELETE ON insights BEGIN
    DELETE FROM insight_aliases WHERE insight_id = old.id;
END;

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

-- Kept picture layouts: where each node of a picture was drawn, so the next picture of the
-- same kind and filters keeps known insights in place (`netgraph render`; `--relayout` starts
-- afresh). `picture` names the kind and options ("insights top=30 size=pagerank labels=title
-- ..."); `node` is the DOT node name (`n17` insight 17, `t4` theme 4, `s2` source 2); x and y
-- are Graphviz points.
CREATE TABLE layouts (
    picture TEXT NOT NULL,
    node    TEXT NOT NULL,
    x       REAL NOT NULL,
    y       REAL NOT NULL,
    PRIMARY KEY (picture, node)
) WITHOUT ROWID;

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

-- What each deck showed (`netgraph deck`), so the next deck made after the graph changed can
-- say what changed: one row per graph version a deck was made from. `state` is JSON: the themes
-- (stable id, name, size), the ranks of the most central insights, and the highest insight id.
CREATE TABLE deck_states (
    graph_version INTEGER PRIMARY KEY,        -- meta.graph_version the deck was made from
    made_at       TEXT    NOT NULL,           -- UTC, ISO 8601
    state         TEXT    NOT NULL
);

PRAGMA user_version = 5;
PRAGMA application_id = 1313296968;

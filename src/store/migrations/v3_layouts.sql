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

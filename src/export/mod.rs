//! Exports of the insight graph: Graphviz DOT and exchange formats.

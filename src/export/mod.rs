//! Exports of the insight graph: a slide-ready Graphviz picture and the exchange formats
//! other tools read.
//!
//! Every export starts from the same [`view::View`], the subgraph the filters keep with its
//! scores and communities, so a DOT, a GraphML and a CSV made with the same flags show the
//! same insights.
//!
//! - [`dot`]: Graphviz DOT styled for slides; [`render`] runs Graphviz on it.
//! - [`graphml`]: GraphML for networkx, Gephi, Cytoscape and yEd.
//! - [`gexf`]: GEXF 1.3 with colours and sizes, for Gephi.
//! - [`json`]: node-link JSON (networkx `node_link_data`, d3).
//! - [`csv`]: node and relationship files for `neo4j-admin database import`.

pub mod csv;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod render;
pub mod view;

use crate::error::{Error, Result};
use std::path::Path;

/// Escape text for XML content and attribute values (GraphML, GEXF). Control characters XML
/// 1.0 cannot hold are dropped.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A float as the exchange formats write it: shortest round-trip form, integers without a
/// fraction ("3", not "3.0").
pub(crate) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Write `bytes` to `path`; a missing parent folder is reported as such, not as an I/O error.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_and_controls() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'>\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;"
        );
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.25), "0.25");
    }
}

//! Exports of the insight graph: a slide-ready Graphviz picture and the exchange formats
//! other tools read.
//!
//! Every export starts from the same [`view::View`], the subgraph the filters keep with its
//! scores and communities, so a DOT, a GraphML and a CSV made with the same flags show the
//! same insights.
//!
//! - [`dot`]: Graphviz DOT styled for slides; [`render`] runs Graphviz on it, and [`layout`]
//!   reads back where Graphviz placed every node, which [`page`] draws as an interactive page.
//! - [`draw`]: lay out, then draw with every position pinned (kept layouts, the key).
//! - [`picture`]: whether a picture draws insights or themes.
//! - [`theme_map`]: one circle per theme, for graphs too large to show insight by insight.
//! - [`graphml`]: GraphML for networkx, Gephi, Cytoscape and yEd.
//! - [`gexf`]: GEXF 1.3 with colours and sizes, for Gephi.
//! - [`json`]: node-link JSON (networkx `node_link_data`, d3).
//! - [`csv`]: node and relationship files for `neo4j-admin database import`.

pub mod csv;
pub mod deck;
pub mod dot;
pub mod draw;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod layout;
pub mod page;
pub mod picture;
pub mod render;
pub mod report;
pub mod story;
pub mod theme_map;
pub mod view;

use crate::error::{Error, Result};
use std::io::{self, Write};
use std::path::Path;
use view::View;

/// A single-file export format. Every one writes a [`View`] to a stream with the same
/// signature, so the command line treats them alike; the Neo4j CSV export, a folder of files,
/// is [`csv::write_files`].
#[derive(Debug, Clone, PartialEq)]
pub enum FileFormat {
    /// Graphviz DOT styled for slides.
    Dot(dot::DotStyle),
    /// GraphML for networkx, Gephi, Cytoscape and yEd.
    GraphMl,
    /// GEXF 1.3 for Gephi.
    Gexf,
    /// Node-link JSON for networkx and d3.
    Json,
}

impl FileFormat {
    /// Write `view` in this format to `out`.
    pub fn write(&self, view: &View, out: &mut dyn Write) -> io::Result<()> {
        match self {
            FileFormat::Dot(style) => dot::write(view, style, out),
            FileFormat::GraphMl => graphml::write(view, out),
            FileFormat::Gexf => gexf::write(view, out),
            FileFormat::Json => json::write(view, out),
        }
    }
}

/// Whether XML 1.0 can hold `c` at all (its `Char` production, §2.2: tab, line feed,
/// carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escape text for XML content and attribute values (GraphML, GEXF). Characters outside XML
/// 1.0's `Char` production (C0 controls, U+FFFE, U+FFFF) are dropped, so every parser accepts
/// the file; C1 controls, which XML allows but no text means, are dropped too.
///
/// Written by hand rather than with quick-xml's `escape`: attribute values must keep line
/// breaks and tabs as character references (attribute-value normalization, XML 1.0 §3.3.3,
/// would turn raw ones into spaces), and quick-xml neither does that nor drops what XML
/// cannot hold.
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
            c if c.is_control() || !xml_char(c) => {}
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
    write_to(path, |w| w.write_all(bytes))
}

/// Stream into the file at `path` (created or replaced) through a buffer, so an export never
/// holds the whole file in memory, replacing it only once whole ([`replace_file`]). A
/// missing parent folder is [`Error::MissingPath`].
pub fn write_to(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    replace_file(path, |into| {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut w = io::BufWriter::new(std::fs::File::create(into).map_err(io)?);
        write(&mut w).and_then(|()| w.flush()).map_err(io)
    })
}

/// Make the file at `path` with `fill`, which writes the file it is given, replacing what is
/// there only once `fill` succeeded: `fill` writes a hidden temporary file beside it, renamed
/// over it at the end, so a full disk, an error or a failed Graphviz halfway leaves the
/// previous file as it was (and no temporary file). A symbolic link is written through (its
/// target is replaced); a device or pipe (`-o /dev/stdout`) is given to `fill` directly. The
/// temporary file is created first, so a folder that cannot be written is an I/O error before
/// any work. A missing parent folder is [`Error::MissingPath`].
pub fn replace_file(path: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return fill(path),
        // Through a link to its file; anything else is the path itself.
        Ok(_) => std::fs::canonicalize(path).map_err(io)?,
        Err(_) => path.to_path_buf(),
    };
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temporary = target.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    std::fs::File::create(&temporary).map_err(io)?;
    let made = fill(&temporary).and_then(|()| std::fs::rename(&temporary, &target).map_err(io));
    if made.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    made
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_that_fails_halfway_leaves_the_previous_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.json");
        write_file(&path, b"previous export").unwrap();
        let failed = write_to(&path, |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
        });
        assert!(matches!(failed, Err(Error::Io { .. })), "{failed:?}");
        assert_eq!(std::fs::read(&path).unwrap(), b"previous export");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
        // Whole, it replaces the file; through a link, the link's file.
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        write_file(&link, b"new export").unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&path).unwrap(), b"new export");
    }

    #[test]
    fn xml_escape_covers_markup_and_controls() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'>\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;"
        );
        // Outside XML 1.0's Char production: dropped, so parsers accept the file.
        assert_eq!(xml_escape("a\u{FFFE}b\u{FFFF}c\u{0}d\u{85}e"), "abcde");
        assert_eq!(xml_escape("\u{10000}\u{E000}"), "\u{10000}\u{E000}");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.25), "0.25");
    }
}

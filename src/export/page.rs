//! The interactive page: one self-contained HTML file to explore a [`View`] in a browser —
//! pan and zoom, hover for an insight's whole text, click for its sources, neighbours, scores
//! and theme, search by words, filter by theme.
//!
//! The positions are Graphviz's ([`super::layout`]) for the same DOT `render` draws, so the
//! page and the pictures agree; the browser computes no layout. Drawing is WebGL through
//! sigma.js and graphology, vendored in `src/export/page/vendor/` (versions, checksums and
//! licences in its README) and inlined with the page's own script and style: the file loads
//! nothing, and its Content-Security-Policy forbids it to (`default-src 'none'`).
//!
//! The data travels as JSON in a `<script type="application/json">` block. Every `<` in it
//! is written `\u003c`, so no text (an insight reading `</script><script>...`) can end the
//! block or open a comment in it: the HTML parser only ever sees the JSON.
//!
//! Size: the page holds every shown insight's text and every edge among them; 1,000 insights
//! of ~300 characters with 60,500 edges make a 2.6 MB file, 5,000 with 230,263 edges 7.6 MB
//! (see the README for measurements).
//! Above [`MAX_INSIGHTS`] the command shows the most central ones and says so.

use super::dot::{to_dot, DotStyle};
use super::layout::{layout, Layout, Rect};
use super::render::keep_dot;
use super::view::View;
use super::write_file;
use crate::algo::centrality::Measure;
use crate::error::{Error, Result};
use crate::ids::{InsightId, SourceId};
use crate::store::sources::SourceNode;
use serde::Serialize;
use std::path::Path;

/// Most insights a page shows. Past this, Graphviz's layout takes minutes and the page stops
/// being fluid (measured: see the README); the command shows the most central ones and says
/// so on stderr and in the page.
pub const MAX_INSIGHTS: usize = 5_000;

/// The vendored scripts, as published on npm (see `page/vendor/README.md`).
const SIGMA: &str = include_str!("page/vendor/sigma-3.0.3.min.js");
const GRAPHOLOGY: &str = include_str!("page/vendor/graphology-0.26.0.umd.min.js");
/// Their licences (MIT), which must travel with every copy: the page carries them in a
/// comment.
const LICENCES: [(&str, &str); 4] = [
    (
        "sigma.js 3.0.3",
        include_str!("page/vendor/LICENSE-sigma.txt"),
    ),
    (
        "graphology-utils 2.5.2 (bundled in sigma.js)",
        include_str!("page/vendor/LICENSE-graphology-utils.txt"),
    ),
    (
        "events 3.3.0 (bundled in sigma.js)",
        include_str!("page/vendor/LICENSE-events.txt"),
    ),
    (
        "graphology 0.26.0",
        include_str!("page/vendor/LICENSE-graphology.txt"),
    ),
];

/// The page's own parts.
const TEMPLATE: &str = include_str!("page/page.html");
const STYLE: &str = include_str!("page/page.css");
const SCRIPT: &str = include_str!("page/page.js");

/// How the page is titled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageOptions {
    /// The heading (the picture's `--title`); the browser tab shows it too.
    pub title: Option<String>,
    /// The view was cut to [`MAX_INSIGHTS`]: the page says so.
    pub clipped: bool,
}

/// The sources of the shown insights, for the panel a click opens: the pair
/// [`crate::store::Store::appears_in`] returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct Provenance<'a> {
    /// Sorted by id.
    pub sources: &'a [SourceNode],
    /// (insight, source), sorted.
    pub appears_in: &'a [(InsightId, SourceId)],
}

/// Lay out `view` as `render` draws it with `style` (the same DOT, so the same positions), and
/// write its page to `output`.
///
/// Errors: [`Error::ExternalTool`] when Graphviz is missing or fails (the DOT is then written
/// next to `output`, as [`super::render::render`] does), [`Error::MissingPath`] or
/// [`Error::Io`] when `output` cannot be written.
pub fn write_page(
    view: &View,
    style: &DotStyle,
    provenance: Provenance<'_>,
    options: &PageOptions,
    output: &Path,
) -> Result<()> {
    let dot = to_dot(view, style);
    let layout = layout(&dot).map_err(|e| keep_dot(e, &dot, output))?;
    let html = to_html(view, &layout, provenance, options)?;
    write_file(output, html.as_bytes())
}

/// The page of `view`, its insights placed where `layout` (Graphviz's layout of the view's
/// DOT) put them. O(V log V + E) after the layout.
///
/// Errors: [`Error::InvalidInput`] when an insight of the view is not in the layout (the
/// layout is of another view).
pub fn to_html(
    view: &View,
    layout: &Layout,
    provenance: Provenance<'_>,
    options: &PageOptions,
) -> Result<String> {
    let data = page_data(view, layout, provenance, options)?;
    let json = serde_json::to_string(&data).expect("page data serializes");
    let title = options
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or("Insight network");
    let mut licences = String::new();
    for (name, text) in LICENCES {
        licences.push_str(&format!("\n{name}:\n\n{}\n", text.trim_end()));
    }
    let html = fill(
        TEMPLATE,
        &[
            ("TITLE", &html_escape(title)),
            ("STYLE", STYLE),
            ("LICENCES", &comment_safe(&licences)),
            ("DATA", &script_safe_json(&json)),
            ("GRAPHOLOGY", without_source_map(GRAPHOLOGY)),
            ("SIGMA", without_source_map(SIGMA)),
            ("SCRIPT", SCRIPT),
        ],
    );
    Ok(html)
}

/// `template` with every `{{NAME}}` replaced by its content, in one pass: what goes in is
/// never searched again, so a title or an insight reading `{{DATA}}` stays text.
fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let extra: usize = slots.iter().map(|(_, c)| c.len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find("}}").and_then(|end| {
            let name = &after[..end];
            slots
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, content)| (end, *content))
        }) {
            Some((end, content)) => {
                out.push_str(content);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What the page's script reads.
#[derive(Serialize)]
struct PageData<'a> {
    title: Option<&'a str>,
    /// "The 30 most central of 37 insights · circle area: PageRank · ...", as the picture.
    caption: String,
    /// Set when the view was cut to [`MAX_INSIGHTS`].
    clipped: Option<usize>,
    /// The measure that sizes the circles, then every kept measure, for the panel.
    size_by: &'static str,
    measures: Vec<&'static str>,
    graph_nodes: usize,
    themes: Vec<ThemeData<'a>>,
    sources: Vec<SourceData<'a>>,
    nodes: Vec<NodeData<'a>>,
    /// (node index, node index, sources in common), node indices into `nodes`.
    edges: Vec<(u32, u32, f64)>,
    /// Graphviz's bounding box of the shown insights, circles and labels: x0, y0, x1, y1
    /// (points, y up). The picture's box also holds its legend, which the page shows apart.
    extent: [f64; 4],
    /// Font size of the labels in the layout, in points.
    label_points: f64,
}

#[derive(Serialize)]
struct ThemeData<'a> {
    label: &'a str,
    colour: &'a str,
    /// `None` for "other themes".
    community: Option<u32>,
    shown: usize,
}

#[derive(Serialize)]
struct SourceData<'a> {
    title: &'a str,
    /// The file's name, without its folders (a shared page should not tell where files sit).
    file: &'a str,
}

#[derive(Serialize)]
struct NodeData<'a> {
    id: u32,
    title: &'a str,
    text: &'a str,
    theme: usize,
    /// Its score in `size_by`, then all, parallel to `measures`.
    score: f64,
    scores: &'a [f64],
    /// How many sources hold it, and which (indices into `sources`).
    n_sources: i64,
    sources: Vec<u32>,
    /// Centre and circle radius, in layout points (y up).
    x: f64,
    y: f64,
    r: f64,
    /// The label lines Graphviz drew under the circle: text, then the offset of the line's
    /// centre and baseline from the node's centre (points, y up).
    label: Vec<(&'a str, f64, f64)>,
}

fn page_data<'a>(
    view: &'a View,
    layout: &'a Layout,
    provenance: Provenance<'a>,
    options: &'a PageOptions,
) -> Result<PageData<'a>> {
    let mut placed: Vec<(u32, usize)> = layout
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.insight().map(|id| (id.0, i)))
        .collect();
    placed.sort_unstable();
    let source_index = |id: SourceId| {
        provenance
            .sources
            .binary_search_by_key(&id, |s| s.id)
            .ok()
            .map(|i| i as u32)
    };
    let mut label_points = 0.0f64;
    let mut extent: Option<Rect> = None;
    let mut nodes = Vec::with_capacity(view.nodes.len());
    for node in &view.nodes {
        let at = placed
            .binary_search_by_key(&node.id.0, |&(id, _)| id)
            .map_err(|_| {
                Error::InvalidInput(format!(
                    "insight #{} is not in the layout: the layout is of another view",
                    node.id
                ))
            })?;
        let p = &layout.nodes[placed[at].1];
        let r = p.shape.map_or(p.width.min(p.height), |s| s.width()) / 2.0;
        let rect = p.label.map_or(p.rect(), |l| l.union(&p.rect()));
        extent = Some(extent.map_or(rect, |e| e.union(&rect)));
        if let Some(line) = p.lines.first() {
            label_points = label_points.max(line.size);
        }
        let first = provenance
            .appears_in
            .partition_point(|&(insight, _)| insight < node.id);
        let sources = provenance.appears_in[first..]
            .iter()
            .take_while(|&&(insight, _)| insight == node.id)
            .filter_map(|&(_, s)| source_index(s))
            .collect();
        nodes.push(NodeData {
            id: node.id.0,
            title: &node.title,
            text: &node.text,
            theme: node.theme,
            score: node.score,
            scores: &node.scores,
            n_sources: node.sources,
            sources,
            x: p.centre.x,
            y: p.centre.y,
            r,
            label: p
                .lines
                .iter()
                .map(|l| {
                    let centre = (l.rect.x0 + l.rect.x1) / 2.0;
                    (
                        l.text.as_str(),
                        round2(centre - p.centre.x),
                        round2(l.baseline.y - p.centre.y),
                    )
                })
                .collect(),
        });
    }
    let edges = view
        .edges
        .iter()
        .filter_map(|e| {
            Some((
                view.position(e.a)? as u32,
                view.position(e.b)? as u32,
                e.weight,
            ))
        })
        .collect();
    let b = extent.unwrap_or(layout.bbox);
    Ok(PageData {
        title: options.title.as_deref().filter(|t| !t.trim().is_empty()),
        caption: caption(view),
        clipped: options.clipped.then_some(MAX_INSIGHTS),
        size_by: view.size_by.as_str(),
        measures: view.measures.iter().map(|m| m.as_str()).collect(),
        graph_nodes: view.graph_nodes,
        themes: view
            .themes
            .iter()
            .map(|t| ThemeData {
                label: &t.label,
                colour: t.colour,
                community: t.community,
                shown: t.shown,
            })
            .collect(),
        sources: provenance
            .sources
            .iter()
            .map(|s| SourceData {
                title: &s.title,
                file: file_name(&s.path),
            })
            .collect(),
        nodes,
        edges,
        extent: [b.x0, b.y0, b.x1, b.y1],
        label_points: if label_points > 0.0 {
            label_points
        } else {
            18.0
        },
    })
}

/// Hundredths are all the layout holds (Graphviz writes two decimals); fewer digits make a
/// smaller page.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The last component of a stored path, `/` or `\` separated.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The caption under the title, as the picture words it.
fn caption(view: &View) -> String {
    let shown = view.nodes.len();
    let scope = if shown < view.graph_nodes {
        format!("The {shown} most central of {} insights", view.graph_nodes)
    } else {
        format!("All {shown} insights")
    };
    format!(
        "{scope} · circle area: {} · line width: sources in common · colour: theme",
        measure_name(view.size_by)
    )
}

fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::PageRank => "PageRank",
        Measure::Betweenness => "betweenness",
        Measure::Closeness => "closeness",
        Measure::Eigenvector => "eigenvector centrality",
        Measure::Degree => "degree",
        Measure::Strength => "strength",
    }
}

/// JSON made safe inside `<script type="application/json">`: every `<` becomes `\u003c`
/// (valid JSON, since `<` only ever occurs inside strings), so neither `</script` nor
/// `<!--` can appear. U+2028 and U+2029 need nothing: `JSON.parse` accepts them.
fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Text made safe for HTML element content and double-quoted attributes.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Text made safe inside an HTML comment (`--` could end it).
fn comment_safe(text: &str) -> String {
    let mut out = text.to_string();
    while out.contains("--") {
        out = out.replace("--", "- -");
    }
    out
}

/// A minified script without its trailing `//# sourceMappingURL=` line, which would make
/// developer tools fetch a map the page does not carry.
fn without_source_map(script: &str) -> &str {
    let trimmed = script.trim_end();
    match trimmed.rfind('\n') {
        Some(at) if trimmed[at + 1..].starts_with("//# sourceMappingURL=") => &trimmed[..at],
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_can_never_close_its_script_block() {
        let json = serde_json::to_string("</script><script>alert(1)</script><!--").unwrap();
        let safe = script_safe_json(&json);
        assert!(!safe.contains('<'));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><script>alert(1)</script><!--");
    }

    #[test]
    fn vendored_scripts_are_safe_to_inline() {
        for (name, script) in [
            ("sigma", SIGMA),
            ("graphology", GRAPHOLOGY),
            ("page", SCRIPT),
        ] {
            let lower = without_source_map(script).to_ascii_lowercase();
            assert!(!lower.contains("</script"), "{name}");
            assert!(!lower.contains("<!--"), "{name}");
            assert!(!lower.contains("sourcemappingurl"), "{name}");
            assert!(!lower.contains("://"), "{name} names a URL");
        }
        for (name, text) in LICENCES {
            assert!(text.contains("Permission is hereby granted"), "{name}");
        }
    }

    #[test]
    fn source_map_line_is_dropped_only_when_last() {
        assert_eq!(
            without_source_map("a()\n//# sourceMappingURL=x.map\n"),
            "a()"
        );
        assert_eq!(without_source_map("a()\nb()\n"), "a()\nb()");
        assert_eq!(without_source_map("a()"), "a()");
    }

    #[test]
    fn slots_are_filled_once_and_their_content_is_not_searched_again() {
        let out = fill(
            "<t>{{TITLE}}</t>{{DATA}}{{UNKNOWN}}{{",
            &[("TITLE", "{{DATA}}"), ("DATA", "[1]")],
        );
        assert_eq!(out, "<t>{{DATA}}</t>[1]{{UNKNOWN}}{{");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            html_escape("<b>\"Tom\" & 'Jerry'</b>\u{7}"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
        assert_eq!(comment_safe("a -- b --> c"), "a - - b - -> c");
        assert!(!comment_safe("a --- b ----").contains("--"));
        assert_eq!(file_name("/home/a/notes/x.md"), "x.md");
        assert_eq!(file_name("C:\\notes\\y.md"), "y.md");
        assert_eq!(file_name("z.md"), "z.md");
    }
}

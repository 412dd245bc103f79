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
//!
//! A graph of more than [`MAX_INSIGHTS`] insights gets a **two-level page** ([`theme_page`]):
//! it opens on the theme map (the layout `render --level themes` draws), and a click on a
//! theme shows that theme's most central insights (the layout `render --community K --top N`
//! draws). Each theme travels in its own JSON block, parsed only when it is opened (or when
//! a search needs it), so the page opens as fast as the map alone; the whole file holds at
//! most about [`MAX_INSIGHTS`] insights however large the graph.

use super::dot::{map_scope, thousands, view_scope, DotStyle};
use super::draw::draw_kept;
use super::layout::{layout, Layout, PlacedNode, Rect};
use super::picture::Picture;
use super::render::keep_dot;
use super::theme_map::{self, ThemeMap, ThemeMapConfig};
use super::view::{self, Filters, View, OTHER_COLOUR};
use super::write_file;
use crate::algo::centrality::Measure;
use crate::error::{Error, Result};
use crate::ids::{InsightId, SourceId};
use crate::results::Analyses;
use crate::store::sources::SourceNode;
use crate::store::Store;
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

/// Lay out `view` as `render` draws it with `style` (the same DOT, keeping positions as
/// `render` does, so the page and the picture agree), and write its page to `output`.
///
/// Errors: [`Error::ExternalTool`] when Graphviz is missing or fails (the DOT is then written
/// next to `output`, as [`super::render::render`] does), [`Error::MissingPath`] or
/// [`Error::Io`] when `output` cannot be written.
pub fn write_page(
    store: &mut Store,
    view: View,
    style: &DotStyle,
    relayout: bool,
    provenance: Provenance<'_>,
    options: &PageOptions,
    output: &Path,
) -> Result<()> {
    let (view, layout) = laid_out_view(store, view, style, relayout, output)?;
    let html = to_html(&view, &layout, provenance, options)?;
    write_file(output, html.as_bytes())
}

/// The layout of `picture` as `render` draws it: positions kept in the store (unless
/// `relayout`), every label where the picture's drawing pass puts it.
fn laid_out(
    store: &mut Store,
    picture: &Picture,
    style: &DotStyle,
    relayout: bool,
    output: &Path,
) -> Result<Layout> {
    let (drawing, _) = draw_kept(store, picture, style, relayout)
        .map_err(|e| keep_dot(e, &picture.to_dot(style), output))?;
    layout(&drawing.dot).map_err(|e| keep_dot(e, &drawing.dot, output))
}

fn laid_out_view(
    store: &mut Store,
    view: View,
    style: &DotStyle,
    relayout: bool,
    output: &Path,
) -> Result<(View, Layout)> {
    let picture = Picture::Insights(view);
    let layout = laid_out(store, &picture, style, relayout, output)?;
    match picture {
        Picture::Insights(view) => Ok((view, layout)),
        Picture::Themes(_) => unreachable!("built as insights"),
    }
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
    let sources = SourceIndex::new(provenance);
    let level = insight_level(view, layout, &sources, &|n| Some(n.theme), caption(view))?;
    let data = PageData {
        title: options.title.as_deref().filter(|t| !t.trim().is_empty()),
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
                members: None,
            })
            .collect(),
        sources: sources.data(),
        level: Some(level),
        map: None,
    };
    Ok(page_html(&data, &[], options))
}

/// The HTML around the page's data and the blocks of its themes.
fn page_html(data: &PageData<'_>, parts: &[String], options: &PageOptions) -> String {
    let json = serde_json::to_string(data).expect("page data serializes");
    let title = options
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or("Insight network");
    let mut licences = String::new();
    for (name, text) in LICENCES {
        licences.push_str(&format!("\n{name}:\n\n{}\n", text.trim_end()));
    }
    let mut blocks = String::new();
    for (i, part) in parts.iter().enumerate() {
        blocks.push_str(&format!(
            "<script type=\"application/json\" id=\"netgraph-theme-{i}\">{}</script>\n",
            script_safe_json(part)
        ));
    }
    fill(
        TEMPLATE,
        &[
            ("TITLE", &html_escape(title)),
            ("STYLE", STYLE),
            ("LICENCES", &comment_safe(&licences)),
            ("DATA", &script_safe_json(&json)),
            ("PARTS", &blocks),
            ("GRAPHOLOGY", without_source_map(GRAPHOLOGY)),
            ("SIGMA", without_source_map(SIGMA)),
            ("SCRIPT", SCRIPT),
        ],
    )
}

/// Insights one theme of a two-level page shows at least, however many themes share
/// [`MAX_INSIGHTS`].
pub const MIN_THEME_INSIGHTS: usize = 20;

/// A two-level page: the theme map, and each theme on it with its most central insights.
#[derive(Debug, Clone)]
pub struct ThemePage {
    pub map: ThemeMap,
    pub map_layout: Layout,
    /// One per theme of the map, in its order: the view `render --community K --top N`
    /// draws, and its layout.
    pub parts: Vec<(View, Layout)>,
}

impl ThemePage {
    /// Insights on the page, over all themes.
    pub fn insights(&self) -> usize {
        self.parts.iter().map(|(v, _)| v.nodes.len()).sum()
    }

    /// Every insight on the page, sorted.
    pub fn insight_ids(&self) -> Vec<InsightId> {
        let mut ids: Vec<InsightId> = self
            .parts
            .iter()
            .flat_map(|(v, _)| v.nodes.iter().map(|n| n.id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// How many insights each theme of a map of `themes` themes shows: [`MAX_INSIGHTS`] shared
/// out, at least [`MIN_THEME_INSIGHTS`].
pub fn insights_per_theme(themes: usize) -> usize {
    (MAX_INSIGHTS / themes.max(1)).max(MIN_THEME_INSIGHTS)
}

/// Lay out the theme map of `map_config` and, for each of its themes, the view of its most
/// central insights ([`insights_per_theme`]) that `filters` select (its `top` and
/// `community` are set here), keeping every layout in the store as `render` does.
/// `progress` is called after each theme with (done, total).
///
/// Graphviz runs twice per theme; the insights laid out total about [`MAX_INSIGHTS`], so the
/// cost is bounded whatever the size of the graph.
///
/// Errors: as [`theme_map::build_with`] and [`view::build_with`]; [`Error::ExternalTool`]
/// when Graphviz is missing or fails.
#[allow(clippy::too_many_arguments)]
pub fn theme_page(
    store: &mut Store,
    analyses: &Analyses,
    map_config: &ThemeMapConfig,
    filters: &Filters,
    style: &DotStyle,
    relayout: bool,
    output: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ThemePage> {
    let map = theme_map::build_with(store, analyses, map_config)?;
    let map_picture = Picture::Themes(map);
    let map_layout = laid_out(store, &map_picture, style, relayout, output)?;
    let Picture::Themes(map) = map_picture else {
        unreachable!("built as themes")
    };
    let top = insights_per_theme(map.themes.len());
    let mut parts = Vec::with_capacity(map.themes.len());
    for (done, theme) in map.themes.iter().enumerate() {
        let part_filters = Filters {
            top: Some(top),
            community: Some(theme.community),
            ego: None,
            only: None,
            ..filters.clone()
        };
        let view = view::filtered(store, analyses, part_filters)?;
        parts.push(laid_out_view(store, view, style, relayout, output)?);
        progress(done + 1, map.themes.len());
    }
    Ok(ThemePage {
        map,
        map_layout,
        parts,
    })
}

/// Write the two-level page of `page` to `output`. `provenance` holds the sources of
/// [`ThemePage::insight_ids`].
pub fn write_theme_page(
    page: &ThemePage,
    provenance: Provenance<'_>,
    options: &PageOptions,
    output: &Path,
) -> Result<()> {
    let html = theme_page_html(page, provenance, options)?;
    write_file(output, html.as_bytes())
}

/// The HTML of a two-level page. O(I log I + E) over the insights I and edges E on it.
///
/// Errors: [`Error::InvalidInput`] when a layout does not hold what its view or map shows.
pub fn theme_page_html(
    page: &ThemePage,
    provenance: Provenance<'_>,
    options: &PageOptions,
) -> Result<String> {
    let map = &page.map;
    // The legend: the map's themes, then "other".
    let mut themes: Vec<ThemeData> = map
        .themes
        .iter()
        .zip(&page.parts)
        .map(|(t, (view, _))| ThemeData {
            label: &t.name,
            colour: t.colour,
            community: Some(t.community),
            shown: view.nodes.len(),
            members: Some(t.members),
        })
        .collect();
    if let Some(other) = map.other {
        themes.push(ThemeData {
            label: "Other themes",
            colour: OTHER_COLOUR,
            community: None,
            shown: 0,
            members: Some(other.insights),
        });
    }
    let theme_of_community = |c: u32| map.themes.iter().position(|t| t.community == c);
    let mut blocks = Vec::with_capacity(page.parts.len());
    for (theme, (view, layout)) in map.themes.iter().zip(&page.parts) {
        let caption = format!(
            "{}: {} · circle area: {} · line width: sources in common · arrows: its links to other themes",
            theme_name(&theme.name, theme.community),
            if view.nodes.len() < theme.members {
                format!(
                    "the {} most central of its {} insights",
                    thousands(view.nodes.len()),
                    thousands(theme.members)
                )
            } else {
                format!("all {} of its insights", thousands(theme.members))
            },
            measure_name(view.size_by)
        );
        // Each theme carries its own sources, so the page opens without reading any.
        let ids: Vec<InsightId> = view.nodes.iter().map(|n| n.id).collect();
        let sources = SourceIndex::of_insights(provenance, &ids);
        let mut level = insight_level(
            view,
            layout,
            &sources,
            &|n| theme_of_community(n.community),
            caption,
        )?;
        level.sources = Some(sources.data());
        level.theme = theme_of_community(theme.community);
        for stub in &mut level.stubs {
            stub.theme = theme_of_community(stub.community);
        }
        blocks.push(serde_json::to_string(&level).expect("page data serializes"));
    }
    let size_by = page.parts.first().map_or(map.size_by, |(v, _)| v.size_by);
    let measures = page.parts.first().map_or_else(
        || vec![size_by.as_str()],
        |(v, _)| v.measures.iter().map(|m| m.as_str()).collect(),
    );
    let data = PageData {
        title: options.title.as_deref().filter(|t| !t.trim().is_empty()),
        clipped: None,
        size_by: size_by.as_str(),
        measures,
        graph_nodes: map.graph_nodes,
        themes,
        sources: Vec::new(),
        level: None,
        map: Some(map_level(page, &blocks)?),
    };
    Ok(page_html(&data, &blocks, options))
}

fn theme_name(name: &str, community: u32) -> String {
    if name.trim().is_empty() {
        format!("Theme {community}")
    } else {
        name.to_string()
    }
}

/// The theme map's level: one node per theme (and "other"), where the map's layout put it.
fn map_level<'a>(page: &'a ThemePage, blocks: &[String]) -> Result<MapLevel<'a>> {
    let map = &page.map;
    let layout = &page.map_layout;
    let placed = |name: &str| {
        layout.node(name).ok_or_else(|| {
            Error::InvalidInput(format!(
                "theme node {name} is not in the layout: the layout is of another map"
            ))
        })
    };
    let mut extent: Option<Rect> = None;
    let mut label_points = 0.0f64;
    let mut nodes = Vec::with_capacity(map.themes.len() + 1);
    let mut add = |p: &'a PlacedNode, node: MapNode<'a>| {
        let rect = p.label.map_or(p.rect(), |l| l.union(&p.rect()));
        extent = Some(extent.map_or(rect, |e| e.union(&rect)));
        for line in &p.lines {
            label_points = label_points.max(line.size);
        }
        nodes.push(node);
    };
    for (i, theme) in map.themes.iter().enumerate() {
        let p = placed(&format!("t{}", theme.community))?;
        add(
            p,
            MapNode {
                theme: i,
                community: Some(theme.community),
                name: &theme.name,
                members: theme.members,
                themes: 1,
                shown: page.parts.get(i).map_or(0, |(v, _)| v.nodes.len()),
                central_title: &theme.central_title,
                central_text: &theme.central_text,
                bytes: blocks.get(i).map_or(0, |b| b.len()),
                x: p.centre.x,
                y: p.centre.y,
                r: radius(p),
                label: sized_lines(p),
            },
        );
    }
    if let Some(other) = map.other {
        let p = placed("other")?;
        add(
            p,
            MapNode {
                theme: map.themes.len(),
                community: None,
                name: "Other themes",
                members: other.insights,
                themes: other.themes,
                shown: 0,
                central_title: "",
                central_text: "",
                bytes: 0,
                x: p.centre.x,
                y: p.centre.y,
                r: radius(p),
                label: sized_lines(p),
            },
        );
    }
    let b = extent.unwrap_or(layout.bbox);
    let scope = map_scope(map);
    Ok(MapLevel {
        kind: "themes",
        caption: format!(
            "{scope} · circle area: insights · lines: each theme's strongest links · click a theme for its insights"
        ),
        nodes,
        edges: map
            .links
            .iter()
            .map(|l| (l.a as u32, l.b as u32, l.association, l.weight))
            .collect(),
        extent: [b.x0, b.y0, b.x1, b.y1],
        label_points: if label_points > 0.0 { label_points } else { 18.0 },
    })
}

fn radius(p: &PlacedNode) -> f64 {
    p.shape.map_or(p.width.min(p.height), |s| s.width()) / 2.0
}

/// A node's label lines: text, offsets of the line's centre and baseline from the node's
/// centre (points, y up), and its font size.
fn sized_lines(p: &PlacedNode) -> Vec<(&str, f64, f64, f64)> {
    p.lines
        .iter()
        .map(|l| {
            let centre = (l.rect.x0 + l.rect.x1) / 2.0;
            (
                l.text.as_str(),
                round2(centre - p.centre.x),
                round2(l.baseline.y - p.centre.y),
                l.size,
            )
        })
        .collect()
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
    /// Set when the view was cut to [`MAX_INSIGHTS`].
    clipped: Option<usize>,
    /// The measure that sizes the circles, then every kept measure, for the panel.
    size_by: &'static str,
    measures: Vec<&'static str>,
    graph_nodes: usize,
    /// The legend.
    themes: Vec<ThemeData<'a>>,
    sources: Vec<SourceData<'a>>,
    /// A one-level page: its insights.
    #[serde(flatten)]
    level: Option<InsightLevel<'a>>,
    /// A two-level page: the theme map it opens on (each theme's insights are in the
    /// block `netgraph-theme-K`, K its position in the legend).
    map: Option<MapLevel<'a>>,
}

/// Insights and the edges among them, where a layout put them.
#[derive(Serialize)]
struct InsightLevel<'a> {
    /// "The 30 most central of 37 insights · circle area: PageRank · ...", as the picture.
    caption: String,
    /// On a two-level page, the legend entry of the theme shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    theme: Option<usize>,
    /// On a two-level page, the sources its insights list (a one-level page lists them in
    /// [`PageData::sources`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    sources: Option<Vec<SourceData<'a>>>,
    nodes: Vec<NodeData<'a>>,
    /// (node index, node index, sources in common), node indices into `nodes`.
    edges: Vec<(u32, u32, f64)>,
    /// The other themes a one-theme view links to most, drawn where the picture draws them.
    stubs: Vec<StubData<'a>>,
    /// Graphviz's bounding box of the shown insights, circles and labels: x0, y0, x1, y1
    /// (points, y up). The picture's box also holds its legend, which the page shows apart.
    extent: [f64; 4],
    /// Font size of the labels in the layout, in points.
    label_points: f64,
}

/// The theme map a two-level page opens on.
#[derive(Serialize)]
struct MapLevel<'a> {
    kind: &'static str,
    caption: String,
    nodes: Vec<MapNode<'a>>,
    /// (node index, node index, association strength, sources in common).
    edges: Vec<(u32, u32, f64, f64)>,
    extent: [f64; 4],
    label_points: f64,
}

#[derive(Serialize)]
struct MapNode<'a> {
    /// Its legend entry.
    theme: usize,
    /// `None` for "other themes".
    community: Option<u32>,
    name: &'a str,
    /// Insights in the theme (or in all the themes "other" gathers).
    members: usize,
    /// Themes it stands for: 1, or how many "other" gathers.
    themes: usize,
    /// Insights its block holds.
    shown: usize,
    central_title: &'a str,
    central_text: &'a str,
    /// Size of its block, in bytes of JSON.
    bytes: usize,
    x: f64,
    y: f64,
    r: f64,
    label: Vec<(&'a str, f64, f64, f64)>,
}

#[derive(Serialize)]
struct StubData<'a> {
    community: u32,
    /// Its legend entry on a two-level page (`None`: not on the page).
    theme: Option<usize>,
    label: &'a str,
    colour: &'a str,
    weight: f64,
    x: f64,
    y: f64,
    /// Half the width and height of its box, in points.
    half: (f64, f64),
    /// The text in its box, as for [`MapNode::label`].
    label_lines: Vec<(&'a str, f64, f64, f64)>,
    /// (node index, weight): the shown insights with the heaviest links to it.
    links: Vec<(u32, f64)>,
}

#[derive(Serialize)]
struct ThemeData<'a> {
    label: &'a str,
    colour: &'a str,
    /// `None` for "other themes".
    community: Option<u32>,
    shown: usize,
    /// On a two-level page, insights in the whole theme.
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<usize>,
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
    /// Its legend entry.
    theme: usize,
    /// Its score in `size_by`, then all, parallel to `measures`.
    score: f64,
    scores: &'a [f64],
    /// How many sources hold it, and the first [`SOURCES_LISTED`] (indices into `sources`).
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

/// Sources the page lists for one insight: its first, by id (the files it was first imported
/// from). The panel gives the total and says how to list the rest. Without a cap the sources
/// of a large graph's most central insights (thousands each) would be most of the page.
pub const SOURCES_LISTED: usize = 5;

/// The sources the page lists, and each insight's, by index into them.
struct SourceIndex<'a> {
    /// Sorted by id: every source some insight lists.
    sources: Vec<&'a SourceNode>,
    /// (insight, its listed sources as indices into `sources`), sorted by insight.
    listed: Vec<(InsightId, Vec<u32>)>,
}

impl<'a> SourceIndex<'a> {
    /// O(A log A) over the (insight, source) pairs.
    fn new(provenance: Provenance<'a>) -> Self {
        Self::of_pairs(provenance.sources, provenance.appears_in)
    }

    /// The sources of `insights` (sorted) alone.
    fn of_insights(provenance: Provenance<'a>, insights: &[InsightId]) -> Self {
        let pairs: Vec<(InsightId, SourceId)> = insights
            .iter()
            .flat_map(|&id| {
                let all = provenance.appears_in;
                let first = all.partition_point(|&(i, _)| i < id);
                all[first..]
                    .iter()
                    .take_while(move |&&(i, _)| i == id)
                    .copied()
            })
            .collect();
        Self::of_pairs(provenance.sources, &pairs)
    }

    /// `appears_in`: (insight, source), sorted.
    fn of_pairs(sources: &'a [SourceNode], appears_in: &[(InsightId, SourceId)]) -> Self {
        let by_id = |id: SourceId| sources.binary_search_by_key(&id, |s| s.id).ok();
        let mut firsts: Vec<(InsightId, Vec<usize>)> = Vec::new();
        for &(insight, source) in appears_in {
            if firsts.last().is_none_or(|(i, _)| *i != insight) {
                firsts.push((insight, Vec::new()));
            }
            let list = &mut firsts.last_mut().expect("pushed above").1;
            if list.len() < SOURCES_LISTED {
                list.extend(by_id(source));
            }
        }
        let mut used: Vec<usize> = firsts.iter().flat_map(|(_, l)| l.iter().copied()).collect();
        used.sort_unstable();
        used.dedup();
        let listed = firsts
            .into_iter()
            .map(|(insight, list)| {
                let at = list
                    .iter()
                    .map(|s| used.binary_search(s).expect("collected above") as u32)
                    .collect();
                (insight, at)
            })
            .collect();
        SourceIndex {
            sources: used.iter().map(|&i| &sources[i]).collect(),
            listed,
        }
    }

    /// Indices into [`Self::data`] of the sources listed for `insight`.
    fn of(&self, insight: InsightId) -> Vec<u32> {
        self.listed
            .binary_search_by_key(&insight, |(i, _)| *i)
            .map_or_else(|_| Vec::new(), |at| self.listed[at].1.clone())
    }

    fn data(&self) -> Vec<SourceData<'a>> {
        self.sources
            .iter()
            .map(|s| SourceData {
                title: &s.title,
                file: file_name(&s.path),
            })
            .collect()
    }
}

/// The insights of `view` where `layout` put them; `theme_of` gives each one's legend entry.
fn insight_level<'a>(
    view: &'a View,
    layout: &'a Layout,
    sources: &SourceIndex<'_>,
    theme_of: &dyn Fn(&view::ViewNode) -> Option<usize>,
    caption: String,
) -> Result<InsightLevel<'a>> {
    let mut placed: Vec<(u32, usize)> = layout
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.insight().map(|id| (id.0, i)))
        .collect();
    placed.sort_unstable();
    let other = view.themes.len();
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
        let rect = p.label.map_or(p.rect(), |l| l.union(&p.rect()));
        extent = Some(extent.map_or(rect, |e| e.union(&rect)));
        if let Some(line) = p.lines.first() {
            label_points = label_points.max(line.size);
        }
        nodes.push(NodeData {
            id: node.id.0,
            title: &node.title,
            text: &node.text,
            theme: theme_of(node).unwrap_or(other),
            score: node.score,
            scores: &node.scores,
            n_sources: node.sources,
            sources: sources.of(node.id),
            x: p.centre.x,
            y: p.centre.y,
            r: radius(p),
            label: sized_lines(p)
                .into_iter()
                .map(|(text, dx, dy, _)| (text, dx, dy))
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
    let mut stubs = Vec::new();
    for stub in &view.stubs {
        // A stub Graphviz did not place (none should be missing) is left out of the page.
        let Some(p) = layout.node(&format!("c{}", stub.community)) else {
            continue;
        };
        // The page draws a dot where the stub's box is, its text under it: one box lower.
        let rect = p.rect();
        let rect = Rect {
            y0: rect.y0 - p.height,
            ..rect
        };
        extent = Some(extent.map_or(rect, |e| e.union(&rect)));
        stubs.push(StubData {
            community: stub.community,
            theme: None,
            label: &stub.label,
            colour: stub.colour,
            weight: stub.weight,
            x: p.centre.x,
            y: p.centre.y,
            half: (round2(p.width / 2.0), round2(p.height / 2.0)),
            label_lines: sized_lines(p),
            links: stub
                .links
                .iter()
                .filter_map(|&(id, w)| Some((view.position(id)? as u32, w)))
                .collect(),
        });
    }
    let b = extent.unwrap_or(layout.bbox);
    Ok(InsightLevel {
        caption,
        theme: None,
        sources: None,
        nodes,
        edges,
        stubs,
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
    format!(
        "{} · circle area: {} · line width: sources in common · colour: theme",
        view_scope(view),
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
    fn each_insight_lists_its_first_sources_and_the_page_only_those() {
        let sources: Vec<SourceNode> = (1..=9)
            .map(|k| SourceNode {
                id: SourceId(k),
                path: format!("/notes/s{k}.md"),
                title: format!("S{k}"),
            })
            .collect();
        // Insight 1 is in all nine sources, insight 2 in sources 8 and 9, insight 3 in none.
        let mut appears_in: Vec<(InsightId, SourceId)> =
            (1..=9).map(|k| (InsightId(1), SourceId(k))).collect();
        appears_in.extend([(InsightId(2), SourceId(8)), (InsightId(2), SourceId(9))]);
        let index = SourceIndex::new(Provenance {
            sources: &sources,
            appears_in: &appears_in,
        });
        let titles = |insight| -> Vec<String> {
            let data = index.data();
            index
                .of(InsightId(insight))
                .iter()
                .map(|&i| data[i as usize].title.to_string())
                .collect()
        };
        assert_eq!(titles(1), ["S1", "S2", "S3", "S4", "S5"]);
        assert_eq!(titles(2), ["S8", "S9"]);
        assert!(titles(3).is_empty());
        let listed: Vec<&str> = index.data().iter().map(|s| s.title).collect();
        assert_eq!(listed, ["S1", "S2", "S3", "S4", "S5", "S8", "S9"]);
        assert_eq!(index.data()[0].file, "s1.md");
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

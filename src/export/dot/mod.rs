//! Graphviz DOT for slides: insights as circles filled by community and sized by centrality,
//! short wrapped labels, light edges, a legend, 16:9.
//!
//! Everything netgraph writes into the DOT text goes through [`escape`]; node ids are safe
//! by construction (`n17` for insight 17, `s4` for source 4). dot-writer 0.1 quotes nothing
//! on its own, so this module decides every quote.

mod themes;

pub use themes::{counted, map_scope, theme_map_dot, thousands};

use super::view::{View, ViewNode, OTHER_COLOUR};
use dot_writer::{Attributes, DotWriter, Scope};
use std::fmt::Write as _;

/// Graphviz layout engines netgraph offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Engine {
    /// Multiscale force-directed: fast on large graphs.
    Sfdp,
    /// Stress majorization: the best force layout for small graphs.
    Neato,
    /// Force-directed with cluster support.
    Fdp,
    /// Layered (hierarchical).
    Dot,
}

impl Engine {
    pub const ALL: [Engine; 4] = [Engine::Sfdp, Engine::Neato, Engine::Fdp, Engine::Dot];
    /// The names of [`Engine::ALL`], as Graphviz and the command line spell them.
    pub const NAMES: [&'static str; 4] = ["sfdp", "neato", "fdp", "dot"];

    pub fn as_str(self) -> &'static str {
        Engine::NAMES[self as usize]
    }

    /// neato up to this many nodes, sfdp beyond; fdp when communities are drawn as clusters.
    pub const NEATO_MAX_NODES: usize = 150;

    /// The engine for a picture when none is asked for.
    pub fn auto(nodes: usize, cluster: bool) -> Engine {
        if cluster {
            Engine::Fdp
        } else if nodes <= Self::NEATO_MAX_NODES {
            Engine::Neato
        } else {
            Engine::Sfdp
        }
    }
}

impl std::str::FromStr for Engine {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        Engine::ALL
            .into_iter()
            .find(|e| e.as_str() == name)
            .ok_or_else(|| {
                format!(
                    "unknown engine '{name}'; use one of {}",
                    Engine::NAMES.join(", ")
                )
            })
    }
}

/// What the label under each insight's circle says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LabelMode {
    /// Its short title (default): what a reader of a slide needs to tell insights apart.
    #[default]
    Title,
    /// The first [`LABEL_WORDS`] words of its text.
    Words,
    /// The whole text, wrapped (meant for pictures of up to [`FULL_LABELS_MAX`] insights).
    Full,
    /// No label; the text is still the hover tooltip.
    None,
    /// Its rank (1 = most central) inside the circle, and beside the graph a key with each
    /// number and the insight's text ([`KeyMode`]): the layout academic slides use.
    Number,
}

impl LabelMode {
    pub const ALL: [LabelMode; 5] = [
        LabelMode::Title,
        LabelMode::Words,
        LabelMode::Full,
        LabelMode::None,
        LabelMode::Number,
    ];
    pub const NAMES: [&'static str; 5] = ["title", "words", "full", "none", "number"];

    pub fn as_str(self) -> &'static str {
        LabelMode::NAMES[self as usize]
    }
}

impl std::str::FromStr for LabelMode {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        LabelMode::ALL
            .into_iter()
            .find(|m| m.as_str() == name)
            .ok_or_else(|| {
                format!(
                    "unknown label mode '{name}'; use one of {}",
                    LabelMode::NAMES.join(", ")
                )
            })
    }
}

/// Most insights a picture with whole texts as labels is meant for.
pub const FULL_LABELS_MAX: usize = 12;

/// What the key of a numbered picture ([`LabelMode::Number`]) says for each number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KeyMode {
    /// The whole text up to [`FULL_LABELS_MAX`] insights, the title beyond (a key of thirty
    /// whole texts would not fit a slide).
    #[default]
    Auto,
    /// The whole text, wrapped.
    Full,
    /// The short title.
    Title,
}

impl KeyMode {
    pub const ALL: [KeyMode; 3] = [KeyMode::Auto, KeyMode::Full, KeyMode::Title];
    pub const NAMES: [&'static str; 3] = ["auto", "full", "title"];

    pub fn as_str(self) -> &'static str {
        KeyMode::NAMES[self as usize]
    }

    /// Whether the key shows whole texts for a picture of `insights`.
    pub fn full(self, insights: usize) -> bool {
        match self {
            KeyMode::Auto => insights <= FULL_LABELS_MAX,
            KeyMode::Full => true,
            KeyMode::Title => false,
        }
    }
}

impl std::str::FromStr for KeyMode {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        KeyMode::ALL
            .into_iter()
            .find(|m| m.as_str() == name)
            .ok_or_else(|| {
                format!(
                    "unknown key '{name}'; use one of {}",
                    KeyMode::NAMES.join(", ")
                )
            })
    }
}

/// Where Graphviz is to put nodes: positions read back from an earlier layout
/// ([`super::layout`]), written as `pos="x,y!"` (pinned).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// DOT node name (`n17`, `t4`, `key`) → centre in points, sorted by name.
    pub pinned: Vec<(String, super::layout::Point)>,
    /// Every node is pinned: the drawing pass, which keeps positions as they are (no stretch,
    /// no packing).
    pub complete: bool,
}

impl Placement {
    /// The pinned position of `name`.
    pub fn get(&self, name: &str) -> Option<super::layout::Point> {
        self.pinned
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.pinned[i].1)
    }

    /// `pos` for a pinned node, in points (the graph sets `inputscale=72`), exactly as kept.
    fn pos(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|p| format!("\"{:.2},{:.2}!\"", p.x, p.y))
    }
}

/// How the picture looks (what it shows is the [`View`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DotStyle {
    /// A heading above the legend.
    pub title: Option<String>,
    /// The layout engine; `None` picks one by size ([`Engine::auto`]).
    pub engine: Option<Engine>,
    /// Draw each community as a cluster subgraph.
    pub cluster: bool,
    /// What each insight's label says.
    pub labels: LabelMode,
    /// With [`LabelMode::Number`]: what the key says.
    pub key: KeyMode,
    /// Positions to keep; `None` lets Graphviz place everything.
    pub placement: Option<Placement>,
    /// Insights drawn with a dark ring, and what the ring means (a caption line); a deck's
    /// theme slides ring the theme's bridges to other themes.
    pub marked: Option<Marked>,
    /// More caption lines under the standard ones (a deck's gap questions).
    pub notes: Vec<String>,
}

/// Insights to ring, and the caption that says why.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    /// Sorted.
    pub ids: Vec<crate::ids::InsightId>,
    pub caption: String,
}

/// The ring of a marked insight: dark, and wide enough to read at slide distance.
const MARK_COLOUR: &str = "#1F2933";
const MARK_PEN: &str = "5";

impl DotStyle {
    /// Graph attributes of the layout: stretch and pack only where Graphviz places nodes
    /// freely (a stretch would move pinned positions' neighbours unevenly, and packing moves
    /// whole components).
    fn free_layout(&self) -> bool {
        self.placement.as_ref().is_none_or(|p| p.pinned.is_empty())
    }
}

/// The seed of the force layouts (Graphviz `start=`): the same DOT gives the same picture.
pub const LAYOUT_SEED: u32 = 7;

/// Words kept in a node label, and the width labels are wrapped at.
pub const LABEL_WORDS: usize = 6;
pub const LABEL_WIDTH: usize = 22;

const FONT: &str = "Helvetica";
const TEXT_COLOUR: &str = "#1F2933";
const MUTED_COLOUR: &str = "#52606D";
const LABEL_POINTS: f64 = 18.0;
/// Height of a label line, in font sizes, and the padding around a label's text (points).
const LINE_SPACING: f64 = 1.2;
const TEXT_PADDING: f64 = 1.0;
/// Circle diameters in inches: the top score gets the largest; area is proportional to the
/// score, with a floor so a zero score is still a visible dot.
const MAX_DIAMETER: f64 = 0.9;
const MIN_DIAMETER: f64 = 0.18;
/// The layout is stretched by this much sideways before overlap removal, so a round layout
/// ends up about 16:9 and fills a slide without being scaled down.
const STRETCH: &str = "2.6,1";
/// Edge pen widths in points, lightest to heaviest weight.
const MIN_PEN: f64 = 0.8;
const MAX_PEN: f64 = 5.0;
/// Alpha of edges drawn in their community's colour, and of the rest.
const EDGE_ALPHA_SAME: &str = "73";
const EDGE_ALPHA_ACROSS: &str = "59";
const EDGE_ACROSS_COLOUR: &str = "#8796A5";

/// Make `text` safe anywhere in netgraph's DOT: inside an HTML-like label (`label=<...>`)
/// and inside a double-quoted attribute (`tooltip="..."`).
///
/// Graphviz decodes character entities in both places, gives `<`, `>`, `&` a meaning in HTML
/// labels, and then expands backslash escapes in both (`\N` is the node name, `\n` a line
/// break; tooltips even twice). So `&`, `<`, `>`, `"` become entities; a backslash becomes
/// `&#92;&#92;` (an escaped backslash) followed by U+2060 WORD JOINER, which is invisible
/// and stops the next letter from forming an escape; a line break becomes `&#10;`; tabs
/// become spaces and other control characters (not allowed in XML, hence in SVG) are
/// dropped. Everything else, emoji and right-to-left text included, passes through as UTF-8.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // An escaped backslash (one `\` after Graphviz's escape pass), then an invisible
            // word joiner so a following letter never forms `\N` (Graphviz runs tooltips
            // through its escapes twice).
            '\\' => out.push_str("&#92;&#92;&#8288;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("&#10;");
            }
            '\n' => out.push_str("&#10;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Graphviz refuses a string longer than 16,384 bytes ("longer than 16384?"); tooltips and
/// labels are cut, after escaping, well below that.
const GRAPHVIZ_STRING_BYTES: usize = 12_000;

/// [`escape`] of `text`, cut with an ellipsis so the escaped text stays within
/// [`GRAPHVIZ_STRING_BYTES`] (a 10 MB insight still renders; its tooltip says where it ends).
pub fn escape_capped(text: &str) -> String {
    let escaped = escape(text);
    if escaped.len() <= GRAPHVIZ_STRING_BYTES {
        return escaped;
    }
    let mut out = String::with_capacity(GRAPHVIZ_STRING_BYTES + 3);
    let mut buffer = [0u8; 4];
    for c in text.chars() {
        let piece = escape(c.encode_utf8(&mut buffer));
        if out.len() + piece.len() > GRAPHVIZ_STRING_BYTES {
            break;
        }
        out.push_str(&piece);
    }
    out.push('…');
    out
}

/// The first [`LABEL_WORDS`] words of `text`, wrapped into lines of at most [`LABEL_WIDTH`]
/// characters (a longer word is cut); an ellipsis marks text left out.
pub fn short_label(text: &str) -> Vec<String> {
    wrap(text, LABEL_WORDS, LABEL_WIDTH)
}

fn wrap(text: &str, max_words: usize, width: usize) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words.iter().take(max_words) {
        let word: String = if word.chars().count() > width {
            word.chars().take(width - 1).chain(['…']).collect()
        } else {
            (*word).to_string()
        };
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if words.len() > max_words {
        // Trailing punctuation before an ellipsis reads badly ("costs,…").
        while line.ends_with([',', ';', ':', '.', '-']) {
            line.pop();
        }
        // The ellipsis may run one character past the width rather than sit alone on a line.
        line.push('…');
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Write the DOT of `view` (see [`to_dot`]).
pub fn write(view: &View, style: &DotStyle, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    w.write_all(to_dot(view, style).as_bytes())
}

/// The DOT text of `view`. Deterministic: nodes and edges by id, numbers at fixed precision.
pub fn to_dot(view: &View, style: &DotStyle) -> String {
    let engine = style
        .engine
        .unwrap_or_else(|| Engine::auto(view.nodes.len(), style.cluster));
    let max_score = view.nodes.iter().map(|n| n.score).fold(0.0, f64::max);
    let (min_w, max_w) = view
        .edges
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
            (lo.min(e.weight), hi.max(e.weight))
        });

    let ranks = ranks(view);
    let mut bytes = Vec::new();
    {
        let mut writer = DotWriter::from(&mut bytes);
        let mut graph = writer.graph();
        slide_graph(
            &mut graph,
            engine,
            style,
            STRETCH,
            "+4",
            &legend(view, style),
        );
        graph
            .node_attributes()
            .set("shape", "circle", false)
            .set("fixedsize", "shape", false)
            .set("style", "filled", true)
            .set("color", "white", false)
            .set("penwidth", "1.5", false)
            .set("fontname", FONT, true)
            .set("fontsize", &format!("{LABEL_POINTS}"), false)
            .set("fontcolor", TEXT_COLOUR, true);
        graph.edge_attributes().set(
            "color",
            &format!("{EDGE_ACROSS_COLOUR}{EDGE_ALPHA_ACROSS}"),
            true,
        );

        if style.cluster {
            for (t, theme) in view.themes.iter().enumerate() {
                let mut cluster = graph.cluster();
                cluster
                    .set("label", &bold_or_empty(&theme.label), false)
                    .set("style", "rounded,filled", true)
                    .set("color", &format!("{}66", theme.colour), true)
                    .set("fillcolor", &format!("{}14", theme.colour), true)
                    .set("fontname", FONT, true)
                    .set("fontsize", "18", false)
                    .set("fontcolor", MUTED_COLOUR, true);
                for node in view.nodes.iter().filter(|n| n.theme == t) {
                    insight_node(&mut cluster, view, node, max_score, style, &ranks);
                }
            }
        } else {
            for node in &view.nodes {
                insight_node(&mut graph, view, node, max_score, style, &ranks);
            }
        }
        if style.labels == LabelMode::Number {
            let mut key = graph.node_named(KEY_NODE);
            key.set("shape", "plaintext", false)
                .set("style", "solid", false)
                .set("label", &key_label(view, style.key, &ranks), false);
            if let Some(pos) = style.placement.as_ref().and_then(|p| p.pos(KEY_NODE)) {
                key.set("pos", &pos, false);
            }
        }
        for source in &view.sources {
            graph
                .node_named(format!("s{}", source.id))
                .set("shape", "box", false)
                .set("style", "rounded,filled", true)
                .set("fixedsize", "false", false)
                .set("fillcolor", "#F5F7FA", true)
                .set("color", "#9AA5B1", true)
                .set("fontsize", "13", false)
                .set("fontcolor", MUTED_COLOUR, true)
                .set(
                    "label",
                    &html_lines(&wrap(&source.title, LABEL_WORDS, LABEL_WIDTH)),
                    false,
                )
                .set("tooltip", &escape_capped(&source.title), true);
        }

        for edge in &view.edges {
            let (a, b) = (
                &view.nodes[view.position(edge.a).unwrap_or(0)],
                &view.nodes[view.position(edge.b).unwrap_or(0)],
            );
            let t = if max_w > min_w {
                (edge.weight - min_w) / (max_w - min_w)
            } else {
                0.0
            };
            let colour = if a.theme == b.theme && view.themes[a.theme].colour != OTHER_COLOUR {
                format!("{}{EDGE_ALPHA_SAME}", view.themes[a.theme].colour)
            } else {
                format!("{EDGE_ACROSS_COLOUR}{EDGE_ALPHA_ACROSS}")
            };
            graph
                .edge(format!("n{}", edge.a), format!("n{}", edge.b))
                .attributes()
                .set(
                    "penwidth",
                    &format!("{:.2}", MIN_PEN + t.sqrt() * (MAX_PEN - MIN_PEN)),
                    false,
                )
                .set("color", &colour, true)
                .set(
                    "tooltip",
                    &escape(&format!("shared sources: {}", edge.weight)),
                    true,
                );
        }
        // A one-theme picture: the themes it links to, as labelled stubs.
        let heaviest_stub = view.stubs.iter().map(|s| s.weight).fold(0.0, f64::max);
        for stub in &view.stubs {
            let name = format!("c{}", stub.community);
            let mut node = graph.node_named(&name);
            node.set("shape", "box", false)
                .set("style", "rounded,dashed", true)
                .set("fixedsize", "false", false)
                .set("color", stub.colour, true)
                .set("fontsize", "15", false)
                .set("fontcolor", MUTED_COLOUR, true)
                .set(
                    "label",
                    &html_lines(&{
                        // The name, then a line of its own that the name's wrapping cannot cut.
                        let mut lines = wrap(&format!("→ {}", stub.label), 8, LABEL_WIDTH);
                        lines.push(format!(
                            "{} from these insights",
                            counted(stub.edges, "link")
                        ));
                        lines
                    }),
                    false,
                )
                .set(
                    "tooltip",
                    &escape(&format!("theme {}: {}", stub.community, stub.label)),
                    true,
                );
            if let Some(pos) = style.placement.as_ref().and_then(|p| p.pos(&name)) {
                node.set("pos", &pos, false);
            }
        }
        for stub in &view.stubs {
            for &(insight, w) in &stub.links {
                let t = if heaviest_stub > 0.0 {
                    w / heaviest_stub
                } else {
                    0.0
                };
                graph
                    .edge(format!("n{insight}"), format!("c{}", stub.community))
                    .attributes()
                    .set("style", "dashed", true)
                    .set(
                        "penwidth",
                        &format!("{:.2}", MIN_PEN + t.sqrt() * (MAX_PEN - MIN_PEN) / 2.0),
                        false,
                    )
                    .set("color", &format!("{}80", stub.colour), true);
            }
        }
        for &(insight, source) in &view.appears_in {
            graph
                .edge(format!("n{insight}"), format!("s{source}"))
                .attributes()
                .set("style", "dashed", true)
                .set("penwidth", "1", false)
                .set("color", "#9AA5B180", true);
        }
    }
    String::from_utf8(bytes).expect("DOT is written from UTF-8 strings")
}

/// The graph attributes every slide shares: the seeded force layout with overlap removal,
/// straight edges under the nodes, 16:9, the white page and the heading (`label`, an HTML
/// label). `stretch` and packing apply only where Graphviz places nodes freely; with pinned
/// positions (`style.placement`) they are read in points as written.
fn slide_graph(
    graph: &mut Scope<'_, '_>,
    engine: Engine,
    style: &DotStyle,
    stretch: &str,
    sep: &str,
    label: &str,
) {
    let mut attributes = graph.graph_attributes();
    attributes
        .set("layout", engine.as_str(), false)
        .set("start", &LAYOUT_SEED.to_string(), false)
        .set("overlap", "prism", false)
        .set("overlap_scaling", "0", false);
    if style.free_layout() {
        attributes.set("scale", stretch, true);
    } else {
        attributes.set("inputscale", "72", false);
    }
    attributes
        .set("sep", sep, true)
        .set("splines", "false", false)
        .set("outputorder", "edgesfirst", false)
        .set(
            "pack",
            if style.free_layout() { "true" } else { "false" },
            false,
        )
        .set("size", "16,9!", true)
        .set("pad", "0.35", false)
        .set("bgcolor", "white", false)
        .set("fontname", FONT, true)
        .set("fontcolor", TEXT_COLOUR, true)
        .set("labelloc", "t", false)
        .set("labeljust", "l", false)
        .set("label", label, false);
}

/// The lines of an insight's label in `mode`.
pub fn label_lines(node: &ViewNode, mode: LabelMode) -> Vec<String> {
    match mode {
        LabelMode::Title if !node.title.is_empty() => wrap(&node.title, usize::MAX, LABEL_WIDTH),
        LabelMode::Title | LabelMode::Words => short_label(&node.text),
        LabelMode::Full => wrap(&node.text, FULL_LABEL_WORDS, FULL_LABEL_WIDTH),
        LabelMode::None | LabelMode::Number => Vec::new(),
    }
}

/// Line width of whole-text labels, in characters.
const FULL_LABEL_WIDTH: usize = 34;

/// Most words of a whole-text label (an ellipsis marks the rest): a page, not a book.
const FULL_LABEL_WORDS: usize = 400;

/// The DOT name of the key of a numbered picture.
pub const KEY_NODE: &str = "key";

/// Rank of every node of `view` (1 = highest score, ties by id), parallel to `view.nodes`.
/// Each node's number on a numbered picture (parallel to [`View::nodes`]): 1 for the highest
/// score, ties by id.
pub fn ranks(view: &View) -> Vec<usize> {
    let mut order: Vec<usize> = (0..view.nodes.len()).collect();
    order.sort_by(|&a, &b| {
        view.nodes[b]
            .score
            .total_cmp(&view.nodes[a].score)
            .then(view.nodes[a].id.cmp(&view.nodes[b].id))
    });
    let mut rank = vec![0; view.nodes.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = r + 1;
    }
    rank
}

/// Dark text on light fills, white on dark ones (WCAG relative luminance of an sRGB
/// `#RRGGBB`, threshold 0.4).
fn text_on(fill: &str) -> &'static str {
    let channel = |i: usize| {
        let v =
            u8::from_str_radix(fill.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    if luminance > 0.4 {
        TEXT_COLOUR
    } else {
        "white"
    }
}

fn insight_node(
    scope: &mut Scope<'_, '_>,
    view: &View,
    node: &ViewNode,
    max_score: f64,
    style: &DotStyle,
    ranks: &[usize],
) {
    let share = if max_score > 0.0 {
        node.score / max_score
    } else {
        0.0
    };
    let diameter = MIN_DIAMETER.max(MAX_DIAMETER * share.sqrt());
    let theme = &view.themes[node.theme];
    let tooltip = format!(
        "#{} · {} · {} {:.4} · {} sources\n{}",
        node.id,
        theme.label,
        view.size_by.as_str(),
        node.score,
        node.sources,
        node.text
    );
    let name = format!("n{}", node.id);
    let label = if style.labels == LabelMode::Number {
        // The number inside the circle; circles of numbered pictures have a floor size so
        // two digits fit.
        let rank = ranks[view.position(node.id).unwrap_or(0)];
        format!(
            "<<font point-size=\"{:.0}\" color=\"{}\"><b>{rank}</b></font>>",
            NUMBER_POINTS,
            text_on(theme.colour)
        )
    } else {
        let lines = label_lines(node, style.labels);
        if lines.is_empty() {
            "\"\"".to_string()
        } else {
            below_circle(&lines, diameter)
        }
    };
    let diameter = if style.labels == LabelMode::Number {
        diameter.max(NUMBERED_MIN_DIAMETER)
    } else {
        diameter
    };
    let mut node_attributes = scope.node_named(&name);
    node_attributes
        .set("width", &format!("{diameter:.3}"), false)
        .set("fillcolor", theme.colour, true)
        .set("label", &label, false)
        .set("tooltip", &escape_capped(&tooltip), true);
    if let Some(pos) = style.placement.as_ref().and_then(|p| p.pos(&name)) {
        node_attributes.set("pos", &pos, false);
    }
    if style
        .marked
        .as_ref()
        .is_some_and(|m| m.ids.binary_search(&node.id).is_ok())
    {
        node_attributes
            .set("color", MARK_COLOUR, true)
            .set("penwidth", MARK_PEN, false);
    }
}

/// Font size of the numbers in numbered circles, and the smallest such circle (inches).
const NUMBER_POINTS: f64 = 16.0;
const NUMBERED_MIN_DIAMETER: f64 = 0.36;
/// Line width (characters) of the key's texts.
const KEY_WIDTH: usize = 60;

/// The key of a numbered picture: one row per insight, by rank, with its number in its
/// theme's colour and its text (whole or title, per `mode`).
fn key_label(view: &View, mode: KeyMode, ranks: &[usize]) -> String {
    let full = mode.full(view.nodes.len());
    let mut order: Vec<usize> = (0..view.nodes.len()).collect();
    order.sort_by_key(|&i| ranks[i]);
    let mut html =
        String::from("<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"3\">");
    for i in order {
        let node = &view.nodes[i];
        let text = if full || node.title.is_empty() {
            wrap(&node.text, FULL_LABEL_WORDS, KEY_WIDTH)
        } else {
            vec![node.title.clone()]
        };
        let _ = write!(
            html,
            "<tr><td align=\"right\" valign=\"top\"><font point-size=\"17\" color=\"{}\"><b>{}</b></font></td><td align=\"left\" balign=\"left\" valign=\"top\"><font point-size=\"15\">{}</font></td></tr>",
            if view.themes[node.theme].colour == "#F0E442" { "#B8A800" } else { view.themes[node.theme].colour },
            ranks[i],
            inner_lines(&text)
        );
    }
    html.push_str("</table>>");
    html
}

/// An HTML label that puts the text under the circle. Graphviz centres a label on its node,
/// so an empty row as tall as the text goes above a row as tall as the circle. With
/// `fixedsize=shape` edges end at the circle, while overlap removal keeps the whole label
/// clear of other nodes.
fn below_circle(lines: &[String], diameter: f64) -> String {
    let text_height =
        (lines.len() as f64 * LABEL_POINTS * LINE_SPACING + 2.0 * TEXT_PADDING).round();
    let circle = (diameter * 72.0 + 6.0).round();
    let mut html =
        String::from("<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"0\">");
    let _ = write!(
        html,
        "<tr><td height=\"{text_height}\"></td></tr><tr><td height=\"{circle}\"></td></tr>"
    );
    let _ = write!(
        html,
        "<tr><td bgcolor=\"#FFFFFFB3\" cellpadding=\"{TEXT_PADDING}\">{}</td></tr></table>>",
        inner_lines(lines)
    );
    html
}

fn html_lines(lines: &[String]) -> String {
    format!("<{}>", inner_lines(lines))
}

fn inner_lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// Title, caption and legend as one HTML table in the graph label, outside the layout.
/// `text` in bold as an HTML-like label, or an empty label when it has nothing to show.
fn bold_or_empty(text: &str) -> String {
    let escaped = escape(text);
    if escaped.trim().is_empty() {
        "\"\"".to_string()
    } else {
        format!("<<b>{escaped}</b>>")
    }
}

fn legend(view: &View, style: &DotStyle) -> String {
    const COLUMNS: usize = 4;
    let mut html =
        String::from("<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"3\">");
    html.push_str(&title_rows(style.title.as_deref()));
    let scope = view_scope(view);
    let mut captions = vec![format!(
        "{scope} · circle area: {} · line width: sources in common · colour: theme",
        measure_label(view.size_by)
    )];
    if let Some(b) = view.backbone {
        captions.push(format!(
            "Strongest links only: {} ({} of {} links drawn)",
            b,
            view.edges.len(),
            b.edges_before
        ));
    }
    if view.sources.len() < view.sources_total {
        captions.push(format!(
            "Sources: the {} holding most of these insights, of {}",
            thousands(view.sources.len()),
            thousands(view.sources_total)
        ));
    }
    if let Some(marked) = style
        .marked
        .as_ref()
        .filter(|m| m.ids.iter().any(|id| view.position(*id).is_some()))
    {
        captions.push(marked.caption.clone());
    }
    captions.extend(style.notes.iter().cloned());
    for caption in captions.iter().flat_map(|c| wrap_width(c, CAPTION_WIDTH)) {
        let _ = write!(
            html,
            "<tr><td align=\"left\"><font point-size=\"24\" color=\"{MUTED_COLOUR}\">{}</font></td></tr>",
            escape(&caption)
        );
    }
    // One text cell per row of themes: a nested table would be stretched to the width of the
    // longest caption and spread its entries apart.
    for row in view.themes.chunks(COLUMNS) {
        let entries: Vec<String> = row
            .iter()
            .map(|theme| {
                let words = wrap(&theme.label, 8, 40).join(" ");
                format!(
                    "<font point-size=\"34\" color=\"{}\">●</font>&#160;<font point-size=\"26\">{}</font>",
                    theme.colour,
                    escape(&format!("{words} ({})", theme.shown))
                )
            })
            .collect();
        let _ = write!(
            html,
            "<tr><td align=\"left\">{}</td></tr>",
            entries.join("&#160;&#160;&#160;&#160;")
        );
    }
    html.push_str("</table>>");
    html
}

/// Caption lines are wrapped at this many characters, so a long note does not widen the
/// slide (and shrink the graph with it).
const CAPTION_WIDTH: usize = 110;

/// Title lines are wrapped at this many characters: at 44 points, about the width of the
/// captions' 110 at 24, so a long title takes lines, not the graph's width.
const PICTURE_TITLE_WIDTH: usize = 60;

/// A picture's title as rows of its caption table, wrapped between words. A title that
/// escapes to nothing is left out: an empty `<b></b>` is a syntax error to Graphviz.
pub(super) fn title_rows(title: Option<&str>) -> String {
    let Some(title) = title.filter(|t| !escape(t).trim().is_empty()) else {
        return String::new();
    };
    wrap_width(title, PICTURE_TITLE_WIDTH)
        .iter()
        .map(|line| {
            format!(
                "<tr><td align=\"left\"><font point-size=\"44\"><b>{}</b></font></td></tr>",
                escape(line)
            )
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words (a longer word has a
/// line of its own).
fn wrap_width(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The measure's name as a caption says it.
fn measure_label(measure: crate::algo::centrality::Measure) -> &'static str {
    use crate::algo::centrality::Measure::*;
    match measure {
        PageRank => "PageRank",
        Betweenness => "betweenness",
        Closeness => "closeness",
        Eigenvector => "eigenvector centrality",
        Degree => "degree",
        Strength => "strength",
    }
}

/// What an insight picture shows, the start of its caption (and of its page's): "The 30 most
/// central of 111,279 insights", "The 30 most central of the theme's 2,419 insights", "All 14
/// insights within 1 link of #12".
pub fn view_scope(view: &View) -> String {
    let shown = view.nodes.len();
    if view.filters.only.is_some() {
        // Chosen insights (a deck's theme slide): counted against their theme, if one.
        return match view.theme_size {
            Some(size) => format!("{shown} of the theme's {} insights", thousands(size)),
            None => format!("{shown} of {} insights", thousands(view.graph_nodes)),
        };
    }
    let pool = thousands(view.pool);
    let of = match (view.filters.ego, view.filters.community) {
        (Some(ego), _) => format!(
            "{pool} insights within {} of #{}",
            counted(ego.radius as usize, "link"),
            ego.id
        ),
        (None, Some(_)) => format!("the theme's {pool} insights"),
        (None, None) => format!("{pool} insights"),
    };
    if shown < view.pool {
        format!("The {} most central of {of}", thousands(shown))
    } else {
        format!("All {of}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_titles_take_lines_not_width() {
        // 30 four-letter words: 12 to a line of at most 60 characters.
        let rows = super::title_rows(Some(&"word ".repeat(30)));
        assert_eq!(rows.matches("<tr>").count(), 3);
        assert!(rows.contains(&format!("<b>{}</b>", ["word"; 12].join(" "))));
        assert_eq!(super::title_rows(Some("  ")), "");
        assert_eq!(super::title_rows(None), "");
    }

    #[test]
    fn captions_wrap_between_words() {
        assert_eq!(wrap_width("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap_width("aaaaaaa b", 5), vec!["aaaaaaa", "b"]);
        assert_eq!(wrap_width("", 5), vec![""]);
    }

    #[test]
    fn huge_texts_are_cut_below_graphvizs_string_limit() {
        let huge = "a\\b<c ".repeat(10_000);
        let capped = super::escape_capped(&huge);
        assert!(capped.len() <= super::GRAPHVIZ_STRING_BYTES + 3 && capped.ends_with('…'));
        assert_eq!(super::escape_capped("short"), "short");
    }

    #[test]
    fn empty_titles_and_labels_are_left_out_not_written_as_empty_bold() {
        assert_eq!(super::bold_or_empty(""), "\"\"");
        assert_eq!(super::bold_or_empty("a"), "<<b>a</b>>");
    }

    use super::*;

    #[test]
    fn escapes_what_graphviz_would_read() {
        assert_eq!(
            escape(r#"say "hi" \N"#),
            "say &quot;hi&quot; &#92;&#92;&#8288;N"
        );
        assert_eq!(escape("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(
            escape("one\ntwo\r\nthree\rfour"),
            "one&#10;two&#10;three&#10;four"
        );
        assert_eq!(escape("tab\there\u{7}bell"), "tab herebell");
        assert_eq!(escape("&amp; stays literal"), "&amp;amp; stays literal");
    }

    #[test]
    fn escape_passes_emoji_and_rtl_through() {
        assert_eq!(escape("🚀 launch"), "🚀 launch");
        assert_eq!(escape("שלום עולם"), "שלום עולם");
        assert_eq!(escape("مرحبا \u{200F}x"), "مرحبا \u{200F}x");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn escaped_text_has_no_character_special_to_graphviz() {
        let nasty = "\"\\<>&\n\r\t{}[];=,-- -> \\N \\G \\l é 🚀 עברית";
        let out = escape(nasty);
        assert!(
            !out.contains(['"', '\\', '<', '>', '\n', '\r', '\t']),
            "{out}"
        );
        // Every & starts one of our entities.
        for (i, _) in out.match_indices('&') {
            let rest = &out[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#92;", "&#8288;", "&#10;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "{rest}"
            );
        }
    }

    #[test]
    fn labels_are_short_and_wrapped() {
        let lines =
            short_label("The pivot from a pure technology role (like CTO) to product leadership");
        assert_eq!(lines, vec!["The pivot from a pure", "technology…"]);
        // An ellipsis may run one past the width.
        assert!(lines.iter().all(|l| l.chars().count() <= LABEL_WIDTH + 1));
        assert_eq!(short_label("Short one"), vec!["Short one"]);
        assert_eq!(
            short_label("Supercalifragilisticexpialidocious"),
            vec!["Supercalifragilistice…"]
        );
        assert_eq!(
            short_label("one two three four five six, seven"),
            vec!["one two three four", "five six…"]
        );
        assert!(short_label("   ").is_empty());
    }

    #[test]
    fn engine_follows_size() {
        assert_eq!(Engine::auto(30, false), Engine::Neato);
        assert_eq!(Engine::auto(5000, false), Engine::Sfdp);
        assert_eq!(Engine::auto(30, true), Engine::Fdp);
    }
}

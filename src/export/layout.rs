//! Where Graphviz puts things: run the layout of a DOT netgraph wrote and read the positions
//! back, so other outputs (the interactive page, overlap checks, pinned layouts) place every
//! insight exactly where the pictures do.
//!
//! Graphviz is run with `-Tjson` (its JSON output, <https://graphviz.org/docs/outputs/json/>),
//! which holds the layout attributes (`bb`, `pos`, `width`, `height`) and the drawing
//! operations (`_draw_`, `_ldraw_`, xdot format, <https://graphviz.org/docs/outputs/canon/#xdot>)
//! of every graph, subgraph and node. [`parse`] reads that JSON; [`layout`] runs Graphviz
//! through [`super::render::run_graphviz`] and parses its output.
//!
//! Coordinates are Graphviz's: points (1/72 inch), the y axis pointing **up**, in the
//! layout's own units — before the DOT's `size` scales the drawing to fit a slide, so a
//! position here times the SVG's scale is the position in the SVG.

use super::render::run_graphviz;
use crate::error::{Error, Result};
use crate::ids::{InsightId, SourceId};
use serde::Deserialize;

/// A point, in Graphviz points (y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned rectangle, in Graphviz points (y up): `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    /// Whether `other` lies wholly inside (borders included), allowing `slack` points.
    pub fn contains(&self, other: &Rect, slack: f64) -> bool {
        other.x0 >= self.x0 - slack
            && other.y0 >= self.y0 - slack
            && other.x1 <= self.x1 + slack
            && other.y1 <= self.y1 + slack
    }

    /// The area the two share (0 when they only touch or are apart).
    pub fn overlap(&self, other: &Rect) -> f64 {
        let w = self.x1.min(other.x1) - self.x0.max(other.x0);
        let h = self.y1.min(other.y1) - self.y0.max(other.y0);
        if w > 0.0 && h > 0.0 {
            w * h
        } else {
            0.0
        }
    }

    /// The bounding box of `points`; `None` for none.
    fn around(points: impl IntoIterator<Item = [f64; 2]>) -> Option<Rect> {
        points.into_iter().fold(None, |acc, [x, y]| {
            let p = Rect {
                x0: x,
                y0: y,
                x1: x,
                y1: y,
            };
            Some(acc.map_or(p, |r: Rect| r.union(&p)))
        })
    }
}

/// One line of label text as Graphviz drew it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    /// Where the line's baseline starts (after justification), in points.
    pub baseline: Point,
    /// Font size in points.
    pub size: f64,
    /// The box the line takes: its measured width; from [`DESCENT`] below the baseline to
    /// [`ASCENT`] above it, in font sizes.
    pub rect: Rect,
}

/// Line-box extents around a baseline, in font sizes. Graphviz's JSON gives a text's
/// baseline, justification and width, not its height; these are the extents Graphviz 2.43
/// (pango, Helvetica) gives its HTML-label table cells: an 18-point line's cell reaches
/// 5.6 points below the baseline and 14.4 above, and lines are 20 points apart.
pub const ASCENT: f64 = 0.8;
pub const DESCENT: f64 = 0.32;

/// A node as Graphviz placed it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// Its DOT name: `n17` is insight 17 ([`PlacedNode::insight`]), `s4` source 4
    /// ([`PlacedNode::source`]); other names are legend or key nodes.
    pub name: String,
    /// Its centre (`pos`).
    pub centre: Point,
    /// The size Graphviz gave it, in points: with `fixedsize=shape` (netgraph's insights) the
    /// circle *and* its label, which is what overlap removal keeps apart.
    pub width: f64,
    pub height: f64,
    /// The bounding box of the drawn shape (circle, box) alone, from its `_draw_` operations;
    /// `None` for a node drawn with no shape (`shape=none`, `plaintext`).
    pub shape: Option<Rect>,
    /// The bounding box of its label text (the union of [`PlacedNode::lines`]); `None` when it
    /// has no text.
    pub label: Option<Rect>,
    /// The label's lines, top to bottom as Graphviz drew them.
    pub lines: Vec<TextLine>,
}

impl PlacedNode {
    /// The insight this node draws (`n17`), if it is one.
    pub fn insight(&self) -> Option<InsightId> {
        numbered(&self.name, 'n').map(InsightId)
    }

    /// The source this node draws (`s4`), if it is one.
    pub fn source(&self) -> Option<SourceId> {
        numbered(&self.name, 's').map(|s| SourceId(i64::from(s)))
    }

    /// The box Graphviz reserved for the node (`width` × `height` around the centre).
    pub fn rect(&self) -> Rect {
        Rect {
            x0: self.centre.x - self.width / 2.0,
            y0: self.centre.y - self.height / 2.0,
            x1: self.centre.x + self.width / 2.0,
            y1: self.centre.y + self.height / 2.0,
        }
    }
}

/// `prefix` followed by a decimal number, as netgraph names nodes (`n17`; not `n017`).
fn numbered(name: &str, prefix: char) -> Option<u32> {
    let digits = name.strip_prefix(prefix)?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if canonical {
        digits.parse().ok()
    } else {
        None
    }
}

/// A cluster subgraph (`--cluster` draws one per theme).
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub name: String,
    pub bbox: Rect,
    /// Its label text's bounding box.
    pub label: Option<Rect>,
}

/// A laid-out graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The bounding box of the whole drawing, graph label included (`bb`).
    pub bbox: Rect,
    /// The bounding box of the graph's label text (netgraph's title and legend).
    pub label: Option<Rect>,
    /// Cluster subgraphs, in Graphviz's order.
    pub clusters: Vec<Cluster>,
    /// Every node, in Graphviz's order (the DOT's).
    pub nodes: Vec<PlacedNode>,
    /// Every edge as (tail name, head name), in the DOT's order.
    pub edges: Vec<(String, String)>,
}

impl Layout {
    /// The node named `name`.
    pub fn node(&self, name: &str) -> Option<&PlacedNode> {
        self.nodes.iter().find(|n| n.name == name)
    }
}

/// Lay out `dot` with the engine it names (its `layout` attribute) and read the positions.
///
/// Runs Graphviz once (`dot -Tjson`); the time is Graphviz's layout (sfdp with overlap
/// removal: ~6 s for 1,000 insights, ~30 s for 5,000, see the README), parsing is O(size of
/// the JSON), which holds every edge's drawing (150 MB for 230,000 edges).
///
/// Errors: [`Error::ExternalTool`] when Graphviz is missing, fails, or writes JSON this
/// function cannot read.
pub fn layout(dot: &str) -> Result<Layout> {
    let ran = run_graphviz(&["-Tjson".into()], dot)?;
    parse(&ran.stdout)
}

/// Read Graphviz's `-Tjson` output (the layout, not `-Tjson0`'s attributes alone: the
/// `_draw_`/`_ldraw_` operations are needed for shapes and text).
///
/// Errors: [`Error::ExternalTool`] for JSON that is not a laid-out graph.
pub fn parse(json: &[u8]) -> Result<Layout> {
    let bad = |why: String| Error::ExternalTool(format!("cannot read Graphviz's -Tjson: {why}"));
    let graph: JsonGraph = serde_json::from_slice(json).map_err(|e| bad(e.to_string()))?;
    let bbox = graph
        .bb
        .as_deref()
        .ok_or_else(|| bad("the graph has no bounding box (bb): was it laid out?".into()))
        .and_then(|bb| rect_attr(bb).ok_or_else(|| bad(format!("bad bounding box {bb:?}"))))?;

    let mut clusters = Vec::new();
    let mut nodes = Vec::new();
    // Edges name their ends by `_gvid`; Graphviz numbers nodes and subgraphs in one list in
    // some versions and apart in others, so the map holds nodes only.
    let mut names: Vec<(u64, usize)> = Vec::new();
    for object in &graph.objects {
        match (&object.pos, &object.bb) {
            (Some(pos), _) => {
                let centre = point_attr(pos)
                    .ok_or_else(|| bad(format!("node {}: bad pos {pos:?}", object.name)))?;
                let inches = |value: &Option<String>, what: &str| -> Result<f64> {
                    value
                        .as_deref()
                        .and_then(|v| v.trim().parse::<f64>().ok())
                        .filter(|v| v.is_finite())
                        .map(|v| v * 72.0)
                        .ok_or_else(|| bad(format!("node {}: bad or missing {what}", object.name)))
                };
                let lines = text_lines(&object.ldraw);
                names.push((object.gvid, nodes.len()));
                nodes.push(PlacedNode {
                    name: object.name.clone(),
                    centre,
                    width: inches(&object.width, "width")?,
                    height: inches(&object.height, "height")?,
                    shape: shape_rect(&object.draw),
                    label: union(&lines),
                    lines,
                });
            }
            (None, Some(bb)) => clusters.push(Cluster {
                name: object.name.clone(),
                bbox: rect_attr(bb)
                    .ok_or_else(|| bad(format!("subgraph {}: bad bb {bb:?}", object.name)))?,
                label: union(&text_lines(&object.ldraw)),
            }),
            // A subgraph that draws nothing (`{rank=same; ...}`): nothing to place.
            (None, None) => {}
        }
    }
    names.sort_unstable();
    let name_of = |gvid: u64| -> Result<String> {
        names
            .binary_search_by_key(&gvid, |&(g, _)| g)
            .map(|i| nodes[names[i].1].name.clone())
            .map_err(|_| {
                bad(format!(
                    "an edge names node {gvid}, which is not in the graph"
                ))
            })
    };
    let edges = graph
        .edges
        .iter()
        .map(|e| Ok((name_of(e.tail)?, name_of(e.head)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Layout {
        bbox,
        label: union(&text_lines(&graph.ldraw)),
        clusters,
        nodes,
        edges,
    })
}

/// The parts of Graphviz's JSON netgraph reads; everything else is ignored.
#[derive(Deserialize)]
struct JsonGraph {
    bb: Option<String>,
    #[serde(rename = "_ldraw_", default)]
    ldraw: Vec<DrawOp>,
    #[serde(default)]
    objects: Vec<JsonObject>,
    #[serde(default)]
    edges: Vec<JsonEdge>,
}

/// A node (it has `pos`) or a subgraph (a cluster has `bb`).
#[derive(Deserialize)]
struct JsonObject {
    #[serde(rename = "_gvid")]
    gvid: u64,
    name: String,
    pos: Option<String>,
    bb: Option<String>,
    width: Option<String>,
    height: Option<String>,
    #[serde(rename = "_draw_", default)]
    draw: Vec<DrawOp>,
    #[serde(rename = "_ldraw_", default)]
    ldraw: Vec<DrawOp>,
}

#[derive(Deserialize)]
struct JsonEdge {
    tail: u64,
    head: u64,
}

/// One xdot drawing operation. Only the fields of the operations read here are named:
/// `F` (font: `size`), `T` (text: `pt`, `align`, `width`, `text`), and the shapes `E`/`e`
/// (ellipse: `rect` = centre x, centre y, radius x, radius y), `P`/`p`/`L`/`B`/`b`
/// (polygon, polyline, B-spline: `points`).
#[derive(Deserialize)]
struct DrawOp {
    op: String,
    size: Option<f64>,
    pt: Option<[f64; 2]>,
    align: Option<String>,
    width: Option<f64>,
    text: Option<String>,
    rect: Option<[f64; 4]>,
    points: Option<Vec<[f64; 2]>>,
}

/// The text lines of a `_ldraw_` list: each `T` takes the size of the last `F` before it.
fn text_lines(ops: &[DrawOp]) -> Vec<TextLine> {
    let mut size = 14.0; // Graphviz's default fontsize, until an `F` says otherwise
    let mut lines = Vec::new();
    for op in ops {
        match op.op.as_str() {
            "F" => size = op.size.unwrap_or(size),
            "T" => {
                let (Some([x, y]), Some(width)) = (op.pt, op.width) else {
                    continue;
                };
                // `pt` is the anchor of the baseline: its left end, centre or right end.
                let x0 = match op.align.as_deref() {
                    Some("c") => x - width / 2.0,
                    Some("r") => x - width,
                    _ => x,
                };
                lines.push(TextLine {
                    text: op.text.clone().unwrap_or_default(),
                    baseline: Point { x: x0, y },
                    size,
                    rect: Rect {
                        x0,
                        y0: y - DESCENT * size,
                        x1: x0 + width,
                        y1: y + ASCENT * size,
                    },
                });
            }
            _ => {}
        }
    }
    lines
}

fn union(lines: &[TextLine]) -> Option<Rect> {
    lines.iter().map(|l| l.rect).reduce(|a, b| a.union(&b))
}

/// The bounding box of a `_draw_` list's shapes (pen widths left out).
fn shape_rect(ops: &[DrawOp]) -> Option<Rect> {
    ops.iter()
        .filter_map(|op| match op.op.as_str() {
            "E" | "e" => op.rect.map(|[cx, cy, rx, ry]| Rect {
                x0: cx - rx,
                y0: cy - ry,
                x1: cx + rx,
                y1: cy + ry,
            }),
            "P" | "p" | "L" | "B" | "b" => Rect::around(op.points.iter().flatten().copied()),
            _ => None,
        })
        .reduce(|a, b| a.union(&b))
}

/// A `pos` attribute: "x,y" (a pinned node's "x,y!" too).
fn point_attr(text: &str) -> Option<Point> {
    let mut parts = text.trim_end_matches('!').split(',');
    let x = parts.next()?.trim().parse::<f64>().ok()?;
    let y = parts.next()?.trim().parse::<f64>().ok()?;
    (parts.next().is_none() && x.is_finite() && y.is_finite()).then_some(Point { x, y })
}

/// A `bb` attribute: "llx,lly,urx,ury".
fn rect_attr(text: &str) -> Option<Rect> {
    let v: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()?;
    match v[..] {
        [x0, y0, x1, y1] if x0 <= x1 && y0 <= y1 => Some(Rect { x0, y0, x1, y1 }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dot -Tjson` (Graphviz 2.43) of tests/fixtures/layout/small.dot, which is
    /// `netgraph export dot --top 3 --with-sources --cluster --labels words` on the seeds; both
    /// were written by tests/fixtures/layout/make.sh.
    const SMALL: &str = include_str!("../../tests/fixtures/layout/small.json");

    #[test]
    fn reads_nodes_clusters_and_edges() {
        let layout = parse(SMALL.as_bytes()).unwrap();
        // bb="-8.5,0,1280.5,1133" in the file (fdp, the clusters' engine, may go below 0).
        assert_eq!(
            layout.bbox,
            Rect {
                x0: -8.5,
                y0: 0.0,
                x1: 1280.5,
                y1: 1133.0
            }
        );
        let insights: Vec<u32> = layout
            .nodes
            .iter()
            .filter_map(|n| n.insight())
            .map(|i| i.0)
            .collect();
        assert_eq!(insights.len(), 3, "{insights:?}");
        assert!(layout.nodes.iter().any(|n| n.source().is_some()));
        assert!(!layout.clusters.is_empty());
        for node in &layout.nodes {
            assert!(layout.bbox.contains(&node.rect(), 0.5), "{}", node.name);
            let shape = node.shape.expect("every node draws a shape");
            // The drawn shape is centred on pos (Graphviz writes pos to 5 significant
            // digits, the drawing to 2 decimals), and inside the reserved box.
            assert!(((shape.x0 + shape.x1) / 2.0 - node.centre.x).abs() < 0.1);
            assert!(((shape.y0 + shape.y1) / 2.0 - node.centre.y).abs() < 0.1);
            assert!(node.rect().contains(&shape, 0.5), "{}", node.name);
            let label = node.label.expect("every node has a label");
            assert!(
                node.rect().contains(&label, 1.0),
                "{}: {label:?}",
                node.name
            );
            assert!(!node.lines.is_empty() && node.lines.iter().all(|l| !l.text.is_empty()));
        }
        for (a, b) in &layout.edges {
            assert!(
                layout.node(a).is_some() && layout.node(b).is_some(),
                "{a} {b}"
            );
        }
        assert!(layout.label.is_some(), "the legend is the graph's label");
    }

    #[test]
    fn insight_circles_are_round_and_their_label_sits_below() {
        let layout = parse(SMALL.as_bytes()).unwrap();
        for node in layout.nodes.iter().filter(|n| n.insight().is_some()) {
            let shape = node.shape.unwrap();
            assert!((shape.width() - shape.height()).abs() < 0.02);
            // netgraph's HTML label puts the text in a row under the circle (y points up).
            assert!(node.label.unwrap().y1 <= shape.y0 + 0.5, "{}", node.name);
        }
    }

    #[test]
    fn text_boxes_follow_justification_and_font_size() {
        let op = |v: serde_json::Value| serde_json::from_value::<DrawOp>(v).unwrap();
        let ops = vec![
            op(serde_json::json!({"op": "F", "size": 10.0, "face": "Helvetica"})),
            op(
                serde_json::json!({"op": "T", "pt": [100.0, 50.0], "align": "c", "width": 40.0, "text": "mid"}),
            ),
            op(
                serde_json::json!({"op": "T", "pt": [100.0, 30.0], "align": "r", "width": 20.0, "text": "right"}),
            ),
            op(serde_json::json!({"op": "F", "size": 20.0, "face": "Helvetica"})),
            op(
                serde_json::json!({"op": "T", "pt": [0.0, 0.0], "align": "l", "width": 5.0, "text": "left"}),
            ),
        ];
        let lines = text_lines(&ops);
        assert_eq!(lines.len(), 3);
        assert_eq!((lines[0].rect.x0, lines[0].rect.x1), (80.0, 120.0));
        assert_eq!((lines[0].rect.y0, lines[0].rect.y1), (50.0 - 3.2, 58.0));
        assert_eq!((lines[1].rect.x0, lines[1].rect.x1), (80.0, 100.0));
        assert_eq!(lines[2].size, 20.0);
        assert_eq!((lines[2].rect.x0, lines[2].rect.y1), (0.0, 16.0));
        let all = union(&lines).unwrap();
        assert_eq!((all.x0, all.y0, all.x1, all.y1), (0.0, -6.4, 120.0, 58.0));
    }

    #[test]
    fn node_names_map_to_insights_and_sources_only_when_canonical() {
        assert_eq!(numbered("n17", 'n'), Some(17));
        assert_eq!(numbered("n0", 'n'), Some(0));
        assert_eq!(numbered("n017", 'n'), None);
        assert_eq!(numbered("n", 'n'), None);
        assert_eq!(numbered("n1x", 'n'), None);
        assert_eq!(numbered("legend", 'n'), None);
        assert_eq!(numbered("s4", 's'), Some(4));
        assert_eq!(numbered("n99999999999", 'n'), None);
    }

    #[test]
    fn attributes_parse_or_are_refused() {
        assert_eq!(point_attr("1.5,-2"), Some(Point { x: 1.5, y: -2.0 }));
        assert_eq!(point_attr("3,4!"), Some(Point { x: 3.0, y: 4.0 }));
        assert_eq!(point_attr("3"), None);
        assert_eq!(point_attr("1,2,3"), None);
        assert_eq!(point_attr("nan,1"), None);
        assert_eq!(
            rect_attr("0,0,10,20"),
            Some(Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 10.0,
                y1: 20.0
            })
        );
        assert_eq!(rect_attr("10,0,0,20"), None);
        assert_eq!(rect_attr("0,0,10"), None);
    }

    #[test]
    fn unreadable_output_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "[]",
            r#"{"name": "G"}"#,
            r#"{"bb": "0,0,1"}"#,
            r#"{"bb": "0,0,10,10", "objects": [{"_gvid": 0, "name": "n1", "pos": "x"}]}"#,
            r#"{"bb": "0,0,10,10", "objects": [{"_gvid": 0, "name": "n1", "pos": "1,1"}]}"#,
            r#"{"bb": "0,0,10,10", "objects": [{"_gvid": 0, "name": "n1", "pos": "1,1", "width": "1", "height": "1"}], "edges": [{"_gvid": 0, "tail": 0, "head": 5}]}"#,
        ] {
            match parse(bad.as_bytes()) {
                Err(Error::ExternalTool(message)) => {
                    assert!(
                        message.starts_with("cannot read Graphviz's -Tjson"),
                        "{message}"
                    )
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn rect_overlap_and_containment() {
        let a = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let b = Rect {
            x0: 5.0,
            y0: 5.0,
            x1: 20.0,
            y1: 20.0,
        };
        let touching = Rect {
            x0: 10.0,
            y0: 0.0,
            x1: 12.0,
            y1: 5.0,
        };
        assert_eq!(a.overlap(&b), 25.0);
        assert_eq!(a.overlap(&touching), 0.0);
        assert!(a.union(&b).contains(&a, 0.0) && !a.contains(&b, 0.0));
    }
}

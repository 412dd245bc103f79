//! Drawing a picture in two passes, so positions can be kept and a key placed beside it.
//!
//! 1. **Layout**: the picture's DOT, with the positions to keep pinned (`pos="x,y!"`), goes
//!    through Graphviz's layout; [`super::layout`] reads back where everything went.
//! 2. **Drawing**: the same DOT with *every* node pinned where the layout put it (rounded to
//!    0.01 point), plus, for numbered pictures, the key pinned beside the graph.
//!
//! Because the drawing pass only reads positions, a picture drawn from kept positions is the
//! same, byte for byte, as the one drawn right after its layout: the same database and
//! options give the same SVG. The caller keeps the positions ([`crate::store::Store::keep_layout`])
//! to pin them next time, so insights stay where they were after an incremental import.

use super::dot::{DotStyle, LabelMode, Placement, KEY_NODE};
use super::layout::{layout, Point, Rect};
use super::picture::Picture;
use crate::error::Result;
use crate::store::Store;

/// Space between the graph and the key, points.
const KEY_GAP: f64 = 40.0;
/// A numbered graph beside a short key is spread to at least this height (points), so a
/// handful of circles does not sit small in a corner of the slide.
const MIN_NUMBERED_HEIGHT: f64 = 560.0;

/// A picture ready for Graphviz, and where its nodes are.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// The DOT of the drawing pass: every node pinned.
    pub dot: String,
    /// Every laid-out node's centre (key excluded), sorted by DOT name, rounded to 0.01 pt.
    pub positions: Vec<(String, Point)>,
}

/// Lay out `picture`, keeping the nodes of `keep` (DOT name → centre, any order; names not
/// in the picture are ignored) where they are, and return the drawing pass's DOT.
///
/// Runs Graphviz for the layout (and once more on the key alone, to measure it, for numbered
/// pictures); the drawing pass is left to the caller ([`super::render::render`]).
///
/// Errors: [`crate::error::Error::ExternalTool`] when Graphviz is missing or fails.
pub fn draw(picture: &Picture, style: &DotStyle, keep: &[(String, Point)]) -> Result<Drawing> {
    let mut pinned: Vec<(String, Point)> = keep.to_vec();
    pinned.sort_by(|a, b| a.0.cmp(&b.0));
    pinned.dedup_by(|a, b| a.0 == b.0);
    let first = DotStyle {
        placement: Some(Placement {
            pinned,
            complete: false,
        }),
        ..style.clone()
    };
    let placed = layout(&picture.to_dot(&first))?;
    let numbered = style.labels == LabelMode::Number && matches!(picture, Picture::Insights(_));
    // Each node's centre: a pinned node exactly where it was kept (Graphviz's read-back can
    // differ in the last digit), the others where the layout put them.
    let centre = |n: &super::layout::PlacedNode| {
        first
            .placement
            .as_ref()
            .and_then(|p| p.get(&n.name))
            .unwrap_or(n.centre)
    };
    let graph = placed
        .nodes
        .iter()
        .filter(|n| n.name != KEY_NODE)
        .map(|n| {
            let c = centre(n);
            Rect {
                x0: c.x - n.width / 2.0,
                y0: c.y - n.height / 2.0,
                x1: c.x + n.width / 2.0,
                y1: c.y + n.height / 2.0,
            }
        })
        .reduce(|a: Rect, b| a.union(&b));
    let key = match (numbered, graph) {
        (true, Some(_)) => key_size(picture, style)?,
        _ => None,
    };
    // A numbered graph has no labels, so it is small beside its key: spread its positions
    // (circles keep their size, so nothing comes to overlap) to the key's height, as far as
    // a 16:9 slide allows. Close to 1 it stays 1, so pinned positions are stable.
    let spread = match (graph, key) {
        (Some(g), Some((kw, kh))) => {
            let kh = kh.max(MIN_NUMBERED_HEIGHT);
            // Spreading scales the span of the centres; the circles' own extent (the rest of
            // the graph's size) stays. Solve span · f + extent = target, so a second run,
            // pinned at the spread positions, finds f = 1 and draws the same picture.
            let (lo, hi) = placed
                .nodes
                .iter()
                .filter(|n| n.name != KEY_NODE)
                .map(centre)
                .fold(
                    ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN)),
                    |(lo, hi), c| {
                        (
                            (lo.0.min(c.x), lo.1.min(c.y)),
                            (hi.0.max(c.x), hi.1.max(c.y)),
                        )
                    },
                );
            let (span_x, span_y) = (hi.0 - lo.0, hi.1 - lo.1);
            let tall = (kh - (g.height() - span_y)) / span_y;
            let wide = (16.0 / 9.0 * kh - kw - KEY_GAP - (g.width() - span_x)) / span_x;
            let f = tall.min(wide);
            if span_x > 0.0 && span_y > 0.0 && f.is_finite() && f > 1.05 {
                f
            } else {
                1.0
            }
        }
        _ => 1.0,
    };
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let origin = graph.map_or(Point { x: 0.0, y: 0.0 }, |g| Point { x: g.x0, y: g.y0 });
    let mut positions: Vec<(String, Point)> = placed
        .nodes
        .iter()
        .filter(|n| n.name != KEY_NODE)
        .map(|n| {
            let centre = centre(n);
            (
                n.name.clone(),
                Point {
                    x: round(origin.x + (centre.x - origin.x) * spread),
                    y: round(origin.y + (centre.y - origin.y) * spread),
                },
            )
        })
        .collect();
    positions.sort_by(|a, b| a.0.cmp(&b.0));

    let mut pinned = positions.clone();
    if let Some((kw, _)) = key {
        // The spread graph's extent: the new centres with each node's own size.
        let spread_graph = placed
            .nodes
            .iter()
            .filter(|n| n.name != KEY_NODE)
            .filter_map(|n| {
                let i = positions.binary_search_by(|(p, _)| p.cmp(&n.name)).ok()?;
                let c = positions[i].1;
                Some(Rect {
                    x0: c.x - n.width / 2.0,
                    y0: c.y - n.height / 2.0,
                    x1: c.x + n.width / 2.0,
                    y1: c.y + n.height / 2.0,
                })
            })
            .reduce(|a, b| a.union(&b));
        if let Some(g) = spread_graph {
            pinned.push((
                KEY_NODE.to_string(),
                Point {
                    x: round(g.x1 + KEY_GAP + kw / 2.0),
                    y: round((g.y0 + g.y1) / 2.0),
                },
            ));
            pinned.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }
    let last = DotStyle {
        placement: Some(Placement {
            pinned,
            complete: true,
        }),
        ..style.clone()
    };
    Ok(Drawing {
        dot: picture.to_dot(&last),
        positions,
    })
}

/// The key's width and height in points, measured by laying out the key alone.
fn key_size(picture: &Picture, style: &DotStyle) -> Result<Option<(f64, f64)>> {
    // The whole picture's DOT with nothing but the key: same fonts, same label.
    let alone = key_only(&picture.to_dot(style));
    let measured = layout(&alone)?;
    Ok(measured.node(KEY_NODE).map(|k| (k.width, k.height)))
}

/// A DOT with only the defaults and the key node of `dot` (as [`super::dot::to_dot`] writes
/// it: one statement per line).
fn key_only(dot: &str) -> String {
    let mut out = String::from("graph {\n");
    for line in dot.lines() {
        let t = line.trim_start();
        if t.starts_with("node [") || t.starts_with(&format!("{KEY_NODE} [")) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}

/// What [`draw_kept`] did with the kept layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptLayout {
    /// Nodes placed where an earlier picture put them.
    pub reused: usize,
    /// The new positions are kept (`false`: a read-only or busy database).
    pub kept: bool,
}

/// [`draw`], keeping known nodes where the last picture of the same kind and options put
/// them (unless `relayout`), and keeping the new positions for the next one.
pub fn draw_kept(
    store: &mut Store,
    picture: &Picture,
    style: &DotStyle,
    relayout: bool,
) -> Result<(Drawing, KeptLayout)> {
    let name = picture_name(picture, style);
    let known = if relayout {
        Vec::new()
    } else {
        store.kept_layout(&name)?
    };
    let drawing = draw(picture, style, &known)?;
    let reused = drawing
        .positions
        .iter()
        .filter(|(n, _)| known.binary_search_by(|(k, _)| k.cmp(n)).is_ok())
        .count();
    let kept = crate::results::keep(store, |s| s.keep_layout(&name, &drawing.positions))?;
    Ok((drawing, KeptLayout { reused, kept }))
}

/// The name a picture's layout is kept under: its kind and every option that moves nodes.
pub fn picture_name(picture: &Picture, style: &DotStyle) -> String {
    let look = format!(
        "labels={} key={} cluster={} engine={}",
        style.labels.as_str(),
        style.key.as_str(),
        style.cluster,
        style.engine.map_or("auto", |e| e.as_str())
    );
    match picture {
        Picture::Insights(view) => {
            let f = &view.filters;
            format!(
                "insights top={:?} community={:?} ego={:?} min_weight={:?} sources={} backbone={:?} size={}{} {look}",
                f.top,
                f.community,
                f.ego.map(|e| (e.id.0, e.radius)),
                f.min_weight,
                f.with_sources,
                f.backbone,
                view.size_by.as_str(),
                f.only.as_ref().map_or(String::new(), |ids| format!(" only={ids:?}"))
            ) + &match (f.with_sources, f.max_sources) {
                // Since sources were capped: a layout of every source is not this picture's.
                (true, Some(max)) => format!(" max_sources={max}"),
                _ => String::new(),
            }
        }
        // Not the number of themes: an import that adds a theme must not start a new layout.
        Picture::Themes(map) => format!("themes size={} {look}", map.size_by.as_str()),
    }
}

//! DOT of the theme map ([`ThemeMap`]): one circle per theme, area by members, named, with
//! the title of its most central insight; lines to each theme's most associated themes.

use super::{
    escape, escape_capped, title_rows, wrap, DotStyle, Engine, FONT, MUTED_COLOUR, TEXT_COLOUR,
};
use super::{LINE_SPACING, TEXT_PADDING};
use crate::export::theme_map::ThemeMap;
use crate::export::view::OTHER_COLOUR;
use dot_writer::{Attributes, DotWriter};
use std::fmt::Write as _;

/// Circle diameters of the largest and the smallest theme, inches (area ∝ members).
const MAX_THEME_DIAMETER: f64 = 1.7;
const MIN_THEME_DIAMETER: f64 = 0.45;
/// Font sizes (points) of a theme's name and of its central insight's title.
const NAME_POINTS: f64 = 20.0;
const TITLE_POINTS: f64 = 15.0;
/// Wrap widths (characters) of the name and the title.
const NAME_WIDTH: usize = 24;
const TITLE_WIDTH: usize = 28;
/// Sideways stretch of the map before overlap removal: theme labels are wide, and this
/// brings a map of 20-30 themes to about 16:9 (measured on generated corpora).
const MAP_STRETCH: &str = "5,1";
/// Line widths (points) of the weakest and the strongest drawn link.
const MIN_LINK_PEN: f64 = 1.0;
const MAX_LINK_PEN: f64 = 9.0;

/// "1 insight", "12,345 insights": `n` with thousands separators and the noun (a regular
/// English plural).
pub fn counted(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The DOT text of `map`. Deterministic: themes by rank, links by theme pair.
pub fn theme_map_dot(map: &ThemeMap, style: &DotStyle) -> String {
    let engine = style.engine.unwrap_or(Engine::Neato);
    let largest = map.themes.first().map_or(1, |t| t.members).max(1);
    let diameter = |members: usize| {
        let share = (members.min(largest) as f64 / largest as f64).sqrt();
        MIN_THEME_DIAMETER.max(MAX_THEME_DIAMETER * share)
    };
    let (lo, hi) = map
        .links
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), l| {
            (lo.min(l.association.ln()), hi.max(l.association.ln()))
        });

    let mut bytes = Vec::new();
    {
        let mut writer = DotWriter::from(&mut bytes);
        let mut graph = writer.graph();
        super::slide_graph(
            &mut graph,
            engine,
            style,
            MAP_STRETCH,
            "+6",
            &caption(map, style),
        );
        graph
            .node_attributes()
            .set("shape", "circle", false)
            .set("fixedsize", "shape", false)
            .set("style", "filled", true)
            .set("color", "white", false)
            .set("penwidth", "2", false)
            .set("fontname", FONT, true)
            .set("fontcolor", TEXT_COLOUR, true);

        for theme in &map.themes {
            let d = diameter(theme.members);
            let title = if theme.central_title.is_empty() {
                Vec::new()
            } else {
                wrap(
                    &format!("“{}”", theme.central_title),
                    usize::MAX,
                    TITLE_WIDTH,
                )
            };
            let name = if theme.name.trim().is_empty() {
                vec![format!("Theme {}", theme.community)]
            } else {
                wrap(&theme.name, usize::MAX, NAME_WIDTH)
            };
            let tooltip = format!(
                "Theme {} · {} · {} insights\nMost central: {}",
                theme.community,
                theme.name,
                thousands(theme.members),
                theme.central_text
            );
            let node_name = format!("t{}", theme.community);
            let mut node = graph.node_named(&node_name);
            node.set("width", &format!("{d:.3}"), false)
                .set("fillcolor", theme.colour, true)
                .set(
                    "label",
                    &theme_label(&name, &title, &thousands(theme.members), d),
                    false,
                )
                .set("tooltip", &escape_capped(&tooltip), true);
            // Kept positions pin themes, as they pin insights: a map redrawn after an import
            // keeps its themes in place.
            if let Some(pos) = style.placement.as_ref().and_then(|p| p.pos(&node_name)) {
                node.set("pos", &pos, false);
            }
        }
        if let Some(other) = map.other {
            let d = diameter(other.insights);
            let name = vec!["Other themes".to_string()];
            let detail = if other.themes > 0 {
                vec![format!(
                    "{} smaller themes and single insights",
                    thousands(other.themes)
                )]
            } else {
                vec!["insights in no theme".to_string()]
            };
            let mut node = graph.node_named("other");
            if let Some(pos) = style.placement.as_ref().and_then(|p| p.pos("other")) {
                node.set("pos", &pos, false);
            }
            node.set("width", &format!("{d:.3}"), false)
                .set("fillcolor", &format!("{OTHER_COLOUR}66"), true)
                .set("color", OTHER_COLOUR, true)
                .set("style", "filled,dashed", true)
                .set(
                    "label",
                    &theme_label(&name, &detail, &thousands(other.insights), d),
                    false,
                )
                .set(
                    "tooltip",
                    &escape(&format!(
                        "{} themes and {} insights not drawn as their own circle",
                        other.themes, other.insights
                    )),
                    true,
                );
        }
        for link in &map.links {
            let (a, b) = (&map.themes[link.a], &map.themes[link.b]);
            let t = if hi > lo {
                (link.association.ln() - lo) / (hi - lo)
            } else {
                1.0
            };
            graph
                .edge(format!("t{}", a.community), format!("t{}", b.community))
                .attributes()
                .set(
                    "penwidth",
                    &format!("{:.2}", MIN_LINK_PEN + t * (MAX_LINK_PEN - MIN_LINK_PEN)),
                    false,
                )
                .set("color", "#8796A580", true)
                .set(
                    "tooltip",
                    &escape(&format!(
                        "{} – {}: linked {:.2}× as often as chance predicts ({} shared sources)",
                        a.name, b.name, link.association, link.weight
                    )),
                    true,
                );
        }
    }
    String::from_utf8(bytes).expect("DOT is written from UTF-8 strings")
}

/// What a theme map shows, as its caption's first line (and the page's): "The 24 largest of
/// 60 themes, holding 63,444 of 111,279 insights".
pub fn map_scope(map: &ThemeMap) -> String {
    let drawn: usize = map.themes.iter().map(|t| t.members).sum();
    if map.themes.len() < map.theme_count {
        format!(
            "The {} largest of {} themes, holding {} of {} insights",
            map.themes.len(),
            thousands(map.theme_count),
            thousands(drawn),
            thousands(map.graph_nodes)
        )
    } else {
        match map.themes.len() {
            0 => format!(
                "No themes: no two of the {} share a source",
                counted(map.graph_nodes, "insight")
            ),
            1 => format!("The one theme of {}", counted(map.graph_nodes, "insight")),
            n => format!("All {n} themes of {}", counted(map.graph_nodes, "insight")),
        }
    }
}

/// A label under a circle of `diameter` inches: the name in bold with the count beside it,
/// then the detail lines muted; laid out like the insight labels (see `below_circle`).
fn theme_label(name: &[String], detail: &[String], count: &str, diameter: f64) -> String {
    let text_height = ((name.len() as f64 * NAME_POINTS + detail.len() as f64 * TITLE_POINTS)
        * LINE_SPACING
        + 2.0 * TEXT_PADDING)
        .round();
    let circle = (diameter * 72.0 + 8.0).round();
    let mut html =
        String::from("<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"0\">");
    let _ = write!(
        html,
        "<tr><td height=\"{text_height}\"></td></tr><tr><td height=\"{circle}\"></td></tr>"
    );
    let _ = write!(
        html,
        "<tr><td bgcolor=\"#FFFFFFB3\" cellpadding=\"{TEXT_PADDING}\"><font point-size=\"{NAME_POINTS}\"><b>{}</b> <font color=\"{MUTED_COLOUR}\">({})</font></font>",
        name.iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br/>"),
        escape(count)
    );
    for line in detail {
        let _ = write!(
            html,
            "<br/><font point-size=\"{TITLE_POINTS}\" color=\"{MUTED_COLOUR}\"><i>{}</i></font>",
            escape(line)
        );
    }
    html.push_str("</td></tr></table>>");
    html
}

/// Title and caption above the map.
fn caption(map: &ThemeMap, style: &DotStyle) -> String {
    let mut html =
        String::from("<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"3\">");
    html.push_str(&title_rows(style.title.as_deref()));
    let scope = map_scope(map);
    for line in [
        scope,
        format!(
            "Circle area: insights in the theme · under each name, its most central insight by {}",
            super::measure_label(map.size_by)
        ),
        format!(
            "Lines: each theme's {} closest themes, by how often their insights appear together against chance (association strength; width: stronger)",
            crate::export::theme_map::LINKS_PER_THEME
        ),
    ] {
        let _ = write!(
            html,
            "<tr><td align=\"left\"><font point-size=\"24\" color=\"{MUTED_COLOUR}\">{}</font></td></tr>",
            escape(&line)
        );
    }
    html.push_str("</table>>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_plural_beyond_one() {
        assert_eq!(counted(1, "insight"), "1 insight");
        assert_eq!(counted(0, "source"), "0 sources");
        assert_eq!(counted(12345, "theme"), "12,345 themes");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(111279), "111,279");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}

//! `netgraph report`: the story of a database ([`super::story`]) as a document a person can
//! read and paste: Markdown (pictures linked), one self-contained HTML file (pictures inlined
//! as SVG, no external reference), or JSON for programs (the same content).
//!
//! The HTML is rendered from the Markdown (CommonMark, pulldown-cmark), so both say the same;
//! any HTML inside insight texts is shown as text, never interpreted.

use super::dot::{counted, thousands, DotStyle, KeyMode, LabelMode};
use super::draw::draw_kept;
use super::picture::Picture;
use super::render::run_graphviz;
use super::story::{self, list_or_none as list, Story, StoryConfig, StoryInsight};
use super::theme_map::{self, ThemeMapConfig, DEFAULT_MAP_THEMES};
use super::view::{self, Filters};
use crate::algo::centrality::Measure;
use crate::error::{Error, Result};
use crate::results::analyses::return_freed_memory;
use crate::results::Analyses;
use crate::store::Store;
use serde::Serialize;
use std::fmt::Write as _;

/// The formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
    Json,
}

impl ReportFormat {
    pub const NAMES: [&'static str; 3] = ["md", "html", "json"];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
        }
    }

    /// The format a file name asks for (`.md`/`.markdown`, `.html`/`.htm`, `.json`).
    pub fn from_extension(path: &std::path::Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "html" | "htm" => Some(ReportFormat::Html),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }
}

impl std::str::FromStr for ReportFormat {
    type Err = String;
    fn from_str(name: &str) -> std::result::Result<Self, String> {
        match name {
            "md" | "markdown" => Ok(ReportFormat::Markdown),
            "html" => Ok(ReportFormat::Html),
            "json" => Ok(ReportFormat::Json),
            _ => Err(format!(
                "unknown report format '{name}'; use md, html or json"
            )),
        }
    }
}

/// What a report tells.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportConfig {
    /// Its heading; "What N insights say" when `None`.
    pub title: Option<String>,
    /// Insights in each ranking.
    pub top: usize,
    /// Themes told one by one.
    pub themes: usize,
    /// Draw the pictures (needs Graphviz).
    pub pictures: bool,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            title: None,
            top: 10,
            themes: 10,
            pictures: true,
        }
    }
}

/// A picture of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportPicture {
    /// Short name: "themes", "central"; files are `<stem>-<name>.svg`.
    pub name: &'static str,
    pub caption: String,
    #[serde(skip)]
    pub svg: String,
}

/// A report ready to write in any format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub title: String,
    #[serde(flatten)]
    pub story: Story,
    /// Drawn pictures; empty when Graphviz is missing (see `pictures_missing`).
    pub pictures: Vec<ReportPicture>,
    /// Why the pictures are missing, if they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pictures_missing: Option<String>,
}

/// Tell the story and draw its pictures (the theme map, and the most central insights with
/// their numbers). Without Graphviz the report has no pictures and says why.
pub fn build(store: &mut Store, config: &ReportConfig) -> Result<Report> {
    if config.top == 0 {
        return Err(Error::InvalidInput(
            "a report needs at least one insight per ranking (--top 1 or more)".into(),
        ));
    }
    // Near-duplicates before the graph: their search holds a band key set and a sketch per
    // text (about 0.5 GB at a million insights), given back before the graph, the largest
    // part of memory, is loaded.
    let duplicates = story::near_duplicates(store)?;
    return_freed_memory();
    let analyses = Analyses::load(store, Measure::PageRank)?;
    let mut story = story::build(
        store,
        &analyses,
        &StoryConfig {
            top: config.top,
            themes: config.themes,
            ..StoryConfig::default()
        },
    )?;
    story.near_duplicates = Some(duplicates);
    let title = config
        .title
        .clone()
        .unwrap_or_else(|| match story.corpus.insights {
            1 => "What 1 insight says".to_string(),
            n => format!("What {} insights say", thousands(n)),
        });
    let (pictures, pictures_missing) = if config.pictures {
        match pictures(store, &analyses, config, &title) {
            Ok(p) => (p, None),
            Err(Error::ExternalTool(why)) => (Vec::new(), Some(why)),
            Err(e) => return Err(e),
        }
    } else {
        (Vec::new(), Some("not asked for (--no-pictures)".into()))
    };
    Ok(Report {
        title,
        story,
        pictures,
        pictures_missing,
    })
}

fn pictures(
    store: &mut Store,
    analyses: &Analyses,
    config: &ReportConfig,
    title: &str,
) -> Result<Vec<ReportPicture>> {
    let map = theme_map::build_with(
        store,
        analyses,
        &ThemeMapConfig {
            themes: DEFAULT_MAP_THEMES,
            size_by: Measure::PageRank,
        },
    )?;
    let top = view::filtered(
        store,
        analyses,
        Filters {
            top: Some(config.top),
            ..Filters::default()
        },
    )?;
    let drawn = [
        (
            "themes",
            format!("The themes of {title}"),
            Picture::Themes(map),
            DotStyle {
                title: Some(title.to_string()),
                ..DotStyle::default()
            },
        ),
        (
            "central",
            format!("The {} most central insights", config.top),
            Picture::Insights(top),
            DotStyle {
                title: Some(format!("The {} most central insights", config.top)),
                labels: LabelMode::Number,
                key: KeyMode::Title,
                ..DotStyle::default()
            },
        ),
    ];
    let mut out = Vec::new();
    for (name, caption, picture, style) in drawn {
        let (drawing, _) = draw_kept(store, &picture, &style, false)?;
        let svg = run_graphviz(&["-Tsvg".into()], &drawing.dot)?.stdout;
        out.push(ReportPicture {
            name,
            caption,
            svg: String::from_utf8_lossy(&svg).into_owned(),
        });
    }
    Ok(out)
}

/// The report as JSON: the story's content and the pictures' names and captions.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report serializes");
    text.push('\n');
    text
}

/// The report as Markdown; `links[i]` is where picture i is (none: the pictures are left
/// out, as when the report goes to standard output).
pub fn markdown(report: &Report, links: Option<&[String]>) -> String {
    let s = &report.story;
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", md_text(&report.title));

    let c = &s.corpus;
    md.push_str("## What was imported\n\n");
    let _ = writeln!(
        md,
        "- {}, {}, {} (graph version {})",
        counted(c.sources as usize, "source"),
        counted(c.insights, "insight"),
        counted(c.edges, "appears-with link"),
        c.graph_version
    );
    if !s.imports.formats.is_empty() {
        let formats: Vec<String> = s
            .imports
            .formats
            .iter()
            .map(|f| format!("{} {}", md_text(&f.format), thousands(f.sources as usize)))
            .collect();
        let _ = writeln!(md, "- Formats: {}", formats.join(", "));
    }
    if let (Some(first), Some(last)) = (&s.imports.first, &s.imports.last) {
        if first == last {
            let _ = writeln!(md, "- Imported {first}");
        } else {
            let _ = writeln!(md, "- Imported from {first} to {last}");
        }
    }
    let _ = writeln!(
        md,
        "- {} ({}, modularity {:.4})\n",
        counted(c.themes, "theme"),
        c.algorithm,
        c.modularity
    );

    if let Some(links) = links {
        if !report.pictures.is_empty() {
            md.push_str("## Pictures\n\n");
            for (picture, link) in report.pictures.iter().zip(links) {
                let _ = writeln!(md, "![{}]({})\n", md_text(&picture.caption), link);
            }
        }
    }
    if let Some(why) = &report.pictures_missing {
        let _ = writeln!(md, "_No pictures: {}_\n", md_text(why));
    }

    md.push_str("## The most central insights\n\n");
    for ranking in [&s.by_pagerank, &s.by_betweenness] {
        let _ = writeln!(
            md,
            "### By {}{}\n",
            measure_name(ranking.measure),
            if ranking.approximate {
                " (estimated from sampled pivots)"
            } else {
                ""
            }
        );
        md.push_str("| # | Title | Insight | Sources | Score |\n|---:|---|---|---:|---:|\n");
        for i in &ranking.insights {
            let _ = writeln!(
                md,
                "| {} | {} | {} (#{}) | {} | {:.4} |",
                i.rank,
                md_text(&i.title),
                md_text(&i.text),
                i.id,
                i.sources,
                i.score
            );
        }
        md.push('\n');
    }

    md.push_str("## Themes\n\n");
    if s.themes.is_empty() {
        md.push_str("No themes: no two insights share a source.\n\n");
    }
    for (n, t) in s.themes.iter().enumerate() {
        let _ = writeln!(
            md,
            "### {}. {} ({} insights)\n",
            n + 1,
            md_text(&t.name),
            thousands(t.size)
        );
        let _ = writeln!(
            md,
            "- Distinctive words: {}",
            list(t.words.iter().map(|w| md_text(w)))
        );
        let _ = writeln!(
            md,
            "- Nearest themes: {}",
            list(t.neighbours.iter().map(|nb| format!(
                "{} ({:.2}× chance)",
                md_text(&nb.theme.name),
                nb.association
            )))
        );
        md.push_str("- Most central:\n");
        for i in &t.central {
            let _ = writeln!(md, "  - {}", insight_line(i));
        }
        if !t.bridges.is_empty() {
            let _ = writeln!(
                md,
                "- Its bridges to other themes: {}",
                list(
                    t.bridges
                        .iter()
                        .map(|i| format!("**{}** (#{})", md_text(&i.title), i.id))
                )
            );
        }
        md.push('\n');
    }
    if s.other_themes > 0 {
        let _ = writeln!(
            md,
            "{} smaller themes hold the other {} insights (`netgraph communities` lists them).\n",
            thousands(s.other_themes),
            thousands(s.other_insights)
        );
    }

    md.push_str(
        "## Bridges\n\nInsights whose links reach other themes (participation × betweenness).\n\n",
    );
    if s.bridges.is_empty() {
        md.push_str("No insight links two themes.\n\n");
    } else {
        md.push_str(
            "| Title | Insight | Theme | Joins | Participation |\n|---|---|---|---|---:|\n",
        );
        for b in &s.bridges {
            let theme = s
                .theme(b.insight.theme)
                .map_or(String::new(), |t| md_text(&t.name));
            let _ = writeln!(
                md,
                "| {} | {} (#{}) | {} | {} | {:.3} |",
                md_text(&b.insight.title),
                md_text(&b.insight.text),
                b.insight.id,
                theme,
                list(b.joins.iter().take(3).map(|t| md_text(&t.name))),
                b.participation
            );
        }
        md.push('\n');
    }

    md.push_str("## Gaps\n\n");
    if !s.gaps.is_empty() {
        let _ = writeln!(
            md,
            "The pairs of the {} themes above linked least against chance (`netgraph bridges` weighs every pair of themes).\n",
            s.themes.len()
        );
    }
    if s.gaps.is_empty() {
        let _ = writeln!(
            md,
            "No two of the largest themes are linked less than {:.0}% as often as chance predicts.\n",
            story::GAP_RATIO * 100.0
        );
    }
    for g in &s.gaps {
        let _ = writeln!(md, "### {}\n", md_text(&g.question));
        let _ = writeln!(
            md,
            "Linked {:.2}× as often as chance predicts ({} of {:.1} expected).\n",
            g.ratio, g.weight, g.expected
        );
        for (theme, side) in [(&g.a, &g.near_a), (&g.b, &g.near_b)] {
            let _ = writeln!(md, "- Nearest in {}:", md_text(&theme.name));
            for i in side {
                let _ = writeln!(md, "  - {}", insight_line(i));
            }
        }
        md.push('\n');
    }

    if let Some(d) = &s.near_duplicates {
        md.push_str("## Near-duplicates not merged\n\n");
        if d.groups == 0 {
            md.push_str("None.\n");
        } else {
            let _ = writeln!(
                md,
                "{} groups of near-duplicate insights ({} insights); `netgraph dedupe` shows them all and `netgraph dedupe --apply` merges them.\n",
                thousands(d.groups),
                thousands(d.insights)
            );
            for g in &d.listed {
                let _ = writeln!(md, "- #{} (similarity {:.2}):", g.keep, g.similarity);
                for text in &g.texts {
                    let _ = writeln!(md, "  - {}", md_text(text));
                }
            }
        }
    }
    md
}

/// The report as one self-contained HTML file: the Markdown rendered, with the pictures
/// inlined as SVG. No script, no external URL.
pub fn html(report: &Report) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let links: Vec<String> = (0..report.pictures.len())
        .map(|i| format!("picture:{i}"))
        .collect();
    let md = markdown(report, Some(&links));
    let mut in_image = false;
    let events = Parser::new_ext(&md, Options::ENABLE_TABLES).filter_map(|event| match event {
        Event::Start(Tag::Image { dest_url, .. }) => {
            in_image = true;
            let i: usize = dest_url.strip_prefix("picture:")?.parse().ok()?;
            Some(Event::Html(
                format!(
                    "<figure>{}</figure>",
                    inline_svg(&report.pictures.get(i)?.svg)
                )
                .into(),
            ))
        }
        Event::End(TagEnd::Image) => {
            in_image = false;
            None
        }
        _ if in_image => None,
        // Texts are escaped for Markdown; anything still read as HTML is shown as text.
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        other => Some(other),
    });
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html_escape(&report.title)
    )
}

const STYLE: &str = "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;\
color:#1F2933;max-width:1100px;margin:2em auto;padding:0 1em}\
h1{font-size:2em}h2{border-bottom:1px solid #CBD2D9;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #E4E7EB;padding:.3em .5em;vertical-align:top}\
th{background:#F5F7FA;text-align:left}figure{margin:1em 0}figure svg{width:100%;height:auto}\
code{background:#F5F7FA;padding:0 .2em}";

/// A Graphviz SVG ready to sit inside HTML: without its XML prologue and DOCTYPE, and without
/// namespace declarations (HTML knows SVG's), so the file names no URL.
fn inline_svg(svg: &str) -> String {
    let from = svg.find("<svg").unwrap_or(0);
    let mut out = svg[from..].to_string();
    for attribute in [
        " xmlns=\"http://www.w3.org/2000/svg\"",
        " xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
    ] {
        out = out.replacen(attribute, "", 1);
    }
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn insight_line(i: &StoryInsight) -> String {
    format!(
        "**{}**: {} (#{}, {} source{})",
        md_text(&i.title),
        md_text(&i.text),
        i.id,
        i.sources,
        if i.sources == 1 { "" } else { "s" }
    )
}

fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::PageRank => "PageRank",
        Measure::Betweenness => "betweenness",
        Measure::Closeness => "closeness",
        Measure::Eigenvector => "eigenvector",
        Measure::Degree => "degree",
        Measure::Strength => "strength",
    }
}

/// `text` as Markdown that shows exactly it: on one line, with every character Markdown or
/// HTML would read as syntax backslash-escaped (CommonMark §2.4).
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_escapes_syntax_and_stays_on_one_line() {
        assert_eq!(
            md_text("a *b* <script>\n|x| [l](u) & `c`"),
            "a \\*b\\* \\<script\\> \\|x\\| \\[l\\](u) \\& \\`c\\`"
        );
    }

    #[test]
    fn inlined_svgs_name_no_url() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg width=\"1pt\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><g/></svg>";
        let inline = inline_svg(svg);
        assert_eq!(inline, "<svg width=\"1pt\"><g/></svg>");
    }

    #[test]
    fn formats_follow_names_and_extensions() {
        assert_eq!("md".parse(), Ok(ReportFormat::Markdown));
        assert!("pdf".parse::<ReportFormat>().is_err());
        let ext = |p: &str| ReportFormat::from_extension(std::path::Path::new(p));
        assert_eq!(ext("r.HTML"), Some(ReportFormat::Html));
        assert_eq!(ext("r.json"), Some(ReportFormat::Json));
        assert_eq!(ext("r.txt"), None);
    }
}

//! `netgraph deck`: a slide set that tells a database's story ([`super::story`]), one palette
//! and the kept layouts across every slide, 1920×1080.
//!
//! 1. the theme map;
//! 2. the most central insights, numbered, with the key;
//! 3. one slide per largest theme: its most central insights and its own best bridges (ringed),
//!    with stubs to the themes it links to;
//! 4. bridges and gaps: the insights joining themes, and the gap questions with the insights
//!    nearest to each side;
//! 5. what changed since the deck made from an earlier state of the graph (kept in the
//!    database), when there is one.
//!
//! [`plan`] decides the slides without Graphviz; [`write`] draws each (through
//! [`super::draw::draw_kept`], so a re-run on an unchanged database rewrites identical files),
//! writes `NN-name.svg` and `.png`, and `deck.md` (Marp front matter, one slide per `---`).

use super::dot::{DotStyle, KeyMode, LabelMode, Marked};
use super::draw::draw_kept;
use super::picture::Picture;
use super::render::render;
use super::story::{self, list_or_none, Story, StoryConfig, StoryInsight, ThemeRef};
use super::theme_map::{self, ThemeMapConfig, DEFAULT_MAP_THEMES};
use super::view::{self, BackboneChoice, Filters};
use super::write_file;
use crate::algo::centrality::Measure;
use crate::error::{Error, Result};
use crate::ids::InsightId;
use crate::results::Analyses;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a deck shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckConfig {
    /// The deck's title (first slide); "What N insights say" when `None`.
    pub title: Option<String>,
    /// Theme slides: the largest themes.
    pub themes: usize,
    /// Insights on the "most central" slide.
    pub top: usize,
    /// Labels of the theme slides (the "most central" slide is numbered, with the key).
    pub labels: LabelMode,
    /// What the keys of numbered slides say.
    pub key: KeyMode,
}

impl Default for DeckConfig {
    fn default() -> Self {
        DeckConfig {
            title: None,
            themes: 6,
            top: 10,
            labels: LabelMode::Title,
            key: KeyMode::Auto,
        }
    }
}

/// Insights on a theme slide besides its bridges.
pub const THEME_SLIDE_INSIGHTS: usize = 12;
/// Bridges on the bridges slide.
const BRIDGE_SLIDE_BRIDGES: usize = 8;
/// Insights whose ranks are kept for the next deck's "what changed".
const TRACKED_RANKS: usize = 1_000;
/// Rises and falls are looked for among the insights this high, now or before.
const MOVES_AMONG: usize = 100;
/// Moves, new themes and gone themes listed.
const LISTED_CHANGES: usize = 5;

/// One slide.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// File name without extension: "01-themes".
    pub name: String,
    /// What the slide says (its title in the picture and its heading in deck.md).
    pub heading: String,
    pub picture: Picture,
    pub style: DotStyle,
    /// Presenter notes (Markdown).
    pub notes: Vec<String>,
}

/// A deck ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub title: String,
    pub slides: Vec<Slide>,
    pub story: Story,
    /// Since the deck of an earlier graph, when there was one.
    pub changes: Option<Changes>,
    state: DeckState,
}

/// A theme as a deck kept it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeptTheme {
    id: u32,
    name: String,
    size: usize,
}

/// What a deck showed, kept for the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DeckState {
    sources: i64,
    insights: usize,
    /// The highest insight id: insights above it are new since.
    last_insight: InsightId,
    /// Themes of two or more insights, largest first.
    themes: Vec<KeptTheme>,
    /// The [`TRACKED_RANKS`] most central insights by PageRank, best first.
    ranks: Vec<InsightId>,
}

/// An insight whose rank changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub insight: StoryInsight,
    /// Its rank in the earlier deck; `None`: below the tracked ranks.
    pub from: Option<usize>,
    pub to: usize,
}

/// What changed since the deck made from an earlier graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub since_graph_version: i64,
    pub sources_before: i64,
    pub sources_now: i64,
    pub insights_before: usize,
    pub insights_now: usize,
    /// Themes that were not there (largest first).
    pub new_themes: Vec<ThemeRef>,
    /// Themes that are gone (largest first, as they were).
    pub vanished_themes: Vec<ThemeRef>,
    /// Insights among the most central that rose most, and that fell most.
    pub rose: Vec<Move>,
    pub fell: Vec<Move>,
    /// New insights (imported since) among the deck's most central.
    pub new_in_top: Vec<StoryInsight>,
    /// Insights imported since, and the most central of them.
    pub new_insights: usize,
    pub most_central_new: Vec<StoryInsight>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.new_themes.is_empty()
            && self.vanished_themes.is_empty()
            && self.rose.is_empty()
            && self.fell.is_empty()
            && self.new_insights == 0
            && self.sources_before == self.sources_now
            && self.insights_before == self.insights_now
    }
}

/// Decide the slides: read (or compute and keep) the analyses once, tell the story, compare
/// with the deck of an earlier graph. No Graphviz.
///
/// Errors: [`Error::EmptyGraph`] without insights; [`Error::InvalidInput`] for `top == 0`.
pub fn plan(store: &mut Store, config: &DeckConfig) -> Result<Deck> {
    if config.top == 0 {
        return Err(Error::InvalidInput(
            "a deck needs at least one central insight (--top 1 or more)".into(),
        ));
    }
    let analyses = Analyses::load(store, Measure::PageRank)?;
    let story = story::build(
        store,
        &analyses,
        &StoryConfig {
            top: config.top,
            themes: config.themes,
            per_theme: THEME_SLIDE_INSIGHTS,
            bridges: BRIDGE_SLIDE_BRIDGES,
            ..StoryConfig::default()
        },
    )?;
    let state = state_of(&analyses, &story);
    let changes = match store.previous_deck_state(analyses.version)? {
        Some((version, json)) => {
            let before: DeckState =
                serde_json::from_str(&json).map_err(|e| Error::CorruptDatabase {
                    path: store.path().to_path_buf(),
                    message: format!("deck_states of graph version {version} is damaged: {e}"),
                })?;
            Some(changes(store, &analyses, &story, &before, &state, version)?)
        }
        None => None,
    };
    let title = config
        .title
        .clone()
        .unwrap_or_else(|| match story.corpus.insights {
            1 => "What 1 insight says".to_string(),
            n => format!("What {} insights say", super::dot::thousands(n)),
        });

    let mut slides = Vec::new();
    let mut add = |heading: String, what: &str, picture: Picture, style: DotStyle, notes| {
        slides.push(Slide {
            name: format!("{:02}-{what}", slides.len() + 1),
            style: DotStyle {
                title: Some(heading.clone()),
                ..style
            },
            heading,
            picture,
            notes,
        });
    };
    let plain = DotStyle {
        labels: config.labels,
        key: config.key,
        ..DotStyle::default()
    };
    let numbered = DotStyle {
        labels: LabelMode::Number,
        ..plain.clone()
    };

    // 1. The theme map.
    let map = theme_map::build_with(
        store,
        &analyses,
        &ThemeMapConfig {
            themes: DEFAULT_MAP_THEMES,
            size_by: Measure::PageRank,
        },
    )?;
    add(
        title.clone(),
        "themes",
        Picture::Themes(map),
        plain.clone(),
        theme_notes(&story),
    );

    // 2. The most central insights.
    let top = view::filtered(
        store,
        &analyses,
        Filters {
            top: Some(config.top),
            ..Filters::default()
        },
    )?;
    add(
        format!("The {} most central insights", top.nodes.len()),
        "central",
        Picture::Insights(top),
        numbered.clone(),
        story
            .by_pagerank
            .insights
            .iter()
            .map(|i| format!("{}. {} (#{})", i.rank, i.text, i.id))
            .collect(),
    );

    // 3. One slide per theme.
    for theme in &story.themes {
        let ids = id_set(theme.central.iter().chain(&theme.bridges).map(|i| i.id));
        let bridges = id_set(theme.bridges.iter().map(|i| i.id));
        let view = view::filtered(
            store,
            &analyses,
            Filters {
                top: None,
                community: Some(theme.id),
                only: Some(ids),
                ..Filters::default()
            },
        )?;
        let mut notes = vec![format!(
            "{} insights. Over the whole theme, most associated with (against chance): {}. The pointers on the slide follow the links of the insights shown.",
            super::dot::thousands(theme.size),
            list_or_none(theme.neighbours.iter().map(|n| quoted(&n.theme.name)))
        )];
        notes.extend(
            theme
                .bridges
                .iter()
                .map(|b| format!("Bridge: {} (#{})", b.text, b.id)),
        );
        add(
            format!("Theme: {}", theme.name),
            &format!("theme-{}", theme.id),
            Picture::Insights(view),
            DotStyle {
                marked: Some(Marked {
                    ids: bridges,
                    caption: "Dark ring: the theme's strongest bridges to other themes".into(),
                }),
                ..plain.clone()
            },
            notes,
        );
    }

    // 4. Bridges and gaps.
    if !story.bridges.is_empty() || !story.gaps.is_empty() {
        let bridges = id_set(story.bridges.iter().map(|b| b.insight.id));
        let nearest = story
            .gaps
            .iter()
            .flat_map(|g| g.near_a.first().into_iter().chain(g.near_b.first()));
        let ids = id_set(bridges.iter().copied().chain(nearest.map(|i| i.id)));
        let view = view::filtered(
            store,
            &analyses,
            Filters {
                top: None,
                only: Some(ids),
                backbone: BackboneChoice::Off,
                ..Filters::default()
            },
        )?;
        // Gap lines name the nearest insights by their numbers on the slide.
        let numbers = super::dot::ranks(&view);
        let number = |side: &[StoryInsight]| {
            side.first()
                .and_then(|i| view.position(i.id))
                .map_or("none".to_string(), |p| numbers[p].to_string())
        };
        // The story weighs only the pairs of the themes it tells.
        let scope = (!story.gaps.is_empty()).then(|| {
            format!(
                "Gaps: the pairs of this deck's {} themes linked least against chance",
                story.themes.len()
            )
        });
        let questions: Vec<String> = scope
            .into_iter()
            .chain(story.gaps.iter().map(|g| {
                format!(
                    "{} Linked {:.2}× as often as chance; nearest: {} and {}.",
                    g.question,
                    g.ratio,
                    number(&g.near_a),
                    number(&g.near_b)
                )
            }))
            .collect();
        let mut notes: Vec<String> = story
            .bridges
            .iter()
            .map(|b| {
                format!(
                    "Bridge: {} (#{}) joins {}",
                    b.insight.text,
                    b.insight.id,
                    list_or_none(b.joins.iter().take(3).map(|t| quoted(&t.name)))
                )
            })
            .collect();
        notes.extend(story.gaps.iter().map(|g| {
            let side = |list: &[StoryInsight]| list_or_none(list.iter().map(|i| quoted(&i.title)));
            format!(
                "{} (linked {:.2}× as often as chance) Nearest on one side: {}; on the other: {}.",
                g.question,
                g.ratio,
                side(&g.near_a),
                side(&g.near_b)
            )
        }));
        add(
            "Bridges and gaps".into(),
            "bridges",
            Picture::Insights(view),
            DotStyle {
                marked: Some(Marked {
                    ids: bridges,
                    caption: "Dark ring: an insight joining themes".into(),
                }),
                notes: questions,
                key: KeyMode::Title,
                ..numbered.clone()
            },
            notes,
        );
    }

    // 5. What changed.
    if let Some(changes) = &changes {
        let new_ids = id_set(
            changes
                .new_in_top
                .iter()
                .chain(&changes.most_central_new)
                .map(|i| i.id),
        );
        let moved = changes
            .rose
            .iter()
            .chain(&changes.fell)
            .map(|m| m.insight.id);
        let mut ids = id_set(new_ids.iter().copied().chain(moved));
        if ids.is_empty() {
            ids = id_set(story.by_pagerank.insights.iter().map(|i| i.id));
        }
        let view = view::filtered(
            store,
            &analyses,
            Filters {
                top: None,
                only: Some(ids),
                ..Filters::default()
            },
        )?;
        let lines = change_lines(changes);
        add(
            "What changed".into(),
            "changes",
            Picture::Insights(view),
            DotStyle {
                marked: Some(Marked {
                    ids: new_ids,
                    caption: "Dark ring: new since the last deck; the others rose or fell most"
                        .into(),
                }),
                notes: lines.clone(),
                key: KeyMode::Title,
                ..numbered.clone()
            },
            lines,
        );
    }

    Ok(Deck {
        title,
        slides,
        story,
        changes,
        state,
    })
}

/// What [`write`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Every file, in slide order, deck.md last.
    pub files: Vec<PathBuf>,
    /// The deck's state is kept for the next deck's "what changed" (`false`: read-only
    /// database).
    pub kept: bool,
}

/// Draw every slide into `dir` (which must exist) as `NN-name.svg` and `.png`, write
/// `deck.md`, and keep what the deck showed. Needs Graphviz: [`Error::ExternalTool`] without
/// it.
pub fn write(store: &mut Store, deck: &Deck, dir: &Path) -> Result<Written> {
    let md = dir.join("deck.md");
    // Slides an earlier deck in this folder listed and this one has not (a "what changed"
    // slide, a theme gone) would be left behind, looking current: remove them. Only files the
    // earlier deck.md names are touched.
    if let Ok(old) = std::fs::read_to_string(&md) {
        let now: HashSet<&str> = deck.slides.iter().map(|s| s.name.as_str()).collect();
        for name in slide_names(&old).filter(|n| !now.contains(n)) {
            for ext in ["svg", "png"] {
                let _ = std::fs::remove_file(dir.join(format!("{name}.{ext}")));
            }
        }
    }
    let mut files = Vec::new();
    for slide in &deck.slides {
        let (drawing, _) = draw_kept(store, &slide.picture, &slide.style, false)?;
        for ext in ["svg", "png"] {
            let path = dir.join(format!("{}.{ext}", slide.name));
            render(&drawing.dot, &path)?;
            files.push(path);
        }
    }
    write_file(&md, markdown(deck).as_bytes())?;
    files.push(md);
    let state = serde_json::to_string(&deck.state).expect("a deck state serializes");
    let version = deck.story.corpus.graph_version;
    let kept = crate::results::keep(store, |s| s.keep_deck_state(version, &state))?;
    Ok(Written { files, kept })
}

/// deck.md: Marp front matter, then one section per slide: its picture filling the slide, and
/// its notes as presenter notes (HTML comments, which Marp shows to the speaker).
pub fn markdown(deck: &Deck) -> String {
    let mut md = String::new();
    let _ = write!(
        md,
        "---\nmarp: true\ntitle: {}\nsize: 16:9\npaginate: true\nstyle: |\n  section {{ padding: 0; }}\n  section img {{ width: 100%; }}\n---\n",
        yaml_string(&deck.title)
    );
    for (i, slide) in deck.slides.iter().enumerate() {
        if i > 0 {
            md.push_str("\n---\n");
        }
        let _ = write!(
            md,
            "\n![{}]({}.png)\n",
            markdown_text(&slide.heading),
            slide.name
        );
        if !slide.notes.is_empty() {
            md.push_str("\n<!--\n");
            for note in &slide.notes {
                let _ = writeln!(md, "{}", note.replace("--", "\u{2013}"));
            }
            md.push_str("-->\n");
        }
    }
    md
}

/// The slide names a deck.md shows (`![...](NN-name.png)`), as [`markdown`] writes them.
fn slide_names(md: &str) -> impl Iterator<Item = &str> {
    md.lines().filter_map(|line| {
        let name = line
            .strip_prefix("![")?
            .rsplit_once("](")?
            .1
            .strip_suffix(".png)")?;
        let valid = name.len() > 3
            && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && name[2..].starts_with('-')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        valid.then_some(name)
    })
}

/// Notes of the theme-map slide: each told theme with its size and central insight.
fn theme_notes(story: &Story) -> Vec<String> {
    let mut notes = vec![format!(
        "{} insights from {} sources fall in {} themes (modularity {:.3}).",
        super::dot::thousands(story.corpus.insights),
        super::dot::thousands(story.corpus.sources as usize),
        super::dot::thousands(story.corpus.themes),
        story.corpus.modularity
    )];
    notes.extend(story.themes.iter().map(|t| {
        format!(
            "{} ({} insights): {}",
            t.name,
            super::dot::thousands(t.size),
            t.central.first().map_or("", |i| i.text.as_str())
        )
    }));
    notes
}

/// The caption lines of the "what changed" slide.
fn change_lines(c: &Changes) -> Vec<String> {
    let mut lines = vec![format!(
        "Since the last deck: {} → {} sources, {} → {} insights",
        super::dot::thousands(c.sources_before as usize),
        super::dot::thousands(c.sources_now as usize),
        super::dot::thousands(c.insights_before),
        super::dot::thousands(c.insights_now)
    )];
    let themes = |list: &[ThemeRef]| {
        list_or_none(
            list.iter()
                .map(|t| format!("{} ({})", quoted(&t.name), t.size)),
        )
    };
    if !c.new_themes.is_empty() {
        lines.push(format!("New themes: {}", themes(&c.new_themes)));
    }
    if !c.vanished_themes.is_empty() {
        lines.push(format!("Themes gone: {}", themes(&c.vanished_themes)));
    }
    let moves = |list: &[Move]| {
        list.iter()
            .map(|m| {
                format!(
                    "{} {}→{}",
                    quoted(&m.insight.title),
                    m.from
                        .map_or(format!("below {TRACKED_RANKS}"), |r| r.to_string()),
                    m.to
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !c.rose.is_empty() {
        lines.push(format!("Rose most: {}", moves(&c.rose)));
    }
    if !c.fell.is_empty() {
        lines.push(format!("Fell most: {}", moves(&c.fell)));
    }
    if !c.new_in_top.is_empty() {
        lines.push(format!(
            "New among the most central: {}",
            list_or_none(c.new_in_top.iter().map(|i| quoted(&i.title)))
        ));
    }
    if c.new_insights > 0 {
        lines.push(format!(
            "{} new insights; the most central: {}",
            super::dot::thousands(c.new_insights),
            list_or_none(c.most_central_new.iter().map(|i| format!(
                "{} (rank {})",
                quoted(&i.title),
                i.rank
            )))
        ));
    }
    if c.is_empty() {
        lines.push("Nothing else changed.".into());
    }
    lines
}

fn state_of(analyses: &Analyses, story: &Story) -> DeckState {
    let graph = &analyses.graph;
    let ranking = analyses.scores.ranking();
    DeckState {
        sources: story.corpus.sources,
        insights: graph.node_count(),
        last_insight: (0..graph.node_count() as u32)
            .map(|u| graph.id(u))
            .max()
            .unwrap_or(InsightId(0)),
        themes: analyses
            .partition
            .communities
            .iter()
            .filter(|c| c.size > 1)
            .map(|c| KeptTheme {
                id: c.id,
                name: c.label.clone(),
                size: c.size,
            })
            .collect(),
        ranks: ranking
            .iter()
            .take(TRACKED_RANKS)
            .map(|&u| graph.id(u))
            .collect(),
    }
}

/// Compare the deck state `now` with `before` (kept from graph version `since`).
fn changes(
    store: &Store,
    analyses: &Analyses,
    story: &Story,
    before: &DeckState,
    now: &DeckState,
    since: i64,
) -> Result<Changes> {
    let old_ids: HashSet<u32> = before.themes.iter().map(|t| t.id).collect();
    let new_ids: HashSet<u32> = now.themes.iter().map(|t| t.id).collect();
    let theme = |t: &KeptTheme| ThemeRef {
        id: t.id,
        name: t.name.clone(),
        size: t.size,
    };
    let new_themes = now
        .themes
        .iter()
        .filter(|t| !old_ids.contains(&t.id))
        .take(LISTED_CHANGES)
        .map(theme)
        .collect();
    let vanished_themes = before
        .themes
        .iter()
        .filter(|t| !new_ids.contains(&t.id))
        .take(LISTED_CHANGES)
        .map(theme)
        .collect();

    let rank_before: HashMap<InsightId, usize> = before
        .ranks
        .iter()
        .enumerate()
        .map(|(r, &id)| (id, r + 1))
        .collect();
    let rank_now: HashMap<InsightId, usize> = now
        .ranks
        .iter()
        .enumerate()
        .map(|(r, &id)| (id, r + 1))
        .collect();
    let is_new = |id: InsightId| id > before.last_insight;
    // Rose: among the MOVES_AMONG most central now, those ranked lower before (or not
    // tracked), by how far they climbed.
    let mut rose: Vec<(InsightId, Option<usize>, usize)> = now
        .ranks
        .iter()
        .take(MOVES_AMONG)
        .enumerate()
        .filter(|(_, &id)| !is_new(id))
        .map(|(r, &id)| (id, rank_before.get(&id).copied(), r + 1))
        .filter(|&(_, from, to)| from.is_none_or(|f| f > to))
        .collect();
    let climb = |from: Option<usize>, to: usize| from.unwrap_or(TRACKED_RANKS + 1) - to;
    rose.sort_by(|x, y| climb(y.1, y.2).cmp(&climb(x.1, x.2)).then(x.2.cmp(&y.2)));
    rose.truncate(LISTED_CHANGES);
    // Fell: among the MOVES_AMONG most central before and still in the graph, those ranked
    // lower now.
    let graph = &analyses.graph;
    let full_rank = |id: InsightId| -> Option<usize> {
        rank_now.get(&id).copied().or_else(|| {
            let u = graph.index_of(id)?;
            let score = analyses.scores.values[u as usize];
            Some(
                1 + analyses
                    .scores
                    .values
                    .iter()
                    .enumerate()
                    .filter(|&(v, &s)| s > score || (s == score && (v as u32) < u))
                    .count(),
            )
        })
    };
    let mut fell: Vec<(InsightId, Option<usize>, usize)> = before
        .ranks
        .iter()
        .take(MOVES_AMONG)
        .enumerate()
        .filter_map(|(r, &id)| {
            let to = full_rank(id)?;
            (to > r + 1).then_some((id, Some(r + 1), to))
        })
        .collect();
    fell.sort_by(|x, y| {
        (y.2 - y.1.unwrap_or(0))
            .cmp(&(x.2 - x.1.unwrap_or(0)))
            .then(x.1.cmp(&y.1))
    });
    fell.truncate(LISTED_CHANGES);
    let new_in_top: Vec<InsightId> = story
        .by_pagerank
        .insights
        .iter()
        .map(|i| i.id)
        .filter(|&id| is_new(id))
        .collect();

    let ranking = analyses.scores.ranking();
    let new_ranked: Vec<(InsightId, usize)> = ranking
        .iter()
        .enumerate()
        .map(|(r, &u)| (graph.id(u), r + 1))
        .filter(|&(id, _)| is_new(id))
        .collect();
    let most_central_new: Vec<(InsightId, usize)> =
        new_ranked.iter().copied().take(LISTED_CHANGES).collect();
    let wanted = id_set(
        rose.iter()
            .chain(&fell)
            .map(|m| m.0)
            .chain(new_in_top.iter().copied())
            .chain(most_central_new.iter().map(|n| n.0)),
    );
    let rows: HashMap<InsightId, (String, i64)> = store
        .insight_details(&wanted)?
        .into_iter()
        .map(|r| (r.id, (r.text, r.sources)))
        .collect();
    let insight = |id: InsightId, rank: usize| {
        let u = graph.index_of(id).unwrap_or(0);
        let (text, sources) = rows.get(&id).cloned().unwrap_or_default();
        StoryInsight {
            id,
            title: analyses.titles.get(id).unwrap_or_default().to_string(),
            text,
            sources,
            theme: analyses.partition.membership[u as usize],
            score: analyses.scores.values[u as usize],
            rank,
        }
    };
    let moves = |list: Vec<(InsightId, Option<usize>, usize)>| {
        list.into_iter()
            .map(|(id, from, to)| Move {
                insight: insight(id, to),
                from,
                to,
            })
            .collect()
    };
    Ok(Changes {
        since_graph_version: since,
        sources_before: before.sources,
        sources_now: now.sources,
        insights_before: before.insights,
        insights_now: now.insights,
        new_themes,
        vanished_themes,
        rose: moves(rose),
        fell: moves(fell),
        new_in_top: new_in_top
            .into_iter()
            .map(|id| insight(id, rank_now.get(&id).copied().unwrap_or(0)))
            .collect(),
        new_insights: new_ranked.len(),
        most_central_new: most_central_new
            .into_iter()
            .map(|(id, rank)| insight(id, rank))
            .collect(),
    })
}

/// `ids` sorted, each once: what [`Filters::only`] and [`Marked::ids`] take.
fn id_set(ids: impl Iterator<Item = InsightId>) -> Vec<InsightId> {
    let mut set: Vec<InsightId> = ids.collect();
    set.sort_unstable();
    set.dedup();
    set
}

fn quoted(text: &str) -> String {
    format!("\u{201c}{text}\u{201d}")
}

/// A YAML double-quoted scalar.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text safe in a Markdown image's alt text.
fn markdown_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '[' | ']' | '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(
            yaml_string("a \"b\" \\ c\n"),
            "\"a \\\"b\\\" \\\\ c\\u000a\""
        );
    }

    #[test]
    fn only_slide_names_are_read_back_from_deck_md() {
        let md = "![Title](01-themes.png)\n![x](../etc/passwd.png)\n![y](02-central.png)\ntext";
        assert_eq!(
            slide_names(md).collect::<Vec<_>>(),
            ["01-themes", "02-central"]
        );
    }

    #[test]
    fn alt_texts_cannot_close_the_image() {
        assert_eq!(markdown_text("a ] (x) [b\n"), "a   (x)  b ");
    }
}

//! What a picture draws: insights ([`View`]) or themes ([`ThemeMap`]), and the rule that
//! picks the theme map when insights would be a crowd of colours.

use super::dot::{self, DotStyle};
use super::theme_map::{self, ThemeMap, ThemeMapConfig};

use super::view::{self, View, ViewConfig};
use crate::error::Result;
use crate::results::Analyses;
use crate::store::Store;

/// The level a picture is drawn at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One circle per insight.
    Insights,
    /// One circle per theme.
    Themes,
}

impl Level {
    pub const ALL: [Level; 2] = [Level::Insights, Level::Themes];
    pub const NAMES: [&'static str; 2] = ["insights", "themes"];

    pub fn as_str(self) -> &'static str {
        Level::NAMES[self as usize]
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == name)
            .ok_or_else(|| {
                format!(
                    "unknown level '{name}'; use one of {}",
                    Level::NAMES.join(", ")
                )
            })
    }
}

/// How to choose the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelChoice {
    At(Level),
    /// Insights, unless they would fall in more than [`AUTO_MAP_THEMES`] themes: then the
    /// theme map. For pictures nothing narrows (no `--top`, `--community`, `--ego`).
    Auto,
}

/// More themes than this among the insights of an unnarrowed picture, and it becomes a theme
/// map: a legend names eight themes ([`super::view::LEGEND_THEMES`]), and beyond them the
/// picture would be mostly "other themes" grey.
pub const AUTO_MAP_THEMES: usize = super::view::LEGEND_THEMES;

/// A picture's content. (One is built per picture, so the size of a `View` beside a
/// `ThemeMap` costs nothing worth a box.)
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Picture {
    Insights(View),
    Themes(ThemeMap),
}

/// What [`picture`] drew and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub picture: Picture,
    /// [`LevelChoice::Auto`] chose the theme map; this many themes were among the insights.
    pub switched_to_themes: Option<usize>,
}

impl Picture {
    /// Its DOT text.
    pub fn to_dot(&self, style: &DotStyle) -> String {
        match self {
            Picture::Insights(view) => dot::to_dot(view, style),
            Picture::Themes(map) => dot::theme_map_dot(map, style),
        }
    }

    /// The scores and partition it shows are in the store.
    pub fn kept(&self) -> bool {
        match self {
            Picture::Insights(view) => view.kept,
            Picture::Themes(map) => map.kept,
        }
    }
}

/// Select what a picture draws: `config` selects the insights, `map` the theme map.
pub fn picture(
    store: &mut Store,
    config: &ViewConfig,
    map: &ThemeMapConfig,
    level: LevelChoice,
) -> Result<Drawn> {
    let analyses = Analyses::load(store, config.size_by)?;
    let themes = |store: &mut Store| -> Result<Picture> {
        Ok(Picture::Themes(theme_map::build_with(
            store, &analyses, map,
        )?))
    };
    let (picture, switched_to_themes) = match level {
        LevelChoice::At(Level::Themes) => (themes(store)?, None),
        LevelChoice::At(Level::Insights) => (
            Picture::Insights(view::build_with(store, &analyses, config)?),
            None,
        ),
        LevelChoice::Auto => {
            let view = view::build_with(store, &analyses, config)?;
            let mut communities: Vec<u32> = view.nodes.iter().map(|n| n.community).collect();
            communities.sort_unstable();
            communities.dedup();
            if communities.len() > AUTO_MAP_THEMES {
                (themes(store)?, Some(communities.len()))
            } else {
                (Picture::Insights(view), None)
            }
        }
    };
    Ok(Drawn {
        picture,
        switched_to_themes,
    })
}

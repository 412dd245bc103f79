//! A user's merge/ignore list, in the spirit of VOSviewer's thesaurus files: a tab-separated
//! file of `label<TAB>replace by` lines. An insight whose text is `label` (compared by identity
//! key, so case, spacing and typographic quotes do not matter) is imported as `replace by`; an
//! empty replacement means the insight is ignored (not imported at all).
//!
//! A first line `label<TAB>replace by` is a header and skipped, as are blank lines and lines
//! starting with `#`. Replacements are not chained: `a -> b` and `b -> c` map `a` to `b`.

use crate::error::{Error, Result};
use crate::parse::normalize::{collapse_whitespace, insight_key};
use crate::parse::ParsedSource;
use std::collections::HashMap;
use std::path::Path;

/// Identity key -> replacement text (`None` = ignore).
#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    map: HashMap<String, Option<String>>,
}

impl Thesaurus {
    /// Read a thesaurus file.
    pub fn load(path: &Path) -> Result<Thesaurus> {
        let text = crate::error::read_named_file(path)?;
        Thesaurus::parse(&text).map_err(|e| Error::InvalidInput(format!("{}: {e}", path.display())))
    }

    /// Parse thesaurus text; the error names the line.
    pub fn parse(text: &str) -> std::result::Result<Thesaurus, String> {
        let mut map = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((label, replace)) = line.split_once('\t') else {
                return Err(format!("line {}: expected `label<TAB>replace by` (an empty replacement ignores the label)", n + 1));
            };
            if n == 0 && label.trim().eq_ignore_ascii_case("label") {
                continue;
            }
            let key = insight_key(label);
            if key.is_empty() {
                return Err(format!("line {}: empty label", n + 1));
            }
            let replace = collapse_whitespace(replace);
            map.insert(key, (!replace.is_empty()).then_some(replace));
        }
        Ok(Thesaurus { map })
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Replace or drop the insights the thesaurus names, in place. Positions stay dense (an
    /// ignored insight is removed, not blanked), so co-occurrence windows see the same order.
    pub fn apply(&self, sources: &mut [ParsedSource]) {
        if self.map.is_empty() {
            return;
        }
        for source in sources {
            source
                .insights
                .retain_mut(|insight| match self.map.get(&insight_key(&insight.text)) {
                    None => true,
                    Some(None) => false,
                    Some(Some(replace)) => {
                        insight.text.clone_from(replace);
                        true
                    }
                });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParsedInsight, Role};

    fn source(texts: &[&str]) -> ParsedSource {
        ParsedSource {
            name: String::new(),
            title: None,
            insights: texts
                .iter()
                .map(|t| ParsedInsight {
                    text: t.to_string(),
                    role: Role::Body,
                    context: None,
                    line: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn replaces_and_ignores_by_key() {
        let t = Thesaurus::parse(
            "label\treplace by\n# comment\nAI  is Eating\tAI is eating the world\nnoise\t\n",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        let mut sources = vec![source(&["ai is eating", "Noise", "keep me"])];
        t.apply(&mut sources);
        let texts: Vec<&str> = sources[0]
            .insights
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(texts, ["AI is eating the world", "keep me"]);
    }

    #[test]
    fn a_line_without_a_tab_is_an_error_naming_it() {
        let err = Thesaurus::parse("a\tb\nno tab here\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}

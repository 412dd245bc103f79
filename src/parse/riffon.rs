//! Riffon podcast-insight pages.
//!
//! A page is a headline insight, optionally a `Related Insights` line, then one related insight
//! per non-empty line, and a final `<title> | RiffOn` line. The site's boilerplate lines are not
//! insights. Pages without the `Related Insights` line still have a headline: the first insight.

use super::normalize::collapse_whitespace;
use super::{numbered_lines, DocumentParser, Parsed, ParsedInsight, ParsedSource, Role};

/// Lines the site adds to every page; compared case-insensitively after trimming.
const BOILERPLATE: [&str; 2] = [
    "get your free personalized podcast brief",
    "we scan new podcasts and send you the top 5 insights daily.",
];
const SEPARATOR: &str = "related insights";
const TITLE_SUFFIX: &str = "| riffon";

pub struct RiffonParser;

fn is_boilerplate(line: &str) -> bool {
    BOILERPLATE.iter().any(|b| line.eq_ignore_ascii_case(b))
}

fn title_of(line: &str) -> Option<&str> {
    let lower_tail = line.get(line.len().saturating_sub(TITLE_SUFFIX.len())..)?;
    if lower_tail.eq_ignore_ascii_case(TITLE_SUFFIX) {
        Some(line[..line.len() - TITLE_SUFFIX.len()].trim_end())
    } else {
        None
    }
}

/// Does this text carry marks only riffon pages have?
pub(super) fn has_riffon_marks(text: &str) -> bool {
    let mut last = "";
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.eq_ignore_ascii_case(SEPARATOR) || is_boilerplate(line) {
            return true;
        }
        last = line;
    }
    title_of(last).is_some()
}

impl DocumentParser for RiffonParser {
    fn name(&self) -> &'static str {
        "riffon"
    }

    fn parse(&self, text: &str) -> Parsed {
        let lines: Vec<(u32, &str)> = numbered_lines(text)
            .filter(|(_, l)| !l.is_empty())
            .collect();
        let mut source = ParsedSource::default();
        let mut body = &lines[..];
        if let Some((last, rest)) = body.split_last() {
            if let Some(title) = title_of(last.1) {
                source.title = Some(collapse_whitespace(title)).filter(|t| !t.is_empty());
                body = rest;
            }
        }
        let has_separator = body.iter().any(|(_, l)| l.eq_ignore_ascii_case(SEPARATOR));
        let mut after_separator = false;
        for &(line, content) in body {
            if is_boilerplate(content) {
                continue;
            }
            if content.eq_ignore_ascii_case(SEPARATOR) {
                after_separator = true;
                continue;
            }
            let role = if source.insights.is_empty() {
                Role::Headline
            } else if after_separator || !has_separator {
                Role::Related
            } else {
                Role::Body
            };
            source.insights.push(ParsedInsight {
                text: collapse_whitespace(content),
                role,
                context: None,
                line,
            });
        }
        Parsed::of(vec![source])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedSource {
        RiffonParser.parse(text).sources.remove(0)
    }

    #[test]
    fn headline_related_title_and_boilerplate() {
        let page = "Get your free personalized podcast brief\n\nWe scan new podcasts and send you the top 5 insights daily.\n\nThe  headline.\n\nRelated Insights\n\nFirst related.\n\nSecond related.\n\nA Page Title | RiffOn";
        let src = parse(page);
        assert_eq!(src.title.as_deref(), Some("A Page Title"));
        let got: Vec<(&str, Role, u32)> = src
            .insights
            .iter()
            .map(|i| (i.text.as_str(), i.role, i.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("The headline.", Role::Headline, 5),
                ("First related.", Role::Related, 9),
                ("Second related.", Role::Related, 11),
            ]
        );
    }

    #[test]
    fn page_without_separator_still_has_a_headline() {
        let src = parse("One.\nTwo.\nThree.");
        let roles: Vec<Role> = src.insights.iter().map(|i| i.role).collect();
        assert_eq!(roles, vec![Role::Headline, Role::Related, Role::Related]);
        assert_eq!(src.title, None);
    }

    #[test]
    fn lines_before_separator_after_headline_are_body() {
        let src = parse("Head.\nMore context.\nRelated Insights\nRel.");
        let roles: Vec<Role> = src.insights.iter().map(|i| i.role).collect();
        assert_eq!(roles, vec![Role::Headline, Role::Body, Role::Related]);
    }

    #[test]
    fn empty_page_has_no_insights() {
        assert!(parse("\n\n  \n").insights.is_empty());
        assert!(parse("Only A Title | RiffOn").insights.is_empty());
    }
}

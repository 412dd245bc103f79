//! Markdown notes: every list item is an insight, other paragraphs are insights as in the
//! paragraphs format, headings are context (kept on each occurrence as a `A > B` path), and
//! front matter, code blocks, HTML blocks and comments, tables, link reference definitions and
//! rules are not insights. Inline emphasis, code ticks and link targets are dropped so `**X**`
//! and `X` are one insight.
//!
//! The Markdown itself is read by pulldown-cmark, a CommonMark parser that runs in linear time
//! whatever the input: the hand-written parser this replaced was quadratic on brackets (a
//! JSONL export misread as Markdown, one line of `[`, took seconds per 100 KB). netgraph's rules
//! are applied on top of its events, in one pass.

use super::normalize::collapse_whitespace;
use super::{DocumentParser, Parsed, ParsedInsight, ParsedSource, Role};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub struct MarkdownParser;

/// CommonMark plus the extensions note-taking tools write: tables (so they are recognised and
/// left out), strikethrough and task boxes (markup, not words), footnotes (their text is kept,
/// the `[^1]` marks are not) and YAML (`---`) or TOML (`+++`) front matter.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Blocks whose text belongs to the insight being gathered, innermost last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A list item: its paragraphs are one insight, up to a nested list.
    Item,
    /// Any other block that holds paragraphs (list, block quote, footnote definition).
    Other,
}

/// The insight being gathered.
struct Pending {
    line: u32,
    text: String,
}

/// Byte offset -> 1-based line number.
struct LineIndex {
    /// Byte offset where each line after the first starts.
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&start| start <= offset) as u32 + 1
    }
}

#[derive(Default)]
struct Walker {
    containers: Vec<Container>,
    headings: Vec<(HeadingLevel, String)>,
    /// The heading being read.
    heading: Option<(HeadingLevel, String)>,
    pending: Option<Pending>,
    /// Depth inside blocks that are not insights (code, HTML, tables, front matter).
    hidden: usize,
    /// Inside front matter: its text is read for a `title:` only.
    front_matter: bool,
    title: Option<String>,
    insights: Vec<ParsedInsight>,
}

impl Walker {
    fn context(&self) -> Option<String> {
        if self.headings.is_empty() {
            return None;
        }
        let names: Vec<&str> = self.headings.iter().map(|(_, h)| h.as_str()).collect();
        Some(names.join(" > "))
    }

    fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            let text = collapse_whitespace(&p.text);
            if !text.is_empty() {
                let context = self.context();
                self.insights.push(ParsedInsight {
                    text,
                    role: Role::Body,
                    context,
                    line: p.line,
                });
            }
        }
    }

    fn start_insight(&mut self, line: u32) {
        self.flush();
        self.pending = Some(Pending {
            line,
            text: String::new(),
        });
    }

    /// Words of the heading or insight being read; text outside both starts an insight.
    fn push_text(&mut self, text: &str, line: u32) {
        if self.hidden > 0 {
            if self.front_matter {
                self.read_front_matter(text);
            }
            return;
        }
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
            return;
        }
        self.pending
            .get_or_insert_with(|| Pending {
                line,
                text: String::new(),
            })
            .text
            .push_str(text);
    }

    fn read_front_matter(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim();
            let value = line
                .strip_prefix("title:")
                .or_else(|| line.strip_prefix("title ="));
            if let Some(value) = value {
                self.title = Some(collapse_whitespace(value.trim().trim_matches(['"', '\''])))
                    .filter(|t| !t.is_empty());
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: u32) {
        if self.hidden > 0 {
            self.hidden += usize::from(is_hidden(&tag));
            return;
        }
        match tag {
            Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Table(_) => {
                self.flush();
                self.hidden += 1;
            }
            Tag::MetadataBlock(_) => {
                self.flush();
                self.hidden += 1;
                self.front_matter = true;
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some((level, String::new()));
            }
            Tag::Item => {
                self.start_insight(line);
                self.containers.push(Container::Item);
            }
            Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => {
                // A nested list ends its item's own text.
                self.flush();
                self.containers.push(Container::Other);
            }
            Tag::Paragraph => match &mut self.pending {
                // A later paragraph of the same list item continues its insight.
                Some(p) if self.containers.last() == Some(&Container::Item) => p.text.push(' '),
                _ => self.start_insight(line),
            },
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if self.hidden > 0 {
            let closes = matches!(
                tag,
                TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Table | TagEnd::MetadataBlock(_)
            );
            if closes {
                self.hidden -= 1;
                self.front_matter &= self.hidden > 0;
            }
            return;
        }
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, text)) = self.heading.take() {
                    let text = collapse_whitespace(&text);
                    if level == HeadingLevel::H1 && self.title.is_none() {
                        self.title = Some(text.clone()).filter(|t| !t.is_empty());
                    }
                    self.headings.retain(|(l, _)| *l < level);
                    self.headings.push((level, text));
                }
            }
            TagEnd::Item | TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::Paragraph if self.containers.last() != Some(&Container::Item) => self.flush(),
            _ => {}
        }
    }
}

/// Blocks that are not insights.
fn is_hidden(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Table(_) | Tag::MetadataBlock(_)
    )
}

impl DocumentParser for MarkdownParser {
    fn name(&self) -> &'static str {
        "markdown"
    }

    /// # Complexity
    /// * Time complexity: **O(n log n)** in the text's length: pulldown-cmark is linear, and
    ///   each insight's line number is a binary search over the line starts.
    fn parse(&self, text: &str) -> Parsed {
        let lines = LineIndex::new(text);
        let mut walker = Walker::default();
        for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
            let line = lines.line(range.start);
            match event {
                Event::Start(tag) => walker.start(tag, line),
                Event::End(tag) => walker.end(tag),
                Event::Text(t) | Event::Code(t) => walker.push_text(&t, line),
                Event::SoftBreak | Event::HardBreak => walker.push_text(" ", line),
                // Inline HTML (`<br>`, `<!-- note -->`), footnote marks, task boxes, rules and
                // the rest carry no words of the insight.
                _ => {}
            }
        }
        walker.flush();
        Parsed::of(vec![ParsedSource {
            name: String::new(),
            title: walker.title,
            insights: walker.insights,
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<(String, Option<String>)> {
        MarkdownParser
            .parse(text)
            .sources
            .remove(0)
            .insights
            .into_iter()
            .map(|i| (i.text, i.context))
            .collect()
    }

    fn s(text: &str, ctx: Option<&str>) -> (String, Option<String>) {
        (text.to_string(), ctx.map(str::to_string))
    }

    #[test]
    fn list_items_paragraphs_and_heading_context() {
        let doc = "---\ntitle: \"Notes\"\ntags: [a]\n---\n# Product\n\nIntro paragraph\ncontinues here.\n\n## Hiring\n\n- First **item**\n  wraps on.\n* Second item\n1. Third [item](http://x.y)\n- [ ] task item\n\n```\ncode block\n```\n\n<!-- a\ncomment -->\n\n---\n\n> quoted text\n";
        assert_eq!(
            parse(doc),
            vec![
                s("Intro paragraph continues here.", Some("Product")),
                s("First item wraps on.", Some("Product > Hiring")),
                s("Second item", Some("Product > Hiring")),
                s("Third item", Some("Product > Hiring")),
                s("task item", Some("Product > Hiring")),
                s("quoted text", Some("Product > Hiring")),
            ]
        );
        let src = MarkdownParser.parse(doc).sources.remove(0);
        assert_eq!(src.title.as_deref(), Some("Notes"));
    }

    #[test]
    fn setext_headings_and_sibling_sections() {
        let doc = "Top\n===\n\ntext a\n\nSub\n---\n\ntext b\n\n# Other\n\ntext c\n";
        assert_eq!(
            parse(doc),
            vec![
                s("text a", Some("Top")),
                s("text b", Some("Top > Sub")),
                s("text c", Some("Other")),
            ]
        );
    }

    #[test]
    fn emphasis_does_not_change_identity_and_hashtags_are_not_headings() {
        assert_eq!(parse("#tag is text\n"), vec![s("#tag is text", None)]);
        assert_eq!(parse("__bold__ and `code`"), vec![s("bold and code", None)]);
    }

    fn lines(text: &str) -> Vec<(String, u32)> {
        MarkdownParser
            .parse(text)
            .sources
            .remove(0)
            .insights
            .into_iter()
            .map(|i| (i.text, i.line))
            .collect()
    }

    fn l(text: &str, line: u32) -> (String, u32) {
        (text.to_string(), line)
    }

    #[test]
    fn line_numbers_are_where_each_insight_starts() {
        let doc = "---\ntitle: t\n---\n\n# H\n\nfirst para\nwraps\n\n- item one\n  wraps\n  - nested\n- item two\n\n> quote\n> more\n\n3. numbered\n";
        let want = vec![
            l("first para wraps", 7),
            l("item one wraps", 10),
            l("nested", 12),
            l("item two", 13),
            l("quote more", 15),
            l("numbered", 18),
        ];
        assert_eq!(lines(doc), want);
        assert_eq!(lines(&doc.replace('\n', "\r\n")), want, "CRLF");
    }

    #[test]
    fn items_nest_and_keep_their_paragraphs_together() {
        let doc =
            "- outer\n  - inner a\n  - inner b\n- loose item\n\n  second paragraph of it\n- last\n";
        assert_eq!(
            lines(doc),
            vec![
                l("outer", 1),
                l("inner a", 2),
                l("inner b", 3),
                l("loose item second paragraph of it", 4),
                l("last", 7),
            ]
        );
    }

    #[test]
    fn tables_code_html_and_definitions_are_not_insights() {
        let doc = "| a | b |\n|---|---|\n| 1 | 2 |\n\n    indented code\n\n~~~\nfenced\n~~~\n\n<div>\nhtml block\n</div>\n\n[ref]: http://example.com\n\ntext <!-- inline comment --> goes on\n\n***\n\nA ~~struck~~ word and ![a picture](p.png) here[^1].\n\n[^1]: The footnote says this.\n";
        assert_eq!(
            parse(doc),
            vec![
                s("text goes on", None),
                s("A struck word and a picture here.", None),
                s("The footnote says this.", None),
            ]
        );
    }

    #[test]
    fn toml_front_matter_and_first_heading_titles() {
        let src = MarkdownParser
            .parse("+++\ntitle = \"From TOML\"\n+++\n\ntext\n")
            .sources
            .remove(0);
        assert_eq!(src.title.as_deref(), Some("From TOML"));
        assert_eq!(src.insights.len(), 1);
        let src = MarkdownParser
            .parse("## Not the title\n\n# The *Title*\n\n# Second\n")
            .sources
            .remove(0);
        assert_eq!(src.title.as_deref(), Some("The Title"));
        assert!(src.insights.is_empty());
    }

    /// Regression: the hand-written parser was quadratic on brackets (8.4 s for one 206 KB
    /// line of `[`). Each of these 1 MB lines must parse in well under a second.
    #[test]
    fn hostile_lines_parse_in_linear_time() {
        const SIZE: usize = 1 << 20;
        let patterns = [
            "[", "[[[[]", "*_*_", "`", "``a", "](", "![", "<", "*a", "[a](", "> ",
        ];
        for pattern in patterns {
            let line: String = pattern.repeat(SIZE / pattern.len());
            let started = std::time::Instant::now();
            let parsed = MarkdownParser.parse(&line);
            let took = started.elapsed();
            assert!(parsed.skipped.is_empty());
            assert!(
                took.as_secs_f64() < 2.0,
                "1 MB of {pattern:?} took {took:.2?}"
            );
            eprintln!("1 MB of {pattern:?}: {took:.2?}");
        }
    }
}

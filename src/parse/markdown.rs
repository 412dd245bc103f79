//! Markdown notes: every list item is an insight, other paragraphs are insights as in the
//! paragraphs format, headings are context (kept on each occurrence as a `A > B` path), and
//! front matter, fenced code, HTML comments, tables and rules are not insights. Inline
//! emphasis, code ticks and link targets are dropped so `**X**` and `X` are one insight.

use super::normalize::collapse_whitespace;
use super::{DocumentParser, Parsed, ParsedInsight, ParsedSource, Role};

pub struct MarkdownParser;

/// The insight being gathered line by line.
struct Pending {
    line: u32,
    text: String,
}

struct State {
    headings: Vec<(usize, String)>,
    pending: Option<Pending>,
    insights: Vec<ParsedInsight>,
}

impl State {
    fn context(&self) -> Option<String> {
        if self.headings.is_empty() {
            None
        } else {
            Some(
                self.headings
                    .iter()
                    .map(|(_, h)| h.as_str())
                    .collect::<Vec<_>>()
                    .join(" > "),
            )
        }
    }

    fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            let text = collapse_whitespace(&strip_inline(&p.text));
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

    fn start(&mut self, line: u32, text: &str) {
        self.flush();
        self.pending = Some(Pending {
            line,
            text: text.to_string(),
        });
    }

    fn append(&mut self, line: u32, text: &str) {
        match &mut self.pending {
            Some(p) => {
                p.text.push(' ');
                p.text.push_str(text);
            }
            None => {
                self.pending = Some(Pending {
                    line,
                    text: text.to_string(),
                })
            }
        }
    }

    fn heading(&mut self, level: usize, text: &str) {
        self.flush();
        self.headings.retain(|(l, _)| *l < level);
        self.headings
            .push((level, collapse_whitespace(&strip_inline(text))));
    }
}

/// `# Title` -> (1, "Title").
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((level, rest.trim().trim_end_matches('#').trim_end()))
}

/// `- item`, `* item`, `+ item`, `1. item`, `1) item`, with an optional task box.
fn list_item(line: &str) -> Option<&str> {
    let rest = if let Some(r) = line.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        line[digits..].strip_prefix(['.', ')'])?
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = ["[ ] ", "[x] ", "[X] "]
        .iter()
        .find_map(|b| rest.strip_prefix(b))
        .unwrap_or(rest);
    Some(rest)
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.chars().all(|c| c == '-')
            || compact.chars().all(|c| c == '*')
            || compact.chars().all(|c| c == '_'))
}

fn is_table_line(line: &str) -> bool {
    line.starts_with('|') && line.ends_with('|')
}

/// Drop inline markup that does not change what an insight says.
fn strip_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after
            .find("](")
            .and_then(|mid| after[mid + 2..].find(')').map(|end| (mid, end)))
        {
            Some((mid, end)) if !after[..mid].contains('[') => {
                out.push_str(&after[..mid]);
                rest = &after[mid + 2 + end + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "").replace('`', "")
}

impl DocumentParser for MarkdownParser {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn parse(&self, text: &str) -> Parsed {
        let lines: Vec<&str> = text.lines().collect();
        let mut state = State {
            headings: Vec::new(),
            pending: None,
            insights: Vec::new(),
        };
        let mut title = None;
        let mut i = 0;
        // Front matter: YAML (---) or TOML (+++) fenced at the very top.
        if let Some(fence) = lines
            .first()
            .map(|l| l.trim())
            .filter(|l| *l == "---" || *l == "+++")
        {
            if let Some(end) = lines.iter().skip(1).position(|l| l.trim() == fence) {
                for l in &lines[1..end + 1] {
                    if let Some(t) = l.trim().strip_prefix("title:") {
                        title = Some(collapse_whitespace(t.trim().trim_matches(['"', '\''])));
                    }
                }
                i = end + 2;
            }
        }
        let mut in_list_item = false;
        while i < lines.len() {
            let raw = lines[i];
            let line_no = i as u32 + 1;
            let line = raw.trim();
            i += 1;
            if line.starts_with("```") || line.starts_with("~~~") {
                state.flush();
                in_list_item = false;
                let fence = &line[..3];
                while i < lines.len() && !lines[i].trim().starts_with(fence) {
                    i += 1;
                }
                i += 1;
                continue;
            }
            if line.starts_with("<!--") {
                state.flush();
                while i <= lines.len() && !lines[i - 1].contains("-->") {
                    i += 1;
                }
                continue;
            }
            if line.is_empty() {
                state.flush();
                in_list_item = false;
                continue;
            }
            if let Some((level, heading)) = atx_heading(line) {
                in_list_item = false;
                state.heading(level, heading);
                if level == 1 && title.is_none() {
                    title = Some(collapse_whitespace(heading));
                }
                continue;
            }
            // Setext heading: a paragraph line underlined with === or ---.
            let next = lines.get(i).map(|l| l.trim()).unwrap_or("");
            if !in_list_item
                && state.pending.is_none()
                && !next.is_empty()
                && (next.chars().all(|c| c == '=') || next.chars().all(|c| c == '-'))
                && list_item(line).is_none()
            {
                let level = if next.starts_with('=') { 1 } else { 2 };
                state.heading(level, line);
                if level == 1 && title.is_none() {
                    title = Some(collapse_whitespace(line));
                }
                i += 1;
                continue;
            }
            if is_rule(line) {
                state.flush();
                in_list_item = false;
                continue;
            }
            if is_table_line(line) {
                state.flush();
                in_list_item = false;
                continue;
            }
            let line = line.trim_start_matches('>').trim_start();
            if let Some(item) = list_item(line) {
                state.start(line_no, item);
                in_list_item = true;
                continue;
            }
            if state.pending.is_some() {
                state.append(line_no, line);
            } else {
                state.start(line_no, line);
            }
        }
        state.flush();
        Parsed::of(vec![ParsedSource {
            name: String::new(),
            title,
            insights: state.insights,
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
}

//! Plain text: each block of consecutive non-blank lines is one insight, joined with one space.

use super::{numbered_lines, DocumentParser, Parsed, ParsedSource};

pub struct ParagraphsParser;

/// Blocks of consecutive non-blank lines, each with the number of its first line.
pub(super) fn blocks(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (line, content) in numbered_lines(text) {
        if content.is_empty() {
            out.extend(current.take());
            continue;
        }
        match &mut current {
            Some((_, buf)) => {
                buf.push(' ');
                buf.push_str(content);
            }
            None => current = Some((line, content.to_string())),
        }
    }
    out.extend(current);
    out
}

impl DocumentParser for ParagraphsParser {
    fn name(&self) -> &'static str {
        "paragraphs"
    }

    fn parse(&self, text: &str) -> Parsed {
        Parsed::of(vec![ParsedSource::of_body(blocks(text))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_join_lines_and_whitespace_lines_are_blank() {
        let text = "first line\nsecond  line\n \t \nnext para\n\n\nlast";
        let src = ParagraphsParser.parse(text).sources.remove(0);
        let got: Vec<(&str, u32)> = src
            .insights
            .iter()
            .map(|i| (i.text.as_str(), i.line))
            .collect();
        assert_eq!(
            got,
            vec![("first line second line", 1), ("next para", 4), ("last", 7)]
        );
    }
}

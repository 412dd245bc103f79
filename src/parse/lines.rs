//! One insight per non-empty line.

use super::{numbered_lines, DocumentParser, Parsed, ParsedSource};

pub struct LinesParser;

impl DocumentParser for LinesParser {
    fn name(&self) -> &'static str {
        "lines"
    }

    fn parse(&self, text: &str) -> Parsed {
        Parsed::of(vec![ParsedSource::of_body(
            numbered_lines(text).filter(|(_, l)| !l.is_empty()),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_non_empty_line_is_an_insight() {
        let src = LinesParser.parse("a\n\n  b  c \n\t\nd").sources.remove(0);
        let got: Vec<(&str, u32)> = src
            .insights
            .iter()
            .map(|i| (i.text.as_str(), i.line))
            .collect();
        assert_eq!(got, vec![("a", 1), ("b c", 3), ("d", 5)]);
    }
}

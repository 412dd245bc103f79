//! JSON Lines highlight exports: one object a line with a source name and an insight text.
//!
//! Field names vary between exporters, so each role accepts a few: the text is `text`,
//! `insight`, `highlight`, `quote` or `content`; the source is `source`, `title`, `book`,
//! `source_title` or `document`. Records without a source belong to the file itself. Each
//! distinct source name is its own source, in order of first appearance.

use super::normalize::collapse_whitespace;
use super::{DocumentParser, ParseError, ParsedInsight, ParsedSource, Role};
use std::collections::HashMap;

pub struct JsonlParser;

const TEXT_FIELDS: [&str; 5] = ["text", "insight", "highlight", "quote", "content"];
const SOURCE_FIELDS: [&str; 5] = ["source", "title", "book", "source_title", "document"];

fn field<'a>(
    obj: &'a serde_json::Map<String, serde_json::Value>,
    names: &[&str],
) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| obj.get(*n).and_then(|v| v.as_str()))
}

impl DocumentParser for JsonlParser {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn parse(&self, text: &str) -> Result<Vec<ParsedSource>, ParseError> {
        let mut sources: Vec<ParsedSource> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i as u32 + 1;
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(raw).map_err(|e| ParseError {
                line,
                message: format!("invalid JSON: {e}"),
            })?;
            let obj = value.as_object().ok_or_else(|| ParseError {
                line,
                message: "expected a JSON object".to_string(),
            })?;
            let text = field(obj, &TEXT_FIELDS).ok_or_else(|| ParseError {
                line,
                message: format!("no text field (one of {})", TEXT_FIELDS.join(", ")),
            })?;
            let text = collapse_whitespace(text);
            if text.is_empty() {
                continue;
            }
            let name = field(obj, &SOURCE_FIELDS)
                .map(collapse_whitespace)
                .unwrap_or_default();
            let slot = *index.entry(name.clone()).or_insert_with(|| {
                sources.push(ParsedSource {
                    title: Some(name.clone()).filter(|n| !n.is_empty()),
                    name,
                    insights: Vec::new(),
                });
                sources.len() - 1
            });
            sources[slot].insights.push(ParsedInsight {
                text,
                role: Role::Body,
                context: None,
                line,
            });
        }
        Ok(sources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_records_by_source() {
        let text = "{\"source\":\"Book A\",\"text\":\"one\"}\n\n{\"book\":\"Book B\",\"highlight\":\"two\"}\n{\"source\":\"Book A\",\"text\":\" three \"}\n{\"text\":\"loose\"}\n";
        let sources = JsonlParser.parse(text).unwrap();
        let got: Vec<(&str, Vec<&str>)> = sources
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.insights.iter().map(|i| i.text.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Book A", vec!["one", "three"]),
                ("Book B", vec!["two"]),
                ("", vec!["loose"])
            ]
        );
    }

    #[test]
    fn bad_lines_are_errors_with_line_numbers() {
        let err = JsonlParser.parse("{\"text\":\"ok\"}\n{oops\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("invalid JSON"));
        let err = JsonlParser.parse("[1,2]\n").unwrap_err();
        assert_eq!(err.message, "expected a JSON object");
        let err = JsonlParser.parse("{\"note\":\"x\"}\n").unwrap_err();
        assert!(err.message.starts_with("no text field"));
    }
}

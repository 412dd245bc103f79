//! JSON Lines highlight exports: one object a line with a source name and an insight text.
//!
//! Field names vary between exporters, so each role accepts a few: the text is `text`,
//! `insight`, `highlight`, `quote` or `content`; the source is `source`, `title`, `book`,
//! `source_title` or `document`. Records without a source belong to the file itself. Each
//! distinct source name is its own source, in order of first appearance.
//!
//! A number is read as written (`"source": 12` is source "12"). A line that is not such a
//! record (bad JSON, not an object, no text field, a field holding a list, an object or true
//! or false) is skipped and reported with its number and why; the other records are kept.

use super::normalize::collapse_whitespace;
use super::{DocumentParser, ParseError, Parsed, ParsedInsight, ParsedSource, Role};
use std::collections::HashMap;

pub struct JsonlParser;

const TEXT_FIELDS: [&str; 5] = ["text", "insight", "highlight", "quote", "content"];
const SOURCE_FIELDS: [&str; 5] = ["source", "title", "book", "source_title", "document"];

/// The first of `names` the object has, as text: a string as it is, a number as written (a
/// source named by an episode number, say); `None` when it has none of them; why not for any
/// other value (the record is then skipped with that reason, not read without it).
fn field(
    obj: &serde_json::Map<String, serde_json::Value>,
    names: &[&str],
) -> Result<Option<String>, String> {
    let Some((name, value)) = names.iter().find_map(|n| Some((n, obj.get(*n)?))) else {
        return Ok(None);
    };
    match value {
        serde_json::Value::String(text) => Ok(Some(text.clone())),
        serde_json::Value::Number(number) => Ok(Some(number.to_string())),
        serde_json::Value::Null => Ok(None),
        other => Err(format!(
            "field \"{name}\" holds {}, not text",
            match other {
                serde_json::Value::Bool(_) => "true or false",
                serde_json::Value::Array(_) => "a list",
                _ => "an object",
            }
        )),
    }
}

impl DocumentParser for JsonlParser {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn parse(&self, text: &str) -> Parsed {
        let mut parsed = Parsed::default();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i as u32 + 1;
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let (name, text) = match record(raw) {
                Ok(Some(record)) => record,
                Ok(None) => continue,
                Err(message) => {
                    parsed.skipped.push(ParseError { line, message });
                    continue;
                }
            };
            let sources = &mut parsed.sources;
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
        parsed
    }
}

/// One line's (source name, insight text), `None` for an empty text, or why it is not a
/// record.
fn record(raw: &str) -> Result<Option<(String, String)>, String> {
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| format!("invalid JSON: {e}"))?;
    let obj = value
        .as_object()
        .ok_or_else(|| "expected a JSON object".to_string())?;
    let text = field(obj, &TEXT_FIELDS)?
        .ok_or_else(|| format!("no text field (one of {})", TEXT_FIELDS.join(", ")))?;
    let text = collapse_whitespace(&text);
    if text.is_empty() {
        return Ok(None);
    }
    let name = field(obj, &SOURCE_FIELDS)?
        .map(|name| collapse_whitespace(&name))
        .unwrap_or_default();
    Ok(Some((name, text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_written_and_other_values_are_reasons() {
        assert_eq!(
            record(r#"{"source": 123, "text": "Episode insight"}"#),
            Ok(Some(("123".into(), "Episode insight".into())))
        );
        assert_eq!(
            record(r#"{"text": 456}"#),
            Ok(Some((String::new(), "456".into())))
        );
        assert_eq!(
            record(r#"{"text": ["a", "b"]}"#),
            Err("field \"text\" holds a list, not text".into())
        );
        assert_eq!(
            record(r#"{"source": {"id": 1}, "text": "x"}"#),
            Err("field \"source\" holds an object, not text".into())
        );
        assert_eq!(
            record(r#"{"source": null, "text": "x"}"#),
            Ok(Some((String::new(), "x".into())))
        );
    }

    #[test]
    fn groups_records_by_source() {
        let text = "{\"source\":\"Book A\",\"text\":\"one\"}\n\n{\"book\":\"Book B\",\"highlight\":\"two\"}\n{\"source\":\"Book A\",\"text\":\" three \"}\n{\"text\":\"loose\"}\n";
        let sources = JsonlParser.parse(text).sources;
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
    fn bad_lines_are_skipped_with_line_numbers_and_the_rest_kept() {
        let text = "{\"text\":\"ok\"}\n{oops\n[1,2]\n\n{\"note\":\"x\"}\n{\"text\":\"also ok\"}\n";
        let parsed = JsonlParser.parse(text);
        let texts: Vec<(&str, u32)> = parsed.sources[0]
            .insights
            .iter()
            .map(|i| (i.text.as_str(), i.line))
            .collect();
        assert_eq!(texts, vec![("ok", 1), ("also ok", 6)]);
        let skipped: Vec<(u32, &str)> = parsed
            .skipped
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert_eq!(skipped[0].0, 2);
        assert!(skipped[0].1.starts_with("invalid JSON"), "{}", skipped[0].1);
        assert_eq!(skipped[1], (3, "expected a JSON object"));
        assert_eq!(skipped[2].0, 5);
        assert!(
            skipped[2].1.starts_with("no text field"),
            "{}",
            skipped[2].1
        );
    }
}

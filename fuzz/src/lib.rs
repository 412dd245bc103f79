//! The checks behind every fuzz target, shared by the coverage-guided AFL entry point
//! (`src/bin/afl.rs`) and the stable property harness (`tests/properties.rs`).
//!
//! Each check takes arbitrary bytes and panics when a property fails: no parser panics, every
//! insight is non-empty, collapsed text on a line that exists, in line order; identity keys
//! are idempotent; escaped text stays inside its DOT string or HTML label and reads back as
//! Graphviz will show it; GraphML is well-formed XML that gives the text back.
//! Only public netgraph API is used.

use netgraph::algo::centrality::Measure;
use netgraph::export::view::{Filters, Theme, View, ViewEdge, ViewNode, PALETTE};
use netgraph::export::{dot, graphml};
use netgraph::parse::normalize::{collapse_whitespace, insight_key, InsightKey};
use netgraph::parse::{detect_format, InputFormat, Parsed};
use netgraph::ids::{InsightId, SourceId};
use netgraph::store::sources::SourceNode;
use quick_xml::events::Event;

/// Every target, by the name `afl` and the harness take.
pub const TARGETS: [&str; 9] = [
    "riffon",
    "paragraphs",
    "markdown",
    "lines",
    "jsonl",
    "auto",
    "normalize",
    "dot",
    "graphml",
];

/// Run the check `target` on `data`. Invalid UTF-8 is read lossily, as a file never reaches
/// a parser unless it is UTF-8, but the bytes can still steer the fuzzer.
pub fn check(target: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match target {
        "riffon" => parse(InputFormat::Riffon, &text),
        "paragraphs" => parse(InputFormat::Paragraphs, &text),
        "markdown" => parse(InputFormat::Markdown, &text),
        "lines" => parse(InputFormat::Lines, &text),
        "jsonl" => parse(InputFormat::Jsonl, &text),
        "auto" => auto(data.first().copied().unwrap_or(0), &text),
        "normalize" => normalize(&text),
        "dot" => dot_text(&text),
        "graphml" => graphml_text(&text),
        other => panic!("unknown target {other:?}; one of {TARGETS:?}"),
    }
}

/// Parse as `format` and check what came out.
pub fn parse(format: InputFormat, text: &str) {
    let parsed = format.parser().parse(text);
    check_parsed(format, text, &parsed);
}

/// Pick a format as the importer does (the first byte chooses the extension), then parse.
pub fn auto(selector: u8, text: &str) {
    let ext = [None, Some("md"), Some("jsonl"), Some("txt")][usize::from(selector % 4)];
    let (format, _) = detect_format(ext, text);
    assert_ne!(
        format,
        InputFormat::Auto,
        "detect_format must pick a format"
    );
    parse(format, text);
}

fn check_parsed(format: InputFormat, text: &str, parsed: &Parsed) {
    let last_line = text.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    for source in &parsed.sources {
        let mut previous = 0;
        for insight in &source.insights {
            assert!(!insight.text.is_empty(), "{format:?}: empty insight");
            assert_eq!(
                insight.text,
                collapse_whitespace(&insight.text),
                "{format:?}: white space not collapsed"
            );
            assert!(
                (1..=last_line).contains(&insight.line),
                "{format:?}: line {} outside 1..={last_line}",
                insight.line
            );
            assert!(
                insight.line >= previous,
                "{format:?}: line {} after line {previous}",
                insight.line
            );
            previous = insight.line;
        }
    }
    let mut previous = 0;
    for problem in &parsed.skipped {
        assert!((1..=last_line).contains(&problem.line));
        assert!(problem.line > previous, "skipped lines in order, once each");
        previous = problem.line;
    }
}

/// Identity keys: idempotent, collapsed, and the same through [`InsightKey`].
pub fn normalize(text: &str) {
    let key = insight_key(text);
    assert_eq!(
        insight_key(&key),
        key,
        "key of the key differs for {text:?}"
    );
    assert_eq!(
        collapse_whitespace(&key),
        key,
        "key not collapsed for {text:?}"
    );
    assert_eq!(InsightKey::of(text), InsightKey::from_key(key));
}

/// `dot::escape` alone, then the same text everywhere `to_dot` puts text.
pub fn dot_text(text: &str) {
    let escaped = dot::escape(text);
    assert!(
        !escaped.contains(['<', '>', '"', '\\']) && !escaped.chars().any(char::is_control),
        "escape left a character with a meaning: {escaped:?}"
    );
    let read_back = xml_text(&format!("<t>{escaped}</t>"))
        .unwrap_or_else(|e| panic!("escaped text is not XML text: {e}: {escaped:?}"));
    assert_eq!(read_back, as_graphviz_reads(text));
    let view = view_of(text);
    for style in [
        dot::DotStyle::default(),
        dot::DotStyle {
            title: Some(text.to_string()),
            cluster: true,
            ..dot::DotStyle::default()
        },
    ] {
        let out = dot::to_dot(&view, &style);
        check_dot_syntax(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    }
}

/// What Graphviz shows for escaped text: entities decoded, `\\` kept for its own escape pass
/// (then a word joiner), line breaks as `\n`, tabs as spaces, other controls gone.
fn as_graphviz_reads(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\\u{2060}"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// GraphML of a view whose texts are `text`: well-formed, and the `text` data of each node
/// reads back as the text without the control characters XML cannot hold.
pub fn graphml_text(text: &str) {
    let view = view_of(text);
    let mut out = Vec::new();
    graphml::write(&view, &mut out).expect("writing to memory");
    let out = String::from_utf8(out).expect("GraphML is UTF-8");
    let texts = graphml_texts(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let want: Vec<String> = view
        .nodes
        .iter()
        .map(|n| {
            n.text
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
                .collect()
        })
        .collect();
    assert_eq!(texts, want);
}

/// A small view built from one text: its pieces (split at `|`) are the insights, a chain of
/// edges joins them, and the text is also the community label, source title and path.
pub fn view_of(text: &str) -> View {
    let pieces: Vec<&str> = text.split('|').take(4).collect();
    let nodes: Vec<ViewNode> = pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| ViewNode {
            id: InsightId(i as u32 + 1),
            title: piece.to_string(),
            text: piece.to_string(),
            sources: 1,
            score: 1.0 / (i as f64 + 1.0),
            scores: vec![1.0 / (i as f64 + 1.0)],
            community: (i % 2) as u32,
            theme: i % 2,
        })
        .collect();
    let edges = (1..nodes.len())
        .map(|i| ViewEdge {
            a: InsightId(i as u32),
            b: InsightId(i as u32 + 1),
            weight: i as f64,
        })
        .collect();
    let themes = (0..2)
        .map(|c| Theme {
            community: Some(c),
            label: text.to_string(),
            colour: PALETTE[c as usize],
            shown: nodes.iter().filter(|n| n.community == c).count(),
        })
        .collect();
    View {
        graph_nodes: nodes.len() + 1,
        appears_in: vec![(InsightId(1), SourceId(1))],
        sources: vec![SourceNode {
            id: SourceId(1),
            title: text.to_string(),
            path: text.to_string(),
        }],
        nodes,
        edges,
        size_by: Measure::PageRank,
        measures: vec![Measure::PageRank],
        themes,
        filters: Filters::default(),
        kept: true,
    }
}

/// The text content of `xml`, entities decoded.
fn xml_text(xml: &str) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Text(t) => out.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) => out.push(resolve(&r)?),
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// A character or predefined entity reference.
fn resolve(r: &quick_xml::events::BytesRef<'_>) -> Result<char, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c);
    }
    match r.decode().map_err(|e| e.to_string())?.as_ref() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(format!("unknown entity &{other};")),
    }
}

/// The `text` data values of the insight nodes in a GraphML document, in order.
fn graphml_texts(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                depth += 1;
                let is_text = e.name().as_ref() == b"data"
                    && e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == b"key" && a.value.as_ref() == b"text");
                if is_text {
                    current = Some(String::new());
                }
            }
            Event::End(e) => {
                depth = depth.checked_sub(1).ok_or("unbalanced end tag")?;
                if e.name().as_ref() == b"data" {
                    texts.extend(current.take());
                }
            }
            Event::Text(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = &mut current {
                    c.push(resolve(&r)?);
                }
            }
            Event::Eof if depth == 0 => return Ok(texts),
            Event::Eof => return Err("unclosed elements at the end".into()),
            _ => {}
        }
    }
}

/// The DOT grammar's lexical layer, which is what escaping can break: every double-quoted
/// string ends (a `\"` does not end it), every HTML string `<...>` has balanced angle
/// brackets and is well-formed XML inside, braces and brackets balance, and no text falls
/// outside a statement. Graphviz itself is run on the output by the property harness.
pub fn check_dot_syntax(dot: &str) -> Result<(), String> {
    let mut chars = dot.char_indices().peekable();
    let mut braces = 0i64;
    let mut brackets = 0i64;
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => loop {
                match chars.next() {
                    Some((_, '\\')) => {
                        chars.next();
                    }
                    Some((_, '"')) => break,
                    Some(_) => {}
                    None => return Err(format!("string from byte {at} never ends")),
                }
            },
            '<' => {
                let mut depth = 1;
                let mut end = None;
                for (i, c) in chars.by_ref() {
                    match c {
                        '<' => depth += 1,
                        '>' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                let end = end.ok_or_else(|| format!("HTML string from byte {at} never ends"))?;
                xml_text(&format!("<x>{}</x>", &dot[at + 1..end]))
                    .map_err(|e| format!("HTML string at byte {at} is not XML: {e}"))?;
            }
            '{' => braces += 1,
            '}' => braces -= 1,
            '[' => brackets += 1,
            ']' => brackets -= 1,
            _ => {}
        }
        if braces < 0 || brackets < 0 {
            return Err(format!("unbalanced {c:?} at byte {at}"));
        }
    }
    if braces != 0 || brackets != 0 {
        return Err(format!("{braces} braces and {brackets} brackets left open"));
    }
    Ok(())
}

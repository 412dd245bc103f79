//! Documents to insights: one file per input format, all behind [`DocumentParser`].
//!
//! A parser turns the text of one file into one or more [`ParsedSource`]s (a JSONL highlight
//! export holds many books; every other format is one source per file), each an ordered list of
//! insight occurrences with their role and context, plus the lines it could not read (a bad
//! JSONL record), which are skipped, not fatal. Parsers never touch the database.

mod jsonl;
mod lines;
mod markdown;
pub mod normalize;
mod paragraphs;
mod riffon;

use std::fmt;

pub use jsonl::JsonlParser;
pub use lines::LinesParser;
pub use markdown::MarkdownParser;
pub use paragraphs::ParagraphsParser;
pub use riffon::RiffonParser;

/// Where an insight stands in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The headline insight of a riffon page.
    Headline,
    /// An insight listed under a page's "Related Insights".
    Related,
    /// Any other insight.
    Body,
}

impl Role {
    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "headline" => Some(Role::Headline),
            "related" => Some(Role::Related),
            "body" => Some(Role::Body),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Headline => "headline",
            Role::Related => "related",
            Role::Body => "body",
        }
    }
}

/// One insight as it stands in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedInsight {
    /// The text, white space collapsed.
    pub text: String,
    pub role: Role,
    /// The heading path above it (Markdown), if any.
    pub context: Option<String>,
    /// 1-based line where the insight starts.
    pub line: u32,
}

/// One source: a whole file, or one named source inside a multi-source file (JSONL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedSource {
    /// Empty for a whole file; the source name for JSONL records.
    pub name: String,
    pub title: Option<String>,
    pub insights: Vec<ParsedInsight>,
}

impl ParsedSource {
    /// A whole-file source of body insights, from (first line, text) pairs; white space in
    /// each text is collapsed.
    pub(crate) fn of_body<T: AsRef<str>>(
        items: impl IntoIterator<Item = (u32, T)>,
    ) -> ParsedSource {
        let insights = items
            .into_iter()
            .map(|(line, text)| ParsedInsight {
                text: normalize::collapse_whitespace(text.as_ref()),
                role: Role::Body,
                context: None,
                line,
            })
            .collect();
        ParsedSource {
            insights,
            ..Default::default()
        }
    }
}

/// What a parser read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub sources: Vec<ParsedSource>,
    /// Lines that could not be read and were left out, in file order.
    pub skipped: Vec<ParseError>,
}

impl Parsed {
    /// Sources read without a problem.
    pub(crate) fn of(sources: Vec<ParsedSource>) -> Parsed {
        Parsed {
            sources,
            skipped: Vec::new(),
        }
    }
}

/// A document format problem, with the line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A document format.
pub trait DocumentParser: Sync {
    /// The name used by `--format`.
    fn name(&self) -> &'static str;
    /// Parse the text of one file. Never fails: a line it cannot read is skipped and listed
    /// in [`Parsed::skipped`], and the rest of the file is kept.
    fn parse(&self, text: &str) -> Parsed;
}

/// The formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Auto,
    Riffon,
    Paragraphs,
    Markdown,
    Lines,
    Jsonl,
}

impl InputFormat {
    pub const ALL: [InputFormat; 6] = [
        InputFormat::Auto,
        InputFormat::Riffon,
        InputFormat::Paragraphs,
        InputFormat::Markdown,
        InputFormat::Lines,
        InputFormat::Jsonl,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Riffon => "riffon",
            InputFormat::Paragraphs => "paragraphs",
            InputFormat::Markdown => "markdown",
            InputFormat::Lines => "lines",
            InputFormat::Jsonl => "jsonl",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The parser for a concrete format (`Auto` must be resolved with [`detect_format`] first).
    pub fn parser(self) -> &'static dyn DocumentParser {
        match self {
            InputFormat::Riffon | InputFormat::Auto => &RiffonParser,
            InputFormat::Paragraphs => &ParagraphsParser,
            InputFormat::Markdown => &MarkdownParser,
            InputFormat::Lines => &LinesParser,
            InputFormat::Jsonl => &JsonlParser,
        }
    }
}

/// Choose a format for one file from its extension and content, with the reason (verbose output).
///
/// `.md`/`.markdown` are Markdown and `.jsonl`/`.ndjson` are JSONL. Any other text is a riffon
/// page when it carries riffon's marks (a `Related Insights` line, a `... | RiffOn` title, the
/// site's boilerplate); hard-wrapped prose (blocks of several long lines that do not end
/// sentences) is paragraphs; one long sentence-like insight per line is a riffon page without
/// the "Related Insights" line (first line = headline); short lines (names, tags) are lines.
pub fn detect_format(extension: Option<&str>, text: &str) -> (InputFormat, &'static str) {
    match extension.map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("md" | "markdown" | "mdown" | "mkd") => {
            return (InputFormat::Markdown, "Markdown file extension")
        }
        Some("jsonl" | "ndjson") => return (InputFormat::Jsonl, "JSON Lines file extension"),
        _ => {}
    }
    if riffon::has_riffon_marks(text) {
        return (
            InputFormat::Riffon,
            "riffon page marks (Related Insights / | RiffOn)",
        );
    }
    let mut wrapped_lines = 0usize;
    let mut long_lines = 0usize;
    let mut nonblank = 0usize;
    let mut block: Vec<&str> = Vec::new();
    let mut flush = |block: &mut Vec<&str>| {
        if block.len() >= 2 {
            for line in &block[..block.len() - 1] {
                let t = line.trim_end();
                if t.len() >= 30 && !t.ends_with(['.', '!', '?', ':', '"', '\'', ')', ';']) {
                    wrapped_lines += 1;
                }
            }
        }
        block.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut block);
        } else {
            nonblank += 1;
            if line.trim().len() >= 80 {
                long_lines += 1;
            }
            block.push(line);
        }
    }
    flush(&mut block);
    if nonblank > 0 && wrapped_lines * 2 >= nonblank.saturating_sub(1).max(1) {
        (InputFormat::Paragraphs, "hard-wrapped paragraphs")
    } else if nonblank > 0 && long_lines * 2 >= nonblank {
        (
            InputFormat::Riffon,
            "one sentence-long insight per line (riffon page)",
        )
    } else {
        (InputFormat::Lines, "short lines, one insight each")
    }
}

/// Split text into trimmed lines with their 1-based numbers.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u32 + 1, l.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        let cases: [(Option<&str>, &str, InputFormat); 6] = [
            (Some("md"), "- a\n- b\n", InputFormat::Markdown),
            (Some("jsonl"), "{}\n", InputFormat::Jsonl),
            (None, "Head\n\nRelated Insights\n\nOther\n", InputFormat::Riffon),
            (
                Some("txt"),
                "This is a paragraph of text that has been wrapped at a fixed\nwidth by an editor so that it reads across\nlines.\n\nAnother one here.\n",
                InputFormat::Paragraphs,
            ),
            (Some("txt"), "Alice\nBob\nCarol\n", InputFormat::Lines),
            (
                Some("txt"),
                &format!("{}.\n{}.\n", "x".repeat(90), "y".repeat(95)),
                InputFormat::Riffon,
            ),
        ];
        for (ext, text, want) in cases {
            assert_eq!(detect_format(ext, text).0, want, "{text:?}");
        }
    }
}

//! Running Graphviz: DOT in, SVG / PNG / PDF out, the format taken from the file extension.
//! [`run_graphviz`] is the one place netgraph starts Graphviz ([`super::layout`] uses it too).
//!
//! When Graphviz is missing or fails, the DOT is written next to the output (`FILE.dot`) so
//! nothing is lost, and the error says how to install Graphviz or what it reported.

use super::write_file;
use crate::error::{Error, Result};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Graphviz program netgraph runs; the layout engine is chosen by the DOT's `layout`.
pub const GRAPHVIZ: &str = "dot";

/// Pixels per inch of a PNG: the DOT's `size` of 16 × 9 inches then gives a slide 1080 pixels
/// high.
///
/// It is passed as `-Gdpi` for PNG only, never written into the DOT: with `dpi` among the graph
/// attributes Graphviz writes an SVG whose `viewBox` is in 72-dpi units while the drawing is in
/// `dpi` units, so viewers show only its top-left corner.
pub const PNG_DPI: u32 = 120;

/// Image formats `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
    Pdf,
}

impl ImageFormat {
    /// The format named by `path`'s extension (case-insensitive).
    pub fn from_path(path: &Path) -> Result<ImageFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(ImageFormat::Svg),
            Some("png") => Ok(ImageFormat::Png),
            Some("pdf") => Ok(ImageFormat::Pdf),
            _ => Err(Error::InvalidInput(format!(
                "{}: cannot tell the image format; end the file name in .svg, .png or .pdf",
                path.display()
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        }
    }
}

/// What `netgraph render` writes, by the output's extension: a Graphviz image, or the
/// interactive page ([`super::page`], `.html`/`.htm`) drawn from Graphviz's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderFormat {
    Image(ImageFormat),
    Page,
}

impl RenderFormat {
    /// The format named by `path`'s extension (case-insensitive).
    pub fn from_path(path: &Path) -> Result<RenderFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm") => Ok(RenderFormat::Page),
            _ => ImageFormat::from_path(path)
                .map(RenderFormat::Image)
                .map_err(|_| {
                    Error::InvalidInput(format!(
                        "{}: cannot tell the format; end the file name in .svg, .png or .pdf \
                         (a picture) or .html (an interactive page)",
                        path.display()
                    ))
                }),
        }
    }
}

/// Where the DOT goes when rendering fails: `FILE.dot` next to `output`, or, when that file
/// already exists (a file the user did not name is never overwritten), `FILE.1.dot`,
/// `FILE.2.dot`...
pub fn fallback_dot_path(output: &Path) -> PathBuf {
    let first = output.with_extension("dot");
    if !first.exists() {
        return first;
    }
    (1..)
        .map(|n| output.with_extension(format!("{n}.dot")))
        .find(|p| !p.exists())
        .expect("a free name")
}

/// Render `dot` into `output`. Returns what Graphviz printed on stderr (warnings).
///
/// Errors: [`Error::MissingPath`] for an output folder that does not exist,
/// [`Error::InvalidInput`] for an unknown extension, [`Error::ExternalTool`] when Graphviz
/// is missing or fails (after writing the DOT to [`fallback_dot_path`]).
pub fn render(dot: &str, output: &Path) -> Result<String> {
    let format = ImageFormat::from_path(output)?;
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::MissingPath(parent.to_path_buf()));
        }
    }
    let mut args = vec![OsString::from(format!("-T{}", format.as_str()))];
    if format == ImageFormat::Png {
        args.push(format!("-Gdpi={PNG_DPI}").into());
    }
    args.push("-o".into());
    args.push(output.into());
    match run_graphviz(&args, dot) {
        Ok(ran) => Ok(ran.stderr),
        Err(e) => {
            if matches!(e, Error::ExternalTool(_)) {
                let _ = std::fs::remove_file(output);
            }
            Err(keep_dot(e, dot, output))
        }
    }
}

/// When Graphviz is missing or failed (`error` is [`Error::ExternalTool`]), write `dot` to
/// [`fallback_dot_path`] of `output` so nothing is lost, and say where in the error; any other
/// error is returned as it is.
pub fn keep_dot(error: Error, dot: &str, output: &Path) -> Error {
    let Error::ExternalTool(why) = error else {
        return error;
    };
    let fallback = fallback_dot_path(output);
    match write_file(&fallback, dot.as_bytes()) {
        Ok(()) => Error::ExternalTool(format!(
            "{why}; the DOT was written to {}",
            fallback.display()
        )),
        Err(e) => Error::ExternalTool(format!("{why}; writing the DOT failed too: {e}")),
    }
}

/// What a Graphviz run printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphvizOutput {
    /// Its standard output (the drawing or layout when no `-o` is given).
    pub stdout: Vec<u8>,
    /// Its standard error, trimmed: warnings when it succeeded.
    pub stderr: String,
}

/// Run Graphviz ([`GRAPHVIZ`]) with `args`, feed it `dot` on standard input and collect what
/// it prints. Every netgraph use of Graphviz goes through here ([`render`] for pictures,
/// [`super::layout`] for positions), so missing-program and failure messages read the same.
///
/// Errors: [`Error::ExternalTool`] when Graphviz is not installed (the message says how to
/// install it), cannot be started, exits with a failure (the message holds its stderr), or
/// cannot be sent the whole input.
pub fn run_graphviz(args: &[OsString], dot: &str) -> Result<GraphvizOutput> {
    let shown = || {
        args.iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let child = Command::new(GRAPHVIZ)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::ExternalTool(
                "Graphviz is not installed (no `dot` program on PATH): install it with \
                 `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or \
                 from https://graphviz.org/download/"
                    .into(),
            ))
        }
        Err(e) => {
            return Err(Error::ExternalTool(format!(
                "cannot run Graphviz `{GRAPHVIZ}`: {e}"
            )))
        }
    };
    // Feed stdin from a thread so a chatty Graphviz cannot block on a full stdout or stderr
    // pipe while we are still writing.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = dot.to_owned();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| {
        Error::ExternalTool(format!(
            "Graphviz `{GRAPHVIZ} {}` did not finish: {e}",
            shown()
        ))
    })?;
    let fed = feeder.join().unwrap_or(Ok(()));
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() {
        return Err(Error::ExternalTool(format!(
            "Graphviz `{GRAPHVIZ} {}` failed ({}): {stderr}",
            shown(),
            out.status
        )));
    }
    if let Err(e) = fed {
        return Err(Error::ExternalTool(format!(
            "cannot send the DOT to Graphviz: {e}"
        )));
    }
    Ok(GraphvizOutput {
        stdout: out.stdout,
        stderr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(
            ImageFormat::from_path(Path::new("a/b.SVG")).unwrap(),
            ImageFormat::Svg
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("b.png")).unwrap(),
            ImageFormat::Png
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("b.pdf")).unwrap(),
            ImageFormat::Pdf
        );
        assert!(ImageFormat::from_path(Path::new("b.jpeg")).is_err());
        assert!(ImageFormat::from_path(Path::new("b.html")).is_err());
        assert_eq!(
            RenderFormat::from_path(Path::new("b.HTML")).unwrap(),
            RenderFormat::Page
        );
        assert_eq!(
            RenderFormat::from_path(Path::new("b.svg")).unwrap(),
            RenderFormat::Image(ImageFormat::Svg)
        );
        let err = RenderFormat::from_path(Path::new("b.jpeg")).unwrap_err();
        assert!(err.to_string().contains(".html"), "{err}");
        assert_eq!(
            fallback_dot_path(Path::new("out/graph.png")),
            Path::new("out/graph.dot")
        );
    }
}

//! Running Graphviz: DOT in, SVG / PNG / PDF out, the format taken from the file extension.
//! [`run_graphviz`] is the one place netgraph starts Graphviz ([`super::layout`] uses it too).
//!
//! When Graphviz is missing or fails, the DOT is written next to the output (`FILE.dot`) so
//! nothing is lost, and the error says how to install Graphviz or what it reported.

use super::{replace_file, write_file};
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
    let mut warnings = String::new();
    // Graphviz writes a temporary file that replaces `output` only once whole: a failed run
    // leaves the previous picture, and an unwritable folder is an I/O error before it runs.
    let made = replace_file(output, |into| {
        let mut args = vec![OsString::from(format!("-T{}", format.as_str()))];
        if format == ImageFormat::Png {
            args.push(format!("-Gdpi={PNG_DPI}").into());
        }
        args.push("-o".into());
        args.push(into.into());
        warnings = run_graphviz(&args, dot)?.stderr;
        match format {
            ImageFormat::Png => fill_slide_png(into),
            ImageFormat::Svg => fill_slide_svg(into),
            ImageFormat::Pdf => Ok(()),
        }
    });
    made.map(|()| warnings)
        .map_err(|e| keep_dot(e, dot, output))
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

/// A slide in pixels: 16 × 9 inches at [`PNG_DPI`].
pub const SLIDE_PIXELS: (u32, u32) = (16 * PNG_DPI, 9 * PNG_DPI);

/// Graphviz scales a drawing until one side reaches `size="16,9!"`, so the other side may fall
/// short of a slide. Put the PNG on a white slide of exactly [`SLIDE_PIXELS`]: centred across,
/// at the top (where the title is). A PNG already that size, or larger (not a slide), is left
/// as it is. O(pixels).
fn fill_slide_png(path: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let decoded = || -> std::result::Result<(u32, u32, Vec<u8>), png::DecodingError> {
        let file = std::fs::File::open(path)?;
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buf)?;
        buf.truncate(info.buffer_size());
        let rgba: Vec<u8> = match info.color_type {
            png::ColorType::Rgba => buf,
            png::ColorType::Rgb => buf
                .chunks(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            png::ColorType::GrayscaleAlpha => buf
                .chunks(2)
                .flat_map(|p| [p[0], p[0], p[0], p[1]])
                .collect(),
            png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => unreachable!("expanded by normalize_to_color8"),
        };
        Ok((info.width, info.height, rgba))
    };
    let (width, height, rgba) = decoded().map_err(|e| {
        Error::ExternalTool(format!(
            "Graphviz wrote a PNG netgraph cannot read ({}): {e}",
            path.display()
        ))
    })?;
    let (slide_w, slide_h) = SLIDE_PIXELS;
    if (width, height) == SLIDE_PIXELS || width > slide_w || height > slide_h {
        return Ok(());
    }
    let mut slide = vec![255u8; (slide_w * slide_h * 4) as usize];
    let left = ((slide_w - width) / 2) as usize;
    let row = width as usize * 4;
    for (y, line) in rgba.chunks(row).enumerate() {
        let start = (y * slide_w as usize + left) * 4;
        slide[start..start + row].copy_from_slice(line);
    }
    let file = std::fs::File::create(path).map_err(io)?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), slide_w, slide_h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let encoded = encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&slide).and_then(|()| w.finish()));
    encoded.map_err(|e| match e {
        png::EncodingError::IoError(source) => io(source),
        other => Error::ExternalTool(format!("{}: cannot write the PNG: {other}", path.display())),
    })
}

/// The SVG counterpart of [`fill_slide_png`]: the root's width and height become 16:9 and
/// the drawing keeps its scale, centred across and at the top.
fn fill_slide_svg(path: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let svg = std::fs::read_to_string(path).map_err(io)?;
    match slide_svg(&svg) {
        Some(slide) => std::fs::write(path, slide).map_err(io),
        None => Ok(()),
    }
}

/// `svg` with its root sized 16:9 and its view box grown to match (centred across, the top
/// kept), on a white background; `None` when its size is not Graphviz's (points, a view box
/// in points) or already 16:9.
fn slide_svg(svg: &str) -> Option<String> {
    let start = svg.find("<svg")?;
    let end = start + svg[start..].find('>')?;
    let root = &svg[start..end];
    let attribute = |name: &str| -> Option<(usize, usize)> {
        let at = root.find(&format!(" {name}=\""))? + name.len() + 3;
        Some((at, at + root[at..].find('"')?))
    };
    let ((w_at, w_end), (h_at, h_end), (v_at, v_end)) = (
        attribute("width")?,
        attribute("height")?,
        attribute("viewBox")?,
    );
    let width: f64 = root[w_at..w_end].strip_suffix("pt")?.parse().ok()?;
    let height: f64 = root[h_at..h_end].strip_suffix("pt")?.parse().ok()?;
    let view: Vec<f64> = root[v_at..v_end]
        .split_whitespace()
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    let [vx, vy, vw, vh] = view[..] else {
        return None;
    };
    let slide_height = width * 9.0 / 16.0;
    let (new_width, new_height) = if height < slide_height - 0.5 {
        (width, slide_height)
    } else if height > slide_height + 0.5 {
        (height * 16.0 / 9.0, height)
    } else {
        return None;
    };
    // View-box units per point, the same across and down (Graphviz keeps the aspect).
    let unit = vw / width;
    let (nvw, nvh) = (new_width * unit, new_height * unit);
    let nvx = vx - (nvw - vw) / 2.0;
    let _ = vh;
    let mut out = String::with_capacity(svg.len() + 200);
    out.push_str(&svg[..start]);
    let mut root_out = root.to_string();
    // Back to front, so earlier offsets hold.
    let mut edits = [
        (w_at, w_end, format!("{new_width:.2}pt")),
        (h_at, h_end, format!("{new_height:.2}pt")),
        (v_at, v_end, format!("{nvx:.2} {vy:.2} {nvw:.2} {nvh:.2}")),
    ];
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (at, close, value) in edits {
        root_out.replace_range(at..close, &value);
    }
    out.push_str(&root_out);
    out.push('>');
    out.push_str(&format!(
        "\n<rect x=\"{nvx:.2}\" y=\"{vy:.2}\" width=\"{nvw:.2}\" height=\"{nvh:.2}\" fill=\"white\"/>"
    ));
    out.push_str(&svg[end + 1..]);
    Some(out)
}

#[cfg(test)]
mod slide_tests {
    use super::slide_svg;

    #[test]
    fn a_short_svg_becomes_16_by_9_on_white_and_keeps_its_top() {
        let svg = "<?xml?>\n<svg width=\"1152pt\" height=\"557pt\" viewBox=\"0.00 0.00 1152.00 557.46\">\n<g/></svg>";
        let slide = slide_svg(svg).unwrap();
        // The view box grows downwards: the title stays at the top.
        let root =
            "<svg width=\"1152.00pt\" height=\"648.00pt\" viewBox=\"0.00 0.00 1152.00 648.00\">";
        assert!(slide.contains(root), "{slide}");
        let white =
            "<rect x=\"0.00\" y=\"0.00\" width=\"1152.00\" height=\"648.00\" fill=\"white\"/>";
        assert!(slide.contains(white), "{slide}");
        assert!(slide.ends_with("<g/></svg>"), "{slide}");
    }

    #[test]
    fn a_narrow_svg_grows_on_both_sides_and_a_slide_stays() {
        // Half a view-box unit per point: 252 more points are 126 more units, 63 each side.
        let narrow = "<svg width=\"900pt\" height=\"648pt\" viewBox=\"0 0 450 324\"></svg>";
        let wide = slide_svg(narrow).unwrap();
        let root = "width=\"1152.00pt\" height=\"648.00pt\" viewBox=\"-63.00 0.00 576.00 324.00\"";
        assert!(wide.contains(root), "{wide}");
        let slide = "<svg width=\"1152pt\" height=\"648pt\" viewBox=\"0 0 1152 648\"></svg>";
        assert_eq!(slide_svg(slide), None);
    }
}

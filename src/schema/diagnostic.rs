//! Schema errors and their rustc-style rendering.

use std::fmt::Write;
use std::ops::Range;

/// One problem in `apigen.toml`: what is wrong, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong, one line, no trailing period (`unknown field type `strng``).
    pub message: String,
    /// Byte range of the offending text in the source. May be empty (a point).
    pub span: Range<usize>,
    /// Short text printed after the carets (`not a field type`).
    pub label: Option<String>,
    /// What to do about it (`did you mean `string`?`).
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a message and a span, without label or help.
    pub fn new(message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    /// Sets the text printed under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the start of the span in `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        line_col(source, self.span.start)
    }
}

/// 1-based line and column, counted in characters, of byte `offset` in `source`.
/// An offset past the end, or inside a character, is moved back to a valid position.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The largest char boundary of `source` not after `offset`.
fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Renders diagnostics the way rustc does, one block per error, then a summary line.
///
/// `file_name` is shown in the `-->` lines. With `color`, `error` is bold red and the
/// gutter blue (ANSI escapes); without it the text is plain.
pub fn render_diagnostics(
    file_name: &str,
    source: &str,
    diags: &[Diagnostic],
    color: bool,
) -> String {
    let style = Style::new(color);
    let mut out = String::new();
    for diag in diags {
        render_one(&mut out, file_name, source, diag, &style);
        out.push('\n');
    }
    let count = diags.len();
    let plural = if count == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        "{}{}",
        style.error_word(),
        style.bold(&format!(
            ": could not accept {file_name} because of {count} previous error{plural}"
        )),
    );
    out
}

/// Renders one error block (without the blank line that separates blocks).
fn render_one(out: &mut String, file_name: &str, source: &str, diag: &Diagnostic, style: &Style) {
    let (line, column) = diag.line_col(source);
    let text = line_text(source, line);
    let gutter = " ".repeat(line.to_string().len());
    let bar = style.blue("|");

    let _ = writeln!(
        out,
        "{}{}",
        style.error_word(),
        style.bold(&format!(": {}", diag.message))
    );
    let _ = writeln!(
        out,
        "{gutter}{} {file_name}:{line}:{column}",
        style.blue("-->")
    );
    let _ = writeln!(out, "{gutter} {bar}");
    let _ = writeln!(
        out,
        "{} {bar} {}",
        style.blue(&line.to_string()),
        expand_tabs(text).trim_end()
    );

    let (pad, width) = caret_columns(source, text, diag);
    let mut marks = "^".repeat(width);
    if let Some(label) = &diag.label {
        marks.push(' ');
        marks.push_str(label);
    }
    let _ = writeln!(
        out,
        "{gutter} {bar} {}{}",
        " ".repeat(pad),
        style.red(&marks)
    );

    if let Some(help) = &diag.help {
        let _ = writeln!(out, "{gutter} {bar}");
        let _ = writeln!(
            out,
            "{gutter} {} {}: {help}",
            style.blue("="),
            style.bold("help")
        );
    }
}

/// The text of 1-based line `line`, without its line ending.
fn line_text(source: &str, line: usize) -> &str {
    let text = source.split('\n').nth(line - 1).unwrap_or("");
    text.strip_suffix('\r').unwrap_or(text)
}

/// Tabs shown as four spaces, as rustc does, so that carets line up.
fn expand_tabs(text: &str) -> String {
    text.replace('\t', "    ")
}

/// Display width of a piece of a line, tabs counted as four columns.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// Where the carets start (columns of padding) and how many there are: from the start
/// of the span to its end, or to the end of the first line for a multi-line span; at
/// least one.
fn caret_columns(source: &str, text: &str, diag: &Diagnostic) -> (usize, usize) {
    let start = floor_char_boundary(source, diag.span.start);
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let column_bytes = (start - line_start).min(text.len());
    let before = &text[..floor_char_boundary(text, column_bytes)];
    let pad = display_width(before);

    let end = floor_char_boundary(source, diag.span.end.max(start));
    let line_end = line_start + text.len();
    let underlined = &source[start..end.min(line_end).max(start)];
    (pad, display_width(underlined).max(1))
}

/// ANSI styling, or none.
struct Style {
    color: bool,
}

impl Style {
    fn new(color: bool) -> Style {
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn error_word(&self) -> String {
        self.paint("1;31", "error")
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn blue(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn red(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "[api]\nname = { type = \"strng\" }\n";

    fn unknown_type() -> Diagnostic {
        Diagnostic::new("unknown field type `strng`", 22..29)
            .with_label("not a field type")
            .with_help("did you mean `string`?")
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("a\nbc", 3), (2, 2));
        assert_eq!(line_col("é = 1", 3), (1, 3));
        assert_eq!(line_col("ab", 10), (1, 3));
    }

    #[test]
    fn renders_like_rustc() {
        let text = render_diagnostics("apigen.toml", SOURCE, &[unknown_type()], false);
        let expected = "\
error: unknown field type `strng`
 --> apigen.toml:2:17
  |
2 | name = { type = \"strng\" }
  |                 ^^^^^^^ not a field type
  |
  = help: did you mean `string`?

error: could not accept apigen.toml because of 1 previous error
";
        assert_eq!(text, expected);
    }

    #[test]
    fn multi_line_span_is_underlined_to_end_of_first_line() {
        let source = "a = [\n  1,\n]\n";
        let diag = Diagnostic::new("bad", 4..12);
        let text = render_diagnostics("x.toml", source, &[diag], false);
        assert!(text.contains("1 | a = [\n  |     ^\n"), "{text}");
    }

    #[test]
    fn empty_span_gets_one_caret() {
        let diag = Diagnostic::new("bad", 3..3);
        let text = render_diagnostics("x.toml", "abc", &[diag], false);
        assert!(text.contains("1 | abc\n  |    ^\n"), "{text}");
    }

    #[test]
    fn color_only_when_asked() {
        let plain = render_diagnostics("apigen.toml", SOURCE, &[unknown_type()], false);
        assert!(!plain.contains('\x1b'));
        let colored = render_diagnostics("apigen.toml", SOURCE, &[unknown_type()], true);
        assert!(colored.contains("\x1b[1;31merror\x1b[0m"));
        assert!(colored.contains("\x1b[1;34m-->\x1b[0m"));
    }
}

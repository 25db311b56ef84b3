//! Printers for diagnostics, behind one shape (`&[Diagnostic]` and the
//! sources in, text out): rustc-style text for people (coloured on a
//! terminal), JSON lines for tools, and GitHub workflow commands for CI.

use super::{Diagnostic, Loc, Severity};
use crate::source::{SourceFile, Sources};
use std::fmt::Write as _;

/// Whether human output may use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Colour,
}

impl Style {
    /// Colour when `stream` is a terminal and `NO_COLOR` is not set.
    pub fn for_terminal(is_terminal: bool) -> Style {
        if is_terminal && std::env::var_os("NO_COLOR").is_none() {
            Style::Colour
        } else {
            Style::Plain
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Colour => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
    }
}

/// Prints every diagnostic the way rustc does, followed by a blank line:
/// `path:line:column: error: message`, the line with a caret under the
/// problem and the rule's code, `= help: ...`, and `note:` lines.
pub fn render_human(diags: &[Diagnostic], sources: &Sources, style: Style) -> String {
    let mut out = String::new();
    for d in diags {
        let file = sources.get(d.loc.file);
        let (line, col) = file.line_col(d.loc.span.start);
        let colour = severity_colour(d.severity);
        let _ = writeln!(
            out,
            "{}: {}: {}",
            style.paint("1", &format!("{}:{line}:{col}", file.path)),
            style.paint(colour, d.severity.label()),
            style.paint("1", &d.message)
        );
        snippet(&mut out, file, d.loc, &style.paint(colour, d.rule.code()), style, colour);
        let gutter = " ".repeat(line.to_string().len());
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "{gutter} = {}: {h}", style.paint("1;36", "help"));
        }
        for (loc, msg) in &d.related {
            let rf = sources.get(loc.file);
            let (l, c) = rf.line_col(loc.span.start);
            let _ = writeln!(out, "{}:{l}:{c}: note: {msg}", rf.path);
        }
        out.push('\n');
    }
    out
}

fn snippet(out: &mut String, file: &SourceFile, loc: Loc, code: &str, style: Style, colour: &str) {
    let (line, col) = file.line_col(loc.span.start);
    let gutter = " ".repeat(line.to_string().len());
    if file.text.is_empty() {
        let _ = writeln!(out, "{gutter} = {code}");
        return;
    }
    let text = file.line_text(line);
    let line_end = file.line_start(line) + text.len() as u32;
    let end = loc.span.end.min(line_end).max(loc.span.start);
    // A long line is shown in a window around the problem, found from the
    // problem's byte offset: printed whole, a 600 KB line with thousands of
    // problems was gigabytes of output.
    let (shown, col) = if text.len() > WINDOW {
        let mut rel = (loc.span.start as usize).saturating_sub(file.line_start(line) as usize).min(text.len());
        while !text.is_char_boundary(rel) {
            rel -= 1;
        }
        let before = &text[..rel];
        let at = before.char_indices().rev().take(WINDOW / 2).last().map_or(before.len(), |(i, _)| i);
        let window: String = text[at..].chars().take(WINDOW).collect();
        let skipped = if at > 0 { "..." } else { "" };
        (format!("{skipped}{window}"), skipped.len() + before[at..].chars().count() + 1)
    } else {
        (text.to_string(), col as usize)
    };
    let shown: String = shown.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    let width = file.text.get(loc.span.start as usize..end as usize).map_or(1, |s| s.chars().count()).clamp(1, WINDOW);
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{gutter} {bar}");
    let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &line.to_string()));
    let carets = style.paint(colour, &"^".repeat(width));
    let _ = writeln!(out, "{gutter} {bar} {}{carets} {code}", " ".repeat(col - 1));
}

/// The most characters of a line shown under a diagnostic.
const WINDOW: usize = 200;

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// One JSON object per line: code, severity, file, line, column, message,
/// hint (or null).
pub fn render_json(diags: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diags {
        let file = sources.get(d.loc.file);
        let (line, col) = file.line_col(d.loc.span.start);
        let hint = d.hint.as_deref().map_or("null".to_string(), json_string);
        let _ = writeln!(
            out,
            "{{\"code\":{},\"severity\":{},\"file\":{},\"line\":{line},\"column\":{col},\"message\":{},\"hint\":{hint}}}",
            json_string(d.rule.code()),
            json_string(d.severity.label()),
            json_string(&file.path),
            json_string(&d.message),
        );
    }
    out
}

/// GitHub Actions workflow commands, so that problems show on the lines of
/// a pull request: `::error file=F,line=L,col=C,title=PD006::message`.
pub fn render_github(diags: &[Diagnostic], sources: &Sources) -> String {
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in diags {
        let file = sources.get(d.loc.file);
        let (line, col) = file.line_col(d.loc.span.start);
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str(" (help: ");
            message.push_str(h);
            message.push(')');
        }
        let _ = writeln!(
            out,
            "::{} file={},line={line},col={col},title={}::{}",
            d.severity.label(),
            property(&file.path),
            property(d.rule.code()),
            data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Rule, Span};
    use super::*;

    fn one() -> (Vec<Diagnostic>, Sources) {
        let mut sources = Sources::default();
        let id = sources.add(SourceFile::new("content/a.md".into(), "+++\nstagee = 1\n+++\n".into()));
        let d = Diagnostic::new(Rule::UnknownKey, Loc::at(id, Span::new(4, 10)), "unknown key `stagee`")
            .hint("did you mean `stage`?");
        (vec![d], sources)
    }

    #[test]
    fn human_is_rustc_style() {
        let (d, s) = one();
        assert_eq!(
            render_human(&d, &s, Style::Plain),
            "content/a.md:2:1: error: unknown key `stagee`\n  |\n2 | stagee = 1\n  | ^^^^^^ PD002\n  = help: did you mean `stage`?\n\n"
        );
        assert!(render_human(&d, &s, Style::Colour).contains("\x1b[1;31merror\x1b[0m"));
    }

    #[test]
    fn json_lines() {
        let (d, s) = one();
        assert_eq!(
            render_json(&d, &s),
            "{\"code\":\"PD002\",\"severity\":\"error\",\"file\":\"content/a.md\",\"line\":2,\"column\":1,\"message\":\"unknown key `stagee`\",\"hint\":\"did you mean `stage`?\"}\n"
        );
    }

    #[test]
    fn github_commands() {
        let (d, s) = one();
        assert_eq!(
            render_github(&d, &s),
            "::error file=content/a.md,line=2,col=1,title=PD002::unknown key `stagee` (help: did you mean `stage`?)\n"
        );
    }
}

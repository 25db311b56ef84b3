//! Printers for diagnostics, behind one shape (`&[Diagnostic]` and the
//! sources in, text out): rustc-style text for people (coloured on a
//! terminal), JSON lines for tools, and GitHub workflow commands for CI.

use super::{Diagnostic, Loc, Severity};
use crate::text::{SourceFile, Sources};
use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with every control character (C0, DEL, C1) written as Rust writes
/// it in a string literal (`\n`, `\u{1b}`): text from the content (a
/// quoted key, a file name, a source line) can then neither move the
/// terminal's cursor or colours nor start a line of its own, which a CI
/// log would read as a workflow command (`::error ...`).
pub fn shown(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

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
/// problem and the rule's code, `= help: ...`, and `note:` lines. Paths
/// are the site's own (`content/...`).
pub fn render_human(diags: &[Diagnostic], sources: &Sources, style: Style) -> String {
    render_human_from(diags, sources, style, "")
}

/// [`render_human`], each path after `base` (see [`path_base`]).
pub fn render_human_from(diags: &[Diagnostic], sources: &Sources, style: Style, base: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let file = sources.get(d.loc.file);
        let (line, col) = file.line_col(d.loc.span.start);
        let colour = severity_colour(d.severity);
        let _ = writeln!(
            out,
            "{}: {}: {}",
            style.paint("1", &format!("{base}{}:{line}:{col}", shown(&file.path))),
            style.paint(colour, d.severity.label()),
            style.paint("1", &shown(&d.message))
        );
        snippet(&mut out, file, d.loc, &style.paint(colour, d.rule.code()), style, colour);
        let gutter = " ".repeat(line.to_string().len());
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "{gutter} = {}: {}", style.paint("1;36", "help"), shown(h));
        }
        for (loc, msg) in &d.related {
            let rf = sources.get(loc.file);
            let (l, c) = rf.line_col(loc.span.start);
            let _ = writeln!(out, "{base}{}:{l}:{c}: note: {}", shown(&rf.path), shown(msg));
        }
        out.push('\n');
    }
    out
}

/// The whole report for people, as `check` prints it: the diagnostics
/// (at most `max` of them, see [`listed`]), how many were left out, one
/// line per rule and the totals (`2 errors, 1 warning`).
pub fn render_report(diags: &[Diagnostic], sources: &Sources, style: Style, base: &str, max: Option<usize>) -> String {
    let shown_diags = listed(diags, max);
    let mut out = render_human_from(&shown_diags, sources, style, base);
    if shown_diags.len() < diags.len() {
        let _ = writeln!(
            out,
            "{} more not listed (--max {}): the summary counts them\n",
            diags.len() - shown_diags.len(),
            max.unwrap_or_default()
        );
    }
    out.push_str(&render_rule_summary(diags));
    out.push_str(&super::summary(diags));
    out.push('\n');
    out
}

/// At most `max` of `diags`, errors first, in their order: a thousand
/// warnings do not hide an error.
pub fn listed(diags: &[Diagnostic], max: Option<usize>) -> Cow<'_, [Diagnostic]> {
    let Some(max) = max.filter(|m| *m < diags.len()) else {
        return Cow::Borrowed(diags);
    };
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let (mut errors_left, mut warnings_left) = (max.min(errors), max.saturating_sub(errors));
    diags
        .iter()
        .filter(|d| {
            let left = if d.is_error() { &mut errors_left } else { &mut warnings_left };
            let keep = *left > 0;
            *left = left.saturating_sub(1);
            keep
        })
        .cloned()
        .collect::<Vec<_>>()
        .into()
}

/// One line per rule that found something, in code order:
/// `PD020 broken link: 12 errors, 1 warning`. Empty for no diagnostics.
pub fn render_rule_summary(diags: &[Diagnostic]) -> String {
    let mut counts: std::collections::BTreeMap<&str, (&str, usize, usize)> = std::collections::BTreeMap::new();
    for d in diags {
        let c = counts.entry(d.rule.code()).or_insert((d.rule.name(), 0, 0));
        if d.is_error() {
            c.1 += 1;
        } else {
            c.2 += 1;
        }
    }
    let mut out = String::new();
    for (code, (name, errors, warnings)) in counts {
        let parts: Vec<String> = [(errors, "error"), (warnings, "warning")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| super::plural(n, word))
            .collect();
        let _ = writeln!(out, "{code} {name}: {}", parts.join(", "));
    }
    out
}

/// What to put before a file's path (which is relative to the site's
/// folder) so that it reads from the working folder: nothing when the site
/// is the working folder, the way there when the site is below it (or was
/// given as a relative path), else the site's folder as given.
pub fn path_base(root: &std::path::Path) -> String {
    use std::path::{Component, Path, PathBuf};
    let rel: PathBuf = if root.is_absolute() {
        let cwd = std::env::current_dir().ok();
        let under = |root: &Path, cwd: &Path| root.strip_prefix(cwd).ok().map(Path::to_path_buf);
        cwd.as_deref()
            .and_then(|cwd| under(root, cwd).or_else(|| under(&root.canonicalize().ok()?, &cwd.canonicalize().ok()?)))
            .unwrap_or_else(|| root.to_path_buf())
    } else {
        root.to_path_buf()
    };
    let rel: PathBuf = rel.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    let text = rel.to_string_lossy().replace('\\', "/");
    if text.is_empty() || text.ends_with('/') {
        text
    } else {
        text + "/"
    }
}

fn snippet(out: &mut String, file: &SourceFile, loc: Loc, code: &str, style: Style, colour: &str) {
    let (line, _) = file.line_col(loc.span.start);
    let gutter = " ".repeat(line.to_string().len());
    if file.text.is_empty() {
        let _ = writeln!(out, "{gutter} = {code}");
        return;
    }
    let text = file.line_text(line);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let line_start = file.line_start(line) as usize;
    let mut rel = (loc.span.start as usize).saturating_sub(line_start).min(text.len());
    while !text.is_char_boundary(rel) {
        rel -= 1;
    }
    let end = (loc.span.end as usize).saturating_sub(line_start).clamp(rel, text.len());
    let mut end_rel = end;
    while !text.is_char_boundary(end_rel) {
        end_rel -= 1;
    }
    // A long line is shown in a window around the problem, found from the
    // problem's byte offset: printed whole, a 600 KB line with thousands of
    // problems was gigabytes of output.
    let (at, skipped) = if text.len() > WINDOW {
        let at = text[..rel].char_indices().rev().take(WINDOW / 2).last().map_or(rel, |(i, _)| i);
        (at, if at > 0 { "..." } else { "" })
    } else {
        (0, "")
    };
    let window = match text[at..].char_indices().nth(WINDOW) {
        Some((i, _)) => &text[at..at + i],
        None => &text[at..],
    };
    // Tabs as one space each, other control characters escaped; the
    // carets go under the escaped text.
    let visible = |s: &str| shown(&s.replace('\t', " ")).chars().count();
    let shown_line = format!("{skipped}{}", shown(&window.replace('\t', " ")));
    let before = skipped.len() + visible(&text[at..rel]);
    let width = visible(&text[rel..end_rel]).clamp(1, WINDOW);
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{gutter} {bar}");
    let _ = writeln!(out, "{} {bar} {shown_line}", style.paint("1;34", &line.to_string()));
    let carets = style.paint(colour, &"^".repeat(width));
    let _ = writeln!(out, "{gutter} {bar} {}{carets} {code}", " ".repeat(before));
}

/// The most characters of a line shown under a diagnostic.
const WINDOW: usize = 200;

/// `s` as a JSON string: serde_json escapes the C0 controls; DEL and the
/// C1 controls, which it writes as they are, are escaped too (`\u007f`),
/// so that no control character reaches a terminal from any format.
fn json_string(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    if !json.chars().any(char::is_control) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if c.is_control() {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
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
/// a pull request: `::error file=F,line=L,col=C,title=PD006::message`;
/// `base` comes before each path (the site's folder from the working folder).
pub fn render_github(diags: &[Diagnostic], sources: &Sources, base: &str) -> String {
    // GitHub's own escapes (actions/toolkit `escapeData`, `escapeProperty`),
    // after control characters are shown escaped.
    let data = |s: &str| shown(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
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
            property(&format!("{base}{}", file.path)),
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
            render_github(&d, &s, ""),
            "::error file=content/a.md,line=2,col=1,title=PD002::unknown key `stagee` (help: did you mean `stage`?)\n"
        );
    }

    #[test]
    fn control_characters_from_content_are_shown_escaped_in_every_format() {
        let mut sources = Sources::default();
        let text = "+++\n\"x\\n::error file=a::pwned\u{1b}[2J\u{9b}\" = 1\n\u{1b}]0;t\u{7}k = 2\n+++\n";
        let id = sources.add(SourceFile::new("content/a\u{1b}.md".into(), text.into()));
        let key = "x\n::error file=a::pwned\u{1b}[2J\u{9b}";
        let d = Diagnostic::new(Rule::UnknownKey, Loc::at(id, Span::new(4, 34)), format!("unknown key `{key}`"))
            .hint(format!("did you mean `{key}`?"));
        let k = text.find("k = 2").unwrap_or_default() as u32;
        let second = Diagnostic::new(Rule::UnknownKey, Loc::at(id, Span::new(k, k + 1)), "unknown key `k`");
        let diags = [d, second];
        for out in [
            render_human(&diags, &sources, Style::Plain),
            render_github(&diags, &sources, ""),
            render_json(&diags, &sources),
        ] {
            assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
            assert!(out.lines().all(|l| !l.starts_with("::error file=a")), "{out}");
            assert!(out.contains(r"\u{1b}") || out.contains(r"\u001b"), "{out}");
        }
        let human = render_human(&diags, &sources, Style::Plain);
        // The carets stay under the key, after the escaped text before it.
        let under = format!("3 | \\u{{1b}}]0;t\\u{{7}}k = 2\n  | {}^ PD002", " ".repeat(15));
        assert!(human.contains(&under), "{human}");
        assert!(render_json(&diags, &sources).contains(r"\u009b"));
    }
}

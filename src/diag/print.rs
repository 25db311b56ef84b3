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
}

/// Prints every diagnostic the way rustc does, with rustc's own printer
/// (annotate-snippets), each followed by a blank line:
///
/// ```text
/// error[PD002]: unknown key `stagee`
///  --> content/a.md:2:1
///   |
/// 2 | stagee = 1
///   | ^^^^^^
///   |
///   = help: did you mean `stage`?
/// ```
///
/// then a `note:` for each related place, with its own line. Paths are the
/// site's own (`content/...`). Text from the content is [`shown`] escaped
/// and a long line is cut to a window around the problem before it is
/// handed to the printer.
pub fn render_human(diags: &[Diagnostic], sources: &Sources, style: Style) -> String {
    render_human_from(diags, sources, style, "")
}

/// [`render_human`], each path after `base` (see [`path_base`]).
pub fn render_human_from(diags: &[Diagnostic], sources: &Sources, style: Style, base: &str) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer};
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Colour => Renderer::styled(),
    }
    // Lines come cut to `WINDOW` characters already: no second cut.
    .term_width(4 * WINDOW);
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = shown(&d.message);
        let mut fixes = Vec::new();
        let file = sources.get(d.loc.file);
        let (here, fix) = place(file, d.loc, base, AnnotationKind::Primary);
        fixes.extend(fix);
        let mut group = level.primary_title(&*message).id(d.rule.code()).element(here);
        if let Some(h) = &d.hint {
            group = group.element(Level::HELP.message(shown(h)));
        }
        let mut report = vec![group];
        for (loc, msg) in &d.related {
            let (there, fix) = place(sources.get(loc.file), *loc, base, AnnotationKind::Context);
            fixes.extend(fix);
            report.push(Group::with_title(Level::NOTE.secondary_title(shown(msg))).element(there));
        }
        let mut text = renderer.render(&report);
        for (wrong, right) in fixes {
            // The `-->` line: the printer counts the column from the start
            // of the window; the file's column is put in its place.
            if let Some(at) = text.find(&wrong) {
                text.replace_range(at..at + wrong.len(), &right);
            }
        }
        out.push_str(&text);
        out.push_str("\n\n");
    }
    out
}

/// Where `loc` is, for the printer: `--> path:line:column` and the line
/// with the span marked (cut to a window around it when long, control
/// characters shown escaped, tabs as one space each); for an empty file
/// the place alone. When the line was cut, the `-->` text as printed and
/// as it should be: the printer counts columns from the window's start.
fn place<'a>(
    file: &SourceFile,
    loc: Loc,
    base: &str,
    kind: annotate_snippets::AnnotationKind,
) -> (annotate_snippets::Element<'a>, Option<(String, String)>) {
    use annotate_snippets::{Origin, Snippet};
    let (line, col) = file.line_col(loc.span.start);
    let path = format!("{base}{}", shown(&file.path));
    let Some((text, span)) = excerpt(file, line, loc) else {
        return (Origin::path(path).line(line as usize).char_column(col as usize).into(), None);
    };
    let printed = text[..span.start].chars().count() + 1;
    let fix = (printed != col as usize)
        .then(|| (format!("--> {path}:{line}:{printed}\n"), format!("--> {path}:{line}:{col}\n")));
    let snippet = Snippet::source(text).path(path).line_start(line as usize).fold(false).annotation(kind.span(span));
    (snippet.into(), fix)
}

/// The line of `loc` as shown (see [`place`]) and the span's bytes in it
/// (at least one character wide); `None` for an empty file.
fn excerpt(file: &SourceFile, line: u32, loc: Loc) -> Option<(String, std::ops::Range<usize>)> {
    if file.text.is_empty() {
        return None;
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
    let window_end = match text[at..].char_indices().nth(WINDOW) {
        Some((i, _)) => at + i,
        None => text.len(),
    };
    let end_rel = end_rel.min(window_end);
    let visible = |s: &str| shown(&s.replace('\t', " ")).into_owned();
    let before = format!("{skipped}{}", visible(&text[at..rel]));
    let inside = visible(&text[rel..end_rel]);
    let after = visible(&text[end_rel..window_end]);
    let start = before.len();
    let mut end = start + inside.len();
    let whole = before + &inside + &after;
    if end == start {
        // An empty span (or one at the line's end) marks one character.
        end = whole[start..].chars().next().map_or(start, |c| start + c.len_utf8());
    }
    Some((whole, start..end))
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
        let out = render_human(&d, &s, Style::Plain);
        assert_eq!(
            out,
            "error[PD002]: unknown key `stagee`\n --> content/a.md:2:1\n  |\n2 | stagee = 1\n  | ^^^^^^\n  |\n  = help: did you mean `stage`?\n\n"
        );
        let colour = render_human(&d, &s, Style::Colour);
        assert!(colour.contains("\x1b[") && !out.contains('\x1b'), "{colour:?}");
    }

    #[test]
    fn related_places_are_notes_with_their_lines() {
        let (mut d, mut s) = one();
        let other = s.add(SourceFile::new("content/b.md".into(), "+++\n\tstage = 1\n+++\n".into()));
        d[0].related.push((Loc::at(other, Span::new(5, 10)), "the other one is here".into()));
        let out = render_human_from(&d, &s, Style::Plain, "site/");
        assert!(out.starts_with("error[PD002]: unknown key `stagee`\n --> site/content/a.md:2:1\n"), "{out}");
        assert!(
            out.ends_with(
                "note: the other one is here\n --> site/content/b.md:2:2\n  |\n2 |  stage = 1\n  |  -----\n\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_long_line_is_shown_in_a_window_with_the_file_column() {
        let mut sources = Sources::default();
        let line = format!("tags = [{}]", (0..2000).map(|i| i.to_string()).collect::<Vec<_>>().join(", "));
        let at = line.find(", 1500,").unwrap_or_default() + 2;
        let id = sources.add(SourceFile::new("content/a.md".into(), format!("+++\n{line}\n+++\n")));
        let d = Diagnostic::new(Rule::WrongType, Loc::at(id, Span::new(4 + at as u32, 8 + at as u32)), "not a string");
        let out = render_human(&[d], &sources, Style::Plain);
        assert!(out.contains(&format!(" --> content/a.md:2:{}\n", at + 1)), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 300), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        let caret = lines[4].find('^').unwrap_or_default();
        assert_eq!(&lines[3][caret..caret + 4], "1500", "{out}");
        assert!(lines[3].starts_with("2 | ..."), "{out}");
    }

    #[test]
    fn an_empty_file_has_its_place_without_a_line() {
        let mut sources = Sources::default();
        let id = sources.add(SourceFile::new("content/a.md".into(), String::new()));
        let d = Diagnostic::new(Rule::Missing, Loc::at(id, Span::new(0, 0)), "a pilot record needs front matter");
        let out = render_human(&[d], &sources, Style::Plain);
        assert_eq!(out, "error[PD004]: a pilot record needs front matter\n--> content/a.md:1:1\n\n", "{out}");
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
        let under = format!("3 | \\u{{1b}}]0;t\\u{{7}}k = 2\n  | {}^\n", " ".repeat(15));
        assert!(human.contains(&under), "{human}");
        assert!(render_json(&diags, &sources).contains(r"\u009b"));
    }
}

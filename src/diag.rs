//! Problems found in the content, as values: [`Diagnostic`]s are collected
//! over every file and printed together, rustc style:
//! `path:line:column: error: message`, the line, a caret, and `help: ...`.

use crate::source::{FileId, SourceFile, Sources};
use std::fmt::Write as _;

/// A byte range within one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end: end.max(start) }
    }

    /// The same range moved `by` bytes further into the file.
    pub fn shift(self, by: u32) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

/// Where something is: a file and a span within it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

impl Loc {
    /// The start of a file.
    pub fn start(file: FileId) -> Loc {
        Loc { file, span: Span::default() }
    }

    pub fn at(file: FileId, span: Span) -> Loc {
        Loc { file, span }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in the content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
    pub hint: Option<String>,
    /// Other places that explain this one ("first defined here").
    pub related: Vec<(Loc, String)>,
}

impl Diagnostic {
    pub fn error(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, loc, message: message.into(), hint: None, related: Vec::new() }
    }

    pub fn warning(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(loc, message) }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }

    pub fn related(mut self, loc: Loc, message: impl Into<String>) -> Diagnostic {
        self.related.push((loc, message.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, position and message, and drops a second
/// report at the same place (a bad value may fail its type check and a later
/// range check; the first says more).
pub fn tidy(diags: &mut Vec<Diagnostic>, sources: &Sources) {
    diags.sort_by(|a, b| {
        let pa = &sources.get(a.loc.file).path;
        let pb = &sources.get(b.loc.file).path;
        (pa, a.loc.span.start).cmp(&(pb, b.loc.span.start))
    });
    diags.dedup_by(|b, a| {
        a.loc == b.loc || (a.loc.file == b.loc.file && a.loc.span.start == b.loc.span.start && a.message == b.message)
    });
}

/// Prints every diagnostic the way rustc does, followed by a blank line.
pub fn render_human(diags: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diags {
        let file = sources.get(d.loc.file);
        let (line, col) = file.line_col(d.loc.span.start);
        let _ = writeln!(out, "{}:{line}:{col}: {}: {}", file.path, d.severity.label(), d.message);
        snippet(&mut out, file, d.loc);
        if let Some(h) = &d.hint {
            let gutter = " ".repeat(line.to_string().len());
            let _ = writeln!(out, "{gutter} = help: {h}");
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

fn snippet(out: &mut String, file: &SourceFile, loc: Loc) {
    let (line, col) = file.line_col(loc.span.start);
    let text = file.line_text(line);
    if file.text.is_empty() {
        return;
    }
    let gutter = " ".repeat(line.to_string().len());
    let shown: String = text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    let line_end = file.line_start(line) + text.len() as u32;
    let end = loc.span.end.min(line_end).max(loc.span.start);
    let width = file.text.get(loc.span.start as usize..end as usize).map_or(1, |s| s.chars().count()).max(1);
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{line} | {shown}");
    let _ = writeln!(out, "{gutter} | {}{}", " ".repeat(col as usize - 1), "^".repeat(width));
}

/// One line that sums up a run: `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The known name nearest to `word`, if it is near enough to be a typo.
pub fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (edit_distance(&word_l, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// A hint naming the nearest known name, or listing them when none is near.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match nearest(word, known.clone()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => {
            let list: Vec<String> = known.into_iter().map(|k| format!("`{k}`")).collect();
            format!("expected one of {}", list.join(", "))
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_only() {
        let known = ["title", "stage", "owner", "sponsor"];
        assert_eq!(nearest("stagee", known), Some("stage"));
        assert_eq!(nearest("Owner", known), Some("owner"));
        assert_eq!(nearest("budget", known), None);
        assert_eq!(suggest("budget", ["a", "b"]), "expected one of `a`, `b`");
    }

    #[test]
    fn prints_rustc_style() {
        let mut sources = Sources::default();
        let id = sources.add(SourceFile::new("content/a.md".into(), "+++\nstagee = 1\n+++\n".into()));
        let d = Diagnostic::error(Loc::at(id, Span::new(4, 10)), "unknown key `stagee`").hint("did you mean `stage`?");
        assert_eq!(
            render_human(&[d], &sources),
            "content/a.md:2:1: error: unknown key `stagee`\n  |\n2 | stagee = 1\n  | ^^^^^^\n  = help: did you mean `stage`?\n\n"
        );
    }
}

//! Problems found in the content, as values: [`Diagnostic`]s are collected
//! over every file and printed together, rustc style (`error[PD002]:
//! message`, `--> path:line:column`, the line, a caret, and `help: ...`).

mod print;

pub use print::{
    listed, path_base, render_github, render_human, render_human_from, render_json, render_report, render_rule_summary,
    shown, Style,
};

use crate::text::{FileId, Sources};

/// A byte range within one file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, borsh::BorshSerialize, borsh::BorshDeserialize)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, borsh::BorshSerialize, borsh::BorshDeserialize)]
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

/// Every rule, with a stable code. The codes never change meaning; a rule
/// that goes away leaves its code unused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub enum Rule {
    Syntax,
    UnknownKey,
    WrongType,
    Missing,
    BadDate,
    UnknownName,
    Unreadable,
    Duplicate,
    BadConfig,
    NoOwner,
    ConstraintNoOwner,
    ConstraintNoDue,
    ResolvedBeforeRaised,
    NotProductionReady,
    Stale,
    Stuck,
    StageDates,
    Confidence,
    UnknownEvidence,
    BrokenLink,
    UnknownAddress,
    DuplicateConstraint,
    Template,
    SameSlug,
    ForeignKey,
    ForeignTag,
    NavEntry,
    UnfilledRung,
}

impl Rule {
    pub const ALL: [Rule; 28] = [
        Rule::Syntax,
        Rule::UnknownKey,
        Rule::WrongType,
        Rule::Missing,
        Rule::BadDate,
        Rule::UnknownName,
        Rule::Unreadable,
        Rule::Duplicate,
        Rule::BadConfig,
        Rule::NoOwner,
        Rule::ConstraintNoOwner,
        Rule::ConstraintNoDue,
        Rule::ResolvedBeforeRaised,
        Rule::NotProductionReady,
        Rule::Stale,
        Rule::Stuck,
        Rule::StageDates,
        Rule::Confidence,
        Rule::UnknownEvidence,
        Rule::BrokenLink,
        Rule::UnknownAddress,
        Rule::DuplicateConstraint,
        Rule::Template,
        Rule::SameSlug,
        Rule::ForeignKey,
        Rule::ForeignTag,
        Rule::NavEntry,
        Rule::UnfilledRung,
    ];

    /// The stable code, `PD001` and on.
    pub fn code(self) -> &'static str {
        match self {
            Rule::Syntax => "PD001",
            Rule::UnknownKey => "PD002",
            Rule::WrongType => "PD003",
            Rule::Missing => "PD004",
            Rule::BadDate => "PD005",
            Rule::UnknownName => "PD006",
            Rule::Unreadable => "PD007",
            Rule::Duplicate => "PD008",
            Rule::BadConfig => "PD009",
            Rule::NoOwner => "PD010",
            Rule::ConstraintNoOwner => "PD011",
            Rule::ConstraintNoDue => "PD012",
            Rule::ResolvedBeforeRaised => "PD013",
            Rule::NotProductionReady => "PD014",
            Rule::Stale => "PD015",
            Rule::Stuck => "PD016",
            Rule::StageDates => "PD017",
            Rule::Confidence => "PD018",
            Rule::UnknownEvidence => "PD019",
            Rule::BrokenLink => "PD020",
            Rule::UnknownAddress => "PD021",
            Rule::DuplicateConstraint => "PD022",
            Rule::Template => "PD023",
            Rule::SameSlug => "PD024",
            Rule::ForeignKey => "PD025",
            Rule::ForeignTag => "PD026",
            Rule::NavEntry => "PD027",
            Rule::UnfilledRung => "PD028",
        }
    }

    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(code))
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::ConstraintNoOwner
            | Rule::NotProductionReady
            | Rule::Stale
            | Rule::Stuck
            | Rule::StageDates
            | Rule::SameSlug
            | Rule::ForeignKey
            | Rule::ForeignTag
            | Rule::NavEntry
            | Rule::UnfilledRung => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Whether `[rules]` in the config may change it. Problems that leave a
    /// file or the config unreadable cannot be demoted or turned off.
    pub fn configurable(self) -> bool {
        self.code() >= "PD010" && self != Rule::Template
    }

    /// The rule's name in a word or two, for the summary of a report
    /// (`PD020 broken link: 12 errors`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::UnknownKey => "unknown key",
            Rule::WrongType => "wrong type",
            Rule::Missing => "missing key",
            Rule::BadDate => "bad date",
            Rule::UnknownName => "unknown name",
            Rule::Unreadable => "unreadable file",
            Rule::Duplicate => "duplicate",
            Rule::BadConfig => "bad config value",
            Rule::NoOwner => "no production owner",
            Rule::ConstraintNoOwner => "constraint without owner",
            Rule::ConstraintNoDue => "constraint without due date",
            Rule::ResolvedBeforeRaised => "resolved before raised",
            Rule::NotProductionReady => "not production-ready",
            Rule::Stale => "stale",
            Rule::Stuck => "stuck",
            Rule::StageDates => "stage dates",
            Rule::Confidence => "confidence",
            Rule::UnknownEvidence => "unknown evidence",
            Rule::BrokenLink => "broken link",
            Rule::UnknownAddress => "unknown category in addresses",
            Rule::DuplicateConstraint => "duplicate constraint",
            Rule::Template => "template",
            Rule::SameSlug => "same address",
            Rule::ForeignKey => "foreign key",
            Rule::ForeignTag => "foreign template tag",
            Rule::NavEntry => "nav entry",
            Rule::UnfilledRung => "unfilled rung",
        }
    }

    /// What the rule finds, in a few words.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::Syntax => "front matter or config that is not valid TOML or YAML, or never closed",
            Rule::UnknownKey => "a key the content format does not know",
            Rule::WrongType => "a value of the wrong type",
            Rule::Missing => "a required key is missing or empty",
            Rule::BadDate => "a date that is not a real YYYY-MM-DD date",
            Rule::UnknownName => "a stage, category, dimension, direction or status that is not configured",
            Rule::Unreadable => "a file that cannot be read, or is not UTF-8",
            Rule::Duplicate => "two pilots with one id, or two files published at one address",
            Rule::BadConfig => "a value in pilotdeck.toml that cannot be used",
            Rule::NoOwner => "a pilot at bridge or later without a production owner",
            Rule::ConstraintNoOwner => "a constraint without an owner",
            Rule::ConstraintNoDue => "a constraint without a due date",
            Rule::ResolvedBeforeRaised => "a constraint resolved before it was raised",
            Rule::NotProductionReady => "a pilot in production that is not production-ready",
            Rule::Stale => "a pilot in flight with no recent weekly update",
            Rule::Stuck => "a pilot in one stage for longer than `stuck_after_days`",
            Rule::StageDates => "stage dates out of order, or after the as-of date",
            Rule::Confidence => "a confidence outside 1 to 5, or with one side missing",
            Rule::UnknownEvidence => "evidence for a readiness dimension or rubric item that does not exist",
            Rule::BrokenLink => "a `playbook` field or Markdown link to a page that does not exist",
            Rule::UnknownAddress => "a page whose `addresses` names an unknown category",
            Rule::DuplicateConstraint => "two constraints of one pilot with the same id",
            Rule::Template => "a template that does not compile or render",
            Rule::SameSlug => "two different names that make the same address; the later one gets `-2`",
            Rule::ForeignKey => "a page's front-matter key pilotdeck does not use (kept in `page.extra`)",
            Rule::ForeignTag => "a Liquid or Nunjucks template tag (`{% ... %}`, `{{ ... }}`) in a page's text",
            Rule::NavEntry => "an entry of a `mkdocs.yml` nav, `.pages` or `SUMMARY.md` that names no file, such a file that cannot be read, or files beside a `mkdocs.yml` outside its `docs_dir` (not published)",
            Rule::UnfilledRung => "an overdue constraint escalated to a role nobody fills (a sponsor for a pilot without one)",
        }
    }
}

/// One problem in the content.
#[derive(Clone, Debug, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
    pub hint: Option<String>,
    /// Other places that explain this one ("first defined here").
    pub related: Vec<(Loc, String)>,
}

impl Diagnostic {
    /// A problem found by `rule`, at the rule's default severity.
    pub fn new(rule: Rule, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            loc,
            message: message.into(),
            hint: None,
            related: Vec::new(),
        }
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

/// Sorts diagnostics by file, position and code, and drops a second report
/// at the same place by the same rule, or after a value failed to read (a
/// bad value may fail its type check and then a range check; the first says
/// more).
pub fn tidy(diags: &mut Vec<Diagnostic>, sources: &Sources) {
    diags.sort_by(|a, b| {
        let pa = &sources.get(a.loc.file).path;
        let pb = &sources.get(b.loc.file).path;
        (pa, a.loc.span.start, a.rule).cmp(&(pb, b.loc.span.start, b.rule))
    });
    let primary = [Rule::Syntax, Rule::WrongType, Rule::BadDate];
    diags.dedup_by(|b, a| {
        a.loc.file == b.loc.file
            && a.loc.span.start == b.loc.span.start
            && (a.rule == b.rule || primary.contains(&a.rule) || primary.contains(&b.rule))
    });
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

/// The known name nearest to `word`, if it is near enough to be a typo:
/// at most a third of its characters (and at least two) edited, by
/// Levenshtein distance over characters (strsim), ties to the name that
/// sorts first.
pub fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(&word_l, &k.to_lowercase()), k))
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
}

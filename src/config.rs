//! `pilotdeck.toml` -> a validated [`Config`]. A site without the file gets
//! the defaults, including a standard rubric for the four readiness
//! dimensions. Problems are diagnostics pointing into the file.

use crate::date::{Date, DateError};
use crate::diag::{suggest, Diagnostic, Loc, Rule, Severity};
use crate::node::{from_node, Entries, Spanned};
use crate::source::{FileId, SourceFile};
use serde::{Deserialize, Serialize};

/// The four readiness dimensions, in the order pages show them.
pub const DIMENSIONS: [&str; 4] = ["technical", "governance", "workforce", "economic"];

/// The roles of a pilot or a constraint an escalation rung's `to` can name
/// (`owner` is the constraint's, `production owner` and `pilot owner` the
/// pilot's); any other `to` names a body, such as `leadership`, whose
/// people the rung may list.
pub const ROLES: [&str; 5] = ["owner", "sponsor", "champion", "production owner", "pilot owner"];

pub const DEFAULT_STAGES: [&str; 7] = ["idea", "scoping", "pilot", "bridge", "production", "stalled", "retired"];
pub const DEFAULT_CATEGORIES: [&str; 7] =
    ["integration", "governance", "data", "workforce", "economic", "ownership", "other"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AsOf {
    Today,
    Commit,
    Date(Date),
}

#[derive(Clone, Debug, Serialize)]
pub struct Rung {
    pub after_days: i64,
    /// Shared by every constraint at the rung (`Constraint::escalated_to`).
    pub to: std::sync::Arc<str>,
    /// The people a rung that is not a role of the pilot (`leadership`)
    /// stands for, as written in `people = [...]`: a constraint at the rung
    /// waits on each of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
}

/// What `[people."NAME"]` says of one person.
#[derive(Clone, Debug, Serialize)]
pub struct PersonConfig {
    /// The name as the table's key gives it, without a title after a comma.
    pub name: String,
    /// `title`, else the title after a comma in the key.
    pub title: Option<String>,
    pub email: Option<String>,
    /// Other ways the records write the name (`A. Haddad`).
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RubricItem {
    /// Shared with the evidence of every record.
    pub key: std::sync::Arc<str>,
    pub text: std::sync::Arc<str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Dimension {
    pub key: String,
    pub label: String,
    pub items: Vec<RubricItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    pub as_of: AsOf,
    pub stale_after_days: i64,
    pub stages: Vec<String>,
    /// `[stage_aliases]`: other names for the stages (`"In production" =
    /// "production"`), each lowercased, with the stage it stands for. See
    /// [`Config::stage_name`].
    #[serde(skip)]
    pub stage_aliases: Vec<(String, String)>,
    pub categories: Vec<String>,
    /// Sorted by `after_days`.
    pub escalation: Vec<Rung>,
    /// Always the four [`DIMENSIONS`], in that order.
    pub rubric: Vec<Dimension>,
    pub theme: Option<String>,
    /// Where the site's readers are: `as_of = "today"` is today there.
    /// This machine's zone unless `timezone` names one.
    #[serde(skip)]
    pub timezone: jiff::tz::TimeZone,
    pub lessons_heading: String,
    /// A constraint category that hit at least this many pilots recurs.
    pub recurring_pilots: usize,
    /// A pilot at one stage for longer than this is stuck.
    pub stuck_after_days: i64,
    /// Pass raw HTML in Markdown through unsanitized (for sites that trust
    /// their writers).
    pub allow_raw_html: bool,
    /// `foreign_tags = "keep"`: Liquid and Nunjucks tags in pages are shown
    /// as text; by default (`"remove"`) they are left out (PD026 names them).
    pub keep_foreign_tags: bool,
    /// `[rules]`: a new severity for a rule, or `None` to turn it off.
    #[serde(skip)]
    pub rules: std::collections::BTreeMap<Rule, Option<Severity>>,
    /// Read the records' history from git (`history = false` turns it off).
    pub history: bool,
    /// The paper the board pack is printed on: `"A4"` or `"letter"`.
    pub paper: &'static str,
    /// The date the board pack's headline figures are compared with (the
    /// last board meeting, say); `None`: four weeks before the as-of date.
    pub board_since: Option<Date>,
    /// The repository's web view (`https://github.com/org/site`): each
    /// change in a pilot's history links to its commit there. Empty: no links.
    pub repo_url: String,
    /// `[people]`: titles, e-mail addresses and other spellings of names.
    pub people: Vec<PersonConfig>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "AI Pilot Portfolio".into(),
            base_url: String::new(),
            as_of: AsOf::Today,
            stale_after_days: 14,
            stages: DEFAULT_STAGES.map(String::from).to_vec(),
            stage_aliases: Vec::new(),
            categories: DEFAULT_CATEGORIES.map(String::from).to_vec(),
            escalation: vec![rung(0, "owner"), rung(7, "sponsor"), rung(21, "leadership")],
            rubric: default_rubric(),
            theme: None,
            timezone: jiff::tz::TimeZone::system(),
            lessons_heading: "Lessons learned".into(),
            recurring_pilots: 2,
            stuck_after_days: 120,
            allow_raw_html: false,
            keep_foreign_tags: false,
            rules: Default::default(),
            history: true,
            repo_url: String::new(),
            paper: "A4",
            board_since: None,
            people: Vec::new(),
        }
    }
}

impl Config {
    /// Each category's places in `categories` (a category listed twice
    /// has two): for a walk over every constraint that counts each in the
    /// rows of its category.
    pub fn category_places(&self) -> crate::hash::FastMap<&str, Vec<usize>> {
        let mut at: crate::hash::FastMap<&str, Vec<usize>> = crate::hash::FastMap::default();
        for (i, cat) in self.categories.iter().enumerate() {
            at.entry(cat.as_str()).or_default().push(i);
        }
        at
    }

    pub fn stage_index(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == stage)
    }

    /// The one rule by which a stage as written (in a record, or in a
    /// spreadsheet being imported) names a stage of the site: the stage
    /// itself, the same name in other case (`Production`), or one of
    /// `[stage_aliases]`, also in any case (`in production`). Around the
    /// name, white space is ignored. `None` when it names none.
    pub fn stage_name(&self, written: &str) -> Option<&str> {
        if let Some(s) = self.stages.iter().find(|s| *s == written) {
            return Some(s);
        }
        let written = written.trim();
        let same = |a: &str, b: &str| {
            if a.is_ascii() && b.is_ascii() {
                a.eq_ignore_ascii_case(b)
            } else {
                a.to_lowercase() == b.to_lowercase()
            }
        };
        if let Some(s) = self.stages.iter().find(|s| same(s, written)) {
            return Some(s);
        }
        let stage = &self.stage_aliases.iter().find(|(alias, _)| same(alias, written))?.1;
        self.stages.iter().find(|s| *s == stage).map(String::as_str)
    }

    /// The hint for a stage [`Config::stage_name`] does not know: the
    /// nearest stage, and where other names for stages go.
    pub fn unknown_stage_hint(&self, written: &str) -> String {
        let stages = self.stages.iter().map(String::as_str);
        match crate::diag::nearest(written, stages.clone()) {
            Some(near) => {
                format!("did you mean `{near}`? (`[stage_aliases]` in pilotdeck.toml gives a stage other names)")
            }
            None => format!(
                "{}; or say which stage it means in `[stage_aliases]` in pilotdeck.toml: `\"{}\" = \"...\"`",
                suggest(written, stages),
                written.trim()
            ),
        }
    }

    pub fn dimension(&self, key: &str) -> Option<&Dimension> {
        self.rubric.iter().find(|d| d.key == key)
    }
}

fn rung(after_days: i64, to: &str) -> Rung {
    Rung { after_days, to: to.into(), people: Vec::new() }
}

fn default_rubric() -> Vec<Dimension> {
    let dim = |key: &str, label: &str, items: &[(&str, &str)]| Dimension {
        key: key.into(),
        label: label.into(),
        items: items.iter().map(|(k, t)| RubricItem { key: (*k).into(), text: (*t).into() }).collect(),
    };
    vec![
        dim(
            "technical",
            "Technical readiness",
            &[
                ("latency", "Meets latency and volume targets in the production environment"),
                ("monitoring", "Monitoring and drift alerts are live"),
                ("fallback", "A fallback and a kill switch exist and were tested"),
                ("integration", "Every system in the integration map is connected and tested end to end"),
            ],
        ),
        dim(
            "governance",
            "Governance readiness",
            &[
                ("risk-assessment", "The risk assessment is approved by the accountable risk owner"),
                ("audit-trail", "Inputs, outputs and human decisions are logged for audit"),
                ("risk-thresholds", "Risk thresholds and human review points are agreed"),
                ("data-protection", "The data protection review is signed off"),
            ],
        ),
        dim(
            "workforce",
            "Workforce readiness",
            &[
                ("training", "The people who use it are trained on the new way of working"),
                ("process-redesign", "The process around the model is redesigned and written down"),
                ("support", "A support path and an operating team are named"),
            ],
        ),
        dim(
            "economic",
            "Economic readiness",
            &[
                ("business-case", "The business case, with its baseline, is agreed with finance"),
                ("run-cost", "The run cost at production volume is estimated and funded"),
                ("value-tracking", "Value is measured against the baseline every month"),
            ],
        ),
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<Spanned<String>>,
    as_of: Option<Spanned<String>>,
    stale_after_days: Option<Spanned<i64>>,
    stages: Option<Spanned<Vec<Spanned<String>>>>,
    stage_aliases: Option<Entries<Spanned<String>>>,
    categories: Option<Spanned<Vec<Spanned<String>>>>,
    escalation: Option<Vec<Spanned<RawRung>>>,
    rubric: Option<Entries<Spanned<RawDimension>>>,
    theme: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    lessons_heading: Option<String>,
    recurring_pilots: Option<Spanned<i64>>,
    stuck_after_days: Option<Spanned<i64>>,
    allow_raw_html: Option<bool>,
    foreign_tags: Option<Spanned<String>>,
    rules: Option<Entries<Spanned<String>>>,
    history: Option<bool>,
    repo_url: Option<Spanned<String>>,
    paper: Option<Spanned<String>>,
    board_since: Option<Spanned<String>>,
    people: Option<Entries<Spanned<RawPerson>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRung {
    after_days: Option<Spanned<i64>>,
    to: Option<String>,
    people: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    title: Option<String>,
    email: Option<Spanned<String>>,
    aliases: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    label: Option<String>,
    items: Option<Spanned<Vec<Spanned<RawItem>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    key: Option<Spanned<String>>,
    text: Option<String>,
}

/// Reads the configuration from `pilotdeck.toml`'s text.
pub fn parse(file: FileId, source: &SourceFile) -> (Config, Vec<Diagnostic>) {
    let crate::frontmatter::Parsed { node, problems, .. } = crate::frontmatter::parse_toml(&source.text, 0);
    let mut diags: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| Diagnostic::new(p.rule, Loc::at(file, p.span), p.message).maybe_hint(p.hint))
        .collect();
    let (raw, problems) = from_node::<RawConfig>(&node);
    diags.extend(
        problems.into_iter().map(|p| Diagnostic::new(p.rule, Loc::at(file, p.span), p.message).maybe_hint(p.hint)),
    );
    let mut config = Config::default();
    if let Some(raw) = raw {
        let mut v = Validator { file, diags: &mut diags };
        v.apply(raw, &mut config);
    }
    (config, diags)
}

struct Validator<'a> {
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(&mut self, span: crate::diag::Span, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(Diagnostic::new(Rule::BadConfig, Loc::at(self.file, span), message).hint(hint));
    }

    fn apply(&mut self, raw: RawConfig, c: &mut Config) {
        if let Some(t) = raw.title {
            c.title = t;
        }
        if let Some(u) = raw.base_url {
            match check_base_url(&u.value) {
                Ok(()) => c.base_url = u.value.trim_end_matches('/').to_string(),
                Err(e) => self.error(u.span, e, BASE_URL_HINT),
            }
        }
        if let Some(a) = raw.as_of {
            match parse_as_of(&a.value) {
                Ok(v) => c.as_of = v,
                Err(DateError::OutOfRange) => self.diags.push(
                    Diagnostic::new(
                        Rule::BadDate,
                        Loc::at(self.file, a.span),
                        format!("`as_of` cannot be `{}`", a.value),
                    )
                    .hint(DateError::OutOfRange.hint()),
                ),
                Err(DateError::Malformed) => self.error(
                    a.span,
                    format!("`as_of` cannot be `{}`", a.value),
                    "use \"today\", \"commit\" or a date such as \"2026-03-15\"",
                ),
            }
        }
        if let Some(z) = raw.timezone {
            match jiff::tz::TimeZone::get(&z.value) {
                Ok(zone) => c.timezone = zone,
                Err(_) => {
                    let names = jiff::tz::db().available();
                    let names: Vec<String> = names.map(|n| n.as_str().to_string()).collect();
                    let hint = match crate::diag::nearest(&z.value, names.iter().map(String::as_str)) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => {
                            "use a time zone name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"".into()
                        }
                    };
                    self.error(z.span, format!("unknown time zone `{}`", z.value), hint);
                }
            }
        }
        if let Some(h) = raw.history {
            c.history = h;
        }
        if let Some(u) = raw.repo_url {
            let url = u.value.trim().trim_end_matches('/');
            if url.starts_with("https://") || url.starts_with("http://") {
                c.repo_url = url.to_string();
            } else {
                self.error(
                    u.span,
                    format!("`repo_url` must be a web address, not `{}`", u.value),
                    "use the repository's page, such as \"https://github.com/org/site\"",
                );
            }
        }
        if let Some(d) = raw.stale_after_days {
            if d.value < 0 {
                self.error(d.span, "`stale_after_days` cannot be negative", "use a number of days, such as 14");
            } else {
                c.stale_after_days = d.value;
            }
        }
        if let Some(s) = raw.stages {
            c.stages = self.name_list(s, "stages");
        }
        if let Some(a) = raw.stage_aliases {
            c.stage_aliases = self.stage_aliases(a, &c.stages);
        }
        if let Some(s) = raw.categories {
            c.categories = self.name_list(s, "categories");
        }
        if let Some(ladder) = raw.escalation {
            c.escalation = self.ladder(ladder);
        }
        if let Some(r) = raw.rubric {
            self.rubric(r, &mut c.rubric);
        }
        if let Some(t) = raw.theme {
            match check_theme_name(&t.value) {
                Ok(()) => c.theme = Some(t.value),
                Err(e) => self.error(
                    t.span,
                    e,
                    "name a folder in `themes/`: `theme = \"corporate\"` uses `themes/corporate/`",
                ),
            }
        }
        if let Some(h) = raw.lessons_heading {
            c.lessons_heading = h;
        }
        if let Some(d) = raw.stuck_after_days {
            if d.value < 1 {
                self.error(d.span, "`stuck_after_days` must be 1 or more", "use a number of days, such as 120");
            } else {
                c.stuck_after_days = d.value;
            }
        }
        if let Some(a) = raw.allow_raw_html {
            c.allow_raw_html = a;
        }
        if let Some(f) = raw.foreign_tags {
            match f.value.as_str() {
                "remove" => c.keep_foreign_tags = false,
                "keep" => c.keep_foreign_tags = true,
                other => self.error(
                    f.span,
                    format!("`foreign_tags` cannot be `{other}`"),
                    "use \"remove\" (leave Liquid and Nunjucks tags out of pages) or \"keep\" (show them as text)",
                ),
            }
        }
        if let Some(p) = raw.paper {
            match p.value.to_ascii_lowercase().as_str() {
                "a4" => c.paper = "A4",
                "letter" => c.paper = "letter",
                _ => self.error(
                    p.span,
                    format!("`paper` cannot be `{}`", p.value),
                    "use \"A4\" or \"letter\": the paper the board pack (`/portfolio/`) is printed on",
                ),
            }
        }
        if let Some(d) = raw.board_since {
            match Date::parse_checked(&d.value) {
                Ok(date) => c.board_since = Some(date),
                Err(e) => self.error(
                    d.span,
                    format!("`board_since` cannot be `{}`", d.value),
                    match e {
                        DateError::OutOfRange => e.hint(),
                        DateError::Malformed => {
                            "use a date such as \"2026-10-01\": the board pack compares its figures with that day"
                                .into()
                        }
                    },
                ),
            }
        }
        if let Some(rules) = raw.rules {
            self.rules(rules, &mut c.rules);
        }
        if let Some(people) = raw.people {
            c.people = self.people(people);
        }
        if let Some(n) = raw.recurring_pilots {
            match usize::try_from(n.value) {
                Ok(v) if v >= 1 => c.recurring_pilots = v,
                _ => self.error(
                    n.span,
                    "`recurring_pilots` must be 1 or more",
                    "the number of pilots a category must hit to count as recurring, such as 2",
                ),
            }
        }
    }

    fn rules(&mut self, raw: Entries<Spanned<String>>, rules: &mut std::collections::BTreeMap<Rule, Option<Severity>>) {
        for (code, level) in raw.0 {
            let Some(rule) = Rule::from_code(&code.value) else {
                let codes: Vec<&str> = Rule::ALL.iter().filter(|r| r.configurable()).map(|r| r.code()).collect();
                self.error(code.span, format!("unknown rule `{}`", code.value), suggest(&code.value, codes));
                continue;
            };
            if !rule.configurable() {
                self.error(
                    code.span,
                    format!("rule `{}` cannot be changed", rule.code()),
                    "problems that leave a file unreadable are always errors",
                );
                continue;
            }
            let severity = match level.value.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "off" => None,
                other => {
                    self.error(
                        level.span,
                        format!("`{other}` is not a rule level"),
                        "use \"error\", \"warning\" or \"off\"",
                    );
                    continue;
                }
            };
            rules.insert(rule, severity);
        }
    }

    /// `[stage_aliases]`: each alias names a stage of `stages` and is no
    /// stage itself.
    fn stage_aliases(&mut self, raw: Entries<Spanned<String>>, stages: &[String]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (alias, stage) in raw.0 {
            let key = alias.value.trim().to_lowercase();
            if key.is_empty() {
                self.error(alias.span, "an alias in `stage_aliases` is empty", "remove it or give it a name");
            } else if !stages.contains(&stage.value) {
                self.error(
                    stage.span,
                    format!("`{}` is not a stage of `stages`", stage.value),
                    suggest(&stage.value, stages.iter().map(String::as_str)),
                );
            } else if stages.iter().any(|s| s.to_lowercase() == key) {
                self.error(
                    alias.span,
                    format!("`{}` is a stage already: it needs no alias", alias.value),
                    "stages match in any case; remove the alias",
                );
            } else if out.iter().any(|(a, _)| *a == key) {
                self.error(alias.span, format!("`{}` is listed twice in `stage_aliases`", alias.value), "remove one");
            } else {
                out.push((key, stage.value));
            }
        }
        out
    }

    fn name_list(&mut self, list: Spanned<Vec<Spanned<String>>>, what: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen: crate::hash::FastSet<String> = crate::hash::FastSet::default();
        if list.value.is_empty() {
            self.error(
                list.span,
                format!("`{what}` cannot be empty"),
                format!("list at least one of the {what}, or leave the key out for the defaults"),
            );
        }
        for name in list.value {
            if name.value.trim().is_empty() {
                self.error(name.span, format!("a name in `{what}` is empty"), "remove it or give it a name");
            } else if !seen.insert(name.value.clone()) {
                self.error(name.span, format!("`{}` is listed twice in `{what}`", name.value), "remove the second one");
            } else {
                out.push(name.value);
            }
        }
        out
    }

    fn ladder(&mut self, rungs: Vec<Spanned<RawRung>>) -> Vec<Rung> {
        let mut out = Vec::new();
        for r in rungs {
            let days = match r.value.after_days {
                Some(d) if d.value >= 0 => d.value,
                Some(d) => {
                    self.error(d.span, "`after_days` cannot be negative", "0 means as soon as the due date has passed");
                    continue;
                }
                None => {
                    self.error(
                        r.span,
                        "an escalation rung needs `after_days`",
                        "add `after_days = 7`: days past due before it escalates here",
                    );
                    continue;
                }
            };
            let mut people = Vec::new();
            for name in r.value.people.unwrap_or_default() {
                if name.value.trim().is_empty() {
                    self.error(name.span, "a name in `people` is empty", "remove it or write the person's name");
                } else {
                    people.push(name.value.trim().to_string());
                }
            }
            match r.value.to {
                Some(to) if ROLES.contains(&to.as_str()) && !people.is_empty() => self.error(
                    r.span,
                    format!("`{to}` is a role of each pilot: its rung cannot list `people`"),
                    "remove `people`, or give it to a rung that names a body, such as `to = \"leadership\"`",
                ),
                Some(to) if !to.trim().is_empty() => out.push(Rung { after_days: days, to: to.into(), people }),
                _ => self.error(r.span, "an escalation rung needs `to`", "add `to = \"sponsor\"`: who it escalates to"),
            }
        }
        out.sort_by_key(|r| r.after_days);
        out
    }

    /// `[people."NAME"]`: each name once, each alias naming one person.
    fn people(&mut self, raw: Entries<Spanned<RawPerson>>) -> Vec<PersonConfig> {
        let mut out: Vec<PersonConfig> = Vec::new();
        // Every name and alias, as matched, with whose it is.
        let mut taken: crate::hash::FastMap<String, String> = crate::hash::FastMap::default();
        for (key, person) in raw.0 {
            let (name, key_title) = crate::names::split_title(&key.value);
            if name.is_empty() {
                self.error(
                    key.span,
                    "a name in `[people]` is empty",
                    "write the person's name: `[people.\"Amira Haddad\"]`",
                );
                continue;
            }
            if let Some(first) = taken.get(&crate::names::person_key(name)) {
                self.error(
                    key.span,
                    format!("`{name}` is already named in `[people]` (as `{first}`)"),
                    "give each person one table, and their other spellings as `aliases`",
                );
                continue;
            }
            taken.insert(crate::names::person_key(name), name.to_string());
            let person = person.value;
            let email = match person.email {
                Some(e) if check_email(e.value.trim()) => Some(e.value.trim().to_string()),
                Some(e) => {
                    self.error(
                        e.span,
                        format!("`{}` is not an e-mail address", e.value.escape_debug()),
                        "write it as `name@example.com`, or leave `email` out",
                    );
                    None
                }
                None => None,
            };
            let mut aliases = Vec::new();
            for alias in person.aliases.unwrap_or_default() {
                let (a, _) = crate::names::split_title(&alias.value);
                if a.is_empty() {
                    self.error(alias.span, "an alias is empty", "remove it or write the other spelling");
                    continue;
                }
                match taken.get(&crate::names::person_key(a)) {
                    Some(whose) if whose != name => self.error(
                        alias.span,
                        format!("`{a}` names `{whose}` already"),
                        "an alias can name one person only: remove it from one of them",
                    ),
                    Some(_) => {}
                    None => {
                        taken.insert(crate::names::person_key(a), name.to_string());
                        aliases.push(a.to_string());
                    }
                }
            }
            let title = person.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            out.push(PersonConfig {
                name: name.to_string(),
                title: title.or(key_title.map(str::to_string)),
                email,
                aliases,
            });
        }
        out
    }

    fn rubric(&mut self, raw: Entries<Spanned<RawDimension>>, rubric: &mut [Dimension]) {
        for (key, dim) in raw.0 {
            let Some(target) = rubric.iter_mut().find(|d| d.key == key.value) else {
                self.error(
                    key.span,
                    format!("unknown readiness dimension `{}`", key.value),
                    suggest(&key.value, DIMENSIONS),
                );
                continue;
            };
            if let Some(label) = dim.value.label {
                target.label = label;
            }
            let Some(items) = dim.value.items else {
                continue;
            };
            if items.value.is_empty() {
                self.error(
                    items.span,
                    "a rubric dimension needs at least one item",
                    "add `{ key = \"...\", text = \"...\" }`",
                );
                continue;
            }
            let mut out: Vec<RubricItem> = Vec::new();
            let mut seen: crate::hash::FastSet<String> = crate::hash::FastSet::default();
            for item in items.value {
                let Some(k) = item.value.key else {
                    self.error(item.span, "a rubric item needs a `key`", "add `key = \"monitoring\"`");
                    continue;
                };
                if !seen.insert(k.value.clone()) {
                    self.error(
                        k.span,
                        format!("rubric item `{}` is listed twice", k.value),
                        "give each item its own key",
                    );
                    continue;
                }
                let text = item.value.text.unwrap_or_else(|| k.value.clone());
                out.push(RubricItem { key: k.value.into(), text: text.into() });
            }
            target.items = out;
        }
    }
}

/// What to write for `base_url` (in the config and for `--base-url`).
pub const BASE_URL_HINT: &str =
    "use an address such as \"https://pilots.example.com\", a path such as \"/pilots\", or leave it empty";

/// Whether `url` may be the site's `base_url`: empty, a path from the
/// server's root (`/pilots`), or an `http://` or `https://` address with a
/// host. Anything else (`javascript:`, `ftp:`, `//host`, spaces, control
/// characters) would end up in every page's links; the error says why.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\')) {
        return Err(format!(
            "`base_url` cannot hold spaces, quotes, `<`, `>`, `\\` or control characters: `{}`",
            url.escape_debug()
        ));
    }
    if url.is_empty() || (url.starts_with('/') && !url.starts_with("//")) {
        return Ok(());
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(format!(
            "`base_url` must be an http:// or https:// address or a path starting with `/`, not `{url}`"
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Err(format!("`base_url` has no host name after the scheme, or has a user name: `{url}`"));
    }
    Ok(())
}

/// Whether `text` looks like an e-mail address: one `@` with something
/// on both sides, a dot in the domain, and nothing that would break a
/// `mailto:` link (spaces, quotes, angle brackets, control characters).
fn check_email(text: &str) -> bool {
    let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '?' | '#');
    match text.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty() && domain.contains('.') && !domain.contains('@') && !text.chars().any(bad)
        }
        None => false,
    }
}

/// Whether `name` may be the config's `theme`: the name of one folder in
/// `themes/`, not a path that could lead out of it.
pub fn check_theme_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', ':', '\0'])
        || name.chars().any(char::is_control)
    {
        return Err(format!("`theme` must be the name of a folder in `themes/`, not `{}`", name.escape_debug()));
    }
    Ok(())
}

/// `today`, `commit` or a `YYYY-MM-DD` date (in the config and on the
/// command line alike).
pub fn parse_as_of(text: &str) -> Result<AsOf, DateError> {
    match text {
        "today" => Ok(AsOf::Today),
        "commit" => Ok(AsOf::Commit),
        other => Date::parse_checked(other).map(AsOf::Date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Config, Vec<String>) {
        let src = SourceFile::new("pilotdeck.toml".into(), text.into());
        let (c, d) = parse(FileId(0), &src);
        (c, d.into_iter().map(|d| format!("{}:{}", src.line_col(d.loc.span.start).0, d.message)).collect())
    }

    #[test]
    fn stages_match_in_any_case_and_through_aliases() {
        let (c, d) = parse_str(
            "[stage_aliases]\n\"In production\" = \"production\"\n\"Pre-deployment\" = \"scoping\"\n\
             Pilot = \"pilot\"\nx = \"nowhere\"\n\"\" = \"idea\"\n",
        );
        assert_eq!(
            d,
            vec![
                "4:`Pilot` is a stage already: it needs no alias",
                "5:`nowhere` is not a stage of `stages`",
                "6:an alias in `stage_aliases` is empty"
            ]
        );
        assert_eq!(c.stage_name("production"), Some("production"));
        assert_eq!(c.stage_name("PRODUCTION "), Some("production"));
        assert_eq!(c.stage_name("in Production"), Some("production"));
        assert_eq!(c.stage_name("pre-deployment"), Some("scoping"));
        assert_eq!(c.stage_name("launched"), None);
        assert!(c.unknown_stage_hint("In prod").contains("`[stage_aliases]`"));
        let (c, _) = parse_str("stages = [\"Idée\", \"Prod\"]\n[stage_aliases]\n\"ÉTUDE\" = \"Idée\"\n");
        assert_eq!(c.stage_name("IDÉE"), Some("Idée"));
        assert_eq!(c.stage_name("étude"), Some("Idée"));
    }

    #[test]
    fn defaults_without_keys() {
        let (c, d) = parse_str("");
        assert!(d.is_empty());
        assert_eq!(c.rubric.len(), 4);
        assert!(c.rubric.iter().all(|d| d.items.len() >= 3));
        assert_eq!(c.escalation.len(), 3);
    }

    #[test]
    fn overrides_and_errors() {
        let text = "title = \"X\"\nas_of = \"2026-03-01\"\nstale_after_days = 7\nstagez = []\n\
                    [[escalation]]\nafter_days = 3\nto = \"lead\"\n\
                    [rubric.technical]\nitems = [{ key = \"a\", text = \"A\" }]\n[rubric.techy]\nlabel = \"x\"\n";
        let (c, d) = parse_str(text);
        assert_eq!(c.title, "X");
        assert_eq!(c.as_of, AsOf::Date(Date::parse("2026-03-01").unwrap()));
        assert_eq!(c.stale_after_days, 7);
        assert_eq!(c.escalation.len(), 1);
        assert_eq!(c.rubric[0].items.len(), 1);
        assert_eq!(d, vec!["4:unknown key `stagez`", "10:unknown readiness dimension `techy`"]);
    }
}

//! One pilot record: front matter -> [`Pilot`], every problem reported.

use super::facts;
use super::raw::{DateText, RawConstraint, RawEvidence, RawPilot, RawUpdate};
use super::{BuildOptions, Confidence, Constraint, Evidence, Integration, Pilot, Readiness, StageEntry, Update};
use crate::config::Config;
use crate::date::Date;
use crate::diag::{suggest, Diagnostic, Loc, Rule, Span};
use crate::frontmatter;
use crate::markdown::{self, slug};
use crate::node::{from_node, Spanned};
use crate::source::{Doc, FileId, SourceFile};

/// A rubric item key and the evidence written for it.
type EvidenceEntry = (Spanned<String>, Spanned<RawEvidence>);

pub(super) const DIRECTIONS: [&str; 4] = ["reads", "writes", "approves", "signs-off"];
pub(super) const STATUSES: [&str; 4] = ["planned", "mapped", "built", "live"];

/// Collects the diagnostics of one file.
pub(super) struct Reporter<'a> {
    pub file: FileId,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    pub(super) fn error(&mut self, rule: Rule, span: Span, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(Diagnostic::new(rule, Loc::at(self.file, span), message).hint(hint));
    }

    pub(super) fn problems(&mut self, problems: Vec<crate::node::Problem>) {
        for p in problems {
            self.diags.push(Diagnostic::new(p.rule, Loc::at(self.file, p.span), p.message).maybe_hint(p.hint));
        }
    }

    pub(super) fn date(&mut self, d: &Option<Spanned<DateText>>, key: &str) -> Option<Date> {
        let d = d.as_ref()?;
        let text = match &d.value {
            DateText::Valid(date) => return Some(*date),
            DateText::Invalid(text) => text,
        };
        let (message, hint) = crate::date::not_a_date(text, key);
        self.error(Rule::BadDate, d.span, message, hint);
        None
    }

    /// A required, non-empty string.
    pub(super) fn required(
        &mut self,
        text: Option<Spanned<String>>,
        key: &str,
        at: Span,
        hint: &str,
    ) -> Option<String> {
        match text {
            Some(t) if !t.value.trim().is_empty() => Some(trimmed(t.value)),
            Some(t) => {
                self.error(Rule::Missing, t.span, format!("`{key}` is empty"), hint);
                None
            }
            None => {
                self.error(Rule::Missing, at, format!("missing `{key}`"), hint);
                None
            }
        }
    }

    /// The stage `text` names (see [`Config::stage_name`]), else PD006.
    pub(super) fn stage<'c>(&mut self, text: &Spanned<String>, config: &'c Config) -> Option<&'c str> {
        let stage = config.stage_name(&text.value);
        if stage.is_none() {
            self.error(
                Rule::UnknownName,
                text.span,
                format!("unknown stage `{}`", text.value),
                config.unknown_stage_hint(&text.value),
            );
        }
        stage
    }

    /// A name that must be one of `known`.
    pub(super) fn one_of(&mut self, rule: Rule, text: &Spanned<String>, known: &[String], what: &str) -> bool {
        if known.iter().any(|k| k == &text.value) {
            return true;
        }
        self.error(
            rule,
            text.span,
            format!("unknown {what} `{}`", text.value),
            suggest(&text.value, known.iter().map(String::as_str)),
        );
        false
    }
}

/// The pilot id from a path below `content/`: `pilots/ID.md` or
/// `pilots/ID/index.md`, made a slug (empty when the name has no letter or
/// digit). Two names with one slug are told apart by [`ids`].
pub(super) fn id_of(parts: &[String]) -> Option<String> {
    name_of(parts).map(|n| slug(&n))
}

/// The name a record's id is made from, in Unicode's composed form (NFC):
/// the same name typed either way is one name.
fn name_of(parts: &[String]) -> Option<String> {
    match parts {
        [_, file] => file.strip_suffix(".md").map(|n| markdown::nfc(n).into_owned()),
        [_, dir, index] if index == "index.md" => Some(markdown::nfc(dir).into_owned()),
        _ => None,
    }
}

/// The id of every record in `docs`, by file: two different names with one
/// slug (`cafe.md`, `café.md`) do not share an id; the name later in sorted
/// order gets `-2` (and so on), with a PD024 warning naming both files. The
/// same name twice (`a.md`, `a/index.md`) keeps one id: PD008 reports it.
pub(super) fn ids(docs: &[&Doc]) -> (crate::hash::FastMap<FileId, String>, Vec<Diagnostic>) {
    let named: Vec<(&Doc, String)> = docs.iter().filter_map(|d| name_of(&d.parts).map(|n| (*d, n))).collect();
    // The first file of each name, for the warning's note.
    let mut first: crate::hash::FastMap<&str, FileId> = crate::hash::FastMap::default();
    for (d, n) in &named {
        first.entry(n.as_str()).or_insert(d.file);
    }
    // Run on every `serve` rebuild: when no two names make one id (as
    // nearly always), each name's slug is its id, without the sorting and
    // numbering `distinct_slugs` does.
    let plain: crate::hash::FastMap<&str, String> = first.keys().map(|n| (*n, slug(n))).collect();
    let mut ids_seen = crate::hash::FastSet::default();
    if plain.values().all(|s| ids_seen.insert(s.as_str())) {
        let ids = named.iter().map(|(d, n)| (d.file, plain[n.as_str()].clone())).collect();
        return (ids, Vec::new());
    }
    let (slugs, renamed) = super::distinct_slugs(plain.into_iter().map(|(n, s)| (n.to_string(), s)).collect());
    let mut diags = Vec::new();
    for r in &renamed {
        diags.push(
            Diagnostic::new(
                Rule::SameSlug,
                Loc::start(first[r.name.as_str()]),
                format!(
                    "`{}` and `{}` both make the pilot id `{}`: this record's id is `{}`",
                    r.name, r.kept_by, r.base, r.slug
                ),
            )
            .hint(format!("rename one of the files: its address is `/{}` until then", crate::urls::pilot(&r.slug)))
            .related(Loc::start(first[r.kept_by.as_str()]), "the other record is here"),
        );
    }
    let ids = named.into_iter().map(|(d, n)| (d.file, slugs[&n].clone())).collect();
    (ids, diags)
}

pub(super) fn read(
    doc: &Doc,
    source: &SourceFile,
    config: &Config,
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pilot> {
    let mut r = Reporter { file: doc.file, diags };
    let start = Span::new(0, source.line_text(1).len() as u32);
    let Some(id) = id_of(&doc.parts) else {
        r.error(
            Rule::Unreadable,
            start,
            "a Markdown file here is not a pilot record",
            "pilot records are `content/pilots/ID.md` or `content/pilots/ID/index.md`; move other pages out of `pilots/`",
        );
        return None;
    };
    if id.is_empty() {
        r.error(
            Rule::Unreadable,
            start,
            "this record's id would be empty: its name has no letter or digit",
            "a pilot's id is made from its file or folder name: rename it with letters or digits, such as `crm-assistant.md`",
        );
        return None;
    }
    let mut split = frontmatter::split(&source.text);
    if !split.whole {
        // The front matter could not be read: what it lacks is unknown.
        r.problems(split.problems);
        return None;
    }
    // Problems at values (a date not in the calendar, a word without
    // quotes): the rest is read and checked.
    r.problems(std::mem::take(&mut split.problems));
    if !split.present {
        r.error(
            Rule::Missing,
            start,
            "a pilot record needs front matter",
            "start the file with `+++`, then `title = \"...\"` and `stage = \"...\"`, then `+++`",
        );
        return None;
    }
    let (raw, problems) = from_node::<RawPilot>(&split.front);
    r.problems(problems);
    let raw = raw.unwrap_or_default();
    if raw.draft == Some(true) && !opts.drafts {
        return None;
    }
    let title_span = raw.title.as_ref().map(|t| t.span);
    let title = r.required(raw.title, "title", start, "add `title = \"...\"`: the pilot's name");
    let owner_loc = Loc::at(doc.file, raw.owner.as_ref().or(raw.stage.as_ref()).map_or(start, |o| o.span));
    let stage = match raw.stage {
        Some(s) => r.stage(&s, config).map(String::from),
        None => {
            let list = config.stages.join(", ");
            r.error(Rule::Missing, start, "missing `stage`", format!("add `stage = \"...\"`, one of: {list}"));
            None
        }
    };
    let started = r.date(&raw.started, "started");
    let target = r.date(&raw.target, "target");
    let stages = read_stages(&mut r, raw.stages.unwrap_or_default(), config);
    let readiness = read_readiness(&mut r, raw.readiness.unwrap_or_default(), config);
    let integration = read_integration(&mut r, raw.integration.unwrap_or_default());
    let constraints = read_constraints(&mut r, raw.constraints.unwrap_or_default(), config);
    let updates = read_updates(&mut r, raw.updates.unwrap_or_default());
    let root = crate::urls::PILOT_ROOT;
    let body = markdown::render_in(
        &source.text[split.body_start..],
        root,
        None,
        &config.lessons_heading,
        config.allow_raw_html,
        config.keep_foreign_tags,
    )
    .shifted(split.body_start);
    r.diags.extend(markdown::foreign_diagnostics(doc.file, &body.foreign, config.keep_foreign_tags));
    // Without a title or a stage the record is not published, but what
    // was read of it is still checked (see `Site::incomplete`).
    let incomplete = title.is_none() || stage.is_none();
    let stage_known = stage.is_some();
    let mut pilot = Pilot {
        loc: Loc::at(doc.file, title_span.unwrap_or(start)),
        title: title.unwrap_or_else(|| id.clone()),
        id,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        stage: stage.unwrap_or_default(),
        function: raw.function.filter(|s| !s.trim().is_empty()),
        owner: name(raw.owner),
        champion: name(raw.champion),
        sponsor: name(raw.sponsor),
        started,
        target,
        success: raw.success,
        tags: tags(raw.tags),
        stages,
        readiness,
        integration,
        constraints,
        updates,
        body,
        facts: Default::default(),
        owner_loc,
        incomplete,
    };
    // The only use of the as-of date in reading a record: a record read
    // for another date has its facts derived again (`build_reusing`).
    if stage_known {
        facts::derive(&mut pilot, config, opts.as_of);
    }
    pilot.shrink();
    Some(pilot)
}

impl Pilot {
    /// Gives back the room lists grew into: thousands of records are kept
    /// for the whole build.
    fn shrink(&mut self) {
        self.tags.shrink_to_fit();
        self.stages.shrink_to_fit();
        self.readiness.shrink_to_fit();
        for d in &mut self.readiness {
            d.items.shrink_to_fit();
            d.blocked_by.shrink_to_fit();
        }
        self.integration.shrink_to_fit();
        self.constraints.shrink_to_fit();
        self.updates.shrink_to_fit();
        self.body.toc.shrink_to_fit();
        self.body.links.shrink_to_fit();
        self.body.lessons.shrink_to_fit();
    }
}

fn name(text: Option<Spanned<String>>) -> Option<String> {
    text.map(|t| composed(trimmed(t.value))).filter(|t| !t.is_empty())
}

/// `text` in Unicode's composed form (NFC), the same string when it is.
fn composed(text: String) -> String {
    match markdown::nfc(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(n) => n,
    }
}

/// `text` without the white space around it (the same string when there is
/// none, as there mostly is not).
pub(super) fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

pub(super) fn tags(raw: Option<Vec<Spanned<String>>>) -> Vec<String> {
    let raw = raw.unwrap_or_default();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    // The tags kept, as compared (see `model::tag_key`).
    let mut seen: crate::hash::FastSet<String> = crate::hash::FastSet::default();
    for t in raw {
        let t = composed(trimmed(t.value));
        if !t.is_empty() && seen.insert(super::tag_key(&t).into_owned()) {
            out.push(t);
        }
    }
    out
}

fn read_stages(r: &mut Reporter, raw: crate::node::Entries<Spanned<DateText>>, config: &Config) -> Vec<StageEntry> {
    let mut out = Vec::new();
    for (key, date) in raw.0 {
        let stage = r.stage(&key, config).map(String::from);
        let date = r.date(&Some(date), &key.value);
        if let (Some(stage), Some(date)) = (stage, date) {
            out.push(StageEntry { stage, date, loc: Loc::at(r.file, key.span) });
        }
    }
    out.sort_by_key(|e| config.stage_index(&e.stage));
    out
}

fn read_readiness(
    r: &mut Reporter,
    raw: crate::node::Entries<crate::node::Entries<Spanned<RawEvidence>>>,
    config: &Config,
) -> Vec<Readiness> {
    let mut given: Vec<(String, Vec<EvidenceEntry>)> = Vec::new();
    for (dim, items) in raw.0 {
        match config.dimension(&dim.value) {
            Some(_) => given.push((dim.value, items.0)),
            None => r.error(
                Rule::UnknownEvidence,
                dim.span,
                format!("unknown readiness dimension `{}`", dim.value),
                suggest(&dim.value, crate::config::DIMENSIONS),
            ),
        }
    }
    config
        .rubric
        .iter()
        .map(|dim| {
            let written: Vec<EvidenceEntry> =
                given.iter_mut().find(|(k, _)| k == &dim.key).map(|(_, v)| std::mem::take(v)).unwrap_or_default();
            // Items written and items of the rubric, each looked up by key:
            // both lists may be long (one from the record, one from the config).
            let by_key: crate::hash::FastMap<&str, &Spanned<RawEvidence>> =
                written.iter().map(|(k, v)| (k.value.as_str(), v)).collect();
            let items_known: crate::hash::FastSet<&str> = dim.items.iter().map(|i| &*i.key).collect();
            for (key, _) in &written {
                if !items_known.contains(key.value.as_str()) {
                    r.error(
                        Rule::UnknownEvidence,
                        key.span,
                        format!("`{}` is not an item of the {} rubric", key.value, dim.key),
                        suggest(&key.value, dim.items.iter().map(|i| &*i.key)),
                    );
                }
            }
            let items: Vec<Evidence> = dim
                .items
                .iter()
                .map(|item| {
                    let ev = by_key.get(&*item.key).copied();
                    evidence(r, item, ev)
                })
                .collect();
            let met = items.iter().filter(|i| i.met).count();
            let total = items.len();
            Readiness {
                key: dim.key.clone(),
                label: dim.label.clone(),
                items,
                met,
                total,
                percent: super::facts::percent(met, total),
                ready: false,
                blocked_by: Vec::new(),
            }
        })
        .collect()
}

fn evidence(r: &mut Reporter, item: &crate::config::RubricItem, ev: Option<&Spanned<RawEvidence>>) -> Evidence {
    let key = &*item.key;
    let mut e = Evidence {
        key: std::sync::Arc::clone(&item.key),
        text: std::sync::Arc::clone(&item.text),
        met: false,
        note: None,
        said_no: false,
    };
    match ev.map(|v| (&v.value, v.span)) {
        None => {}
        Some((RawEvidence::Flag(b), _)) => {
            e.met = *b;
            e.said_no = !*b;
        }
        Some((RawEvidence::Note(n), _)) => {
            e.met = !n.trim().is_empty();
            e.note = Some(n.trim()).filter(|n| !n.is_empty()).map(Box::from);
        }
        Some((RawEvidence::Other(kind), span)) => r.error(
            Rule::WrongType,
            span,
            format!("evidence for `{key}` must be `true`, `false` or a note, found {kind}"),
            "write `true`, `false`, or a link or note that shows the item is met",
        ),
    }
    e
}

fn read_integration(r: &mut Reporter, raw: Vec<Spanned<super::raw::RawIntegration>>) -> Vec<Integration> {
    let mut out = Vec::new();
    for item in raw {
        let span = item.span;
        let i = item.value;
        let mut check = |v: Option<Spanned<String>>, known: &[&str], what: &str| -> Option<String> {
            let v = v?;
            let known: Vec<String> = known.iter().map(|s| s.to_string()).collect();
            r.one_of(Rule::UnknownName, &v, &known, what).then_some(v.value)
        };
        let direction = check(i.direction, &DIRECTIONS, "integration direction");
        let status = check(i.status, &STATUSES, "integration status");
        if let Some(system) = r.required(i.system, "system", span, "name the system, such as `system = \"ERP\"`") {
            out.push(Integration { system, direction, status, notes: i.notes });
        }
    }
    out
}

fn read_constraints(r: &mut Reporter, raw: Vec<Spanned<RawConstraint>>, config: &Config) -> Vec<Constraint> {
    let mut out: Vec<Constraint> = Vec::new();
    // Each id seen, with where: a look-up per constraint, not a walk over
    // the ones before.
    let mut seen: crate::hash::FastMap<String, Loc> = crate::hash::FastMap::default();
    for item in raw {
        let span = item.span;
        let c = item.value;
        let title = r.required(
            c.title,
            "title",
            span,
            "say what blocks the pilot, such as `title = \"Data schema approval pending\"`",
        );
        let category = match c.category {
            Some(cat) => r.one_of(Rule::UnknownName, &cat, &config.categories, "category").then_some(cat.value),
            None if config.categories.iter().any(|c| c == "other") => Some("other".to_string()),
            None => {
                r.error(
                    Rule::Missing,
                    span,
                    "missing `category`",
                    format!("add `category`, one of: {}", config.categories.join(", ")),
                );
                None
            }
        };
        let raised = r.date(&c.raised, "raised");
        let due = r.date(&c.due, "due");
        let resolved = r.date(&c.resolved, "resolved");
        let id_span = c.id.as_ref().map_or(span, |i| i.span);
        let id = c.id.map(|i| slug(&i.value)).or_else(|| title.as_deref().map(slug)).unwrap_or_default();
        let id = if id.is_empty() { format!("constraint-{}", out.len() + 1) } else { id };
        if let Some(&first) = seen.get(&id) {
            let d = Diagnostic::new(
                Rule::DuplicateConstraint,
                Loc::at(r.file, id_span),
                format!("two constraints of this pilot have the id `{id}`"),
            )
            .hint("give one of them its own `id = \"...\"`")
            .related(first, "the other constraint is here");
            r.diags.push(d);
            continue;
        }
        let (Some(title), Some(category)) = (title, category) else {
            continue;
        };
        seen.insert(id.clone(), Loc::at(r.file, span));
        out.push(Constraint {
            id,
            loc: Loc::at(r.file, span),
            title,
            category,
            owner: name(c.owner),
            raised,
            due,
            due_written: c.due.is_some(),
            resolved,
            impact: c.impact.filter(|s| !s.trim().is_empty()).map(String::into_boxed_str),
            ask: c.ask.map(trimmed).filter(|s| !s.is_empty()).map(String::into_boxed_str),
            playbook_loc: c.playbook.as_ref().map(|p| Loc::at(r.file, p.span)),
            playbook: name(c.playbook),
            open: true,
            overdue_days: None,
            rung: None,
            escalated_to: None,
            days_to_resolve: None,
        });
    }
    out
}

fn read_updates(r: &mut Reporter, raw: Vec<Spanned<RawUpdate>>) -> Vec<Update> {
    let mut out = Vec::new();
    for item in raw {
        let span = item.span;
        let u = item.value;
        let week = match &u.week {
            Some(_) => r.date(&u.week, "week"),
            None => {
                r.error(
                    Rule::Missing,
                    span,
                    "missing `week`",
                    "add `week = 2026-03-09`: the Monday of the week this update covers",
                );
                None
            }
        };
        let confidence = u.confidence.and_then(|c| confidence(r, c));
        if let Some(week) = week {
            out.push(Update {
                week,
                completed: u.completed.map(String::into_boxed_str),
                blocker: u.blocker.map(String::into_boxed_str),
                risk: u.risk.map(String::into_boxed_str),
                escalation: u.escalation.map(String::into_boxed_str),
                confidence,
            });
        }
    }
    out.sort_by_key(|u| u.week);
    out
}

fn confidence(r: &mut Reporter, c: Spanned<super::raw::RawConfidence>) -> Option<Confidence> {
    let mut side = |v: Option<Spanned<i64>>, key: &str| -> Option<i64> {
        match v {
            Some(v) if (1..=5).contains(&v.value) => Some(v.value),
            Some(v) => {
                r.error(
                    Rule::Confidence,
                    v.span,
                    format!("confidence `{key}` must be 1 to 5, not {}", v.value),
                    "1 means the target date will surely slip, 5 that it surely holds",
                );
                None
            }
            None => {
                r.error(
                    Rule::Confidence,
                    c.span,
                    format!("confidence needs `{key}`"),
                    "write both sides: `confidence = { leader = 4, team = 3 }`",
                );
                None
            }
        }
    };
    let leader = side(c.value.leader, "leader");
    let team = side(c.value.team, "team");
    // 1 to 5, checked above.
    Some(Confidence { leader: u8::try_from(leader?).ok()?, team: u8::try_from(team?).ok()? })
}

/// Two records with the same id: both are named, the later one dropped.
pub(super) fn reject_duplicates(pilots: &mut Vec<std::sync::Arc<Pilot>>, diags: &mut Vec<Diagnostic>) {
    pilots.sort_by(|a, b| a.id.cmp(&b.id));
    let mut kept: Vec<std::sync::Arc<Pilot>> = Vec::with_capacity(pilots.len());
    for p in pilots.drain(..) {
        match kept.last() {
            Some(prev) if prev.id == p.id => diags.push(
                Diagnostic::new(Rule::Duplicate, p.loc, format!("two pilot records have the id `{}`", p.id))
                    .hint("a pilot's id is its file or folder name: rename one of them")
                    .related(prev.loc, "the other record is here"),
            ),
            _ => kept.push(p),
        }
    }
    *pilots = kept;
}

//! Data exports: the constraint library as CSV (RFC 4180), the whole
//! portfolio as JSON, an Atom feed of weekly updates and escalations, and the sitemap.

use crate::config::Config;
use crate::date::Date;
use crate::escape::escaped as xml;
use crate::library_order::Order;
use crate::model::{Constraint, Site};
use serde::Serialize;
use std::fmt::Write as _;

/// Version of the `portfolio.json` format; raised when a field changes
/// meaning or disappears (new fields keep the version).
pub(crate) const JSON_VERSION: u32 = 1;

/// Most entries in the feed, newest first.
pub(crate) const FEED_ENTRIES: usize = 200;

fn status(c: &Constraint) -> &'static str {
    match (c.overdue_days, c.open) {
        (Some(_), _) => "overdue",
        (None, true) => "open",
        (None, false) => "resolved",
    }
}

/// Whether a spreadsheet may read a cell that starts with `value` as a
/// formula (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return; and
/// the full-width `＝ ＋ － ＠`, which some spreadsheets read the same way).
fn formula_like(value: &str) -> bool {
    matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'))
}

/// Writes one text cell: quoted when it holds a comma, a quote or a line
/// break (RFC 4180), and, when a spreadsheet could take it for a formula,
/// quoted with a `'` in front, which spreadsheets read as "this is text"
/// (OWASP's CSV injection rule). Every cell whose text comes from the
/// content is written by this function; the dates and day counts the
/// generator writes itself are numbers, never negative (PD013), and are
/// not written through it.
fn csv_field(out: &mut String, value: &str) {
    use crate::scan::{any_is, first};
    // Eight bytes at a time: most fields are names, ids, dates and words.
    let maybe = |x| any_is(x, b',') || any_is(x, b'"') || any_is(x, b'\n') || any_is(x, b'\r');
    let b = value.as_bytes();
    let formula = formula_like(value);
    if !formula && first(b, maybe, |b| matches!(b, b',' | b'"' | b'\r' | b'\n')) == b.len() {
        out.push_str(value);
    } else {
        out.push('"');
        if formula {
            out.push('\'');
        }
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    }
}

/// `constraints.csv`: a UTF-8 byte order mark (so spreadsheets read the
/// encoding right), a header, one row per constraint, CRLF line ends.
/// Written to `file` as it is made, a window of rows at a time
/// ([`in_windows`]): at 10,000 pilots of the realistic mix it is 15 MB,
/// which a build held whole beside the pages being made.
pub(crate) fn csv(site: &Site, config: &Config, order: &Order, file: &mut dyn std::io::Write) -> std::io::Result<()> {
    let header = [
        "pilot",
        "pilot_title",
        "pilot_stage",
        "id",
        "title",
        "category",
        "owner",
        "raised",
        "due",
        "resolved",
        "status",
        "overdue_days",
        "rung",
        "days_to_resolve",
        "impact",
        "playbook",
        "ask",
    ];
    file.write_all(format!("\u{feff}{}\r\n", header.join(",")).as_bytes())?;
    fn text<S: AsRef<str>>(out: &mut String, s: &Option<S>) {
        csv_field(out, s.as_ref().map_or("", AsRef::as_ref));
    }
    // Dates and numbers: digits and dashes, never quoted.
    let date = |out: &mut String, d: Option<Date>| {
        if let Some(d) = d {
            d.push_to(out);
        }
    };
    let number = |out: &mut String, n: Option<i64>| {
        if let Some(n) = n {
            let _ = write!(out, "{n}");
        }
    };
    let row = |out: &mut String, &(i, j): &(usize, usize)| {
        let p = &site.pilots[i];
        let c = &p.constraints[j];
        let owner = c.owner.as_deref().unwrap_or_default();
        for field in [&p.id, &p.title, &p.stage, &c.id, &c.title, &c.category, owner] {
            csv_field(out, field);
            out.push(',');
        }
        for d in [c.raised, c.due, if c.open { None } else { c.resolved }] {
            date(out, d);
            out.push(',');
        }
        out.push_str(status(c));
        out.push(',');
        number(out, c.overdue_days);
        out.push(',');
        csv_field(out, c.rung.map_or("", |r| &*config.escalation[r].to));
        out.push(',');
        number(out, c.days_to_resolve);
        out.push(',');
        text(out, &c.impact);
        out.push(',');
        text(out, &c.playbook);
        out.push(',');
        text(out, &c.ask);
        out.push_str("\r\n");
    };
    in_windows(order.places(), file, |_, chunk| {
        let mut out = String::with_capacity(chunk.len() * 256);
        for item in chunk {
            row(&mut out, item);
        }
        Ok(out.into_bytes())
    })
}

/// Writes what `make` makes of each chunk of `items` (given where in
/// `items` the chunk starts), in order, into `out`: a window of chunks at
/// a time, made side by side, so that a long file is made on every thread
/// with at most a window of it in memory.
fn in_windows<T: Sync>(
    items: &[T],
    out: &mut dyn std::io::Write,
    make: impl Fn(usize, &[T]) -> std::io::Result<Vec<u8>> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    // At most 256 pilots of the mix's `portfolio.json` (2 MB) at once.
    const CHUNK: usize = 32;
    const WINDOW: usize = 8 * CHUNK;
    for (w, window) in items.chunks(WINDOW).enumerate() {
        let parts: Vec<Vec<u8>> = (window.par_chunks(CHUNK).enumerate())
            .map(|(c, chunk)| make(w * WINDOW + c * CHUNK, chunk))
            .collect::<std::io::Result<_>>()?;
        for part in parts {
            out.write_all(&part)?;
        }
    }
    Ok(())
}

/// Writes `items` as the elements of a JSON array, without its brackets,
/// each through serde_json (made as [`in_windows`] makes them): the bytes
/// serde_json writes of the whole list, less its brackets.
fn json_elements<T: Sync>(
    items: &[T],
    out: &mut dyn std::io::Write,
    element: impl Fn(&T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> std::io::Result<()> {
    in_windows(items, out, |start, chunk| {
        let mut buf = Vec::with_capacity(chunk.len() * 1024);
        for (k, item) in chunk.iter().enumerate() {
            // A comma before every element but the list's first.
            if start + k > 0 {
                buf.push(b',');
            }
            element(item, &mut buf)?;
        }
        Ok(buf)
    })
}

/// The columns of `pilots.csv`, after which come `readiness_` and each
/// dimension's key (the percentage of its rubric met), then [`PILOT_TAIL`].
pub(crate) const PILOT_COLUMNS: [&str; 13] = [
    "id",
    "title",
    "stage",
    "owner",
    "sponsor",
    "champion",
    "function",
    "started",
    "target",
    "stage_entered",
    "days_in_stage",
    "open_constraints",
    "overdue_constraints",
];

/// The last columns of `pilots.csv`.
pub(crate) const PILOT_TAIL: [&str; 5] = ["production_ready", "last_update", "stale", "tags", "url"];

/// `pilots.csv`: one row per pilot with its derived facts for the as-of
/// date, written as `constraints.csv` is (a byte order mark, a header,
/// CRLF line ends, every text cell through [`csv_field`]). Yes/no facts are
/// `yes` or `no`; a date or a count that is not known is empty; tags are
/// joined by `; `; the url is the pilot's page at the site's `base_url`.
pub(crate) fn pilots_csv(site: &Site, config: &Config) -> String {
    let mut out = String::with_capacity(256 * site.pilots.len() + 512);
    out.push('\u{feff}');
    let dims: Vec<String> = config.rubric.iter().map(|d| format!("readiness_{}", d.key)).collect();
    let header: Vec<&str> =
        PILOT_COLUMNS.iter().copied().chain(dims.iter().map(String::as_str)).chain(PILOT_TAIL).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let base = config.base_url.trim_end_matches('/');
    let yes = |b: bool| if b { "yes" } else { "no" };
    for p in site.pilots.iter() {
        for field in [
            Some(&p.id),
            Some(&p.title),
            Some(&p.stage),
            p.owner.as_ref(),
            p.sponsor.as_ref(),
            p.champion.as_ref(),
            p.function.as_ref(),
        ] {
            csv_field(&mut out, field.map_or("", String::as_str));
            out.push(',');
        }
        let entered = p.entered();
        for d in [p.started, p.target, entered] {
            if let Some(d) = d {
                d.push_to(&mut out);
            }
            out.push(',');
        }
        if let Some(d) = entered.filter(|d| *d <= site.as_of) {
            let _ = write!(out, "{}", site.as_of.days_since(d));
        }
        let _ = write!(out, ",{},{},", p.facts.open_constraints, p.facts.overdue_constraints);
        for d in &p.readiness {
            let _ = write!(out, "{},", d.percent);
        }
        out.push_str(yes(p.facts.production_ready));
        out.push(',');
        if let Some(d) = p.facts.last_update {
            d.push_to(&mut out);
        }
        out.push(',');
        out.push_str(yes(p.facts.stale));
        out.push(',');
        csv_field(&mut out, &p.tags.join("; "));
        out.push(',');
        csv_field(&mut out, &crate::urls::absolute(base, &crate::urls::pilot_parts(&p.id)));
        out.push_str("\r\n");
    }
    out
}

/// `portfolio.json` but its two long lists, which come after it.
#[derive(Serialize)]
struct JsonHead<'a> {
    version: u32,
    generator: String,
    as_of: Date,
    title: &'a str,
    base_url: &'a str,
    stages: &'a [String],
    categories: &'a [String],
    ladder: &'a [crate::config::Rung],
    rubric: &'a [crate::config::Dimension],
    portfolio: &'a crate::model::Portfolio,
    /// The portfolio at the end of each of the last weeks, from the
    /// records' git history (empty without one), oldest first.
    weeks: &'a [crate::model::history::Week],
}

#[derive(Serialize)]
struct JsonPilot<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    summary: &'a Option<String>,
    stage: &'a str,
    function: &'a Option<String>,
    owner: &'a Option<String>,
    champion: &'a Option<String>,
    sponsor: &'a Option<String>,
    started: Option<Date>,
    target: Option<Date>,
    success: &'a Option<String>,
    tags: &'a [String],
    stages: &'a [crate::model::StageEntry],
    readiness: &'a [crate::model::Readiness],
    integration: &'a [crate::model::Integration],
    /// Ids of its constraints, in `constraints`.
    constraints: Vec<&'a str>,
    updates: &'a [crate::model::Update],
    facts: &'a crate::model::PilotFacts,
}

#[derive(Serialize)]
struct JsonConstraint<'a> {
    pilot: &'a str,
    status: &'static str,
    rung_to: Option<&'a str>,
    #[serde(flatten)]
    constraint: &'a Constraint,
}

/// `portfolio.json`: every pilot with its record and derived facts, every
/// constraint, the as-of date, the rubric and the ladder. Compact: at
/// 10,000 pilots the pretty form is twice the size. The two long lists
/// are made a window at a time on every thread ([`json_elements`]): the
/// bytes are those serde_json writes of the whole document (a test holds
/// them to it). serde_json itself: a serializer of our own wrote the same
/// bytes for 1.7% fewer instructions in a whole build (callgrind, 1,000
/// pilots), not worth a second JSON writer.
pub(crate) fn json(site: &Site, config: &Config, order: &Order, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let base = config.base_url.trim_end_matches('/');
    let mut head = serde_json::to_vec(&json_head(site, config))?;
    // The head's object left open for the lists.
    head.pop();
    out.write_all(&head)?;
    out.write_all(br#","pilots":["#)?;
    json_elements(&site.pilots, out, |p, buf| serde_json::to_writer(buf, &json_pilot(p, base)))?;
    out.write_all(br#"],"constraints":["#)?;
    json_elements(order.places(), out, |&place, buf| {
        serde_json::to_writer(buf, &json_constraint(site, config, place))
    })?;
    out.write_all(b"]}\n")
}

fn json_head<'a>(site: &'a Site, config: &'a Config) -> JsonHead<'a> {
    JsonHead {
        version: JSON_VERSION,
        generator: format!("pilotdeck {}", env!("CARGO_PKG_VERSION")),
        as_of: site.as_of,
        title: &config.title,
        base_url: &config.base_url,
        stages: &config.stages,
        categories: &config.categories,
        ladder: &config.escalation,
        rubric: &config.rubric,
        portfolio: &site.portfolio,
        weeks: &site.history.weeks,
    }
}

/// A pilot as `portfolio.json` has it; `base`: the site's base URL
/// without its last `/`.
fn json_pilot<'a>(p: &'a crate::model::Pilot, base: &str) -> JsonPilot<'a> {
    JsonPilot {
        id: &p.id,
        url: crate::urls::absolute(base, &crate::urls::pilot_parts(&p.id)),
        title: &p.title,
        summary: &p.summary,
        stage: &p.stage,
        function: &p.function,
        owner: &p.owner,
        champion: &p.champion,
        sponsor: &p.sponsor,
        started: p.started,
        target: p.target,
        success: &p.success,
        tags: &p.tags,
        stages: &p.stages,
        readiness: &p.readiness,
        integration: &p.integration,
        constraints: p.constraints.iter().map(|c| c.id.as_str()).collect(),
        updates: &p.updates,
        facts: &p.facts,
    }
}

/// The constraint `j` of the pilot `i` as `portfolio.json` has it.
fn json_constraint<'a>(site: &'a Site, config: &'a Config, (i, j): (usize, usize)) -> JsonConstraint<'a> {
    let p = &site.pilots[i];
    let c = &p.constraints[j];
    JsonConstraint {
        pilot: &p.id,
        status: status(c),
        rung_to: c.rung.map(|r| &*config.escalation[r].to),
        constraint: c,
    }
}

/// One entry of an Atom feed.
pub(crate) struct Entry {
    pub(crate) id: String,
    pub(crate) date: Date,
    pub(crate) title: String,
    pub(crate) link: String,
    pub(crate) summary: String,
}

/// `feed.xml`: weekly updates, and escalations (each rung a constraint has
/// crossed by the as-of date, dated the day it crossed), newest first.
pub(crate) fn feed(site: &Site, config: &Config) -> String {
    let base = crate::urls::feed_base(&config.base_url);
    // Every entry's date and id first; only the newest are written out.
    enum Source {
        Update(usize, usize),
        Rung(usize, usize, usize),
    }
    // Every entry, in record order, to `f`: walked twice, for the dates
    // and then for the entries new enough, rather than holding every
    // entry (120,000 updates and more escalations at 10,000 pilots of the
    // realistic mix: 10 MB of a build's peak).
    let each = |f: &mut dyn FnMut(Date, Source)| {
        for (pi, p) in site.pilots.iter().enumerate() {
            // The model has no update after the as-of date (see `model::past`).
            for (ui, u) in p.updates.iter().enumerate() {
                f(u.week, Source::Update(pi, ui));
            }
            for (ci, c) in p.constraints.iter().enumerate() {
                let (Some(due), Some(top)) = (c.due, c.rung) else { continue };
                for (i, rung) in config.escalation.iter().enumerate().take(top + 1) {
                    f(due.plus_days(rung.after_days.max(1) as i32), Source::Rung(pi, ci, i));
                }
            }
        }
    };
    let id = |source: &Source| match *source {
        Source::Update(pi, ui) => {
            let p = &site.pilots[pi];
            format!("urn:pilotdeck:{}:update:{}", p.id, p.updates[ui].week)
        }
        Source::Rung(pi, ci, i) => {
            let p = &site.pilots[pi];
            format!("urn:pilotdeck:{}:constraint:{}:rung:{}", p.id, p.constraints[ci].id, i)
        }
    };
    // Only entries at least as new as the newest FEED_ENTRIES-th date can be
    // written out: their ids are made, the others' are not.
    let mut dates: Vec<Date> = Vec::new();
    each(&mut |date, _| dates.push(date));
    let cut = if dates.len() > FEED_ENTRIES {
        let (_, &mut cut, _) = dates.select_nth_unstable_by(FEED_ENTRIES - 1, |a, b| b.cmp(a));
        Some(cut)
    } else {
        None
    };
    drop(dates);
    let mut keys = Vec::new();
    each(&mut |date, source| {
        if cut.is_none_or(|cut| date >= cut) {
            keys.push((date, id(&source), source));
        }
    });
    let newest = |a: &(Date, String, Source), b: &(Date, String, Source)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if keys.len() > FEED_ENTRIES {
        keys.select_nth_unstable_by(FEED_ENTRIES, newest);
        keys.truncate(FEED_ENTRIES);
    }
    keys.sort_by(newest);
    let entries: Vec<Entry> = keys
        .into_iter()
        .map(|(date, id, source)| match source {
            Source::Update(pi, ui) => {
                let (p, u) = (&site.pilots[pi], &site.pilots[pi].updates[ui]);
                let mut summary = String::new();
                for (label, v) in [
                    ("Completed", &u.completed),
                    ("Blocker", &u.blocker),
                    ("Risk", &u.risk),
                    ("Escalation", &u.escalation),
                ] {
                    if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                        let _ = writeln!(summary, "{label}: {v}");
                    }
                }
                if let Some(c) = u.confidence {
                    let _ = writeln!(summary, "Confidence: leader {}/5, team {}/5", c.leader, c.team);
                }
                Entry {
                    id,
                    date,
                    title: format!("{}: update for the week of {}", p.title, u.week),
                    link: [base.as_str(), &crate::urls::pilot(&p.id)].concat(),
                    summary: summary.trim_end().to_string(),
                }
            }
            Source::Rung(pi, ci, i) => {
                let (p, c, rung) = (&site.pilots[pi], &site.pilots[pi].constraints[ci], &config.escalation[i]);
                let due = c.due.map(Date::text).unwrap_or_default();
                Entry {
                    id,
                    date,
                    title: format!("Escalated to {}: {} ({})", rung.to, c.title, p.title),
                    link: [base.as_str(), &crate::urls::constraint_parts(&p.id, &c.id).concat()].concat(),
                    summary: format!(
                        "“{}” was due {due} and is still open; {} days past due it escalates to {}. Owner: {}.",
                        c.title,
                        rung.after_days,
                        rung.to,
                        c.owner.as_deref().unwrap_or("nobody named")
                    ),
                }
            }
        })
        .collect();
    let title = format!("{} — updates and escalations", config.title);
    atom(&base, ("", "feed"), &title, crate::urls::FEED, entries, &config.title, site.as_of)
}

/// An Atom feed of `entries` (newest first) at `self_path` below `base`.
/// Its id is `base` and `id_path`, or `urn:pilotdeck:ID_NAME` without a base.
pub(crate) fn atom(
    base: &str,
    (id_path, id_name): (&str, &str),
    title: &str,
    self_path: &str,
    entries: Vec<Entry>,
    author: &str,
    as_of: Date,
) -> String {
    let updated = entries.first().map_or(as_of, |e| e.date);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let id = if base.is_empty() { format!("urn:pilotdeck:{id_name}") } else { [base, id_path].concat() };
    let _ = writeln!(out, "  <id>{}</id>", xml(&id));
    let _ = writeln!(out, "  <title>{}</title>", xml(title));
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(out, "  <author><name>{}</name></author>", xml(author));
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{}{}\"/>", xml(base), self_path);
    let _ = writeln!(out, "  <link rel=\"alternate\" href=\"{}\"/>", xml(if base.is_empty() { "./" } else { base }));
    let _ = writeln!(out, "  <generator>pilotdeck</generator>");
    for e in entries {
        let _ = writeln!(out, "  <entry>");
        let _ = writeln!(out, "    <id>{}</id>", xml(&e.id));
        let _ = writeln!(out, "    <title>{}</title>", xml(&e.title));
        let _ = writeln!(out, "    <updated>{}T00:00:00Z</updated>", e.date);
        let _ = writeln!(out, "    <link rel=\"alternate\" href=\"{}\"/>", xml(&e.link));
        let _ = writeln!(out, "    <summary>{}</summary>", xml(&e.summary));
        let _ = writeln!(out, "  </entry>");
    }
    out.push_str("</feed>\n");
    out
}

/// `sitemap.xml`: every page's address, sorted.
pub(crate) fn sitemap(site: &crate::model::Site, config: &crate::config::Config) -> String {
    let mut paths: Vec<String> = crate::urls::FIXED_PAGES.iter().map(|p| p.to_string()).collect();
    paths.extend(site.people.iter().map(|p| crate::urls::owner(&p.slug)));
    paths.extend(site.pilots.iter().map(|p| crate::urls::pilot(&p.id)));
    paths.extend(
        site.sections
            .iter()
            .filter(|s| !crate::urls::is_generated_section(&s.path))
            .map(|s| crate::urls::page(&s.path)),
    );
    paths.extend(site.pages.iter().map(|p| crate::urls::page(&p.path)));
    paths.sort();
    let base = if config.base_url.is_empty() { String::new() } else { config.base_url.clone() };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::escape::escaped(&crate::urls::absolute(&base, &[&p])));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole of `portfolio.json` as one value.
    #[derive(Serialize)]
    struct Whole<'a> {
        #[serde(flatten)]
        head: JsonHead<'a>,
        pilots: Vec<JsonPilot<'a>>,
        constraints: Vec<JsonConstraint<'a>>,
    }

    /// A list made in windows of chunks is the list serde_json writes,
    /// for lengths around a chunk's and a window's ends.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn json_elements_are_the_list_serde_json_writes() {
        for n in [0, 1, 2, 31, 32, 33, 255, 256, 257, 3000] {
            let items: Vec<u32> = (0..n).collect();
            let mut ours = b"[".to_vec();
            json_elements(&items, &mut ours, |i, buf| serde_json::to_writer(buf, &format!("{i}"))).unwrap();
            ours.push(b']');
            assert_eq!(ours, serde_json::to_vec(&items.iter().map(|i| format!("{i}")).collect::<Vec<_>>()).unwrap());
        }
    }

    /// `portfolio.json` is the bytes serde_json writes of the same
    /// document: the example site, and a generated one with hostile text.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn portfolio_json_is_what_serde_json_writes() {
        let example = tempfile::tempdir().unwrap();
        crate::theme::write_example_site(example.path());
        let generated = tempfile::tempdir().unwrap();
        crate::synth::write_site(generated.path(), 40, 3).unwrap();
        let odd = "+++\ntitle = \"Odd \\\" \\\\ \\t \\u0001 \\u001f <é> ✓\"\nstage = \"idea\"\nowner = \"A\\nB\"\n+++\nbody\n";
        std::fs::write(generated.path().join("content/pilots/odd.md"), odd).unwrap();
        for dir in [example.path(), generated.path()] {
            let opts = crate::pipeline::Options { root: dir.to_path_buf(), ..Default::default() };
            let a = crate::pipeline::analyse(&opts).unwrap();
            let order = Order::new(&a.site);
            let mut ours = Vec::new();
            json(&a.site, &a.config, &order, &mut ours).unwrap();
            let base = a.config.base_url.trim_end_matches('/');
            let whole = Whole {
                head: json_head(&a.site, &a.config),
                pilots: a.site.pilots.iter().map(|p| json_pilot(p, base)).collect(),
                constraints: (order.places().iter()).map(|&place| json_constraint(&a.site, &a.config, place)).collect(),
            };
            let mut theirs = serde_json::to_vec(&whole).unwrap();
            theirs.push(b'\n');
            assert!(ours == theirs, "portfolio.json of {} differs from serde_json's", dir.display());
            assert!(ours.len() > 1000);
        }
        let a = crate::pipeline::analyse(&crate::pipeline::Options {
            root: generated.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        let mut ours = Vec::new();
        json(&a.site, &a.config, &Order::new(&a.site), &mut ours).unwrap();
        assert!(String::from_utf8(ours).unwrap().contains(r#""title":"Odd \" \\ \t \u0001 \u001f <é> ✓""#));
    }

    proptest::proptest! {
        /// The eight-byte scan quotes exactly the fields that hold a comma,
        /// a quote or a line break, as the search for them did, and those
        /// that start like a formula, with a `'` in front.
        #[test]
        fn csv_fields_are_quoted_as_before(s in "[-=+@\t\r＝＋－＠]?(\\PC|[,\"\r\n=+@-])*") {
            let mut ours = String::new();
            csv_field(&mut ours, &s);
            let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
            let before = if formula {
                format!("\"'{}\"", s.replace('"', "\"\""))
            } else if s.contains([',', '"', '\r', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.clone()
            };
            proptest::prop_assert_eq!(ours, before);
        }
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        let mut s = String::new();
        csv_field(&mut s, "plain");
        s.push(',');
        csv_field(&mut s, "a, \"b\"\nc");
        assert_eq!(s, "plain,\"a, \"\"b\"\"\nc\"");
        let mut s = String::new();
        for cell in ["=1+1", "-3", "@SUM(A1)", "\tx", "+1", "a=1"] {
            csv_field(&mut s, cell);
            s.push(',');
        }
        assert_eq!(s, "\"'=1+1\",\"'-3\",\"'@SUM(A1)\",\"'\tx\",\"'+1\",a=1,");
    }
}

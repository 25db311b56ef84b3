//! Full-text search: an index written into the site under `search/data/`
//! and read by `search.js` in the browser (the header's box on every page,
//! and the search page), so that search works on an intranet with no
//! server code and no internet. Records are made from the model (plain
//! text), not by parsing the built pages: one per pilot, one per
//! lessons-learned section (so that a result lands on its section), one
//! per playbook or lesson page and per section with text of its own, one
//! per constraint (landing on its row on its pilot's page) and one per
//! person named in the records (landing on their owner page); each with
//! its kind, stage and tags for the filters.
//!
//! A record is found by every field a reader might type: a pilot by its
//! title, summary, function, stage, people (owner, sponsor, champion),
//! tags, success measure, integrations, updates and text; a constraint by
//! its title, category, owner, impact and recommended action (`ask`); a
//! page by its title, description, tags, `addresses` and text; a person by
//! their name.
//!
//! The index is inverted and split into shards by the first two characters
//! of each word, so that a query fetches only the shards of its words.
//! Every file but `meta.json` is JSON compressed in the zlib format
//! ([`pack`], `.zlib`), which the browser inflates: a fifth of the bytes
//! to write, keep and fetch.
//!
//! - `meta.json`: how many records, how many per chunk, the shard keys, the
//!   kinds, the stages (in the configured order) and tags, and where the
//!   constraints and the people begin in record order (`groups`): all the
//!   header's box needs before the shards;
//! - `f.zlib`: each record's filters (`[kind, stage or -1, tag...]`, as
//!   indexes into the lists of `meta.json`), read by the search page only;
//! - `w/KEY.zlib`: each word of the shard and its postings, a string of
//!   numbers ([`push_number`]), two for each record the word occurs in:
//!   the record's number as the difference from the one before, and how
//!   often the word occurs in it (at most 127) times two, plus one when it
//!   is in the title or a field that names what the record is (a
//!   constraint's category, a page's tags and `addresses`, a person's
//!   name);
//! - `d/N.zlib`: `[url, title, kind, passage...]` of each record of chunk
//!   `N`. The passages are what a result may show under its title: each a
//!   field of the record (the summary, a line of who and what, the impact,
//!   the start of the text...), cut to a few hundred characters, and
//!   `search.js` shows the one that holds the most words of the query,
//!   around the first of them, with the words marked.
//!
//! A word is a run of letters and digits (Unicode `Alphabetic` and
//! `Numeric`), lowercased the way Unicode lowercases a word (`Σ` at its end
//! is `ς`), and kept when it is at most 40 characters (Unicode scalar
//! values) long. `search.js` splits a query, and finds the words to mark
//! in a passage, by the same rule, and tests/tokenizer.rs feeds both the
//! same strings.

use crate::hash::{short_text, short_word, FastMap, Numbered};
use crate::model::{Constraint, Page, Person, Pilot, Section, Site};
use crate::output::Output;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Where the index is written, from the site root.
pub const DATA: &str = crate::urls::SEARCH_DATA;
/// Records per file of `d/`.
const CHUNK: usize = 500;
/// Characters (bytes, cut at a word) of a passage made of one field.
const FIELD: usize = 280;
/// Characters of a page's text kept as a passage: there are few pages,
/// and their text is what they are. A pilot keeps its summary, fields and
/// tags, not its text: the text of thousands of pilots would be most of
/// the index (a word found only there shows the summary, unmarked).
const PAGE_TEXT: usize = 2400;
/// Characters of a lessons-learned section kept as its passage: there is
/// one or more per pilot.
const LESSON_TEXT: usize = 400;
/// Longer runs (hashes, long numbers) are not words anyone types: the most
/// characters (Unicode scalar values, after lowercasing) of a word;
/// `MAX_WORD` in `search.js` is the same.
pub const MAX_WORD: usize = 40;
const KINDS: [&str; 5] = ["pilot", "lesson", "playbook", "constraint", "person"];
const PILOT: usize = 0;
const LESSON: usize = 1;
const PLAYBOOK: usize = 2;
const CONSTRAINT: usize = 3;
const PERSON: usize = 4;
const TITLE: u8 = 0x80;
/// The extension of the index's compressed files (see [`pack`]): one that
/// no web server maps to a `Content-Encoding` of its own.
pub const PACKED: &str = "zlib";
/// The compression level of [`pack`].
const LEVEL: u32 = 1;

/// What a record is drawn from: cheap to list, its text is made only when
/// it is indexed.
#[derive(Clone, Copy)]
enum Source<'a> {
    Pilot(&'a Pilot),
    Lessons(&'a Pilot, usize),
    Page(&'a Page),
    Section(&'a Section),
    Constraint(&'a Pilot, &'a Constraint),
    Person(&'a Person),
}

/// One searchable record.
#[derive(Default)]
pub struct Record<'a> {
    /// From the site root, without a leading slash (`pilots/a/#lessons-learned`).
    pub url: String,
    pub title: Cow<'a, str>,
    /// An index into `KINDS`.
    kind: usize,
    stage: Option<&'a str>,
    tags: &'a [String],
    /// Whether the title is also part of the text (of a pilot, a page, a
    /// section, a constraint): each of its words then counts twice, as a
    /// word of the title and as one of the text, from one reading.
    title_in_text: bool,
    /// Fields that say what the record is, besides its title (a
    /// constraint's category, a page's tags and `addresses`): their words
    /// weigh as the title's.
    pub names: Vec<Cow<'a, str>>,
    /// Everything else that is searched, in parts (each word is within one
    /// part).
    pub text: Vec<Cow<'a, str>>,
    /// What may be shown under the result (see the module's notes), the
    /// first when no other holds a word of the query.
    pub passages: Vec<Cow<'a, str>>,
    /// Room for text a record is made from but does not keep (a
    /// constraint's status, before it joins its line).
    spare: String,
}
impl<'a> Record<'a> {
    /// Begins the record anew, its lists and address emptied (their room
    /// kept): its address (in parts), title, whether the title is also
    /// part of its text ([`Record::title_in_text`]), kind, stage and tags.
    fn start(
        &mut self,
        url: &[&str],
        title: Cow<'a, str>,
        title_in_text: bool,
        kind: usize,
        stage: Option<&'a str>,
        tags: &'a [String],
    ) {
        self.url.clear();
        self.url.extend(url.iter().copied());
        self.names.clear();
        self.text.clear();
        self.passages.clear();
        (self.title, self.title_in_text, self.kind, self.stage, self.tags) = (title, title_in_text, kind, stage, tags);
    }
}

/// Text of an HTML fragment: tags dropped (each leaves a space), the
/// entities the Markdown renderer writes decoded.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            out.push(' ');
            rest = memchr::memchr(b'>', rest.as_bytes()).map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let entity = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e));
        match entity {
            Some((e, c)) => {
                out.push(c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a byte is to [`words`]: 0 a separator, 1 a lowercase ASCII letter
/// or digit, 2 an uppercase ASCII letter, 4 part of a character that is
/// not ASCII (decoded to be told). Bits, so that a run's classes can be
/// or-ed together.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 {
            4
        } else if b.is_ascii_lowercase() || b.is_ascii_digit() {
            1
        } else if b.is_ascii_uppercase() {
            2
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Calls `f` with each word of `text` (see the module's notes): the runs
/// of letters and digits, lowercased as `str::to_lowercase` does (as
/// JavaScript's `toLowerCase`), at most `MAX_WORD` characters.
///
/// Bytes are classed by a table. A run of ASCII letters and digits, the
/// most of any text, is read in one pass and needs no decoding; only a
/// run with bytes outside ASCII is decoded, character by character, to
/// split it where a character is not a letter or digit.
pub fn words(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut lower = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if CLASS[usize::from(bytes[i])] == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut classes = 0;
        while let Some(&b) = bytes.get(i) {
            let c = CLASS[usize::from(b)];
            if c == 0 {
                break;
            }
            classes |= c;
            i += 1;
        }
        // `start..i` lies between ASCII bytes (or the ends): whole characters.
        let run = &text[start..i];
        match classes {
            1 if run.len() <= MAX_WORD => f(run),
            1 => {}
            3 if run.len() <= MAX_WORD => {
                lower.clear();
                lower.extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                f(&lower);
            }
            3 => {}
            _ => unicode_words(run, &mut f),
        }
    }
}

/// The words of a run of ASCII letters and digits and other characters
/// (the part of [`words`] that decodes).
fn unicode_words(run: &str, f: &mut impl FnMut(&str)) {
    let mut rest = run;
    while !rest.is_empty() {
        let Some(start) = rest.find(char::is_alphanumeric) else { return };
        rest = &rest[start..];
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let w = &rest[..end];
        rest = &rest[end..];
        if w.chars().nth(MAX_WORD).is_none() {
            // The whole word at once (a final `Σ` is `ς`); lowercasing
            // never makes a word shorter, sometimes longer (`İ`).
            let l = w.to_lowercase();
            if l.chars().nth(MAX_WORD).is_none() {
                f(&l);
            }
        }
    }
}

/// A word's first two characters (one for a one-letter word): what
/// names its shard.
fn shard_head(word: &str) -> &str {
    &word[..word.char_indices().nth(2).map_or(word.len(), |(i, _)| i)]
}

/// The shard of a word: its first two characters (one for a one-letter
/// word), as they are when they are ASCII letters and digits, else `x` and
/// the hex of their UTF-8 bytes (`search.js` names shards the same way).
pub fn shard_key(word: &str) -> String {
    let head = shard_head(word);
    if head.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return head.to_string();
    }
    let mut key = String::from("x");
    for b in head.bytes() {
        let _ = write!(key, "{b:02x}");
    }
    key
}

/// `text` with its whitespace folded, cut at a word to at most `max`
/// bytes (and `…`). Most fields are short and written with single spaces:
/// they are passed through as they are, with no copy.
fn passage(text: &str, max: usize) -> Cow<'_, str> {
    let text = text.trim();
    if text.len() <= max && is_folded(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(max.min(text.len()) + 4);
    for w in text.split_whitespace() {
        if out.len() + w.len() + 1 > max {
            out.truncate(out.trim_end_matches(['.', ',', ';', ':']).len());
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    Cow::Owned(out)
}

/// Whether `text` (trimmed) has no whitespace but single spaces: no ASCII
/// control whitespace, no two spaces in a row, and none of Unicode's other
/// whitespace (decoded only at the lead bytes it can start with).
fn is_folded(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Each test a pass over all bytes with no early exit (loops the
    // compiler makes wide), or a search: no ASCII control whitespace, no
    // two spaces, and no other whitespace where a character that could be
    // one begins (`·`, which joins the lines of fields, begins with 0xc2).
    bytes.iter().fold(true, |none, &b| none & !(b'\t'..=b'\r').contains(&b))
        && bytes.iter().zip(bytes.iter().skip(1)).fold(true, |none, (&a, &b)| none & !(a == b' ' && b == b' '))
        && memchr::memchr3_iter(0xc2, 0xe1, 0xe2, bytes)
            .chain(memchr::memchr_iter(0xe3, bytes))
            .all(|i| !text[i..].starts_with(char::is_whitespace))
}

/// `label` and the items of `items` that are not empty, joined by ` · `;
/// nothing when there are none.
fn line<'s>(label: &str, items: impl IntoIterator<Item = &'s str>) -> Option<Cow<'static, str>> {
    line_of(label, items.into_iter().map(|item| ("", item)))
}

/// [`line()`] of items each a role and a text: `role TEXT` (`owner NAME`),
/// or the text alone when the role is empty; an item whose text is empty
/// (trimmed) is left out.
fn line_of<'s>(label: &str, items: impl IntoIterator<Item = (&'s str, &'s str)>) -> Option<Cow<'static, str>> {
    let mut out = String::with_capacity(label.len() + 80);
    out.push_str(label);
    let mut any = false;
    for (role, item) in items.into_iter().map(|(role, item)| (role, item.trim())).filter(|(_, s)| !s.is_empty()) {
        if any {
            out.push_str(" · ");
        }
        if !role.is_empty() {
            out.push_str(role);
            out.push(' ');
        }
        out.push_str(item);
        any = true;
    }
    if !any {
        return None;
    }
    match passage(&out, FIELD) {
        Cow::Borrowed(same) if same.len() == out.len() => Some(Cow::Owned(out)),
        cut => Some(Cow::Owned(cut.into_owned())),
    }
}

/// Every record of the site, in order; a record's number is its place here.
/// Constraints come overdue first, then open, then resolved: when a query
/// finds many alike, the pressing ones are listed first.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let constraints: usize = site.pilots.iter().map(|p| p.constraints.len()).sum();
    let mut all = Vec::with_capacity(site.pilots.len() * 2 + site.pages.len() + constraints + site.people.len());
    for p in &site.pilots {
        all.push(Source::Pilot(p));
        all.extend((0..p.body.lessons.len()).map(|i| Source::Lessons(p, i)));
    }
    all.extend(site.pages.iter().map(Source::Page));
    all.extend(
        site.sections
            .iter()
            .filter(|s| !crate::urls::is_generated_section(&s.path) && !s.body.html.is_empty())
            .map(Source::Section),
    );
    let rank = |c: &Constraint| match (c.overdue_days.is_some(), c.open) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => 2,
    };
    // One walk over the records, each constraint put with its rank.
    let mut later: [Vec<Source>; 2] = [Vec::new(), Vec::new()];
    for p in &site.pilots {
        for c in &p.constraints {
            let s = Source::Constraint(p, c);
            match rank(c) {
                0 => all.push(s),
                r => later[r - 1].push(s),
            }
        }
    }
    for rest in later {
        all.extend(rest);
    }
    all.extend(site.people.iter().map(Source::Person));
    all
}

impl<'a> Source<'a> {
    /// Writes into `d` what [`Source::fill`] makes the record from
    /// (besides what `memo` holds for every record): a pilot's record
    /// whole (by its digest), the fields of a lessons section, a
    /// constraint (whole) or a page or section that the record shows, a
    /// person and the titles of their pilots. Kept in step with `fill` by
    /// tests/search_memo.rs, which changes each and compares the index
    /// with one made from nothing.
    fn inputs(self, site: &Site, memo: &Memo, d: &mut crate::text::Digester) {
        match self {
            Source::Pilot(p) => {
                d.add(&[0]);
                d.add(&memo.record(p));
            }
            Source::Lessons(p, i) => {
                d.add(&[1]);
                d.add_str(&p.id);
                d.add_str(&p.title);
                d.add_str(&p.stage);
                d.add_list(&p.tags);
                let (id, html) = &p.body.lessons[i];
                d.add_str(id);
                d.add_str(html);
            }
            Source::Page(page) => {
                d.add(&[2]);
                d.add_str(&page.path);
                d.add_str(&page.title);
                d.add_opt(page.description.as_deref());
                d.add_list(&page.tags);
                d.add_list(&page.addresses);
                d.add_str(&page.body.html.text());
            }
            Source::Section(s) => {
                d.add(&[3]);
                d.add_str(&s.path);
                d.add_str(&s.title);
                d.add_opt(s.description.as_deref());
                d.add_str(&s.body.html.text());
            }
            Source::Constraint(p, c) => {
                d.add(&[4]);
                d.add_str(&p.id);
                d.add_str(&p.stage);
                crate::text::digest_unplaced(c, d);
            }
            Source::Person(person) => {
                d.add(&[5]);
                let _ = serde_json::to_writer(&mut *d, person);
                let pilots = person.owns.iter().chain(&person.sponsors).chain(&person.champions);
                for p in pilots.filter_map(|&i| site.pilots.get(i)) {
                    d.add_str(&p.title);
                }
            }
        }
    }

    /// The record of this source, made from nothing (see [`Source::fill`]).
    #[cfg(test)]
    fn record(self, site: &Site) -> Record<'a> {
        let mut r = Record::default();
        self.fill(site, &mut r);
        r
    }

    /// Makes `r` this source's record, in place: a run of records is made
    /// in one [`Record`], whose lists and address keep their room from one
    /// record to the next (most records are constraints, each of which
    /// took seven allocations of its own).
    fn fill(self, site: &Site, r: &mut Record<'a>) {
        fn some<S: AsRef<str>>(s: &Option<S>) -> Option<Cow<'_, str>> {
            s.as_ref().map(|s| Cow::Borrowed(s.as_ref()))
        }
        fn or_none(s: &Option<String>) -> &str {
            s.as_deref().unwrap_or("")
        }
        match self {
            Source::Pilot(p) => {
                r.start(
                    &crate::urls::pilot_parts(&p.id),
                    Cow::Borrowed(&p.title),
                    true,
                    PILOT,
                    Some(&p.stage),
                    &p.tags,
                );
                r.names.extend(p.tags.iter().map(|t| Cow::Borrowed(t.as_str())));
                let text = &mut r.text;
                text.push(Cow::Borrowed(&p.stage));
                text.extend(
                    [&p.summary, &p.function, &p.owner, &p.sponsor, &p.champion, &p.success]
                        .into_iter()
                        .filter_map(some),
                );
                for i in &p.integration {
                    text.push(Cow::Borrowed(&i.system));
                    text.extend(some(&i.notes));
                }
                for u in &p.updates {
                    text.extend([&u.completed, &u.blocker, &u.risk, &u.escalation].into_iter().filter_map(some));
                }
                let body = plain(&p.body.html.text());
                // What a reader types of a pilot, besides its title: its
                // summary (else the start of its text), who and what, tags.
                r.passages.push(match &p.summary {
                    Some(summary) => passage(summary, FIELD),
                    None => Cow::Owned(passage(&body, FIELD).into_owned()),
                });
                r.passages.extend(line_of(
                    "",
                    [
                        ("", or_none(&p.function)),
                        ("", &p.stage),
                        ("owner", or_none(&p.owner)),
                        ("sponsor", or_none(&p.sponsor)),
                        ("champion", or_none(&p.champion)),
                    ],
                ));
                r.passages.extend(line("Tags: ", p.tags.iter().map(String::as_str)));
                r.text.push(Cow::Owned(body));
            }
            Source::Lessons(p, i) => {
                let (id, html) = &p.body.lessons[i];
                let text = plain(html);
                let title = Cow::Owned(format!("{}: lessons learned", p.title));
                r.start(&[&crate::urls::pilot_section(&p.id, id)], title, false, LESSON, Some(&p.stage), &p.tags);
                r.passages.push(Cow::Owned(passage(&text, LESSON_TEXT).into_owned()));
                r.text.push(Cow::Owned(text));
            }
            Source::Page(page) => {
                let body = plain(&page.body.html.text());
                let kind = if page.path.starts_with(crate::urls::LESSONS) { LESSON } else { PLAYBOOK };
                r.start(&[&crate::urls::page(&page.path)], Cow::Borrowed(&page.title), true, kind, None, &page.tags);
                r.names.extend(page.tags.iter().chain(&page.addresses).map(|t| Cow::Borrowed(t.as_str())));
                r.passages.extend(page.description.as_deref().map(|d| passage(d, FIELD)));
                r.passages.extend(line("Addresses: ", page.addresses.iter().map(String::as_str)));
                r.passages.extend(line("Tags: ", page.tags.iter().map(String::as_str)));
                r.passages.push(Cow::Owned(passage(&body, PAGE_TEXT).into_owned()));
                r.text.extend(some(&page.description));
                r.text.push(Cow::Owned(body));
            }
            Source::Section(s) => {
                let body = plain(&s.body.html.text());
                r.start(&[&crate::urls::page(&s.path)], Cow::Borrowed(&s.title), true, PLAYBOOK, None, &[]);
                r.passages.extend(s.description.as_deref().map(|d| passage(d, FIELD)));
                r.passages.push(Cow::Owned(passage(&body, PAGE_TEXT).into_owned()));
                r.text.push(Cow::Owned(body));
            }
            Source::Constraint(p, c) => {
                let url = crate::urls::constraint_parts(&p.id, &c.id);
                r.start(&url, Cow::Borrowed(&c.title), true, CONSTRAINT, Some(&p.stage), &[]);
                r.names.push(Cow::Borrowed(&c.category));
                r.text.extend(some(&c.owner));
                r.text.extend([&c.impact, &c.ask].into_iter().filter_map(some));
                // The status is made in the record's spare text, then read
                // as an item of its line.
                r.spare.clear();
                crate::render::write_constraint_status(&mut r.spare, c, site.as_of);
                let status = line_of("", [("", c.category.as_str()), ("", &r.spare), ("owner", or_none(&c.owner))]);
                r.passages.extend(status);
                r.passages.extend(c.impact.as_deref().map(|i| passage(i, FIELD)));
            }
            Source::Person(person) => {
                let count = |n: usize, what: &str| match n {
                    0 => None,
                    1 => Some(format!("{what} of 1 pilot")),
                    n => Some(format!("{what} of {n} pilots")),
                };
                let constraints = match person.constraints.len() {
                    0 => None,
                    1 => Some("owner of 1 constraint".to_string()),
                    n => Some(format!("owner of {n} constraints")),
                };
                let roles = [
                    count(person.owns.len(), "owner"),
                    count(person.sponsors.len(), "sponsor"),
                    count(person.champions.len(), "champion"),
                    constraints,
                ];
                r.start(&[&crate::urls::owner(&person.slug)], Cow::Borrowed(&person.name), false, PERSON, None, &[]);
                r.passages.extend(line("", roles.iter().flatten().map(String::as_str)));
                let pilots = person.owns.iter().chain(&person.sponsors).chain(&person.champions);
                r.passages
                    .extend(line("Pilots: ", pilots.filter_map(|&i| site.pilots.get(i)).map(|p| p.title.as_str())));
            }
        }
    }
}

/// The records of a run a word occurs in, ascending, and its weight in
/// each: one number per record, its place in the run above the weight's 8
/// bits. One list, not a list of records beside one of weights: at 10,000
/// pilots of the realistic mix the runs' postings and their maps were 28
/// MB of the build's peak.
#[derive(Clone, Copy)]
struct Postings<'a>(&'a [u32]);

impl<'a> Postings<'a> {
    /// (record, weight), the record numbered from the run's first, `base`.
    fn iter(self, base: u32) -> impl Iterator<Item = (u32, u8)> + 'a {
        self.0.iter().map(move |&e| (base + (e >> 8), e as u8))
    }
}

/// A word's postings in one run, with the number of the run's first
/// record.
type Posted<'a> = (u32, Postings<'a>);

/// Words -> postings for a run of consecutive records.
///
/// Each word has a number ([`Numbered`]); each record's words are entries of
/// one list, in the order they come, and [`Inverted::finish`] sorts them
/// by word (counting, in one pass, keeping the records' order) into one
/// list of every word's postings in turn. A list for each word had been
/// grown word by word: a third of the time of adding a word was
/// allocating.
#[derive(Default, borsh::BorshSerialize, borsh::BorshDeserialize)]
struct Inverted {
    /// The number of the run's first record.
    base: u32,
    /// Each word's number, while adding.
    #[borsh(skip)]
    words: Numbered<Box<str>>,
    /// Each word and its number, once finished.
    listed: Vec<(Word, u32)>,
    /// By word, while adding: the record of its last entry (its place in
    /// the run) and where that entry is in `entries`, so that a word seen
    /// again in the same record is told without reading `entries`.
    #[borsh(skip)]
    last: Vec<(u32, u32)>,
    /// By word, once finished: where its postings begin in `postings`
    /// (and the end of the last word's after them).
    start: Vec<u32>,
    /// (word, entry) as they are added; empty once finished.
    #[borsh(skip)]
    entries: Vec<(u32, u32)>,
    /// Every word's postings, word after word (once finished).
    postings: Vec<u32>,
}

impl Inverted {
    /// Adds `times` occurrences of `word` in `record` (`flag` [`TITLE`] or
    /// 0).
    fn add(&mut self, record: u32, word: &str, flag: u8, times: u8) {
        let (id, new) = self.words.number(word);
        // A run is CHUNK records: its places fit in 24 bits.
        let at = record - self.base;
        debug_assert!(at < 1 << 24);
        let place = self.entries.len() as u32;
        if new {
            self.last.push((at, place));
        } else {
            let last = &mut self.last[id as usize];
            if last.0 == at {
                let e = &mut self.entries[last.1 as usize].1;
                let w = *e as u8;
                *e = at << 8 | u32::from(((w & !TITLE) + times).min(127) | (w & TITLE) | flag);
                return;
            }
            *last = (at, place);
        }
        self.entries.push((id, at << 8 | u32::from(times | flag)));
    }

    /// A word's weight in a record is how often it occurs there (in the
    /// title, the names and the text), at most 127, and [`TITLE`] when it is
    /// in the title or the names. Counting saturates, so the order of the
    /// parts does not matter; each word is first entered where the record
    /// first has it (its title first).
    fn add_record(&mut self, number: u32, r: &Record) {
        let times = if r.title_in_text { 2 } else { 1 };
        words(&r.title, |w| self.add(number, w, TITLE, times));
        for part in &r.names {
            words(part, |w| self.add(number, w, TITLE, 1));
        }
        for part in &r.text {
            words(part, |w| self.add(number, w, 0, 1));
        }
    }

    /// Sorts the entries into each word's postings (see the type's notes).
    fn finish(&mut self) {
        let mut start = vec![0u32; self.last.len() + 1];
        for &(id, _) in &self.entries {
            start[id as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut postings = vec![0u32; self.entries.len()];
        for &(id, entry) in &self.entries {
            let at = &mut next[id as usize];
            postings[*at as usize] = entry;
            *at += 1;
        }
        self.postings = postings;
        self.start = start;
        self.entries = Vec::new();
        self.last = Vec::new();
        let words = std::mem::take(&mut self.words);
        let short = words.short.into_iter().map(|(k, id)| (Word::Short(k), id));
        self.listed = short.chain(words.long.into_iter().map(|(w, id)| (Word::Long(w), id))).collect();
    }

    /// A word's postings, by its number (once finished).
    fn postings(&self, id: u32) -> Postings<'_> {
        Postings(&self.postings[self.start[id as usize] as usize..self.start[id as usize + 1] as usize])
    }

    /// This run's words by the shard they are in, each shard by the head
    /// of its words ([`Key::head`]) (once finished).
    fn by_shard(&self) -> FastMap<u64, Vec<(Key<'_>, Posted<'_>)>> {
        let mut out: FastMap<u64, Vec<(Key, Posted)>> = FastMap::default();
        for (word, id) in &self.listed {
            let key = match word {
                Word::Short(k) => Key::Short(*k),
                Word::Long(w) => Key::Long(w),
            };
            out.entry(key.head()).or_default().push((key, (self.base, self.postings(*id))));
        }
        out
    }
}

/// A word of a finished [`Inverted`]: short words ([`short_word`]) as a
/// number.
#[derive(borsh::BorshSerialize, borsh::BorshDeserialize)]
enum Word {
    Short(u128),
    Long(Box<str>),
}

/// A word as a run's [`Inverted`] holds it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Short(u128),
    Long(&'a str),
}

impl<'a> Key<'a> {
    fn text(self) -> Cow<'a, str> {
        match self {
            Key::Short(k) => Cow::Owned(short_word(k)),
            Key::Long(w) => Cow::Borrowed(w),
        }
    }

    /// The bytes of the word's first two characters as one number: what
    /// names its shard ([`shard_key`]), told apart with no text made (no
    /// byte of a letter or digit is 0, so no two heads are alike).
    fn head(self) -> u64 {
        let short;
        let word = match self {
            Key::Short(k) => {
                short = k.to_le_bytes();
                short_text(&short)
            }
            Key::Long(w) => w,
        };
        shard_head(word).bytes().rev().fold(0, |h, b| h << 8 | u64::from(b))
    }
}

/// A word of a shard and its postings in each run that has it, in order.
type ShardWord<'a> = (Cow<'a, str>, Vec<Posted<'a>>);

/// The words of all runs, by shard ([`shard_key`]), each with its postings
/// in every run that has it, in the runs' order. No postings are copied:
/// joining the runs' maps into one moved each posting once per level of
/// the join, and the one map grew past every cache.
fn shards<'a>(runs: &[&'a Inverted]) -> BTreeMap<String, Vec<ShardWord<'a>>> {
    let by_run: Vec<FastMap<u64, Vec<(Key, Posted)>>> = runs.par_iter().map(|r| r.by_shard()).collect();
    let mut heads: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut seen = crate::hash::FastSet::default();
    for &head in by_run.iter().flat_map(|m| m.keys()) {
        if seen.insert(head) {
            let bytes = head.to_le_bytes();
            let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
            heads.entry(shard_key(&String::from_utf8_lossy(&bytes[..len]))).or_default().push(head);
        }
    }
    let keys: Vec<(String, Vec<u64>)> = heads.into_iter().collect();
    keys.into_par_iter()
        .map(|(key, heads)| {
            let mut words: FastMap<Key, Vec<Posted>> = FastMap::default();
            for run in &by_run {
                for (word, p) in heads.iter().filter_map(|h| run.get(h)).flatten() {
                    words.entry(*word).or_default().push(*p);
                }
            }
            (key, words.into_iter().map(|(w, p)| (w.text(), p)).collect())
        })
        .collect()
}

/// The lists the filters offer, made from the site before any record: the
/// stages some pilot is at (in the configured order) and the tags (by
/// their lowercased name, shown as first written).
struct Lists<'a> {
    stages: Vec<&'a str>,
    tags: Vec<&'a str>,
    /// A tag as written -> its index in `tags`: a few tags recur across
    /// thousands of records, each is lowercased once.
    tag_index: FastMap<&'a str, usize>,
}

impl<'a> Lists<'a> {
    fn new(site: &'a Site) -> Self {
        let stages = site.portfolio.by_stage.iter().filter(|s| s.count > 0).map(|s| s.stage.as_str()).collect();
        let written = site.pilots.iter().flat_map(|p| &p.tags).chain(site.pages.iter().flat_map(|p| &p.tags));
        // Each tag as written, lowercased, and where it is first written:
        // one pass over the records, then one over the tags.
        let mut lowered: FastMap<&str, (String, usize)> = FastMap::default();
        for (n, t) in written.enumerate() {
            lowered.entry(t.as_str()).or_insert_with(|| (t.to_lowercase(), n));
        }
        let mut by_name: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for (t, (l, n)) in &lowered {
            let first = by_name.entry(l.as_str()).or_insert((*n, t));
            *first = (*first).min((*n, t));
        }
        let place: FastMap<&str, usize> = by_name.keys().enumerate().map(|(i, k)| (*k, i)).collect();
        let tag_index = lowered.iter().map(|(t, (l, _))| (*t, place[l.as_str()])).collect();
        let tags = by_name.into_values().map(|(_, t)| t).collect();
        Lists { stages, tags, tag_index }
    }

    /// A record's filters, `[kind,stage,tag...]`, appended to `out`.
    fn write_filters(&self, out: &mut String, r: &Record, t: &mut Vec<usize>) {
        let stage = r.stage.and_then(|s| self.stages.iter().position(|x| *x == s)).map_or(-1, |s| s as i64);
        // Numbers by `itoa`: `write!` took 3% of the index's instructions.
        let mut number = itoa::Buffer::new();
        out.push('[');
        out.push_str(number.format(r.kind));
        out.push(',');
        out.push_str(number.format(stage));
        t.clear();
        t.extend(r.tags.iter().filter_map(|tag| self.tag_index.get(tag.as_str())));
        t.sort_unstable();
        t.dedup();
        for i in t.iter() {
            out.push(',');
            out.push_str(number.format(*i));
        }
        out.push(']');
    }
}

/// Indexes the site and adds the index under [`DATA`]; returns the number
/// of records.
pub fn index(site: &Site, output: &mut Output) -> Result<usize, String> {
    let made = std::sync::Mutex::new(Output::default());
    let records = index_into(site, &|path, bytes| {
        made.lock().map_err(|e| e.to_string())?.add(path, bytes);
        Ok(())
    })?;
    output.files.append(&mut made.into_inner().map_err(|e| e.to_string())?.files);
    Ok(records)
}

/// A file of the index made: its path in the site and its bytes.
pub type Put<'a> = dyn Fn(String, Vec<u8>) -> Result<(), String> + Sync + 'a;

/// [`index`], handing each file to `put` as soon as it is made (from any
/// thread), so that a build writes each and holds none: at 10,000 pilots
/// of the realistic mix the `d/` and `w/` files were 8 MB of its peak.
pub fn index_into(site: &Site, put: &Put) -> Result<usize, String> {
    index_parts(site, put, None).map(|(n, _)| n)
}

/// What the index made of one run of [`CHUNK`] records, kept by a build
/// for the next (see [`index_remembering`]): a digest of what the run's
/// records are made from, its words and their postings, and its filters.
/// Its `d/` file is not held: it is in the site (`DATA/d/N.zlib`, N the
/// run's place).
#[derive(borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Part {
    inputs: u128,
    inverted: Inverted,
    filters: String,
}

/// The run `n` of the index before, if it was made from `inputs`: its part
/// and its `d/` file.
pub type Previous<'a> = dyn Fn(usize, u128) -> Option<(Part, Vec<u8>)> + Sync + 'a;

impl Part {
    /// The digest of what the run's records are made from.
    pub fn inputs(&self) -> u128 {
        self.inputs
    }

    /// Gives back what its lists hold beyond their length: borsh grows a
    /// long list as it reads it (it does not trust the length written),
    /// which left the postings of runs read back up to twice their size.
    pub fn shrink_to_fit(&mut self) {
        let inv = &mut self.inverted;
        inv.listed.shrink_to_fit();
        inv.start.shrink_to_fit();
        inv.postings.shrink_to_fit();
        self.filters.shrink_to_fit();
    }
}

/// [`index_into`], taking each run of records that `previous` has from
/// an index before with the same inputs: its words, `d/` file and filters
/// are not made again. `records` is the digest of each pilot record, in
/// `site.pilots`' order ([`crate::text::digest_unplaced`]). Returns the
/// number of records and this index's parts, for the next.
pub fn index_remembering(
    site: &Site,
    records: &[u128],
    previous: &Previous,
    put: &Put,
) -> Result<(usize, Vec<Part>), String> {
    index_parts(site, put, Some((records, previous)))
}

/// What the digest of a run's inputs is made from besides its records.
struct Memo<'a> {
    records: &'a [u128],
    /// Each pilot's place in `site.pilots`, by its address.
    places: FastMap<usize, usize>,
    /// The as-of date (a constraint's status) and the filters' lists.
    shared: u128,
}

impl Memo<'_> {
    /// A digest of what the records of run `n`, `chunk`, are made from.
    fn inputs(&self, site: &Site, n: usize, chunk: &[Source]) -> u128 {
        let mut d = crate::text::Digester::new();
        d.add(&self.shared.to_le_bytes());
        d.add(&(n as u64).to_le_bytes());
        for s in chunk {
            s.inputs(site, self, &mut d);
        }
        d.finish()
    }

    fn record(&self, p: &Pilot) -> [u8; 16] {
        let at = self.places.get(&(p as *const Pilot as usize)).copied();
        at.and_then(|i| self.records.get(i)).copied().unwrap_or(0).to_le_bytes()
    }
}

fn index_parts(site: &Site, put: &Put, memo: Option<(&[u128], &Previous)>) -> Result<(usize, Vec<Part>), String> {
    let mut timer = crate::timing::Timer::new();
    // Both walk every record, and wait on memory more than they compute:
    // side by side.
    let (sources, lists) = rayon::join(|| sources(site), || Lists::new(site));
    timer.lap("search: sources");
    let (memo, previous) = match memo {
        Some((records, previous)) => {
            let places = site.pilots.iter().enumerate().map(|(i, p)| (&**p as *const Pilot as usize, i)).collect();
            let mut d = crate::text::Digester::new();
            d.add_str(&site.as_of.to_string());
            d.add_list(&lists.stages);
            d.add_list(&lists.tags);
            (Some(Memo { records, places, shared: d.finish() }), Some(previous))
        }
        None => (None, None),
    };
    // A chunk of records at a time: its words, its `d/` file (packed) and
    // its part of `f`; no record is kept once written.
    let parts: Vec<Result<Part, String>> = sources
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let path = format!("{DATA}d/{n}.{PACKED}");
            let inputs = memo.as_ref().map_or(0, |m| m.inputs(site, n, chunk));
            if let Some((part, docs)) = previous.and_then(|previous| previous(n, inputs)) {
                put(path, docs)?;
                return Ok(part);
            }
            let mut inv = Inverted { base: (n * CHUNK) as u32, ..Inverted::default() };
            let mut docs = String::with_capacity(chunk.len() * 200);
            let mut filters = String::with_capacity(chunk.len() * 8);
            let mut t = Vec::new();
            let mut r = Record::default();
            docs.push('[');
            for (i, s) in chunk.iter().enumerate() {
                s.fill(site, &mut r);
                inv.add_record((n * CHUNK + i) as u32, &r);
                if i > 0 {
                    docs.push(',');
                    filters.push(',');
                }
                write_doc(&mut docs, &r);
                lists.write_filters(&mut filters, &r, &mut t);
            }
            docs.push(']');
            put(path, pack(&docs)?)?;
            inv.finish();
            Ok(Part { inputs, inverted: inv, filters })
        })
        .collect();
    timer.lap("search: records, words, d/");
    let parts = parts.into_iter().collect::<Result<Vec<Part>, String>>()?;
    let mut filters = String::from("[");
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            filters.push(',');
        }
        filters.push_str(&part.filters);
    }
    filters.push(']');
    let inverted: Vec<&Inverted> = parts.iter().map(|p| &p.inverted).collect();
    let shards = shards(&inverted);
    timer.lap("search: words by shard");
    let keys: Vec<String> = shards.keys().cloned().collect();
    // `f`, one file the size of all records' filters, beside the shards.
    let (words, filters) = rayon::join(
        || {
            shards
                .into_par_iter()
                .try_for_each(|(key, mut words)| put(format!("{DATA}w/{key}.{PACKED}"), pack(&shard_json(&mut words))?))
        },
        || put(format!("{DATA}f.{PACKED}"), pack(&filters)?),
    );
    words?;
    filters?;
    let first = |kind: fn(&Source) -> bool| sources.iter().position(kind).unwrap_or(sources.len());
    let groups = [first(|s| matches!(s, Source::Constraint(..))), first(|s| matches!(s, Source::Person(_)))];
    put(format!("{DATA}meta.json"), meta_json(&lists, sources.len(), groups, keys.iter()).into_bytes())?;
    timer.lap("search: w/ and f packed");
    let parts = if memo.is_some() { parts } else { Vec::new() };
    Ok((sources.len(), parts))
}

/// `json` compressed in the zlib format (RFC 1950), which `search.js`
/// inflates with the browser's `DecompressionStream("deflate")`. Level 1,
/// zlib-ng's quickest: on a 10,000-pilot index a quarter of the bytes, for
/// about 60% of level 2's instructions and 27% more bytes than it (see
/// docs/performance.md).
///
/// Each thread keeps its compressor ([`PACKER`]) and resets it for the
/// next file: making one for each file allocated and zeroed its window
/// and tables, some 300 KB, for files of a few KB (a third of the
/// instructions of packing, at 2,000 pilots).
pub fn pack(json: &str) -> Result<Vec<u8>, String> {
    PACKER.with(|packer| {
        let mut packer = packer.borrow_mut();
        packer.reset();
        let input = json.as_bytes();
        // About a quarter of the input is written: no copy as it grows.
        let mut out = Vec::with_capacity(input.len() / 3 + 64);
        loop {
            let read = usize::try_from(packer.total_in()).map_err(|e| e.to_string())?;
            match packer.compress_vec(&input[read..], &mut out, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity()),
                Err(e) => return Err(format!("cannot compress the index ({e})")),
            }
        }
        // Held until written: a `d/` file kept at the capacity above
        // would hold a third more than it is.
        out.shrink_to_fit();
        Ok(out)
    })
}

thread_local! {
    /// The compressor of [`pack`] on this thread.
    static PACKER: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(LEVEL), true));
}

/// Inflates what [`pack`] wrote (for tests and tools that read the index).
pub fn unpack(bytes: &[u8]) -> Result<String, String> {
    let mut inflate = flate2::Decompress::new(true);
    let mut out = Vec::with_capacity(bytes.len().max(64) * 4);
    loop {
        let read = usize::try_from(inflate.total_in()).map_err(|e| e.to_string())?;
        match inflate.decompress_vec(&bytes[read..], &mut out, flate2::FlushDecompress::Finish) {
            Ok(flate2::Status::StreamEnd) => return String::from_utf8(out).map_err(|e| e.to_string()),
            // Room was short: more, and on.
            Ok(_) if out.len() == out.capacity() => out.reserve(out.capacity()),
            Ok(_) if inflate.total_in() > read as u64 => {}
            Ok(_) => return Err("not an index file (it ends too soon)".to_string()),
            Err(e) => return Err(format!("not an index file ({e})")),
        }
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    out
}

/// `s` as a JSON string, appended to `out`: as it is between quotes when
/// nothing in it needs escaping (most text), else as serde_json writes it.
fn push_json_str(out: &mut String, s: &str) {
    // Every byte looked at, with no early exit: a loop the compiler makes
    // wide (most strings need no escape).
    if s.bytes().fold(true, |plain, b| plain & (b >= 0x20) & (b != b'"') & (b != b'\\')) {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    }
}

/// A shard's JSON: each word, in order, and its postings in every run
/// that has it, as one string of numbers ([`push_number`]).
fn shard_json(words: &mut [ShardWord]) -> String {
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::from("{");
    for (i, (word, runs)) in words.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, word);
        out.push_str(":\"");
        let mut last = 0;
        for (base, p) in runs {
            for (r, w) in p.iter(*base) {
                push_number(&mut out, r - last);
                push_number(&mut out, u32::from(w & !TITLE) << 1 | u32::from(w >> 7));
                last = r;
            }
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// The digits of a shard's numbers, in order of value: 64 characters that
/// a JSON string holds as they are (`DIGITS` in `search.js`).
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `n` appended to `out` five bits a digit, lowest first, each digit but
/// the last plus 32: most numbers of a shard take one or two characters.
fn push_number(out: &mut String, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(char::from(DIGITS[low]));
            return;
        }
        out.push(char::from(DIGITS[low | 32]));
    }
}

/// The postings of a word as a shard holds them, read back: `(record,
/// times, in a title)` (for tests and tools that read the index; the
/// browser's reader is `postings` in `search.js`).
pub fn postings(code: &str) -> Result<Vec<(u32, u8, bool)>, String> {
    let mut numbers = Vec::new();
    let (mut n, mut shift) = (0u64, 0);
    for c in code.bytes() {
        let v = DIGITS.iter().position(|&d| d == c).ok_or_else(|| format!("{:?} is not a digit", char::from(c)))?;
        n |= ((v & 31) as u64) << shift;
        shift += 5;
        if v < 32 {
            numbers.push(u32::try_from(n).map_err(|e| e.to_string())?);
            (n, shift) = (0, 0);
        } else if shift > 35 {
            return Err("a number too long".into());
        }
    }
    if shift > 0 || numbers.len() % 2 == 1 {
        return Err("cut short".into());
    }
    let mut record = 0u32;
    numbers
        .chunks(2)
        .map(|pair| {
            record = record.checked_add(pair[0]).ok_or("a record number too large")?;
            Ok((record, (pair[1] >> 1) as u8, pair[1] & 1 == 1))
        })
        .collect()
}

/// A record of `d/N.json`, `[url, title, kind, passage...]`, appended to `out`.
fn write_doc(out: &mut String, r: &Record) {
    out.push('[');
    push_json_str(out, &r.url);
    out.push(',');
    push_json_str(out, &r.title);
    out.push(',');
    out.push_str(itoa::Buffer::new().format(r.kind));
    for p in &r.passages {
        out.push(',');
        push_json_str(out, p);
    }
    out.push(']');
}

/// `meta.json`: how many records, where the constraints and the people
/// begin, the lists the filters offer and the shards. Written as
/// `serde_json::json!` would write it (a test holds it so): keys sorted.
fn meta_json<'a>(
    lists: &Lists,
    records: usize,
    groups: [usize; 2],
    shards: impl Iterator<Item = &'a String>,
) -> String {
    let list = |out: &mut String, items: &mut dyn Iterator<Item = String>| {
        out.push('[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&item);
        }
        out.push(']');
    };
    let mut out = format!("{{\"chunk\":{CHUNK},\"groups\":[{},{}],\"kinds\":", groups[0], groups[1]);
    list(&mut out, &mut KINDS.iter().map(|k| json_str(k)));
    let _ = write!(out, ",\"records\":{records},\"shards\":");
    list(&mut out, &mut shards.map(|s| json_str(s)));
    out.push_str(",\"stages\":");
    list(&mut out, &mut lists.stages.iter().map(|s| json_str(s)));
    out.push_str(",\"tags\":");
    list(&mut out, &mut lists.tags.iter().map(|t| json_str(t)));
    out.push_str(",\"version\":3}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_of_html() {
        assert_eq!(plain("<p>a &amp; <b>b</b> &lt;c&gt; &quot;d&#39; &x</p>"), " a &  b  <c> \"d' &x ");
        assert_eq!(plain("no tags"), "no tags");
        assert_eq!(plain("cut <a href"), "cut  ");
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_lowercased() {
        let mut all = Vec::new();
        words("ERP-Integration: v2 Café's  données", |w| all.push(w.to_string()));
        assert_eq!(all, ["erp", "integration", "v2", "café", "s", "données"]);
    }

    /// What `words` must find: a split at every character that is not a
    /// letter or digit, lowercased, long runs left out.
    fn split(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| !w.is_empty() && w.chars().count() <= MAX_WORD)
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
        #[test]
        fn words_of_any_text_match_a_split(text in "\\PC{0,80}|[a-zA-Z0-9 _é-]{0,80}|[a-zA-Z0-9 _.é🙂-]{60,300}") {
            let mut got = Vec::new();
            words(&text, |w| got.push(w.to_string()));
            proptest::prop_assert_eq!(got, split(&text));
        }
    }

    #[test]
    fn words_match_a_split_on_characters() {
        let long = "x".repeat(MAX_WORD + 1);
        let exact = "y".repeat(MAX_WORD);
        let texts = [
            "",
            "  ",
            "ERP-Integration: v2 Café's  données",
            "İstanbul ΣΊΣΥΦΟΣ straße ǅemal ﬁne",
            "日本語のテキスト、中文。 ١٢٣ x²  ½ Ⅻ",
            "tab\there\nnew-line_under_score",
            "emoji 🙂 inside🙂word and \u{0301}combining e\u{0301}",
            &long,
            &exact,
            "a",
            "9",
        ];
        for text in texts {
            let mut got = Vec::new();
            words(text, |w| got.push(w.to_string()));
            assert_eq!(got, split(text), "{text:?}");
        }
    }

    #[test]
    fn shard_keys_name_files_safely() {
        assert_eq!(shard_key("renewal"), "re");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("2026"), "20");
        assert_eq!(shard_key("écart"), "xc3a963");
        assert_eq!(shard_key("ü"), "xc3bc");
    }

    proptest::proptest! {
        #[test]
        fn folded_means_single_spaces_only(text in "\\PC{0,60}|[ ·a\\t\\n\\u{a0}\\u{85}\\u{2000}\\u{3000}é\\r\\u{b}]{0,30}") {
            let trimmed = text.trim();
            let folded = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_folded(trimmed), folded == trimmed, "{:?}", trimmed);
        }
    }

    #[test]
    fn passages_stop_at_a_word() {
        let long = "word ".repeat(100);
        let e = passage(&long, FIELD);
        assert!(e.len() <= FIELD + '…'.len_utf8() && e.ends_with("word…"), "{e}");
        assert_eq!(passage("  a\n b  ", FIELD), "a b");
        assert!(passage(&"end. ".repeat(100), FIELD).ends_with("end. end…"));
        assert_eq!(line("Tags: ", ["a", " ", "b"]).as_deref(), Some("Tags: a · b"));
        assert_eq!(line("Tags: ", [""]), None);
    }

    #[test]
    fn postings_count_words_and_mark_titles() {
        let mut inv = Inverted::default();
        for (n, title, text) in [(0, "Claims triage", "claims claims queue"), (3, "Other", "claims")] {
            inv.add_record(n, &record_of(title, true, "Queue", text.to_string()));
        }
        inv.finish();
        let claims = inv.get("claims");
        assert_eq!(claims.iter(0).collect::<Vec<_>>(), [(0, TITLE | 4), (3, 1)]);
        let json =
            shard_json(&mut [("queue".into(), vec![(0, inv.get("queue"))]), ("claims".into(), vec![(0, claims)])]);
        // A word of a field that names the record weighs as the title's.
        assert_eq!(json, r#"{"claims":"AJDC","queue":"AFDD"}"#);
        assert_eq!(postings("AJDC").unwrap(), [(0, 4, true), (3, 1, false)]);
    }

    /// A pilot's record of `title`, one name and one part of text.
    fn record_of(title: &str, title_in_text: bool, name: &'static str, text: String) -> Record<'static> {
        Record {
            title: Cow::Owned(title.to_string()),
            title_in_text,
            names: vec![Cow::Borrowed(name)],
            text: vec![Cow::Owned(text)],
            ..Record::default()
        }
    }

    #[test]
    fn a_title_in_the_text_weighs_as_if_read_twice() {
        // Read once with `title_in_text`, or as a title and again as the
        // first part of the text: the same entries, in the same order,
        // with the same weights (past the cap of 127 too).
        let long = "queue ".repeat(130);
        for (title, text) in [("Claims triage claims", "claims queue"), ("Queue", long.as_str()), ("", "a b a")] {
            let once = record_of(title, true, "Triage", text.to_string());
            let mut twice = record_of(title, false, "Triage", title.to_string());
            twice.text.push(Cow::Owned(text.to_string()));
            let [mut a, mut b] = [Inverted::default(), Inverted::default()];
            a.add_record(7, &once);
            b.add_record(7, &twice);
            assert!(!a.entries.is_empty());
            assert_eq!(a.entries, b.entries, "{title:?} {text:?}");
            a.finish();
            b.finish();
            assert_eq!((&a.start, &a.postings), (&b.start, &b.postings));
        }
        let mut inv = Inverted::default();
        inv.add_record(0, &record_of("Queue", true, "Triage", "queue ".repeat(130)));
        inv.finish();
        assert_eq!(inv.get("queue").0, [u32::from(TITLE | 127)], "counts stop at 127");
    }

    #[test]
    fn shard_numbers_and_packed_files_read_back() {
        let mut code = String::new();
        let numbers = [0, 1, 31, 32, 1023, 1024, 4_000_000, u32::MAX - 4_002_111];
        for n in numbers {
            push_number(&mut code, n);
            push_number(&mut code, 2);
        }
        assert_eq!(&code[..6], "ACBCfC", "0, 1 and 31 take one digit each");
        let read: Vec<u32> = postings(&code).unwrap().iter().map(|p| p.0).collect();
        let mut sum = 0u32;
        let want: Vec<u32> = numbers
            .iter()
            .map(|&n| {
                sum = sum.wrapping_add(n);
                sum
            })
            .collect();
        assert_eq!(read, want);
        assert!(postings("A").is_err() && postings("g").is_err() && postings("A!").is_err());
        assert!(postings(&format!("{code}BC")).is_err(), "past u32::MAX");
        let json = r#"{"claims":"AJDC","é":"A\"B"}"#.repeat(50);
        let packed = pack(&json).unwrap();
        assert_eq!(packed[0], 0x78, "the zlib format, as search.js tells it");
        assert!(packed.len() < json.len() / 10);
        assert_eq!(unpack(&packed).unwrap(), json);
        assert_eq!(pack(&json).unwrap(), packed, "the same bytes each time");
        assert!(unpack(b"[1,2]").is_err());
    }

    /// `meta.json` and `f.json` are the values the filters need, as
    /// `serde_json::json!` made them before they were written directly.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn meta_and_filters_are_the_values_json_made() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site(dir.path(), 30, 5).unwrap();
        let opts = crate::pipeline::Options { root: dir.path().to_path_buf(), ..Default::default() };
        let mut site = std::sync::Arc::try_unwrap(crate::pipeline::analyse(&opts).unwrap().site).unwrap();
        // Tags alike but for case, and one that needs escaping.
        let first = std::sync::Arc::make_mut(&mut site.pilots[0]);
        first.tags.extend(["Ünïcode".to_string(), "ünïcode".to_string(), "a\"b".to_string()]);
        let mut out = Output::default();
        let records = index(&site, &mut out).unwrap();
        let json = |path: &str| -> serde_json::Value {
            match &out.files[&format!("{DATA}{path}")] {
                crate::output::Content::Bytes(b) if path.ends_with(PACKED) => {
                    serde_json::from_str(&unpack(b).unwrap()).unwrap()
                }
                crate::output::Content::Bytes(b) => serde_json::from_slice(b).unwrap(),
                _ => unreachable!(),
            }
        };
        let all: Vec<Record> = sources(&site).into_iter().map(|s| s.record(&site)).collect();
        assert_eq!(all.len(), records);
        let stages: Vec<&str> =
            site.portfolio.by_stage.iter().filter(|s| s.count > 0).map(|s| s.stage.as_str()).collect();
        let mut tags: BTreeMap<String, &str> = BTreeMap::new();
        for r in &all {
            for t in r.tags {
                tags.entry(t.to_lowercase()).or_insert(t);
            }
        }
        let tag_index: std::collections::HashMap<&str, usize> =
            tags.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let filters: Vec<Vec<i64>> = all
            .iter()
            .map(|r| {
                let stage = r.stage.and_then(|s| stages.iter().position(|x| *x == s));
                let mut f = vec![r.kind as i64, stage.map_or(-1, |s| s as i64)];
                let mut t: Vec<i64> =
                    r.tags.iter().filter_map(|t| tag_index.get(t.to_lowercase().as_str())).map(|&i| i as i64).collect();
                t.sort_unstable();
                t.dedup();
                f.extend(t);
                f
            })
            .collect();
        let shards: Vec<String> = out
            .files
            .keys()
            .filter_map(|k| {
                k.strip_prefix(&format!("{DATA}w/"))
                    .and_then(|k| k.strip_suffix(&format!(".{PACKED}")))
                    .map(String::from)
            })
            .collect();
        let groups = [
            all.iter().position(|r| r.kind == CONSTRAINT).unwrap(),
            all.iter().position(|r| r.kind == PERSON).unwrap(),
        ];
        assert!(all[groups[0]..groups[1]].iter().all(|r| r.kind == CONSTRAINT));
        assert!(all[groups[1]..].iter().all(|r| r.kind == PERSON));
        let want = serde_json::json!({
            "version": 3,
            "records": records,
            "groups": groups,
            "chunk": CHUNK,
            "shards": shards,
            "kinds": KINDS,
            "stages": stages,
            "tags": tags.values().collect::<Vec<_>>(),
        });
        assert_eq!(json("meta.json"), want);
        assert_eq!(json("f.zlib"), serde_json::json!(filters));
        assert!(tags.contains_key("ünïcode") && tags.contains_key("a\"b"));
        // Each record of `d/` is its url, title, kind and passages.
        let docs = json("d/0.zlib");
        assert_eq!(docs[0][0], all[0].url.as_str());
        assert_eq!(docs[0][1], &*all[0].title);
        assert_eq!(docs[0][2], all[0].kind);
        assert_eq!(docs[0].as_array().unwrap().len(), 3 + all[0].passages.len());
        // Every kind is there: pilots, lessons, playbook, constraints, people.
        for (kind, name) in KINDS.iter().enumerate() {
            assert!(all.iter().any(|r| r.kind == kind), "{name}");
        }
    }

    #[test]
    fn runs_join_by_shard_in_record_order() {
        let mut a = Inverted::default();
        a.add(1, "x", 0, 1);
        a.add(2, "a-word-of-sixteen", 0, 1);
        a.add(2, "été", 0, 1);
        let mut b = Inverted::default();
        b.add(5, "x", 0, 1);
        b.add(5, "y", TITLE, 1);
        b.add(6, "a-word-of-sixteen", TITLE, 1);
        b.add(6, "fifteen-letters", 0, 1);
        b.add(7, "étés", 0, 1);
        b.add(7, "xylophone", 0, 1);
        a.finish();
        b.finish();
        let runs = [a, b];
        let shards = shards(&[&runs[0], &runs[1]]);
        let keys: Vec<&str> = shards.keys().map(String::as_str).collect();
        assert_eq!(keys, ["fi", "x", "x612d", "xc3a974", "xy", "y"]);
        let records = |shard: &str, word: &str| -> Vec<u32> {
            let (_, runs) = shards[shard].iter().find(|(w, _)| w == word).unwrap();
            runs.iter().flat_map(|(base, p)| p.iter(*base).map(|(r, _)| r)).collect()
        };
        assert_eq!(records("x", "x"), [1, 5]);
        assert_eq!(records("x612d", "a-word-of-sixteen"), [2, 6]);
        assert_eq!(records("xc3a974", "été"), [2]);
        assert_eq!(records("xc3a974", "étés"), [7]);
        let mut x = shards["x"].clone();
        // Numbers continue from one run to the next: 1, then 5 is 4 on.
        assert_eq!(shard_json(&mut x), r#"{"x":"BCEC"}"#);
        for (key, words) in &shards {
            assert!(words.iter().all(|(w, _)| shard_key(w) == *key), "{key}");
        }
        let long = |w: &str| runs[1].listed.iter().any(|(word, _)| matches!(word, Word::Long(l) if &**l == w));
        assert!(long("a-word-of-sixteen") && !long("fifteen-letters"));
    }

    impl Inverted {
        fn get(&self, word: &str) -> Postings<'_> {
            let short = crate::hash::short_key(word);
            let id = self.listed.iter().find_map(|(w, id)| match (w, short) {
                (Word::Short(k), Some(key)) if *k == key => Some(*id),
                (Word::Long(l), None) if &**l == word => Some(*id),
                _ => None,
            });
            self.postings(id.unwrap())
        }
    }
}

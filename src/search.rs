//! Full-text search: an index written into the site under `search/data/`
//! and read by `search.js` in the browser, so that search works on an
//! intranet with no server code and no internet. Records are made from the
//! model (plain text), not by parsing the built pages: one per pilot, one
//! per lessons-learned section (so that a result lands on its section), one
//! per playbook or lesson page and per section with text of its own; each
//! with its kind, stage and tags for the filters.
//!
//! The index is inverted and split into shards by the first two characters
//! of each word, so that a query fetches only the shards of its words:
//!
//! - `meta.json`: how many records, how many per chunk, the shard keys, the
//!   kinds, the stages (in the configured order) and tags, and each
//!   record's filters (`[kind, stage or -1, tag...]`, as indexes into those
//!   lists);
//! - `w/KEY.json`: each word of the shard and its postings, a flat list
//!   `[record, weight, record, weight, ...]` in which each record number
//!   is the difference from the one before, and the weight is how often the
//!   word occurs in the record (at most 127), plus 128 when it is in the
//!   title;
//! - `d/N.json`: `[url, title, excerpt]` of each record of chunk `N`.
//!
//! A word is a run of letters and digits (Unicode `Alphabetic` and
//! `Numeric`), lowercased the way Unicode lowercases a word (`Σ` at its end
//! is `ς`), and kept when it is at most 40 characters (Unicode scalar
//! values) long. `search.js` splits a query by the same rule, and
//! tests/tokenizer.rs feeds both the same strings.

use crate::hash::FastMap;
use crate::model::{Page, Pilot, Section, Site};
use crate::output::Output;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Where the index is written, from the site root.
pub const DATA: &str = crate::urls::SEARCH_DATA;
/// Records per file of `d/`.
const CHUNK: usize = 500;
/// Characters of text shown under a result.
const EXCERPT: usize = 220;
/// Longer runs (hashes, long numbers) are not words anyone types: the most
/// characters (Unicode scalar values, after lowercasing) of a word;
/// `MAX_WORD` in `search.js` is the same.
pub const MAX_WORD: usize = 40;
const KINDS: [&str; 3] = ["pilot", "lesson", "playbook"];
const TITLE: u8 = 0x80;

/// What a record is drawn from: cheap to list, its text is made only when
/// it is indexed.
#[derive(Clone, Copy)]
enum Source<'a> {
    Pilot(&'a Pilot),
    Lessons(&'a Pilot, usize),
    Page(&'a Page),
    Section(&'a Section),
}

/// One searchable record.
pub struct Record<'a> {
    /// From the site root, without a leading slash (`pilots/a/#lessons-learned`).
    pub url: String,
    pub title: String,
    /// An index into `KINDS`.
    kind: usize,
    stage: Option<&'a str>,
    tags: &'a [String],
    /// Everything that is searched, title included, in parts (each word is
    /// within one part).
    pub text: Vec<Cow<'a, str>>,
    pub excerpt: String,
}

/// Text of an HTML fragment: tags dropped (each leaves a space), the
/// entities the Markdown renderer writes decoded.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            out.push(' ');
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
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
/// or digit, 2 an uppercase ASCII letter, 3 part of a character that is
/// not ASCII (decoded to be told).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 {
            3
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
/// JavaScript's `toLowerCase`), at most `MAX_WORD` characters. ASCII is
/// classed by a table; only other characters are decoded.
pub fn words(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut lower = String::new();
    // Whether the character at `i` (not ASCII) is a letter or digit, and its length.
    let other = |i: usize| text[i..].chars().next().map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()));
    let mut i = 0;
    while i < bytes.len() {
        match CLASS[usize::from(bytes[i])] {
            0 => {
                i += 1;
                continue;
            }
            3 => {
                let (alnum, len) = other(i);
                if !alnum {
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        let start = i;
        // Lowercase ASCII letters and digits need no lowercasing.
        let mut plain = true;
        while let Some(&b) = bytes.get(i) {
            match CLASS[usize::from(b)] {
                1 => i += 1,
                2 => {
                    plain = false;
                    i += 1;
                }
                3 => {
                    let (alnum, len) = other(i);
                    if !alnum {
                        break;
                    }
                    plain = false;
                    i += len;
                }
                _ => break,
            }
        }
        let w = &text[start..i];
        if plain {
            if w.len() <= MAX_WORD {
                f(w);
            }
        } else if w.is_ascii() {
            if w.len() <= MAX_WORD {
                lower.clear();
                lower.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                f(&lower);
            }
        } else if w.chars().nth(MAX_WORD).is_none() {
            // The whole word at once (a final `Σ` is `ς`); lowercasing
            // never makes a word shorter, sometimes longer (`İ`).
            let l = w.to_lowercase();
            if l.chars().nth(MAX_WORD).is_none() {
                f(&l);
            }
        }
    }
}

/// The shard of a word: its first two characters (one for a one-letter
/// word), as they are when they are ASCII letters and digits, else `x` and
/// the hex of their UTF-8 bytes (`search.js` names shards the same way).
pub fn shard_key(word: &str) -> String {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    let head = &word[..end];
    if head.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return head.to_string();
    }
    let mut key = String::from("x");
    for b in head.bytes() {
        let _ = write!(key, "{b:02x}");
    }
    key
}

/// A short text under a result: the start of `text`, whitespace folded,
/// cut at a word.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.len() + w.len() > EXCERPT {
            out.truncate(out.trim_end_matches(['.', ',', ';', ':']).len());
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Every record of the site, in order; a record's number is its place here.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let mut all = Vec::with_capacity(site.pilots.len() * 2 + site.pages.len());
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
    all
}

impl<'a> Source<'a> {
    fn record(self) -> Record<'a> {
        match self {
            Source::Pilot(p) => {
                let mut text: Vec<Cow<str>> = vec![Cow::Borrowed(&p.title)];
                let some = |s: &'a Option<String>| s.as_deref().map(Cow::Borrowed);
                text.extend([&p.summary, &p.function, &p.owner, &p.success].into_iter().filter_map(some));
                for c in &p.constraints {
                    text.push(Cow::Borrowed(&c.title));
                    text.extend(some(&c.impact));
                    text.extend(some(&c.ask));
                }
                for u in &p.updates {
                    text.extend([&u.completed, &u.blocker, &u.risk, &u.escalation].into_iter().filter_map(some));
                }
                let body = plain(&p.body.html);
                let excerpt = excerpt(p.summary.as_deref().unwrap_or(&body));
                text.push(Cow::Owned(body));
                Record {
                    url: crate::urls::pilot(&p.id),
                    title: p.title.clone(),
                    kind: 0,
                    stage: Some(&p.stage),
                    tags: &p.tags,
                    excerpt,
                    text,
                }
            }
            Source::Lessons(p, i) => {
                let (id, html) = &p.body.lessons[i];
                let text = plain(html);
                Record {
                    url: crate::urls::pilot_section(&p.id, id),
                    title: format!("{}: lessons learned", p.title),
                    kind: 1,
                    stage: Some(&p.stage),
                    tags: &p.tags,
                    excerpt: excerpt(&text),
                    text: vec![Cow::Owned(text)],
                }
            }
            Source::Page(page) => {
                let body = plain(&page.body.html);
                let excerpt = excerpt(page.description.as_deref().unwrap_or(&body));
                let text = [Some(Cow::Borrowed(page.title.as_str())), page.description.as_deref().map(Cow::Borrowed)];
                Record {
                    url: crate::urls::page(&page.path),
                    title: page.title.clone(),
                    kind: if page.path.starts_with(crate::urls::LESSONS) { 1 } else { 2 },
                    stage: None,
                    tags: &page.tags,
                    excerpt,
                    text: text.into_iter().flatten().chain([Cow::Owned(body)]).collect(),
                }
            }
            Source::Section(s) => {
                let body = plain(&s.body.html);
                Record {
                    url: crate::urls::page(&s.path),
                    title: s.title.clone(),
                    kind: 2,
                    stage: None,
                    tags: &[],
                    excerpt: excerpt(s.description.as_deref().unwrap_or(&body)),
                    text: vec![Cow::Borrowed(&s.title), Cow::Owned(body)],
                }
            }
        }
    }
}

/// The records a word occurs in, ascending, and its weight in each.
#[derive(Default)]
struct Postings {
    records: Vec<u32>,
    weights: Vec<u8>,
}

/// Words -> postings for a run of consecutive records.
#[derive(Default)]
struct Inverted(FastMap<Box<str>, Postings>);

impl Inverted {
    fn add(&mut self, record: u32, word: &str, title: bool) {
        let p = match self.0.get_mut(word) {
            Some(p) => p,
            None => self.0.entry(word.into()).or_default(),
        };
        let flag = if title { TITLE } else { 0 };
        match (p.records.last(), p.weights.last_mut()) {
            (Some(&last), Some(w)) if last == record => *w = ((*w & !TITLE) + 1).min(127) | (*w & TITLE) | flag,
            _ => {
                p.records.push(record);
                p.weights.push(1 | flag);
            }
        }
    }

    fn add_record(&mut self, number: u32, r: &Record) {
        words(&r.title, |w| self.add(number, w, true));
        for part in &r.text {
            words(part, |w| self.add(number, w, false));
        }
    }

    /// Appends `later`, whose records all come after this one's.
    fn append(mut self, later: Inverted) -> Inverted {
        for (word, p) in later.0 {
            let to = self.0.entry(word).or_default();
            to.records.extend(p.records);
            to.weights.extend(p.weights);
        }
        self
    }
}

/// What the browser needs of a record besides its words.
struct Meta<'a> {
    url: String,
    title: String,
    excerpt: String,
    kind: usize,
    stage: Option<&'a str>,
    tags: &'a [String],
}

/// Indexes the site and adds the index under [`DATA`]; returns the number
/// of records.
pub fn index(site: &Site, output: &mut Output) -> Result<usize, String> {
    let sources = sources(site);
    let (inverted, metas) = sources
        .par_iter()
        .enumerate()
        .fold(
            || (Inverted::default(), Vec::new()),
            |(mut inv, mut metas), (i, s)| {
                let r = s.record();
                inv.add_record(i as u32, &r);
                metas.push(Meta {
                    url: r.url,
                    title: r.title,
                    excerpt: r.excerpt,
                    kind: r.kind,
                    stage: r.stage,
                    tags: r.tags,
                });
                (inv, metas)
            },
        )
        .reduce(
            || (Inverted::default(), Vec::new()),
            |(a, mut ma), (b, mb)| {
                ma.extend(mb);
                (a.append(b), ma)
            },
        );
    let mut shards: BTreeMap<String, Vec<(&str, &Postings)>> = BTreeMap::new();
    for (word, p) in &inverted.0 {
        shards.entry(shard_key(word)).or_default().push((word, p));
    }
    // The meta file (one pass over every record) beside the others.
    let (files, meta): (Vec<(String, String)>, String) = rayon::join(
        || {
            shards
                .par_iter()
                .map(|(key, words)| (format!("{DATA}w/{key}.json"), shard_json(words)))
                .chain(
                    metas
                        .par_chunks(CHUNK)
                        .enumerate()
                        .map(|(n, chunk)| (format!("{DATA}d/{n}.json"), docs_json(chunk))),
                )
                .collect()
        },
        || meta_json(site, &metas, shards.keys()),
    );
    output.add(format!("{DATA}meta.json"), meta);
    for (path, json) in files {
        output.add(path, json);
    }
    Ok(metas.len())
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn shard_json(words: &[(&str, &Postings)]) -> String {
    let mut words = words.to_vec();
    words.sort_unstable_by_key(|(w, _)| *w);
    let mut out = String::from("{");
    for (i, (word, p)) in words.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_str(word));
        out.push_str(":[");
        let mut last = 0;
        for (j, (&r, &w)) in p.records.iter().zip(&p.weights).enumerate() {
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{},{w}", r - last);
            last = r;
        }
        out.push(']');
    }
    out.push('}');
    out
}

fn docs_json(chunk: &[Meta]) -> String {
    let rows: Vec<[&str; 3]> = chunk.iter().map(|m| [m.url.as_str(), &m.title, &m.excerpt]).collect();
    serde_json::to_string(&rows).unwrap_or_default()
}

/// `meta.json`: the lists the filters offer and each record's filters.
/// Stages are listed in the configured order, tags by their
/// lowercased name (shown as first written). Written as `serde_json::json!`
/// would write it (a test holds it so), without making the value first:
/// there is a list of filters for each of tens of thousands of records.
fn meta_json<'a>(site: &Site, metas: &[Meta], shards: impl Iterator<Item = &'a String>) -> String {
    // The configured stages that some record is at, in the configured order.
    let stages: Vec<&str> = site.portfolio.by_stage.iter().filter(|s| s.count > 0).map(|s| s.stage.as_str()).collect();
    // Each tag as written is lowercased once: a few tags recur across
    // thousands of records.
    let mut lowered: FastMap<&str, String> = FastMap::default();
    for m in metas {
        for t in m.tags {
            lowered.entry(t.as_str()).or_insert_with(|| t.to_lowercase());
        }
    }
    let mut tags: BTreeMap<&str, &str> = BTreeMap::new();
    for m in metas {
        for t in m.tags {
            tags.entry(lowered[t.as_str()].as_str()).or_insert(t);
        }
    }
    let tag_index: FastMap<&str, usize> = tags.keys().enumerate().map(|(i, k)| (*k, i)).collect();
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
    // Keys in the order serde_json's map keeps them (sorted).
    let mut out = String::with_capacity(64 + metas.len() * 12);
    let _ = write!(out, "{{\"chunk\":{CHUNK},\"filters\":[");
    let mut t: Vec<usize> = Vec::new();
    for (i, m) in metas.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let stage = m.stage.and_then(|s| stages.iter().position(|x| *x == s)).map_or(-1, |s| s as i64);
        let _ = write!(out, "[{},{stage}", m.kind);
        t.clear();
        t.extend(m.tags.iter().filter_map(|tag| tag_index.get(lowered[tag.as_str()].as_str())));
        t.sort_unstable();
        t.dedup();
        for i in &t {
            let _ = write!(out, ",{i}");
        }
        out.push(']');
    }
    out.push_str("],\"kinds\":");
    list(&mut out, &mut KINDS.iter().map(|k| json_str(k)));
    let _ = write!(out, ",\"records\":{},\"shards\":", metas.len());
    list(&mut out, &mut shards.map(|s| json_str(s)));
    out.push_str(",\"stages\":");
    list(&mut out, &mut stages.iter().map(|s| json_str(s)));
    out.push_str(",\"tags\":");
    list(&mut out, &mut tags.values().map(|t| json_str(t)));
    out.push_str(",\"version\":1}");
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
        fn words_of_any_text_match_a_split(text in "\\PC{0,80}|[a-zA-Z0-9 _é-]{0,80}") {
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

    #[test]
    fn excerpts_stop_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(&long);
        assert!(e.len() <= EXCERPT + '…'.len_utf8() && e.ends_with("word…"), "{e}");
        assert_eq!(excerpt("  a\n b  "), "a b");
        assert!(excerpt(&"end. ".repeat(100)).ends_with("end. end…"));
    }

    #[test]
    fn postings_count_words_and_mark_titles() {
        let mut inv = Inverted::default();
        for (n, title, text) in [(0, "Claims triage", "claims claims queue"), (3, "Other", "claims")] {
            let r = Record {
                url: String::new(),
                title: title.into(),
                kind: 0,
                stage: None,
                tags: &[],
                text: vec![Cow::Borrowed(title), Cow::Borrowed(text)],
                excerpt: String::new(),
            };
            inv.add_record(n, &r);
        }
        let claims = &inv.0["claims"];
        assert_eq!(claims.records, [0, 3]);
        assert_eq!(claims.weights, [TITLE | 4, 1]);
        let json = shard_json(&[("queue", &inv.0["queue"]), ("claims", claims)]);
        assert_eq!(json, r#"{"claims":[0,132,3,1],"queue":[0,1]}"#);
    }

    /// `meta.json` is the value the filters need, as `serde_json::json!`
    /// made it before it was written directly.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn meta_is_the_value_json_made() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site(dir.path(), 30, 5).unwrap();
        let opts = crate::pipeline::Options { root: dir.path().to_path_buf(), ..Default::default() };
        let site = crate::pipeline::analyse(&opts).unwrap().site;
        let mut tags_a = vec!["Ünïcode".to_string(), "ünïcode".to_string(), "a\"b".to_string()];
        tags_a.extend(site.pilots[0].tags.iter().cloned());
        let mut metas: Vec<Meta> = sources(&site)
            .into_iter()
            .map(|s| {
                let r = s.record();
                Meta { url: r.url, title: r.title, excerpt: r.excerpt, kind: r.kind, stage: r.stage, tags: r.tags }
            })
            .collect();
        metas.push(Meta {
            url: "x".into(),
            title: "x".into(),
            excerpt: String::new(),
            kind: 2,
            stage: Some("nowhere"),
            tags: &tags_a,
        });
        let shards = ["a".to_string(), "x\"".to_string()];
        let stages: Vec<&str> =
            site.portfolio.by_stage.iter().filter(|s| s.count > 0).map(|s| s.stage.as_str()).collect();
        let mut tags: BTreeMap<String, &str> = BTreeMap::new();
        for m in &metas {
            for t in m.tags {
                tags.entry(t.to_lowercase()).or_insert(t);
            }
        }
        let tag_index: std::collections::HashMap<&str, usize> =
            tags.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let filters: Vec<Vec<i64>> = metas
            .iter()
            .map(|m| {
                let stage = m.stage.and_then(|s| stages.iter().position(|x| *x == s));
                let mut f = vec![m.kind as i64, stage.map_or(-1, |s| s as i64)];
                let mut t: Vec<i64> =
                    m.tags.iter().filter_map(|t| tag_index.get(t.to_lowercase().as_str())).map(|&i| i as i64).collect();
                t.sort_unstable();
                t.dedup();
                f.extend(t);
                f
            })
            .collect();
        let want = serde_json::json!({
            "version": 1,
            "records": metas.len(),
            "chunk": CHUNK,
            "shards": shards,
            "kinds": KINDS,
            "stages": stages,
            "tags": tags.values().collect::<Vec<_>>(),
            "filters": filters,
        });
        let got: serde_json::Value = serde_json::from_str(&meta_json(&site, &metas, shards.iter())).unwrap();
        assert_eq!(got, want);
        assert!(metas.len() > 30);
    }

    #[test]
    fn appended_runs_keep_record_order() {
        let mut a = Inverted::default();
        a.add(1, "x", false);
        let mut b = Inverted::default();
        b.add(5, "x", false);
        b.add(5, "y", true);
        let all = a.append(b);
        assert_eq!(all.0["x"].records, [1, 5]);
        assert_eq!(all.0["y"].weights, [TITLE | 1]);
    }
}

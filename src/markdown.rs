//! The one place pulldown-cmark is configured. Takes a Markdown body and
//! returns its HTML, a table of contents, and the HTML of its lessons-learned
//! section. Headings get stable ids; site links written `/path/` are made
//! relative to the page, so the site works under any base path.

mod foreign;

pub use foreign::{diagnostics as foreign_diagnostics, ForeignTag};

pub use crate::names::{nfc, slug};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Clone, Debug, Default, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Rendered {
    /// Held compressed while the model is held (see [`crate::packed`]).
    pub html: crate::packed::Packed,
    /// Level 2 and 3 headings, in order.
    pub toc: Vec<Heading>,
    /// Every lessons-learned section: its heading's id and its HTML
    /// (without the heading), in order.
    pub lessons: Vec<(String, String)>,
    /// Links and images to this site, as written, with their byte range in
    /// the Markdown text (for link checks).
    pub links: Vec<Link>,
    /// The ids of a playbook page's headings, for the `#anchor` of a link
    /// to it; `None` when not known (not a playbook page, or raw HTML,
    /// which may give ids of its own).
    #[serde(skip)]
    pub anchors: Option<Vec<String>>,
    /// Template tags of other tools (Liquid, Nunjucks), each kind once,
    /// with its first byte range in the Markdown text (for PD026).
    pub foreign: Vec<ForeignTag>,
}

/// A link or image to this site (for the link check).
#[derive(Clone, Debug, Default, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Link {
    /// The target as written.
    pub dest: String,
    /// Its byte range in the Markdown text.
    pub range: std::ops::Range<usize>,
    /// The address it leads to, when it was resolved against the source
    /// file's folder (see [`LinkBase`]); `None`: to be read against the
    /// page's address.
    pub to: Option<String>,
}

/// Where the relative links of a playbook page are read from: the folder
/// of its source file (as GitHub and MkDocs read them), and the files
/// there are.
pub struct LinkBase<'a> {
    /// The page's address (`playbook/a/page`).
    pub page: &'a str,
    /// The folder of its source file below `content/` (`["playbook", "a"]`).
    pub dir: &'a [String],
    pub files: &'a crate::links::Files,
}

impl Rendered {
    /// The same, with link ranges moved `by` bytes (from the body to the file).
    pub fn shifted(mut self, by: usize) -> Rendered {
        for l in &mut self.links {
            l.range = l.range.start + by..l.range.end + by;
        }
        for t in &mut self.foreign {
            t.at = t.at.start + by..t.at.end + by;
        }
        self
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The text and byte range of the first level-1 heading in `text`, read as
/// [`render`] reads it (a page without a `title` takes its title from it).
pub fn first_h1(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    let (_, range) = parser.find(|(e, _)| matches!(e, Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })))?;
    let mut title = String::new();
    for (e, _) in parser {
        match e {
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    Some((title.trim().to_string(), range))
}

/// The events of `text` with their byte ranges, read as [`render`] reads
/// it: for a file read for its structure (a `SUMMARY.md` table of contents).
pub fn events(text: &str) -> impl Iterator<Item = (Event<'_>, std::ops::Range<usize>)> {
    Parser::new_ext(text, options()).into_offset_iter()
}

/// Renders `text`. `root` is the relative path from the page to the site
/// root (`../../`); `lessons_heading` names the section to collect. Raw HTML
/// is sanitized and `javascript:`-like link targets are dropped, unless the
/// site trusts its writers (`allow_raw_html`).
pub fn render(text: &str, root: &str, lessons_heading: &str) -> Rendered {
    render_with(text, root, lessons_heading, false)
}

/// [`render`], with raw HTML passed through when `allow_raw_html`.
pub fn render_with(text: &str, root: &str, lessons_heading: &str, allow_raw_html: bool) -> Rendered {
    render_in(text, root, None, lessons_heading, allow_raw_html, false)
}

/// [`render_with`], with relative links read against the source file's
/// folder when `base` is given (playbook pages), and the template tags of
/// other tools kept as text when `keep_foreign_tags` (see `foreign`).
pub fn render_in(
    text: &str,
    root: &str,
    base: Option<&LinkBase>,
    lessons_heading: &str,
    allow_raw_html: bool,
    keep_foreign_tags: bool,
) -> Rendered {
    let prepared = foreign::prepare(text);
    let (mut events, mut ranges): (Vec<Event>, Vec<std::ops::Range<usize>>) =
        Parser::new_ext(&prepared.text, options()).into_offset_iter().unzip();
    prepared.map(&mut ranges);
    let (markup, foreign) = foreign::rewrite(&mut events, &ranges, text, &prepared, keep_foreign_tags);
    let mut links = Vec::new();
    let mut anchors = Vec::new();
    // The URLs Markdown's links were given (see `raw_rewrites`).
    let mut made: crate::hash::FastSet<String> = crate::hash::FastSet::default();
    let mut raw_html = false;
    let mut html_ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut toc = Vec::new();
    let mut used = Ids::default();
    // (first event, end event, heading id); the end is usize::MAX while open.
    let mut lessons_ranges: Vec<(usize, usize, String)> = Vec::new();
    let mut lessons_level = HeadingLevel::H2;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = *level;
                let end = (i..events.len())
                    .find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
                    .unwrap_or(events.len());
                let text = plain_text(&events[i + 1..end]);
                let id = used.unique(id.as_deref().map(str::to_string).unwrap_or_else(|| anchor(&text)));
                if base.is_some() {
                    anchors.push(id.clone());
                }
                if let Event::Start(Tag::Heading { id: slot, attrs, .. }) = &mut events[i] {
                    *slot = Some(CowStr::from(id.clone()));
                    // `{onclick=...}` would be an attribute written as is:
                    // only the id and classes are kept, unless raw HTML is.
                    if !allow_raw_html {
                        attrs.clear();
                    }
                }
                if let Some(open) = lessons_ranges.last_mut().filter(|r| r.1 == usize::MAX) {
                    if level <= lessons_level {
                        open.1 = i;
                    }
                }
                let open = lessons_ranges.last().is_some_and(|r| r.1 == usize::MAX);
                if !open && text.trim().eq_ignore_ascii_case(lessons_heading.trim()) {
                    lessons_ranges.push((end + 1, usize::MAX, id.clone()));
                    lessons_level = level;
                }
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    toc.push(Heading { level: level as u8, id, text });
                }
                // The heading's own events (links, images, raw HTML) are
                // looked at next, as anywhere else.
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw_html = true;
                html_ranges.push(ranges[i].clone());
            }
            // Footnote definitions gather at the end: not part of a lesson.
            Event::Start(Tag::FootnoteDefinition(_)) => {
                if let Some(open) = lessons_ranges.last_mut().filter(|r| r.1 == usize::MAX) {
                    open.1 = i;
                }
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                let at = ranges[i].clone();
                if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut events[i] {
                    if let Some((dest, to)) = link(dest_url, root, base, allow_raw_html) {
                        links.push(Link { dest, range: at, to });
                    }
                    if base.is_some() {
                        made.insert(dest_url.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if raw_html && allow_raw_html && base.is_some() {
        // Kept as written, but for the relative URLs read against the
        // source folder (and those checked), as on any playbook page.
        let (raw, map) = raw_rewrites(text, &html_ranges, base, &Default::default());
        links.extend(raw);
        links.sort_by_key(|l| l.range.start);
        if !map.is_empty() {
            for e in &mut events {
                if let Event::Html(h) | Event::InlineHtml(h) = e {
                    if let Some(new) = rewrite_urls(h, &map) {
                        *h = CowStr::from(new);
                    }
                }
            }
        }
    }
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, foreign::html(&events, 0, &markup));
    if raw_html && !allow_raw_html && html_depth(&out) > HTML_DEPTH {
        // Too deep to sanitize in good time: the raw HTML is shown as text,
        // and what is left is Markdown's own markup, which needs no sanitizing.
        for e in &mut events {
            if let Event::Html(h) | Event::InlineHtml(h) = e {
                *e = Event::Text(std::mem::replace(h, CowStr::Borrowed("")));
            }
        }
        raw_html = false;
        out.clear();
        html::push_html(&mut out, foreign::html(&events, 0, &markup));
    }
    let mut rewrites = std::sync::Arc::default();
    if raw_html && !allow_raw_html {
        let (raw, map) = raw_rewrites(text, &html_ranges, base, &made);
        links.extend(raw);
        links.sort_by_key(|l| l.range.start);
        rewrites = std::sync::Arc::new(map);
    }
    let lessons = lessons_ranges
        .into_iter()
        .map(|(s, e, id)| {
            let e = e.min(events.len());
            let mut out = String::new();
            html::push_html(&mut out, foreign::html(&events[s.min(e)..e], s.min(e), &markup));
            if raw_html && !allow_raw_html {
                out = sanitize(&out, root, &rewrites);
            }
            (id, without_forbidden(out))
        })
        .collect();
    if raw_html && !allow_raw_html {
        out = sanitize(&out, root, &rewrites);
    }
    let anchors = (base.is_some() && html_ranges.is_empty()).then_some(anchors);
    Rendered { html: without_forbidden(out).into(), toc, lessons, links, anchors, foreign }
}

/// `html` without the control characters a Markdown text may hold (HTML
/// does not want them, nor does XML; see `crate::escape`).
fn without_forbidden(html: String) -> String {
    match crate::escape::clean(&html) {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

/// What every link and image of a Markdown text goes through, wherever
/// it is written (a paragraph, a heading, a table, a footnote, a link
/// reference definition, an autolink): an unsafe target becomes `#`
/// (unless raw HTML is allowed), a site link written `/path/` is made
/// relative to the page at `root`, and a relative one is read against the
/// source file's folder when there is a `base` (and written again relative
/// to the published page). Returns the target as written, and where it
/// was resolved to, when it is a link into the site, for the link check.
fn link(
    dest: &mut CowStr,
    root: &str,
    base: Option<&LinkBase>,
    allow_raw_html: bool,
) -> Option<(String, Option<String>)> {
    if !allow_raw_html && unsafe_url(dest) {
        *dest = CowStr::from("#");
        return None;
    }
    if !is_internal(dest) {
        return None;
    }
    let written = dest.to_string();
    if let Some(rel) = site_relative(dest, root) {
        // On a playbook page, `/guide/` may be written from the playbook's own root.
        if let Some((base, target)) = base.and_then(|b| Some((b, b.files.resolve_rooted(&written, b.dir)?))) {
            *dest = CowStr::from(relative_to(base, &target, &written));
            return Some((written, Some(target.address)));
        }
        *dest = CowStr::from(rel);
        return Some((written, None));
    }
    let Some(base) = base else { return Some((written, None)) };
    let Some(target) = base.files.resolve(&written, base.dir, base.page) else { return Some((written, None)) };
    if !target.published {
        *dest = CowStr::from(relative_to(base, &target, &written));
    }
    Some((written, Some(target.address)))
}

/// The URL of `target` from the page at `base`, with the query and anchor
/// of `written`.
fn relative_to(base: &LinkBase, target: &crate::links::Target, written: &str) -> String {
    let is_file = target.address.rsplit('/').next().is_some_and(|last| last.contains('.'));
    let mut url = crate::urls::relative(base.page, &target.address, is_file);
    if let Some(i) = written.find(['?', '#']) {
        url.push_str(&written[i..]);
    }
    url
}

/// The one rule for URLs from content: a target that runs code or
/// smuggles content is unsafe: `javascript:`, `vbscript:`, `data:` (images
/// too: an SVG in a `data:` URL is a document of its own), `file:`, in any
/// case and with any white space or control characters inside, which a
/// browser would drop. A target is looked at after its entities are
/// decoded (pulldown-cmark and ammonia both hand over decoded text).
pub fn unsafe_url(dest: &str) -> bool {
    let mut scheme = String::with_capacity(16);
    for c in dest.chars().filter(|c| !c.is_whitespace() && !c.is_control()) {
        if c == ':' || scheme.len() >= 11 {
            scheme.push(c);
            break;
        }
        scheme.extend(c.to_lowercase());
    }
    ["javascript:", "vbscript:", "file:", "data:"].contains(&scheme.as_str())
}

/// How deep elements may nest in a page that has raw HTML to sanitize:
/// the HTML parser under ammonia looks through the open elements at each
/// tag, so its time grows as the square of the depth (25,000 nested `<div>`
/// took 32 s in a debug build). Markdown and hand-written HTML nest a few
/// dozen levels at most.
const HTML_DEPTH: usize = 512;

/// The deepest nesting of elements in `html`, counted from its tags with
/// html5ever's tokenizer (linear; the parser's tree building is what is
/// not). Tags closed implicitly (`<p>` after `<p>`) count as still open:
/// the count is never less than the depth.
fn html_depth(html: &str) -> usize {
    use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
    use std::cell::Cell;
    struct Depth {
        now: Cell<usize>,
        max: Cell<usize>,
    }
    impl TokenSink for Depth {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                match tag.kind {
                    TagKind::StartTag if !tag.self_closing && !is_void(&tag.name) => {
                        self.now.set(self.now.get() + 1);
                        self.max.set(self.max.get().max(self.now.get()));
                    }
                    TagKind::EndTag => self.now.set(self.now.get().saturating_sub(1)),
                    TagKind::StartTag => {}
                }
            }
            TokenSinkResult::Continue
        }
    }
    fn is_void(name: &str) -> bool {
        matches!(
            name,
            "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "source"
                | "track"
                | "wbr"
        )
    }
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(Depth { now: Cell::new(0), max: Cell::new(0) }, Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.max.get()
}

/// The sanitizer: keeps the HTML that Markdown makes (headings with ids,
/// tables, task lists, footnotes, code classes) and drops scripts, event
/// handlers, style sheets, frames and unsafe URLs from raw HTML.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("a", ["title"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start"])
        .link_rel(None);
    b
}

/// Whether an attribute holds a URL (of those ammonia may keep).
fn url_attribute(attr: &str) -> bool {
    matches!(attr, "href" | "src" | "xlink:href" | "action" | "formaction" | "poster" | "srcset" | "data")
}

/// `html` sanitized for a page at `root`. The URLs of raw HTML follow the
/// rule of Markdown's (after ammonia's list of schemes): unsafe ones are
/// dropped, site links written `/path/` are made relative (the links
/// Markdown made are relative already), and relative ones read against
/// the source folder are written as `rewrites` says (see `raw_rewrites`).
fn sanitize(html: &str, root: &str, rewrites: &std::sync::Arc<crate::hash::FastMap<String, String>>) -> String {
    let root = root.to_string();
    let rewrites = std::sync::Arc::clone(rewrites);
    let mut b = sanitizer();
    b.attribute_filter(move |_, attr, value| {
        if !url_attribute(attr) {
            return Some(value.into());
        }
        if unsafe_url(value) {
            return None;
        }
        if let Some(url) = rewrites.get(value).filter(|_| matches!(attr, "href" | "src")) {
            return Some(url.clone().into());
        }
        Some(site_relative(value, &root).map_or(value.into(), Into::into))
    });
    b.clean(html).to_string()
}

/// The links of the raw HTML of `text` (at `html`, the ranges of its raw
/// HTML) for the link check, and how its relative `href` and `src` are
/// written. Those written `/path/` are checked as Markdown's are. On a
/// playbook page (`base`), a relative `href` or `src` (`<img src=
/// "img/x.png" width=300>`, as GitHub READMEs have) is read against the
/// source folder as a Markdown link is, and its new URL put in the map the
/// sanitizer rewrites from (unless Markdown made that very URL: it is then
/// left as it is). Elsewhere a relative URL in raw HTML is left to the
/// writer, as before: raw HTML is often pasted from elsewhere.
fn raw_rewrites(
    text: &str,
    html: &[std::ops::Range<usize>],
    base: Option<&LinkBase>,
    made: &crate::hash::FastSet<String>,
) -> (Vec<Link>, crate::hash::FastMap<String, String>) {
    let mut rewrites = crate::hash::FastMap::default();
    let mut links = Vec::new();
    for (dest, range, relative) in raw_html_links(text, html, base.is_some()) {
        let target = match base {
            Some(b) if relative => b.files.resolve(&dest, b.dir, b.page),
            Some(b) => b.files.resolve_rooted(&dest, b.dir),
            None => None,
        };
        let to = base.zip(target).map(|(base, target)| {
            if !target.published && !made.contains(&dest) {
                rewrites.insert(dest.clone(), relative_to(base, &target, &dest));
            }
            target.address
        });
        links.push(Link { dest, range, to });
    }
    (links, rewrites)
}

/// `html` (raw HTML kept as written) with the value of each `href` and
/// `src` attribute that `map` holds replaced by its new URL; `None` when
/// there is none. One pass over the text; the tags are read no further
/// than to find those attributes (the rest is the writer's, trusted).
fn rewrite_urls(html: &str, map: &crate::hash::FastMap<String, String>) -> Option<String> {
    let b = html.as_bytes();
    let mut out = String::new();
    let mut done = 0;
    let mut i = 0;
    while i < b.len() {
        let name = [&b"href"[..], b"src"]
            .into_iter()
            .find(|n| b[i..].get(..n.len()).is_some_and(|w| w.eq_ignore_ascii_case(n)));
        // After white space, or at the start of a line of an HTML block.
        let Some(name) = name.filter(|_| i == 0 || b[i - 1].is_ascii_whitespace()) else {
            i += 1;
            continue;
        };
        let skip = |mut j: usize| {
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            j
        };
        let j = skip(i + name.len());
        if b.get(j) != Some(&b'=') {
            i += 1;
            continue;
        }
        let j = skip(j + 1);
        let (start, end) = match b.get(j) {
            Some(&q) if q == b'"' || q == b'\'' => {
                (j + 1, html[j + 1..].find(q as char).map_or(html.len(), |e| j + 1 + e))
            }
            _ => (j, html[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |e| j + e)),
        };
        if let Some(url) = map.get(&html[start..end]) {
            out.push_str(&html[done..start]);
            for c in url.chars() {
                match c {
                    ' ' => out.push_str("%20"),
                    '"' => out.push_str("%22"),
                    '\'' => out.push_str("%27"),
                    '<' => out.push_str("%3C"),
                    '>' => out.push_str("%3E"),
                    c => out.push(c),
                }
            }
            done = end;
        }
        i = end.max(i + 1);
    }
    (done > 0).then(|| out + &html[done..])
}

/// The site links written `/path/` in the raw HTML of `text` (at `html`),
/// and relative `href` and `src` if `relative`, as the sanitizer keeps
/// them, each with where it is written and whether it is relative. The
/// raw HTML is read on its own, so that the links Markdown made are not
/// counted twice.
fn raw_html_links(
    text: &str,
    html: &[std::ops::Range<usize>],
    relative: bool,
) -> Vec<(String, std::ops::Range<usize>, bool)> {
    let raw: Vec<&str> = html.iter().filter_map(|r| text.get(r.clone())).collect();
    let found = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = found.clone();
    let mut b = sanitizer();
    b.attribute_filter(move |_, attr, value| {
        if url_attribute(attr) && !unsafe_url(value) {
            let site = site_relative(value, "").is_some();
            let rel = relative && !site && matches!(attr, "href" | "src") && is_internal(value);
            if site || rel {
                if let Ok(mut seen) = seen.lock() {
                    seen.push((value.to_string(), rel));
                }
            }
        }
        Some(value.into())
    });
    b.clean(&raw.join("\n"));
    let found = found.lock().map(|f| f.clone()).unwrap_or_default();
    // Each at the first place after the one before that holds it as
    // written, else at the start of the first raw HTML.
    let mut from = html.first().map_or(0, |r| r.start);
    found
        .into_iter()
        .map(|(dest, relative)| {
            let at = html
                .iter()
                .filter(|r| r.end > from)
                .find_map(|r| {
                    let start = r.start.max(from);
                    // As an attribute's value: after `=` or a quote (`x` is
                    // not the one in `&#x09;`).
                    let hay = text.get(start..r.end)?;
                    hay.match_indices(dest.as_str())
                        .find(|(j, _)| hay[..*j].ends_with(['=', '"', '\'']))
                        .or_else(|| hay.match_indices(dest.as_str()).next())
                        .map(|(j, _)| start + j..start + j + dest.len())
                })
                .unwrap_or_else(|| html.first().map_or(0..0, |r| r.start..r.start));
            from = at.end.max(from);
            (dest, at, relative)
        })
        .collect()
}

/// A link into this site: no scheme, not protocol-relative, not only an anchor.
fn is_internal(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| !s.contains('/') && !s.is_empty());
    !(scheme || dest.starts_with("//") || dest.starts_with('#') || dest.is_empty())
}

fn site_relative(dest: &str, root: &str) -> Option<String> {
    let rest = dest.strip_prefix('/')?;
    if rest.starts_with('/') {
        return None;
    }
    Some(format!("{root}{rest}"))
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// A heading's id as GitHub makes it, so that the `#anchors` written for
/// GitHub (and MkDocs, which follows it) lead to the same heading:
/// lowercase, every character but letters, digits, `-`, `_` and spaces
/// dropped, each space a `-` (not folded: `A - B` is `a---b`). Letters of
/// any script are kept, in Unicode's composed form (NFC).
pub fn anchor(text: &str) -> String {
    let text = nfc(text.trim());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The heading ids of one page so far, and for each base the number its
/// next `-N` is looked for from.
#[derive(Default)]
struct Ids {
    used: crate::hash::FastSet<String>,
    next: crate::hash::FastMap<String, usize>,
}

impl Ids {
    /// `base`, or the first of `base-1`, `base-2`, ... not taken yet (a
    /// heading may be written `x-1` itself). Numbers below a base's counter
    /// are all taken, as ids are never given back: each heading costs a
    /// look-up or two, where counting from 1 again made thousands of
    /// identical headings cubic.
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() { "section".to_string() } else { base };
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_and_toc() {
        let r = render("## Why it matters\ntext\n## Why it matters\n### Steps {#custom}\n", "../", "Lessons learned");
        assert!(r.html.text().contains("<h2 id=\"why-it-matters\">"));
        assert!(r.html.text().contains("<h2 id=\"why-it-matters-1\">"));
        assert!(r.html.text().contains("<h3 id=\"custom\">"));
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn extensions_are_on() {
        let r = render("| a |\n|---|\n| b |\n\n~~x~~ [^1]\n\n[^1]: n\n\n- [x] done\n", "", "Lessons learned");
        for needle in ["<table>", "<del>x</del>", "footnote", "type=\"checkbox\""] {
            assert!(r.html.text().contains(needle), "{needle} in {}", r.html);
        }
    }

    #[test]
    fn lessons_section_is_collected() {
        let md = "Intro\n\n## Lessons learned\n\n- one\n- two\n\n### Detail\n\nmore\n\n## Next\n\nafter\n";
        let r = render(md, "", "Lessons learned");
        let (id, lessons) = &r.lessons[0];
        assert!(lessons.contains("<li>one</li>") && lessons.contains("more"));
        assert!(!lessons.contains("after"));
        assert_eq!(id, "lessons-learned");
        assert!(render("no lessons", "", "Lessons learned").lessons.is_empty());
        // Two sections, at any heading level, each ending at a heading of its level or above.
        let two = render(
            "## Lessons learned\n\na\n\n## Other\n\nb\n\n### Lessons learned\n\nc\n\n## End\n",
            "",
            "Lessons learned",
        );
        let got: Vec<(&str, bool)> = two.lessons.iter().map(|(id, h)| (id.as_str(), h.contains("<p>c</p>"))).collect();
        assert_eq!(got, [("lessons-learned", false), ("lessons-learned-1", true)]);
        assert!(!two.lessons[1].1.contains("End"));
    }

    #[test]
    fn site_links_become_relative() {
        let r = render("[a](/playbook/x/) [b](//cdn.example/x) [c](https://e.example/)", "../../", "L");
        assert!(r.html.text().contains("href=\"../../playbook/x/\""));
        assert!(r.html.text().contains("href=\"//cdn.example/x\""));
    }

    #[test]
    fn raw_html_and_script_urls_are_made_safe() {
        let md = "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi <img src=x onerror=alert(1)></p>\n\n[a](javascript:alert(1)) [b]( JaVaScRiPt:alert(1)) [c](/ok/)\n\n## Title {#t}\n\n- [x] done\n";
        let r = render(md, "", "L");
        for bad in ["<script", "onclick", "onerror", "javascript:", "JaVaScRiPt"] {
            assert!(!r.html.text().contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.text().contains("href=\"/ok/\"") || r.html.text().contains("href=\"ok/\""), "{}", r.html);
        assert!(r.html.text().contains("id=\"t\"") && r.html.text().contains("checkbox"), "{}", r.html);
        let trusted = render_with("<b onclick=\"x()\">b</b>", "", "L", true);
        assert!(trusted.html.text().contains("onclick"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("01-Scoping"), "01-scoping");
        assert_eq!(slug("--x--"), "x");
        assert_eq!(slug("Über"), "uber");
        assert_eq!(slug("café"), "cafe");
        assert_eq!(slug("cafe\u{301}"), "cafe");
        assert_eq!(slug("日本"), "ri-ben");
        assert_eq!(slug("中国"), "zhong-guo");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn html_depth_counts_open_elements() {
        assert_eq!(html_depth("<p>a</p><div><p>b<br>c<img src=x></p></div>"), 2);
        assert_eq!(html_depth("<p>a<p>b<p>c"), 3, "implicitly closed tags count as open");
        assert_eq!(html_depth(&"<i>".repeat(2000)), 2000);
        assert_eq!(html_depth("text <!-- <div> --> <x/>"), 0);
    }

    #[test]
    fn anchors_as_github_makes_them() {
        assert_eq!(anchor("What's new? (2024)"), "whats-new-2024");
        assert_eq!(anchor("A - B"), "a---b");
        assert_eq!(anchor("snake_case & Co."), "snake_case--co");
        assert_eq!(anchor("Über uns"), "über-uns");
        assert_eq!(anchor("Rolling back"), "rolling-back");
        let r = render("# Setup\n## FAQ\n## FAQ\n## FAQ\n", "", "Lessons learned");
        assert!(r.html.text().contains("id=\"faq-1\"") && r.html.text().contains("id=\"faq-2\""), "{}", r.html);
    }

    #[test]
    fn raw_html_urls_are_rewritten_in_place() {
        let map: crate::hash::FastMap<String, String> = [("img/x.png", "../img/x.png"), ("a b.pdf", "../a b.pdf")]
            .into_iter()
            .map(|(a, b)| (a.into(), b.into()))
            .collect();
        let got = rewrite_urls(
            "<p><img SRC=\"img/x.png\" data-src=img/x.png> <a href = a b.pdf>x</a><a href='a b.pdf'>",
            &map,
        );
        assert_eq!(
            got.as_deref(),
            Some("<p><img SRC=\"../img/x.png\" data-src=img/x.png> <a href = a b.pdf>x</a><a href='../a%20b.pdf'>")
        );
        assert_eq!(rewrite_urls("<img src=\"other.png\">", &map), None);
        assert_eq!(rewrite_urls("src", &map), None);
        assert_eq!(rewrite_urls("src=\"img/x.png\">\n", &map).as_deref(), Some("src=\"../img/x.png\">\n"));
    }

    #[test]
    fn nfc_composes() {
        assert_eq!(nfc("cafe\u{301}"), "café");
        assert!(matches!(nfc("café"), std::borrow::Cow::Borrowed(_)));
    }
}

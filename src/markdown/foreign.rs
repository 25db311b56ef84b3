//! The syntax of other tools, as playbooks written for them hold it:
//! GitHub alerts (`> [!NOTE]`), MkDocs admonitions (`!!! note "Title"`,
//! `??? tip` folded) and `> **Note**:` callouts become callouts; kramdown
//! attribute lines (`{: .intro }`) give their classes to the block before
//! them and are not shown; Liquid and Nunjucks tags (`{% ... %}`,
//! `{{ ... }}`) are found, removed unless kept, and each kind is named once
//! per page for a warning (rule PD026; see `tags`).
//!
//! A text with none of these (found by one look at its bytes) costs that
//! look and nothing more. Everything else is one pass over the lines or the
//! events: [`prepare`] rewrites admonitions into block quotes before the
//! parse (and maps positions back), [`rewrite`] changes the events in place
//! and says which events to write differently, [`html`] writes them so.

mod tags;

pub use tags::diagnostics;

use crate::hash::FastMap;
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Range;
use tags::{link_tags, pairs, tag_start, tags};

/// A kind of template tag found in a page: the first of its kind, where it
/// is (in the page's file once [`super::Rendered::shifted`]), and how many.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct ForeignTag {
    /// `{% name %}` for a Liquid or Nunjucks tag, `{{ ... }}` for any output.
    pub kind: String,
    pub at: Range<usize>,
    pub count: usize,
}

/// What a text may hold, from one look at its bytes.
#[derive(Clone, Copy, Default)]
struct Seen {
    tags: bool,
    attributes: bool,
    admonitions: bool,
    callouts: bool,
}

impl Seen {
    fn of(text: &str) -> Seen {
        use crate::scan::{any_is, first};
        let b = text.as_bytes();
        let mut s = Seen::default();
        // From one byte that may start such syntax to the next, eight bytes
        // at a time between them (most text has none).
        let starts = |c: u8| matches!(c, b'{' | b'!' | b'?' | b'[' | b'*');
        let maybe =
            |x: u64| any_is(x, b'{') || any_is(x, b'!') || any_is(x, b'?') || any_is(x, b'[') || any_is(x, b'*');
        let mut i = 0;
        while i < b.len() {
            i += first(&b[i..], maybe, starts);
            let (Some(&c0), Some(&c1)) = (b.get(i), b.get(i + 1)) else { break };
            match (c0, c1, b.get(i + 2).copied().unwrap_or(0)) {
                (b'{', b'%' | b'{', _) => s.tags = true,
                (b'{', b':', _) => s.attributes = true,
                (b'!', b'!', b'!') | (b'?', b'?', b'?') => s.admonitions = true,
                (b'[', b'!', _) | (b'*', b'*', _) => s.callouts = true,
                _ => {}
            }
            i += 1;
        }
        s
    }

    fn any(self) -> bool {
        self.tags || self.attributes || self.admonitions || self.callouts
    }
}

/// How one callout looks.
#[derive(Clone, Debug)]
struct Callout {
    /// One of `note`, `tip`, `important`, `warning`, `caution`.
    kind: &'static str,
    title: String,
    /// `None`: always open; `Some(open)`: folded (`???`) or open (`???+`).
    folded: Option<bool>,
}

/// The text to parse: the Markdown with its admonitions written as block
/// quotes, and how to find a position of it in the Markdown as written.
pub(super) struct Prepared<'t> {
    pub text: Cow<'t, str>,
    seen: Seen,
    /// How positions of the text with its link tags taken out map to the
    /// Markdown as written: (start in the one, start in the other, copied);
    /// a copied piece maps byte for byte, an inserted one to its start.
    links: Vec<Piece>,
    /// Likewise, from the text parsed (admonitions as block quotes) to the
    /// text with its link tags taken out.
    pieces: Vec<Piece>,
    /// Each admonition by where its header line starts in the Markdown.
    admonitions: FastMap<usize, Callout>,
    /// Where the template tags pilotdeck understood start in the Markdown
    /// (`{% link %}` in a link's target, a paired callout's tags): not
    /// named for PD026.
    understood: crate::hash::FastSet<usize>,
    /// Paired callout tags (`{% alert %}` ... `{% endalert %}` on lines of
    /// their own): by where the opening tag starts in the text with its
    /// link tags taken out, where the closing one starts, and the callout.
    pairs: FastMap<usize, (usize, Callout)>,
    /// Where the tags of the pairs made callouts start (as `pairs`).
    paired: Vec<usize>,
    /// The length of the Markdown as written.
    len: usize,
}

/// A piece of a rewritten text: (start in it, start in the text before,
/// copied); see [`Prepared`].
type Piece = (usize, usize, bool);

/// `pos` moved through `pieces` (see [`Prepared`]). A position inside an
/// inserted piece goes to where the piece stands for: its start, or for
/// the `end` of a range, its end.
fn through(pieces: &[Piece], pos: usize, len: usize, end: bool) -> usize {
    let i = pieces.partition_point(|p| p.0 <= pos);
    if i == 0 {
        return pos;
    }
    let (new, old, copied) = pieces[i - 1];
    if copied {
        old.saturating_add(pos - new).min(len)
    } else if end && pos > new {
        pieces.get(i).map_or(len, |p| p.1)
    } else {
        old
    }
}

impl Prepared<'_> {
    /// `pos` in the text parsed -> the position in the Markdown as written.
    fn original(&self, pos: usize, end: bool) -> usize {
        let len = self.len;
        through(&self.links, through(&self.pieces, pos, usize::MAX, end), len, end).min(len)
    }

    /// Moves each range of the text parsed to the Markdown as written.
    pub(super) fn map(&self, ranges: &mut [Range<usize>]) {
        if self.pieces.is_empty() && self.links.is_empty() {
            return;
        }
        for r in ranges {
            *r = self.original(r.start, false)..self.original(r.end, true);
        }
    }
}

/// An admonition's header line (`!!! note "Title"`, `??? tip`, `???+ x`):
/// its type and the callout it makes.
fn admonition_header(line: &str) -> Option<Callout> {
    let (folded, rest) = if let Some(r) = line.strip_prefix("???+") {
        (Some(true), r)
    } else if let Some(r) = line.strip_prefix("???") {
        (Some(false), r)
    } else {
        (None, line.strip_prefix("!!!")?)
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let (kind_word, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if kind_word.is_empty() || !kind_word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    let after = after.trim();
    let title = match after.strip_prefix('"').and_then(|a| a.rfind('"').map(|e| &a[..e])) {
        Some(t) => t.to_string(),
        None => crate::names::capitalized(kind_word),
    };
    Some(Callout { kind: kind_of(kind_word), title, folded })
}

/// The callout style for a type of MkDocs, GitHub or `**Note**` callout.
fn kind_of(word: &str) -> &'static str {
    match word.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" => "important",
        "warning" | "attention" => "warning",
        "caution" | "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        _ => "note",
    }
}

/// Whether a line's body belongs to an admonition above it: indented by
/// four spaces or a tab.
fn indented(line: &str) -> Option<usize> {
    if line.starts_with("    ") {
        Some(4)
    } else if line.starts_with('\t') {
        Some(1)
    } else {
        None
    }
}

/// `text` with each MkDocs admonition written as a block quote: the header
/// line becomes `>`, each body line `> ` and the line without its indent,
/// each blank line inside `>`.
pub(super) fn prepare(text: &str) -> Prepared<'_> {
    let seen = Seen::of(text);
    let mut p = Prepared {
        text: Cow::Borrowed(text),
        seen,
        links: Vec::new(),
        pieces: Vec::new(),
        admonitions: FastMap::default(),
        understood: Default::default(),
        pairs: FastMap::default(),
        paired: Vec::new(),
        len: text.len(),
    };
    if seen.tags {
        if let Some((t, pieces, understood)) = link_tags(text) {
            p.text = Cow::Owned(t);
            p.links = pieces;
            p.understood.extend(understood);
        }
    }
    // Nearly every page and record has none of it: no list of lines.
    if !seen.tags && !seen.admonitions {
        return p;
    }
    let highlights = seen.tags && p.text.contains("highlight");
    let text = std::mem::take(&mut p.text);
    let lines: Vec<(usize, &str)> = line_starts(&text).collect();
    if seen.tags {
        p.pairs = pairs(&lines);
    }
    if !seen.admonitions && !highlights && p.pairs.is_empty() {
        p.text = text;
        return p;
    }
    let mut out = String::with_capacity(text.len() + 64);
    admonitions(&lines, "", &mut p, &mut out);
    if !p.links.is_empty() {
        // Found by their place in the text without link tags.
        let found = std::mem::take(&mut p.admonitions);
        p.admonitions = found.into_iter().map(|(at, c)| (through(&p.links, at, p.len, false), c)).collect();
    }
    // The paired tags that became callouts.
    for at in std::mem::take(&mut p.paired) {
        let at = through(&p.links, at, p.len, false);
        p.understood.insert(at);
    }
    p.text = Cow::Owned(out);
    p
}

/// Stands for the fence of a `{% highlight %}` block.
const HIGHLIGHT: &str = "{% highlight";

/// A line `{% highlight LANG ... %}` (`Some(LANG)`) or `{% endhighlight %}`
/// (`None`).
fn highlight(line: &str) -> Option<Option<&str>> {
    let inner = line.strip_prefix("{%")?.strip_suffix("%}")?;
    let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
    if inner == "endhighlight" {
        return Some(None);
    }
    let rest = inner.strip_prefix("highlight")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let lang = rest.split_whitespace().next()?;
    lang.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-_#.".contains(&b)).then_some(Some(lang))
}

/// How deep admonitions nest before the inner ones are left as they are.
const NESTING: usize = 8;

/// Writes `lines` (each with where it starts in the Markdown), each after
/// `prefix` (`> ` once for each admonition around them), with the
/// admonitions among them as block quotes.
fn admonitions(lines: &[(usize, &str)], prefix: &str, p: &mut Prepared, out: &mut String) {
    let mut fence: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let bare = line.trim_end_matches(['\n', '\r']);
        // Not inside fenced code.
        let trimmed = bare.trim_start();
        // Jekyll's `{% highlight ruby %}` ... `{% endhighlight %}`: fenced
        // code (with a fence its code is unlikely to hold).
        if let Some(h) = highlight(trimmed).filter(|_| matches!(fence, None | Some(HIGHLIGHT))) {
            match (h, fence) {
                (Some(lang), None) => {
                    fence = Some(HIGHLIGHT);
                    p.pieces.push((out.len(), start, false));
                    out.push_str(prefix);
                    out.push_str("~~~~~~");
                    out.push_str(lang);
                    out.push('\n');
                }
                (None, Some(_)) => {
                    fence = None;
                    p.pieces.push((out.len(), start, false));
                    out.push_str(prefix);
                    out.push_str("~~~~~~\n");
                }
                _ => copy_line(p, out, prefix, start, line),
            }
            i += 1;
            continue;
        }
        if fence == Some(HIGHLIGHT) {
            copy_line(p, out, prefix, start, line);
            i += 1;
            continue;
        }
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        }
        let deep = prefix.len() / 2 >= NESTING;
        let block = fence.is_none() && !deep && !line.starts_with([' ', '\t']);
        if let Some(end) = paired(lines, i, p).filter(|_| block) {
            // `{% alert %}` ... `{% endalert %}`: a block quote that is a
            // callout, as an admonition is, ended by a blank line.
            let open = tag_start(start, line);
            if let Some((close, c)) = p.pairs.get(&open).cloned() {
                p.admonitions.insert(start, c);
                p.paired.extend([open, close]);
            }
            p.pieces.push((out.len(), start, false));
            out.push_str(prefix);
            out.push_str(">\n");
            admonitions(&lines[i + 1..end], &format!("{prefix}> "), p, out);
            p.pieces.push((out.len(), lines[end].0, false));
            out.push_str(prefix.trim_end());
            out.push('\n');
            i = end + 1;
            continue;
        }
        let header =
            if fence.is_none() && !deep && !line.starts_with([' ', '\t']) { admonition_header(bare) } else { None };
        let Some(callout) = header else {
            copy_line(p, out, prefix, start, line);
            i += 1;
            continue;
        };
        // The body: indented lines and blank lines between them.
        let mut end = i + 1;
        let mut last = i;
        while end < lines.len() {
            let l = lines[end].1;
            if l.trim().is_empty() {
                end += 1;
            } else if indented(l).is_some() {
                last = end;
                end += 1;
            } else {
                break;
            }
        }
        p.admonitions.insert(start, callout);
        p.pieces.push((out.len(), start, false));
        out.push_str(prefix);
        out.push_str(">\n");
        let body: Vec<(usize, &str)> = lines[i + 1..=last]
            .iter()
            .map(|&(s, l)| match indented(l) {
                Some(cut) => (s + cut, &l[cut..]),
                None => (s, l),
            })
            .collect();
        admonitions(&body, &format!("{prefix}> "), p, out);
        // A line right after it starts a block of its own, as in MkDocs
        // (in a block quote it would continue the last paragraph).
        if lines.get(last + 1).is_some_and(|(_, l)| !l.trim().is_empty()) {
            p.pieces.push((out.len(), lines[last + 1].0, false));
            out.push_str(prefix.trim_end());
            out.push('\n');
        }
        i = last + 1;
    }
}

/// When `lines[i]` opens a paired callout whose closing tag is among
/// `lines`: the index of the closing line (found by its place, as the
/// lines are in order).
fn paired(lines: &[(usize, &str)], i: usize, p: &Prepared) -> Option<usize> {
    let (start, line) = lines[i];
    if p.pairs.is_empty() {
        return None;
    }
    let &(close, _) = p.pairs.get(&tag_start(start, line))?;
    let end = i + lines[i..].partition_point(|&(s, _)| s <= close).checked_sub(1)?;
    let (s, l) = lines[end];
    (end > i && tag_start(s, l) == close).then_some(end)
}

/// Writes one line after `prefix`, noting where it came from.
fn copy_line(p: &mut Prepared, out: &mut String, prefix: &str, start: usize, line: &str) {
    if line.trim().is_empty() && !prefix.is_empty() {
        p.pieces.push((out.len(), start, false));
        out.push_str(prefix.trim_end());
        out.push('\n');
        return;
    }
    if !prefix.is_empty() {
        p.pieces.push((out.len(), start, false));
        out.push_str(prefix);
    }
    // A piece that goes on from the last copied one is the same piece.
    let goes_on = p.pieces.last().is_some_and(|&(n, o, copied)| copied && o <= start && n + (start - o) == out.len());
    if !goes_on {
        p.pieces.push((out.len(), start, true));
    }
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push('\n');
    }
}

/// Each line of `text` with where it starts, its line break included.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, l| {
        let s = *at;
        *at += l.len();
        Some((s, l))
    })
}

/// The events to write differently: by index, the HTML to write instead
/// (empty: nothing).
#[derive(Default)]
pub(super) struct Markup(FastMap<usize, String>);

/// Writes `events` (which start at index `base` of the page's events) with
/// `markup` in place of the events it names.
pub(super) fn html<'e, 'a: 'e>(
    events: &'e [Event<'a>],
    base: usize,
    markup: &'e Markup,
) -> impl Iterator<Item = Event<'a>> + 'e {
    events.iter().enumerate().filter_map(move |(i, e)| {
        if markup.0.is_empty() {
            return Some(e.clone());
        }
        match markup.0.get(&(base + i)) {
            None => Some(e.clone()),
            Some(h) if h.is_empty() => None,
            Some(h) => Some(Event::Html(CowStr::from(h.clone()))),
        }
    })
}

/// Changes `events` (with `ranges`, their places in `text` as written) in
/// place: attribute lines and (unless `keep_tags`) template tags removed,
/// callouts marked; returns what to write differently and the template
/// tags found.
pub(super) fn rewrite(
    events: &mut [Event],
    ranges: &[Range<usize>],
    text: &str,
    prepared: &Prepared,
    keep_tags: bool,
) -> (Markup, Vec<ForeignTag>) {
    let mut markup = Markup::default();
    if !prepared.seen.any() {
        return (markup, Vec::new());
    }
    if prepared.seen.callouts || !prepared.admonitions.is_empty() {
        callouts(events, ranges, prepared, &mut markup);
    }
    if prepared.seen.attributes {
        attributes(events, ranges, text, &mut markup);
    }
    let tags =
        if prepared.seen.tags { tags(events, ranges, text, keep_tags, &prepared.understood) } else { Vec::new() };
    (markup, tags)
}

/// Block quotes that are callouts get the markup of one.
fn callouts(events: &mut [Event], ranges: &[Range<usize>], prepared: &Prepared, markup: &mut Markup) {
    // The open block quotes: their start, and whether it became a callout.
    let mut open: Vec<(usize, Option<Option<bool>>)> = Vec::new();
    for i in 0..events.len() {
        match events[i] {
            Event::Start(Tag::BlockQuote(kind)) => {
                let callout = match kind {
                    Some(k) => Some(gfm(k)),
                    None => {
                        prepared.admonitions.get(&ranges[i].start).cloned().or_else(|| bold_callout(events, i, markup))
                    }
                };
                open.push((i, callout.as_ref().map(|c| c.folded)));
                if let Some(c) = callout {
                    markup.0.insert(i, open_tag(&c));
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some((_, Some(folded))) = open.pop() {
                    let close = if folded.is_some() { "</details>\n" } else { "</aside>\n" };
                    markup.0.insert(i, close.to_string());
                }
            }
            _ => {}
        }
    }
}

fn gfm(kind: BlockQuoteKind) -> Callout {
    let (kind, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    Callout { kind, title: title.to_string(), folded: None }
}

/// A block quote that starts `**Note**:` (or `**Note:**`, or `**Note**` on
/// a line of its own) is a callout with that title: the bold word and its
/// colon are taken out of the text.
fn bold_callout(events: &mut [Event], quote: usize, markup: &mut Markup) -> Option<Callout> {
    let [Event::Start(Tag::Paragraph), Event::Start(Tag::Strong), Event::Text(word), Event::End(TagEnd::Strong), ..] =
        events.get(quote + 1..)?
    else {
        return None;
    };
    let (word, colon) = match word.strip_suffix(':') {
        Some(w) => (w.trim(), true),
        None => (word.trim(), false),
    };
    const WORDS: [&str; 9] = ["note", "tip", "hint", "important", "warning", "caution", "danger", "info", "attention"];
    if !WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return None;
    }
    let title = word.to_string();
    let kind = kind_of(word);
    let after = quote + 5;
    match events.get(after) {
        Some(Event::Text(t)) if colon || t.starts_with(':') => {
            let rest = t.strip_prefix(':').unwrap_or(t).trim_start().to_string();
            events[after] = Event::Text(CowStr::from(rest));
        }
        Some(Event::SoftBreak | Event::HardBreak) => {
            markup.0.insert(after, String::new());
        }
        Some(Event::End(TagEnd::Paragraph)) => {}
        _ if colon => {}
        _ => return None,
    }
    for j in quote + 2..quote + 5 {
        markup.0.insert(j, String::new());
    }
    Some(Callout { kind, title, folded: None })
}

fn open_tag(c: &Callout) -> String {
    let title = crate::escape::escaped(&c.title);
    match c.folded {
        None if title.is_empty() => format!("<aside class=\"callout callout-{}\">\n", c.kind),
        None => format!("<aside class=\"callout callout-{}\">\n<p class=\"callout-title\">{title}</p>\n", c.kind),
        Some(open) => format!(
            "<details class=\"callout callout-{}\"{}>\n<summary class=\"callout-title\">{}</summary>\n",
            c.kind,
            if open { " open" } else { "" },
            if title.is_empty() { c.kind.to_string() } else { title },
        ),
    }
}

/// A kramdown attribute list, `{: #id .class key="value" }`, alone on its
/// line: its id and classes (other attributes are not kept).
fn attribute_line(line: &str) -> Option<(Option<&str>, Vec<&str>)> {
    let inner = line.trim().strip_prefix("{:")?.strip_suffix('}')?;
    if inner.contains(['{', '}']) {
        return None;
    }
    let mut id = None;
    let mut classes = Vec::new();
    for word in inner.split_whitespace() {
        let name = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if let Some(c) = word.strip_prefix('.').filter(|c| name(c)) {
            classes.push(c);
        } else if let Some(i) = word.strip_prefix('#').filter(|i| name(i)) {
            id = Some(i);
        }
    }
    Some((id, classes))
}

/// The line of `text` around `pos`: where it starts and ends.
fn line_at(text: &str, pos: usize) -> Range<usize> {
    let s = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let e = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    s..e
}

/// Attribute lines: text events that are a whole `{: ... }` line. One at
/// the end of a block gives its classes to that block; one that is a
/// paragraph of its own, to the block before it. The line is not shown.
fn attributes(events: &mut [Event], ranges: &[Range<usize>], text: &str, markup: &mut Markup) {
    // The open blocks, and the last one closed: (start, end).
    let mut open: Vec<usize> = Vec::new();
    let mut closed: Option<(usize, usize)> = None;
    let mut code = 0usize;
    // The last line looked at, and its attribute list: a line is read once
    // however many text events it holds.
    let mut line: Range<usize> = 0..0;
    let mut list: Option<(Option<&str>, Vec<&str>)> = None;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::CodeBlock(_)) => {
                code += 1;
                open.push(i);
            }
            Event::End(TagEnd::CodeBlock) => {
                code = code.saturating_sub(1);
                closed = open.pop().map(|s| (s, i));
            }
            Event::Start(t) if is_block(t) => open.push(i),
            Event::End(t) if is_block_end(t) => closed = open.pop().map(|s| (s, i)),
            Event::Text(t) if code == 0 && t.contains("{:") => {
                let at = ranges[i].start.min(text.len());
                if !(line.start <= at && at < line.end) {
                    line = line_at(text, at);
                    list = attribute_line(&text[line.clone()]);
                }
                if let Some((id, classes)) = list.clone() {
                    let alone = i >= 1
                        && matches!(events[i - 1], Event::Start(Tag::Paragraph))
                        && matches!(events.get(i + 1), Some(Event::End(TagEnd::Paragraph)));
                    if alone {
                        // A paragraph of its own: for the block just before.
                        markup.0.insert(i - 1, String::new());
                        markup.0.insert(i + 1, String::new());
                        events[i] = Event::Text(CowStr::Borrowed(""));
                        if let Some((s, e)) = closed.filter(|c| c.1 + 1 == i - 1) {
                            apply(events, s, e, id, &classes, markup);
                        }
                        closed = None;
                        open.pop();
                        i += 2;
                        continue;
                    }
                    // The last line of a block: for that block.
                    events[i] = Event::Text(CowStr::Borrowed(""));
                    if i >= 1 && matches!(events[i - 1], Event::SoftBreak) {
                        markup.0.insert(i - 1, String::new());
                    } else if matches!(events.get(i + 1), Some(Event::SoftBreak)) {
                        // The first line of a block (kramdown puts it before).
                        markup.0.insert(i + 1, String::new());
                    }
                    if let Some(&s) = open.last() {
                        apply(events, s, i, id, &classes, markup);
                    }
                } else if i >= 1 && matches!(events[i - 1], Event::End(_)) {
                    // Right after a link, an image or emphasis: an attribute
                    // list for it (`[x](y){: target="_blank"}`), not kept.
                    span_attributes(events, i);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Takes out the attribute list (`{: ... }`) that the text event at `i`
/// starts with, up to its `}` in this or one of the next few text events
/// (a `_` or `*` inside splits the text).
fn span_attributes(events: &mut [Event], i: usize) {
    for k in i..events.len().min(i + 16) {
        let Event::Text(t) = &events[k] else { return };
        if k == i && !t.starts_with("{:") {
            return;
        }
        let from = if k == i { 2 } else { 0 };
        let Some(end) = t.get(from..).and_then(|r| r.find(['}', '{', '\n'])) else { continue };
        let Some(rest) = t[from + end..].strip_prefix('}') else { return };
        let rest = rest.to_string();
        for e in &mut events[i..k] {
            *e = Event::Text(CowStr::Borrowed(""));
        }
        events[k] = Event::Text(CowStr::from(rest));
        return;
    }
}

fn is_block(t: &Tag) -> bool {
    matches!(
        t,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
    )
}

fn is_block_end(t: &TagEnd) -> bool {
    matches!(
        t,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::HtmlBlock
            | TagEnd::FootnoteDefinition
    )
}

/// Gives the block at `start` the id (headings only) and classes.
fn apply(events: &mut [Event], start: usize, _end: usize, id: Option<&str>, classes: &[&str], markup: &mut Markup) {
    let class = classes.join(" ");
    let with = |tag: &str| {
        if class.is_empty() {
            format!("<{tag}>")
        } else {
            format!("<{tag} class=\"{class}\">")
        }
    };
    let html = match &mut events[start] {
        Event::Start(Tag::Heading { id: slot, classes: cs, .. }) => {
            if let Some(id) = id {
                *slot = Some(CowStr::from(id.to_string()));
            }
            cs.extend(classes.iter().map(|c| CowStr::from(c.to_string())));
            return;
        }
        Event::Start(Tag::Paragraph) => with("p"),
        Event::Start(Tag::Item) => with("li"),
        Event::Start(Tag::List(None)) => with("ul"),
        Event::Start(Tag::List(Some(1))) => with("ol"),
        Event::Start(Tag::List(Some(n))) => {
            let n = *n;
            let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
            format!("<ol start=\"{n}\"{class}>")
        }
        Event::Start(Tag::BlockQuote(None)) if !markup.0.contains_key(&start) => with("blockquote"),
        _ => return,
    };
    if !class.is_empty() {
        // Block starts are written on a line of their own.
        markup.0.insert(start, format!("\n{html}"));
    }
}

#[cfg(test)]
mod tests {
    /// `Seen::of` jumps between candidate bytes: it sees what a look at
    /// every three bytes sees.
    #[test]
    fn seen_finds_every_kind_anywhere() {
        let naive = |t: &str| {
            let mut s = Seen::default();
            let b = t.as_bytes();
            for i in 0..b.len() {
                match (b[i], b.get(i + 1).copied().unwrap_or(0), b.get(i + 2).copied().unwrap_or(0)) {
                    (b'{', b'%' | b'{', _) => s.tags = true,
                    (b'{', b':', _) => s.attributes = true,
                    (b'!', b'!', b'!') | (b'?', b'?', b'?') => s.admonitions = true,
                    (b'[', b'!', _) | (b'*', b'*', _) => s.callouts = true,
                    _ => {}
                }
            }
            (s.tags, s.attributes, s.admonitions, s.callouts)
        };
        let pieces = ["{%", "{{", "{:", "!!!", "???", "[!", "**", "{", "!", "?", "[", "*", "abcdefgh", "é", "\n"];
        for a in pieces {
            for b in pieces {
                for pad in 0..10 {
                    let t = format!("{}{a}{}{b}", "x".repeat(pad), "y".repeat(pad % 3));
                    let s = Seen::of(&t);
                    assert_eq!((s.tags, s.attributes, s.admonitions, s.callouts), naive(&t), "{t:?}");
                }
            }
        }
    }

    use super::*;

    #[test]
    fn admonitions_map_back() {
        let md = "x\n\n!!! note \"Heads up\"\n    body [a](/y/)\n\n    more\n\nafter\n";
        let p = prepare(md);
        assert!(p.text.contains(">\n> body [a](/y/)\n>\n> more\n"), "{}", p.text);
        let at = p.text.find("[a]").unwrap();
        assert_eq!(p.original(at, false), md.find("[a]").unwrap());
        assert_eq!(p.admonitions.get(&md.find("!!!").unwrap()).map(|c| c.title.as_str()), Some("Heads up"));
    }

    #[test]
    fn attribute_lines_parse() {
        assert_eq!(attribute_line("{: #top .intro .x key=\"v\" }"), Some((Some("top"), vec!["intro", "x"])));
        assert_eq!(attribute_line("{: .a onclick=\"b\"}"), Some((None, vec!["a"])));
        assert_eq!(attribute_line("not {: .a }"), None);
    }

    #[test]
    fn with_raw_html_lessons_and_odd_lines() {
        let md = "<div>raw</div>\n\n## Lessons learned\n\n> [!TIP]\n> Keep it.\n\n???+ danger \"Hot\"\n    Body.\n\n\
                  {:.a_b}\nBefore.\n\n- x\n{: .li }\n\n3. y\n\n{: .later }\n";
        let r = super::super::render(md, "", "Lessons learned");
        // The sanitizer keeps the callouts' markup.
        assert!(r.html.text().contains("<aside class=\"callout callout-tip\">"), "{}", r.html);
        assert!(r.html.text().contains("<details class=\"callout callout-caution\" open=\"\">"), "{}", r.html);
        assert!(r.html.text().contains("<summary class=\"callout-title\">Hot</summary>"), "{}", r.html);
        // An attribute line before a paragraph, in a list item, after a list.
        assert!(r.html.text().contains("<p class=\"a_b\">Before.</p>"), "{}", r.html);
        assert!(r.html.text().contains("<li class=\"li\">x</li>"), "{}", r.html);
        assert!(r.html.text().contains("<ol start=\"3\" class=\"later\">"), "{}", r.html);
        assert!(!r.html.text().contains("{:"), "{}", r.html);
        let span = super::super::render(
            "See [x](https://e.example/){: target=\"_blank\" } and *y*{:.k}. *z* {: x}\n",
            "",
            "L",
        );
        assert!(
            span.html
                .text()
                .contains("<p>See <a href=\"https://e.example/\">x</a> and <em>y</em>. <em>z</em> {: x}</p>"),
            "{}",
            span.html
        );
        // The lessons section holds the callouts too.
        let (_, lessons) = &r.lessons[0];
        assert!(lessons.contains("callout-tip") && lessons.contains("</details>"), "{lessons}");
        assert!(!lessons.contains("<blockquote"), "{lessons}");
    }

    #[test]
    fn a_text_without_marks_is_not_copied() {
        let p = prepare("Plain **bold** text.\n    indented\n");
        assert!(matches!(p.text, Cow::Borrowed(_)));
        assert!(p.pieces.is_empty());
    }

    #[test]
    fn admonitions_nest_and_end() {
        let md =
            "!!! note\n    Outer.\n\n    !!! warning \"Inner\"\n        Inner body.\n\n    Outer again.\nNot inside.\n";
        let r = super::super::render(md, "", "L");
        let want = "<aside class=\"callout callout-note\">\n<p class=\"callout-title\">Note</p>\n<p>Outer.</p>\n\
                    <aside class=\"callout callout-warning\">\n<p class=\"callout-title\">Inner</p>\n<p>Inner body.</p>\n\
                    </aside>\n<p>Outer again.</p>\n</aside>\n<p>Not inside.</p>";
        assert!(r.html.text().contains(want), "{}", r.html);
    }

    #[test]
    fn hostile_texts_stay_linear() {
        let n = 20_000;
        let texts = [
            "{:*a*".repeat(n),
            "{{ {% ".repeat(n),
            "!!! note\n".repeat(n),
            format!("!!! note\n{}", "    x\n\n".repeat(n)),
            "> **Note**\n".repeat(n),
            "{: .a }\n\n".repeat(n),
            "{% alert %}\n".repeat(n),
            format!("{}{}", "{% alert %}\n".repeat(n), "{% endalert %}\n".repeat(n)),
            "{% raw %} {% endraw".repeat(n),
            "[a]({% link x.md %}".repeat(n),
        ];
        for t in &texts {
            let start = std::time::Instant::now();
            let r = super::super::render(t, "", "L");
            assert!(t.starts_with("{:*") || !r.html.text().contains("{:"), "attribute lines are never shown");
            assert!(start.elapsed().as_secs() < 10, "{:?} took {:?}", &t[..20], start.elapsed());
        }
    }

    #[test]
    fn jekyll_site_links_become_site_links() {
        let md = "[a]({{ site.baseurl }}/playbook/x/) and ![i]({{ \"/img/y.png\" | relative_url }}) {{ other }}\n\n!!! note\n    [b]({{site.url}}{{ site.baseurl }}/z/)\n";
        let r = super::super::render(md, "../", "L");
        let links: Vec<(&str, &str)> = r.links.iter().map(|l| (l.dest.as_str(), &md[l.range.clone()])).collect();
        assert_eq!(links.len(), 3, "{links:?}");
        assert_eq!(links[0].0, "/playbook/x/");
        assert!(links[0].1.starts_with("[a]({{ site.baseurl }}/playbook/x/)"), "{links:?}");
        assert_eq!(links[1].0, "/img/y.png");
        assert_eq!(links[2].0, "/z/");
        assert!(
            r.html.text().contains("href=\"../playbook/x/\"") && r.html.text().contains("src=\"../img/y.png\""),
            "{}",
            r.html
        );
        assert!(r.html.text().contains("callout-note") && r.html.text().contains("href=\"../z/\""), "{}", r.html);
        // Each is still named (the site may not serve them where Jekyll did).
        let kinds: Vec<&str> = r.foreign.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["{{ ... }}"]);
        assert_eq!(r.foreign[0].count, 5);
    }

    #[test]
    fn jekyll_highlight_blocks_are_code() {
        let md = "Before.\n\n{% highlight ruby linenos %}\ndef x = {{ y }}\n```\n{% endhighlight %}\nAfter {{ z }}.\n";
        let r = super::super::render(md, "", "L");
        assert!(
            r.html.text().contains("<pre><code class=\"language-ruby\">def x = {{ y }}\n```\n</code></pre>"),
            "{}",
            r.html
        );
        assert!(r.html.text().contains("<p>After .</p>"), "{}", r.html);
        // Only the tag outside the code is named.
        assert_eq!(r.foreign.len(), 1);
        assert_eq!(&md[r.foreign[0].at.clone()], "{{ z }}");
    }

    #[test]
    fn any_mix_renders_without_panic() {
        let parts = [
            "!!! note \"é\"\n",
            "??? tip\n",
            "    ",
            "\t",
            "> ",
            "[!NOTE]",
            "**Note**",
            ":",
            "{: .a }",
            "{:",
            "}",
            "{{ site.baseurl }}",
            "{% x %}",
            "{%",
            "%}",
            "{{",
            "}}",
            "](",
            "[a]",
            "(/b/)",
            "é",
            "日本",
            "\n",
            "\n\n",
            "`",
            "```\n",
            "{% highlight c %}\n",
            "{% endhighlight %}\n",
            "{% alert %}\n",
            "{% endalert %}\n",
            "{% raw %}",
            "{% endraw %}",
            "]({% link a.md %})",
            "<div>",
            "_",
            "*",
            "- ",
            "1. ",
            "\\",
            "\r\n",
        ];
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..24 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                t.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let r = super::super::render_in(&t, "", None, "L", false, seed.is_multiple_of(2));
            for at in r.links.iter().map(|l| &l.range) {
                assert!(at.start <= at.end && t.get(at.clone()).is_some(), "{t:?} {at:?}");
            }
            for f in &r.foreign {
                assert!(t.get(f.at.clone()).is_some(), "{t:?}");
            }
        }
    }
}

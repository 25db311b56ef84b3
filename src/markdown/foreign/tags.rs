//! Template tags of Liquid and Nunjucks (Jekyll, Eleventy), as the
//! playbooks written for those tools hold them: the ones pilotdeck
//! understands become what they stand for (`{% link %}` and the like in a
//! link's target: the site link; paired callout tags: a callout, made by
//! `super::prepare`; `{% raw %}`: its text as written); every other one is
//! found, removed unless kept, and each kind named once per page (PD026).

use super::{kind_of, Callout, ForeignTag, Piece};
use crate::diag::{Diagnostic, Loc, Rule, Span};
use crate::hash::{FastMap, FastSet};
use crate::names::capitalized;
use crate::source::FileId;
use pulldown_cmark::{CowStr, Event, Tag};
use std::ops::Range;

/// Jekyll's ways to write a site link in a link's target, as the link
/// they make: `]({{ site.baseurl }}/x/)` -> `](/x/)`,
/// `]({{ "/x.png" | relative_url }})` -> `](/x.png)`, and the link tags
/// (see [`link_tag`]) `]({% link _docs/x.md %})` -> `](/_docs/x.md)`,
/// also in a link reference definition (`[x]: {% link a.md %}`).
/// Returns the text, its pieces (see [`super::Prepared`]) and where the link
/// tags start, or `None` when there are none.
pub(super) fn link_tags(text: &str) -> Option<(String, Vec<Piece>, Vec<usize>)> {
    let mut out = String::new();
    let mut pieces = Vec::new();
    let mut understood = Vec::new();
    // Copied from `text` up to here.
    let mut done = 0;
    let mut from = 0;
    while let Some(j) = text[from..].find(']') {
        // A link's target, `](x)`, or a link reference definition's, `]: x`.
        let after = text.as_bytes().get(from + j + 1);
        let mut at = from + j + 1;
        from = at;
        if !matches!(after, Some(b'(' | b':')) {
            continue;
        }
        at += 1;
        from = at;
        while text[at..].starts_with(' ') || text[at..].starts_with('<') {
            at += 1;
        }
        while text[at..].starts_with("{{") || text[at..].starts_with("{%") {
            if let Some((url, len)) = link_tag(&text[at..]) {
                if pieces.is_empty() {
                    out.reserve(text.len());
                }
                pieces.push((out.len(), done, true));
                out.push_str(&text[done..at]);
                pieces.push((out.len(), at, false));
                out.push_str(&url);
                understood.push(at);
                at += len;
                done = at;
                from = at;
                continue;
            }
            let Some(close) = text[at..].find("}}").filter(|&c| c < 200 && !text[at..at + c].contains('\n')) else {
                break;
            };
            let inner = text[at + 2..at + close].trim();
            let keep = if matches!(inner, "site.baseurl" | "site.url" | "site.github.url") {
                Some(at..at)
            } else {
                inner
                    .strip_suffix("relative_url")
                    .or_else(|| inner.strip_suffix("absolute_url"))
                    .and_then(|v| v.trim_end().strip_suffix('|'))
                    .map(str::trim_end)
                    .and_then(|v| {
                        v.strip_prefix('"')
                            .and_then(|v| v.strip_suffix('"'))
                            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    })
                    .filter(|v| !v.contains(char::is_whitespace))
                    .map(|v| {
                        let s = v.as_ptr() as usize - text.as_ptr() as usize;
                        s..s + v.len()
                    })
            };
            let Some(keep) = keep else { break };
            if pieces.is_empty() {
                out.reserve(text.len());
            }
            pieces.push((out.len(), done, true));
            out.push_str(&text[done..at]);
            if !keep.is_empty() {
                pieces.push((out.len(), keep.start, true));
                out.push_str(&text[keep]);
            }
            at += close + 2;
            done = at;
            from = at;
        }
    }
    if pieces.is_empty() {
        return None;
    }
    pieces.push((out.len(), done, true));
    out.push_str(&text[done..]);
    Some((out, pieces, understood))
}

/// A tag at the start of `tag` that names a page as a link's target, as
/// the site link it makes, and the tag's length: Jekyll's `{% link
/// _docs/x.md %}` (from the site's root, here the playbook's, see
/// `links::Files::resolve_rooted`) -> `/_docs/x.md`, `{% post_url
/// 2024-01-02-name %}` -> `/_posts/2024-01-02-name.md`, and the
/// `{% page "/x/" %}` shortcode of Eleventy handbooks -> `/x/`; Hugo's
/// `{{< ref "x.md" >}}` and `{{< relref "/docs/x.md" >}}` (or `{{% %}}`)
/// -> the path as written (relative to the page, or from the root with a
/// `/`). `None` for any other tag, or an argument that is not one plain
/// path.
fn link_tag(tag: &str) -> Option<(String, usize)> {
    let (open, end) = match tag.get(..3)? {
        "{{<" => (3, ">}}"),
        "{{%" => (3, "%}}"),
        t if t.starts_with("{%") => (2, "%}"),
        _ => return None,
    };
    let close = open + tag.get(open..)?.find(end).filter(|&c| c < 300 && !tag[open..open + c].contains('\n'))?;
    let inner = tag[open..close].trim_start_matches('-').trim_end_matches('-').trim();
    let (name, arg) = inner.split_once(char::is_whitespace)?;
    let arg = arg.trim();
    let arg = arg
        .strip_prefix('"')
        .and_then(|a| a.strip_suffix('"'))
        .or_else(|| arg.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')))
        .unwrap_or(arg);
    if arg.is_empty() || arg.contains(|c: char| c.is_whitespace() || "{}\"'|<>()".contains(c)) {
        return None;
    }
    let path = arg.trim_start_matches('/');
    let url = match (open, name) {
        (2, "link" | "page" | "url") => format!("/{path}"),
        (2, "post_url") => format!("/_posts/{path}.md"),
        (3, "ref" | "relref") => arg.to_string(),
        _ => return None,
    };
    Some((url, close + end.len()))
}

/// The names of the paired tags that are callouts (`{% alert %}` ...
/// `{% endalert %}`), as Jekyll themes and Eleventy handbooks define them.
const CALLOUT_TAGS: [&str; 14] = [
    "alert",
    "callout",
    "admonition",
    "note",
    "notice",
    "info",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "danger",
    "success",
    "error",
];

/// A line that is one `{% name args %}` tag: its name and arguments.
fn line_tag(line: &str) -> Option<(&str, &str)> {
    let inner = line.trim().strip_prefix("{%")?.strip_suffix("%}")?;
    if inner.contains("%}") {
        return None;
    }
    let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
    Some(inner.split_once(char::is_whitespace).unwrap_or((inner, "")))
}

/// Where the tag on `line` (which starts at `start`) starts: after its indent.
pub(super) fn tag_start(start: usize, line: &str) -> usize {
    start + (line.len() - line.trim_start_matches([' ', '\t']).len())
}

/// The paired callout tags of `lines` (see [`super::Prepared::pairs`]): each
/// closing tag ends the last one opened with its name. One pass.
pub(super) fn pairs(lines: &[(usize, &str)]) -> FastMap<usize, (usize, Callout)> {
    let mut open: FastMap<&str, Vec<(usize, Callout)>> = FastMap::default();
    let mut pairs = FastMap::default();
    for &(start, line) in lines {
        let Some((name, args)) = line_tag(line) else { continue };
        if let Some(n) = CALLOUT_TAGS.iter().find(|n| **n == name) {
            open.entry(*n).or_default().push((tag_start(start, line), tag_callout(name, args)));
        } else if let Some(opened) = name.strip_prefix("end").and_then(|n| open.get_mut(n)).and_then(Vec::pop) {
            pairs.insert(opened.0, (tag_start(start, line), opened.1));
        }
    }
    pairs
}

/// The callout a paired tag makes: its type from the first argument
/// (`{% callout "warning" %}`, `{% alert type="danger" %}`) or the tag's
/// name (`{% warning %}`), its title from a second quoted argument, else
/// the type's name (none for a plain `{% alert %}`).
fn tag_callout(name: &str, args: &str) -> Callout {
    let mut words = args.split([',', ' ', '\t']).filter(|w| !w.is_empty());
    let first = words.next().map(|w| {
        let w = w.rsplit('=').next().unwrap_or(w);
        w.trim_matches(['"', '\''])
    });
    let title = args.split('"').skip(1).step_by(2).find(|q| Some(*q) != first);
    let word = first.filter(|w| CALLOUT_TAGS.contains(&w.to_ascii_lowercase().as_str())).unwrap_or(name);
    let generic = matches!(word, "alert" | "callout" | "admonition");
    let title = match title {
        Some(t) => t.to_string(),
        None if generic => String::new(),
        None => capitalized(word),
    };
    Callout { kind: kind_of(word), title, folded: None }
}

/// Template tags outside code: `{% ... %}` and `{{ ... }}` (closed within
/// a few lines). Each kind once, with a count; their text is taken out of
/// the text events unless `keep`.
pub(super) fn tags(
    events: &mut [Event],
    ranges: &[Range<usize>],
    text: &str,
    keep: bool,
    understood: &FastSet<usize>,
) -> Vec<ForeignTag> {
    let found = find_tags(text);
    if found.is_empty() {
        return Vec::new();
    }
    // Code, where a tag is an example: code spans and blocks.
    let mut code: Vec<Range<usize>> = Vec::new();
    for (e, r) in events.iter().zip(ranges) {
        match e {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => code.push(r.clone()),
            _ => {}
        }
    }
    let in_code = |at: usize| {
        let i = code.partition_point(|c| c.start <= at);
        i > 0 && code[..i].iter().rev().take(4).any(|c| at < c.end)
    };
    let found: Vec<Range<usize>> =
        found.into_iter().filter(|t| !in_code(t.start) && !understood.contains(&t.start)).collect();
    let mut kinds: Vec<ForeignTag> = Vec::new();
    let mut index: FastMap<String, usize> = FastMap::default();
    for t in &found {
        let kind = tag_kind(&text[t.clone()]);
        // `{% raw %}` is understood: its text is kept as written.
        if kind == "{% raw %}" || kind == "{% endraw %}" {
            continue;
        }
        // The end of a pair is named with its start (`{% if %}` ... `{% endif %}`).
        if kind.strip_prefix("{% end").is_some_and(|n| index.contains_key(&format!("{{% {n}"))) {
            continue;
        }
        match index.get(&kind) {
            Some(&k) => kinds[k].count += 1,
            None => {
                index.insert(kind.clone(), kinds.len());
                kinds.push(ForeignTag { kind, at: t.clone(), count: 1 });
            }
        }
    }
    if !keep && !found.is_empty() {
        remove(events, ranges, text, &found);
    }
    kinds
}

/// Every `{% ... %}` and `{{ ... }}` of `text` not escaped with `\`, in
/// order; one pass (the next closing mark is looked for once per kind).
fn find_tags(text: &str) -> Vec<Range<usize>> {
    const REACH: usize = 2000;
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut close_pct: Option<usize> = None;
    let mut close_brace: Option<usize> = None;
    let mut raw_end: Option<usize> = None;
    let next_close = |cache: &mut Option<usize>, from: usize, mark: &str| -> Option<usize> {
        if cache.is_none_or(|c| c < from) {
            *cache = Some(text[from..].find(mark).map_or(usize::MAX, |j| from + j));
        }
        cache.filter(|&c| c != usize::MAX)
    };
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'{' && (b[i + 1] == b'%' || b[i + 1] == b'{') && (i == 0 || b[i - 1] != b'\\') {
            let (cache, mark) = if b[i + 1] == b'%' { (&mut close_pct, "%}") } else { (&mut close_brace, "}}") };
            if let Some(c) = next_close(cache, i + 2, mark).filter(|&c| c - i <= REACH) {
                out.push(i..c + 2);
                i = c + 2;
                if tag_kind(&text[out[out.len() - 1].clone()]) == "{% raw %}" {
                    // Nothing up to `{% endraw %}` is a tag.
                    if let Some(end) = endraw(text, i, &mut raw_end) {
                        out.push(end.clone());
                        i = end.end;
                    }
                }
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The first `{% endraw %}` of `text` from `from`. The place of the last
/// `endraw` looked at is kept in `cache`, so that the text is read once.
fn endraw(text: &str, from: usize, cache: &mut Option<usize>) -> Option<Range<usize>> {
    let mut at = from;
    loop {
        let j = match *cache {
            Some(c) if c >= at => c,
            Some(_) | None => {
                let j = text[at..].find("endraw").map_or(usize::MAX, |j| at + j);
                *cache = Some(j);
                j
            }
        };
        if j == usize::MAX {
            return None;
        }
        let before = text[..j].trim_end_matches([' ', '\t', '-']);
        let after = text[j + 6..].trim_start_matches([' ', '\t', '-']);
        if before.ends_with("{%") && before.len() >= from + 2 && after.starts_with("%}") {
            let start = before.len() - 2;
            return Some(start..text.len() - after.len() + 2);
        }
        at = j + 6;
    }
}

/// `{% page "/x/" %}` -> `{% page %}`; `{%- endif -%}` -> `{% endif %}`;
/// any output `{{ x | f }}` -> `{{ ... }}`.
fn tag_kind(tag: &str) -> String {
    if tag.starts_with("{{") {
        return "{{ ... }}".to_string();
    }
    let inner = tag[2..tag.len() - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
    let name: String = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_').take(40).collect();
    if name.is_empty() {
        "{% %}".to_string()
    } else {
        format!("{{% {name} %}}")
    }
}

/// Takes the text of `found` out of the text events (those written as they
/// are in the Markdown: a tag is not split by an entity or an escape).
fn remove(events: &mut [Event], ranges: &[Range<usize>], text: &str, found: &[Range<usize>]) {
    let mut k = 0;
    for (e, r) in events.iter_mut().zip(ranges) {
        let Event::Text(t) = e else { continue };
        while k < found.len() && found[k].end <= r.start {
            k += 1;
        }
        if k == found.len() || found[k].start >= r.end || text.get(r.clone()) != Some(&**t) {
            continue;
        }
        let mut kept = String::with_capacity(t.len());
        let mut at = r.start;
        let mut j = k;
        while j < found.len() && found[j].start < r.end {
            let f = &found[j];
            if f.start > at {
                kept.push_str(&text[at..f.start]);
            }
            at = at.max(f.end);
            j += 1;
        }
        if at < r.end {
            kept.push_str(&text[at..r.end]);
        }
        *e = Event::Text(CowStr::from(kept));
    }
}

/// The warnings for the template tags of a page in `file` (PD026), one for
/// each kind.
pub fn diagnostics(file: FileId, found: &[ForeignTag], kept: bool) -> Vec<Diagnostic> {
    let hint = if kept {
        "pilotdeck does not run Liquid or Nunjucks: the tag is shown as text (`foreign_tags = \"keep\"`); \
         replace it with Markdown, or put it in `code` to show it as an example"
    } else {
        "pilotdeck does not run Liquid or Nunjucks: the tag is left out of the page (`foreign_tags = \"keep\"` \
         shows it as text); replace it with Markdown, or put it in `code` to show it as an example"
    };
    found
        .iter()
        .map(|t| {
            let times = if t.count == 1 { String::new() } else { format!(" ({} times in this file)", t.count) };
            Diagnostic::new(
                Rule::ForeignTag,
                Loc::at(file, Span::new(t.at.start as u32, t.at.end as u32)),
                format!("template tag `{}` of another tool{times}", t.kind),
            )
            .hint(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;

    #[test]
    fn tags_are_found_and_named() {
        let t = "a {% page \"/x/\" %} b {{ site.x }} \\{% no %} {%- endif -%} {{ unclosed";
        let found = find_tags(t);
        let kinds: Vec<String> = found.iter().map(|r| tag_kind(&t[r.clone()])).collect();
        assert_eq!(kinds, ["{% page %}", "{{ ... }}", "{% endif %}"]);
    }

    #[test]
    fn paired_callout_tags() {
        let c = |args: &str, name: &str| {
            let c = tag_callout(name, args);
            (c.kind, c.title)
        };
        assert_eq!(c("", "alert"), ("note", String::new()));
        assert_eq!(c("\"warning\"", "callout"), ("warning", "Warning".into()));
        assert_eq!(c("\"danger\", \"Hot stuff\"", "callout"), ("caution", "Hot stuff".into()));
        assert_eq!(c("type=\"tip\"", "alert"), ("tip", "Tip".into()));
        assert_eq!(c("", "warning"), ("warning", "Warning".into()));
        let md = "{% callout \"warning\" %}\nOuter.\n\n{% note %}\nInner [x](/y/).\n{% endnote %}\n{% endcallout %}\nAfter.\n\n\
                  {% alert %}\nno end\n";
        let r = render(md, "", "L");
        let want = "<aside class=\"callout callout-warning\">\n<p class=\"callout-title\">Warning</p>\n<p>Outer.</p>\n\
                    <aside class=\"callout callout-note\">\n<p class=\"callout-title\">Note</p>\n<p>Inner <a href=\"y/\">x</a>.</p>\n\
                    </aside>\n</aside>\n<p>After.</p>\n<p>\nno end</p>";
        assert!(r.html.text().contains(want), "{}", r.html);
        assert_eq!(&md[r.links[0].range.clone()], "[x](/y/)");
        // Only the one without its end is named.
        let kinds: Vec<&str> = r.foreign.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["{% alert %}"]);
    }

    #[test]
    fn paired_callout_tags_in_a_list_item_are_left_to_it() {
        let md = "- item\n\n  {% alert %}\n  text\n  {% endalert %}\n- next\n";
        let r = render(md, "", "L");
        assert!(r.html.text().contains("<li>\n<p>item</p>\n<p>\ntext\n</p>\n</li>\n<li>\n<p>next</p>"), "{}", r.html);
        assert_eq!(r.foreign.len(), 1);
    }

    #[test]
    fn raw_text_is_kept_as_written() {
        let md = "{% raw %}Hello {{ name }} {% if x %}{% endraw %} and {%- raw -%}\n{{ y }}\n{%- endraw -%}\n\n{% if a %}b{% endif %}\n";
        let r = render(md, "", "L");
        assert!(r.html.text().contains("<p>Hello {{ name }} {% if x %} and \n{{ y }}\n</p>"), "{}", r.html);
        assert!(r.html.text().contains("<p>b</p>"), "{}", r.html);
        // `{% endif %}` goes with its `{% if %}`: one warning.
        let kinds: Vec<&str> = r.foreign.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["{% if %}"]);
        assert_eq!(find_tags("{% raw %} {{ a }}"), [0..9, 10..17], "no end: tags as usual");
    }

    #[test]
    fn link_tags_in_targets() {
        assert_eq!(link_tag("{% link _docs/x.md %})"), Some(("/_docs/x.md".into(), 21)));
        assert_eq!(link_tag("{%- link /a/b.md -%}"), Some(("/a/b.md".into(), 20)));
        assert_eq!(link_tag("{% post_url 2024-01-02-hi %}"), Some(("/_posts/2024-01-02-hi.md".into(), 28)));
        assert_eq!(link_tag("{% page \"/x/\" %}"), Some(("/x/".into(), 16)));
        assert_eq!(link_tag("{% link {{ page.x }} %}"), None);
        assert_eq!(link_tag("{% include x.md %}"), None);
        assert_eq!(link_tag("{%}"), None);
        assert_eq!(link_tag("{{< ref \"docs/x.md\" >}}"), Some(("docs/x.md".into(), 23)));
        assert_eq!(link_tag("{{% relref \"/a/b\" %}}"), Some(("/a/b".into(), 21)));
        assert_eq!(link_tag("{{< figure src=\"x\" >}}"), None);
        assert_eq!(link_tag("{{ site.x }}"), None);
        let md =
            "[a]({% link _docs/x.md %}#top) and [b]({{ site.baseurl }}{% post_url 2024-01-02-hi %}) {% link y.md %}\n\n\
             [c][r] [h]({{< relref \"h.md#x\" >}})\n\n[r]: {% link r.md %}\n";
        let r = render(md, "", "L");
        let links: Vec<(&str, &str)> = r.links.iter().map(|l| (l.dest.as_str(), &md[l.range.clone()])).collect();
        assert_eq!(
            links,
            [
                ("/_docs/x.md#top", "[a]({% link _docs/x.md %}#top)"),
                ("/_posts/2024-01-02-hi.md", "[b]({{ site.baseurl }}{% post_url 2024-01-02-hi %})"),
                ("/r.md", "[c][r]"),
                ("h.md#x", "[h]({{< relref \"h.md#x\" >}})"),
            ]
        );
        // The tag outside a link's target is not understood.
        let kinds: Vec<(&str, usize)> = r.foreign.iter().map(|t| (t.kind.as_str(), t.count)).collect();
        assert_eq!(kinds, [("{{ ... }}", 1), ("{% link %}", 1)]);
    }
}

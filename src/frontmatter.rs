//! Splits a Markdown file into front matter and body, and parses the front
//! matter (TOML between `+++` lines, YAML between `---` lines) into a
//! [`Node`] whose spans are byte offsets into the whole file.

use crate::diag::{Rule, Span};
pub use crate::node::MAX_DEPTH;
use crate::node::{Entry, Kind, Node, Problem};

/// A file's front matter (an empty table when it has none) and where its
/// body starts.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: Node<'a>,
    /// Whether the file had a front-matter block at all.
    pub present: bool,
    pub body_start: usize,
    pub problems: Vec<Problem>,
    /// Whether every key was read: the problems, if any, are at values
    /// (see [`Parsed::whole`]), and the rest can be checked.
    pub whole: bool,
}

/// Splits and parses `text`; problems in the front matter are returned with
/// the best value that could still be read.
pub fn split(text: &str) -> Split<'_> {
    let empty = Node { span: Span::new(0, 0), kind: Kind::Map(Vec::new()) };
    let fence = match text.lines().next().map(str::trim_end) {
        Some("+++") => "+++",
        Some("---") => "---",
        _ => return Split { front: empty, present: false, body_start: 0, problems: Vec::new(), whole: true },
    };
    let open_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let Some((close_start, close_end)) = closing_fence(text, open_end, fence) else {
        let problem = Problem {
            rule: Rule::Syntax,
            span: Span::new(0, fence.len() as u32),
            message: format!("front matter opened with `{fence}` is never closed"),
            hint: Some(format!("add a line `{fence}` after the last key")),
        };
        return Split { front: empty, present: true, body_start: text.len(), problems: vec![problem], whole: false };
    };
    let inner = &text[open_end..close_start];
    let offset = open_end as u32;
    let Parsed { node: front, problems, whole } =
        if fence == "+++" { parse_toml(inner, offset) } else { parse_yaml(inner, offset) };
    let front = match front.kind {
        Kind::Map(_) => front,
        Kind::Null => Node { span: front.span, kind: Kind::Map(Vec::new()) },
        _ => {
            let problem = Problem {
                rule: Rule::Syntax,
                span: front.span,
                message: "front matter must be a table of `key: value` pairs".into(),
                hint: Some("write one key per line, such as `title: My page`".into()),
            };
            return Split { front: empty, present: true, body_start: close_end, problems: vec![problem], whole: false };
        }
    };
    Split { front, present: true, body_start: close_end, problems, whole }
}

/// Start and end (after the line break) of the line that closes the front
/// matter: the first line from `from` that is the fence (spaces after it
/// allowed). Only lines that start with the fence are looked at.
/// Where a file's TOML front matter is: the text between its `+++`
/// lines, found as [`split`] finds it. `None` without such front matter.
pub fn toml_block(text: &str) -> Option<std::ops::Range<usize>> {
    if text.lines().next().map(str::trim_end) != Some("+++") {
        return None;
    }
    let open_end = text.find('\n').map_or(text.len(), |i| i + 1);
    closing_fence(text, open_end, "+++").map(|(close_start, _)| open_end..close_start)
}

fn closing_fence(text: &str, from: usize, fence: &str) -> Option<(usize, usize)> {
    let first = char::from(fence.as_bytes()[0]);
    let mut pos = from;
    loop {
        if text[pos..].starts_with(fence) {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            if text[pos..end].trim_end() == fence {
                return Some((pos, end));
            }
        }
        // The next line that starts with the fence's character (found by
        // `memchr`: a string search is slower for so short a needle).
        let mut search = pos;
        loop {
            let at = search + text[search..].find(first)?;
            // `first` is ASCII: the byte after it starts a character.
            search = at + 1;
            if at > pos && text.as_bytes()[at - 1] == b'\n' {
                pos = at;
                break;
            }
        }
    }
}

/// The problem reported where front matter nests deeper than [`MAX_DEPTH`].
fn too_deep(span: Span) -> Problem {
    Problem {
        rule: Rule::Syntax,
        span,
        message: format!("lists and tables nest more than {MAX_DEPTH} levels deep"),
        hint: Some("write the value flat: a record needs a few levels of lists and tables at most".into()),
    }
}

/// Front matter parsed: the tree, its problems, and whether the tree is
/// whole: every problem is at a value (a date not in the calendar, a word
/// without quotes), which was read as well as it could be, and every key
/// is there, so that the rest of the front matter can still be checked.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub node: Node<'a>,
    pub problems: Vec<Problem>,
    pub whole: bool,
}

/// Parses TOML, reporting every syntax error the parser can recover from.
/// The common case is read by [`crate::frontmatter_fast`]; the rest, and
/// anything wrong, by the `toml` crate.
pub fn parse_toml(text: &str, offset: u32) -> Parsed<'_> {
    match crate::frontmatter_fast::parse(text, offset) {
        Some(node) => Parsed { node, problems: Vec::new(), whole: true },
        None => parse_toml_full(text, offset),
    }
}

/// Parses TOML with the `toml` crate. It recovers from an error at a value
/// (`started = 2026-13-01`, `stage = pilot`) and reads on: such an error
/// is reported at its place and the tree stays whole. A date that is not
/// in the calendar is read as its text and reported as one (PD005), as a
/// quoted one is; other errors are PD001.
pub fn parse_toml_full(text: &str, offset: u32) -> Parsed<'static> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    let mut reader = TomlReader { text, offset, problems: Vec::new(), scalars: Vec::new(), bad_dates: Vec::new() };
    let span = table.span();
    let kind = reader.table(table.get_ref(), 1);
    let too_deep_found = reader.problems.iter().any(|p| p.rule == Rule::Syntax);
    reader.scalars.sort_unstable();
    reader.bad_dates.sort_unstable();
    let mut whole = !too_deep_found;
    let mut problems: Vec<Problem> = errors
        .iter()
        // The `toml` crate stops at 80 levels: past [`MAX_DEPTH`], which is
        // reported first, its own reports say the same again.
        .filter(|e| !too_deep_found || !e.message().contains("recursi"))
        .filter_map(|e| {
            let span = e.span().map_or(Span::new(0, 0), |r| Span::new(r.start as u32, r.end as u32));
            if within(&reader.bad_dates, span) {
                // Reported as a date, with what the calendar has.
                return None;
            }
            whole &= within(&reader.scalars, span);
            if e.message().contains("recursi") {
                // Keys of more than 80 parts, or values deeper than that.
                return Some(too_deep(span.shift(offset)));
            }
            Some(Problem {
                rule: Rule::Syntax,
                span: span.shift(offset),
                message: first_line(e.message()),
                hint: Some(toml_hint(e.message())),
            })
        })
        .collect();
    problems.append(&mut reader.problems);
    let node = Node { span: Span::new(span.start as u32, span.end as u32).shift(offset), kind };
    Parsed { node, problems, whole }
}

/// Whether `span` lies within one of `spans` (sorted, not overlapping).
fn within(spans: &[(u32, u32)], span: Span) -> bool {
    let i = spans.partition_point(|s| s.0 <= span.start);
    i > 0 && spans[i - 1].1 >= span.end
}

fn toml_hint(message: &str) -> String {
    if message.contains("duplicate key") {
        "each key may appear once in a table".into()
    } else if message.contains("must be quoted") {
        "put the text in quotes: `key = \"value\"`".into()
    } else {
        "front matter between `+++` lines is TOML: `key = \"value\"`, dates as 2026-03-15".into()
    }
}

/// Turns the `toml` crate's tree into a [`Node`], noting where each value
/// is (spans relative to the front matter).
struct TomlReader<'t> {
    text: &'t str,
    offset: u32,
    /// Lists and tables too deep, and dates not in the calendar.
    problems: Vec<Problem>,
    /// Every one-line scalar value: an error within one is at a value.
    scalars: Vec<(u32, u32)>,
    /// Every date-time the `toml` crate could not read.
    bad_dates: Vec<(u32, u32)>,
}

impl TomlReader<'_> {
    /// A table at nesting level `depth` (see [`MAX_DEPTH`]).
    fn table(&mut self, table: &toml::de::DeTable<'_>, depth: usize) -> Kind<'static> {
        let entries = table
            .iter()
            .map(|(k, v)| Entry {
                key: k.get_ref().to_string().into(),
                key_span: Span::new(k.span().start as u32, k.span().end as u32).shift(self.offset),
                value: self.value(v, k.get_ref(), depth + 1),
            })
            .collect();
        Kind::Map(entries)
    }

    /// A value of `key` at nesting level `depth`; a list or table past
    /// [`MAX_DEPTH`] is reported and read as nothing.
    fn value(&mut self, v: &toml::Spanned<toml::de::DeValue<'_>>, key: &str, depth: usize) -> Node<'static> {
        use toml::de::DeValue;
        let at = (v.span().start as u32, v.span().end as u32);
        let span = Span::new(at.0, at.1).shift(self.offset);
        if depth > MAX_DEPTH && matches!(v.get_ref(), DeValue::Array(_) | DeValue::Table(_)) {
            self.problems.push(too_deep(Span::new(span.start, span.start + 1)));
            return Node { span, kind: Kind::Null };
        }
        let raw = self.text.get(v.span()).unwrap_or("");
        if !matches!(v.get_ref(), DeValue::Array(_) | DeValue::Table(_))
            && !raw.starts_with("\"\"\"")
            && !raw.starts_with("\'\'\'")
        {
            self.scalars.push(at);
        }
        let kind = match v.get_ref() {
            DeValue::String(s) => Kind::Str(s.to_string().into()),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i64::from_str_radix(&digits, i.radix()) {
                    Ok(n) => Kind::Int(n),
                    Err(_) => Kind::Str(i.as_str().to_string().into()),
                }
            }
            DeValue::Float(f) => Kind::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
            DeValue::Boolean(b) => Kind::Bool(*b),
            DeValue::Datetime(d) if d.date.is_none() && d.time.is_none() => {
                // Not in the calendar (`2026-13-01`): read as the text.
                self.bad_dates.push(at);
                let (message, hint) = crate::date::not_a_date(raw, key);
                self.problems.push(Problem { rule: Rule::BadDate, span, message, hint: Some(hint) });
                Kind::Str(raw.to_string().into())
            }
            DeValue::Datetime(d) => Kind::Str(d.to_string().into()),
            DeValue::Array(items) => Kind::Seq(items.iter().map(|i| self.value(i, key, depth + 1)).collect()),
            DeValue::Table(t) => self.table(t, depth),
        };
        Node { span, kind }
    }
}

/// Reads YAML into a tree: the YAML records are commonly written in by
/// [`crate::frontmatter_yaml_fast`], the rest, and anything wrong, from
/// granit-parser's events ([`crate::frontmatter_yaml::read`]), which
/// report what is wrong. Spans are byte offsets into `text`.
pub fn read_yaml(text: &str) -> Result<Node<'_>, crate::frontmatter_yaml::YamlError> {
    match crate::frontmatter_yaml_fast::read(text) {
        Some(node) => Ok(node),
        None => crate::frontmatter_yaml::read(text),
    }
}

/// Parses YAML ([`read_yaml`]), keeping each value's position. Keys and
/// strings written without escapes are borrowed from `text`, not copied.
pub fn parse_yaml(text: &str, offset: u32) -> Parsed<'_> {
    if text.trim().is_empty() {
        return Parsed {
            node: Node { span: Span::new(offset, offset), kind: Kind::Null },
            problems: Vec::new(),
            whole: true,
        };
    }
    match read_yaml(text) {
        Ok(node) => {
            let mut problems = Vec::new();
            let node = shift_node(node, offset, &mut problems);
            // A key written twice: which value was meant is unknown.
            let whole = problems.is_empty();
            Parsed { node, problems, whole }
        }
        Err(e) => {
            let span = Span::new(e.at, e.at + 1).shift(offset);
            let problem = if e.deep {
                too_deep(span)
            } else {
                Problem {
                    rule: Rule::Syntax,
                    span,
                    message: first_line(&e.message),
                    hint: Some("front matter between `---` lines is YAML: `key: value`, lists as `[a, b]`".into()),
                }
            };
            let node = Node { span: Span::new(offset, offset), kind: Kind::Null };
            Parsed { node, problems: vec![problem], whole: false }
        }
    }
}

/// The first line of an error message, without trailing position notes.
fn first_line(message: &str) -> String {
    let line = message.lines().find(|l| !l.trim().is_empty()).unwrap_or(message).trim();
    let line = line.split(" at line ").next().unwrap_or(line);
    let mut out = line.trim_end_matches('.').to_string();
    if let Some(first) = out.get(0..1) {
        let lower = first.to_lowercase();
        out.replace_range(0..1, &lower);
    }
    out
}

/// YAML spans are byte offsets relative to the front matter; they are
/// moved here. On the same walk, a key written twice in one map is reported at its
/// second place (the first is kept).
fn shift_node<'a>(node: Node<'a>, offset: u32, problems: &mut Vec<Problem>) -> Node<'a> {
    let kind = match node.kind {
        Kind::Seq(items) => Kind::Seq(items.into_iter().map(|n| shift_node(n, offset, problems)).collect()),
        Kind::Map(entries) => {
            let mut kept: Vec<Entry<'a>> = Vec::with_capacity(entries.len());
            let mut seen = crate::hash::FastSet::default();
            for e in entries {
                let key_span = e.key_span.shift(offset);
                // Few keys are compared one by one; many, by a set.
                let twice = if kept.len() < 16 {
                    kept.iter().any(|k| k.key == e.key)
                } else {
                    if seen.is_empty() {
                        seen.extend(kept.iter().map(|k| k.key.clone()));
                    }
                    !seen.insert(e.key.clone())
                };
                if twice {
                    problems.push(Problem {
                        rule: Rule::Syntax,
                        span: key_span,
                        message: format!("duplicate key `{}`", e.key),
                        hint: Some("each key may appear once in a table".into()),
                    });
                    continue;
                }
                kept.push(Entry { key: e.key, key_span, value: shift_node(e.value, offset, problems) });
            }
            Kind::Map(kept)
        }
        other => other,
    };
    Node { span: node.span.shift(offset), kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(node: &Node<'_>, text: &str) -> Vec<(String, String)> {
        let Kind::Map(entries) = &node.kind else { panic!("not a map") };
        entries
            .iter()
            .map(|e| {
                let k = &text[e.key_span.start as usize..e.key_span.end as usize];
                let v = &text[e.value.span.start as usize..e.value.span.end as usize];
                (k.to_string(), v.to_string())
            })
            .collect()
    }

    #[test]
    fn toml_spans_point_into_the_file() {
        let text = "+++\ntitle = \"Hi\"\nstarted = 2026-01-12\n+++\nbody";
        let s = split(text);
        assert!(s.problems.is_empty());
        assert_eq!(&text[s.body_start..], "body");
        assert_eq!(
            keys(&s.front, text),
            vec![("title".into(), "\"Hi\"".into()), ("started".into(), "2026-01-12".into())]
        );
    }

    #[test]
    fn yaml_spans_point_into_the_file() {
        let text = "---\ntitle: Hé there\nweight: 3\ntags: [a, b]\n---\nbody";
        let s = split(text);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let k = keys(&s.front, text);
        assert_eq!(k[0], ("title".into(), "Hé there".into()));
        assert_eq!(k[1], ("weight".into(), "3".into()));
        assert_eq!(k[2].0, "tags");
    }

    #[test]
    fn unclosed_and_broken() {
        let s = split("+++\ntitle = \"x\"\n");
        assert_eq!(s.problems[0].message, "front matter opened with `+++` is never closed");
        let s = split("+++\ntitle = \n+++\n");
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].span.start >= 4);
        let s = split("---\ntitle: [a\n---\n");
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert!(!s.whole);
    }

    #[test]
    fn an_error_at_a_value_leaves_the_rest_readable() {
        let text = "+++\nstarted = 2026-13-01\nstage = pilot\nn = [1, 2026-02-30]\nowner = \"A\"\n+++\n";
        let s = split(text);
        assert!(s.whole, "{:?}", s.problems);
        let rules: Vec<(Rule, &str)> =
            s.problems.iter().map(|p| (p.rule, &text[p.span.start as usize..p.span.end as usize])).collect();
        assert_eq!(rules, vec![(Rule::Syntax, "pilot"), (Rule::BadDate, "2026-13-01"), (Rule::BadDate, "2026-02-30")]);
        let k = keys(&s.front, text);
        assert_eq!(k.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["started", "stage", "n", "owner"]);
        let Kind::Map(entries) = &s.front.kind else { panic!("not a map") };
        assert_eq!(entries[0].value.kind, Kind::Str("2026-13-01".into()));
        // A string never closed over several lines loses what follows.
        let s = split("+++\na = \"\"\"x\nb = 1\n+++\n");
        assert!(!s.whole, "{:?}", s.problems);
    }

    #[test]
    fn closing_fences() {
        for (text, close) in [
            ("+++\n+++\n", Some(4)),
            ("+++\n", None),
            ("+++", None),
            ("+++\na = 1\n+++ \r\nbody", Some(10)),
            ("+++\na = \"+++\"\n++++\n +++\n+++x\n+++\n", Some(29)),
            ("+++\né = \"é+\"\n+é\n+++", Some(19)),
            ("---\n- a\n-- b\n---\n", Some(13)),
        ] {
            let from = text.find('\n').map_or(text.len(), |i| i + 1);
            assert_eq!(closing_fence(text, from, &text[..3]).map(|c| c.0), close, "{text:?}");
        }
    }

    #[test]
    fn a_yaml_key_written_twice_is_reported_at_its_second_place() {
        let text = "---\ntitle: a\nstages:\n  idea: 2026-01-01\n  idea: 2026-02-01\ntitle: b\n---\n";
        let s = split(text);
        let found: Vec<(&str, &str)> = s
            .problems
            .iter()
            .map(|p| (p.message.as_str(), &text[p.span.start as usize..p.span.end as usize]))
            .collect();
        assert_eq!(found, [("duplicate key `idea`", "idea"), ("duplicate key `title`", "title")]);
        assert_eq!(text[..s.problems[0].span.start as usize].lines().count(), 5, "the second `idea`, on line 5");
        assert!(!s.whole);
        // Many keys, and merge keys, which still merge.
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect::<String>() + "k7: again\n";
        let many = format!("---\n{many}---\n");
        let s = split(&many);
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert_eq!(s.problems[0].message, "duplicate key `k7`");
        let s = split("---\nbase: &b {a: 1}\nmore:\n  <<: *b\n  c: 2\n---\n");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let Kind::Map(top) = &s.front.kind else { panic!("not a map") };
        let Kind::Map(more) = &top[1].value.kind else { panic!("not a map") };
        assert_eq!(more.iter().map(|e| e.key.as_ref()).collect::<Vec<_>>(), ["c", "a"]);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Just text\n");
        assert!(!s.present);
        assert_eq!(s.body_start, 0);
    }
}

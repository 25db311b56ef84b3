//! A fast path for YAML front matter: reads the YAML that records are
//! written in (block tables and lists, a list's items as tables written
//! `- key: value`, plain and quoted one-line values, one-line `[a, b]`
//! lists and `{a: 1, b: 2}` tables, comments) straight into a [`Node`],
//! with the spans, values and kinds that [`crate::frontmatter_yaml::read`]
//! gives the same text. Anything else (anchors, tags, `|` and `>` blocks,
//! nested `[...]` and `{...}`, escapes, values over several lines, tabs,
//! odd indentation) and anything wrong
//! returns `None`, and granit-parser's events are read instead (which
//! also report what is wrong). It decides nothing of its own: a plain
//! value means what [`scalar`] says, a key what [`key`] says.
//!
//! At 10,000 records of the realistic mix, a third of them in YAML, the
//! events took about a quarter of a second of the model stage. The tests
//! below hold the two readers to the same trees (kinds, values, spans) on
//! generated records, the repository's pages and random text, and
//! tests/yaml_reader.rs holds [`crate::frontmatter::read_yaml`], which
//! tries this first, to serde-saphyr.

use crate::diag::Span;
use crate::frontmatter_yaml::{key, scalar, YamlTag};
use crate::node::{Entry, Kind, Node, MAX_DEPTH};
use std::borrow::Cow;

/// The front matter `text` as a tree (spans are byte offsets into `text`),
/// or `None` when the fast path does not read it.
pub(crate) fn read(text: &str) -> Option<Node<'_>> {
    let b = text.as_bytes();
    // Tabs (which YAML forbids in indentation), carriage returns and a
    // byte order mark are left to the parser.
    if memchr::memchr2(b'\t', b'\r', b).is_some() || text.starts_with('\u{feff}') {
        return None;
    }
    let mut p = Reader { text, b, pos: 0 };
    let first = p.line()?;
    if first.indent != 0 {
        return None;
    }
    let root = p.map(0, first.start, 1)?;
    // The root table ends only where the text does.
    (p.line()?.start == b.len()).then_some(root)
}

/// How deep the fast path nests; deeper front matter is left to the
/// parser, which reports nesting past [`MAX_DEPTH`].
const DEEPEST: usize = MAX_DEPTH - 2;

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    /// The start of the next line not yet read.
    pos: usize,
}

/// A line with content (not blank, not only a comment).
#[derive(Clone, Copy)]
struct Line {
    /// Where its content starts; the text's length at the end.
    start: usize,
    /// Its indentation, in spaces.
    indent: usize,
    /// Where it ends (its `\n`, or the end of the text).
    end: usize,
}

impl Line {
    /// Whether the line is an item of a block list: `-` then a space or
    /// its end.
    fn is_item(self, b: &[u8]) -> bool {
        b.get(self.start) == Some(&b'-') && matches!(b.get(self.start + 1), None | Some(b' ' | b'\n'))
    }
}

/// Whether `b` may start a plain value: a letter, a digit, a character
/// outside ASCII, or punctuation that is no YAML indicator. `-` only
/// before a digit (a negative number), which the caller checks.
fn plain_start(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || b >= 0x80
        || matches!(b, b'_' | b'.' | b'/' | b'(' | b'+' | b'$' | b'~' | b'=' | b'<' | b';' | b'^')
}

/// Whether a key's byte is one the fast path reads: keys are words such
/// as `title` or `risk-assessment`.
fn key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Whether every character of `s` is one YAML reads as it is in a value
/// (printable, not a line break of its own): no control characters, no
/// DEL, no C1 controls, no U+2028/U+2029, no byte order mark, no
/// U+FFFE/U+FFFF.
fn printable(s: &str) -> bool {
    let ascii_ok = s.bytes().all(|b| b >= 0x20 && b != 0x7f);
    ascii_ok
        && (s.is_ascii()
            || s.chars().all(|c| {
                c.is_ascii()
                    || (c >= '\u{a0}' && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
            }))
}

impl<'a> Reader<'a> {
    /// The next line with content from `self.pos` (not consumed); a line
    /// at the text's end when there is none. `None` for what only the
    /// parser reads: a document marker (`---`, `...`) or a directive.
    fn line(&self) -> Option<Line> {
        let b = self.b;
        let mut at = self.pos;
        loop {
            if at >= b.len() {
                return Some(Line { start: b.len(), indent: 0, end: b.len() });
            }
            let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
            let indent = b[at..end].iter().take_while(|&&c| c == b' ').count();
            let start = at + indent;
            if start == end || b[start] == b'#' {
                at = end + 1;
                continue;
            }
            if indent == 0 && (b[start..].starts_with(b"---") || b[start..].starts_with(b"...") || b[start] == b'%') {
                return None;
            }
            return Some(Line { start, indent, end });
        }
    }

    /// Where the `:` after the key word starting at `at` is, when a space
    /// or the line's end (`end`) follows it: a key the fast path reads.
    fn key_colon(&self, at: usize, end: usize) -> Option<usize> {
        let colon = at + self.b[at..end].iter().take_while(|&&c| key_byte(c)).count();
        (colon > at
            && colon < end
            && self.b[colon] == b':'
            && matches!(self.b.get(colon + 1), None | Some(b' ' | b'\n')))
        .then_some(colon)
    }

    /// A block table whose keys stand at column `indent`, the first at
    /// `first` (on the line at `self.pos`).
    fn map(&mut self, indent: usize, first: usize, depth: usize) -> Option<Node<'a>> {
        if depth > DEEPEST {
            return None;
        }
        let mut entries = Vec::with_capacity(8);
        let mut at = first;
        loop {
            let end = memchr::memchr(b'\n', &self.b[at..]).map_or(self.b.len(), |i| at + i);
            let colon = self.key_colon(at, end)?;
            let text = &self.text[at..colon];
            let key = key(Cow::Borrowed(text), true, YamlTag::None).ok()?;
            let value = self.value(colon, end, indent, depth)?;
            entries.push(Entry { key, key_span: Span::new(at as u32, colon as u32), value });
            let next = self.line()?;
            if next.start == self.b.len() || next.indent < indent {
                break;
            }
            if next.indent > indent || next.is_item(self.b) {
                return None;
            }
            self.pos = next.start - next.indent;
            at = next.start;
        }
        Some(Node { span: Span::new(first as u32, first as u32), kind: Kind::Map(entries) })
    }

    /// The value of the key whose `:` is at `colon`, on the line ending at
    /// `end`, in a table at column `indent`: on the same line, or a table
    /// or list on the lines after it, or nothing. Leaves `self.pos` at the
    /// line after the value.
    fn value(&mut self, colon: usize, end: usize, indent: usize, depth: usize) -> Option<Node<'a>> {
        let at = colon + 1 + self.b[colon + 1..end].iter().take_while(|&&c| c == b' ').count();
        if at < end && self.b[at] != b'#' {
            let node = self.inline(at, end)?;
            self.pos = end + 1;
            // A line deeper than the table continues the value: the parser's.
            let next = self.line()?;
            return (next.start == self.b.len() || next.indent <= indent).then_some(node);
        }
        self.pos = end + 1;
        let next = self.line()?;
        if next.start < self.b.len() {
            if next.is_item(self.b) && next.indent >= indent {
                self.pos = next.start - next.indent;
                return self.seq(next.indent, next.indent == indent, depth + 1);
            }
            if next.indent > indent {
                self.pos = next.start - next.indent;
                return self.map(next.indent, next.start, depth + 1);
            }
        }
        // Nothing: the parser places it at the `:`.
        Some(Node { span: Span::new(colon as u32, colon as u32), kind: Kind::Null })
    }

    /// A block list whose `-` stand at column `indent`, on the line at
    /// `self.pos`. `flush` when it stands at its key's column: the parser
    /// then places the list at its first item, else at its first `-`.
    fn seq(&mut self, indent: usize, flush: bool, depth: usize) -> Option<Node<'a>> {
        if depth > DEEPEST {
            return None;
        }
        let mut items = Vec::new();
        let mut span = None;
        loop {
            let line = self.line()?;
            let dash = line.start;
            let at = dash + 1 + self.b[dash + 1..line.end].iter().take_while(|&&c| c == b' ').count();
            if at >= line.end || self.b[at] == b'#' {
                // An item on the lines below, or nothing: the parser's.
                return None;
            }
            span.get_or_insert(if flush { at } else { dash });
            if self.key_colon(at, line.end).is_some() {
                // `- key: value`: a table whose keys stand where its first does.
                items.push(self.map(at - (line.start - line.indent), at, depth + 1)?);
            } else {
                items.push(self.inline(at, line.end)?);
                self.pos = line.end + 1;
                let next = self.line()?;
                if next.start < self.b.len() && next.indent > indent {
                    return None;
                }
            }
            let next = self.line()?;
            if next.start == self.b.len() || next.indent < indent || !next.is_item(self.b) {
                break;
            }
            if next.indent > indent {
                return None;
            }
            self.pos = next.start - next.indent;
        }
        let at = span? as u32;
        Some(Node { span: Span::new(at, at), kind: Kind::Seq(items) })
    }

    /// A value written on one line from `at` to the line's `end`: quoted,
    /// a `[...]` list or plain, then nothing but spaces and a comment.
    fn inline(&self, at: usize, end: usize) -> Option<Node<'a>> {
        let (node, after) = match self.b[at] {
            b'"' | b'\'' => self.quoted(at, end)?,
            b'[' | b'{' => self.flow(at, end)?,
            _ => return self.plain(at, end, false),
        };
        let rest = &self.b[after..end];
        let spaces = rest.iter().take_while(|&&c| c == b' ').count();
        (spaces == rest.len() || (spaces > 0 && rest[spaces] == b'#')).then_some(node)
    }

    /// A quoted value from `at` on one line, without escapes (`\` in
    /// double quotes, `''` in single ones): the node and where it ends.
    fn quoted(&self, at: usize, end: usize) -> Option<(Node<'a>, usize)> {
        let quote = self.b[at];
        let close = at + 1 + memchr::memchr(quote, &self.b[at + 1..end])?;
        let inner = &self.text[at + 1..close];
        if (quote == b'"' && inner.contains('\\')) || (quote == b'\'' && self.b.get(close + 1) == Some(&b'\'')) {
            return None;
        }
        if !printable(inner) {
            return None;
        }
        let node = Node { span: Span::new(at as u32, close as u32 + 1), kind: Kind::Str(Cow::Borrowed(inner)) };
        Some((node, close + 1))
    }

    /// A plain value from `at`, up to the line's `end` (a comment cut
    /// off, spaces at its end left out), or in a `[...]` list (`flow`) up
    /// to the `,` or `]` after it.
    fn plain(&self, at: usize, end: usize, flow: bool) -> Option<Node<'a>> {
        let first = self.b[at];
        let negative = first == b'-' && self.b.get(at + 1).is_some_and(u8::is_ascii_digit);
        if !plain_start(first) && !negative {
            return None;
        }
        let mut stop = end;
        for (i, &c) in self.b[at..end].iter().enumerate() {
            let i = at + i;
            match c {
                // `key: value` inside a value, or a `:` at its end.
                b':' if !flow && matches!(self.b.get(i + 1), None | Some(b' ' | b'\n')) => return None,
                b':' | b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'\'' if flow => {
                    if matches!(c, b',' | b']' | b'}') {
                        stop = i;
                        break;
                    }
                    return None;
                }
                b'#' if self.b[i - 1] == b' ' => {
                    if flow {
                        return None;
                    }
                    stop = i;
                    break;
                }
                _ => {}
            }
        }
        let text = self.text[at..stop].trim_end_matches(' ');
        if !printable(text) {
            return None;
        }
        let kind = scalar(Cow::Borrowed(text), true, YamlTag::None).ok()?;
        Some(Node { span: Span::new(at as u32, (at + text.len()) as u32), kind })
    }

    /// A `[...]` list or a `{...}` table on one line from `at`: its items
    /// plain or quoted, none empty, no list or table inside; a table's keys
    /// words followed by `: `. The node and where it ends.
    fn flow(&self, at: usize, end: usize) -> Option<(Node<'a>, usize)> {
        let map = self.b[at] == b'{';
        let close = if map { b'}' } else { b']' };
        let (mut items, mut entries) = (Vec::new(), Vec::new());
        let skip = |i: usize| i + self.b[i..end].iter().take_while(|&&c| c == b' ').count();
        let mut i = skip(at + 1);
        let span = Span::new(at as u32, at as u32 + 1);
        let done = |items, entries, i: usize| {
            let kind = if map { Kind::Map(entries) } else { Kind::Seq(items) };
            Some((Node { span, kind }, i + 1))
        };
        if i < end && self.b[i] == close {
            return done(items, entries, i);
        }
        loop {
            if i >= end {
                return None;
            }
            let key = if map {
                // `{a:}`, `{a:` at the line's end: no value follows, the parser's.
                let colon = self.key_colon(i, end)?;
                let key = key(Cow::Borrowed(&self.text[i..colon]), true, YamlTag::None).ok()?;
                let key_span = Span::new(i as u32, colon as u32);
                i = skip(colon + 1);
                if i >= end {
                    return None;
                }
                Some((key, key_span))
            } else {
                None
            };
            let value = match self.b[i] {
                b'"' | b'\'' => {
                    let (node, after) = self.quoted(i, end)?;
                    i = after;
                    node
                }
                _ => {
                    let node = self.plain(i, end, true)?;
                    i = node.span.end as usize;
                    node
                }
            };
            match key {
                Some((key, key_span)) => entries.push(Entry { key, key_span, value }),
                None => items.push(value),
            }
            i = skip(i);
            match self.b.get(i) {
                Some(b',') if i < end => {
                    i = skip(i + 1);
                    // A `,` before the end: the parser's.
                    if self.b.get(i) == Some(&close) {
                        return None;
                    }
                }
                Some(&c) if c == close && i < end => return done(items, entries, i),
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter_yaml::read as read_events;

    /// The fast path read `text` as the parser's events do, or left it to
    /// them.
    fn same_or_left(text: &str) -> Result<bool, String> {
        match read(text) {
            None => Ok(false),
            Some(fast) => match read_events(text) {
                Ok(events) if events == fast => Ok(true),
                other => Err(format!("{text:?}\n fast: {fast:?}\n events: {other:?}")),
            },
        }
    }

    fn assert_read(text: &str) {
        assert_eq!(same_or_left(text), Ok(true), "{text:?} is for the fast path");
    }

    fn assert_left(text: &str) {
        assert_eq!(same_or_left(text), Ok(false), "{text:?} is for the parser");
    }

    /// The YAML front matter (between `---` lines) of the Markdown files
    /// under `dir`.
    fn fronts_under(dir: &std::path::Path) -> Vec<String> {
        let md = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().map(|e| e.unwrap().into_path());
        md.filter(|p| p.extension().is_some_and(|e| e == "md"))
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                let (front, _) = text.strip_prefix("---\n")?.split_once("\n---\n")?;
                Some(format!("{front}\n"))
            })
            .collect()
    }

    #[test]
    fn the_generated_records_are_read_by_the_fast_path_as_the_parser_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut mix = crate::synth::Mix::REALISTIC;
        mix.yaml_share = 1.0;
        crate::synth::write_site_with(dir.path(), 120, 7, &mix).unwrap();
        let fronts = fronts_under(&dir.path().join("content"));
        assert!(fronts.len() >= 120, "{} YAML front matters", fronts.len());
        for text in &fronts {
            assert_read(text);
        }
    }

    #[test]
    fn the_repository_pages_read_the_same_either_way() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut fronts = fronts_under(&root.join("content"));
        fronts.extend(fronts_under(&root.join("tests/fixtures")));
        fronts.extend(fronts_under(&root.join("starter")));
        let wrong: Vec<String> = fronts.iter().filter_map(|t| same_or_left(t).err()).collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
        let read = fronts.iter().filter(|t| same_or_left(t) == Ok(true)).count();
        assert!(read * 2 > fronts.len(), "the fast path read {read} of {}", fronts.len());
    }

    #[test]
    fn what_records_are_written_in_is_read_with_the_parser_spans() {
        for text in [
            "title: \"Pilot 1: x\"\nsummary: model workflow  # a comment\nempty:\ntags: [rollout, owner]\n",
            "# a comment first\n\nk:   v   \nnone: []\nspaced: [ a , 'b' ,\"c\" ]  # c\n",
            "stages:\n  idea: 2026-03-25\n  pilot: 2026-05-01\nz: 1\n",
            "list:\n- a\n- b\nnest:\n  - a\n  - \"q\"\n  -   b\nafter: x\n",
            "integration:\n  - system: ERP\n    direction: reads\n  - s: 1\n    t:\n      deep: yes\nq: 'single'\n",
            "list:\n- a: 1\n  b: x y\n- c: 2\n",
            "m:\n  e:\n  f: [1, \"x\", y z, -3, 1.5, ~, true, null]\n  g: ~\n",
            "n: -12\nf: 2.5e3\nh: 0x1F\nb: off\nd: 2026-01-01\nu: https://wiki.example/a:b\nnote: it's [fine], {really}\n",
            "owner: José Núñez, Directrice générale\nname: 日本語\n",
            "a: 1\n\n\n# trailing comment\n",
            "a:\n  - x\n\n  - y\nb: [a]",
            "a:\n  b:\n  - x\n  c: 1\n",
            "c: { leader: 5, team: 4 }\nd: {a: x y, b: \"1\"}\ne: {}\nf: [ ]\n",
        ] {
            assert_read(text);
        }
    }

    #[test]
    fn what_the_fast_path_does_not_read_is_left_to_the_parser() {
        for text in [
            // Anchors, aliases, tags, merge keys.
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            // Flow tables, nested flow lists, a comma before the `]`.
            "a: {b: 1, c}\n",
            "a: {b:1}\n",
            "a: {\"b\": 1}\n",
            "a: {b: {c: 1}}\n",
            "a: [1}\n",
            "a: [[1]]\n",
            "a: [1, 2,]\n",
            "a: [1,\n  2]\n",
            // Blocks, escapes, values over several lines.
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: \"x\\ny\"\n",
            "a: 'it''s'\n",
            "a: \"open\n  close\"\n",
            "a: one\n  two\n",
            "a: one\n\n  two\n",
            // Keys the fast path does not read, and keys that are nothing.
            "\"quoted\": 1\n",
            "a key: 1\n",
            "null: 1\n",
            "~: 1\n",
            "? a\n: b\n",
            // A value holding `: `, or ending in `:`, or starting with an indicator.
            "a: b: c\n",
            "a: b:\n",
            "a: - b\n",
            "a: @b\n",
            "a: `b`\n",
            "a: %b\n",
            // Tabs, carriage returns, a byte order mark, control characters.
            "a:\t1\n",
            "a: 1\r\nb: 2\r\n",
            "\u{feff}a: 1\n",
            "a: x\u{7}y\n",
            "a: x\u{85}y\n",
            "a: x\u{2028}y\n",
            // Documents, directives, roots that are not tables.
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "%YAML 1.2\n---\na: 1\n",
            "- a\n- b\n",
            "just text\n",
            "# only a comment\n",
            // Odd indentation, items where a key is meant, empty items.
            "a: 1\n b: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "a: 1\n- b\n",
            "a:\n  -\n    b: 1\n",
            "a:\n  - - 1\n",
            "a:\n  - # nothing\n",
            // Values that are refused (the parser says why).
            "a: .inf\n",
            "a: 18446744073709551615\n",
        ] {
            assert_left(text);
        }
    }

    #[test]
    fn nesting_past_what_the_fast_path_reads_is_left_to_the_parser() {
        let mut block = String::from("x:\n");
        for level in 1..MAX_DEPTH + 2 {
            block.push_str(&format!("{}a:\n", "  ".repeat(level)));
        }
        assert_left(&block);
        let mut shallow = String::from("x:\n");
        for level in 1..DEEPEST {
            shallow.push_str(&format!("{}a:\n", "  ".repeat(level)));
        }
        assert_read(&shallow);
    }

    /// A small random generator for [`random_record`] (xorshift).
    struct Rng(u64);

    impl Rng {
        fn pick(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn one<'s>(&mut self, of: &[&'s str]) -> &'s str {
            of[self.pick(of.len())]
        }
    }

    /// Pieces of values: words, and what matters to YAML in a value.
    const PIECES: [&str; 40] = [
        "a",
        "Pilot 1",
        "x: y",
        "a#b",
        "a #b",
        "- x",
        "it's",
        "[x]",
        "{y}",
        "2026-01-01",
        "12",
        "-3",
        "1.5",
        "~",
        "null",
        "true",
        "yes",
        "0x1F",
        "007",
        ".inf",
        "é",
        "ü ß",
        "a,b",
        ":",
        "?",
        "!",
        "&a",
        "*a",
        "|",
        ">",
        "@",
        "%",
        "`",
        "\\",
        "\"",
        "''",
        "x:",
        "https://a.b/c",
        "1_000",
        "<<",
    ];

    fn random_value(rng: &mut Rng) -> String {
        // Half the words plain ones, so that many records are the fast path's.
        let word = |rng: &mut Rng| {
            if rng.pick(4) == 0 {
                rng.one(&PIECES)
            } else {
                rng.one(&["owner", "Grace Lin", "2026-03-25", "7", "review, legal", "x.y", "(draft)", "é"])
            }
        };
        let words = |rng: &mut Rng| (0..1 + rng.pick(3)).map(|_| word(rng)).collect::<Vec<_>>().join(" ");
        let v = match rng.pick(8) {
            0 => format!("\"{}\"", words(rng)),
            1 => format!("'{}'", words(rng)),
            2 => format!("[{}]", (0..rng.pick(4)).map(|_| word(rng)).collect::<Vec<_>>().join(", ")),
            3 => format!(
                "{{{}}}",
                (0..rng.pick(3)).map(|i| format!("k{i}: {}", word(rng))).collect::<Vec<_>>().join(", ")
            ),
            _ => words(rng),
        };
        match rng.pick(6) {
            0 => v + "  ",
            1 => v + " # note",
            _ => v,
        }
    }

    /// A record-like YAML text: tables, lists and lists of tables at
    /// random indentation, values from [`PIECES`], and now and then a
    /// blank line, a comment, a line deeper than it should be.
    fn random_record(seed: u64) -> String {
        fn block(rng: &mut Rng, indent: usize, depth: usize, out: &mut String) {
            let pad = " ".repeat(indent);
            for _ in 0..1 + rng.pick(4) {
                match rng.pick(40) {
                    0..=2 => out.push('\n'),
                    3..=5 => out.push_str(&format!("{}# comment\n", " ".repeat(rng.pick(6)))),
                    6 => out.push_str(&format!("{pad}   more text\n")),
                    _ => {}
                }
                let key = match rng.pick(30) {
                    0 => rng.one(&["null", "x y", "\"q\"", "~", "<<"]),
                    _ => rng.one(&["a", "b", "title", "risk-assessment", "k1", "k1", "v.2", "2026", "yes"]),
                };
                let step = 1 + rng.pick(4);
                match if depth > 3 { 0 } else { rng.pick(5) } {
                    0 | 1 => out.push_str(&format!("{pad}{key}: {}\n", random_value(rng))),
                    2 => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        if rng.pick(3) > 0 {
                            block(rng, indent + step, depth + 1, out);
                        }
                    }
                    _ => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        let dash = if rng.pick(2) == 0 { indent } else { indent + step };
                        for _ in 0..1 + rng.pick(3) {
                            let gap = " ".repeat(1 + rng.pick(2));
                            if rng.pick(2) == 0 {
                                out.push_str(&format!("{}-{gap}{}\n", " ".repeat(dash), random_value(rng)));
                            } else {
                                let inner = dash + 1 + gap.len();
                                out.push_str(&format!("{}-{gap}k: {}\n", " ".repeat(dash), random_value(rng)));
                                block(rng, inner, depth + 1, out);
                            }
                        }
                    }
                }
            }
        }
        let mut rng = Rng(seed | 1);
        let mut out = String::new();
        block(&mut rng, 0, 0, &mut out);
        out
    }

    #[test]
    fn random_records_are_mostly_read_by_the_fast_path() {
        let read = (1..=600u64).filter(|&seed| same_or_left(&random_record(seed)) == Ok(true)).count();
        assert!(read > 150, "the fast path read {read} of 600 random records");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4000, ..Default::default() })]
        /// Lines of keys, items and values made of the characters that
        /// matter to YAML: whatever the fast path reads, it reads as the
        /// parser does.
        #[test]
        fn any_text_is_read_as_the_parser_reads_it_or_left_to_it(
            text in "([ ]{0,5}(- ){0,2}([a-z0-9_.-]{1,4}:)?( {1,2}[a-zA-Z0-9 :#,.'\"~!&*|>{}\\[\\]\\\\é-]{0,14})?( #x)?\n){1,10}"
        ) {
            let got = same_or_left(&text);
            proptest::prop_assert!(got.is_ok(), "{}", got.unwrap_err());
        }

        /// Record-like text with what matters to YAML in its values: read
        /// as the parser reads it, or left to it.
        #[test]
        fn random_records_are_read_as_the_parser_reads_them_or_left_to_it(seed in proptest::num::u64::ANY) {
            let text = random_record(seed);
            let got = same_or_left(&text);
            proptest::prop_assert!(got.is_ok(), "{}", got.unwrap_err());
        }

        /// Well-formed records of tables, lists and lists of tables, at
        /// any indentation: read by the fast path, as the parser reads them.
        #[test]
        fn nested_tables_and_lists_are_read_as_the_parser_reads_them(
            indent in 1usize..5,
            flush in proptest::bool::ANY,
            keys in proptest::collection::vec("[a-z][a-z0-9_-]{0,6}", 1..5),
            values in proptest::collection::vec("[a-zA-Z0-9][a-zA-Z0-9 ,./é'-]{0,12}[a-zA-Z0-9]|-?[0-9]{1,4}|\"[a-z :#]{0,8}\"|\\[[a-z0-9]{1,3}(, [a-z0-9]{1,3}){0,3}\\]", 1..5),
        ) {
            let pad = " ".repeat(indent);
            let dash = if flush { String::new() } else { pad.clone() };
            let mut text = String::new();
            for (i, k) in keys.iter().enumerate() {
                let v = &values[i % values.len()];
                text.push_str(&format!("{k}{i}: {v}\nt{i}:\n{pad}{k}: {v}\n{pad}n{i}:\n{pad}{pad}x: {v}\nl{i}:\n"));
                for v in &values {
                    text.push_str(&format!("{dash}- {v}\n"));
                }
                text.push_str(&format!("m{i}:\n"));
                for v in &values {
                    text.push_str(&format!("{dash}- {k}: {v}\n{dash}  o: {v}\n"));
                }
            }
            let got = same_or_left(&text);
            proptest::prop_assert!(got.is_ok(), "{}", got.unwrap_err());
        }
    }
}

//! A fast path for TOML front matter: reads the TOML that records are
//! written in (tables, arrays of tables, strings, whole numbers, booleans,
//! dates, arrays and one-line inline tables) straight into a [`Node`], with
//! the same spans as the full parser. Anything else, and anything wrong,
//! returns `None`, and the `toml` crate reads the text instead (and reports
//! what is wrong). At 10,000 records the `toml` crate took most of the
//! model stage; a differential test holds the two to the same trees.

use crate::diag::Span;
use crate::node::MAX_DEPTH;
use crate::node::{Entry, Kind, Node};
use std::borrow::Cow;

/// The front matter `text` (starting `offset` bytes into its file) as a
/// tree, or `None` when the fast path does not read it.
pub(crate) fn parse(text: &str, offset: u32) -> Option<Node<'_>> {
    let mut p = Parser { s: text.as_bytes(), text, pos: 0, offset, keys: Vec::new(), depth: 1 };
    let mut root = Node { span: Span::new(offset, offset), kind: Kind::Map(Vec::with_capacity(TABLE)) };
    // The table that `key = value` lines go into, as a path of entry
    // indexes from the root (into the last element of an array of tables).
    let mut current: Vec<usize> = Vec::new();
    // Tables made by a header, named (which may not be named again) or on
    // the way to one (which a later header may go through).
    let mut defined: Vec<Vec<usize>> = Vec::new();
    let mut implicit: Vec<Vec<usize>> = Vec::new();
    loop {
        p.skip_blank_lines()?;
        match p.peek() {
            None => return Some(root),
            Some(b'[') => p.header(&mut root, &mut current, &mut defined, &mut implicit)?,
            Some(_) => {
                let entry = p.key_value()?;
                p.line_end()?;
                let Kind::Map(entries) = &mut table_at(&mut root, &current)?.kind else { return None };
                add(entries, entry)?;
            }
        }
    }
}

/// Adds `entry` to a table; a key given twice is left to the full parser,
/// and so is a table of more than [`WIDE`] keys.
fn add<'a>(entries: &mut Vec<Entry<'a>>, entry: Entry<'a>) -> Option<()> {
    if entries.len() >= WIDE {
        return None;
    }
    // Length and first byte before the bytes: most keys of a table differ there.
    let (key, first) = (entry.key.as_bytes(), entry.key.as_bytes().first());
    if entries.iter().any(|e| e.key.len() == key.len() && e.key.as_bytes().first() == first && e.key.as_bytes() == key)
    {
        return None;
    }
    entries.push(entry);
    Some(())
}

/// The table at `path`: entry indexes from the root, through the last
/// element of any array of tables on the way.
fn table_at<'a, 't>(root: &'a mut Node<'t>, path: &[usize]) -> Option<&'a mut Node<'t>> {
    let mut node = root;
    for &i in path {
        let Kind::Map(entries) = &mut node.kind else { return None };
        let child = &mut entries.get_mut(i)?.value;
        node = if matches!(child.kind, Kind::Seq(_)) {
            let Kind::Seq(items) = &mut child.kind else { return None };
            items.last_mut()?
        } else {
            child
        };
    }
    Some(node)
}

/// Room made for the entries of a table at first: records' tables have a
/// few keys, so most are made with one allocation.
const TABLE: usize = 8;

/// The most keys of one table, and tables named by headers, that the fast
/// path reads: it looks keys up by walking the list so far, which is
/// fastest for the few keys a record has, and quadratic for many. Past
/// this the `toml` crate, whose tables are hashed, reads the text.
const WIDE: usize = 128;

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    offset: u32,
    /// The keys of a header, kept between headers for their room.
    keys: Vec<(Cow<'a, str>, Span)>,
    /// The nesting level of the table being read, the root's being 1:
    /// past [`MAX_DEPTH`] the full parser reads the text and reports it.
    depth: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn span(&self, start: usize) -> Span {
        Span::new(start as u32 + self.offset, self.pos as u32 + self.offset)
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.pos += 1)
    }

    /// Spaces and tabs.
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// A comment to the end of the line (not the line break).
    fn comment(&mut self) -> Option<()> {
        if self.peek() != Some(b'#') {
            return Some(());
        }
        while let Some(b) = self.peek() {
            match b {
                b'\n' => break,
                b'\t' => {}
                0..=0x1f | 0x7f => return None,
                _ => {}
            }
            self.pos += 1;
        }
        Some(())
    }

    /// Blank lines and comment lines.
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            self.ws();
            self.comment()?;
            match self.peek() {
                Some(b'\n') => self.pos += 1,
                Some(b'\r') => return None,
                _ => return Some(()),
            }
        }
    }

    /// What may follow a value or header: spaces, a comment, the line end.
    fn line_end(&mut self) -> Option<()> {
        self.ws();
        self.comment()?;
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                Some(())
            }
            _ => None,
        }
    }

    /// `key = value`.
    fn key_value(&mut self) -> Option<Entry<'t>> {
        let (key, key_span) = self.key()?;
        self.ws();
        self.expect(b'=')?;
        self.ws();
        let value = self.value()?;
        Some(Entry { key, key_span, value })
    }

    /// A bare or quoted key (not dotted).
    fn key(&mut self) -> Option<(Cow<'t, str>, Span)> {
        let key = self.key_part()?;
        // A dotted key is left to the full parser.
        let after = self.pos;
        self.ws();
        if self.peek() == Some(b'.') {
            return None;
        }
        self.pos = after;
        Some(key)
    }

    /// One part of a key: bare (`a-b_1`) or quoted.
    fn key_part(&mut self) -> Option<(Cow<'t, str>, Span)> {
        let start = self.pos;
        let key = match self.peek()? {
            b'"' => self.basic_string()?,
            b'\'' => self.literal_string()?,
            _ => {
                let bare = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
                self.pos += self.s[start..].iter().take_while(|b| bare(b)).count();
                if self.pos == start {
                    return None;
                }
                Cow::Borrowed(&self.text[start..self.pos])
            }
        };
        Some((key, self.span(start)))
    }

    /// `[a.b]` or `[[a.b]]`: makes the table (and the tables on its way)
    /// and sets `path` to its path.
    fn header(
        &mut self,
        root: &mut Node<'t>,
        path: &mut Vec<usize>,
        defined: &mut Vec<Vec<usize>>,
        implicit: &mut Vec<Vec<usize>>,
    ) -> Option<()> {
        let start = self.pos;
        self.pos += 1;
        let array = self.peek() == Some(b'[');
        if array {
            self.pos += 1;
        }
        let mut keys = std::mem::take(&mut self.keys);
        keys.clear();
        loop {
            self.ws();
            keys.push(self.key_part()?);
            self.ws();
            match self.peek()? {
                b'.' => self.pos += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.expect(b']')?;
        if array {
            self.expect(b']')?;
        }
        let span = self.span(start);
        self.line_end()?;
        // Each key a table, or an array and its last table: at most twice
        // as many levels (the full parser counts them exactly).
        self.depth = 1 + 2 * keys.len();
        if self.depth > MAX_DEPTH {
            return None;
        }
        let found = Self::make_table(root, &keys, array, span, path, defined, implicit);
        self.keys = keys;
        found
    }

    /// The table of a header of `keys`, made with the tables on its way.
    fn make_table(
        root: &mut Node<'t>,
        keys: &[(Cow<'t, str>, Span)],
        array: bool,
        span: Span,
        path: &mut Vec<usize>,
        defined: &mut Vec<Vec<usize>>,
        implicit: &mut Vec<Vec<usize>>,
    ) -> Option<()> {
        let (last, parents) = keys.split_last()?;
        if defined.len() + implicit.len() >= WIDE {
            return None;
        }
        path.clear();
        for (key, key_span) in parents {
            let node = table_at(root, path)?;
            let Kind::Map(entries) = &mut node.kind else { return None };
            match entries.iter().position(|e| e.key == *key) {
                // Through a table a header made, but not through a value or
                // an array of tables (the full parser knows what is meant).
                Some(i) => {
                    path.push(i);
                    if !defined.contains(path) && !implicit.contains(path) {
                        return None;
                    }
                }
                None if entries.len() >= WIDE => return None,
                None => {
                    let value = Node { span: *key_span, kind: Kind::Map(Vec::with_capacity(TABLE)) };
                    entries.push(Entry { key: key.clone(), key_span: *key_span, value });
                    path.push(entries.len() - 1);
                    implicit.push(path.clone());
                }
            }
        }
        let node = table_at(root, path)?;
        let Kind::Map(entries) = &mut node.kind else { return None };
        let (key, key_span) = last;
        let table = Node { span, kind: Kind::Map(Vec::with_capacity(TABLE)) };
        match entries.iter().position(|e| e.key == *key) {
            Some(i) if array => {
                let Kind::Seq(items) = &mut entries[i].value.kind else { return None };
                items.push(table);
                path.push(i);
            }
            // A table named twice, or made implicitly first: the full parser
            // knows what is allowed.
            Some(_) => return None,
            None if entries.len() >= WIDE => return None,
            None => {
                let value = if array { Node { span, kind: Kind::Seq(vec![table]) } } else { table };
                entries.push(Entry { key: key.clone(), key_span: *key_span, value });
                path.push(entries.len() - 1);
            }
        }
        if !array {
            if defined.contains(path) {
                return None;
            }
            defined.push(path.clone());
        }
        Some(())
    }

    fn value(&mut self) -> Option<Node<'t>> {
        let start = self.pos;
        let kind = match self.peek()? {
            b'"' => Kind::Str(self.basic_string()?),
            b'\'' => Kind::Str(self.literal_string()?),
            b'[' | b'{' => {
                // Arrays and inline tables nest: one level each, up to the limit.
                if self.depth >= MAX_DEPTH {
                    return None;
                }
                self.depth += 1;
                let node = if self.peek() == Some(b'[') { self.array() } else { self.inline_table() };
                self.depth -= 1;
                return node;
            }
            b't' if self.s[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Kind::Bool(true)
            }
            b'f' if self.s[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Kind::Bool(false)
            }
            b'0'..=b'9' | b'+' | b'-' => self.number_or_date()?,
            _ => return None,
        };
        // A value ends at a delimiter.
        if !matches!(self.peek(), None | Some(b' ' | b'\t' | b'\n' | b',' | b']' | b'}' | b'#')) {
            return None;
        }
        Some(Node { span: self.span(start), kind })
    }

    /// `"..."` with the standard escapes; not multi-line.
    fn basic_string(&mut self) -> Option<Cow<'t, str>> {
        self.pos += 1;
        if self.s[self.pos..].starts_with(b"\"\"") {
            return None;
        }
        // Borrowed from the text until an escape needs a copy.
        let start = self.pos;
        let mut out: Option<String> = None;
        let mut run = self.pos;
        loop {
            self.pos += plain_run(&self.s[self.pos..]);
            match self.peek()? {
                b'"' => {
                    let end = self.pos;
                    self.pos += 1;
                    return Some(match out {
                        None => Cow::Borrowed(&self.text[start..end]),
                        Some(mut out) => {
                            out.push_str(&self.text[run..end]);
                            Cow::Owned(out)
                        }
                    });
                }
                b'\\' => {
                    let out = out.get_or_insert_with(String::new);
                    out.push_str(&self.text[run..self.pos]);
                    let c = match *self.s.get(self.pos + 1)? {
                        b'u' => self.unicode(4)?,
                        b'U' => self.unicode(8)?,
                        e => {
                            self.pos += 2;
                            match e {
                                b'b' => '\u{8}',
                                b't' => '\t',
                                b'n' => '\n',
                                b'f' => '\u{c}',
                                b'r' => '\r',
                                b'"' => '"',
                                b'\\' => '\\',
                                _ => return None,
                            }
                        }
                    };
                    out.push(c);
                    run = self.pos;
                }
                b'\t' => self.pos += 1,
                0..=0x1f | 0x7f => return None,
                _ => self.pos += 1,
            }
        }
    }

    /// The character of a `\uXXXX` or `\UXXXXXXXX` escape at `pos`; moves
    /// past it.
    fn unicode(&mut self, digits: usize) -> Option<char> {
        let hex = self.text.get(self.pos + 2..self.pos + 2 + digits)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
        self.pos += 2 + digits;
        Some(c)
    }

    /// `'...'`; not multi-line.
    fn literal_string(&mut self) -> Option<Cow<'t, str>> {
        self.pos += 1;
        if self.s[self.pos..].starts_with(b"''") {
            return None;
        }
        let start = self.pos;
        loop {
            match self.peek()? {
                b'\'' => {
                    let out = Cow::Borrowed(&self.text[start..self.pos]);
                    self.pos += 1;
                    return Some(out);
                }
                b'\t' => self.pos += 1,
                0..=0x1f | 0x7f => return None,
                _ => self.pos += 1,
            }
        }
    }

    /// A decimal whole number (`1_000`, `-3`) or a date (`2026-03-15`);
    /// other numbers, times and date-times are left to the full parser.
    fn number_or_date(&mut self) -> Option<Kind<'t>> {
        let start = self.pos;
        let rest = &self.s[start..];
        if rest.len() >= 10 && rest[4] == b'-' && rest[..4].iter().all(u8::is_ascii_digit) {
            let date = self.text.get(start..start + 10)?;
            let after = rest.get(10).copied();
            // A time or a date-time follows: the full parser.
            if matches!(after, Some(b'T' | b't' | b':' | b'.' | b'0'..=b'9'))
                || (after == Some(b' ') && rest.get(11).is_some_and(u8::is_ascii_digit))
            {
                return None;
            }
            if !valid_date(date) {
                return None;
            }
            self.pos += 10;
            return Some(Kind::Str(Cow::Borrowed(date)));
        }
        let mut end = start;
        if matches!(rest.first(), Some(b'+' | b'-')) {
            end += 1;
        }
        let digits_start = end;
        while matches!(self.s.get(end), Some(b'0'..=b'9' | b'_')) {
            end += 1;
        }
        let digits = &self.text[digits_start..end];
        // Leading zeros, misplaced underscores, floats, hex: the full parser.
        if digits.is_empty()
            || digits.starts_with('_')
            || digits.ends_with('_')
            || digits.contains("__")
            || (digits.len() > 1 && digits.starts_with('0'))
            || matches!(self.s.get(end), Some(b'.' | b'e' | b'E' | b'x' | b'o' | b'b' | b'-' | b':'))
        {
            return None;
        }
        let n: i64 = self.text[start..end].replace('_', "").parse().ok()?;
        self.pos = end;
        Some(Kind::Int(n))
    }

    /// `[v, v, ...]`, over lines, with comments and a trailing comma.
    fn array(&mut self) -> Option<Node<'t>> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank_lines()?;
            if self.peek()? == b']' {
                break;
            }
            items.push(self.value()?);
            self.skip_blank_lines()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.pos += 1;
        Some(Node { span: self.span(start), kind: Kind::Seq(items) })
    }

    /// `{ k = v, ... }` on one line, without a trailing comma.
    fn inline_table(&mut self) -> Option<Node<'t>> {
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<Entry<'t>> = Vec::new();
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Node { span: self.span(start), kind: Kind::Map(entries) });
        }
        loop {
            self.ws();
            let entry = self.key_value()?;
            add(&mut entries, entry)?;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => break,
                _ => return None,
            }
        }
        self.pos += 1;
        Some(Node { span: self.span(start), kind: Kind::Map(entries) })
    }
}

/// How many bytes at the start of `s` a basic string holds as they are:
/// up to a quote, a backslash, or a control character other than tab
/// (tested eight bytes at a time: record strings are mostly plain text).
fn plain_run(s: &[u8]) -> usize {
    use crate::scan::{any_below, any_is, first};
    let maybe = |x| any_below(x, 0x20) || any_is(x, b'"') || any_is(x, b'\\') || any_is(x, 0x7f);
    first(s, maybe, |b| matches!(b, b'"' | b'\\' | 0..=0x08 | 0x0a..=0x1f | 0x7f))
}

/// Whether `YYYY-MM-DD` is a date of the calendar (year 1 on).
fn valid_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b[7] != b'-' || ![0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit()) {
        return false;
    }
    // Two digits fit an `i8`, four an `i16`; jiff knows the calendar.
    let num = |r: std::ops::Range<usize>| d[r].bytes().fold(0i16, |n, c| n * 10 + i16::from(c - b'0'));
    let (y, m, day) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
    y >= 1 && jiff::civil::Date::new(y, m, day).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::parse_toml_full;
    use proptest::prelude::*;

    /// The fast path reads `text` as the `toml` crate does, or not at all.
    fn agrees(text: &str) -> bool {
        let crate::frontmatter::Parsed { node: full, problems, .. } = parse_toml_full(text, 4);
        match parse(text, 4) {
            Some(fast) => {
                assert!(problems.is_empty(), "the fast path read what the full parser rejects: {text:?}");
                assert_eq!(fast, full, "different trees for {text:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_records_as_the_toml_crate_does() {
        let doc = r#"title = "A \"quoted\" title \u00e9\U0001F600"   # comment
'lit key' = 'literal'
"quoted key" = "x"
n = 1_000
neg = -3
b = true
no = false
d = 2026-04-15
tags = ["a", "b",
  "c", # c
]
empty = []
nested = [[1, 2], ["x"]]
conf = { leader = 4, team = 2 }
none = {}

[stages]
idea = 2026-04-15

[ readiness . technical ]
latency = "x"

[readiness.governance]
audit = true

[[constraints]]
id = "c0"
due = 2026-11-06

[[constraints]]
id = "c1"
"#;
        assert!(agrees(doc));
        assert!(agrees(""));
        assert!(agrees("# only a comment\n\n"));
        assert!(agrees("a = 1"), "no final line break");
    }

    #[test]
    fn leaves_the_rest_to_the_toml_crate() {
        for text in [
            "a.b = 1\n",
            "a = 1.5\n",
            "a = 0x1f\n",
            "a = 2026-04-15T10:00:00\n",
            "a = 2026-04-15 10:00:00\n",
            "a = 2026-02-30\n",
            "a = \"\"\"multi\nline\"\"\"\n",
            "a = 1\na = 2\n",
            "[t]\n[t]\n",
            "[a.b]\n[a]\n",
            "[[a]]\n[a.b]\n",
            "a = { b = 1, }\n",
            "a = 1 b = 2\n",
            "a = \"\\e\"\n",
            "a = 01\n",
            "a = 1__0\n",
            "a = \"unclosed\n",
            "a =\n",
            "[unclosed\n",
            "a = 1\r\n",
        ] {
            assert!(!agrees(text), "{text:?} should be left to the full parser");
        }
    }

    #[test]
    fn reads_every_generated_and_example_record() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site(dir.path(), 60, 7).unwrap();
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut read, mut all) = (0, 0);
        for root in [dir.path().join("content"), example] {
            for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let Some(rest) = text.strip_prefix("+++\n") else { continue };
                let Some(end) = rest.find("\n+++") else { continue };
                all += 1;
                read += usize::from(agrees(&rest[..end + 1]));
            }
        }
        assert!(all > 100 && read == all, "the fast path read {read} of {all} front matters");
    }

    fn line() -> impl Strategy<Value = String> {
        let keys = prop::sample::select(vec!["a", "b", "title", "\"q k\"", "'l'", "a.b", "x-y_z", "1"]);
        let values = prop::sample::select(vec![
            "1",
            "-2",
            "+3",
            "1_0",
            "0",
            "007",
            "1.5",
            "true",
            "false",
            "2026-03-15",
            "2026-02-29",
            "2024-02-29",
            "\"s\"",
            "\"e\\n\\t\\\"\"",
            "\"\\u00e9\"",
            "'lit'",
            "[]",
            "[1, 2]",
            "[1,\n2,\n]",
            "[\"a\" # c\n]",
            "{}",
            "{ a = 1 }",
            "{ a = 1, b = \"x\" }",
            "{ a = 1, a = 2 }",
            "{ a.b = 1 }",
            "2026-03-15T10:00:00Z",
            "\"bad",
            "nan",
            "inf",
            "[[1], [2]]",
            "{ a = [1, 2] }",
        ]);
        let headers = prop::sample::select(vec![
            "[t]",
            "[t.u]",
            "[ t . v ]",
            "[[arr]]",
            "[[arr.sub]]",
            "[\"q\".r]",
            "[a]",
            "[a.b]",
            "[[t]]",
        ]);
        prop_oneof![
            (keys, values, prop::sample::select(vec!["", " ", "  # c"]))
                .prop_map(|(k, v, tail)| format!("{k} = {v}{tail}")),
            headers.prop_map(String::from),
            prop::sample::select(vec!["", "# comment", "   ", "\t# tab"]).prop_map(String::from),
        ]
    }

    /// `plain_run` stops where a byte-by-byte scan does.
    #[test]
    fn plain_runs_stop_at_the_first_special_byte() {
        let special = |b: u8| matches!(b, b'"' | b'\\' | 0..=0x08 | 0x0a..=0x1f | 0x7f);
        for len in 0..40 {
            for at in 0..=len {
                for b in 0..=255u8 {
                    let mut s = vec![b'a'; len];
                    if at < len {
                        s[at] = b;
                    }
                    let slow = s.iter().position(|&b| special(b)).unwrap_or(len);
                    assert_eq!(plain_run(&s), slow, "{s:?}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        /// Strings of any bytes, quotes, escapes and control characters,
        /// of any length, are read as the `toml` crate reads them.
        #[test]
        fn strings_are_read_as_toml_reads_them(body in "(\\PC|[\"\\\\\t\u{0}-\u{1f}\u{7f}]|\\\\[ntbfr\"\\\\u])*") {
            agrees(&format!("k = \"{body}\"\n"));
        }

        #[test]
        fn never_reads_differently(lines in prop::collection::vec(line(), 0..12)) {
            agrees(&lines.join("\n"));
        }
    }

    /// The documents above are read by the fast path often enough for the
    /// property to mean something.
    #[test]
    fn random_documents_are_often_read_fast() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let docs = prop::collection::vec(line(), 0..6);
        let read =
            (0..2000).filter(|_| docs.new_tree(&mut runner).is_ok_and(|t| agrees(&t.current().join("\n")))).count();
        assert!(read > 300, "only {read} of 2000 read by the fast path");
    }
}

//! Reads YAML front matter into a [`Node`] from the events of
//! `granit-parser` (the parser serde-saphyr is built on), with no serde
//! layer between them and no recursion: containers being read wait on an
//! explicit stack, so depth costs no thread stack.
//!
//! The meaning is the one serde-saphyr gave with pilotdeck's options (its
//! defaults, duplicate keys passed on): see [`scalar`] for what a scalar
//! is, [`Reader::merge`] for merge keys. Aliases are read as copies of what
//! their anchor holds, placed at the alias; every node made and every byte
//! of text copied counts against [`NODE_BUDGET`] and [`COPY_BUDGET`], so a
//! "billion laughs" is an error, not a hang.

use crate::diag::Span;
use crate::node::{Entry, Kind, Node, MAX_DEPTH};
use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, Tag};
use std::borrow::Cow;

/// How many nodes (scalars, lists and tables, each copy an alias makes
/// counted again) one front matter may hold: a record has a few hundred.
pub const NODE_BUDGET: usize = 1_000_000;

/// How many bytes of text the copies aliases make (and anchors keep) may
/// hold, for text that is not borrowed from the front matter (escaped or
/// folded): 64 MiB.
pub const COPY_BUDGET: usize = 64 << 20;

/// Why YAML could not be read, and where (a byte offset in the text).
#[derive(Debug, PartialEq)]
pub struct YamlError {
    pub at: u32,
    pub message: String,
    /// Lists and tables nest deeper than [`MAX_DEPTH`].
    pub deep: bool,
}

/// Reads one YAML document from granit-parser's events. Spans are byte
/// offsets into `text`. A key written twice is kept twice (the caller
/// reports it). [`crate::frontmatter::read_yaml`] tries the fast path
/// ([`crate::frontmatter_yaml_fast`]) first.
pub fn read(text: &str) -> Result<Node<'_>, YamlError> {
    let mut options = granit_parser::Options::default();
    // Flow collections (`[[...]]`) inside the front matter's own table.
    options.flow_nesting_limit = MAX_DEPTH - 1;
    options.emit_comments = false;
    let mut reader = Reader {
        text,
        stack: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        copied: 0,
        root: None,
        last: Span::new(0, 0),
        second: false,
    };
    for item in Parser::new_from_str_with_options(text, options) {
        let (event, span) = item.map_err(|e| scan_error(text, &e))?;
        let span = Span::new(span.start.byte_offset().unwrap_or(0) as u32, span.end.byte_offset().unwrap_or(0) as u32);
        reader.event(event, span)?;
    }
    Ok(reader.root.unwrap_or(Node { span: reader.last, kind: Kind::Null }))
}

/// A parser error, at the line and column the parser gives.
fn scan_error(text: &str, e: &ScanError) -> YamlError {
    let mark = e.marker();
    let line_start: usize = text.split_inclusive('\n').take(mark.line().saturating_sub(1)).map(str::len).sum();
    let col: usize = text[line_start.min(text.len())..].chars().take(mark.col()).map(char::len_utf8).sum();
    let message = match e.kind() {
        ErrorKind::UnknownAnchor => "an alias (`*name`) refers to no anchor (`&name`) before it".to_string(),
        _ => e.info(),
    };
    YamlError { at: (line_start + col) as u32, message, deep: matches!(e.kind(), ErrorKind::RecursionLimitExceeded) }
}

/// A YAML tag as it bears on the value (serde-saphyr's classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlTag {
    /// No tag.
    None,
    /// `!`: the value is text.
    NonSpecific,
    /// `!!str`.
    Str,
    Null,
    Bool,
    Int,
    Float,
    Seq,
    Map,
    Binary,
    Timestamp,
    /// `!!merge`, on a `<<` key.
    Merge,
    /// `!!value`, `!include`: read as untagged, on a scalar only.
    ScalarOther,
    /// `!time`, `!degrees`, `!radians`: angles and durations serde-saphyr
    /// reads only with an option we do not set.
    Angle,
    /// A tag of the author's own (`!thing`): read as untagged.
    Other,
}

const CORE: &str = "tag:yaml.org,2002:";

impl YamlTag {
    pub fn of(tag: Option<&Tag>) -> YamlTag {
        let Some(tag) = tag else { return YamlTag::None };
        for prefix in ["!include", "tag:yaml.org,2002:include", "tag:yaml.org,2002:!include"] {
            if tag.suffix_in_namespace(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('#')) {
                return YamlTag::ScalarOther;
            }
        }
        if let Some(core) = tag.core_suffix().and_then(core_name) {
            return core;
        }
        if let Some(name) = tag.suffix_in_namespace(CORE) {
            return match name.as_ref() {
                "merge" => YamlTag::Merge,
                "value" => YamlTag::ScalarOther,
                name => tag_name(name.strip_prefix('!').unwrap_or(name)),
            };
        }
        let Some(name) = tag.suffix_in_namespace("!") else { return YamlTag::Other };
        match name.as_ref() {
            "" | "!" => YamlTag::NonSpecific,
            "!timestamp" => YamlTag::Timestamp,
            "!binary" => YamlTag::Binary,
            name => match name.strip_prefix('!') {
                Some(core) => core_name(core).unwrap_or(YamlTag::Other),
                None => tag_name(name),
            },
        }
    }

    /// Whether the tag may stand on a scalar only.
    fn on_scalar_only(self) -> bool {
        !matches!(self, YamlTag::None | YamlTag::NonSpecific | YamlTag::Other | YamlTag::Seq | YamlTag::Map)
    }

    /// Whether a scalar with this tag may be read as text.
    fn text(self) -> bool {
        matches!(
            self,
            YamlTag::None
                | YamlTag::Str
                | YamlTag::Merge
                | YamlTag::ScalarOther
                | YamlTag::Other
                | YamlTag::NonSpecific
        )
    }
}

fn core_name(name: &str) -> Option<YamlTag> {
    Some(match name {
        "null" => YamlTag::Null,
        "bool" => YamlTag::Bool,
        "int" => YamlTag::Int,
        "float" => YamlTag::Float,
        "map" => YamlTag::Map,
        "seq" => YamlTag::Seq,
        "str" => YamlTag::Str,
        _ => return None,
    })
}

fn tag_name(name: &str) -> YamlTag {
    match name {
        "timestamp" => YamlTag::Timestamp,
        "binary" => YamlTag::Binary,
        "include" => YamlTag::ScalarOther,
        "time" | "degrees" | "radians" => YamlTag::Angle,
        name => core_name(name).unwrap_or(YamlTag::Other),
    }
}

/// What a scalar value means: `text` as the parser gave it (escapes
/// done, lines folded), whether it was written plain (no quotes, not a
/// `|` or `>` block), and its tag. Untagged plain text is nothing (``,
/// `~`, `null`), a boolean (`true`, `yes`, `on`, `y` and their `false`
/// twins, in any case), an integer (`12`, `-3`, `1_000`, `0x1F`, `0o17`,
/// `0b101`), a number (`1.5`, `1e3`, `007`), else text; quotes, blocks and
/// `!!str` or `!` keep it text. `.inf`, `.nan` and numbers too large for
/// a float are refused, and so are integers from 2^63 to 2^64 - 1;
/// larger ones are read as numbers.
pub fn scalar<'a>(text: Cow<'a, str>, plain: bool, tag: YamlTag) -> Result<Kind<'a>, String> {
    let t = yaml_trim(&text);
    match tag {
        YamlTag::Null => return Ok(Kind::Null),
        YamlTag::Bool => return bool_of(t).map(Kind::Bool).ok_or_else(|| format!("`{t}` is not a boolean (`!!bool`)")),
        YamlTag::Int => {
            let n = if t.starts_with('-') { int_of(t).and_then(|n| i64::try_from(n).ok()) } else { unsigned_of(t)? };
            return n.map(Kind::Int).ok_or_else(|| format!("`{t}` is not an integer (`!!int`)"));
        }
        YamlTag::Float => {
            let f = float_of(&text).ok_or_else(|| format!("`{t}` is not a number (`!!float`)"))?;
            return finite(f, &text);
        }
        YamlTag::Angle => return Err(format!("`{t}` cannot be read with its tag: write the number alone")),
        YamlTag::Binary => return Err("binary data (`!!binary`) cannot be read in front matter".into()),
        YamlTag::Timestamp | YamlTag::Seq | YamlTag::Map => {
            return Err("a value with this tag cannot be read as text: leave the tag out".into())
        }
        YamlTag::Str | YamlTag::NonSpecific => return Ok(Kind::Str(text)),
        YamlTag::None | YamlTag::Merge | YamlTag::ScalarOther | YamlTag::Other => {}
    }
    if !plain {
        return Ok(Kind::Str(text));
    }
    if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Kind::Null);
    }
    if let Some(b) = bool_of(t) {
        return Ok(Kind::Bool(b));
    }
    if t.starts_with('-') {
        if !leading_zero(t) {
            if let Some(n) = int_of(t).and_then(|n| i64::try_from(n).ok()) {
                return Ok(Kind::Int(n));
            }
        }
    } else if let Some(n) = unsigned_of(t)? {
        return Ok(Kind::Int(n));
    }
    match float_of(&text) {
        Some(f) => finite(f, &text),
        None => Ok(Kind::Str(text)),
    }
}

/// A key: its text; nothing, and tags that make a value not text, are
/// refused.
pub fn key<'a>(text: Cow<'a, str>, plain: bool, tag: YamlTag) -> Result<Cow<'a, str>, String> {
    let nothing = tag == YamlTag::Null || (plain && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL"));
    if nothing && !matches!(tag, YamlTag::Str | YamlTag::NonSpecific) {
        return Err("a key is missing: write `key: value`, or quote a key spelt `null` or `~`".into());
    }
    if tag == YamlTag::Binary {
        return Err("binary data (`!!binary`) cannot be read in front matter".into());
    }
    if !tag.text() {
        return Err("a key with this tag cannot be read as text: leave the tag out".into());
    }
    Ok(text)
}

fn finite<'a>(f: f64, text: &str) -> Result<Kind<'a>, String> {
    if f.is_finite() {
        Ok(Kind::Float(f))
    } else {
        Err(format!("`{}` is not a finite number: write it in quotes to keep it as text", yaml_trim(text)))
    }
}

fn yaml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

/// YAML 1.1 booleans, as serde-saphyr reads them by default.
fn bool_of(t: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "yes", "y", "on"];
    const FALSE: [&str; 4] = ["false", "no", "n", "off"];
    if TRUE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(true)
    } else if FALSE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(false)
    } else {
        None
    }
}

/// `-7`, `+7`, `7`, `0x1F`, `0o17`, `0b101`, `1_000`: a decimal may not
/// start with a 0 (other than 0 itself); `_` only between digits.
fn int_of(t: &str) -> Option<i128> {
    let (neg, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => t.strip_prefix('-').map_or((false, t), |r| (true, r)),
    };
    let (radix, digits) = radix_and_digits(rest);
    if radix == 10 && digits.starts_with('0') && digits != "0" {
        return None;
    }
    let magnitude = i128::try_from(digits_of(digits, radix)?).ok();
    match (neg, magnitude) {
        (true, Some(m)) => Some(-m),
        (false, Some(m)) => Some(m),
        // -2^127 is the one value whose magnitude is not an i128; an i64
        // cannot hold it anyway.
        (_, None) => None,
    }
}

/// An integer without a `-`: `Ok(None)` when it is not one, an error when
/// it is one from 2^63 to 2^64 - 1 (serde-saphyr read it as an unsigned
/// integer, which our tree does not hold).
fn unsigned_of(t: &str) -> Result<Option<i64>, String> {
    if t.starts_with('-') {
        return Ok(None);
    }
    let rest = t.strip_prefix('+').unwrap_or(t);
    let (radix, digits) = radix_and_digits(rest);
    if radix == 10 && digits.starts_with('0') && digits != "0" {
        return Ok(None);
    }
    match digits_of(digits, radix).and_then(|n| u64::try_from(n).ok()) {
        None => Ok(None),
        Some(n) => i64::try_from(n)
            .map(Some)
            .map_err(|_| format!("`{t}` is too large an integer: write it in quotes to keep it as text")),
    }
}

fn radix_and_digits(rest: &str) -> (u32, &str) {
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(digits) = rest.strip_prefix(prefix) {
            return (radix, digits);
        }
    }
    (10, rest)
}

fn digits_of(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if i == 0 || bytes[i - 1] == b'_' || i + 1 == bytes.len() || bytes[i + 1] == b'_' {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(radix)?;
        value = value.checked_mul(u128::from(radix))?.checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

fn leading_zero(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A YAML 1.2 float (`1.5`, `-2e3`, `.inf`, `.nan`), or one too large for
/// an `f64` (infinite).
fn float_of(text: &str) -> Option<f64> {
    let t = yaml_trim(text);
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(f),
        // `1e999`, but not `inf` or `nan`, which Rust reads too.
        Ok(f)
            if f.is_infinite() && t.strip_prefix(['+', '-']).unwrap_or(t).starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Some(f)
        }
        _ => None,
    }
}

/// What an anchor (`&name`) stands for: a scalar as written (read again
/// where the alias stands, as a key or a value), or a finished node with
/// its size and how deep it nests.
enum Anchor<'a> {
    Scalar { text: Cow<'a, str>, plain: bool, tag: YamlTag },
    Node { node: Node<'a>, nodes: usize, bytes: usize, height: usize },
}

/// A list or table being read.
struct Frame<'a> {
    span: Span,
    anchor: usize,
    open: Open<'a>,
}

enum Open<'a> {
    Seq(Vec<Node<'a>>),
    Map {
        entries: Vec<Entry<'a>>,
        /// The key read, waiting for its value.
        key: Option<Key<'a>>,
        /// Tables to merge in (`<<`), in the order written.
        merges: Vec<Vec<Entry<'a>>>,
    },
}

enum Key<'a> {
    Text(Cow<'a, str>, Span),
    Merge,
}

struct Reader<'a> {
    text: &'a str,
    stack: Vec<Frame<'a>>,
    anchors: Vec<Option<Anchor<'a>>>,
    /// Nodes made so far (see [`NODE_BUDGET`]).
    nodes: usize,
    /// Bytes of text copied so far (see [`COPY_BUDGET`]).
    copied: usize,
    root: Option<Node<'a>>,
    /// The last event's span: where an empty document is.
    last: Span,
    /// Whether a second document has started.
    second: bool,
}

fn fail<T>(span: Span, message: impl Into<String>) -> Result<T, YamlError> {
    Err(YamlError { at: span.start, message: message.into(), deep: false })
}

/// A tag on a node it does not fit (`!!str` on a list, `!!seq` on a word).
fn unsupported(tag: Option<String>, on: &str) -> String {
    format!("the tag `{}` does not fit {on}: leave it out", tag.unwrap_or_default())
}

fn too_deep<T>(span: Span) -> Result<T, YamlError> {
    Err(YamlError { at: span.start, message: String::new(), deep: true })
}

impl<'a> Reader<'a> {
    fn event(&mut self, event: Event<'a>, span: Span) -> Result<(), YamlError> {
        self.last = span;
        let map = matches!(event, Event::MappingStart(..));
        if self.second
            && matches!(event, Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_))
        {
            return fail(
                span,
                "the front matter holds a second YAML document: a line `---` or `...` inside it ends the first",
            );
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let written = tag.as_deref().map(Tag::original);
                let tag = YamlTag::of(tag.as_deref());
                if matches!(tag, YamlTag::Seq | YamlTag::Map) {
                    return fail(span, unsupported(written, "a single value"));
                }
                let plain = style == ScalarStyle::Plain;
                if anchor != 0 {
                    self.remember(anchor, Anchor::Scalar { text: text.clone(), plain, tag });
                }
                self.scalar(text, plain, tag, span)
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                let written = tag.as_deref().map(Tag::original);
                let tag = YamlTag::of(tag.as_deref());
                if tag.on_scalar_only() || (map && tag == YamlTag::Seq) || (!map && tag == YamlTag::Map) {
                    return fail(span, unsupported(written, if map { "a table" } else { "a list" }));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return too_deep(span);
                }
                if self.expects_key() {
                    return fail(span, "a key must be text, not a list or table");
                }
                self.count(1, 0, span)?;
                let open = if map {
                    Open::Map { entries: Vec::new(), key: None, merges: Vec::new() }
                } else {
                    Open::Seq(Vec::new())
                };
                self.stack.push(Frame { span, anchor, open });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return fail(span, "a list or table closes that was never opened");
                };
                let kind = match frame.open {
                    Open::Seq(items) => Kind::Seq(items),
                    Open::Map { mut entries, merges, .. } => {
                        merge_into(&mut entries, merges);
                        Kind::Map(entries)
                    }
                };
                let node = Node { span: frame.span, kind };
                if frame.anchor != 0 {
                    // The anchor keeps a copy: it counts as one.
                    let (nodes, bytes, height) = measure(&node);
                    self.count(nodes, bytes, frame.span)?;
                    self.remember(frame.anchor, Anchor::Node { node: node.clone(), nodes, bytes, height });
                }
                self.value(node)
            }
            Event::Alias(id) => match self.anchors.get(id).and_then(Option::as_ref) {
                Some(Anchor::Scalar { text, plain, tag }) => {
                    let (text, plain, tag) = (text.clone(), *plain, *tag);
                    self.count(0, owned_len(&text), span)?;
                    self.scalar(text, plain, tag, span)
                }
                Some(Anchor::Node { node, nodes, bytes, height }) => {
                    if self.stack.len() + height > MAX_DEPTH {
                        return too_deep(span);
                    }
                    let (nodes, bytes) = (*nodes, *bytes);
                    // Within the budgets: the anchor's own copy was counted.
                    let mut copy = node.clone();
                    self.count(nodes, bytes, span)?;
                    place(&mut copy, span);
                    if self.expects_key() {
                        return fail(span, "a key must be text, not a list or table");
                    }
                    self.value(copy)
                }
                // Its anchor is on a list or table not yet closed.
                None => fail(span, "an alias (`*name`) stands inside the value its anchor names"),
            },
            Event::DocumentStart(..) => {
                self.second = self.root.is_some();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Counts `nodes` made and `bytes` of text copied, at `span`.
    fn count(&mut self, nodes: usize, bytes: usize, span: Span) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        self.copied = self.copied.saturating_add(bytes);
        if self.nodes > NODE_BUDGET {
            return fail(span, format!("aliases make the front matter more than {NODE_BUDGET} values long"));
        }
        if self.copied > COPY_BUDGET {
            return fail(span, format!("aliases copy more than {} MiB of text", COPY_BUDGET >> 20));
        }
        Ok(())
    }

    fn remember(&mut self, id: usize, anchor: Anchor<'a>) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(anchor);
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { open: Open::Map { key: None, .. }, .. }))
    }

    /// A scalar where it stands: a key or a value.
    fn scalar(&mut self, text: Cow<'a, str>, plain: bool, tag: YamlTag, span: Span) -> Result<(), YamlError> {
        self.count(1, 0, span)?;
        if let Some(Frame { open: Open::Map { key: key @ None, .. }, .. }) = self.stack.last_mut() {
            *key = Some(if text == "<<" && (tag == YamlTag::Merge || (tag == YamlTag::None && plain)) {
                Key::Merge
            } else {
                Key::Text(self::key(text, plain, tag).or_else(|m| fail(span, m))?, span)
            });
            return Ok(());
        }
        let kind = scalar(text, plain, tag).or_else(|m| fail(span, m))?;
        self.value(Node { span, kind })
    }

    /// A finished value, into the list or table around it.
    fn value(&mut self, node: Node<'a>) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame { open: Open::Seq(items), .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame { open: Open::Map { entries, key, merges }, .. }) => match key.take() {
                Some(Key::Text(key, key_span)) => {
                    entries.push(Entry { key, key_span, value: node });
                    Ok(())
                }
                Some(Key::Merge) => Self::merge(merges, node, self.text),
                None => fail(node.span, "a key must be text, not a list or table"),
            },
        }
    }

    /// The value of a merge key (`<<`): a table, a list of tables, or
    /// nothing. Its entries are added when the table closes, after the
    /// table's own, unless the table has their key already (the first
    /// one merged wins). Each entry is placed where its table is written
    /// (the `{` or the alias), as serde-saphyr placed them.
    fn merge(merges: &mut Vec<Vec<Entry<'a>>>, node: Node<'a>, text: &str) -> Result<(), YamlError> {
        let not_tables = "the value of `<<` must be a table or a list of tables";
        let placed = |span: Span, mut entries: Vec<Entry<'a>>| {
            for e in &mut entries {
                if !from_alias(text, e.key_span) {
                    e.key_span = span;
                }
                place_merged(&mut e.value, span, text);
            }
            entries
        };
        match node.kind {
            Kind::Null => {}
            Kind::Map(entries) => merges.push(placed(node.span, entries)),
            Kind::Seq(items) => {
                let mut batch = Vec::new();
                for item in items {
                    match item.kind {
                        Kind::Map(entries) => batch.extend(placed(item.span, entries)),
                        _ => return fail(item.span, not_tables),
                    }
                }
                merges.push(batch);
            }
            _ => return fail(node.span, not_tables),
        }
        Ok(())
    }
}

/// Adds merged entries whose key the table does not have yet.
fn merge_into<'a>(entries: &mut Vec<Entry<'a>>, merges: Vec<Vec<Entry<'a>>>) {
    if merges.is_empty() {
        return;
    }
    let mut seen: crate::hash::FastSet<Cow<'a, str>> = entries.iter().map(|e| e.key.clone()).collect();
    for entry in merges.into_iter().flatten() {
        if seen.insert(entry.key.clone()) {
            entries.push(entry);
        }
    }
}

/// Whether a node at `span` is a copy an alias made: it is placed at the
/// alias, which starts with `*` (no other node does).
fn from_alias(text: &str, span: Span) -> bool {
    text.as_bytes().get(span.start as usize) == Some(&b'*')
}

/// Puts what a merge key brought in at `span`, but for copies made by
/// aliases, which stay at their alias.
fn place_merged(node: &mut Node<'_>, span: Span, text: &str) {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if from_alias(text, n.span) {
            continue;
        }
        n.span = span;
        match &mut n.kind {
            Kind::Seq(items) => todo.extend(items.iter_mut()),
            Kind::Map(entries) => {
                for e in entries.iter_mut() {
                    if !from_alias(text, e.key_span) {
                        e.key_span = span;
                    }
                    todo.push(&mut e.value);
                }
            }
            _ => {}
        }
    }
}

/// How many nodes `node` holds (itself included), how many bytes of text
/// a copy of it copies, and how many levels of lists and tables it has.
fn measure(node: &Node<'_>) -> (usize, usize, usize) {
    let (mut nodes, mut bytes, mut height) = (0, 0, 0);
    let mut todo = vec![(node, 0)];
    while let Some((n, depth)) = todo.pop() {
        nodes += 1;
        match &n.kind {
            Kind::Str(s) => bytes += owned_len(s),
            Kind::Seq(items) => {
                height = height.max(depth + 1);
                todo.extend(items.iter().map(|i| (i, depth + 1)));
            }
            Kind::Map(entries) => {
                height = height.max(depth + 1);
                for e in entries {
                    bytes += owned_len(&e.key);
                    todo.push((&e.value, depth + 1));
                }
            }
            _ => {}
        }
    }
    (nodes, bytes, height)
}

/// The bytes a copy of `text` copies: none when it is borrowed.
#[allow(clippy::ptr_arg)] // Which of the two it is is the point.
fn owned_len(text: &Cow<'_, str>) -> usize {
    match text {
        Cow::Borrowed(_) => 0,
        Cow::Owned(s) => s.len(),
    }
}

/// Puts a copy made by an alias at the alias: every span in it.
fn place(node: &mut Node<'_>, span: Span) {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        n.span = span;
        match &mut n.kind {
            Kind::Seq(items) => todo.extend(items.iter_mut()),
            Kind::Map(entries) => {
                for e in entries.iter_mut() {
                    e.key_span = span;
                    todo.push(&mut e.value);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Result<Kind<'_>, String> {
        scalar(Cow::Borrowed(text), true, YamlTag::None)
    }

    #[test]
    fn plain_scalars_resolve_null_bool_int_float_then_text() {
        for t in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(t), Ok(Kind::Null), "{t:?}");
        }
        for (t, b) in [("true", true), ("Yes", true), ("y", true), ("ON", true), ("False", false), ("no", false)] {
            assert_eq!(plain(t), Ok(Kind::Bool(b)), "{t:?}");
        }
        for (t, n) in [("12", 12), ("-3", -3), ("+4", 4), ("1_000", 1000), ("0x1F", 31), ("0o17", 15), ("0b101", 5)] {
            assert_eq!(plain(t), Ok(Kind::Int(n)), "{t:?}");
        }
        assert_eq!(plain("-0x10"), Ok(Kind::Int(-16)));
        assert_eq!(plain("9223372036854775807"), Ok(Kind::Int(i64::MAX)));
        assert_eq!(plain("-9223372036854775808"), Ok(Kind::Int(i64::MIN)));
        // Leading zeros are not integers, but numbers.
        for (t, f) in [("007", 7.0), ("-007", -7.0), ("1.5", 1.5), ("1e3", 1000.0), (".5", 0.5)] {
            assert_eq!(plain(t), Ok(Kind::Float(f)), "{t:?}");
        }
        assert_eq!(plain("-9223372036854775809"), Ok(Kind::Float(-9223372036854775809.0)));
        assert_eq!(plain("99999999999999999999"), Ok(Kind::Float(1e20)));
        for t in ["nan", "inf", "1_", "_1", "1__0", "0_1", "0x", "-", "+", "yes please", "0xG"] {
            assert_eq!(plain(t), Ok(Kind::Str(t.into())), "{t:?}");
        }
        for t in [".inf", "-.Inf", ".nan", "1e999", "9223372036854775808"] {
            assert!(plain(t).is_err(), "{t:?}");
        }
    }

    #[test]
    fn quotes_blocks_and_string_tags_keep_text() {
        assert_eq!(scalar("12".into(), false, YamlTag::None), Ok(Kind::Str("12".into())));
        assert_eq!(scalar("null".into(), true, YamlTag::Str), Ok(Kind::Str("null".into())));
        assert_eq!(scalar("yes".into(), true, YamlTag::NonSpecific), Ok(Kind::Str("yes".into())));
        assert_eq!(scalar("12".into(), true, YamlTag::Other), Ok(Kind::Int(12)));
        assert_eq!(scalar("12".into(), false, YamlTag::Int), Ok(Kind::Int(12)));
        assert_eq!(scalar("x".into(), true, YamlTag::Null), Ok(Kind::Null));
        assert_eq!(scalar("1".into(), false, YamlTag::Float), Ok(Kind::Float(1.0)));
        assert!(scalar("007".into(), true, YamlTag::Int).is_err());
        assert!(scalar("maybe".into(), true, YamlTag::Bool).is_err());
        assert!(scalar("2026-01-01".into(), true, YamlTag::Timestamp).is_err());
    }

    #[test]
    fn keys_are_text() {
        assert_eq!(key("12".into(), true, YamlTag::None), Ok(Cow::Borrowed("12")));
        assert_eq!(key("null".into(), false, YamlTag::None), Ok(Cow::Borrowed("null")));
        assert!(key("~".into(), true, YamlTag::None).is_err());
        assert!(key("1".into(), true, YamlTag::Int).is_err());
    }

    #[test]
    fn tags_by_name() {
        let t = |text: &str| {
            let mut p = Parser::new_from_str(text);
            loop {
                match p.next() {
                    Some(Ok((Event::Scalar(_, _, _, tag), _))) => return YamlTag::of(tag.as_deref()),
                    Some(Ok(_)) => {}
                    other => panic!("{other:?}"),
                }
            }
        };
        assert_eq!(t("!!str 1"), YamlTag::Str);
        assert_eq!(t("! 1"), YamlTag::NonSpecific);
        assert_eq!(t("!int 1"), YamlTag::Int);
        assert_eq!(t("!<tag:yaml.org,2002:float> 1"), YamlTag::Float);
        assert_eq!(t("!thing 1"), YamlTag::Other);
        assert_eq!(t("!!binary aGk="), YamlTag::Binary);
        assert_eq!(t("!!merge <<"), YamlTag::Merge);
    }

    #[test]
    fn a_billion_laughs_stops_at_the_budget() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, prev) in ('b'..='k').zip('a'..) {
            text.push_str(&format!("{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = read(&text).unwrap_err();
        assert!(e.message.contains("more than"), "{e:?}");
        assert!(text[e.at as usize..].starts_with('*'));
    }
}

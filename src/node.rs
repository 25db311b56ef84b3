//! A front-matter value tree with byte spans ([`Node`]), and a serde
//! `Deserializer` over it that keeps going after a problem.
//!
//! Takes a `Node` (from TOML or YAML, see `frontmatter`) and a target type;
//! returns the typed value and every [`Problem`] found on the way: unknown
//! keys (with the nearest known key) and values of the wrong type are
//! recorded and skipped, so one pass reports them all. Typed records keep the
//! span of any value they need to check later through [`Spanned`].

use crate::diag::{suggest, Rule, Span};
use serde::de::{self, DeserializeOwned, Expected, IntoDeserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

/// How deep lists and tables may nest in front matter and in
/// `pilotdeck.toml`, counting the front matter's own table as the first
/// level. A record needs four; every reader of a [`Node`] (the parsers,
/// the deserializer, even dropping the tree) takes one step of the stack per
/// level, so deeper values are refused with PD001 where the limit is passed
/// and never reach them.
pub const MAX_DEPTH: usize = 64;

/// A value with the byte span it was written at. Strings and keys borrow
/// from the text they were read from when they are written there as they
/// are (no escapes), so reading a record copies each string once, into the
/// record.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub span: Span,
    pub kind: Kind<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Node<'a>,
}

impl Kind<'_> {
    fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "nothing",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a table",
        }
    }
}

/// A problem found while reading a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

/// Deserializes `node` into `T`, collecting every problem. The value is
/// `None` only when a problem could not be stepped over.
pub fn from_node<T: DeserializeOwned>(node: &Node<'_>) -> (Option<T>, Vec<Problem>) {
    let sink = RefCell::new(Vec::new());
    let result = T::deserialize(NodeDe { node, sink: &sink });
    let mut problems = sink.into_inner();
    let value = match result {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(Problem {
                rule: Rule::WrongType,
                span: e.span.unwrap_or(node.span),
                message: e.message,
                hint: e.hint,
            });
            None
        }
    };
    (value, problems)
}

/// A value and its span. Works only with this module's deserializer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    pub span: Span,
    pub value: T,
}

const SPANNED: &str = "$pilotdeck::Spanned";
const SPANNED_FIELDS: &[&str] = &["$start", "$end", "$value"];

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value with its position")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                // The keys are known (`SPANNED_FIELDS`): read without a copy.
                let start: Option<(de::IgnoredAny, u32)> = map.next_entry()?;
                let end: Option<(de::IgnoredAny, u32)> = map.next_entry()?;
                let _: Option<de::IgnoredAny> = map.next_key()?;
                let value = map.next_value()?;
                let (start, end) = (start.map_or(0, |s| s.1), end.map_or(0, |e| e.1));
                Ok(Spanned { span: Span::new(start, end), value })
            }
        }
        d.deserialize_struct(SPANNED, SPANNED_FIELDS, V(std::marker::PhantomData))
    }
}

/// The error type of the deserializer: a message, a hint, and where.
#[derive(Debug)]
pub struct DeError {
    message: String,
    hint: Option<String>,
    span: Option<Span>,
}

impl DeError {
    fn at(mut self, span: Span) -> DeError {
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError { message: msg.to_string(), hint: None, span: None }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError {
            message: format!("unknown key `{field}`"),
            hint: Some(suggest(field, expected.iter().copied())),
            span: None,
        }
    }
}

struct NodeDe<'a> {
    node: &'a Node<'a>,
    sink: &'a RefCell<Vec<Problem>>,
}

impl<'a> NodeDe<'a> {
    /// Records a value of the wrong type; the caller then hands the visitor
    /// an empty stand-in so that reading goes on.
    fn mismatch(&self, expected: &dyn Expected) {
        let expected = plain(&expected.to_string());
        let hint = match expected.as_str() {
            "a list" => Some("write a list, such as `[\"a\", \"b\"]`"),
            "an integer" => Some("write a whole number without quotes, such as `3`"),
            "a string" => Some("put the text in quotes"),
            "a boolean" => Some("write `true` or `false`"),
            "a table" => Some("write a table of `key = value` pairs"),
            _ => None,
        };
        self.sink.borrow_mut().push(Problem {
            rule: Rule::WrongType,
            span: self.node.span,
            message: format!("expected {expected}, found {}", self.node.kind.describe()),
            hint: hint.map(String::from),
        });
    }

    fn seq(&self, items: &'a [Node<'a>]) -> SeqDe<'a> {
        SeqDe { iter: items.iter(), sink: self.sink }
    }

    /// The entries of a table; with `fields`, only those whose keys it
    /// names (see [`NodeDe::report_unknown`]).
    fn map<'k>(
        &self,
        entries: &'a [Entry<'a>],
        fields: Option<&'static [&'static str]>,
        last_key: &'k Cell<Option<Span>>,
    ) -> MapDe<'a, 'k> {
        MapDe { iter: entries.iter(), fields, value: None, sink: self.sink, last_key }
    }

    /// Reports the entries whose keys `fields` does not name; whether
    /// there were none.
    fn report_unknown(&self, entries: &'a [Entry<'a>], fields: &'static [&'static str]) -> bool {
        let mut all_known = true;
        for e in entries {
            if !fields.contains(&e.key.as_ref()) {
                all_known = false;
                self.sink.borrow_mut().push(Problem {
                    rule: Rule::UnknownKey,
                    span: e.key_span,
                    message: format!("unknown key `{}`", e.key),
                    hint: Some(suggest(&e.key, fields.iter().copied())),
                });
            }
        }
        all_known
    }
}

/// Serde's names for what a type expects, in the words of the content format.
fn plain(expected: &str) -> String {
    let ints = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];
    if ints.contains(&expected) {
        "an integer".into()
    } else if expected == "f64" || expected == "f32" {
        "a number".into()
    } else if expected == "a sequence" {
        "a list".into()
    } else if expected.starts_with("struct ") || expected == "a map" {
        "a table".into()
    } else {
        expected.into()
    }
}

macro_rules! integer {
    ($($name:ident)*) => {$(
        fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            let span = self.node.span;
            match self.node.kind {
                Kind::Int(i) => v.visit_i64(i),
                _ => { self.mismatch(&v); v.visit_i64(0) }
            }.map_err(|e: DeError| e.at(span))
        }
    )*};
}

impl<'de, 'a> de::Deserializer<'de> for NodeDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            Kind::Null => v.visit_unit(),
            Kind::Bool(b) => v.visit_bool(*b),
            Kind::Int(i) => v.visit_i64(*i),
            Kind::Float(x) => v.visit_f64(*x),
            Kind::Str(s) => v.visit_str(s),
            Kind::Seq(items) => v.visit_seq(self.seq(items)),
            Kind::Map(entries) => v.visit_map(self.map(entries, None, &Cell::new(None))),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match self.node.kind {
            Kind::Bool(b) => v.visit_bool(b),
            _ => {
                self.mismatch(&v);
                v.visit_bool(false)
            }
        }
        .map_err(|e: DeError| e.at(span))
    }

    integer!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
             deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match self.node.kind {
            Kind::Float(x) => v.visit_f64(x),
            Kind::Int(i) => v.visit_f64(i as f64),
            _ => {
                self.mismatch(&v);
                v.visit_f64(0.0)
            }
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            Kind::Str(s) => v.visit_str(s),
            _ => {
                self.mismatch(&v);
                v.visit_str("")
            }
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            Kind::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, DeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            Kind::Seq(items) => v.visit_seq(self.seq(items)),
            _ => {
                self.mismatch(&v);
                v.visit_seq(self.seq(&[]))
            }
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            Kind::Map(entries) => v.visit_map(self.map(entries, None, &Cell::new(None))),
            _ => {
                self.mismatch(&v);
                v.visit_map(self.map(&[], None, &Cell::new(None)))
            }
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let span = self.node.span;
        if name == SPANNED {
            return v.visit_map(SpannedAccess { span, value: Some(self), step: 0 });
        }
        match &self.node.kind {
            Kind::Map(entries) => {
                // Unknown keys are skipped as the map is read; when there
                // are none (as mostly), no key is looked up again.
                let only = (!self.report_unknown(entries, fields)).then_some(fields);
                let last_key = Cell::new(None);
                v.visit_map(self.map(entries, only, &last_key))
                    .map_err(|e: DeError| e.at(last_key.get().unwrap_or(span)))
            }
            _ => {
                self.mismatch(&v);
                v.visit_map(self.map(&[], None, &Cell::new(None))).map_err(|e: DeError| e.at(span))
            }
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            Kind::Str(s) => v.visit_enum(s.as_ref().into_deserializer()),
            other => Err(de::Error::custom(format!("expected a name, found {}", other.describe()))),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }
}

struct SeqDe<'a> {
    iter: std::slice::Iter<'a, Node<'a>>,
    sink: &'a RefCell<Vec<Problem>>,
}

impl<'de, 'a> de::SeqAccess<'de> for SeqDe<'a> {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            Some(node) => seed.deserialize(NodeDe { node, sink: self.sink }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapDe<'a, 'k> {
    iter: std::slice::Iter<'a, Entry<'a>>,
    /// The keys handed out, when not all are (a struct's fields).
    fields: Option<&'static [&'static str]>,
    value: Option<&'a Node<'a>>,
    sink: &'a RefCell<Vec<Problem>>,
    /// The span of the last key handed out, for errors in its value.
    last_key: &'k Cell<Option<Span>>,
}

impl<'de> de::MapAccess<'de> for MapDe<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let fields = self.fields;
        let known = |e: &&Entry| fields.is_none_or(|f| f.contains(&e.key.as_ref()));
        let Some(entry) = self.iter.by_ref().find(known) else {
            return Ok(None);
        };
        self.value = Some(&entry.value);
        self.last_key.set(Some(entry.key_span));
        seed.deserialize(KeyDe { key: &entry.key, span: entry.key_span })
            .map(Some)
            .map_err(|e: DeError| e.at(entry.key_span))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let node = self.value.take().ok_or_else(|| de::Error::custom("a value without a key"))?;
        seed.deserialize(NodeDe { node, sink: self.sink })
    }
}

/// Hands out `$start`, `$end` and `$value` for [`Spanned`].
struct SpannedAccess<D> {
    span: Span,
    value: Option<D>,
    step: u8,
}

impl<'de, D: de::Deserializer<'de, Error = DeError>> de::MapAccess<'de> for SpannedAccess<D> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some(name) = SPANNED_FIELDS.get(self.step as usize) else {
            return Ok(None);
        };
        seed.deserialize((*name).into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        self.step += 1;
        match self.step {
            1 => seed.deserialize(self.span.start.into_deserializer()),
            2 => seed.deserialize(self.span.end.into_deserializer()),
            _ => match self.value.take() {
                Some(d) => seed.deserialize(d),
                None => Err(de::Error::custom("a position read twice")),
            },
        }
    }
}

/// A map key: a string, or a string with its span.
struct KeyDe<'a> {
    key: &'a str,
    span: Span,
}

impl<'de, 'a> de::Deserializer<'de> for KeyDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_str(self.key)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED {
            let span = self.span;
            return v.visit_map(SpannedAccess { span, value: Some(self), step: 0 });
        }
        v.visit_str(self.key)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The entries of a table whose keys are data (stage names, rubric items),
/// in the order written, each key with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Entries<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Vis(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: u32, end: u32) -> Span {
        Span::new(start, end)
    }

    fn entry<'a>(key: &'a str, at: u32, value: Node<'a>) -> Entry<'a> {
        Entry { key: key.into(), key_span: s(at, at + key.len() as u32), value }
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Rec {
        title: Option<Spanned<String>>,
        weight: Option<i64>,
        tags: Option<Vec<String>>,
    }

    #[test]
    fn collects_unknown_keys_and_type_errors_and_goes_on() {
        let node = Node {
            span: s(0, 100),
            kind: Kind::Map(vec![
                entry("titel", 0, Node { span: s(8, 11), kind: Kind::Str("x".into()) }),
                entry("title", 12, Node { span: s(20, 23), kind: Kind::Str("Hi".into()) }),
                entry("weight", 24, Node { span: s(33, 36), kind: Kind::Str("one".into()) }),
                entry("tags", 40, Node { span: s(47, 50), kind: Kind::Int(3) }),
            ]),
        };
        let (rec, problems) = from_node::<Rec>(&node);
        let rec = rec.unwrap();
        assert_eq!(rec.title.unwrap(), Spanned { span: s(20, 23), value: "Hi".into() });
        assert_eq!(rec.weight, Some(0));
        assert_eq!(rec.tags, Some(vec![]));
        let msgs: Vec<_> = problems.iter().map(|p| (p.span.start, p.message.as_str(), p.hint.as_deref())).collect();
        assert_eq!(
            msgs,
            vec![
                (0, "unknown key `titel`", Some("did you mean `title`?")),
                (33, "expected an integer, found a string", Some("write a whole number without quotes, such as `3`")),
                (47, "expected a list, found an integer", Some("write a list, such as `[\"a\", \"b\"]`")),
            ]
        );
    }

    #[test]
    fn entries_keep_key_spans() {
        let node = Node {
            span: s(0, 30),
            kind: Kind::Map(vec![entry("pilot", 3, Node { span: s(11, 21), kind: Kind::Str("2026-01-01".into()) })]),
        };
        let (e, problems) = from_node::<Entries<Spanned<String>>>(&node);
        assert!(problems.is_empty());
        let e = e.unwrap();
        assert_eq!(e.0[0].0.span, s(3, 8));
        assert_eq!(e.0[0].1.span, s(11, 21));
    }
}

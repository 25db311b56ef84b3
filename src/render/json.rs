//! Compact JSON for `portfolio.json`: the bytes `serde_json::to_writer`
//! writes, from the same `Serialize` impls, faster. At 10,000 pilots the
//! export is 80 MB, and serde_json's escaping (a table lookup per byte of
//! every string) was a twentieth of a whole build. Here a string is
//! scanned eight bytes at a time for what needs escaping, numbers are
//! written without the formatting machinery, and the bytes are gathered in
//! a buffer of our own and handed over 64 KB at a time. Floats are written by
//! serde_json itself (they are few), so that they come out the same.
//! Tests hold the two to the same bytes.

use serde::ser::{self, Serialize};
use std::fmt;
use std::io::Write;

/// Writes `value` as compact JSON into `out`.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> std::io::Result<()> {
    let mut ser = Ser { buf: Vec::with_capacity(FLUSH + 4096), out };
    let done = value.serialize(&mut ser).and_then(|()| Ok(ser.out.write_all(&ser.buf)?));
    done.map_err(|e| match e {
        Error::Io(e) => e,
        Error::Custom(m) => std::io::Error::other(m),
    })
}

/// Bytes gathered before they are handed to the writer: one `write_all`
/// per token was a fifth of the time.
const FLUSH: usize = 1 << 16;

#[derive(Debug)]
pub enum Error {
    Io(std::io::Error),
    Custom(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => e.fmt(f),
            Error::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Custom(msg.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

struct Ser<W> {
    buf: Vec<u8>,
    out: W,
}

impl<W: Write> Ser<W> {
    /// Hands the gathered bytes to the writer once there are enough.
    fn flush_if_full(&mut self) -> Result {
        if self.buf.len() >= FLUSH {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// How many bytes at the start of `s` a JSON string holds as they are: up
/// to a quote, a backslash or a control character.
fn plain_run(s: &[u8]) -> usize {
    use crate::scan::{any_below, any_is, first};
    first(s, |x| any_below(x, 0x20) || any_is(x, b'"') || any_is(x, b'\\'), |b| b < 0x20 || b == b'"' || b == b'\\')
}

/// `s` quoted and escaped as serde_json escapes it.
fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut at = 0;
    while at < b.len() {
        let run = plain_run(&b[at..]);
        out.extend_from_slice(&b[at..at + run]);
        at += run;
        let Some(&c) = b.get(at) else { break };
        let short: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => b"",
        };
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(c >> 4)], HEX[usize::from(c & 0xf)]]);
        } else {
            out.extend_from_slice(short);
        }
        at += 1;
    }
    out.push(b'"');
}

/// A whole number in decimal (in 64 bits when it fits: a division of 128
/// bits is a call).
fn integer(out: &mut Vec<u8>, n: i128) {
    if n < 0 {
        out.push(b'-');
    }
    let m = n.unsigned_abs();
    match u64::try_from(m) {
        Ok(m) => digits(out, m),
        Err(_) => out.extend_from_slice(m.to_string().as_bytes()),
    }
}

fn digits(out: &mut Vec<u8>, mut m: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// The elements of a list or the entries of an object, comma-separated.
pub struct Compound<'a, W> {
    ser: &'a mut Ser<W>,
    first: bool,
    /// What closes it: `]`, `}`, or `}}` for a variant's.
    close: &'static [u8],
}

impl<W: Write> Compound<'_, W> {
    fn comma(&mut self) -> Result {
        if !std::mem::take(&mut self.first) {
            self.ser.buf.push(b',');
        }
        self.ser.flush_if_full()
    }

    fn end(self) -> Result {
        self.ser.buf.extend_from_slice(self.close);
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result {
        self.comma()?;
        let buf = &mut self.ser.buf;
        // A field's name is a short identifier: no escape to look for.
        if key.len() <= 32 && key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            buf.reserve(key.len() + 3);
            buf.push(b'"');
            buf.extend_from_slice(key.as_bytes());
            buf.extend_from_slice(b"\":");
        } else {
            string(buf, key);
            buf.push(b':');
        }
        value.serialize(&mut *self.ser)
    }
}

impl<'a, W: Write> Ser<W> {
    fn open(&'a mut self, open: &[u8], close: &'static [u8]) -> Result<Compound<'a, W>> {
        self.buf.extend_from_slice(open);
        Ok(Compound { ser: self, first: true, close })
    }

    /// `{"variant":` before a variant's value.
    fn variant(&mut self, name: &str) {
        self.buf.push(b'{');
        string(&mut self.buf, name);
        self.buf.push(b':');
    }
}

impl<'a, W: Write> ser::Serializer for &'a mut Ser<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result {
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        integer(&mut self.buf, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        integer(&mut self.buf, v.into());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        match i128::try_from(v) {
            Ok(v) => integer(&mut self.buf, v),
            Err(_) => self.buf.extend_from_slice(v.to_string().as_bytes()),
        }
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result {
        serde_json::to_writer(&mut self.buf, &v).map_err(|e| Error::Custom(e.to_string()))
    }
    fn serialize_f64(self, v: f64) -> Result {
        serde_json::to_writer(&mut self.buf, &v).map_err(|e| Error::Custom(e.to_string()))
    }
    fn serialize_char(self, v: char) -> Result {
        string(&mut self.buf, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        string(&mut self.buf, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        let mut seq = self.open(b"[", b"]")?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        string(&mut self.buf, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.buf.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, W>> {
        self.open(b"[", b"]")
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a, W>> {
        self.open(b"[", b"]")
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, W>> {
        self.open(b"[", b"]")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, W>> {
        self.variant(variant);
        self.open(b"[", b"]}")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, W>> {
        self.open(b"{", b"}")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, W>> {
        self.open(b"{", b"}")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, W>> {
        self.variant(variant);
        self.open(b"{", b"}}")
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.comma()?;
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

/// Tuples, tuple structs and tuple variants are written as lists.
macro_rules! as_list {
    ($($trait:ident::$method:ident),*) => {$(
        impl<W: Write> ser::$trait for Compound<'_, W> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
                ser::SerializeSeq::serialize_element(self, value)
            }
            fn end(self) -> Result {
                Compound::end(self)
            }
        }
    )*};
}

as_list!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.comma()?;
        key.serialize(KeySer { out: &mut self.ser.buf })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.ser.buf.push(b':');
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

/// A map key: a string, or a number or boolean written as a string, as
/// serde_json writes them; anything else is an error, as there.
struct KeySer<'a> {
    out: &'a mut Vec<u8>,
}

impl KeySer<'_> {
    fn quoted(self, text: &str) -> Result {
        string(self.out, text);
        Ok(())
    }

    fn not_a_key<T>(self) -> Result<T> {
        Err(Error::Custom("key must be a string".into()))
    }
}

macro_rules! quoted_keys {
    ($($method:ident: $t:ty,)*) => {$(
        fn $method(self, v: $t) -> Result {
            self.quoted(&v.to_string())
        }
    )*};
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    quoted_keys! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_char: char,
    }

    fn serialize_str(self, v: &str) -> Result {
        self.quoted(v)
    }
    fn serialize_f32(self, v: f32) -> Result {
        let text = serde_json::to_string(&v).map_err(|e| Error::Custom(e.to_string()))?;
        self.quoted(&text)
    }
    fn serialize_f64(self, v: f64) -> Result {
        let text = serde_json::to_string(&v).map_err(|e| Error::Custom(e.to_string()))?;
        self.quoted(&text)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.quoted(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result {
        self.not_a_key()
    }
    fn serialize_none(self) -> Result {
        self.not_a_key()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result {
        self.not_a_key()
    }
    fn serialize_unit(self) -> Result {
        self.not_a_key()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.not_a_key()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        self.not_a_key()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        self.not_a_key()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        self.not_a_key()
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        self.not_a_key()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.not_a_key()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        self.not_a_key()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        self.not_a_key()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.not_a_key()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn ours<T: Serialize + ?Sized>(v: &T) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same<T: Serialize + ?Sized>(v: &T) {
        assert_eq!(ours(v), serde_json::to_string(v).unwrap());
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(i32),
        Tuple(u8, String),
        Struct { a: Option<bool>, b: f64 },
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", content = "index", rename_all = "lowercase")]
    enum Tagged {
        One(usize),
        Two,
    }

    #[derive(Serialize)]
    struct Inner {
        #[serde(rename = "x \" \\ \n é")]
        x: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        y: Option<u8>,
    }

    #[derive(Serialize)]
    struct Outer<'a> {
        s: &'a str,
        #[serde(flatten)]
        inner: Inner,
        list: Vec<E>,
        tagged: [Tagged; 2],
        map: BTreeMap<i32, f32>,
        names: BTreeMap<String, Vec<u64>>,
        unit: (),
        tuple: (char, bool, i8),
        bytes: &'a [u8],
        floats: [f64; 6],
        big: (i128, u128, u64, i64),
    }

    #[test]
    fn every_shape_as_serde_json_writes_it() {
        let value = Outer {
            s: "a \"quoted\" \\ back/slash\n\t\r\u{8}\u{c}\u{0}\u{1f}\u{7f} é ✓ 🙂",
            inner: Inner { x: -42, y: None },
            list: vec![E::Unit, E::New(-7), E::Tuple(255, "t".into()), E::Struct { a: Some(false), b: 0.1 }],
            tagged: [Tagged::One(3), Tagged::Two],
            map: [(-1, 1.5), (2, f32::NAN)].into_iter().collect(),
            names: [("k\"ey".to_string(), vec![u64::MAX, 0])].into_iter().collect(),
            unit: (),
            tuple: ('"', true, i8::MIN),
            bytes: b"\x00ab",
            floats: [0.0, -0.0, 1e300, 1.0 / 3.0, f64::INFINITY, 12.0],
            big: (i128::MIN, u128::MAX, u64::MAX, i64::MIN),
        };
        same(&value);
        same(&Inner { x: 0, y: Some(1) });
        same(&Vec::<u8>::new());
        same(&BTreeMap::<String, u8>::new());
    }

    #[test]
    fn keys_that_are_not_strings_are_refused() {
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert!(serde_json::to_string(&map).is_err());
        assert!(to_writer(Vec::new(), &map).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(s in "(\\PC|[\\u{0}-\\u{1f}\"\\\\\\u{7f}])*") {
            proptest::prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }
    }
}

//! Text held compressed while the model is held: a record's body HTML is
//! read once by the pilot's page and once by the search index, and held in
//! between by the whole-site model. At 10,000 pilots of the realistic mix
//! the bodies were 79 MB of a build's 263 MB of live heap; LZ4 (the block
//! format, `lz4_flex`) holds them in about 40% of that, and gives each back
//! at several GB/s.

use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// Texts shorter than this are held as they are: a few bytes saved would
/// not pay for the compression.
const SMALL: usize = 256;

/// A text, compressed when that makes it smaller. [`Packed::text`] gives
/// it back exactly.
#[derive(Clone, Default, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Packed(Repr);

#[derive(Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
enum Repr {
    Plain(Box<str>),
    /// LZ4 block bytes and the length of the text they hold.
    Lz4(Box<[u8]>, u32),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Plain(Box::default())
    }
}

impl Packed {
    pub fn new(text: &str) -> Packed {
        if text.len() >= SMALL {
            if let Ok(len) = u32::try_from(text.len()) {
                let bytes = lz4_flex::block::compress(text.as_bytes());
                if bytes.len() < text.len() {
                    return Packed(Repr::Lz4(bytes.into_boxed_slice(), len));
                }
            }
        }
        Packed(Repr::Plain(text.into()))
    }

    /// The text, as it was given to [`Packed::new`].
    pub fn text(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Plain(text) => Cow::Borrowed(text),
            Repr::Lz4(bytes, len) => {
                // Bytes this type compressed from a `str`: neither step can
                // fail, and an empty text is the answer should one.
                let bytes = lz4_flex::block::decompress(bytes, *len as usize).unwrap_or_default();
                debug_assert_eq!(bytes.len(), *len as usize);
                Cow::Owned(String::from_utf8(bytes).unwrap_or_default())
            }
        }
    }

    /// The length of the text in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Plain(text) => text.len(),
            Repr::Lz4(_, len) => *len as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes held.
    #[cfg(test)]
    fn held(&self) -> usize {
        match &self.0 {
            Repr::Plain(text) => text.len(),
            Repr::Lz4(bytes, _) => bytes.len(),
        }
    }
}

impl From<String> for Packed {
    fn from(text: String) -> Packed {
        if text.len() < SMALL {
            return Packed(Repr::Plain(text.into_boxed_str()));
        }
        Packed::new(&text)
    }
}

impl From<&str> for Packed {
    fn from(text: &str) -> Packed {
        Packed::new(text)
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text(), f)
    }
}

impl std::fmt::Display for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for Packed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_comes_back_as_it_was() {
        let long_html = "<p>Integration with the <strong>claims</strong> system.</p>\n".repeat(40);
        let unique: String = (0..2000u32).map(|i| char::from_u32(0x4e00 + (i * 7919) % 20000).unwrap()).collect();
        for text in ["", "short", &"é✓ ".repeat(100), &long_html, &unique, &"x".repeat(SMALL)] {
            let p = Packed::new(text);
            assert_eq!(p.text(), text);
            assert_eq!(p.len(), text.len());
            assert_eq!(p.is_empty(), text.is_empty());
            assert_eq!(Packed::from(text.to_string()), p);
        }
    }

    #[test]
    fn long_repetitive_html_is_held_in_fewer_bytes() {
        let html = "<tr><td>Integration</td><td>Jordan Lee</td><td>2026-11-02</td></tr>\n".repeat(100);
        let p = Packed::new(&html);
        assert!(p.held() * 4 < html.len(), "{} of {}", p.held(), html.len());
        // Short texts and texts that do not shrink are held as they are.
        assert_eq!(Packed::new("<p>hi</p>").held(), 9);
    }

    #[test]
    fn serializes_and_debugs_as_its_text() {
        let html = "<p>a \"quoted\" body</p>".repeat(30);
        let p = Packed::new(&html);
        assert_eq!(serde_json::to_string(&p).unwrap(), serde_json::to_string(&html).unwrap());
        assert_eq!(format!("{p:?}"), format!("{html:?}"));
    }
}

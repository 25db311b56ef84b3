//! The one escape for text written into HTML, XML and SVG: `& < > " '`
//! become entities, and the characters XML 1.0 forbids (the C0 controls
//! other than tab, line feed and carriage return; U+FFFE and U+FFFF)
//! become U+FFFD, so that a control character from a record cannot make
//! `feed.xml` or a chart unreadable, nor reach a page raw. Tera's
//! autoescape (`render::Renderer`), the compiled templates, the feed, the
//! sitemap and the charts all escape with it; [`clean`] replaces the
//! forbidden characters alone, for text that is markup already (the HTML
//! of a Markdown body, a chart drawn by plotters).

use crate::scan::{any_below, any_is, first, ONES};
use pulldown_cmark_escape::{escape_html, IoWriter, StrWrite};
use std::borrow::Cow;

/// What a character XML 1.0 forbids becomes.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// Whether XML 1.0 allows `c` in a document (a Rust `char` is never a
/// surrogate): what the tests hold the escapers to.
#[cfg(test)]
fn allowed(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether the eight bytes of `x` may hold the start of a forbidden
/// character: a byte below 0x20 (tab and line breaks too, looked at again
/// one by one) or 0xEF, the first byte of U+FFFE and U+FFFF in UTF-8.
#[inline]
fn maybe_forbidden(x: u64) -> bool {
    // Most words are ASCII: the test for 0xEF only when a high bit is set.
    any_below(x, 0x20) || (x & (ONES * 0x80) != 0 && any_is(x, 0xEF))
}

/// Whether a forbidden character may start at byte `b`: a C0 control
/// other than tab, line feed and carriage return, or 0xEF.
fn forbidden_start(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF
}

/// Whether a byte is escaped, or may start a forbidden character.
fn special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || forbidden_start(b)
}

/// Whether the eight bytes of `x` may hold a [`special`] byte.
#[inline]
fn maybe_special(x: u64) -> bool {
    // `<` and `>` differ in one bit, as do `&` and `'`: two tests cover
    // the four. With bit 1 flipped, `"` (0x22) becomes 0x20 and the C0
    // controls stay below it: one test finds either. 0xEF (the first byte
    // of U+FFFE and U+FFFF) is looked for only in a word with a high bit.
    any_is(x | (ONES * 0x02), b'>')
        || any_is(x | ONES, b'\'')
        || any_below(x ^ (ONES * 0x02), 0x21)
        || (x & (ONES * 0x80) != 0 && any_is(x, 0xEF))
}

/// Where the first character XML forbids starts in `s`, and its length in
/// bytes (`(s.len(), 0)` when there is none).
fn first_forbidden(s: &str) -> (usize, usize) {
    let b = s.as_bytes();
    let mut from = 0;
    loop {
        let at = from + first(&b[from..], maybe_forbidden, forbidden_start);
        match b.get(at..) {
            None | Some([]) => return (b.len(), 0),
            Some([0xEF, 0xBF, 0xBE | 0xBF, ..]) => return (at, 3),
            // Another character from U+F000 to U+FFFF.
            Some([0xEF, ..]) => from = at + 1,
            Some(_) => return (at, 1),
        }
    }
}

/// `s` with every character XML forbids replaced by U+FFFD; borrowed when
/// there is none (text without control bytes is passed over eight bytes at
/// a time).
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    let (at, len) = first_forbidden(s);
    if len == 0 {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..at]);
    let mut rest = &s[at + len..];
    loop {
        out.push(REPLACEMENT);
        let (at, len) = first_forbidden(rest);
        out.push_str(&rest[..at]);
        if len == 0 {
            return Cow::Owned(out);
        }
        rest = &rest[at + len..];
    }
}

/// Writes `s` to `w` escaped: `& < > " '` as entities (`&amp;` `&lt;`
/// `&gt;` `&quot;` `&#39;`, the bytes of Tera's autoescape, valid in XML
/// too) and forbidden characters as U+FFFD. Text with nothing to replace
/// (most ids, names, dates and words, and text with line breaks) is
/// written whole after one pass of eight bytes at a time.
#[inline]
pub(crate) fn escape_to<W: StrWrite>(mut w: W, s: &str) -> Result<(), W::Error> {
    let b = s.as_bytes();
    let at = first(b, maybe_special, special);
    if at == b.len() {
        return w.write_str(s);
    }
    // Every byte before `at` is plain and `at` is a character boundary.
    w.write_str(&s[..at])?;
    let mut rest = &s[at..];
    loop {
        let (at, len) = first_forbidden(rest);
        escape_html(&mut w, &rest[..at])?;
        if len == 0 {
            return Ok(());
        }
        w.write_str("\u{FFFD}")?;
        rest = &rest[at + len..];
    }
}

/// [`escape_to`] onto the end of `out`.
#[inline]
pub(crate) fn push(out: &mut String, s: &str) {
    // Writing into a `String` does not fail.
    let _ = escape_to(out, s);
}

/// [`escape_to`] into a new string.
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push(&mut out, s);
    out
}

/// [`escape_to`] as Tera's escape function (`Tera::set_escape_fn`).
pub(crate) fn tera(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_to(IoWriter(w), s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_replaced_everywhere() {
        for len in 0..20 {
            for at in 0..len {
                for c in ['\0', '\u{1}', '\u{8}', '\u{b}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
                    let mut s: String = "a".repeat(len);
                    s.replace_range(at..at + 1, &c.to_string());
                    assert!(clean(&s).chars().all(allowed), "{s:?}");
                    assert!(escaped(&s).chars().all(allowed), "{s:?}");
                    assert_eq!(escaped(&s).matches('\u{FFFD}').count(), 1, "{s:?}");
                }
            }
        }
        for ok in ["tab\tlf\ncr\r", "\u{fffd}\u{fefc}\u{feff}\u{ff0c}", "日本 é ✓"] {
            assert!(matches!(clean(ok), Cow::Borrowed(_)));
            assert_eq!(escaped(ok), ok);
        }
        let mixed = "\u{ff0c}\u{1}\u{fffe}x\u{feff}\u{ffff}";
        assert_eq!(clean(mixed), "\u{ff0c}\u{fffd}\u{fffd}x\u{feff}\u{fffd}");
        assert_eq!(escaped(mixed), clean(mixed));
        assert_eq!(escaped(&format!("a\n{mixed}<")), format!("a\n{}&lt;", clean(mixed)));
        assert_eq!(escaped("<a href=\"x\">&'\u{1}</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{FFFD}&lt;/a&gt;");
    }

    #[test]
    fn the_word_tests_miss_no_byte_anywhere() {
        for b in 0..=255u8 {
            for at in 0..8 {
                for fill in [b'a', b' ', 0xC3, 0x80] {
                    let mut bytes = [fill; 8];
                    bytes[at] = b;
                    let x = u64::from_le_bytes(bytes);
                    if special(b) {
                        assert!(maybe_special(x), "{bytes:?}");
                    }
                    if forbidden_start(b) {
                        assert!(maybe_forbidden(x), "{bytes:?}");
                    }
                }
                // Exact on plain ASCII words: no needless slow path.
                let mut bytes = [b'a'; 8];
                bytes[at] = b;
                if b.is_ascii() && !special(b) && b >= 0x20 {
                    assert!(!maybe_special(u64::from_le_bytes(bytes)), "{bytes:?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Text without forbidden characters is escaped as Tera escaped it
        /// before (pulldown-cmark-escape); with them, as if each had been
        /// U+FFFD to begin with.
        #[test]
        fn escape_is_teras_escape_of_the_cleaned_text(s in "(\\PC|[&<>\"'\u{0}-\u{1f}\u{fffe}\u{ffff}])*") {
            let mut theirs = String::new();
            escape_html(&mut theirs, &clean(&s)).unwrap();
            proptest::prop_assert_eq!(escaped(&s), theirs);
            let mut via_io = Vec::new();
            tera(&s, &mut via_io).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(via_io).unwrap(), escaped(&s));
        }
    }
}

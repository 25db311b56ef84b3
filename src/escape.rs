//! The one escape for text written into HTML, XML and SVG: `& < > " '`
//! become entities, and the characters XML 1.0 forbids (the C0 controls
//! other than tab, line feed and carriage return; U+FFFE and U+FFFF)
//! become U+FFFD, so that a control character from a record cannot make
//! `feed.xml` or a chart unreadable, nor reach a page raw. Tera's
//! autoescape (`render::Renderer`), the native page writers, the feed, the
//! sitemap and the charts all escape with it; [`clean`] replaces the
//! forbidden characters alone, for text that is markup already (the HTML
//! of a Markdown body, a chart drawn by plotters).

use crate::scan::{any_below, any_is, first, ONES};
use pulldown_cmark_escape::{escape_html, IoWriter, StrWrite};
use std::borrow::Cow;

/// What a character XML 1.0 forbids becomes.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether XML 1.0 allows `c` in a document (a Rust `char` is never a
/// surrogate).
pub fn allowed(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether the eight bytes of `x` may hold the start of a forbidden
/// character: a byte below 0x20 (tab and line breaks too, looked at again
/// one by one) or 0xEF, the first byte of U+FFFE and U+FFFF in UTF-8.
fn maybe_forbidden(x: u64) -> bool {
    any_below(x, 0x20) || any_is(x, 0xEF)
}

fn maybe_forbidden_byte(b: u8) -> bool {
    b < 0x20 || b == 0xEF
}

/// `s` with every character XML forbids replaced by U+FFFD; borrowed when
/// there is none (text without control bytes is passed over eight bytes at
/// a time).
pub fn clean(s: &str) -> Cow<'_, str> {
    let at = first(s.as_bytes(), maybe_forbidden, maybe_forbidden_byte);
    if !s[at..].chars().any(|c| !allowed(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if allowed(c) { c } else { REPLACEMENT }).collect())
}

/// Writes `s` to `w` escaped: `& < > " '` as entities (`&amp;` `&lt;`
/// `&gt;` `&quot;` `&#39;`, the bytes of Tera's autoescape, valid in XML
/// too) and forbidden characters as U+FFFD. Text with nothing to replace
/// (most ids, names, dates and words) is written whole after one pass of
/// eight bytes at a time.
pub fn escape_to<W: StrWrite>(mut w: W, s: &str) -> Result<(), W::Error> {
    let b = s.as_bytes();
    // `<` and `>` differ in one bit, as do `&` and `'`: three tests cover
    // the five, two more the bytes that may start a forbidden character.
    let maybe =
        |x: u64| any_is(x | (ONES * 0x02), b'>') || any_is(x | ONES, b'\'') || any_is(x, b'"') || maybe_forbidden(x);
    let at = first(b, maybe, |b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || maybe_forbidden_byte(b));
    if at == b.len() {
        return w.write_str(s);
    }
    // Every byte before `at` is plain and `at` is a character boundary.
    w.write_str(&s[..at])?;
    let mut rest = &s[at..];
    while let Some((i, c)) = rest.char_indices().find(|&(_, c)| !allowed(c)) {
        escape_html(&mut w, &rest[..i])?;
        w.write_str("\u{FFFD}")?;
        rest = &rest[i + c.len_utf8()..];
    }
    escape_html(&mut w, rest)
}

/// [`escape_to`] onto the end of `out`.
pub fn push(out: &mut String, s: &str) {
    // Writing into a `String` does not fail.
    let _ = escape_to(out, s);
}

/// [`escape_to`] into a new string.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push(&mut out, s);
    out
}

/// [`escape_to`] as Tera's escape function (`Tera::set_escape_fn`).
pub fn tera(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
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
        assert_eq!(escaped("<a href=\"x\">&'\u{1}</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{FFFD}&lt;/a&gt;");
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

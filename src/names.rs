//! Names made web-safe: the one slug rule (for ids, addresses, tags and
//! people) and Unicode's composed form, that one name typed two ways is
//! one name; and how people's names are matched. Below every module that
//! makes an address, and the config. Also the few words every page writes
//! alike (a capital first letter, "N days").

/// A URL-safe name: lowercase ASCII letters, digits, `-` and `_`. Other
/// scripts are put in Unicode's composed form (NFC: `café` is one name
/// however it was typed) and transliterated by `deunicode` (`Über` ->
/// `uber`, `日本` -> `ri-ben`); ASCII text, as most is, goes straight
/// through. Empty when the text has no letter or digit to keep.
pub fn slug(text: &str) -> String {
    if text.is_ascii() {
        return ascii_slug(text);
    }
    ascii_slug(&deunicode::deunicode(&nfc(text)))
}

/// `text` with its first character upper-cased ("stalled" -> "Stalled").
pub fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// "1 day", "12 days".
pub fn days(n: i64) -> String {
    let mut out = String::new();
    write_days(&mut out, n);
    out
}

/// [`days`], appended to `out`.
pub fn write_days(out: &mut String, n: i64) {
    use std::fmt::Write as _;
    let _ = if n == 1 { write!(out, "1 day") } else { write!(out, "{n} days") };
}

/// `text` in Unicode's composed form (NFC), borrowed when it is already.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// [`slug`] of ASCII text.
fn ascii_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A name as written, split from a title after its first comma:
/// `"Amira Haddad, Chief People Officer"` is `("Amira Haddad", Some("Chief
/// People Officer"))`. Both parts are trimmed; an empty title is none.
pub fn split_title(written: &str) -> (&str, Option<&str>) {
    match written.split_once(',') {
        Some((name, title)) => (name.trim(), Some(title.trim()).filter(|t| !t.is_empty())),
        None => (written.trim(), None),
    }
}

/// How names are matched: without a title after a comma, trimmed, in
/// Unicode's composed form, lowercased.
pub fn person_key(name: &str) -> String {
    nfc(split_title(name).0).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits_and_transliterate() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("Über"), "uber");
        assert_eq!(slug("cafe\u{301}"), "cafe");
        assert_eq!(slug("日本"), "ri-ben");
        assert_eq!(slug("!!!"), "");
        assert_eq!(nfc("cafe\u{301}"), "café");
    }
}

//! The default theme's busiest templates written in Rust: the pilot page
//! (`pilot.rs`: `pilot.html` inside `base.html`), the lessons page
//! (`lessons.rs`) and the rows of the long tables (`rows.rs`: `partials/constraint_rows.html`, `pilot_rows.html`,
//! `lesson_rows.html`). Through Tera, each page or row is first turned into
//! a map of values and then looked up field by field, which at 10,000
//! pilots was most of a build. A native writer is used only while the
//! templates it copies are the built-in ones ([`super::Renderer::native`]);
//! a theme or site that replaces one gets Tera. Tests hold every writer to
//! the bytes Tera makes from its templates, so a change to one of those
//! templates must be made here too.
//!
//! The writers follow their templates line by line: the text between two
//! tags is written as it stands once the built-in templates have lost their
//! indentation (`theme::dedent`): newlines included, since Tera trims
//! nothing but `{%-`/`-%}`, and no white space at the start of a line. Each
//! `{{ value }}` is escaped as
//! Tera's autoescape does, and each `{% if %}`/`{% for %}` is the same test
//! in Rust on the serialised form of the view (an empty string or list is
//! false).

pub(super) mod lessons;
pub(super) mod pilot;
pub(super) mod rows;

use std::fmt::Write as _;

/// `{{ s }}`: `s` escaped as Tera's autoescape does (the same function,
/// `crate::escape`).
fn esc(o: &mut String, s: &str) {
    crate::escape::push(o, s);
}

/// `{{ n }}` for a number (digits and `-` need no escaping).
fn num(o: &mut String, n: impl std::fmt::Display) {
    let _ = write!(o, "{n}");
}

/// `{% if s %}{{ s }}{% else %}otherwise{% endif %}`
fn or(o: &mut String, s: &str, otherwise: &str) {
    if s.is_empty() {
        o.push_str(otherwise);
    } else {
        esc(o, s);
    }
}

/// `<a href="{{ root }}{{ url }}">{{ text }}</a>`
fn link(o: &mut String, root: &str, url: &str, text: &str) {
    link_to(o, root, &[url], text);
}

/// [`link`] to a URL given in parts, each escaped (as the whole would be),
/// so that a URL made of a record's ids is not put together first.
fn link_to(o: &mut String, root: &str, url: &[&str], text: &str) {
    o.push_str("<a href=\"");
    esc(o, root);
    for part in url {
        esc(o, part);
    }
    o.push_str("\">");
    esc(o, text);
    o.push_str("</a>");
}

/// An open constraint's owner cell when nobody is named.
const NOBODY: &str = "<span class=\"attention\"><span aria-hidden=\"true\">⚠</span> nobody named</span>";

/// For the tests: panics, showing both sides around the first difference,
/// unless Tera's bytes and the native ones are the same.
#[cfg(test)]
fn assert_same(what: &str, tera: &str, native: &str) {
    if tera == native {
        return;
    }
    let (a, b) = (tera.as_bytes(), native.as_bytes());
    let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let around = |s: &[u8]| String::from_utf8_lossy(&s[at.saturating_sub(200)..(at + 200).min(s.len())]).into_owned();
    panic!(
        "{what}: native output differs from Tera's at byte {at} (lengths {} and {})\n--- Tera:\n{}\n--- native:\n{}\n",
        a.len(),
        b.len(),
        around(a),
        around(b)
    );
}

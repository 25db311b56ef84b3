//! What one row says of the fields the mapping owns ([`Wanted`]) -> a new
//! record's text, or the edit of an existing record's front matter. The
//! edit goes through `toml_edit`, which keeps the text it does not change
//! byte for byte (comments, order, spacing); the body and every key the
//! mapping does not own are never touched. A blank cell changes nothing.

use crate::date::Date;
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// The owned fields of one record, as the row gives them. `None`: the cell
/// is blank, and the record keeps what it has.
#[derive(Debug, Default)]
pub struct Wanted {
    /// `title`, `stage`, `owner`, ... in the order the record lists them.
    pub text: Vec<(&'static str, Option<String>)>,
    pub dates: Vec<(&'static str, Option<Date>)>,
    /// `None` when the mapping has no tag column, or the row's are blank.
    pub tags: Option<Vec<String>>,
    /// `[stages]`: stage and the date it was entered.
    pub stage_dates: Vec<(String, Option<Date>)>,
    /// `[readiness.DIMENSION]`: dimension, item, met.
    pub readiness: Vec<(String, String, Option<bool>)>,
    /// `## Heading` sections of a new record's body.
    pub sections: Vec<(String, String)>,
}

/// A new record's text.
pub fn new_record(w: &Wanted) -> String {
    let mut doc = DocumentMut::new();
    apply(&mut doc, w);
    let mut out = String::with_capacity(512);
    out.push_str("+++\n");
    out.push_str(&doc.to_string());
    out.push_str("+++\n");
    for (heading, text) in &w.sections {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if !text.is_empty() {
            out.push_str("\n## ");
            out.push_str(heading);
            out.push_str("\n\n");
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}

/// Why an existing record cannot be updated.
#[derive(Debug, PartialEq, Eq)]
pub enum Unmergeable {
    /// Its front matter is YAML (`---`), or it has none.
    NotToml,
    /// Its front matter is not TOML `toml_edit` can read.
    Unreadable(String),
}

/// An existing record's `text` with the owned fields set: `None` when
/// nothing changes, else the new text and the names of the fields changed.
pub fn update_record(text: &str, w: &Wanted) -> Result<Option<(String, Vec<String>)>, Unmergeable> {
    let range = crate::frontmatter::toml_block(text).ok_or(Unmergeable::NotToml)?;
    let front = &text[range.clone()];
    let mut doc: DocumentMut =
        front.parse().map_err(|e: toml_edit::TomlError| Unmergeable::Unreadable(e.message().to_string()))?;
    let changed = apply(&mut doc, w);
    if changed.is_empty() {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..range.start]);
    out.push_str(&doc.to_string());
    out.push_str(&text[range.end..]);
    Ok(Some((out, changed)))
}

/// Sets each owned field the row gives in `doc`; the names of those that
/// changed.
fn apply(doc: &mut DocumentMut, w: &Wanted) -> Vec<String> {
    let mut changed = Vec::new();
    let root = doc.as_table_mut();
    for (key, value) in &w.text {
        if let Some(v) = value {
            set(root, key, Value::from(v.as_str()), &mut changed, key);
        }
    }
    for (key, date) in &w.dates {
        if let Some(d) = date {
            set(root, key, date_value(*d), &mut changed, key);
        }
    }
    if let Some(tags) = &w.tags {
        let array: toml_edit::Array = tags.iter().map(String::as_str).collect();
        set(root, "tags", Value::Array(array), &mut changed, "tags");
    }
    if w.stage_dates.iter().any(|(_, d)| d.is_some()) {
        if let Some(stages) = table(root, "stages", false) {
            for (stage, date) in &w.stage_dates {
                if let Some(d) = date {
                    set(stages, stage, date_value(*d), &mut changed, &format!("stages.{stage}"));
                }
            }
        }
    }
    for (dim, item, met) in &w.readiness {
        let Some(met) = met else { continue };
        let Some(readiness) = table(root, "readiness", true) else { continue };
        if let Some(d) = table(readiness, dim, false) {
            set(d, item, Value::from(*met), &mut changed, &format!("readiness.{dim}.{item}"));
        }
    }
    changed
}

fn date_value(d: Date) -> Value {
    let (y, m, day) = d.ymd();
    Value::from(toml_edit::Datetime {
        date: Some(toml_edit::Date { year: y as u16, month: m as u8, day: day as u8 }),
        time: None,
        offset: None,
    })
}

/// The table `key` of `parent`, made when missing (`implicit`: written
/// only through its sub-tables, as `[readiness.governance]`). `None` when
/// `key` holds something else, which is left as it is.
fn table<'a>(parent: &'a mut dyn TableLike, key: &str, implicit: bool) -> Option<&'a mut dyn TableLike> {
    if parent.get(key).is_none() {
        let mut t = Table::new();
        t.set_implicit(implicit);
        parent.insert(key, Item::Table(t));
    }
    parent.get_mut(key)?.as_table_like_mut()
}

/// Sets `key` to `value` unless it has that value already (then its text
/// is kept as written); a replaced value keeps the comment and spacing
/// around it.
fn set(table: &mut dyn TableLike, key: &str, value: Value, changed: &mut Vec<String>, name: &str) {
    match table.get_mut(key) {
        Some(Item::Value(old)) if same(old, &value) => {}
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
            changed.push(name.to_string());
        }
        Some(other) => {
            *other = Item::Value(value);
            changed.push(name.to_string());
        }
        None => {
            table.insert(key, Item::Value(value));
            changed.push(name.to_string());
        }
    }
}

/// Whether two values are equal, however they are written.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted() -> Wanted {
        Wanted {
            text: vec![("title", Some("Claims \"triage\"".into())), ("stage", Some("pilot".into())), ("owner", None)],
            dates: vec![("started", Date::parse("2026-01-12"))],
            tags: Some(vec!["nlp".into(), "claims".into()]),
            stage_dates: vec![("pilot".into(), Date::parse("2026-02-01"))],
            readiness: vec![("governance".into(), "audit-trail".into(), Some(true))],
            sections: vec![("Purpose".into(), "Triage.\r\nFaster.".into()), ("Empty".into(), " ".into())],
        }
    }

    #[test]
    fn a_new_record_has_every_field_given() {
        assert_eq!(
            new_record(&wanted()),
            "+++\ntitle = 'Claims \"triage\"'\nstage = \"pilot\"\nstarted = 2026-01-12\ntags = [\"nlp\", \"claims\"]\n\n\
             [stages]\npilot = 2026-02-01\n\n[readiness.governance]\naudit-trail = true\n+++\n\n## Purpose\n\nTriage.\nFaster.\n"
        );
    }

    #[test]
    fn an_update_changes_only_owned_fields_and_keeps_the_rest() {
        let text = "+++\n# a comment\ntitle = 'Claims \"triage\"'   # kept\nstage = \"idea\" # moved?\nowner = \"Dana\"\n\
                    started = 2026-01-12\n\n[stages]\nidea = 2025-12-01\n\n[[updates]]\nweek = 2026-03-09\n+++\n\nBody *as* written.\n";
        let (out, changed) = update_record(text, &wanted()).unwrap().unwrap();
        assert_eq!(changed, ["stage", "tags", "stages.pilot", "readiness.governance.audit-trail"]);
        assert!(
            out.contains("title = 'Claims \"triage\"'   # kept\nstage = \"pilot\" # moved?\nowner = \"Dana\"\n"),
            "{out}"
        );
        assert!(out.contains("[stages]\nidea = 2025-12-01\npilot = 2026-02-01\n"), "{out}");
        assert!(out.contains("[[updates]]\nweek = 2026-03-09\n"), "{out}");
        assert!(out.ends_with("+++\n\nBody *as* written.\n"), "{out}");
        // The second time, nothing changes.
        assert_eq!(update_record(&out, &wanted()), Ok(None));
    }

    #[test]
    fn records_it_cannot_edit_are_said() {
        assert_eq!(update_record("---\ntitle: x\n---\n", &wanted()), Err(Unmergeable::NotToml));
        assert!(matches!(update_record("+++\ntitle = \n+++\n", &wanted()), Err(Unmergeable::Unreadable(_))));
    }
}

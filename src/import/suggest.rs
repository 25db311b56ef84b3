//! `pilotdeck import FILE --suggest-map`: a first mapping file from the
//! sheet's header and the values in its columns. Each field gets the
//! column whose name says it best; a stage-like column gets a `[stages]`
//! table listing each of its values, filled in where the site's stages
//! (and `[stage_aliases]`) name it and left `""` to fill in where not;
//! date columns get the formats that read all their values; yes/no columns
//! are offered as readiness items, in comments.

use super::read::Sheet;
use crate::config::Config;
use std::fmt::Write as _;

/// Words in a column's name that say which field it feeds, best first.
const CLUES: [(&str, &[&str]); 11] = [
    ("id", &["id", "identifier", "use case id", "code", "number", "ref"]),
    ("title", &["title", "name", "use case name", "use case", "project", "system"]),
    ("summary", &["summary", "description", "purpose", "abstract", "objective"]),
    ("stage", &["stage", "status", "phase", "lifecycle", "maturity", "state"]),
    (
        "function",
        &["function", "unit", "department", "agency", "bureau", "office", "division", "business area", "team"],
    ),
    ("owner", &["owner", "contact", "lead", "poc", "responsible", "manager"]),
    ("sponsor", &["sponsor", "executive", "accountable"]),
    ("champion", &["champion"]),
    ("started", &["start", "started", "initiated", "begun", "date initiated", "start date"]),
    ("target", &["target", "due", "planned"]),
    ("tags", &["tags", "topic", "keywords", "category", "categories", "technique"]),
];

fn words(name: &str) -> Vec<String> {
    name.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// How well column `name` fits a field with `clues`: 3 for the whole name,
/// 2 for a phrase in it, 1 for a word in it, 0 for none.
fn fit(name: &str, clues: &[&str]) -> u8 {
    let lower = name.trim().to_lowercase();
    let ws = words(name);
    let mut best = 0;
    for clue in clues {
        let score = if lower == *clue {
            3
        } else if clue.contains(' ') && lower.contains(clue) {
            2
        } else if ws.iter().any(|w| w == clue) {
            1
        } else {
            0
        };
        best = best.max(score);
    }
    best
}

/// The distinct values of column `i`, in first-seen order, trimmed.
fn distinct(sheet: &Sheet, i: usize, limit: usize) -> Vec<String> {
    let mut seen = crate::hash::FastSet::default();
    let mut out = Vec::new();
    for r in &sheet.rows {
        let v = r.cell(i).trim();
        if seen.insert(v.to_lowercase()) {
            out.push(v.to_string());
            if out.len() > limit {
                break;
            }
        }
    }
    out
}

/// Date formats offered: each is kept if it reads a value of a column.
const DATE_FORMATS: [&str; 10] = [
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%m/%d/%y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%B %Y",
];

/// Values that often stand for an empty cell.
const PLACEHOLDERS: [&str; 8] = ["n/a", "na", "tbd", "unknown", "none", "-", "--", "not applicable"];

const YES_NO: [&str; 8] = ["yes", "no", "y", "n", "true", "false", "1", "0"];

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The mapping file's text.
pub fn suggest(sheet: &Sheet, config: &Config, file_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# A first mapping for {file_name}, written by `pilotdeck import --suggest-map`.");
    out.push_str(
        "# Check each line, fill in what is left \"\", then run\n#   pilotdeck import FILE --map THIS-FILE --dry-run\n\
         # Every field named in [columns] is owned by the import: a re-import sets it\n\
         # in the records again; everything else in a record is never touched.\n\n",
    );
    // Placeholders for "nothing written", as the sheet writes them.
    let mut found: Vec<String> = Vec::new();
    for r in &sheet.rows {
        for c in &r.cells {
            let c = c.trim();
            if PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(c)) && !found.iter().any(|f| f == c) {
                found.push(c.to_string());
            }
        }
    }
    if !found.is_empty() {
        let list: Vec<String> = found.iter().map(|f| toml_str(f)).collect();
        let _ = writeln!(out, "# Cells that mean nothing is written: read as blank.");
        let _ = writeln!(out, "blank_values = [{}]\n", list.join(", "));
    }
    // Dates: the formats that read any column's values.
    // Each format that reads a value, with how many it reads: the one that
    // reads most is tried first (`15/01/2023` says day first).
    let mut formats: Vec<(&str, usize)> = Vec::new();
    let mut date_cols = Vec::new();
    for i in 0..sheet.header.len() {
        let blank = |v: &String| v.is_empty() || PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(v));
        let values: Vec<String> = distinct(sheet, i, 200).into_iter().filter(|v| !blank(v)).collect();
        if values.is_empty() {
            continue;
        }
        let readers: Vec<&str> = DATE_FORMATS
            .iter()
            .copied()
            .filter(|f| values.iter().any(|v| jiff::fmt::strtime::parse(f, v).is_ok()))
            .collect();
        let all = values.iter().all(|v| readers.iter().any(|f| jiff::fmt::strtime::parse(f, v).is_ok()));
        if all && !readers.is_empty() {
            date_cols.push(i);
            for f in readers {
                let read = values.iter().filter(|v| jiff::fmt::strtime::parse(f, v).is_ok()).count();
                match formats.iter_mut().find(|(g, _)| *g == f) {
                    Some((_, n)) => *n += read,
                    None => formats.push((f, read)),
                }
            }
        }
    }
    formats.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    if !formats.is_empty() {
        let list: Vec<String> = formats.iter().map(|(f, _)| toml_str(f)).collect();
        let _ = writeln!(out, "# Tried in order; a date no format reads is reported and left blank.");
        let _ = writeln!(out, "date_formats = [{}]\n", list.join(", "));
    }
    // Each field: the best-fitting column not taken by a better field.
    let mut taken: Vec<usize> = Vec::new();
    let mut chosen: Vec<(&str, Option<usize>)> = Vec::new();
    for (field, clues) in CLUES {
        let is_date = matches!(field, "started" | "target");
        let best = (0..sheet.header.len())
            .filter(|i| !taken.contains(i) && (date_cols.contains(i) == is_date || field == "tags"))
            .map(|i| (fit(&sheet.header[i], clues), i))
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, i)| (*s, std::cmp::Reverse(*i)));
        if let Some((_, i)) = best {
            taken.push(i);
        }
        chosen.push((field, best.map(|(_, i)| i)));
    }
    out.push_str("[columns]\n");
    for (field, col) in &chosen {
        match col {
            Some(i) => {
                let _ = writeln!(out, "{field} = {}", toml_str(&sheet.header[*i]));
            }
            None => {
                let _ = writeln!(out, "# {field} = \"\"");
            }
        }
    }
    // Stage values.
    if let Some((_, Some(i))) = chosen.iter().find(|(f, _)| *f == "stage") {
        let values = distinct(sheet, *i, 100);
        let _ = writeln!(
            out,
            "\n# The values of `{}`, and the stage each means: one of {}.\n# A value a stage or `[stage_aliases]` already names needs no line.",
            sheet.header[*i],
            config.stages.join(", ")
        );
        out.push_str("[stages]\n");
        for v in values {
            let stage = config.stage_name(&v).unwrap_or("");
            let _ = writeln!(out, "{} = {}", toml_str(&v), toml_str(stage));
        }
    }
    // Other date columns: the day a stage was entered.
    let used: Vec<usize> = chosen.iter().filter_map(|(_, c)| *c).collect();
    let other_dates: Vec<usize> = date_cols.iter().copied().filter(|i| !used.contains(i)).collect();
    if !other_dates.is_empty() {
        out.push_str("\n# The day each stage was entered, from a date column (`production = \"Date deployed\"`).\n");
        out.push_str("[stage_dates]\n");
        for i in other_dates {
            let _ = writeln!(out, "# ... = {}", toml_str(&sheet.header[i]));
        }
    }
    // Yes/no columns: readiness items.
    let flags: Vec<usize> = (0..sheet.header.len())
        .filter(|i| !used.contains(i))
        .filter(|&i| {
            let vs = distinct(sheet, i, 10);
            vs.iter().any(|v| !v.is_empty())
                && vs.iter().all(|v| v.is_empty() || YES_NO.contains(&v.to_lowercase().as_str()))
        })
        .collect();
    if !flags.is_empty() {
        out.push_str(
            "\n# Yes/no columns: each can be a readiness item of the rubric, met for the values in `met`,\n\
             # or a tag the record has for those values: [tag_when] high-impact = { column = \"...\", met = \"Yes\" }\n",
        );
        out.push_str("# [readiness.governance]\n");
        for i in &flags {
            let _ = writeln!(
                out,
                "# ITEM = {{ column = {}, met = [\"Yes\", \"Y\", \"TRUE\"] }}",
                toml_str(&sheet.header[*i])
            );
        }
    }
    // Long free text: body sections of new records.
    let long: Vec<usize> = (0..sheet.header.len())
        .filter(|i| !used.contains(i) && !flags.contains(i) && !date_cols.contains(i))
        .filter(|&i| sheet.rows.iter().take(200).any(|r| r.cell(i).len() > 80))
        .collect();
    if !long.is_empty() {
        out.push_str(
            "\n# Free text, as `## Heading` sections of the body of new records (heading = column).\n[sections]\n",
        );
        for i in long {
            let _ = writeln!(out, "# {} = {}", toml_str(&sheet.header[i]), toml_str(&sheet.header[i]));
        }
    }
    out.push_str("\n# Rows to leave out, such as\n# [[skip]]\n# column = \"Status\"\n# equals = [\"Withdrawn\"]\n");
    out
}

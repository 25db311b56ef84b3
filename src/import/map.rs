//! The mapping file (TOML) -> a checked [`Map`]: which column feeds which
//! field of a record, what the sheet's stage names mean, the date formats
//! to try, which rows to skip. Problems are PD009 diagnostics at their
//! place in the mapping file; a column the sheet lacks is one too, with the
//! nearest column name.

use crate::config::Config;
use crate::diag::{suggest, Diagnostic, Loc, Rule, Span};
use crate::node::{from_node, Entries, Spanned};
use crate::source::FileId;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A record field the import can own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Summary,
    Stage,
    Function,
    Owner,
    Champion,
    Sponsor,
    Started,
    Target,
    Success,
    Tags,
}

/// Each field by its key in `[columns]` (the record's key, but for `id`,
/// which makes the file name).
pub const FIELDS: [(&str, Field); 12] = [
    ("id", Field::Id),
    ("title", Field::Title),
    ("summary", Field::Summary),
    ("stage", Field::Stage),
    ("function", Field::Function),
    ("owner", Field::Owner),
    ("champion", Field::Champion),
    ("sponsor", Field::Sponsor),
    ("started", Field::Started),
    ("target", Field::Target),
    ("success", Field::Success),
    ("tags", Field::Tags),
];

impl Field {
    pub fn key(self) -> &'static str {
        FIELDS.iter().find(|(_, f)| *f == self).map_or("", |(k, _)| k)
    }
}

/// A column named in the mapping file: its name, where it is written, and
/// its index in the sheet's header once [`Map::resolve`] found it.
#[derive(Clone, Debug)]
pub struct Col {
    pub name: String,
    pub span: Span,
    pub index: usize,
}

impl Col {
    fn new(s: Spanned<String>) -> Col {
        Col { name: s.value, span: s.span, index: usize::MAX }
    }
}

/// A readiness item fed by a column: met when the cell is one of `met`.
pub struct ReadinessItem {
    pub dimension: String,
    pub item: String,
    pub column: Col,
    /// Lowercased.
    pub met: Vec<String>,
}

/// A row is skipped when its cell in `column` is one of `equals`, or
/// (with `blank`) has no text.
pub struct Skip {
    pub column: Col,
    /// Lowercased.
    pub equals: Vec<String>,
    pub blank: bool,
}

pub struct Map {
    pub sheet: Option<String>,
    pub delimiter: Option<u8>,
    /// jiff `strptime` formats, in the order tried; `%Y-%m-%d` is always
    /// tried last.
    pub date_formats: Vec<String>,
    /// Cell values that mean "nothing written" (`N/A`, `TBD`), lowercased:
    /// read as blank cells.
    pub blank_values: Vec<String>,
    /// `[columns]`: each field's column (several for `tags`).
    pub columns: Vec<(Field, Vec<Col>)>,
    /// `[stage_dates]`: the date a stage was entered, by stage.
    pub stage_dates: Vec<(String, Col)>,
    /// `[stages]`: a sheet's stage value, lowercased and trimmed, and the
    /// stage it means.
    pub stages: Vec<(String, String)>,
    /// `[sections]`: body sections of a new record, heading and column.
    pub sections: Vec<(String, Col)>,
    pub readiness: Vec<ReadinessItem>,
    /// `[tag_when]`: a tag the record has when a column holds one of the
    /// values (`high-impact` from a Yes/No column).
    pub tag_when: Vec<TagWhen>,
    pub skip: Vec<Skip>,
}

pub struct TagWhen {
    pub tag: String,
    pub column: Col,
    /// Lowercased.
    pub met: Vec<String>,
}

/// A string or a list of strings.
#[derive(Default)]
struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E>(self, v: &str) -> Result<Names, E> {
                Ok(Names(vec![v.to_string()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Names(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    sheet: Option<String>,
    delimiter: Option<Spanned<String>>,
    date_formats: Option<Vec<Spanned<String>>>,
    blank_values: Option<Names>,
    columns: Option<Entries<Spanned<Names>>>,
    stage_dates: Option<Entries<Spanned<String>>>,
    stages: Option<Entries<Spanned<String>>>,
    sections: Option<Entries<Spanned<String>>>,
    readiness: Option<Entries<Entries<Spanned<RawItem>>>>,
    tag_when: Option<Entries<Spanned<RawItem>>>,
    skip: Option<Vec<Spanned<RawSkip>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    column: Option<Spanned<String>>,
    met: Option<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    column: Option<Spanned<String>>,
    equals: Option<Names>,
    blank: Option<bool>,
}

/// Reads the mapping file's text, checked against the site's `config`.
pub fn parse(file: FileId, text: &str, config: &Config, diags: &mut Vec<Diagnostic>) -> Map {
    let parsed = crate::frontmatter::parse_toml(text, 0);
    let mut problems = parsed.problems;
    let (raw, more) = from_node::<RawMap>(&parsed.node);
    problems.extend(more);
    diags.extend(
        problems.into_iter().map(|p| Diagnostic::new(p.rule, Loc::at(file, p.span), p.message).maybe_hint(p.hint)),
    );
    let mut m = Map {
        sheet: None,
        delimiter: None,
        date_formats: Vec::new(),
        blank_values: Vec::new(),
        columns: Vec::new(),
        stage_dates: Vec::new(),
        stages: Vec::new(),
        sections: Vec::new(),
        readiness: Vec::new(),
        tag_when: Vec::new(),
        skip: Vec::new(),
    };
    let Some(raw) = raw else { return m };
    let mut err = |span: Span, message: String, hint: String| {
        diags.push(Diagnostic::new(Rule::BadConfig, Loc::at(file, span), message).hint(hint));
    };
    m.sheet = raw.sheet;
    if let Some(d) = raw.delimiter {
        match d.value.as_str() {
            "," | ";" | "|" => m.delimiter = Some(d.value.as_bytes()[0]),
            "\t" | "tab" => m.delimiter = Some(b'\t'),
            other => err(d.span, format!("`{other}` is not a delimiter"), "use \",\", \";\", \"|\" or \"tab\"".into()),
        }
    }
    for f in raw.date_formats.unwrap_or_default() {
        if f.value.contains('%') {
            m.date_formats.push(f.value);
        } else {
            err(f.span, format!("`{}` is not a date format", f.value), DATE_HINT.into());
        }
    }
    m.blank_values = raw.blank_values.unwrap_or_default().0.iter().map(|v| v.trim().to_lowercase()).collect();
    for (key, cols) in raw.columns.unwrap_or_default().0 {
        let Some(&(_, field)) = FIELDS.iter().find(|(k, _)| *k == key.value) else {
            err(key.span, format!("`{}` is not a field", key.value), suggest(&key.value, FIELDS.map(|(k, _)| k)));
            continue;
        };
        let names: Vec<Col> =
            cols.value.0.into_iter().map(|n| Col::new(Spanned { span: cols.span, value: n })).collect();
        if names.len() != 1 && field != Field::Tags {
            err(cols.span, format!("`{}` takes one column", key.value), "name one column: `title = \"Name\"`".into());
        } else if m.columns.iter().any(|(f, _)| *f == field) {
            err(key.span, format!("`{}` is mapped twice", key.value), "remove one".into());
        } else {
            m.columns.push((field, names));
        }
    }
    if !m.columns.iter().any(|(f, _)| *f == Field::Title) {
        err(
            Span::default(),
            "the mapping names no column for `title`".into(),
            "add `[columns]` with `title = \"Name\"`: the pilot's name".into(),
        );
    }
    for (stage, col) in raw.stage_dates.unwrap_or_default().0 {
        match config.stage_name(&stage.value) {
            Some(s) => m.stage_dates.push((s.to_string(), Col::new(col))),
            None => {
                err(stage.span, format!("unknown stage `{}`", stage.value), config.unknown_stage_hint(&stage.value))
            }
        }
    }
    for (value, stage) in raw.stages.unwrap_or_default().0 {
        match config.stage_name(&stage.value) {
            Some(s) => m.stages.push((value.value.trim().to_lowercase(), s.to_string())),
            None if stage.value.trim().is_empty() => err(
                stage.span,
                format!("`{}` is mapped to no stage", value.value),
                format!("fill in the stage it means, one of: {}", config.stages.join(", ")),
            ),
            None => {
                err(stage.span, format!("unknown stage `{}`", stage.value), config.unknown_stage_hint(&stage.value))
            }
        }
    }
    for (heading, col) in raw.sections.unwrap_or_default().0 {
        if heading.value.trim().is_empty() || heading.value.contains('\n') {
            err(
                heading.span,
                "a section heading must be one line of text".into(),
                "such as `\"Purpose\" = \"Intended purpose\"`".into(),
            );
        } else {
            m.sections.push((heading.value.trim().to_string(), Col::new(col)));
        }
    }
    for (dim, items) in raw.readiness.unwrap_or_default().0 {
        let Some(d) = config.dimension(&dim.value) else {
            err(
                dim.span,
                format!("unknown readiness dimension `{}`", dim.value),
                suggest(&dim.value, crate::config::DIMENSIONS),
            );
            continue;
        };
        for (item, spec) in items.0 {
            if !d.items.iter().any(|i| *i.key == *item.value) {
                err(
                    item.span,
                    format!("`{}` is not an item of the {} rubric", item.value, d.key),
                    suggest(&item.value, d.items.iter().map(|i| &*i.key)),
                );
                continue;
            }
            let Some(column) = spec.value.column else {
                err(spec.span, "a readiness item needs `column`".into(), ITEM_HINT.into());
                continue;
            };
            let met: Vec<String> =
                spec.value.met.unwrap_or_default().0.iter().map(|v| v.trim().to_lowercase()).collect();
            if met.is_empty() {
                err(spec.span, "a readiness item needs `met`: the values that mean it is met".into(), ITEM_HINT.into());
                continue;
            }
            m.readiness.push(ReadinessItem {
                dimension: d.key.clone(),
                item: item.value,
                column: Col::new(column),
                met,
            });
        }
    }
    for (tag, spec) in raw.tag_when.unwrap_or_default().0 {
        let met: Vec<String> = spec.value.met.unwrap_or_default().0.iter().map(|v| v.trim().to_lowercase()).collect();
        match spec.value.column {
            Some(column) if !met.is_empty() && !tag.value.trim().is_empty() => {
                m.tag_when.push(TagWhen { tag: tag.value.trim().to_string(), column: Col::new(column), met });
            }
            _ => err(
                spec.span,
                "a tag needs a name, `column` and `met`".into(),
                "such as `high-impact = { column = \"High Impact\", met = \"Yes\" }`".into(),
            ),
        }
    }
    for s in raw.skip.unwrap_or_default() {
        let Some(column) = s.value.column else {
            err(s.span, "a skip rule needs `column`".into(), SKIP_HINT.into());
            continue;
        };
        let equals: Vec<String> =
            s.value.equals.unwrap_or_default().0.iter().map(|v| v.trim().to_lowercase()).collect();
        let blank = s.value.blank == Some(true);
        if equals.is_empty() && !blank {
            err(s.span, "a skip rule needs `equals` or `blank = true`".into(), SKIP_HINT.into());
            continue;
        }
        m.skip.push(Skip { column: Col::new(column), equals, blank });
    }
    m
}

const DATE_HINT: &str = "write a strptime format, such as \"%m/%d/%Y\" (3/15/2026) or \"%d.%m.%Y\" (15.03.2026)";
const ITEM_HINT: &str = "such as `risk-assessment = { column = \"Has ATO\", met = [\"Yes\", \"Y\"] }`";
const SKIP_HINT: &str =
    "such as `{ column = \"Status\", equals = [\"Withdrawn\"] }` or `{ column = \"Name\", blank = true }`";

impl Map {
    /// Every column the mapping names.
    fn cols_mut(&mut self) -> impl Iterator<Item = &mut Col> {
        let fields = self.columns.iter_mut().flat_map(|(_, c)| c.iter_mut());
        let dates = self.stage_dates.iter_mut().map(|(_, c)| c);
        let sections = self.sections.iter_mut().map(|(_, c)| c);
        let readiness = self.readiness.iter_mut().map(|r| &mut r.column);
        let tags = self.tag_when.iter_mut().map(|t| &mut t.column);
        let skip = self.skip.iter_mut().map(|s| &mut s.column);
        fields.chain(dates).chain(sections).chain(readiness).chain(tags).chain(skip)
    }

    /// Finds each column in the sheet's `header`: by its name, else the
    /// same name in other case; PD009 for one the sheet lacks.
    pub fn resolve(&mut self, file: FileId, header: &[String], sheet_name: &str, diags: &mut Vec<Diagnostic>) {
        for col in self.cols_mut() {
            let name = col.name.trim();
            let found = header.iter().position(|h| h == name).or_else(|| {
                header.iter().position(|h| h.eq_ignore_ascii_case(name) || h.to_lowercase() == name.to_lowercase())
            });
            match found {
                Some(i) => col.index = i,
                None => diags.push(
                    Diagnostic::new(
                        Rule::BadConfig,
                        Loc::at(file, col.span),
                        format!("`{sheet_name}` has no column `{}`", col.name),
                    )
                    .hint(suggest(&col.name, header.iter().map(String::as_str))),
                ),
            }
        }
    }

    pub fn column(&self, field: Field) -> Option<&Col> {
        self.columns.iter().find(|(f, _)| *f == field).and_then(|(_, c)| c.first())
    }

    pub fn tag_columns(&self) -> &[Col] {
        self.columns.iter().find(|(f, _)| *f == Field::Tags).map_or(&[], |(_, c)| c.as_slice())
    }

    /// The stage a sheet's value means: `[stages]` first, then the site's
    /// own rule ([`Config::stage_name`]).
    pub fn stage<'a>(&'a self, value: &str, config: &'a Config) -> Option<&'a str> {
        let key = value.trim();
        let lower = if key.is_ascii() { key.to_ascii_lowercase() } else { key.to_lowercase() };
        match self.stages.iter().find(|(v, _)| *v == lower) {
            Some((_, s)) => Some(s),
            None if key.is_empty() => None,
            None => config.stage_name(key),
        }
    }

    /// `text` as a date, by the first of `date_formats` that reads it
    /// whole, else as YYYY-MM-DD; a format without a day (`%B %Y`) gives
    /// the first of the month.
    pub fn date(&self, text: &str) -> Option<crate::date::Date> {
        let text = text.trim();
        let iso = "%Y-%m-%d";
        self.date_formats.iter().map(String::as_str).chain([iso]).find_map(|f| {
            let mut tm = jiff::fmt::strtime::parse(f, text).ok()?;
            if tm.month().is_none() {
                tm.set_month(Some(1)).ok()?;
            }
            if tm.day().is_none() {
                tm.set_day(Some(1)).ok()?;
            }
            let d = tm.to_date().ok()?;
            crate::date::Date::parse(&d.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> (Map, Vec<String>) {
        let mut diags = Vec::new();
        let m = parse(FileId(0), text, &Config::default(), &mut diags);
        (m, diags.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn a_map_is_read_and_checked() {
        let (m, d) = map(
            "date_formats = [\"%m/%d/%Y\", \"%B %Y\", \"nope\"]\n[columns]\ntitle = \"Name\"\ntags = [\"A\", \"B\"]\n\
             owner = [\"X\", \"Y\"]\ncolour = \"C\"\n[stages]\n\"Pre-deployment\" = \"scoping\"\n\"Live\" = \"\"\n\
             [readiness.governance]\nrisk-assessment = { column = \"ATO\", met = \"Yes\" }\nnope = { column = \"x\", met = \"y\" }\n\
             [[skip]]\ncolumn = \"Status\"\n",
        );
        assert_eq!(
            d,
            [
                "`nope` is not a date format",
                "`owner` takes one column",
                "`colour` is not a field",
                "`Live` is mapped to no stage",
                "`nope` is not an item of the governance rubric",
                "a skip rule needs `equals` or `blank = true`",
            ]
        );
        assert_eq!(m.tag_columns().len(), 2);
        assert_eq!(m.stage(" pre-DEPLOYMENT", &Config::default()), Some("scoping"));
        assert_eq!(m.stage("Production", &Config::default()), Some("production"));
        assert_eq!(m.readiness[0].met, ["yes"]);
        let day = |t: &str| m.date(t).map(|d| d.to_string());
        assert_eq!(day("3/5/2024").as_deref(), Some("2024-03-05"));
        assert_eq!(day("03/15/2024").as_deref(), Some("2024-03-15"));
        assert_eq!(day("March 2024").as_deref(), Some("2024-03-01"));
        assert_eq!(day("2024-03-15").as_deref(), Some("2024-03-15"));
        assert_eq!(day("13/45/2024"), None);
        assert_eq!(day("1/1/0024"), None);
    }
}

//! Front matter as written: every field optional and every value lenient,
//! so that reading never stops at the first problem. `model` turns these
//! into checked records.

use crate::node::{Entries, Spanned};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

pub type Text = Option<Spanned<String>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: Text,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub tags: Option<Vec<Spanned<String>>>,
    pub draft: Option<bool>,
    pub addresses: Option<Vec<Spanned<String>>>,
    pub date: Option<Spanned<DateText>>,
    // Keys other generators give a meaning pilotdeck can use.
    /// The last part of the page's address (Jekyll, Hugo).
    pub slug: Text,
    /// The page's whole address, `/playbook/x/`, or `x/` within its folder.
    pub permalink: Text,
    /// `weight` as Just the Docs and others write it.
    pub nav_order: Option<i64>,
    pub order: Option<i64>,
    /// `published: false` is a draft (Jekyll).
    pub published: Option<bool>,
}

impl RawPage {
    /// Every key a page's front matter may have; others are foreign (PD025).
    pub const KEYS: [&'static str; 12] = [
        "title",
        "description",
        "weight",
        "tags",
        "draft",
        "addresses",
        "date",
        "slug",
        "permalink",
        "nav_order",
        "order",
        "published",
    ];
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPilot {
    pub title: Text,
    pub summary: Option<String>,
    pub stage: Text,
    pub function: Option<String>,
    pub owner: Text,
    pub champion: Text,
    pub sponsor: Text,
    pub started: Option<Spanned<DateText>>,
    pub target: Option<Spanned<DateText>>,
    pub success: Option<String>,
    pub tags: Option<Vec<Spanned<String>>>,
    pub draft: Option<bool>,
    pub stages: Option<Entries<Spanned<DateText>>>,
    pub readiness: Option<Entries<Entries<Spanned<RawEvidence>>>>,
    pub integration: Option<Vec<Spanned<RawIntegration>>>,
    pub constraints: Option<Vec<Spanned<RawConstraint>>>,
    pub updates: Option<Vec<Spanned<RawUpdate>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntegration {
    pub system: Text,
    pub direction: Text,
    pub status: Text,
    pub notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstraint {
    pub id: Text,
    pub title: Text,
    pub category: Text,
    pub owner: Text,
    pub raised: Option<Spanned<DateText>>,
    pub due: Option<Spanned<DateText>>,
    pub resolved: Option<Spanned<DateText>>,
    pub impact: Option<String>,
    /// The decision or action its owner recommends to whoever it escalates to.
    pub ask: Option<String>,
    pub playbook: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub week: Option<Spanned<DateText>>,
    pub completed: Option<String>,
    pub blocker: Option<String>,
    pub risk: Option<String>,
    pub escalation: Option<String>,
    pub confidence: Option<Spanned<RawConfidence>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfidence {
    pub leader: Option<Spanned<i64>>,
    pub team: Option<Spanned<i64>>,
}

/// A date as written: read when it is one, or the text, which the model
/// reports.
#[derive(Debug)]
pub enum DateText {
    Valid(crate::date::Date),
    Invalid(String),
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E>(self, v: &str) -> Result<DateText, E> {
                Ok(match crate::date::Date::parse(v.trim()) {
                    Some(d) => DateText::Valid(d),
                    None => DateText::Invalid(v.to_string()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// Readiness evidence: `true`, `false`, or a note or link (met).
#[derive(Debug)]
pub enum RawEvidence {
    Flag(bool),
    Note(String),
    /// Anything else, described for the error message.
    Other(&'static str),
}

impl<'de> Deserialize<'de> for RawEvidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEvidence;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`true`, `false` or a note")
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawEvidence, E> {
                Ok(RawEvidence::Flag(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawEvidence, E> {
                Ok(RawEvidence::Note(v.to_string()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<RawEvidence, E> {
                Ok(RawEvidence::Other("an integer"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<RawEvidence, E> {
                Ok(RawEvidence::Other("a number"))
            }
            fn visit_unit<E>(self) -> Result<RawEvidence, E> {
                Ok(RawEvidence::Other("nothing"))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<RawEvidence, A::Error> {
                Ok(RawEvidence::Other("a list"))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<RawEvidence, A::Error> {
                Ok(RawEvidence::Other("a table"))
            }
        }
        d.deserialize_any(V)
    }
}

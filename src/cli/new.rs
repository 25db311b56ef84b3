//! `pilotdeck new pilot TITLE` and `pilotdeck new page PATH`: a record or a
//! page from the standard template, never over an existing file.

use super::NewKind;
use crate::markdown::slug;
use anyhow::{bail, Context};
use std::path::Path;

pub fn run(root: &Path, kind: NewKind) -> anyhow::Result<u8> {
    let today = crate::date::Date::today();
    let (path, text) = match kind {
        NewKind::Pilot { title } => {
            let id = slug(&title);
            if id.is_empty() {
                bail!(
                    "cannot make a file name from `{title}`: the id would be empty (hint: a pilot's id is made from \
                     its title's letters and digits, other scripts transliterated: give the title a letter or digit)"
                );
            }
            (root.join("content/pilots").join(format!("{id}.md")), pilot_template(&title, today))
        }
        NewKind::Page { path } => {
            let rel = path.trim_matches('/').trim_end_matches(".md");
            let parts: Vec<String> = rel.split('/').map(slug).collect();
            if rel.is_empty() || parts.iter().any(String::is_empty) {
                bail!("`{path}` is not a page path: write it like `playbook/01-scoping/my-page`");
            }
            let title = parts.last().map(|p| crate::model::humanize(p)).unwrap_or_default();
            (root.join("content").join(format!("{}.md", parts.join("/"))), page_template(&title))
        }
    };
    if path.exists() {
        bail!("`{}` already exists", path.display());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    eprintln!("created {}", path.display());
    Ok(0)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn pilot_template(title: &str, today: crate::date::Date) -> String {
    let monday = today.week_start();
    format!(
        r#"+++
title = {title}
summary = ""
stage = "idea"
function = ""
# owner = ""        # the production owner: required from `bridge` on
# champion = ""
# sponsor = ""
started = {today}
# target = 2026-12-31
success = ""        # the agreed "good enough" bar, set before the build
tags = []

[stages]
idea = {today}

# [readiness.technical]
# monitoring = "link to the dashboard"

# [[integration]]
# system = "ERP"
# direction = "reads"   # reads, writes, approves, signs-off
# status = "planned"    # planned, mapped, built, live

# [[constraints]]
# title = "What blocks the next stage"
# category = "integration"
# owner = ""
# raised = {today}
# due = {today}
# impact = "What slips if it is not resolved"

[[updates]]
week = {monday}
completed = "Record created"
confidence = {{ leader = 3, team = 3 }}
+++

What problem this pilot solves, for whom, and how we will know it worked.

## Lessons learned
"#,
        title = toml_string(title)
    )
}

fn page_template(title: &str) -> String {
    format!(
        "+++\ntitle = {}\ndescription = \"\"\nweight = 10\ntags = []\n+++\n\nWrite the page here.\n",
        toml_string(title)
    )
}

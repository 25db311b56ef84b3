//! Search finds what people type: a category word, a person's name, a
//! constraint's title, a tag, a page's `addresses`. Each site is built,
//! then the theme's own `search.js` runs the queries under `node` against
//! the index the build wrote, as the browser would; the tests check the
//! records found, where their links go and that the excerpt under each
//! shows the words typed, marked. Without node the tests say so and pass
//! (CI installs node).

use crate::common;

use common::{pilotdeck, search_js, site};
use serde_json::Value;
use std::path::Path;

/// Reads `[[query, how many results to describe], ...]` on standard
/// input; prints for each query how many records it found and, for the
/// first ones, what `search.js` shows: address, kind, title and excerpt
/// as `[text, marked]` pieces.
const NODE: &str = r#"
const fs = require("fs");
const s = require(process.argv[1]);
const data = process.argv[2];
const zlib = require("zlib");
const index = new s.Index((p) => {
  const b = fs.readFileSync(data + p);
  return Promise.resolve(JSON.parse((p.endsWith(s.PACKED) ? zlib.inflateSync(b) : b).toString("utf8")));
});
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const out = [];
  for (const [q, n] of JSON.parse(input)) {
    const ts = s.terms(q);
    const found = await index.matches(ts);
    const results = await index.results(found.slice(0, n), ts);
    out.push({ found: found.length, results });
  }
  process.stdout.write(JSON.stringify(out));
});
"#;

/// One result as `search.js` shows it.
#[derive(Debug)]
struct Hit {
    url: String,
    kind: String,
    title: String,
    excerpt: String,
    /// The words marked in the title and the excerpt.
    marked: Vec<String>,
    /// Said to be found in the full text (no passage holds the words).
    elsewhere: bool,
}

/// What a query found: how many records, and the first ones described.
#[derive(Debug)]
struct Found {
    count: usize,
    hits: Vec<Hit>,
}

impl Found {
    fn hit(&self, url: &str) -> &Hit {
        self.hits.iter().find(|h| h.url == url).unwrap_or_else(|| {
            panic!("no result at {url} among {:#?}", self.hits.iter().map(|h| &h.url).collect::<Vec<_>>())
        })
    }
}

/// The text of `[text, marked]` pieces and the marked ones.
fn pieces(v: &Value) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut marked = Vec::new();
    for p in v.as_array().unwrap() {
        let t = p[0].as_str().unwrap();
        text.push_str(t);
        if p[1].as_bool().unwrap() {
            marked.push(t.to_lowercase());
        }
    }
    (text, marked)
}

/// Runs each `(query, results to describe)` through `search.js` against
/// the index built into `public`; `None` without node.
fn search(public: &Path, queries: &[(&str, usize)]) -> Option<Vec<Found>> {
    let data = format!("{}/search/data/", public.display());
    let out = search_js(NODE, &[&data], &serde_json::to_string(queries).unwrap())?;
    let all: Vec<Value> = serde_json::from_slice(&out).unwrap();
    Some(
        all.iter()
            .map(|q| Found {
                count: q["found"].as_u64().unwrap() as usize,
                hits: q["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let (title, mut marked) = pieces(&r["title"]);
                        let (excerpt, more) = pieces(&r["excerpt"]);
                        marked.extend(more);
                        Hit {
                            url: r["url"].as_str().unwrap().to_string(),
                            kind: r["kind"].as_str().unwrap().to_string(),
                            title,
                            excerpt,
                            elsewhere: r["elsewhere"].as_bool().unwrap(),
                            marked,
                        }
                    })
                    .collect(),
            })
            .collect(),
    )
}

/// Builds the site at `root` for `as_of` into `root/public`.
fn build(root: &Path, as_of: &str) -> std::path::PathBuf {
    let run = pilotdeck(["--root".as_ref(), root.as_os_str(), "build".as_ref(), "--as-of".as_ref(), as_of.as_ref()]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    root.join("public")
}

const PILOT: &str = r#"+++
title = "Claims triage assistant"
summary = "Sorts incoming claims by urgency before a handler sees them."
stage = "pilot"
function = "Claims"
owner = "Zofia Kowalczyk"
sponsor = "Bartholomew Quince"
champion = "Ines Duarte"
tags = ["fraud-signals", "triage"]

[stages]
idea = 2026-01-05
pilot = 2026-02-01

[[constraints]]
id = "webhook"
title = "Guidewire webhook quota too low"
category = "integration"
owner = "Ines Duarte"
raised = 2026-02-10
due = 2026-03-01
impact = "Claims arrive hours late, so triage runs on stale data."

[[constraints]]
id = "dpia"
title = "Privacy assessment not signed"
category = "governance"
owner = "Bartholomew Quince"
raised = 2026-02-12
due = 2026-04-30
+++

The assistant reads each claim as it arrives.
"#;

const PAGE: &str = r#"+++
title = "Connecting to core systems"
description = "How to get a pilot talking to the systems of record."
addresses = ["integration", "data"]
+++

Ask the platform team for a sandbox first. Queues beat webhooks when volumes spike.
"#;

/// A small site whose every record is known.
fn small() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = site(&[
        ("pilotdeck.toml", "title = \"Search test\"\n"),
        ("content/pilots/claims-triage.md", PILOT),
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n"),
        ("content/playbook/core-systems.md", PAGE),
    ]);
    let public = build(dir.path(), "2026-03-20");
    (dir, public)
}

#[test]
fn a_person_a_tag_a_title_a_category_and_addresses_are_found() {
    let (_dir, public) = small();
    let queries = [
        ("kowalczyk", 10),
        ("Zofia Kowal", 10),
        ("fraud", 10),
        ("webhook quota", 10),
        ("integration", 10),
        ("quince", 10),
    ];
    let Some(found) = search(&public, &queries) else { return };
    let [person, prefix, tag, title, category, sponsor] = &found[..] else { unreachable!() };

    // A person: their page first, then the pilot they own, the name marked
    // in the line that says who is who.
    assert_eq!(person.hits[0].url, "owners/zofia-kowalczyk/", "{person:#?}");
    assert_eq!(person.hits[0].kind, "person");
    assert_eq!(person.hits[0].marked, ["kowalczyk"]);
    assert!(person.hits[0].excerpt.contains("owner of 1 pilot"), "{person:#?}");
    let pilot = person.hit("pilots/claims-triage/");
    assert_eq!(pilot.kind, "pilot");
    assert!(pilot.excerpt.contains("owner Zofia Kowalczyk"), "{pilot:#?}");
    assert_eq!(pilot.marked, ["kowalczyk"]);
    // Words begun are found and marked whole.
    assert_eq!(prefix.hits[0].url, "owners/zofia-kowalczyk/");
    assert_eq!(prefix.hits[0].marked, ["zofia", "kowalczyk"]);

    // A tag: the pilot, with its tags as the excerpt.
    assert_eq!(tag.count, 1, "{tag:#?}");
    assert_eq!(tag.hits[0].url, "pilots/claims-triage/");
    assert_eq!(tag.hits[0].excerpt, "Tags: fraud-signals · triage");
    assert_eq!(tag.hits[0].marked, ["fraud"]);

    // A constraint's title: the constraint, landing on its row on its pilot's page.
    assert_eq!(title.hits[0].url, "pilots/claims-triage/#c-webhook", "{title:#?}");
    assert_eq!(title.hits[0].kind, "constraint");
    assert_eq!(title.hits[0].title, "Guidewire webhook quota too low");
    assert!(
        title.hits[0].marked.contains(&"webhook".to_string()) && title.hits[0].marked.contains(&"quota".to_string())
    );

    // A category: the constraint filed under it and the page whose
    // `addresses` name it, each showing the passage with the word.
    let c = category.hit("pilots/claims-triage/#c-webhook");
    assert!(c.excerpt.starts_with("integration · overdue by"), "{c:#?}");
    assert_eq!(c.marked, ["integration"]);
    let page = category.hit("playbook/core-systems/");
    assert_eq!(page.kind, "playbook");
    assert_eq!(page.excerpt, "Addresses: integration · data");
    assert_eq!(page.marked, ["integration"]);
    assert!(category.hits.iter().all(|h| h.url != "pilots/claims-triage/#c-dpia"), "{category:#?}");

    // A sponsor who also owns a constraint.
    assert_eq!(sponsor.hits[0].url, "owners/bartholomew-quince/");
    assert!(sponsor.hits[0].excerpt.contains("sponsor of 1 pilot · owner of 1 constraint"), "{sponsor:#?}");
    sponsor.hit("pilots/claims-triage/#c-dpia");
}

#[test]
fn the_excerpt_is_the_passage_that_matched() {
    let (_dir, public) = small();
    let Some(found) = search(&public, &[("sandbox", 5), ("stale", 5), ("duarte", 5), ("reads", 5)]) else { return };
    // A word of a page's text: the text around it, not the description.
    let page = found[0].hit("playbook/core-systems/");
    assert!(page.excerpt.contains("sandbox") && !page.excerpt.contains("systems of record"), "{page:#?}");
    assert_eq!(page.marked, ["sandbox"]);
    // A word of a constraint's impact.
    let c = found[1].hit("pilots/claims-triage/#c-webhook");
    assert_eq!(c.excerpt, "Claims arrive hours late, so triage runs on stale data.");
    assert_eq!(c.marked, ["stale"]);
    // A champion: the pilot's who-is-who line.
    let p = found[2].hit("pilots/claims-triage/");
    assert!(p.excerpt.contains("champion Ines Duarte"), "{p:#?}");
    assert!(!p.elsewhere);
    // A word of a pilot's text only: found, the summary shown, and said to
    // be in the full text.
    let p = found[3].hit("pilots/claims-triage/");
    assert_eq!(p.excerpt, "Sorts incoming claims by urgency before a handler sees them.");
    assert!(p.marked.is_empty() && p.elsewhere, "{p:#?}");
}

/// The held-out check of issue #23 on a generated portfolio of 2,000
/// pilots: the records found are the model's.
#[test]
fn on_two_thousand_pilots_a_category_a_person_and_a_title_find_their_records() {
    let dir = tempfile::tempdir().unwrap();
    pilotdeck::synth::write_site(dir.path(), 2000, 7).unwrap();
    let opts = pilotdeck::pipeline::Options { root: dir.path().to_path_buf(), ..Default::default() };
    let site = pilotdeck::pipeline::analyse(&opts).unwrap().site;
    // Each integration constraint: its address, whether it is open, and
    // whether the category is the only place the word is.
    let integration: Vec<(String, bool, bool)> = site
        .pilots
        .iter()
        .flat_map(|p| {
            p.constraints.iter().filter(|c| c.category == "integration").map(|c| {
                let elsewhere =
                    [Some(c.title.as_str()), c.impact.as_deref()].iter().flatten().any(|t| t.contains("integration"));
                (format!("pilots/{}/#c-{}", p.id, c.id), c.open, !elsewhere)
            })
        })
        .collect();
    let open = integration.iter().filter(|c| c.1).count();
    assert!(open > 400, "the generated site has {open} open integration constraints");
    let person = site.people.iter().find(|p| p.name == "Priya Natarajan").unwrap();
    let (pilot, constraint) = (&site.pilots[1234], &site.pilots[1234].constraints[0]);
    let public = build(dir.path(), &site.as_of.to_string());

    let all = 100_000;
    let queries = [("integration", all), ("Priya Natarajan", 10), (constraint.title.as_str(), all)];
    let Some(found) = search(&public, &queries) else { return };
    let [category, name, title] = &found[..] else { unreachable!() };

    // Every integration constraint is found, with the category marked in
    // the line under it (other constraints have the word in their title or
    // impact).
    for (url, _, _) in &integration {
        let hit = category.hit(url);
        assert_eq!(hit.kind, "constraint");
        assert!(hit.excerpt.starts_with("integration · "), "{hit:#?}");
        assert!(hit.marked.iter().any(|m| m == "integration"), "{hit:#?}");
    }
    // Of those found by the category alone (all alike), the open ones come
    // before the resolved ones.
    let alike: std::collections::HashMap<&str, bool> =
        integration.iter().filter(|c| c.2).map(|c| (c.0.as_str(), c.1)).collect();
    let order: Vec<bool> = category.hits.iter().filter_map(|h| alike.get(h.url.as_str()).copied()).collect();
    assert_eq!(order.len(), alike.len());
    let first_resolved = order.iter().position(|open| !open).unwrap();
    assert!(order[first_resolved..].iter().all(|open| !open), "open integration constraints come first");
    assert!(first_resolved > 100, "{first_resolved}");
    // And every result but a pilot's shows the word marked: a pilot keeps
    // its summary, who-is-who line and tags for excerpts, not its text or
    // updates (their words are found, the summary is shown).
    let unmarked: Vec<&Hit> =
        category.hits.iter().filter(|h| !h.marked.iter().any(|m| m.starts_with("integration"))).collect();
    assert!(
        unmarked.iter().all(|h| h.kind == "pilot" || h.kind == "lesson"),
        "{:#?}",
        &unmarked[..3.min(unmarked.len())]
    );
    // Those say where the words are.
    assert!(unmarked.iter().all(|h| h.elsewhere));
    assert!(category.hits.iter().filter(|h| h.elsewhere).count() == unmarked.len());
    eprintln!("integration: {} found, {} without the word in their excerpt", category.count, unmarked.len());

    // A person: their page first, then what they own.
    assert_eq!(name.hits[0].url, format!("owners/{}/", person.slug));
    assert_eq!(name.hits[0].kind, "person");
    assert_eq!(name.hits[0].marked, ["priya", "natarajan"]);
    assert!(name.hits[1..].iter().all(|h| h.marked.contains(&"natarajan".to_string())), "{name:#?}");

    // A constraint's title: that constraint is among the results, with
    // every word of its title marked in its title.
    let hit = title.hit(&format!("pilots/{}/#c-{}", pilot.id, constraint.id));
    assert_eq!(hit.title, constraint.title);
    let words: Vec<String> = constraint.title.split(' ').map(str::to_lowercase).collect();
    assert_eq!(hit.marked[..words.len()], words[..], "every word of the title marked");
    assert_eq!(title.count, title.hits.len());
}

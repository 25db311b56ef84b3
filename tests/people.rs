//! One person, one page: a name with a title after a comma is the same
//! person as the name alone; `[people]` in the config gives titles, e-mail
//! addresses and aliases; each person's page starts with what waits on
//! them (every open constraint whose escalation rung names them, most
//! overdue first); a rung that names a role nobody fills is PD028.

use crate::common;

use common::{build_ok, pilotdeck, read, site, text_of};
use std::path::Path;

/// A record at `pilot` with a recent update and `extra` front matter.
fn record(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nstage = \"pilot\"\n{extra}\n[[updates]]\nweek = 2026-03-16\ncompleted = \"x\"\n+++\nBody.\n")
}

/// An open constraint due on `due`, owned by `owner`.
fn constraint(title: &str, owner: &str, due: &str) -> String {
    format!("[[constraints]]\ntitle = \"{title}\"\ncategory = \"data\"\nowner = \"{owner}\"\nraised = 2026-01-05\ndue = {due}\n")
}

/// The text of the section of `html` that starts at `from` and ends
/// before `to`.
fn between(html: &str, from: &str, to: &str) -> String {
    let start = html.find(from).unwrap_or_else(|| panic!("no `{from}` in the page"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    text_of(&html[start..end])
}

fn page(root: &Path, slug: &str) -> String {
    read(&root.join("public"), &format!("owners/{slug}/index.html"))
}

#[test]
fn a_title_after_a_comma_is_the_same_person_shown_with_the_title() {
    let dir = site(&[
        ("content/pilots/a.md", &record("Alpha", "owner = \"Amira Haddad\"")),
        ("content/pilots/b.md", &record("Beta", "sponsor = \"Amira Haddad, Chief People Officer\"\nowner = \"Olu\"")),
    ]);
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    assert!(out.join("owners/amira-haddad/index.html").is_file());
    assert!(
        !out.join("owners/amira-haddad-chief-people-officer").exists(),
        "the name with its title must not get a page of its own"
    );
    let html = page(dir.path(), "amira-haddad");
    let text = text_of(&html);
    assert!(text.contains("Amira Haddad Chief People Officer"), "{text}");
    assert!(html.contains("<p class=\"person-title\">Chief People Officer</p>"));
    assert!(text.contains("Production owner of Alpha"), "{text}");
    assert!(text.contains("Sponsor of Beta"), "{text}");
    // One row on the owners page, with the title beside the name.
    let owners = text_of(&read(&out, "owners/index.html"));
    assert_eq!(owners.matches("Amira Haddad").count(), 1, "{owners}");
    assert!(owners.contains("Amira Haddad Chief People Officer"), "{owners}");
}

#[test]
fn people_in_the_config_give_titles_email_and_aliases() {
    let config = "[people.\"Amira Haddad\"]\ntitle = \"Chief People Officer\"\nemail = \"amira@northwind.example\"\n\
                  aliases = [\"A. Haddad\", \"Amira H.\"]\n";
    let dir = site(&[
        ("pilotdeck.toml", config),
        ("content/pilots/a.md", &record("Alpha", "owner = \"A. Haddad\"")),
        ("content/pilots/b.md", &record("Beta", "owner = \"Olu\"\nsponsor = \"amira h., CPO\"")),
        (
            "content/pilots/c.md",
            &record("Gamma", &format!("owner = \"Olu\"\n{}", constraint("Schema", "AMIRA HADDAD", "2026-04-30"))),
        ),
    ]);
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    let people: Vec<String> = std::fs::read_dir(out.join("owners"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    let mut people = people;
    people.sort();
    assert_eq!(people, ["amira-haddad", "olu"]);
    let html = page(dir.path(), "amira-haddad");
    let text = text_of(&html);
    // The config's title wins over one written after a comma.
    assert!(text.contains("Amira Haddad Chief People Officer"), "{text}");
    assert!(!text.contains("CPO"), "{text}");
    assert!(html.contains("href=\"mailto:amira@northwind.example\""));
    assert!(text.contains("Also written as “A. Haddad”, “Amira H.”"), "{text}");
    assert!(text.contains("Production owner of Alpha"), "{text}");
    assert!(text.contains("Sponsor of Beta"), "{text}");
    assert!(text.contains("Open constraints Amira Haddad owns ( 1 )"), "{text}");
    // The constraint row links to her page, written in capitals as it is.
    let gamma = read(&out, "pilots/c/index.html");
    assert!(gamma.contains("owners/amira-haddad/"), "the owner links to the one page");
}

#[test]
fn people_config_problems_are_diagnostics() {
    let config = "[people.\"Amira Haddad\"]\ntitel = \"CPO\"\n\n[people.\"Olu\"]\nemail = \"not an address\"\n\
                  aliases = [\"A. Haddad\"]\n\n[people.\"Sam\"]\naliases = [\"A. Haddad\"]\n";
    let dir = site(&[("pilotdeck.toml", config), ("content/pilots/a.md", &record("Alpha", "owner = \"Olu\""))]);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", common::AS_OF]);
    let diags = run.diagnostics();
    let found: Vec<(String, String)> = diags.iter().map(|d| (d.code.clone(), d.header.clone())).collect();
    assert!(
        found.iter().any(|(code, h)| code == "PD002" && h.starts_with("pilotdeck.toml:2:") && h.contains("`titel`")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(code, h)| code == "PD009" && h.starts_with("pilotdeck.toml:5:") && h.contains("e-mail")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(code, h)| code == "PD009" && h.starts_with("pilotdeck.toml:9:") && h.contains("A. Haddad")),
        "{found:?}"
    );
}

/// As of 2026-03-20 with the default ladder (owner from day 0, sponsor
/// from 7, leadership from 21), leadership being Lee and Kim.
fn ladder_site() -> tempfile::TempDir {
    let config = "[[escalation]]\nafter_days = 0\nto = \"owner\"\n\n[[escalation]]\nafter_days = 7\nto = \"sponsor\"\n\n\
                  [[escalation]]\nafter_days = 21\nto = \"leadership\"\npeople = [\"Lee\", \"Kim, Chief Risk Officer\"]\n";
    let constraints = [
        constraint("Ten days late", "Olu", "2026-03-10"),
        constraint("Nineteen days late", "Olu", "2026-03-01"),
        constraint("Two days late", "Olu", "2026-03-18"),
        constraint("Not yet due", "Olu", "2026-04-30"),
        constraint("Forty-seven days late", "Olu", "2026-02-01"),
        constraint("Sam's own, fifteen days late", "Sam", "2026-03-05"),
    ]
    .concat();
    let mut resolved = constraint("Resolved long ago", "Olu", "2026-02-01");
    resolved.push_str("resolved = 2026-02-10\n");
    let dir = site(&[
        ("pilotdeck.toml", config),
        (
            "content/pilots/a.md",
            &record("Alpha", &format!("owner = \"Olu\"\nsponsor = \"Sam, CFO\"\n{constraints}{resolved}")),
        ),
    ]);
    build_ok(dir.path(), &[]);
    dir
}

#[test]
fn waiting_on_you_lists_what_each_rung_names_most_overdue_first() {
    let dir = ladder_site();
    // The sponsor: the constraints at the sponsor rung, most overdue first;
    // their own constraint there once.
    let sam = page(dir.path(), "sam");
    let waiting = between(&sam, "<section id=\"waiting\"", "class=\"home-grid\"");
    assert!(waiting.starts_with("Waiting on you (3)"), "{waiting}");
    let at = |t: &str| waiting.find(t).unwrap_or_else(|| panic!("`{t}` is not waiting on Sam: {waiting}"));
    assert!(at("Nineteen days late") < at("Sam's own, fifteen days late"));
    assert!(at("Sam's own, fifteen days late") < at("Ten days late"));
    assert_eq!(waiting.matches("Sam's own, fifteen days late").count(), 1, "{waiting}");
    assert!(waiting.contains("3 as sponsor"), "{waiting}");
    assert!(waiting.contains("One of them Sam also owns"), "{waiting}");
    for not in ["Two days late", "Not yet due", "Forty-seven", "Resolved long ago"] {
        assert!(!waiting.contains(not), "`{not}` is not waiting on Sam: {waiting}");
    }
    // Waiting comes first, before what the person sponsors.
    assert!(sam.find("id=\"waiting\"").unwrap() < sam.find("Sponsor of").unwrap());
    // The owner: only what is at the owner rung.
    let olu = page(dir.path(), "olu");
    let waiting = between(&olu, "<section id=\"waiting\"", "class=\"home-grid\"");
    assert!(waiting.starts_with("Waiting on you (1)"), "{waiting}");
    assert!(waiting.contains("Two days late") && waiting.contains("1 as owner"), "{waiting}");
    // What Olu owns is still listed in full (open ones: five).
    assert!(text_of(&olu).contains("Open constraints Olu owns ( 5 )"));
    // Leadership, named on the rung only: a page each, with the title.
    for slug in ["lee", "kim"] {
        let html = page(dir.path(), slug);
        let waiting = between(&html, "<section id=\"waiting\"", "class=\"home-grid\"");
        assert!(waiting.starts_with("Waiting on you (1)"), "{slug}: {waiting}");
        assert!(waiting.contains("Forty-seven days late") && waiting.contains("1 as leadership"), "{waiting}");
    }
    assert!(text_of(&page(dir.path(), "kim")).contains("Kim Chief Risk Officer"));
    // The owners page puts the people with the most waiting first.
    let owners = text_of(&read(&dir.path().join("public"), "owners/index.html"));
    assert!(owners.find("Sam").unwrap() < owners.find("Olu").unwrap(), "{owners}");
}

#[test]
fn a_person_with_nothing_waiting_is_told_so() {
    let dir = site(&[("content/pilots/a.md", &record("Alpha", "owner = \"Olu\""))]);
    build_ok(dir.path(), &[]);
    let text = text_of(&page(dir.path(), "olu"));
    assert!(text.contains("Waiting on you (0) ✓ Nothing is waiting"), "{text}");
    assert!(text.contains("Olu owns no open constraint"), "{text}");
}

#[test]
fn a_rung_naming_a_role_nobody_fills_is_a_warning_at_the_constraint() {
    let body = format!(
        "owner = \"Olu\"\n{}{}",
        constraint("Ten days late", "Olu", "2026-03-10"),
        constraint("Two days late", "Olu", "2026-03-18")
    );
    let dir = site(&[("content/pilots/no-sponsor.md", &record("Alpha", &body))]);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", common::AS_OF]);
    let found: Vec<_> = run.diagnostics().into_iter().filter(|d| d.code == "PD028").collect();
    assert_eq!(found.len(), 1, "one constraint is at the sponsor rung: {}", run.stdout);
    let d = &found[0];
    // The record's `[[constraints]]` of the ten-day one is on line 5.
    let line = record("Alpha", &body).lines().position(|l| l == "title = \"Ten days late\"").unwrap();
    assert!(
        d.header.starts_with("content/pilots/no-sponsor.md:") && !d.is_error(),
        "a warning in the record: {}",
        d.header
    );
    let at: usize = d.header.split(':').nth(1).unwrap().parse().unwrap();
    assert!(at == line || at == line + 1, "at the constraint (line {}): {}", line + 1, d.header);
    assert!(d.header.contains("escalated to the sponsor") && d.header.contains("no sponsor"), "{}", d.header);
    assert!(d.help.as_deref().unwrap_or("").contains("sponsor = "), "{:?}", d.help);
    // It still builds, and the page says the rung names nobody.
    build_ok(dir.path(), &[]);
}

#[test]
fn only_a_rung_that_names_a_body_lists_people() {
    let config = "[[escalation]]\nafter_days = 0\nto = \"owner\"\n\n[[escalation]]\nafter_days = 7\nto = \"sponsor\"\npeople = [\"Lee\"]\n";
    let dir = site(&[("pilotdeck.toml", config), ("content/pilots/a.md", &record("Alpha", "owner = \"Olu\""))]);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", common::AS_OF]);
    let found: Vec<_> = run.diagnostics().into_iter().filter(|d| d.code == "PD009").collect();
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert!(found[0].header.starts_with("pilotdeck.toml:5:"), "{}", found[0].header);
    assert!(found[0].header.contains("`sponsor` is a role of each pilot"), "{}", found[0].header);
}

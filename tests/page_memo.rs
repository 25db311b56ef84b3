//! The page memo (`.pilotdeck/pages.bin`): a build into an output keeps
//! the pilot pages, and the pages of the library, of people, of the
//! decisions awaiting each sponsor, of the tags and of the pilot index,
//! whose inputs did not
//! change without making them, and makes again those
//! whose inputs changed, also through another file (a playbook page's
//! title, an owner's address, a constraint's page of the library, a row
//! of another record), the config, the templates, the date, or the page's
//! file itself. After each change the output is byte for byte the output
//! of a build from nothing.

use crate::common;

use common::*;
use pilotdeck::synth::{write_site_with, Mix};
use std::path::Path;

const AS_OF: &str = "2026-11-20";

/// Builds `root` into `out` (see [`build_compared`]) and says how many
/// pilot pages it kept unmade.
fn build_and_compare(root: &Path, out: &Path, as_of: &str) -> usize {
    counted(&build_compared(root, out, as_of).stderr, "of which pilot pages kept unmade")
}

fn page(out: &Path, id: &str) -> String {
    std::fs::read_to_string(out.join(format!("pilots/{id}/index.html"))).unwrap()
}

const OTHER: &str = "playbook/01-scoping/other";

const CONFIG: &str = "title = \"Memo\"\nbase_url = \"https://pilots.example\"\n";

fn record(title: &str, owner: &str, playbook: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstage = \"pilot\"\nowner = \"{owner}\"\n\n[stages]\npilot = 2026-09-01\n\n\
         [[constraints]]\ntitle = \"Schema approval\"\ncategory = \"integration\"\nowner = \"{owner}\"\n\
         raised = 2026-10-01\ndue = 2026-12-11\nplaybook = \"{playbook}\"\n+++\nThe {title} pilot.\n"
    )
}

#[test]
fn pilot_pages_are_kept_unmade_until_what_they_show_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    let map = "playbook/01-scoping/integration-map";
    write(
        &root,
        &[
            ("pilotdeck.toml", CONFIG),
            ("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nOur pilots.\n"),
            ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\nHow we work.\n"),
            ("content/playbook/01-scoping/_index.md", "+++\ntitle = \"Scoping\"\n+++\nFirst.\n"),
            ("content/playbook/01-scoping/integration-map.md", "+++\ntitle = \"Integration map\"\n+++\nA map.\n"),
            ("content/playbook/01-scoping/other.md", "+++\ntitle = \"Other\"\n+++\nAnother page.\n"),
            ("content/pilots/b-claims.md", &record("Claims", "Ana-Lee", map)),
            ("content/pilots/c-invoices.md", &record("Invoices", "Sam Okafor", OTHER)),
            ("content/pilots/d-forecast.md", &record("Forecast", "Sam Okafor", OTHER)),
        ],
    );
    // The first build has no memo; the second keeps every pilot page.
    assert_eq!(build_and_compare(&root, &out, AS_OF), 0);
    assert_eq!(build_and_compare(&root, &out, AS_OF), 3);

    // A record edited: its page only.
    let invoices = root.join("content/pilots/c-invoices.md");
    let text = std::fs::read_to_string(&invoices).unwrap();
    std::fs::write(&invoices, text.replace("The Invoices pilot.", "The invoice pilot, edited.")).unwrap();
    assert_eq!(build_and_compare(&root, &out, AS_OF), 2);
    assert!(page(&out, "c-invoices").contains("edited"));

    // The title of the playbook page a constraint links to.
    assert!(page(&out, "b-claims").contains("Integration map"));
    write(&root, &[("content/playbook/01-scoping/integration-map.md", "+++\ntitle = \"Systems map\"\n+++\nA map.\n")]);
    assert_eq!(build_and_compare(&root, &out, AS_OF), 2);
    assert!(page(&out, "b-claims").contains("Systems map"));

    // An owner's address, taken by a name with the same slug written in
    // a record that comes first: "Ana-Lee" is now `ana-lee-2`.
    assert!(page(&out, "b-claims").contains("owners/ana-lee/"));
    write(&root, &[("content/pilots/a-intake.md", &record("Intake", "Ana Lee", OTHER))]);
    assert_eq!(build_and_compare(&root, &out, AS_OF), 2, "the forecast and invoices pages only");
    assert!(page(&out, "b-claims").contains("owners/ana-lee-2/"));

    // The page's file changed by hand: made again.
    let file = out.join("pilots/d-forecast/index.html");
    std::fs::write(&file, "changed by hand").unwrap();
    assert_eq!(build_and_compare(&root, &out, AS_OF), 3);

    // The config, the date, and the templates: every page made again.
    write(&root, &[("pilotdeck.toml", &CONFIG.replace("Memo", "Memo, renamed"))]);
    assert_eq!(build_and_compare(&root, &out, AS_OF), 0);
    assert_eq!(build_and_compare(&root, &out, AS_OF), 4);
    assert_eq!(build_and_compare(&root, &out, "2026-11-21"), 0);
    let theme = include_str!("../themes/default/templates/pilot.html");
    write(
        &root,
        &[(
            "templates/pilot.html",
            &theme.replace("<article class=\"pilot\">", "<article class=\"pilot\"><p>Our own template.</p>"),
        )],
    );
    assert_eq!(build_and_compare(&root, &out, "2026-11-21"), 0);
    assert!(page(&out, "d-forecast").contains("Our own template."));
    assert_eq!(build_and_compare(&root, &out, "2026-11-21"), 4);

    // Another output folder has no memo.
    assert_eq!(build_and_compare(&root, &dir.path().join("other"), "2026-11-21"), 0);
    assert_eq!(build_and_compare(&root, &out, "2026-11-21"), 0, "the memo is the last output's");
}

#[test]
fn a_constraint_moved_to_another_page_of_the_library_is_linked_there() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    // Enough constraints for several pages of the library (250 rows each).
    write_site_with(&root, 120, 11, &Mix::REALISTIC).unwrap();
    assert_eq!(build_and_compare(&root, &out, AS_OF), 0);
    let before = snapshot(&out);
    // A record with open constraints removed: the rows after them move up.
    let records = record_files(&root);
    let gone =
        records.iter().find(|p| std::fs::read_to_string(p).unwrap().matches("[[constraints]]").count() >= 3).unwrap();
    std::fs::remove_file(gone).unwrap();
    let kept = build_and_compare(&root, &out, AS_OF);
    let after = snapshot(&out);
    let moved = after
        .iter()
        // `pilots/ID/index.html`, not the pages of the pilot index.
        .filter(|(path, _)| path.starts_with("pilots/") && path.split('/').count() == 3)
        .filter(|(path, bytes)| before.get(*path).is_some_and(|b| b != *bytes))
        .count();
    assert!(moved > 0, "some pilot pages link to other pages of the library");
    assert_eq!(kept + moved, 119, "every page not changed is kept, and only those: {kept} kept, {moved} moved");
}

/// Builds `root` into `out` (see [`build_compared`]) and says how many
/// pages of the library and of people it kept unmade.
fn others_kept(root: &Path, out: &Path) -> usize {
    counted(&build_compared(root, out, AS_OF).stderr, "of which library and people's pages kept unmade")
}

/// The pages of the library and of people in `out`, by path, with their
/// bytes.
fn library_and_people(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let is_listed = |path: &str| {
        let parts: Vec<&str> = path.split('/').collect();
        matches!(
            parts[..],
            ["constraints", "index.html"]
                | ["constraints", "page", _, "index.html"]
                | ["owners", _, "index.html"]
                | ["owners", _, "page", _, "index.html"]
        )
    };
    snapshot(out).into_iter().filter(|(path, _)| is_listed(path)).collect()
}

#[test]
fn library_and_people_pages_are_kept_unmade_until_their_rows_change() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    // Enough constraints for several pages of the library.
    write_site_with(&root, 300, 5, &Mix::REALISTIC).unwrap();
    assert_eq!(others_kept(&root, &out), 0);
    let before = library_and_people(&out);
    let all = before.len();
    assert!(before.keys().filter(|p| p.starts_with("constraints/page/")).count() >= 3, "{:?}", before.keys());
    assert!(before.keys().filter(|p| p.starts_with("owners/")).count() >= 3, "{:?}", before.keys());
    assert_eq!(others_kept(&root, &out), all, "nothing changed");

    // A constraint's title: the pages that list it are made again, and
    // those that list another constraint of its record (its digest is in
    // each of their rows); the rest are kept.
    let records = record_files(&root);
    let (file, text) = records
        .iter()
        .map(|p| (p, std::fs::read_to_string(p).unwrap()))
        .find(|(_, t)| t.starts_with("+++") && t.contains("[[constraints]]"))
        .unwrap();
    let at = text.find("[[constraints]]").unwrap();
    let title = at + text[at..].find("title = \"").unwrap() + "title = \"".len();
    std::fs::write(file, format!("{}Renamed blocker {}", &text[..title], &text[title..])).unwrap();
    let kept = others_kept(&root, &out);
    let after = library_and_people(&out);
    let changed: Vec<&String> = after.keys().filter(|p| before.get(*p) != after.get(*p)).collect();
    assert!(changed.iter().any(|p| p.starts_with("constraints/")), "{changed:?}");
    assert!(changed.iter().any(|p| p.starts_with("owners/")), "{changed:?}");
    assert!(kept + changed.len() <= all && kept > all / 2, "{kept} of {all} kept, {changed:?} changed");

    // A page of the library changed by hand: made again.
    let page = out.join("constraints/page/2/index.html");
    std::fs::write(&page, "changed by hand").unwrap();
    assert_eq!(others_kept(&root, &out), all - 1);

    // A record with constraints removed: the library's counts change on
    // every page, and rows move from page to page.
    std::fs::remove_file(file).unwrap();
    let kept = others_kept(&root, &out);
    assert!(kept < all / 2, "{kept} of {all} kept");
    assert_eq!(others_kept(&root, &out), library_and_people(&out).len());
}

/// How many elements of `portfolio.json`, `constraints.csv` and
/// `pilots.csv` a build of `root` into `out` copied from the files before
/// (see [`build_compared`]).
fn copied(root: &Path, out: &Path) -> usize {
    let what = "of which elements of portfolio.json, constraints.csv and pilots.csv copied";
    counted(&build_compared(root, out, AS_OF).stderr, what)
}

/// How many pilots and constraints `portfolio.json` lists.
fn listed(out: &Path) -> (usize, usize) {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("portfolio.json")).unwrap()).unwrap();
    let count = |list: &str| json[list].as_array().unwrap().len();
    (count("pilots"), count("constraints"))
}

/// The elements of the three files: each pilot and constraint of
/// `portfolio.json`, each constraint's row of `constraints.csv`, each
/// pilot's row of `pilots.csv`.
fn elements(out: &Path) -> usize {
    let (pilots, constraints) = listed(out);
    2 * pilots + 2 * constraints
}

#[test]
fn the_exports_copy_the_elements_of_records_that_did_not_change() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    write_site_with(&root, 300, 5, &Mix::REALISTIC).unwrap();
    assert_eq!(copied(&root, &out), 0, "a first build has nothing to copy");
    let all = elements(&out);
    assert_eq!(copied(&root, &out), all, "nothing changed");

    // A record's title: its pilot (in the JSON and in `pilots.csv`) and its
    // constraints are made again (their inputs are the record's), the rest
    // copied; the files are those of a build from nothing
    // (`build_compared`).
    let (file, text) = record_files(&root)
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .find(|(_, t)| t.starts_with("+++") && t.contains("[[constraints]]"))
        .unwrap();
    let constraints = text.matches("[[constraints]]").count();
    std::fs::write(&file, text.replacen("title = \"", "title = \"Renamed ", 1)).unwrap();
    assert_eq!(copied(&root, &out), all - 2 - 2 * constraints);

    // `portfolio.json` changed by hand: nothing is copied from it, and it
    // is made whole again; the CSVs' rows are copied.
    std::fs::write(out.join("portfolio.json"), "{}").unwrap();
    assert_eq!(copied(&root, &out), listed(&out).1 + listed(&out).0);

    // `pilots.csv` changed by hand: made whole again.
    std::fs::write(out.join("pilots.csv"), "id\r\n").unwrap();
    assert_eq!(copied(&root, &out), all - listed(&out).0);

    // A record removed: every other element is found where it now is.
    std::fs::remove_file(&file).unwrap();
    let left = copied(&root, &out);
    assert_eq!(left, elements(&out));
    assert!(left < all - 1 - 2 * constraints, "{left} of {all}");
}

/// How many pages of the decisions awaiting each sponsor and of the tags a
/// build of `root` into `out` kept unmade (see [`build_compared`]).
fn lists_kept(root: &Path, out: &Path, as_of: &str) -> usize {
    counted(&build_compared(root, out, as_of).stderr, "of which decisions and tag pages kept unmade")
}

/// The pages of the decisions awaiting each sponsor and of the tags in
/// `out`, by path, with their bytes.
fn decisions_and_tags(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let is_listed = |path: &str| {
        let parts: Vec<&str> = path.split('/').collect();
        matches!(parts[..], ["tags", "index.html"] | ["tags", _, "index.html"])
            || (parts.first() == Some(&"owners") && parts.contains(&"decisions"))
            || path.starts_with("decisions/no-sponsor/")
    };
    snapshot(out).into_iter().filter(|(path, _)| is_listed(path)).collect()
}

#[test]
fn decisions_and_tag_pages_are_kept_unmade_until_what_they_show_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    write_site_with(&root, 120, 5, &Mix::REALISTIC).unwrap();
    assert_eq!(lists_kept(&root, &out, AS_OF), 0);
    let before = decisions_and_tags(&out);
    let all = before.len();
    assert!(before.keys().filter(|p| p.contains("/decisions/")).count() >= 3, "{:?}", before.keys());
    assert!(before.keys().filter(|p| p.starts_with("tags/") && *p != "tags/index.html").count() >= 3);
    assert_eq!(lists_kept(&root, &out, AS_OF), all, "nothing changed");

    // The title of a pilot with tags and open constraints: the pages that
    // list it are made again (each build is compared with a build from
    // nothing), the others kept.
    let (file, text) = record_files(&root)
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .find(|(_, t)| t.starts_with("+++") && t.contains("\ntags = [") && t.contains("[[constraints]]"))
        .expect("a TOML record with tags and constraints");
    let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    let renamed = title.replacen("title = \"", "title = \"Renamed ", 1);
    std::fs::write(&file, text.replacen(&title, &renamed, 1)).unwrap();
    let kept = lists_kept(&root, &out, AS_OF);
    let after = decisions_and_tags(&out);
    let changed: Vec<&String> = after.keys().filter(|p| before.get(*p) != after.get(*p)).collect();
    assert!(changed.iter().any(|p| p.starts_with("tags/")), "{changed:?}");
    assert!(kept + changed.len() <= all && kept > 0, "{kept} of {all} kept, {changed:?} changed");

    // A tag's page changed by hand: made again.
    let tag = after.keys().find(|p| p.starts_with("tags/") && *p != "tags/index.html").unwrap();
    std::fs::write(out.join(tag), "changed by hand").unwrap();
    assert_eq!(lists_kept(&root, &out, AS_OF), all - 1);

    // Another date: what is overdue, and by how long, changes.
    assert!(lists_kept(&root, &out, "2026-12-24") < all);
    assert_eq!(lists_kept(&root, &out, "2026-12-24"), all);
}

/// How many pages of the pilot index a build of `root` into `out` kept
/// unmade (see [`build_compared`]).
fn index_kept(root: &Path, out: &Path) -> usize {
    counted(&build_compared(root, out, AS_OF).stderr, "of which pilot index pages kept unmade")
}

/// The pages of the pilot index in `out`, by path, with their bytes.
fn index_pages(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let is_index = |path: &str| path == "pilots/index.html" || path.starts_with("pilots/page/");
    snapshot(out).into_iter().filter(|(path, _)| is_index(path)).collect()
}

#[test]
fn pilot_index_pages_are_kept_unmade_until_their_rows_change() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    // Three pages of 250 rows.
    write_site_with(&root, 600, 5, &Mix::REALISTIC).unwrap();
    assert_eq!(index_kept(&root, &out), 0);
    let before = index_pages(&out);
    assert_eq!(before.len(), 3, "{:?}", before.keys());
    assert_eq!(index_kept(&root, &out), 3, "nothing changed");
    // A record's body, which no row shows: its row's record changed, so
    // its page is made again (each build is compared with a build from
    // nothing); the other two are kept.
    let files = record_files(&root);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    std::fs::write(&files[0], format!("{text}\nOne more line.\n")).unwrap();
    assert_eq!(index_kept(&root, &out), 2);
    assert_eq!(index_pages(&out), before, "the rows show nothing of the body");
    // A title that moves its pilot to another page: the rows of every
    // page from the one it left to the one it joined move.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let title = text.lines().find(|l| l.trim_start().starts_with("title")).unwrap().to_string();
    let (key, _) = title.split_once(['=', ':']).unwrap();
    let sep = if title.contains('=') { " = " } else { ": " };
    std::fs::write(&files[0], text.replacen(&title, &format!("{key}{sep}\"zzz last of all\""), 1)).unwrap();
    index_kept(&root, &out);
    let after = index_pages(&out);
    assert!(before.keys().any(|p| before[p] != after[p]), "a page changed");
    // A page changed by hand: made again.
    std::fs::write(out.join("pilots/index.html"), "changed by hand").unwrap();
    assert_eq!(index_kept(&root, &out), 2);
}

/// A page made with its inputs in one go (a first build) is the page
/// `make` makes, and its inputs are `inputs`' (the next build compares
/// them).
#[test]
fn pages_made_with_their_inputs_are_made_and_digested_as_apart() {
    use pilotdeck::output::Content;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site_with(&root, 60, 5, &Mix::REALISTIC).unwrap();
    let opts = pilotdeck::pipeline::Options {
        root: root.clone(),
        as_of: pilotdeck::date::Date::parse(AS_OF).map(pilotdeck::config::AsOf::Date),
        ..pilotdeck::pipeline::Options::default()
    };
    let a = pilotdeck::pipeline::analyse(&opts).unwrap();
    let theme = std::sync::Arc::new(pilotdeck::theme::load(&root, a.config.theme.as_deref()).unwrap());
    let renderer = std::sync::Arc::new(pilotdeck::render::Renderer::new(&theme).unwrap());
    let plan = pilotdeck::render::Plan::new(a.site, a.config, theme, renderer);
    let mut both = 0;
    for (path, job) in plan.jobs() {
        let Some(made) = plan.made_with_inputs(&job) else { continue };
        let (inputs, page) = made.unwrap();
        assert_eq!(Some(inputs), plan.inputs(&job), "{path}");
        let (Content::Bytes(a), Content::Bytes(b)) = (page, plan.make(&job).unwrap()) else { panic!("{path}") };
        assert!(a == b, "{path}");
        both += 1;
    }
    assert!(both >= 5, "{both} pages");
}

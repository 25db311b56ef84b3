//! The search index's memo (`.pilotdeck/search.bin`): a build takes each
//! run of records whose inputs did not change from the build before, and
//! makes again those that did: a record's text, a page's description, a
//! section's text, a pilot's title (which its people's records show), the
//! date (a constraint's status), a new tag (the filters' lists). After
//! each change the site is byte for byte a build from nothing's.

use crate::common;

use common::*;
use pilotdeck::synth::{write_site_with, Mix};
use std::path::Path;

const AS_OF: &str = "2026-11-20";

/// Builds `root` into `out` (see [`build_compared`]) and says how many
/// runs of records the index took as they were.
fn runs_taken(root: &Path, out: &Path, as_of: &str) -> usize {
    let run = build_compared(root, out, as_of);
    counted(&run.stderr, "search index, of which runs of records taken as they were")
}

/// Replaces `from` with `to` in the file at `path`, once (it must be there).
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "no `{from}` in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn runs_of_records_are_taken_as_they_were_until_what_they_hold_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    // Over 2,000 records of the index (pilots, lessons, pages, constraints,
    // people): several runs of 500.
    write_site_with(&root, 260, 5, &Mix::REALISTIC).unwrap();
    assert_eq!(runs_taken(&root, &out, AS_OF), 0);
    let all = runs_taken(&root, &out, AS_OF);
    assert!(all >= 4, "{all} runs");

    // A record's text: the run of the pilot (and of its lessons) only.
    let first = &record_files(&root)[3];
    let text = std::fs::read_to_string(first).unwrap();
    std::fs::write(first, format!("{text}\nA sentence about quokkas.\n")).unwrap();
    assert_eq!(runs_taken(&root, &out, AS_OF), all - 1);

    // A pilot's title, which each of its people's records lists (the
    // first record: first in its owner's list, which is cut to a length).
    let first = &record_files(&root)[0];
    let text = std::fs::read_to_string(first).unwrap();
    let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    // (At its end: where the pilot sorts does not change.)
    let renamed = match title.strip_suffix('"') {
        Some(open) => format!("{open} (renamed)\""),
        None => format!("{title} (renamed)"),
    };
    edit(first, &title, &renamed);
    let taken = runs_taken(&root, &out, AS_OF);
    assert!(taken < all - 1, "the pilot's run and its people's: {taken} of {all}");

    // A playbook page's description, and a section's text.
    let page = walkdir::WalkDir::new(root.join("content/playbook"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .unwrap();
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nWhat platypuses know.\n")).unwrap();
    assert_eq!(runs_taken(&root, &out, AS_OF), all - 1);
    let section = page.parent().unwrap().join("_index.md");
    let text = std::fs::read_to_string(&section).unwrap_or_default();
    std::fs::write(&section, format!("{text}\nA section about wombats.\n")).unwrap();
    assert_eq!(runs_taken(&root, &out, AS_OF), all - 1);

    // Another date: every constraint's status may read otherwise.
    assert!(runs_taken(&root, &out, "2026-12-24") < all);
    // A tag no record had: the filters' lists, so every run.
    let tagged = record_files(&root)
        .into_iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("\ntags = ["))
        .expect("a TOML record with tags");
    edit(&tagged, "\ntags = [", "\ntags = [\"numbat-watch\", ");
    assert_eq!(runs_taken(&root, &out, "2026-12-24"), 0);
    assert_eq!(runs_taken(&root, &out, "2026-12-24"), all);

    // A memo that is not one, and one cut short.
    let memo = root.join(".pilotdeck/search.bin");
    let bytes = std::fs::read(&memo).unwrap();
    std::fs::write(&memo, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(runs_taken(&root, &out, "2026-12-24"), 0);
    std::fs::write(&memo, b"not a memo").unwrap();
    assert_eq!(runs_taken(&root, &out, "2026-12-24"), 0);
}

/// A memo written after one record changed copies the runs it took from
/// the memo before: it is byte for byte the memo a build from nothing
/// writes.
#[test]
fn a_memo_written_after_one_change_is_the_memo_of_a_build_from_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    write_site_with(&root, 260, 5, &Mix::REALISTIC).unwrap();
    assert_eq!(runs_taken(&root, &out, AS_OF), 0);
    let first = &record_files(&root)[3];
    let text = std::fs::read_to_string(first).unwrap();
    std::fs::write(first, format!("{text}\nA sentence about quokkas.\n")).unwrap();
    let taken = runs_taken(&root, &out, AS_OF);
    assert!(taken >= 3, "{taken} runs taken");
    let memo = root.join(".pilotdeck/search.bin");
    let after_change = std::fs::read(&memo).unwrap();
    std::fs::remove_dir_all(root.join(".pilotdeck")).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(runs_taken(&root, &out, AS_OF), 0);
    assert!(std::fs::read(&memo).unwrap() == after_change, "the memos differ");
}

//! Broken input: every case is its own site, built once while good, then
//! broken and built again. The second build must exit 1, print the exact
//! `path:line:column: error: message` line and its hint, and leave the
//! previous output exactly as it was.

use crate::common;

use common::*;
use std::path::Path;

/// A valid pilot: no errors and no warnings as of 2026-03-20.
const GOOD_PILOT: &str = r#"+++
title = "Good pilot"
stage = "pilot"
owner = "Dana Ruiz"

[[updates]]
week = 2026-03-16
completed = "Everything"
+++
The good one.
"#;

/// The site every case starts from. It brings its own minimal templates so
/// that these tests do not depend on the built-in theme's markup.
fn good_site() -> tempfile::TempDir {
    let dir = site(&[
        ("content/pilots/good.md", GOOD_PILOT),
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\nHow we work.\n"),
        ("content/playbook/guide.md", "+++\ntitle = \"Guide\"\nweight = 1\n+++\nA guide.\n"),
    ]);
    write(dir.path(), PLAIN_TEMPLATES);
    dir
}

/// Builds the good site, writes `files` over it, builds again, and checks
/// what every failed build must do: exit 1, say that nothing was built, and
/// leave `public/` byte for byte as the good build wrote it.
fn broken_bytes(files: &[(&str, &[u8])]) -> Run {
    let dir = good_site();
    let root = dir.path();
    build_ok(root, &[]);
    let public = root.join("public");
    let index_before = std::fs::read(public.join("index.html")).unwrap();
    let before = snapshot(&public);
    for (rel, bytes) in files {
        write_bytes(root, rel, bytes);
    }
    let run = build(root, &[]);
    assert_eq!(run.code, 1, "a broken site must exit 1\n--- stderr ---\n{}", run.stderr);
    assert!(
        run.last_line().starts_with("error: the site was not built: ")
            && run.last_line().ends_with("; the previous output was left as it was"),
        "last line: {:?}",
        run.last_line()
    );
    assert_eq!(
        std::fs::read(public.join("index.html")).unwrap(),
        index_before,
        "public/index.html changed after a failed build"
    );
    assert_eq!(snapshot(&public), before, "public/ changed after a failed build");
    assert_no_leftovers(root);
    run
}

fn broken(files: &[(&str, &str)]) -> Run {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    broken_bytes(&bytes)
}

/// No staging or backup folders of the output are left in the site root
/// (`.pilotdeck/`, the caches, is meant to stay).
fn assert_no_leftovers(root: &Path) {
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".pilotdeck")
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

/// Exactly one error, with this first line and this hint.
fn expect_one(run: &Run, header: &str, help: &str) {
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "expected one diagnostic\n{}", run.stderr);
    assert_eq!(d[0].header, header, "\n{}", run.stderr);
    assert_eq!(d[0].help.as_deref(), Some(help), "\n{}", run.stderr);
    assert_eq!(run.last_line(), "error: the site was not built: 1 error; the previous output was left as it was");
}

fn pilot(front: &str) -> String {
    format!("+++\n{front}+++\nBody.\n")
}

// ---------------------------------------------------------------- keys

#[test]
fn unknown_key_names_the_key_and_suggests_the_nearest() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\"\nownr = \"Dana\"\n"))]);
    expect_one(&run, "content/pilots/a.md:4:1: error: unknown key `ownr`", "did you mean `owner`?");
    // The whole block, the way rustc prints it.
    assert!(
        run.stderr.starts_with(
            "error[PD002]: unknown key `ownr`\n --> content/pilots/a.md:4:1\n  |\n4 | ownr = \"Dana\"\n  | ^^^^\n  |\n  = help: did you mean `owner`?\n\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_key_in_an_existing_file_that_was_good() {
    // The good record itself is edited, as a user would.
    let text = GOOD_PILOT.replace("owner = ", "onwer = ");
    let run = broken(&[("content/pilots/good.md", &text)]);
    expect_one(&run, "content/pilots/good.md:4:1: error: unknown key `onwer`", "did you mean `owner`?");
}

#[test]
fn unknown_key_inside_constraints() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n[[constraints]]\ntitle = \"Schema\"\nowner = \"P\"\ndue = 2026-03-25\ncateogry = \"data\"\n",
        ),
    )]);
    expect_one(&run, "content/pilots/a.md:9:1: error: unknown key `cateogry`", "did you mean `category`?");
}

#[test]
fn unknown_key_inside_updates() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n[[updates]]\nweek = 2026-03-16\nconfidnce = { leader = 4, team = 2 }\n",
        ),
    )]);
    expect_one(&run, "content/pilots/a.md:7:1: error: unknown key `confidnce`", "did you mean `confidence`?");
}

#[test]
fn unknown_key_in_the_config() {
    let run = broken(&[("pilotdeck.toml", "title = \"X\"\nstale_afterdays = 10\n")]);
    expect_one(&run, "pilotdeck.toml:2:1: error: unknown key `stale_afterdays`", "did you mean `stale_after_days`?");
}

// ---------------------------------------------------------- required keys

#[test]
fn missing_title() {
    let run = broken(&[("content/pilots/a.md", &pilot("stage = \"pilot\"\n"))]);
    expect_one(&run, "content/pilots/a.md:1:1: error: missing `title`", "add `title = \"...\"`: the pilot's name");
}

#[test]
fn missing_stage() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:1:1: error: missing `stage`",
        "add `stage = \"...\"`, one of: idea, scoping, pilot, bridge, production, stalled, retired",
    );
}

// -------------------------------------------------------- unknown names

#[test]
fn unknown_stage_suggests_the_nearest() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"piolt\"\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:3:9: error: unknown stage `piolt`",
        "did you mean `pilot`? (`[stage_aliases]` in pilotdeck.toml gives a stage other names)",
    );
}

#[test]
fn unknown_stage_far_from_any_lists_them() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"launched\"\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:3:9: error: unknown stage `launched`",
        "expected one of `idea`, `scoping`, `pilot`, `bridge`, `production`, `stalled`, `retired`; or say which \
         stage it means in `[stage_aliases]` in pilotdeck.toml: `\"launched\" = \"...\"`",
    );
}

#[test]
fn unknown_category() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n[[constraints]]\ntitle = \"Schema\"\ncategory = \"dat\"\nowner = \"P\"\ndue = 2026-03-25\n",
        ),
    )]);
    expect_one(&run, "content/pilots/a.md:7:12: error: unknown category `dat`", "did you mean `data`?");
}

#[test]
fn unknown_readiness_dimension() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot("title = \"A\"\nstage = \"pilot\"\n\n[readiness.technicl]\nlatency = true\n"),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:5:12: error: unknown readiness dimension `technicl`",
        "did you mean `technical`?",
    );
}

#[test]
fn unknown_rubric_item() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot("title = \"A\"\nstage = \"pilot\"\n\n[readiness.governance]\naudit-trial = true\n"),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:6:1: error: `audit-trial` is not an item of the governance rubric",
        "did you mean `audit-trail`?",
    );
}

#[test]
fn integration_with_unknown_direction() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n[[integration]]\nsystem = \"ERP\"\ndirection = \"read\"\nstatus = \"built\"\n",
        ),
    )]);
    expect_one(&run, "content/pilots/a.md:7:13: error: unknown integration direction `read`", "did you mean `reads`?");
}

#[test]
fn stage_table_with_unknown_stage() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot("title = \"A\"\nstage = \"pilot\"\n\n[stages]\npiolt = 2026-01-05\n"),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:6:1: error: unknown stage `piolt`",
        "did you mean `pilot`? (`[stage_aliases]` in pilotdeck.toml gives a stage other names)",
    );
}

// ------------------------------------------------------------------ dates

#[test]
fn invalid_date_as_a_yaml_string() {
    let run = broken(&[("content/pilots/a.md", "---\ntitle: A\nstage: pilot\nstarted: \"2026-02-30\"\n---\nBody.\n")]);
    expect_one(
        &run,
        "content/pilots/a.md:4:10: error: `2026-02-30` is not a valid date for `started`",
        "2026-02 has days 01 to 28: write YYYY-MM-DD",
    );
}

/// TOML refuses `2026-13-01` as a date: it is reported as a date that is
/// not one (as a quoted one is), not as a syntax error of the whole front
/// matter.
#[test]
fn invalid_toml_bare_date_is_a_bad_date() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\"\nstarted = 2026-13-01\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:4:11: error: `2026-13-01` is not a valid date for `started`",
        "there is no month 13: write YYYY-MM-DD, the month from 01 to 12",
    );
}

#[test]
fn date_with_a_time() {
    let run =
        broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\"\ntarget = 2026-06-30T10:00:00\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:4:10: error: `2026-06-30T10:00:00` is not a valid date for `target`",
        "`target` is a date without a time: write `2026-06-30`",
    );
}

// ------------------------------------------------------------------ types

#[test]
fn wrong_type_tags_as_a_string() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\"\ntags = \"x\"\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:4:8: error: expected a list, found a string",
        "write a list, such as `[\"a\", \"b\"]`",
    );
}

#[test]
fn wrong_type_weight_as_a_string() {
    let run = broken(&[("content/playbook/a.md", "+++\ntitle = \"A\"\nweight = \"heavy\"\n+++\n")]);
    expect_one(
        &run,
        "content/playbook/a.md:3:10: error: expected an integer, found a string",
        "write a whole number without quotes, such as `3`",
    );
}

#[test]
fn evidence_of_the_wrong_type() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot("title = \"A\"\nstage = \"pilot\"\n\n[readiness.technical]\nlatency = 0.5\n"),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:6:11: error: evidence for `latency` must be `true`, `false` or a note, found a number",
        "write `true`, `false`, or a link or note that shows the item is met",
    );
}

#[test]
fn confidence_out_of_range() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n[[updates]]\nweek = 2026-03-16\nconfidence = { leader = 6, team = 0 }\n",
        ),
    )]);
    let d = run.diagnostics();
    assert_eq!(d.len(), 2, "{}", run.stderr);
    assert_eq!(d[0].header, "content/pilots/a.md:7:25: error: confidence `leader` must be 1 to 5, not 6");
    assert_eq!(d[1].header, "content/pilots/a.md:7:35: error: confidence `team` must be 1 to 5, not 0");
    for x in &d {
        assert_eq!(x.help.as_deref(), Some("1 means the target date will surely slip, 5 that it surely holds"));
    }
}

// ----------------------------------------------------------------- syntax

#[test]
fn toml_syntax_error() {
    let run = broken(&[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\nowner = \"Dana\"\n"))]);
    expect_one(
        &run,
        "content/pilots/a.md:3:15: error: invalid basic string, expected `\"`",
        "front matter between `+++` lines is TOML: `key = \"value\"`, dates as 2026-03-15",
    );
}

#[test]
fn yaml_syntax_error() {
    let run = broken(&[("content/pilots/a.md", "---\ntitle: A\nowner: Dana\nstage: [pilot\n---\nBody.\n")]);
    let syntax = run
        .diagnostics()
        .into_iter()
        .find(|d| d.header.contains("unclosed bracket"))
        .unwrap_or_else(|| panic!("no syntax error reported\n{}", run.stderr));
    assert_eq!(syntax.header, "content/pilots/a.md:4:8: error: unclosed bracket '['");
    assert_eq!(
        syntax.help.as_deref(),
        Some("front matter between `---` lines is YAML: `key: value`, lists as `[a, b]`")
    );
}

#[test]
fn yaml_syntax_error_is_the_only_error() {
    let run = broken(&[("content/pilots/a.md", "---\ntitle: A\nowner: Dana\nstage: [pilot\n---\nBody.\n")]);
    expect_one(
        &run,
        "content/pilots/a.md:4:8: error: unclosed bracket '['",
        "front matter between `---` lines is YAML: `key: value`, lists as `[a, b]`",
    );
}

#[test]
fn front_matter_never_closed() {
    let run =
        broken(&[("content/pilots/a.md", "+++\ntitle = \"A\"\nstage = \"pilot\"\n\nBody without the closing line.\n")]);
    expect_one(
        &run,
        "content/pilots/a.md:1:1: error: front matter opened with `+++` is never closed",
        "add a line `+++` after the last key",
    );
}

#[test]
fn yaml_front_matter_never_closed() {
    let run = broken(&[("content/playbook/a.md", "---\ntitle: A\n\nBody.\n")]);
    expect_one(
        &run,
        "content/playbook/a.md:1:1: error: front matter opened with `---` is never closed",
        "add a line `---` after the last key",
    );
}

#[test]
fn pilot_without_front_matter() {
    let run = broken(&[("content/pilots/a.md", "# Just a heading\n")]);
    expect_one(
        &run,
        "content/pilots/a.md:1:1: error: a pilot record needs front matter",
        "start the file with `+++`, then `title = \"...\"` and `stage = \"...\"`, then `+++`",
    );
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let run = broken_bytes(&[(
        "content/pilots/a.md",
        b"+++\ntitle = \"A\"\nstage = \"pilot\"\nsummary = \"caf\xe9 au lait\"\n+++\n",
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:4:15: error: this file is not valid UTF-8 (byte 0xe9)",
        "save the file as UTF-8 in your editor",
    );
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = good_site();
    let root = dir.path();
    build_ok(root, &[]);
    let before = snapshot(&root.join("public"));
    let path = root.join("content/pilots/a.md");
    write(root, &[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\"\n"))]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): every file is readable.
        eprintln!("unreadable_file: skipped, this user can read a mode 000 file");
        return;
    }
    let run = build(root, &[]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(d[0].header.starts_with("content/pilots/a.md:1:1: error: cannot read this file: "), "{}", run.stderr);
    assert_eq!(d[0].help.as_deref(), Some("check that the file exists and that you may read it"));
    assert_eq!(snapshot(&root.join("public")), before);
}

// ------------------------------------------------------- whole-site rules

#[test]
fn duplicate_pilot_ids_name_both_files() {
    let run = broken(&[
        ("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"pilot\"\n")),
        ("content/pilots/a/index.md", &pilot("title = \"A again\"\nstage = \"pilot\"\n")),
    ]);
    expect_one(
        &run,
        "content/pilots/a.md:2:9: error: two pilot records have the id `a`",
        "a pilot's id is its file or folder name: rename one of them",
    );
    assert_eq!(
        run.diagnostics()[0].notes,
        vec!["content/pilots/a/index.md:2:9: note: the other record is here".to_string()]
    );
}

#[test]
fn constraints_without_owner_or_due() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n\
             [[constraints]]\ntitle = \"Schema approval\"\ncategory = \"data\"\n\n\
             [[constraints]]\ntitle = \"Budget\"\ncategory = \"economic\"\nowner = \"Sam\"\n\n\
             [[constraints]]\ntitle = \"Staff\"\ncategory = \"workforce\"\ndue = 2026-04-01\n",
        ),
    )]);
    let d = run.diagnostics();
    let got: Vec<(&str, Option<&str>)> = d.iter().map(|d| (d.header.as_str(), d.help.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            (
                "content/pilots/a.md:5:1: error: constraint `schema-approval` has no due date",
                Some("add `due = 2026-04-03` (a date two weeks on, for instance): escalation counts from this date")
            ),
            (
                "content/pilots/a.md:9:1: error: constraint `budget` has no due date",
                Some("add `due = 2026-04-03` (a date two weeks on, for instance): escalation counts from this date")
            ),
        ],
        "\n{}",
        run.stderr
    );
    // A constraint without an owner is a warning: the library shows it as
    // unowned rather than stopping the build.
    // The other warnings: `schema-approval` has no owner either, and the
    // pilot has no weekly update.
    assert!(run.stderr.contains("\n3 warnings (run `pilotdeck check` to see them)\n"), "{}", run.stderr);
}

#[test]
fn pilot_at_bridge_without_owner() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot("title = \"A\"\nstage = \"bridge\"\n\n[[updates]]\nweek = 2026-03-16\ncompleted = \"x\"\n"),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:3:9: error: pilot `a` is at `bridge` without a production owner",
        "add `owner = \"...\"`: the person accountable for the production outcome",
    );
}

#[test]
fn duplicate_constraint_ids() {
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n\
             [[constraints]]\ntitle = \"Schema approval\"\nowner = \"P\"\ndue = 2026-04-01\n\n\
             [[constraints]]\nid = \"schema-approval\"\ntitle = \"Other\"\nowner = \"Q\"\ndue = 2026-04-02\n",
        ),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:11:6: error: two constraints of this pilot have the id `schema-approval`",
        "give one of them its own `id = \"...\"`",
    );
}

#[test]
fn duplicate_constraint_ids_from_titles() {
    // No `id`: both ids are slugs of titles that differ only in case and
    // punctuation; the error points at the second constraint.
    let run = broken(&[(
        "content/pilots/a.md",
        &pilot(
            "title = \"A\"\nstage = \"pilot\"\n\n\
             [[constraints]]\ntitle = \"Schema approval\"\nowner = \"P\"\ndue = 2026-04-01\n\n\
             [[constraints]]\ntitle = \"Schema Approval!\"\nowner = \"Q\"\ndue = 2026-04-02\n",
        ),
    )]);
    expect_one(
        &run,
        "content/pilots/a.md:10:1: error: two constraints of this pilot have the id `schema-approval`",
        "give one of them its own `id = \"...\"`",
    );
}

#[test]
fn several_errors_in_several_files_are_reported_together() {
    let run = broken(&[
        // Edit the good record: one unknown key.
        ("content/pilots/good.md", &GOOD_PILOT.replace("owner = ", "onwer = ")),
        // A new record with two problems.
        ("content/pilots/b.md", &pilot("title = \"B\"\nstage = \"piolt\"\ntags = \"x\"\n")),
        // A page with one.
        ("content/playbook/a.md", "+++\nweight = \"heavy\"\ntitle = \"A\"\n+++\n"),
        // And the config.
        ("pilotdeck.toml", "titel = \"X\"\n"),
    ]);
    let headers: Vec<String> = run.diagnostics().into_iter().map(|d| d.header).collect();
    assert_eq!(
        headers,
        vec![
            "content/pilots/b.md:3:9: error: unknown stage `piolt`",
            "content/pilots/b.md:4:8: error: expected a list, found a string",
            "content/pilots/good.md:4:1: error: unknown key `onwer`",
            "content/playbook/a.md:2:10: error: expected an integer, found a string",
            "pilotdeck.toml:1:1: error: unknown key `titel`",
        ],
        "\n{}",
        run.stderr
    );
    assert_eq!(run.last_line(), "error: the site was not built: 5 errors; the previous output was left as it was");
}

#[test]
fn failed_build_mentions_its_warnings() {
    // A stale pilot (a warning) beside a broken one (an error).
    let run = broken(&[
        (
            "content/pilots/old.md",
            &pilot("title = \"Old\"\nstage = \"pilot\"\nowner = \"O\"\n\n[[updates]]\nweek = 2026-01-05\n"),
        ),
        ("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"piolt\"\n")),
    ]);
    assert_eq!(run.last_line(), "error: the site was not built: 1 error; the previous output was left as it was");
    assert!(
        run.stderr.contains("\n1 warning (run `pilotdeck check` to see them)\n"),
        "the warning is not mentioned:\n{}",
        run.stderr
    );
}

// ------------------------------------------------------------- usage (2)

#[test]
fn as_of_that_is_not_a_date_is_a_usage_error() {
    let dir = good_site();
    let run = pilotdeck([
        "--root".into(),
        dir.path().as_os_str().to_owned(),
        "build".into(),
        "--as-of".into(),
        std::ffi::OsString::from("notadate"),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.first_line(),
        "error: invalid value 'notadate' for '--as-of <DATE>': `notadate` is not a date: write YYYY-MM-DD, such as 2026-03-15"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn missing_root_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    let run = build(&missing, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.first_line(), format!("error: the site folder `{}` does not exist", missing.display()));
    assert!(!missing.exists());
}

#[test]
fn retired_idea_without_owner_is_not_an_error() {
    let dir = good_site();
    write(dir.path(), &[("content/pilots/a.md", &pilot("title = \"A\"\nstage = \"retired\"\n"))]);
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A build lets go of each record's text once it is read; a problem found
/// later, by a rule over the whole site, still shows its line.
#[test]
fn whole_site_errors_show_their_lines() {
    let run = broken(&[(
        "content/pilots/late.md",
        &pilot("title = \"Late\"\nstage = \"pilot\"\n[[constraints]]\ntitle = \"No date\"\nowner = \"Ana\"\n"),
    )]);
    assert!(run.stderr.contains("[[constraints]]"), "the line of the problem is shown:\n{}", run.stderr);
    assert!(run.diagnostics()[0].header.starts_with("content/pilots/late.md:"), "{}", run.stderr);
}

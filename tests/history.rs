//! History from git (#24): a site in a repository whose records change
//! over dated commits; pilotdeck reads the history with gix and shows how
//! each pilot and the portfolio moved. The repositories are made with the
//! `git` program (the tests need it; pilotdeck does not).

use crate::common;

use common::{build_ok, read, site, text_of};
use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+00:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+00:00"))
        .env("GIT_AUTHOR_NAME", "Dana Ruiz")
        .env("GIT_AUTHOR_EMAIL", "dana@example.org")
        .env("GIT_COMMITTER_NAME", "Dana Ruiz")
        .env("GIT_COMMITTER_EMAIL", "dana@example.org")
        .env("HOME", root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn commit(root: &Path, path: &str, text: &str, date: &str, message: &str) {
    std::fs::write(root.join(path), text).unwrap();
    git(root, &["add", "-A"], date);
    git(root, &["commit", "-q", "-m", message], date);
}

fn record(stage: &str, target: &str, due: &str, resolved: &str) -> String {
    format!(
        "+++\ntitle = \"Invoice matching\"\nstage = \"{stage}\"\nowner = \"Dana Ruiz\"\nsponsor = \"Maria Gomez\"\n\
         target = {target}\n\n[stages]\nidea = 2026-01-05\n{stages}\n\n[[constraints]]\nid = \"schema\"\n\
         title = \"Schema review\"\ncategory = \"data\"\nowner = \"Lee Chen\"\nraised = 2026-01-12\ndue = {due}\n{resolved}\n\
         [[updates]]\nweek = 2026-01-12\ncompleted = \"Started\"\n+++\nBody.\n",
        stages = if stage == "pilot" { "pilot = 2026-02-02" } else { "" },
    )
}

/// A site whose one record moves over five commits: made, due date moved
/// twice (7 days, then 14), target moved 30 days, into pilot, resolved.
/// A pilot at `pilot` since 2026-02-16 with one constraint due 2026-03-01:
/// overdue from then on.
const CLAIMS: &str = "+++\ntitle = \"Claims triage\"\nstage = \"pilot\"\nowner = \"Lee Chen\"\n\n[stages]\n\
                      pilot = 2026-02-16\n\n[[constraints]]\ntitle = \"Queue write-back\"\ncategory = \"integration\"\n\
                      owner = \"Lee Chen\"\nraised = 2026-02-20\ndue = 2026-03-01\n+++\nBody.\n";

fn repo() -> tempfile::TempDir {
    let dir = site(&[("pilotdeck.toml", "title = \"History\"\nrepo_url = \"https://git.example/org/site\"\n")]);
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/pilots")).unwrap();
    git(root, &["init", "-q", "-b", "main"], "2026-01-05");
    let path = "content/pilots/invoices.md";
    commit(root, path, &record("idea", "2026-03-01", "2026-02-01", ""), "2026-01-12", "First record");
    commit(root, path, &record("idea", "2026-03-01", "2026-02-08", ""), "2026-01-26", "Schema review later");
    commit(root, path, &record("idea", "2026-03-31", "2026-02-22", ""), "2026-02-02", "Target moved");
    commit(root, path, &record("pilot", "2026-03-31", "2026-02-22", ""), "2026-02-03", "Into pilot");
    commit(root, path, &record("pilot", "2026-03-31", "2026-02-22", "resolved = 2026-03-02"), "2026-03-02", "Done");
    dir
}

#[test]
fn a_pilots_history_lists_what_changed_with_its_commit() {
    let dir = repo();
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/pilots/invoices/index.html");
    let text = text_of(&html);
    for needle in [
        "Entered pilot (from idea)",
        "Target date moved 30 days later, from 2026-03-01 to 2026-03-31",
        "“Schema review” re-planned 7 days later",
        "“Schema review” re-planned 14 days later",
        "“Schema review” resolved",
        "Target slips in all: 30 days",
        "Due-date slips in all: 21 days",
        "Dana Ruiz",
    ] {
        assert!(text.contains(needle), "`{needle}` not in the pilot's history:\n{text}");
    }
    assert!(html.contains("href=\"https://git.example/org/site/commit/"), "changes link to their commits");
}

#[test]
fn home_figures_say_how_they_moved_in_four_weeks() {
    let dir = repo();
    commit(dir.path(), "content/pilots/claims.md", CLAIMS, "2026-03-09", "Claims triage");
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/index.html");
    let figure = |label: &str| {
        let at = html.find(&format!("{label}</span>")).unwrap_or_else(|| panic!("no figure {label}"));
        text_of(&html[at..at + html[at..].find("</li>").unwrap()])
    };
    assert!(figure("Pilots").contains("+1 in 4 weeks"), "{}", figure("Pilots"));
    assert!(figure("Overdue constraints").contains("+1 in 4 weeks"), "{}", figure("Overdue constraints"));
    assert!(figure("In production").contains("no change in 4 weeks"), "{}", figure("In production"));
    assert!(html.contains("<polyline points=\""), "a small line of the weeks");
}

#[test]
fn without_git_or_with_history_off_the_page_says_so() {
    let rec = record("idea", "2026-03-01", "2026-04-01", "");
    let dir = site(&[("pilotdeck.toml", "title = \"No git\"\n"), ("content/pilots/invoices.md", &rec)]);
    build_ok(dir.path(), &[]);
    let text = text_of(&read(dir.path(), "public/pilots/invoices/index.html"));
    assert!(text.contains("This site is not in a git repository"), "{text}");
    assert!(!text_of(&read(dir.path(), "public/index.html")).contains("in 4 weeks"));

    let dir = repo();
    std::fs::write(dir.path().join("pilotdeck.toml"), "title = \"Off\"\nhistory = false\n").unwrap();
    build_ok(dir.path(), &[]);
    let text = text_of(&read(dir.path(), "public/pilots/invoices/index.html"));
    assert!(text.contains("History is turned off"), "{text}");
    assert!(!text.contains("re-planned"), "{text}");
}

#[test]
fn the_past_is_read_as_it_stood() {
    // At 2026-02-02 the target had just moved; the move into pilot and the
    // resolution came later and are not shown.
    let dir = repo();
    let run = common::pilotdeck([
        "--root".as_ref(),
        dir.path().as_os_str(),
        "build".as_ref(),
        "--as-of".as_ref(),
        "2026-02-02".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = text_of(&read(dir.path(), "public/pilots/invoices/index.html"));
    assert!(text.contains("Target date moved 30 days later"), "{text}");
    assert!(!text.contains("Entered pilot (from idea)") && !text.contains("“Schema review” resolved"), "{text}");
}

#[test]
fn two_builds_at_one_head_are_the_same() {
    let dir = repo();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    build_ok(dir.path(), &["--output", one.to_str().unwrap()]);
    build_ok(dir.path(), &["--output", two.to_str().unwrap()]);
    assert_eq!(common::snapshot(&dir.path().join("one")), common::snapshot(&dir.path().join("two")));
}

#[test]
fn changes_list_each_weeks_moves_with_an_archive_and_a_feed() {
    let dir = repo();
    build_ok(dir.path(), &[]);
    // The week of the as-of date (2026-03-16 to 03-20): nothing happened.
    let now = text_of(&read(dir.path(), "public/changes/index.html"));
    assert!(now.contains("What changed this week") && now.contains("Nothing changed"), "{now}");
    assert!(now.contains("2026-02-23 (2)") && now.contains("2026-02-02 (3)"), "the archive lists the weeks: {now}");
    // The week the stage moved and the target slipped.
    let week = text_of(&read(dir.path(), "public/changes/2026-02-02/index.html"));
    assert!(week.contains("What changed in the week of 2026-02-02"), "{week}");
    assert!(week.contains("Stage moves (1)") && week.contains("Entered pilot (from idea)"), "{week}");
    assert!(week.contains("Target dates moved (1)") && week.contains("re-planned 14 days later"), "{week}");
    // What the calendar did: the constraint became overdue, then reached
    // the sponsor's rung, before it was resolved.
    let week = text_of(&read(dir.path(), "public/changes/2026-02-23/index.html"));
    assert!(week.contains("Newly escalated (2)"), "{week}");
    assert!(week.contains("“Schema review” became overdue (owner)"), "{week}");
    assert!(week.contains("“Schema review” escalated to sponsor"), "{week}");
    let week = text_of(&read(dir.path(), "public/changes/2026-01-26/index.html"));
    assert!(week.contains("Went stale: no update since the week of 2026-01-12"), "{week}");
    // The feed: one entry per week with changes, newest first.
    let feed = read(dir.path(), "public/changes/feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| e.descendants().find(|n| n.has_tag_name("title")).unwrap().text().unwrap().to_string())
        .collect();
    assert_eq!(entries.first().map(String::as_str), Some("Week of 2026-03-02: 1 changes"), "{entries:?}");
    assert!(entries.iter().any(|t| t.starts_with("Week of 2026-01-12")), "{entries:?}");
}

#[test]
fn portfolio_json_holds_the_weekly_series() {
    let dir = repo();
    build_ok(dir.path(), &[]);
    let v: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/portfolio.json")).unwrap();
    let weeks = v["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 26);
    assert_eq!(weeks[25]["end"], "2026-03-20");
    // 2026-02-27: the constraint was open and 5 days overdue (due 02-22),
    // past the owner's rung (0 days) but not the sponsor's (7).
    let w = weeks.iter().find(|w| w["end"] == "2026-02-27").unwrap();
    assert_eq!((w["pilots"].as_u64(), w["open"].as_u64(), w["overdue"].as_u64()), (Some(1), Some(1), Some(1)));
    assert_eq!(w["escalated"], serde_json::json!([1, 0, 0]));
    // The week the target moved later.
    let w = weeks.iter().find(|w| w["end"] == "2026-02-06").unwrap();
    assert_eq!(w["target_slips"], 1);
    // Before the record existed.
    assert_eq!(weeks[0]["pilots"], 0);
}

#[test]
fn a_shallow_clone_is_said_and_read_as_far_as_it_goes() {
    let dir = repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.path().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url])
        .arg(clone.path().join("site"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", clone.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = clone.path().join("site");
    let run = build_ok(&root, &[]);
    assert!(run.stderr.contains("shallow clone") && run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let text = text_of(&read(&root, "public/pilots/invoices/index.html"));
    assert!(text.contains("Only the commits of a shallow clone were read"), "{text}");
    // The two commits it holds: the last change is there, the first is not.
    assert!(text.contains("“Schema review” resolved") && !text.contains("Record added"), "{text}");
}

#[test]
fn serve_reuses_the_history_until_head_moves() {
    use pilotdeck::pipeline::{analyse_loaded, load, Options, Reuse};
    let dir = repo();
    let opts = Options { root: dir.path().to_path_buf(), ..Options::default() };
    let (first, reuse) = analyse_loaded(&opts, load(&opts).unwrap(), Reuse::default()).unwrap();
    assert!(first.site.history.is_known());
    let (second, reuse) = analyse_loaded(&opts, load(&opts).unwrap(), reuse).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first.site.history, &second.site.history), "the same HEAD: nothing read again");
    commit(
        dir.path(),
        "content/pilots/invoices.md",
        &record("pilot", "2026-04-30", "2026-02-22", "resolved = 2026-03-02"),
        "2026-03-09",
        "Target again",
    );
    let (third, _) = analyse_loaded(&opts, load(&opts).unwrap(), reuse).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&second.site.history, &third.site.history));
    assert_eq!(third.site.history.commits.len(), second.site.history.commits.len() + 1);
}

#[test]
fn the_cache_gives_the_same_site_and_follows_new_commits_and_rewrites() {
    let dir = repo();
    let root = dir.path();
    let out = |name: &str| root.join("out").join(name);
    let build_to = |name: &str| {
        build_ok(root, &["--output", out(name).to_str().unwrap()]);
        common::snapshot(&out(name))
    };
    let cold = build_to("cold");
    assert!(root.join(".pilotdeck/history.bin").is_file(), "the history is kept for the next build");
    let ignored = std::fs::read_to_string(root.join(".pilotdeck/.gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "*"), "{ignored}");
    assert_eq!(cold, build_to("warm"), "a warm cache gives the same site");
    // A new commit: read from where the cache stood, the same as read whole.
    let text = record("pilot", "2026-04-30", "2026-02-22", "resolved = 2026-03-02");
    commit(root, "content/pilots/invoices.md", &text, "2026-03-09", "Target again");
    let incremental = build_to("incremental");
    std::fs::remove_file(root.join(".pilotdeck/history.bin")).unwrap();
    assert_eq!(incremental, build_to("whole"), "one new commit read onto the cache");
    assert!(text_of(&read(root, "out/whole/pilots/invoices/index.html"))
        .contains("Target date moved 30 days later, from 2026-03-31 to 2026-04-30"));
    // History rewritten (as by a force push): the cache's commit is gone.
    git(root, &["reset", "-q", "--hard", "HEAD~2"], "2026-03-10");
    let text = record("idea", "2026-05-31", "2026-02-08", "");
    commit(root, "content/pilots/invoices.md", &text, "2026-03-10", "Rewritten");
    let rewritten = build_to("rewritten");
    let kept = std::fs::read(root.join(".pilotdeck/history.bin")).unwrap();
    std::fs::remove_file(root.join(".pilotdeck/history.bin")).unwrap();
    assert_eq!(rewritten, build_to("rewritten-whole"));
    // What the versions of the commits gone read as is let go: the cache
    // is the one a build from nothing leaves.
    assert!(kept == std::fs::read(root.join(".pilotdeck/history.bin")).unwrap(), "the cache keeps what is gone");
    assert!(!text_of(&read(root, "out/rewritten/pilots/invoices/index.html")).contains("2026-04-30"));
}

#[test]
fn what_the_versions_read_as_is_kept_and_trusted_only_for_its_config() {
    let dir = repo();
    let root = dir.path();
    let out = |name: &str| root.join("out").join(name);
    let build_to = |name: &str, extra: &[&str]| {
        let dest = out(name);
        let mut args = vec!["--output", dest.to_str().unwrap()];
        args.extend_from_slice(extra);
        build_ok(root, &args);
        common::snapshot(&dest)
    };
    let cache = root.join(".pilotdeck/history.bin");
    // A build looking back first: the cache it leaves knows what every
    // version reads as, also those after its date, and a later build from
    // it is the same as one from nothing.
    let past = common::pilotdeck([
        "--root".as_ref(),
        root.as_os_str(),
        "build".as_ref(),
        "--as-of".as_ref(),
        "2026-02-02".as_ref(),
    ]);
    assert_eq!(past.code, 0, "{}", past.stderr);
    let warm = build_to("warm", &[]);
    std::fs::remove_file(&cache).unwrap();
    let cold = build_to("cold", &[]);
    assert_eq!(warm, cold, "a warm cache gives the same site as none");
    // The cache is what a build uses: one whose versions say `IDEA` where
    // the records said `idea` shows in the pages when it is trusted...
    let kept = std::fs::read(&cache).unwrap();
    let replace = |bytes: &[u8], from: &[u8], to: &[u8]| -> Vec<u8> {
        let mut out = bytes.to_vec();
        for at in 0..out.len().saturating_sub(from.len() - 1) {
            if &out[at..at + from.len()] == from {
                out[at..at + from.len()].copy_from_slice(to);
            }
        }
        out
    };
    let forged = replace(&kept, b"idea", b"IDEA");
    assert_ne!(forged, kept);
    std::fs::write(&cache, &forged).unwrap();
    let used = build_to("forged", &[]);
    assert_ne!(cold, used, "the cache is used");
    assert!(text_of(&read(root, "out/forged/pilots/invoices/index.html")).contains("(from IDEA)"));
    // ... but not when another pilotdeck wrote it,
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let other: Vec<u8> = version.iter().map(|b| if b.is_ascii_digit() { b'9' } else { *b }).collect();
    assert_ne!(other, version);
    std::fs::write(&cache, replace(&forged, version, &other)).unwrap();
    assert_eq!(cold, build_to("other-pilotdeck", &[]));
    // or for another config (what a record reads as depends on it),
    std::fs::write(&cache, &forged).unwrap();
    let config = std::fs::read_to_string(root.join("pilotdeck.toml")).unwrap();
    std::fs::write(root.join("pilotdeck.toml"), format!("{config}stale_after_days = 15\n")).unwrap();
    let other = build_to("other-config", &[]);
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(other, build_to("other-config-cold", &[]));
    // or when it is not whole.
    let whole = std::fs::read(&cache).unwrap();
    std::fs::write(&cache, &whole[..whole.len() / 2]).unwrap();
    assert_eq!(other, build_to("cut", &[]));
}

#[test]
fn a_renamed_record_keeps_its_history() {
    let dir = repo();
    let root = dir.path();
    // Renamed as it was (the same blob).
    git(root, &["mv", "content/pilots/invoices.md", "content/pilots/invoice-matching.md"], "2026-03-09");
    git(root, &["commit", "-q", "-m", "Rename"], "2026-03-09");
    // Renamed and changed in one commit: followed by its title.
    git(root, &["mv", "content/pilots/invoice-matching.md", "content/pilots/invoices-ap.md"], "2026-03-10");
    let text = record("pilot", "2026-04-30", "2026-02-22", "resolved = 2026-03-02");
    commit(root, "content/pilots/invoices-ap.md", &text, "2026-03-10", "Rename and move the target");
    build_ok(root, &[]);
    assert!(!root.join("public/pilots/invoices/index.html").exists());
    let text = text_of(&read(root, "public/pilots/invoices-ap/index.html"));
    for needle in [
        "Renamed from invoices",
        "Renamed from invoice-matching",
        "Target date moved 30 days later, from 2026-03-01 to 2026-03-31",
        "Target date moved 30 days later, from 2026-03-31 to 2026-04-30",
        "“Schema review” re-planned 14 days later",
        "Target slips in all: 60 days",
    ] {
        assert!(text.contains(needle), "`{needle}` not in the renamed pilot's history:\n{text}");
    }
    assert!(!text.contains("Record removed"), "{text}");
    // One pilot all along in the weekly series.
    let v: serde_json::Value = serde_json::from_str(&read(root, "public/portfolio.json")).unwrap();
    assert!(v["weeks"].as_array().unwrap().iter().all(|w| w["pilots"].as_u64().unwrap() <= 1), "{}", v["weeks"]);
}

#[test]
fn a_generated_repository_may_have_fewer_commits_than_pilots() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    pilotdeck::synth::write_repo(&root, 30, 10, 8, 7).unwrap();
    let out = Command::new("git").current_dir(&root).args(["rev-list", "--count", "HEAD"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "10");
    let records = std::fs::read_dir(root.join("content/pilots")).unwrap().count();
    assert_eq!(records, 30);
    // The generator's records run to 2026-11-20.
    let run = common::pilotdeck(["--root".as_ref(), root.as_os_str(), "build".as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&read(&root, "public/portfolio.json")).unwrap();
    assert_eq!(v["weeks"].as_array().unwrap().last().unwrap()["pilots"], 30, "{}", v["weeks"]);
}

#[test]
fn the_board_pack_compares_with_the_chosen_date() {
    let dir = repo();
    commit(dir.path(), "content/pilots/claims.md", CLAIMS, "2026-03-09", "Claims triage");
    let config = "title = \"History\"\nboard_since = \"2026-02-01\"\n";
    std::fs::write(dir.path().join("pilotdeck.toml"), config).unwrap();
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/portfolio/index.html");
    let text = text_of(&html);
    assert!(text.contains("Each figure's change is counted from 2026-02-01 ( board_since in the config)"), "{text}");
    let figure = |label: &str| {
        let at = html.find(&format!("{label}</span>")).unwrap_or_else(|| panic!("no figure {label}"));
        text_of(&html[at..at + html[at..].find("</li>").unwrap()])
    };
    // On 2026-02-01: one pilot, its constraint due 2026-02-08, not overdue.
    assert!(figure("Pilots").contains("+1 since 2026-02-01"), "{}", figure("Pilots"));
    assert!(figure("Overdue constraints").contains("+1 since 2026-02-01"), "{}", figure("Overdue constraints"));
    // The home page keeps its four weeks.
    assert!(text_of(&read(dir.path(), "public/index.html")).contains("+1 in 4 weeks"));
    // Not a date: said, with the line.
    std::fs::write(dir.path().join("pilotdeck.toml"), "title = \"History\"\nboard_since = \"last week\"\n").unwrap();
    let run = common::build(dir.path(), &[]);
    assert!(run.stderr.contains("`board_since` cannot be `last week`"), "{}", run.stderr);
}

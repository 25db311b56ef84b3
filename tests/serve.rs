//! `serve` in-process on port 0: pages from memory, rebuild on edit, errors
//! over the last good page and cleared when fixed, deleted files gone,
//! traversal refused, only GET and HEAD; and `hook install`.

use crate::common;

use common::{pilotdeck, site, write};
use pilotdeck::pipeline::Options;
use pilotdeck::serve::{start, Handle, ServeOptions};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn record(title: &str, stage: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstage = \"{stage}\"\nowner = \"O\"\n[[updates]]\nweek = 2026-03-16\n+++\nBody.\n"
    )
}

fn serve(root: &Path) -> Handle {
    let site = Options {
        root: root.to_path_buf(),
        as_of: pilotdeck::date::Date::parse("2026-03-20").map(pilotdeck::config::AsOf::Date),
        ..Options::default()
    };
    start(ServeOptions { site, bind: "127.0.0.1".parse().unwrap(), port: 0, limits: Default::default() }).unwrap()
}

/// Sends a raw request; returns the status code and the body.
fn request(h: &Handle, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(h.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", h.addr).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Waits until a rebuild after `since` has happened.
fn rebuilt(h: &Handle, since: u64) {
    let start = Instant::now();
    while h.generation() == since {
        assert!(start.elapsed() < Duration::from_secs(10), "no rebuild within 10 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A `serve` session over a generated site of `pilots` records as of
/// `as_of`, built once; the folder and the site's root with it.
fn generated_session(
    pilots: usize,
    as_of: &str,
) -> (tempfile::TempDir, std::path::PathBuf, pilotdeck::serve::session::Session) {
    use pilotdeck::serve::session::{Change, Session};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("site");
    pilotdeck::synth::write_site(&root, pilots, 7).unwrap();
    let as_of = pilotdeck::date::Date::parse(as_of).map(pilotdeck::config::AsOf::Date);
    let mut s = Session::new(Options { root: root.clone(), as_of, ..Options::default() });
    s.rebuild(Change::Everything, &[]).unwrap();
    (dir, root, s)
}

/// The page at `path` as the session serves it.
fn served_page(s: &pilotdeck::serve::session::Session, path: &str) -> String {
    match s.served.get(path).unwrap().unwrap().as_ref() {
        pilotdeck::output::Content::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
        pilotdeck::output::Content::Copy(_) => panic!("a page is made, not copied"),
    }
}

#[test]
fn serves_rebuilds_and_shows_errors_over_the_last_good_page() {
    let dir =
        site(&[("content/pilots/a.md", &record("Alpha", "pilot")), ("content/pilots/b.md", &record("Beta", "idea"))]);
    let h = serve(dir.path());
    let (status, body) = request(&h, "GET", "/pilots/a/");
    assert_eq!(status, 200);
    assert!(body.contains(">Alpha</h1>") && body.contains("/__pilotdeck/live.js"));
    assert_eq!(request(&h, "GET", "/pilots/a").0, 301);
    assert_eq!(request(&h, "HEAD", "/").0, 200);

    // An edit shows up.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha two", "pilot"))]);
    rebuilt(&h, g);
    assert!(request(&h, "GET", "/pilots/a/").1.contains(">Alpha two</h1>"));

    // A bad edit keeps the last good page, with the errors over it.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha three", "pilott"))]);
    rebuilt(&h, g);
    let (status, body) = request(&h, "GET", "/pilots/a/");
    assert_eq!(status, 200);
    assert!(body.contains(">Alpha two</h1>"), "the last good page stays");
    assert!(
        body.contains("pilotdeck-errors")
            && body.contains("error[PD006]: unknown stage `pilott`\n --&gt; ")
            && body.contains("content/pilots/a.md:3:9\n"),
        "{body}"
    );

    // Fixed: the overlay clears by itself.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha four", "pilot"))]);
    rebuilt(&h, g);
    let body = request(&h, "GET", "/pilots/a/").1;
    assert!(body.contains(">Alpha four</h1>") && !body.contains("pilotdeck-errors"));

    // A deleted file disappears from the site.
    let g = h.generation();
    std::fs::remove_file(dir.path().join("content/pilots/b.md")).unwrap();
    rebuilt(&h, g);
    assert_eq!(request(&h, "GET", "/pilots/b/").0, 404);

    // A save by rename (write a temporary file, move it over) is seen too.
    let g = h.generation();
    std::fs::write(dir.path().join("content/pilots/.a.md.swp"), record("Alpha five", "pilot")).unwrap();
    std::fs::rename(dir.path().join("content/pilots/.a.md.swp"), dir.path().join("content/pilots/a.md")).unwrap();
    rebuilt(&h, g);
    assert!(request(&h, "GET", "/pilots/a/").1.contains(">Alpha five</h1>"));
}

#[test]
fn only_get_and_head_and_nothing_outside_the_site() {
    let dir = site(&[("content/pilots/a.md", &record("Alpha", "pilot"))]);
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    let h = serve(dir.path());
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pilots/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/pilots/..\\..\\secret.txt",
    ] {
        let (status, body) = request(&h, "GET", path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("secret"), "{path}");
    }
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        assert_eq!(request(&h, method, "/").0, 405, "{method}");
    }
}

#[test]
fn live_reload_events_follow_rebuilds() {
    let dir = site(&[("content/pilots/a.md", &record("Alpha", "pilot"))]);
    let h = serve(dir.path());
    let mut s = TcpStream::connect(h.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET /__pilotdeck/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", h.addr.port()).unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("text/event-stream"));
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha two", "pilot"))]);
    let mut seen = String::new();
    let start = Instant::now();
    while !seen.contains("event: reload") && start.elapsed() < Duration::from_secs(10) {
        let n = s.read(&mut buf).unwrap_or(0);
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("event: reload"), "{seen}");
}

#[test]
fn hook_install_refuses_to_overwrite_and_uninstalls() {
    let dir = site(&[("content/pilots/a.md", &record("Alpha", "pilot"))]);
    let root = dir.path().display().to_string();
    let git = |args: &[&str]| std::process::Command::new("git").arg("-C").arg(dir.path()).args(args).output().unwrap();
    git(&["init", "-q"]);
    let hook = dir.path().join(".git/hooks/post-commit");
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    let run = pilotdeck(["--root", &root, "hook", "install"]);
    assert_eq!(run.code, 2, "an existing hook is kept: {}", run.stderr);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), "#!/bin/sh\necho mine\n");
    assert_eq!(pilotdeck(["--root", &root, "hook", "install", "--force"]).code, 0);
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("site='.'") && text.contains("--root \"$site\" build"), "{text}");
    assert_eq!(pilotdeck(["--root", &root, "hook", "install"]).code, 0, "its own hook may be rewritten");
    assert_eq!(pilotdeck(["--root", &root, "hook", "uninstall"]).code, 0);
    assert!(!hook.exists());
}

#[test]
fn init_writes_ci_workflows() {
    let dir = tempfile::tempdir().unwrap();
    let gh = dir.path().join("gh");
    assert_eq!(pilotdeck(["init", &gh.display().to_string(), "--ci", "github"]).code, 0);
    let wf = std::fs::read_to_string(gh.join(".github/workflows/pilotdeck.yml")).unwrap();
    assert!(wf.contains("schedule:") && wf.contains("check --format github") && wf.contains("\" build"));
    let gl = dir.path().join("gl");
    assert_eq!(pilotdeck(["init", &gl.display().to_string(), "--ci", "gitlab"]).code, 0);
    let ci = std::fs::read_to_string(gl.join(".gitlab-ci.yml")).unwrap();
    assert!(ci.contains("pages:") && ci.contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"));
}

#[test]
fn pages_that_gather_across_records_follow_an_edit() {
    let dir = site(&[
        ("content/pilots/a.md", &record("Alpha", "pilot")),
        ("content/pilots/b.md", &record("Beta", "idea")),
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n"),
        ("content/playbook/x.md", "+++\ntitle = \"Scoping\"\n+++\nText.\n"),
    ]);
    let h = serve(dir.path());
    for path in ["/pilots/", "/", "/owners/o/", "/constraints/", "/portfolio.json", "/playbook/x/"] {
        assert_eq!(request(&h, "GET", path).0, 200, "{path}");
    }
    assert!(request(&h, "GET", "/pilots/").1.contains("Alpha"));

    // A record edit reaches the index, the home page, the exports and the
    // owner's page, though only the record's own page was made at once.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha renamed", "pilot"))]);
    rebuilt(&h, g);
    for path in ["/pilots/", "/", "/owners/o/", "/portfolio.json"] {
        let body = request(&h, "GET", path).1;
        assert!(body.contains("Alpha renamed"), "{path}: {body}");
    }
    // The other record's page is the same page as before.
    assert!(request(&h, "GET", "/pilots/b/").1.contains(">Beta</h1>"));

    // A new record, and a playbook edit, which pilot pages show.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/c.md", &record("Gamma", "pilot"))]);
    rebuilt(&h, g);
    assert!(request(&h, "GET", "/pilots/c/").1.contains(">Gamma</h1>"));
    assert!(request(&h, "GET", "/pilots/").1.contains("Gamma"));
    let g = h.generation();
    write(dir.path(), &[("content/playbook/x.md", "+++\ntitle = \"Scoping, again\"\n+++\nNew text.\n")]);
    rebuilt(&h, g);
    assert!(request(&h, "GET", "/playbook/x/").1.contains("New text."));

    // A record in a new folder (a bundle) is read too.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/d/index.md", &record("Delta", "pilot"))]);
    rebuilt(&h, g);
    let start = Instant::now();
    while request(&h, "GET", "/pilots/d/").0 != 200 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(request(&h, "GET", "/pilots/d/").1.contains(">Delta</h1>"));
}

#[test]
fn a_template_change_makes_everything_again() {
    let dir = site(&[("content/pilots/a.md", &record("Alpha", "pilot"))]);
    let h = serve(dir.path());
    assert_eq!(request(&h, "GET", "/pilots/a/").0, 200);
    let g = h.generation();
    write(dir.path(), &[("templates/pilot.html", "<html><body><p>custom {{ pilot.title }}</p></body></html>")]);
    rebuilt(&h, g);
    assert!(request(&h, "GET", "/pilots/a/").1.contains("custom Alpha"));
    // A broken template keeps the last good site, with the error over it.
    let g = h.generation();
    write(dir.path(), &[("templates/pilot.html", "<p>{{ pilot.title </p>")]);
    rebuilt(&h, g);
    let body = request(&h, "GET", "/pilots/a/").1;
    assert!(body.contains("custom Alpha") && body.contains("pilotdeck-errors"), "{body}");
}

/// After a record edit, `serve` keeps the pages of the other records as
/// they were made, makes the edited one again, drops the page of a removed
/// record. (A static file over a record's page is PD008: tests/addresses.rs.)
#[test]
fn a_record_edit_keeps_what_is_still_right() {
    use pilotdeck::output::Content;
    use pilotdeck::serve::session::{Change, Session};
    let dir = site(&[
        ("content/pilots/a.md", &record("Alpha", "pilot")),
        ("content/pilots/b.md", &record("Beta", "idea")),
        ("content/pilots/c.md", &record("Gamma", "idea")),
        ("static/img/logo.svg", "<svg/>"),
    ]);
    let text = |s: &Session, path: &str| match s.served.get(path).map(|r| r.unwrap()).as_deref() {
        Some(Content::Bytes(b)) => Some(String::from_utf8(b.clone()).unwrap()),
        Some(Content::Copy(from)) => Some(std::fs::read_to_string(from).unwrap()),
        None => None,
    };
    let mut s = Session::new(Options { root: dir.path().to_path_buf(), ..Options::default() });
    s.rebuild(Change::Everything, &[]).unwrap();
    let beta = s.served.get("pilots/b/index.html").unwrap().unwrap();
    assert_eq!(text(&s, "img/logo.svg").as_deref(), Some("<svg/>"));

    let a = dir.path().canonicalize().unwrap().join("content/pilots/a.md");
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha renamed", "pilot"))]);
    let rebuilt = s.rebuild(Change::Pilots, std::slice::from_ref(&a)).unwrap();
    assert_eq!((rebuilt.pilot_pages, rebuilt.errors), (1, None));
    assert!(text(&s, "pilots/a/index.html").unwrap().contains(">Alpha renamed</h1>"));
    assert!(Arc::ptr_eq(&beta, &s.served.get("pilots/b/index.html").unwrap().unwrap()), "Beta's page was made again");
    assert_eq!(text(&s, "img/logo.svg").as_deref(), Some("<svg/>"));

    let b = a.with_file_name("b.md");
    std::fs::remove_file(&b).unwrap();
    s.rebuild(Change::Pilots, &[b]).unwrap();
    assert_eq!(text(&s, "pilots/b/index.html"), None);
    assert!(text(&s, "pilots/a/index.html").unwrap().contains(">Alpha renamed</h1>"));
    assert_eq!(text(&s, "img/logo.svg").as_deref(), Some("<svg/>"));
}

#[test]
fn pages_kept_across_record_edits_follow_the_files_beside_them() {
    let dir = site(&[
        ("content/pilots/a.md", &record("Alpha", "pilot")),
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n"),
        ("content/playbook/x.md", "+++\ntitle = \"Scoping\"\n+++\nSee [the form](form.pdf).\n"),
    ]);
    let h = serve(dir.path());
    // The link's target is missing: an error over the page.
    assert!(request(&h, "GET", "/playbook/x/").1.contains("PD020"));
    // A record edit keeps the pages as they were made.
    let g = h.generation();
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha renamed", "pilot"))]);
    rebuilt(&h, g);
    assert!(request(&h, "GET", "/playbook/x/").1.contains("PD020"));
    // A new file beside the page: the page is made again and its link works.
    let g = h.generation();
    write(dir.path(), &[("content/playbook/form.pdf", "%PDF-1.4\n")]);
    rebuilt(&h, g);
    let body = request(&h, "GET", "/playbook/x/").1;
    assert!(!body.contains("PD020"), "{body}");
    assert!(body.contains("<a href=\"../form.pdf\">the form</a>"), "{body}");
    assert_eq!(request(&h, "GET", "/playbook/form.pdf").0, 200);
}

/// `serve` makes an edited record's page before any list needs the order
/// of every constraint, and counts that pilot's places in the library
/// instead: the page links each constraint to the same library page as the
/// page a build writes.
#[test]
fn an_edited_pilots_page_links_the_library_as_a_build_does() {
    use pilotdeck::serve::session::Change;
    // The generator's own as-of date: no record has a date after it.
    let (dir, root, mut s) = generated_session(300, "2026-11-20");
    // A record whose constraints are past the library's first page.
    let id = "pilot-00290";
    let file = root.join(format!("content/pilots/{id}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nEdited.\n")).unwrap();
    let rebuilt = s.rebuild(Change::Pilots, std::slice::from_ref(&file)).unwrap();
    assert_eq!((rebuilt.pilot_pages, rebuilt.errors), (1, None));
    let served = served_page(&s, &format!("pilots/{id}/index.html"));
    let out = dir.path().join("public");
    common::build_at(&root, "2026-11-20", &out);
    let built = std::fs::read_to_string(out.join(format!("pilots/{id}/index.html"))).unwrap();
    assert!(built.contains("constraints/page/"), "a link past the library's first page");
    assert_eq!(served, built);
}

/// Looking back (an as-of date before some records' later dates), an edit
/// to one record makes that record's page again, not the page of every
/// record that had a later date to leave out.
#[test]
fn looking_back_an_edit_remakes_the_edited_pilot_only() {
    use pilotdeck::serve::session::Change;
    let (_dir, root, mut s) = generated_session(120, "2026-09-01");
    let file = root.join("content/pilots/pilot-00010.md");
    let text = std::fs::read_to_string(&file).unwrap();
    for n in 0..2 {
        std::fs::write(&file, format!("{text}\nEdit {n}.\n")).unwrap();
        let rebuilt = s.rebuild(Change::Pilots, std::slice::from_ref(&file)).unwrap();
        assert_eq!((rebuilt.pilot_pages, rebuilt.errors), (1, None), "edit {n}");
    }
}

/// The pages made from the people and the decisions after an edit that
/// keeps them (a title) and after one that changes them (an owner, a
/// sponsor): the same bytes as a build's.
#[test]
fn people_pages_follow_an_edit_as_a_build_does() {
    use pilotdeck::serve::session::Change;
    let (dir, root, mut s) = generated_session(200, "2026-11-20");
    let file = root.join("content/pilots/pilot-00010.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let first_line = |key: &str, to: &str, text: &str| {
        let at = text.find(&format!("\n{key} = \"")).unwrap() + 1;
        let end = at + text[at..].find('\n').unwrap();
        format!("{}{key} = \"{to}\"{}", &text[..at], &text[end..])
    };
    let edits = [
        ("a title", first_line("title", "Renamed pilot", &original)),
        ("an owner", first_line("owner", "Zora Newname", &original)),
        ("a sponsor", first_line("sponsor", "Yuri Sponsor", &first_line("owner", "Zora Newname", &original))),
    ];
    for (n, (what, text)) in edits.iter().enumerate() {
        std::fs::write(&file, text).unwrap();
        let rebuilt = s.rebuild(Change::Pilots, std::slice::from_ref(&file)).unwrap();
        assert_eq!(rebuilt.errors, None, "{what}");
        let out = dir.path().join(format!("public-{n}"));
        common::build_at(&root, "2026-11-20", &out);
        let mut pages = vec!["owners/index.html".to_string(), "portfolio/decisions/index.html".to_string()];
        if n > 0 {
            pages.push("owners/zora-newname/index.html".into());
        }
        if n > 1 {
            pages.push("owners/yuri-sponsor/index.html".into());
        }
        for page in pages {
            let served = served_page(&s, &page);
            let built = std::fs::read_to_string(out.join(&page)).unwrap();
            assert!(served == built, "{page} after {what} differs from a build's");
        }
    }
}

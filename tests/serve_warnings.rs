//! `serve` shows what `check` shows: at start, the whole report (every
//! warning in full, the summary by rule, the totals); after each rebuild,
//! the totals and the warnings that are new, in full, not the old ones
//! again; and the error overlay counts errors and warnings as `check` does.

use crate::common;

use common::{command, parse_diagnostics, run, site, write, AS_OF};
use pilotdeck::pipeline::Options;
use pilotdeck::serve::session::{Change, Session};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A record at `pilot` whose last update is `week` (stale when long ago).
fn record(title: &str, week: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nstage = \"pilot\"\nowner = \"O\"\n[[updates]]\nweek = {week}\n+++\nBody.\n")
}

/// Two stale records (two warnings) and a fresh one.
fn warned() -> tempfile::TempDir {
    site(&[
        ("content/pilots/a.md", &record("Alpha", "2026-01-05")),
        ("content/pilots/b.md", &record("Beta", "2026-01-12")),
        ("content/pilots/c.md", &record("Gamma", "2026-03-16")),
    ])
}

fn session(root: &Path) -> Session {
    let as_of = pilotdeck::date::Date::parse(AS_OF).map(pilotdeck::config::AsOf::Date);
    Session::new(Options { root: root.to_path_buf(), as_of, ..Options::default() })
}

/// `s` without colour codes (the session colours its report when the
/// test's standard error is a terminal).
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once('m').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

fn headers(text: &str) -> Vec<String> {
    parse_diagnostics(text).into_iter().map(|d| d.header).collect()
}

#[test]
fn the_first_report_is_checks_and_a_rebuild_shows_only_new_warnings() {
    let dir = warned();
    let mut s = session(dir.path());
    let first = s.rebuild(Change::Everything, &[]).unwrap();
    assert_eq!(first.errors, None);
    // The same text as `check` run from the same folder.
    let check = run(command().arg("--root").arg(dir.path()).args(["check", "--as-of", AS_OF]));
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(plain(&first.report), check.stdout);
    assert_eq!(headers(&first.report).len(), 2, "{}", first.report);
    assert!(first.report.ends_with("PD015 stale: 2 warnings\n0 errors, 2 warnings\n"), "{}", first.report);

    // An edit that adds a warning: it alone is shown in full, then the totals.
    let c = dir.path().canonicalize().unwrap().join("content/pilots/c.md");
    write(dir.path(), &[("content/pilots/c.md", &record("Gamma", "2026-02-02"))]);
    let r = s.rebuild(Change::Pilots, std::slice::from_ref(&c)).unwrap();
    let shown = headers(&plain(&r.report));
    assert_eq!(shown.len(), 1, "{}", r.report);
    assert!(
        shown[0]
            .ends_with("content/pilots/c.md:2:9: warning: pilot `c` has had no update for 46 days (stale after 14)"),
        "{shown:?}"
    );
    assert!(plain(&r.report).ends_with("\n0 errors, 3 warnings\n"), "{}", r.report);

    // An edit above a warning moves it, but it is not new.
    write(dir.path(), &[("content/pilots/c.md", &format!("+++\n# moved\n{}", &record("Gamma", "2026-02-02")[4..]))]);
    let r = s.rebuild(Change::Pilots, std::slice::from_ref(&c)).unwrap();
    assert_eq!(plain(&r.report), "0 errors, 3 warnings\n");

    // A warning that goes away is counted no more.
    write(dir.path(), &[("content/pilots/c.md", &record("Gamma", "2026-03-16"))]);
    let r = s.rebuild(Change::Pilots, std::slice::from_ref(&c)).unwrap();
    assert_eq!(plain(&r.report), "0 errors, 2 warnings\n");
}

#[test]
fn the_overlay_counts_errors_and_warnings_as_check_does() {
    let dir = warned();
    let mut s = session(dir.path());
    s.rebuild(Change::Everything, &[]).unwrap();
    let a = dir.path().canonicalize().unwrap().join("content/pilots/a.md");
    write(dir.path(), &[("content/pilots/a.md", &record("Alpha", "2026-01-05").replace("\"pilot\"", "\"pilott\""))]);
    let r = s.rebuild(Change::Pilots, std::slice::from_ref(&a)).unwrap();
    let overlay = r.errors.unwrap();
    // The record with the unknown stage is not published, and not stale.
    let check = run(command().arg("--root").arg(dir.path()).args(["check", "--as-of", AS_OF]));
    assert_eq!(check.stdout.lines().last(), Some("1 error, 1 warning"));
    assert!(overlay.ends_with("1 error, 1 warning"), "{overlay}");
    assert!(overlay.contains("error[PD006]: unknown stage `pilott`\n --> "), "{overlay}");
    assert!(overlay.contains("content/pilots/a.md:3:9\n"), "{overlay}");
    // The terminal shows the error in full and the totals.
    assert!(plain(&r.report).ends_with("1 error, 1 warning\n"), "{}", r.report);
    assert_eq!(headers(&plain(&r.report)).len(), 1, "{}", r.report);
}

/// Lines of the server's standard error as they come.
struct Server {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    seen: String,
}

impl Server {
    fn start(root: &Path, home: &Path) -> Server {
        let mut child = command()
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0", "--as-of", AS_OF])
            .env("HOME", home)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                if tx.send(line.unwrap_or_default()).is_err() {
                    return;
                }
            }
        });
        Server { child, lines, seen: String::new() }
    }

    /// What was printed up to and with the first line that `done` accepts.
    fn until(&mut self, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut out = String::new();
        loop {
            let left = Duration::from_secs(20).saturating_sub(start.elapsed());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| panic!("waited 20 s; printed:\n{out}"));
            out.push_str(&line);
            out.push('\n');
            if done(&line) {
                self.seen.push_str(&out);
                return out;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_command_prints_the_warnings_at_start_and_the_new_ones_after_an_edit() {
    let dir = warned();
    let home = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), home.path());
    let start = server.until(|l| l.starts_with("serving http://"));
    assert_eq!(headers(&start).len(), 2, "{start}");
    assert!(start.contains("PD015 stale: 2 warnings\n0 errors, 2 warnings\nrebuilt in "), "{start}");
    let addr =
        start.lines().last().unwrap().trim_start_matches("serving http://").split('/').next().unwrap().to_string();

    write(dir.path(), &[("content/pilots/c.md", &record("Gamma", "2026-02-02"))]);
    let edit = server.until(|l| l.starts_with("rebuilt in ") || l.starts_with("the last edit"));
    let shown = headers(&edit);
    assert_eq!(shown.len(), 1, "{edit}");
    assert!(shown[0].contains("content/pilots/c.md:2:9: warning: pilot `c` has had no update"), "{edit}");
    assert!(edit.contains("\n0 errors, 3 warnings\nrebuilt in "), "{edit}");

    // A bad edit: the overlay counts the warnings too.
    write(dir.path(), &[("content/pilots/b.md", &record("Beta", "2026-01-12").replace("owner", "ownr"))]);
    let bad = server.until(|l| l.starts_with("rebuilt in ") || l.starts_with("the last edit"));
    assert!(bad.contains("error[PD002]: unknown key `ownr`") && bad.contains("1 error, 3 warnings\n"), "{bad}");
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut page = String::new();
    s.read_to_string(&mut page).unwrap();
    assert!(page.contains("pilotdeck-errors") && page.contains("1 error, 3 warnings"), "{page}");
    assert!(!page.contains("0 warnings"), "{page}");
}

//! Shared helpers for the integration tests: tiny sites in temporary
//! folders, the `pilotdeck` binary run on them, and its diagnostics read
//! back the way a user reads them.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The as-of date every test computes its figures for.
pub const AS_OF: &str = "2026-03-20";

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    /// The exit status (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The first line of standard error.
    pub fn first_line(&self) -> &str {
        self.stderr.lines().next().unwrap_or("")
    }

    /// Every diagnostic printed, in order: `check` prints them on standard
    /// output, `build` on standard error.
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut all = parse_diagnostics(&self.stdout);
        all.extend(parse_diagnostics(&self.stderr));
        all
    }

    /// The last line of standard error (the build's summary).
    pub fn last_line(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }
}

/// One printed diagnostic. It is printed the way rustc prints one
/// (`error[PD002]: message`, ` --> path:line:col`, the source line with a
/// caret, `= help: ...`, a `note: ...` with its own ` --> ` per related
/// place); read back here in one line each, `path:line:col: error: message`
/// and `path:line:col: note: message`, so that tests compare one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// `path:line:col: error: message`.
    pub header: String,
    /// The rule's code, `PD002`.
    pub code: String,
    /// The lines between the ` --> ` line and the help line (` |`, the
    /// source line, the caret line), as printed.
    pub snippet: Vec<String>,
    pub help: Option<String>,
    /// `path:line:col: note: message`, one per related place.
    pub notes: Vec<String>,
}

impl Diag {
    pub fn is_error(&self) -> bool {
        self.header.contains(": error: ")
    }
}

/// Splits standard error into diagnostics: blocks separated by blank lines
/// whose first line is `error[PD...]: message` or `warning[PD...]: message`.
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out = Vec::new();
    for block in stderr.split("\n\n") {
        let mut lines = block.lines().filter(|l| !l.is_empty());
        let Some((severity, code, message)) = lines.next().and_then(title) else {
            continue;
        };
        let at = lines.next().and_then(place).unwrap_or_default();
        let header = format!("{at}: {severity}: {message}");
        let mut d = Diag { header, code: code.to_string(), snippet: Vec::new(), help: None, notes: Vec::new() };
        let mut note: Option<&str> = None;
        for l in lines {
            if let Some(n) = note.take() {
                d.notes.push(format!("{}: note: {n}", place(l).unwrap_or_default()));
            } else if let Some(n) = l.strip_prefix("note: ") {
                note = Some(n);
            } else if let Some((_, h)) = l.split_once(" = help: ") {
                d.help = Some(h.to_string());
            } else if l.starts_with("error: ") || title(l).is_some() {
                // The build's summary line ends the last block.
                break;
            } else if d.help.is_none() && d.notes.is_empty() {
                d.snippet.push(l.to_string());
            }
        }
        out.push(d);
    }
    out
}

/// `error[PD002]: message` as (severity, code, message).
fn title(line: &str) -> Option<(&str, &str, &str)> {
    let (severity, rest) = line.split_once('[')?;
    let (code, message) = rest.split_once("]: ")?;
    let ok = matches!(severity, "error" | "warning") && code.starts_with("PD");
    ok.then_some((severity, code, message))
}

/// The `path:line:col` of a ` --> path:line:col` line.
fn place(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix("--> ")
}

/// A new temporary site holding `files` (path below the site root, text).
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    dir
}

/// Writes `files` below `root`, creating folders as needed.
pub fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        write_bytes(root, rel, text.as_bytes());
    }
}

pub fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, bytes).unwrap();
}

/// Runs `pilotdeck` with these arguments.
///
/// `check` is run in the site's folder (the `--root` given, when it is a
/// folder), as people run it: it prints paths from the working folder, so
/// they are then the site's own (`content/...`).
pub fn pilotdeck<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_os_string()).collect();
    let mut cmd = command();
    let root = args.windows(2).find(|w| w[0] == "--root").map(|w| PathBuf::from(&w[1]));
    if let Some(root) = root.filter(|r| r.is_absolute() && r.is_dir() && args.iter().any(|a| a == "check")) {
        cmd.current_dir(std::fs::canonicalize(root).unwrap());
    }
    run(cmd.args(args))
}

/// The `pilotdeck` binary as a command to add arguments, a folder or an
/// environment to (without colours).
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pilotdeck"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `cmd` to the end and keeps what it printed.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `pilotdeck --root DIR build --as-of 2026-03-20 EXTRA...`
pub fn build(root: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> =
        vec!["--root".into(), root.into(), "build".into(), "--as-of".into(), AS_OF.into()];
    args.extend(extra.iter().map(Into::into));
    pilotdeck(args)
}

/// Builds `root` into `out` as of `as_of` (a generated site is dated
/// around its own as-of date, not [`AS_OF`]), and fails the test unless
/// the build succeeded.
pub fn build_at(root: &Path, as_of: &str, out: &Path) -> Run {
    let run = pilotdeck(build_args(root, as_of, out));
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// `--root ROOT build --as-of AS_OF --output OUT`.
fn build_args<'a>(root: &'a Path, as_of: &'a str, out: &'a Path) -> [&'a std::ffi::OsStr; 7] {
    let os = std::ffi::OsStr::new;
    [os("--root"), root.as_os_str(), os("build"), os("--as-of"), os(as_of), os("--output"), out.as_os_str()]
}

/// The record files of the generated site at `root`, in file-name order.
pub fn record_files(root: &Path) -> Vec<PathBuf> {
    let mut all: Vec<_> = fs::read_dir(root.join("content/pilots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    all.sort();
    all
}

/// Builds and fails the test, with everything printed, unless it succeeded.
pub fn build_ok(root: &Path, extra: &[&str]) -> Run {
    let run = build(root, extra);
    assert_eq!(run.code, 0, "build should succeed\n--- stderr ---\n{}\n--- stdout ---\n{}", run.stderr, run.stdout);
    run
}

/// Every file below `dir`, by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(base, &p, out);
        } else {
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, fs::read(&p).unwrap());
        }
    }
}

pub fn read(root: &Path, rel: &str) -> String {
    let path = root.join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// HTML text with the entities a template engine writes turned back into
/// characters, so that tests can look for the words a reader sees.
pub fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The text of an HTML document: tags dropped, entities decoded, runs of
/// white space folded into one space.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = unescape(&out);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Minimal templates for every page kind, for tests that need a site to
/// build without depending on the built-in theme's markup.
pub const PLAIN_TEMPLATES: &[(&str, &str)] = &[
    ("templates/home.html", "<p>home: {{ title }}</p>\n"),
    ("templates/pilots.html", "<p>pilots: {{ title }}</p>\n"),
    ("templates/pilot.html", "<p>pilot: {{ title }}</p>\n"),
    ("templates/section.html", "<p>section: {{ title }}</p>\n"),
    ("templates/page.html", "<p>page: {{ title }}</p>\n"),
    ("templates/404.html", "<p>not found</p>\n"),
];

/// Runs the theme's `search.js` under Node: `node -e CODE search.js
/// ARGS...`, with `input` on standard input; its standard output, or `None`
/// (said on standard error) when node is not installed. Node failing fails
/// the test.
pub fn search_js(code: &str, args: &[&str], input: &str) -> Option<Vec<u8>> {
    use std::io::Write as _;
    use std::process::Stdio;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let child = Command::new("node")
        .arg("-e")
        .arg(code)
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: node is not installed, so search.js was not run");
            return None;
        }
        Err(e) => panic!("cannot run node: {e}"),
    };
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed:\n{}", String::from_utf8_lossy(&out.stderr));
    Some(out.stdout)
}

/// Builds `root` into `out` with the caches and memos below the site as
/// they are (`PILOTDECK_TIMINGS` set, for the counts it prints), then a
/// copy of the site with none into a fresh folder, and asserts that the
/// two outputs are the same, file for file.
pub fn build_compared(root: &Path, out: &Path, as_of: &str) -> Run {
    let run = run(command().env("PILOTDECK_TIMINGS", "1").args(build_args(root, as_of, out)));
    assert!(run.code == 0, "{}", run.stderr);
    let fresh = tempfile::tempdir().unwrap();
    let copy = fresh.path().join("site");
    copy_dir(root, &copy);
    let _ = fs::remove_dir_all(copy.join(".pilotdeck"));
    let clean = fresh.path().join("clean");
    build_at(&copy, as_of, &clean);
    let (a, b) = (snapshot(out), snapshot(&clean));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "`{path}` differs from a build from nothing");
    }
    run
}

/// The count a `timing: WHAT (N)` line of `stderr` gives.
pub fn counted(stderr: &str, what: &str) -> usize {
    let start = format!("timing: {what} (");
    stderr
        .lines()
        .find_map(|l| l.strip_prefix(start.as_str())?.split(')').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no `{what}` in {stderr}"))
}

/// Copies the folder `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

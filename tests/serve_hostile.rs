//! Issue 18, item 10: `serve` under attack. Forged `Host` headers are
//! refused (DNS rebinding); a link swapped into `static/` after the build
//! is not followed; idle connections, a full server and live-reload
//! streams are bounded and do not stop it answering; a port in use fails
//! before the first build; `base_url` and `theme` are checked (PD009).
//! Every server here listens on 127.0.0.1 only and is stopped at the end.

use crate::common;

use common::{pilotdeck, site, Run};
use pilotdeck::config::AsOf;
use pilotdeck::pipeline::Options;
use pilotdeck::serve::{start, Handle, Limits, ServeOptions};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const RECORD: &str =
    "+++\ntitle = \"Alpha\"\nstage = \"pilot\"\nowner = \"O\"\n[[updates]]\nweek = 2026-03-16\n+++\nBody.\n";

fn serve_with(root: &Path, limits: Limits) -> Handle {
    let site = Options {
        root: root.to_path_buf(),
        as_of: pilotdeck::date::Date::parse("2026-03-20").map(AsOf::Date),
        ..Options::default()
    };
    start(ServeOptions { site, bind: "127.0.0.1".parse().unwrap(), port: 0, limits }).unwrap()
}

fn serve(root: &Path) -> Handle {
    serve_with(root, Limits::default())
}

/// Sends `GET path` with this `Host` header (none when `None`); returns
/// the status code and the body.
fn get(addr: SocketAddr, path: &str, host: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    s.write_all(format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes()).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn ok(h: &Handle, path: &str) -> (u16, String) {
    get(h.addr, path, Some(&h.addr.to_string()))
}

#[test]
fn forged_host_headers_are_refused() {
    let dir = site(&[("content/pilots/a.md", RECORD)]);
    let h = serve(dir.path());
    let port = h.addr.port();
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("LocalHost:{port}")] {
        let (status, body) = get(h.addr, "/pilots/a/", Some(&host));
        assert_eq!(status, 200, "{host}");
        assert!(body.contains(">Alpha</h1>"));
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("10.0.0.1:{port}"),
        String::new(),
    ] {
        let (status, body) = get(h.addr, "/pilots/a/", Some(&host));
        assert_eq!(status, 403, "Host: {host}");
        assert!(!body.contains("Alpha"), "{host}");
    }
    // No Host header at all, and the live-reload stream with a forged one.
    assert_eq!(get(h.addr, "/", None).0, 403);
    assert_eq!(get(h.addr, "/__pilotdeck/events", Some("evil.example")).0, 403);
    h.stop();
}

/// The request for `path` gives `status` within 10 s of asking again
/// (a rebuild may be under way).
fn settles(h: &Handle, path: &str, want: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let start = Instant::now();
    loop {
        let (status, body) = ok(h, path);
        if want(status, &body) || start.elapsed() > Duration::from_secs(10) {
            return (status, body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[cfg(unix)]
fn a_link_swapped_into_static_is_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/b.txt"), "TOP-SECRET-TOO").unwrap();
    let dir = site(&[("content/pilots/a.md", RECORD), ("static/a.txt", "plain a"), ("static/sub/b.txt", "plain b")]);
    let root = dir.path();
    let h = serve(root);
    assert_eq!(ok(&h, "/a.txt"), (200, "plain a".to_string()));
    assert_eq!(ok(&h, "/sub/b.txt"), (200, "plain b".to_string()));

    // The file, then a folder on its way, swapped for links out of the site.
    std::fs::remove_file(root.join("static/a.txt")).unwrap();
    symlink(outside.path().join("secret.txt"), root.join("static/a.txt")).unwrap();
    std::fs::remove_dir_all(root.join("static/sub")).unwrap();
    symlink(outside.path().join("dir"), root.join("static/sub")).unwrap();
    // At once (before any rebuild) and for as long as the test watches.
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(1500) {
        for path in ["/a.txt", "/sub/b.txt"] {
            let (status, body) = ok(&h, path);
            assert!(!body.contains("TOP-SECRET"), "{path} served the file behind the link ({status})");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Pages still work.
    assert_eq!(settles(&h, "/pilots/a/", |s, _| s == 200).0, 200);
    h.stop();

    // `build` refuses a link out of the site, and writes none of it.
    let run =
        pilotdeck(["--root".as_ref(), root.as_os_str(), "build".as_ref(), "--as-of".as_ref(), "2026-03-20".as_ref()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("outside the site folder"), "{}", run.stderr);
    let public = root.join("public");
    if public.exists() {
        for (path, bytes) in common::snapshot(&public) {
            assert!(!String::from_utf8_lossy(&bytes).contains("TOP-SECRET"), "{path}");
        }
    }
}

#[test]
fn many_idle_connections_do_not_stop_a_request() {
    let dir = site(&[("content/pilots/a.md", RECORD)]);
    let h = serve(dir.path());
    // 100 connections that never send a whole request.
    let idle: Vec<TcpStream> = (0..100)
        .map(|i| {
            let mut s = TcpStream::connect(h.addr).unwrap();
            if i % 2 == 0 {
                s.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
            }
            s
        })
        .collect();
    let start = Instant::now();
    let (status, body) = ok(&h, "/pilots/a/");
    assert_eq!(status, 200);
    assert!(body.contains(">Alpha</h1>"));
    assert!(start.elapsed() < Duration::from_secs(5), "answered after {:?}", start.elapsed());
    drop(idle);
    h.stop();
}

/// Reads what the server sends until it closes the connection (or 10 s).
fn read_all(mut s: TcpStream) -> String {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text
}

#[test]
fn a_full_server_answers_503_and_recovers() {
    let dir = site(&[("content/pilots/a.md", RECORD)]);
    let limits = Limits { connections: 4, idle: Duration::from_secs(2), ..Limits::default() };
    let h = serve_with(dir.path(), limits);
    // Four connections that say nothing fill the server ...
    let idle: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(h.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    // ... so the fifth is told at once to come back.
    let start = Instant::now();
    let (status, body) = ok(&h, "/pilots/a/");
    assert_eq!(status, 503, "{body}");
    assert!(start.elapsed() < Duration::from_secs(2));
    // The idle ones are cut off after 2 s, and the server answers again.
    for s in idle {
        assert!(read_all(s).contains("400 Bad Request"));
    }
    assert_eq!(settles(&h, "/pilots/a/", |s, _| s == 200).0, 200);
    h.stop();
}

#[test]
fn live_reload_streams_are_bounded_in_number_and_time() {
    let dir = site(&[("content/pilots/a.md", RECORD)]);
    let limits = Limits { connections: 4, events: 2, events_for: Duration::from_secs(2), ..Limits::default() };
    let h = serve_with(dir.path(), limits);
    let open = |h: &Handle| {
        let mut s = TcpStream::connect(h.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET /__pilotdeck/events HTTP/1.1\r\nHost: {}\r\n\r\n", h.addr).unwrap();
        let mut buf = [0u8; 256];
        let n = s.read(&mut buf).unwrap();
        (s, String::from_utf8_lossy(&buf[..n]).into_owned())
    };
    let (a, first) = open(&h);
    let (b, second) = open(&h);
    assert!(first.contains("text/event-stream") && second.contains("text/event-stream"));
    let (_, third) = open(&h);
    assert!(third.starts_with("HTTP/1.1 503 "), "{third}");
    // Open streams do not take the room of ordinary requests (4 here).
    for _ in 0..6 {
        assert_eq!(ok(&h, "/pilots/a/").0, 200);
    }
    // Each stream ends by itself after 2 s (the browser opens a new one).
    let start = Instant::now();
    read_all(a);
    read_all(b);
    assert!(start.elapsed() < Duration::from_secs(6), "streams open for {:?}", start.elapsed());
    let (_, again) = open(&h);
    assert!(again.contains("text/event-stream"), "{again}");
    h.stop();
}

#[test]
fn a_port_in_use_fails_at_once_before_building() {
    let dir = site(&[("content/pilots/a.md", RECORD)]);
    let home = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let start = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pilotdeck"))
        .arg("--root")
        .arg(dir.path())
        .args(["serve", "--bind", "127.0.0.1", "--port", &port, "--as-of", "2026-03-20"])
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = status.unwrap_or_else(|| panic!("still serving after 20 s:\n{stderr}"));
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    assert!(!stderr.contains("rebuilt"), "it built first:\n{stderr}");
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
    assert!(!dir.path().join("public").exists());
    drop(taken);
}

fn check(root: &Path) -> Run {
    pilotdeck(["--root".as_ref(), root.as_os_str(), "check".as_ref(), "--format".as_ref(), "json".as_ref()])
}

#[test]
fn base_url_must_be_http_or_a_path() {
    for bad in ["javascript:alert(1)", "ftp://files.example", "//evil.example", "http://", "https://a b", "data:,x"] {
        let dir = site(&[("pilotdeck.toml", &format!("base_url = \"{bad}\"\n")), ("content/pilots/a.md", RECORD)]);
        let run = check(dir.path());
        assert_eq!(run.code, 1, "{bad}: {}", run.stderr);
        let line = run.stdout.lines().find(|l| l.contains("PD009")).unwrap_or_else(|| panic!("{bad}: {}", run.stdout));
        assert!(line.contains("base_url") && line.contains("https://pilots.example.com"), "{line}");
        // The build stops too, and --base-url is held to the same rule.
        let run = pilotdeck([
            "--root".as_ref(),
            dir.path().as_os_str(),
            "build".as_ref(),
            "--as-of".as_ref(),
            "2026-03-20".as_ref(),
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(!dir.path().join("public").exists());
        let plain = site(&[("content/pilots/a.md", RECORD)]);
        let run = pilotdeck([
            "--root".as_ref(),
            plain.path().as_os_str(),
            "build".as_ref(),
            "--base-url".as_ref(),
            bad.as_ref(),
        ]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("PD009"), "{}", run.stderr);
    }
    for good in ["", "/", "/ai", "https://intranet.example/ai/", "HTTP://intranet.example:8080"] {
        let dir = site(&[("pilotdeck.toml", &format!("base_url = \"{good}\"\n")), ("content/pilots/a.md", RECORD)]);
        let run = check(dir.path());
        assert!(!run.stdout.contains("PD009"), "{good}: {}", run.stdout);
    }
}

#[test]
fn theme_must_be_a_folder_name_under_themes() {
    for bad in ["../outside", "..", ".", "/etc", "a/b", "a\\\\b", "C:x", ""] {
        let dir = site(&[("pilotdeck.toml", &format!("theme = \"{bad}\"\n")), ("content/pilots/a.md", RECORD)]);
        std::fs::create_dir_all(dir.path().join("themes/a/b")).unwrap();
        let run = check(dir.path());
        assert_eq!(run.code, 1, "{bad}: {}", run.stderr);
        let line = run.stdout.lines().find(|l| l.contains("PD009")).unwrap_or_else(|| panic!("{bad}: {}", run.stdout));
        assert!(line.contains("theme") && line.contains("themes/"), "{line}");
    }
    let dir = site(&[
        ("pilotdeck.toml", "theme = \"plain\"\n"),
        ("content/pilots/a.md", RECORD),
        ("themes/plain/static/theme.txt", "from the theme"),
    ]);
    assert!(!check(dir.path()).stdout.contains("PD009"));
    common::build_ok(dir.path(), &[]);
    assert_eq!(common::read(dir.path(), "public/theme.txt"), "from the theme");
}

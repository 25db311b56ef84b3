//! A small HTTP/1.1 server for `serve`: the site from memory, GET and HEAD
//! only, nothing outside the site, live reload over server-sent events, and
//! the build's errors shown over the last good page. It answers only
//! requests whose `Host` is its own address (DNS rebinding), reads static
//! files without following links, and bounds what it takes on: threads,
//! the time a request may take to arrive, and live-reload streams.

use super::Shared;
use crate::output::Content;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LIVE_JS: &str = r#"(function () {
  var source = new EventSource("/__pilotdeck/events");
  source.addEventListener("reload", function () { window.location.reload(); });
})();
"#;

/// How much the server takes on at once, and for how long.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections being read or answered at once; one more is answered
    /// 503 by the accepting thread.
    pub connections: usize,
    /// Open live-reload (server-sent events) connections; one more is 503.
    pub events: usize,
    /// How long a connection may take to send its request, and a reader
    /// to take an answer.
    pub idle: Duration,
    /// How long a live-reload connection stays open (the browser opens a
    /// new one by itself).
    pub events_for: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { connections: 128, events: 64, idle: Duration::from_secs(10), events_for: Duration::from_secs(600) }
    }
}

/// Which `Host` headers the server answers: the names of the address it is
/// bound to, with its port. A page on another site whose name was made to
/// point at this machine (DNS rebinding) sends its own name, and is
/// refused.
#[derive(Debug, Clone)]
pub struct Hosts {
    ip: IpAddr,
    port: u16,
}

impl Hosts {
    pub fn new(addr: SocketAddr) -> Hosts {
        Hosts { ip: addr.ip(), port: addr.port() }
    }

    /// Whether a request with this `Host` header is for this server:
    /// `localhost`, `127.0.0.1` or `[::1]` on a loopback address, the bound
    /// address itself, and any address on an unspecified one (`0.0.0.0`);
    /// with this server's port, or without a port when it is 80. No other
    /// name is answered: a name is what a rebinding attack controls, an
    /// address is not.
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]:1111`, `localhost:1111`; a bare IPv6 address has
            // colons but no brackets and is not a valid Host.
            Some((n, p)) if n.ends_with(']') || !n.contains(':') => (n, p.parse::<u16>().ok()),
            Some(_) => return false,
            None => (host, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return self.ip.is_loopback() || self.ip.is_unspecified();
        }
        let bare = name.strip_prefix('[').and_then(|n| n.strip_suffix(']'));
        let ip = match bare {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().map(IpAddr::V6),
            None => name.parse::<std::net::Ipv4Addr>().map(IpAddr::V4),
        };
        match ip {
            Ok(ip) => ip == self.ip || (self.ip.is_loopback() && ip.is_loopback()) || self.ip.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// What the connection threads share.
struct Server {
    shared: Arc<Shared>,
    limits: Limits,
    hosts: Hosts,
    connections: AtomicUsize,
    events: AtomicUsize,
}

/// Accepts connections until the listener fails: each on a thread of its
/// own, at most [`Limits::connections`] at once. A connection beyond the
/// limit, or one whose thread cannot be started, is answered 503 and
/// closed; the accepting goes on.
pub(super) fn serve(listener: TcpListener, shared: Arc<Shared>, limits: Limits) {
    serve_with(listener, shared, limits, |work| {
        std::thread::Builder::new().name("pilotdeck-http".into()).spawn(work).map(drop)
    });
}

type Work = Box<dyn FnOnce() + Send + 'static>;

/// [`serve`] with the way threads are started (a test makes it fail).
fn serve_with(listener: TcpListener, shared: Arc<Shared>, limits: Limits, spawn: impl Fn(Work) -> std::io::Result<()>) {
    let hosts = Hosts::new(listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0))));
    let server =
        Arc::new(Server { shared, limits, hosts, connections: AtomicUsize::new(0), events: AtomicUsize::new(0) });
    for stream in listener.incoming() {
        if server.shared.stopped.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else {
            // Out of file descriptors, say: wait for some to close.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if server.connections.fetch_add(1, Ordering::SeqCst) >= server.limits.connections {
            server.connections.fetch_sub(1, Ordering::SeqCst);
            busy(&mut stream);
            continue;
        }
        // Handed to the thread, or kept here to answer when none starts.
        let slot = Arc::new(Mutex::new(Some(stream)));
        let theirs = Arc::clone(&slot);
        let s = Arc::clone(&server);
        let started = spawn(Box::new(move || {
            let stream = theirs.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(stream) = stream {
                let _ = handle(stream, &s);
            }
            s.connections.fetch_sub(1, Ordering::SeqCst);
        }));
        if started.is_err() {
            server.connections.fetch_sub(1, Ordering::SeqCst);
            let stream = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(mut stream) = stream {
                busy(&mut stream);
            }
        }
    }
}

/// 503 for a connection the server has no room for, written without
/// waiting long on the client. The request is read first if it comes
/// within 100 ms: closing a connection with its request unread resets it,
/// and the client may lose the answer.
fn busy(stream: &mut TcpStream) {
    let mut request =
        BufReader::new(Deadline { stream, at: Instant::now() + Duration::from_millis(100) }.take(16 * 1024));
    let mut line = String::new();
    while request.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" && line != "\n" {
        line.clear();
    }
    let _ = stream.set_write_timeout(Some(Duration::from_millis(500)));
    let _ = respond(
        stream,
        "503 Service Unavailable",
        &[("Retry-After", "1".into()), ("Content-Type", "text/plain; charset=utf-8".into())],
        b"pilotdeck serve is busy: try again",
        false,
    );
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

struct Request {
    method: String,
    path: String,
    host: Option<String>,
}

/// Reads the request line and headers, all within `idle` (a client that
/// trickles its headers in is cut off too).
fn read_request(stream: &TcpStream, idle: Duration) -> Option<Request> {
    let mut reader = BufReader::new(Deadline { stream, at: Instant::now() + idle }.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut host = None;
    loop {
        let mut header = String::new();
        let n = reader.read_line(&mut header).ok()?;
        if n == 0 || header == "\r\n" || header == "\n" {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.trim().eq_ignore_ascii_case("host") {
                host = Some(v.trim().to_string());
            }
        }
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Some(Request { method, path, host })
}

/// A stream whose reads fail once the deadline has passed (each read waits
/// at most until then).
struct Deadline<'a> {
    stream: &'a TcpStream,
    at: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn handle(mut stream: TcpStream, server: &Arc<Server>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(server.limits.idle))?;
    stream.set_write_timeout(Some(server.limits.idle))?;
    let shared = &*server.shared;
    let Some(req) = read_request(&stream, server.limits.idle) else {
        return respond(&mut stream, "400 Bad Request", &[], b"bad request", false);
    };
    if !req.host.as_deref().is_some_and(|h| server.hosts.allows(h)) {
        // The header is not echoed: it is the requester's text.
        let body = format!(
            "pilotdeck serve answers requests for http://{}/ only: the Host header names another site",
            SocketAddr::new(server.hosts.ip, server.hosts.port),
        );
        return respond(
            &mut stream,
            "403 Forbidden",
            &[("Content-Type", "text/plain; charset=utf-8".into())],
            body.as_bytes(),
            false,
        );
    }
    let head = req.method == "HEAD";
    if req.method != "GET" && !head {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            &[("Allow", "GET, HEAD".into())],
            b"only GET and HEAD",
            false,
        );
    }
    match req.path.as_str() {
        "/__pilotdeck/events" => return events(stream, server),
        "/__pilotdeck/live.js" => {
            return respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "text/javascript".into())],
                LIVE_JS.as_bytes(),
                head,
            )
        }
        _ => {}
    }
    let (site, errors) = {
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        (Arc::clone(&state.site), state.errors.clone())
    };
    let Some(key) = site_path(&req.path) else {
        return not_found(&mut stream, &site, errors.as_deref(), head);
    };
    let page = if key.is_empty() || req.path.ends_with('/') { crate::urls::file_of_page(&key) } else { key.clone() };
    match site.get(&page) {
        Some(Ok(content)) => return send(&mut stream, "200 OK", &page, &content, errors.as_deref(), head),
        Some(Err(e)) => {
            let body = inject(b"<!doctype html><title>Not built</title><body></body>", Some(&e));
            return respond(
                &mut stream,
                "500 Internal Server Error",
                &[("Content-Type", "text/html; charset=utf-8".into())],
                &body,
                head,
            );
        }
        None => {}
    }
    if site.contains(&crate::urls::file_of_page(&key)) {
        return respond(&mut stream, "301 Moved Permanently", &[("Location", format!("{}/", req.path))], b"", head);
    }
    not_found(&mut stream, &site, errors.as_deref(), head)
}

/// The output path for a request path, or `None` when the path would leave
/// the site (`..`, encoded or not, backslashes, NUL) or is not valid UTF-8.
/// Decoded by the `percent-encoding` crate, once: a `%` not followed by
/// two hex digits stays as it is (as browsers read it), and `%252e` is the
/// name `%2e`, never `.`.
pub fn site_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, and the errors over the page when there are any.
fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let mut extra = String::from("<script src=\"/__pilotdeck/live.js\"></script>");
    if let Some(e) = errors {
        extra.push_str(&format!(
            "<div id=\"pilotdeck-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:9999;overflow:auto;background:rgba(20,24,31,.97);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace\"><h2 style=\"color:#ff8a80;margin-top:0\">The last edit did not build</h2><p>The page behind this is the last good build. Fix the file and save: this clears by itself.</p><pre style=\"white-space:pre-wrap;background:#0b0e13;color:#f1f3f5;border:1px solid #ff8a80;padding:1rem;margin:0\">{}</pre></div>",
            crate::escape::escaped(e)
        ));
    }
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn send(
    stream: &mut TcpStream,
    status: &str,
    path: &str,
    content: &Content,
    errors: Option<&str>,
    head: bool,
) -> std::io::Result<()> {
    let bytes = match content {
        Content::Bytes(b) => b.clone(),
        // Read without following a link swapped in since the build.
        Content::Copy(from) => match crate::nofollow::read(from) {
            Ok(b) => b,
            Err(_) => return respond(stream, "404 Not Found", &[], b"not found", head),
        },
    };
    let body = if path.ends_with(".html") { inject(&bytes, errors) } else { bytes };
    respond(
        stream,
        status,
        &[("Content-Type", content_type(path).into()), ("Cache-Control", "no-store".into())],
        &body,
        head,
    )
}

fn not_found(stream: &mut TcpStream, site: &super::Served, errors: Option<&str>, head: bool) -> std::io::Result<()> {
    match site.get(crate::urls::NOT_FOUND) {
        Some(Ok(c)) => send(stream, "404 Not Found", crate::urls::NOT_FOUND, &c, errors, head),
        _ => {
            let body = inject(b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>", errors);
            respond(stream, "404 Not Found", &[("Content-Type", "text/html; charset=utf-8".into())], &body, head)
        }
    }
}

/// Server-sent events: `reload` after every rebuild, a comment now and then
/// to notice closed connections. At most [`Limits::events`] at once, each
/// for at most [`Limits::events_for`]; it stops counting as a connection
/// being answered.
fn events(mut stream: TcpStream, server: &Server) -> std::io::Result<()> {
    if server.events.fetch_add(1, Ordering::SeqCst) >= server.limits.events {
        server.events.fetch_sub(1, Ordering::SeqCst);
        busy(&mut stream);
        return Ok(());
    }
    server.connections.fetch_sub(1, Ordering::SeqCst);
    let result = event_stream(stream, server);
    server.connections.fetch_add(1, Ordering::SeqCst);
    server.events.fetch_sub(1, Ordering::SeqCst);
    result
}

fn event_stream(mut stream: TcpStream, server: &Server) -> std::io::Result<()> {
    let shared = &*server.shared;
    let until = Instant::now() + server.limits.events_for;
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n: connected\n\n")?;
    stream.flush()?;
    let mut seen = shared.state.lock().unwrap_or_else(|e| e.into_inner()).generation;
    while Instant::now() < until {
        let wait = until.saturating_duration_since(Instant::now()).min(Duration::from_secs(15));
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) =
            shared.changed.wait_timeout_while(state, wait, |s| s.generation == seen).unwrap_or_else(|e| e.into_inner());
        let now = state.generation;
        drop(state);
        if now != seen {
            seen = now;
            stream.write_all(format!("event: reload\ndata: {now}\n\n").as_bytes())?;
        } else {
            stream.write_all(b": ping\n\n")?;
        }
        stream.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_the_bound_address_only() {
        let lo = Hosts::new("127.0.0.1:1111".parse().unwrap());
        for ok in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111", "[::1]:1111", "127.0.0.2:1111"] {
            assert!(lo.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1:2222",
            "localhost",
            "127.0.0.1",
            "",
            "[::1]",
            "::1:1111",
            "10.0.0.1:1111",
            "127.0.0.1:1111:1111",
            "127.1:1111",
        ] {
            assert!(!lo.allows(bad), "{bad}");
        }
        let on_80 = Hosts::new("127.0.0.1:80".parse().unwrap());
        assert!(on_80.allows("localhost") && on_80.allows("127.0.0.1:80") && !on_80.allows("evil.example"));
        let lan = Hosts::new("192.0.2.7:1111".parse().unwrap());
        assert!(lan.allows("192.0.2.7:1111"));
        assert!(!lan.allows("localhost:1111") && !lan.allows("127.0.0.1:1111") && !lan.allows("evil:1111"));
        let any = Hosts::new("0.0.0.0:1111".parse().unwrap());
        assert!(any.allows("192.0.2.7:1111") && any.allows("localhost:1111") && !any.allows("pilots.evil:1111"));
    }

    /// A thread that cannot be started costs its connection a 503, not the
    /// server: the next connection is answered.
    #[test]
    fn a_thread_that_cannot_start_does_not_stop_the_server() {
        use std::sync::atomic::AtomicBool;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            state: std::sync::Mutex::new(super::super::State {
                site: Arc::new(super::super::site::Served::empty()),
                errors: None,
                generation: 0,
            }),
            changed: std::sync::Condvar::new(),
            stopped: Default::default(),
        });
        let fail = Arc::new(AtomicBool::new(true));
        let flip = Arc::clone(&fail);
        std::thread::spawn(move || {
            serve_with(listener, shared, Limits::default(), move |work| {
                // Every other thread fails to start.
                if flip.fetch_xor(true, Ordering::SeqCst) {
                    Err(std::io::Error::other("no more threads"))
                } else {
                    std::thread::Builder::new().spawn(work).map(drop)
                }
            })
        });
        let get = || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            s.write_all(b"GET /nothing HTTP/1.1\r\nHost: 127.0.0.1:").unwrap();
            s.write_all(format!("{}\r\n\r\n", addr.port()).as_bytes()).unwrap();
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            text
        };
        for _ in 0..3 {
            assert!(get().starts_with("HTTP/1.1 503 "));
            assert!(get().starts_with("HTTP/1.1 404 "));
        }
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/pilots/a/").as_deref(), Some("pilots/a"));
        assert_eq!(site_path("/a%20b").as_deref(), Some("a b"));
        assert_eq!(site_path("/%C3%A9t%C3%A9").as_deref(), Some("\u{e9}t\u{e9}"));
        // Decoded once; a malformed escape is a literal `%`.
        assert_eq!(site_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
        assert_eq!(site_path("/%zz").as_deref(), Some("%zz"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "/a%5C..%5Cb",
            "etc",
            "/%00",
            "/%ff",
            "/%C3",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}

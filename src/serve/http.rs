//! A small HTTP/1.1 server for `serve`: the site from memory, GET and HEAD
//! only, nothing outside the site, live reload over server-sent events, and
//! the build's errors shown over the last good page.

use super::Shared;
use crate::output::Content;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

const LIVE_JS: &str = r#"(function () {
  var source = new EventSource("/__pilotdeck/events");
  source.addEventListener("reload", function () { window.location.reload(); });
})();
"#;

/// Accepts connections until the listener fails; one thread per connection.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
}

struct Request {
    method: String,
    path: String,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    loop {
        let mut header = String::new();
        let n = reader.read_line(&mut header).ok()?;
        if n == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Some(Request { method, path })
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

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(req) = read_request(&stream) else {
        return respond(&mut stream, "400 Bad Request", &[], b"bad request", false);
    };
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
        "/__pilotdeck/events" => return events(stream, shared),
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
    let page = if key.is_empty() || req.path.ends_with('/') {
        format!("{key}{}index.html", if key.is_empty() { "" } else { "/" })
    } else {
        key.clone()
    };
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
    if site.contains(&format!("{key}/index.html")) {
        return respond(&mut stream, "301 Moved Permanently", &[("Location", format!("{}/", req.path))], b"", head);
    }
    not_found(&mut stream, &site, errors.as_deref(), head)
}

/// The output path for a request path, or `None` when the path would leave
/// the site (`..`, encoded or not, backslashes, NUL) or is not valid UTF-8.
pub fn site_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
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

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
        Content::Copy(from) => std::fs::read(from).unwrap_or_default(),
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
    match site.get("404.html") {
        Some(Ok(c)) => send(stream, "404 Not Found", "404.html", &c, errors, head),
        _ => {
            let body = inject(b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>", errors);
            respond(stream, "404 Not Found", &[("Content-Type", "text/html; charset=utf-8".into())], &body, head)
        }
    }
}

/// Server-sent events: `reload` after every rebuild, a comment now and then
/// to notice closed connections.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n")?;
    stream.flush()?;
    let mut seen = shared.state.lock().unwrap_or_else(|e| e.into_inner()).generation;
    loop {
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) = shared
            .changed
            .wait_timeout_while(state, Duration::from_secs(15), |s| s.generation == seen)
            .unwrap_or_else(|e| e.into_inner());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/pilots/a/").as_deref(), Some("pilots/a"));
        assert_eq!(site_path("/a%20b").as_deref(), Some("a b"));
        for bad in ["/../etc/passwd", "/%2e%2e/x", "/a/%2E%2E/%2e%2e/x", "/a\\..\\b", "etc", "/%00", "/%zz", "/%ff"] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}

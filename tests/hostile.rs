//! Hostile and broken input: script payloads in every field, traversal in
//! ids, links and `--output`, encodings, links that loop, empty and large
//! files, many files; each gives diagnostics or safe output.

use crate::common;

use common::{build, build_ok, pilotdeck, site, snapshot, write_bytes};

const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>\\\"'><svg onload=alert(3)>";

#[test]
fn script_payloads_in_every_field_are_escaped_or_removed() {
    let front = format!(
        "title = \"{x}\"\nsummary = \"{x}\"\nstage = \"bridge\"\nfunction = \"{x}\"\nowner = \"{x}\"\nchampion = \"{x}\"\nsponsor = \"{x}\"\nsuccess = \"{x}\"\ntags = [\"{x}\"]\n\
         [readiness.technical]\nlatency = \"{x}\"\nmonitoring = \"javascript:alert(4)\"\n\
         [[integration]]\nsystem = \"{x}\"\nnotes = \"{x}\"\n\
         [[constraints]]\ntitle = \"{x}\"\ncategory = \"data\"\nowner = \"{x}\"\ndue = 2026-03-01\nimpact = \"{x}\"\n\
         [[updates]]\nweek = 2026-03-16\ncompleted = \"{x}\"\nblocker = \"{x}\"\nrisk = \"{x}\"\nescalation = \"{x}\"\n",
        x = XSS
    );
    let record = format!("+++\n{front}+++\n{}\n\n[click](javascript:alert(5))\n\n<a href=\"javascript:alert(6)\" onclick=\"alert(7)\">x</a>\n\n## Lessons learned\n\n<iframe src=\"https://evil.example\"></iframe>\n", XSS.replace("\\\"", "\""));
    let page = format!("+++\ntitle = \"{XSS}\"\ndescription = \"{XSS}\"\n+++\n<script>alert(8)</script>\n");
    let dir = site(&[("content/pilots/x.md", &record), ("content/playbook/p.md", &page)]);
    build_ok(dir.path(), &[]);
    let files = snapshot(&dir.path().join("public"));
    assert!(files.len() > 10);
    for (path, bytes) in &files {
        if !(path.ends_with(".html") || path.ends_with(".svg") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        // Escaped text may still read "onerror=": what must not appear is
        // markup that a browser would run.
        for bad in [
            "<script>alert",
            "<img src=x onerror",
            "<svg onload",
            "onclick=\"",
            "href=\"javascript:",
            "src=\"javascript:",
            "<iframe",
        ] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
    // The text is still there, escaped.
    let pilot = String::from_utf8_lossy(&files["pilots/x/index.html"]).into_owned();
    assert!(pilot.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn output_may_not_be_the_site_or_its_content() {
    let dir = site(&[("content/pilots/a.md", "+++\ntitle = \"A\"\nstage = \"idea\"\n+++\n")]);
    let root = dir.path().display().to_string();
    for out in [root.clone(), format!("{root}/content"), format!("{root}/content/pilots"), format!("{root}/..")] {
        let run = pilotdeck(["--root", &root, "build", "--as-of", "2026-03-20", "--output", &out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("choose a folder such as `public`"), "{}", run.stderr);
    }
    assert!(dir.path().join("content/pilots/a.md").exists(), "content is untouched");
}

#[test]
fn links_and_playbook_fields_cannot_leave_the_site() {
    let dir = site(&[(
        "content/pilots/a.md",
        "+++\ntitle = \"A\"\nstage = \"pilot\"\nowner = \"O\"\n[[constraints]]\ntitle = \"C\"\nowner = \"O\"\ndue = 2026-04-01\nplaybook = \"../../../etc/passwd\"\n[[updates]]\nweek = 2026-03-16\n+++\n[up](../../../../etc/passwd)\n",
    )]);
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 1);
    let headers: Vec<String> = run.diagnostics().into_iter().map(|d| d.header).collect();
    assert_eq!(
        headers,
        [
            "content/pilots/a.md:9:12: error: `playbook` names `../../../etc/passwd`, which is not a page",
            "content/pilots/a.md:13:1: error: the link `../../../../etc/passwd` leads outside the site",
        ]
    );
}

#[test]
fn encodings_loops_empty_and_large_files() {
    let dir = site(&[("content/pilots/crlf.md", "+++\r\ntitle = \"Crlf\"\r\nstage = \"idea\"\r\n+++\r\nBody\r\n")]);
    write_bytes(dir.path(), "content/pilots/bom.md", b"\xef\xbb\xbf+++\ntitle = \"Bom\"\nstage = \"idea\"\n+++\n");
    let big = format!("+++\ntitle = \"Big\"\n+++\n{}", "A paragraph of text that goes on. ".repeat(150_000));
    std::fs::create_dir_all(dir.path().join("content/playbook")).unwrap();
    std::fs::write(dir.path().join("content/playbook/big.md"), big).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", dir.path().join("content/playbook/loop")).unwrap();
    build_ok(dir.path(), &[]);
    assert!(dir.path().join("public/pilots/bom/index.html").exists());
    assert!(dir.path().join("public/pilots/crlf/index.html").exists());
    assert!(std::fs::metadata(dir.path().join("public/playbook/big/index.html")).unwrap().len() > 5_000_000);
    // An empty file is a page titled by its name, not a panic.
    std::fs::write(dir.path().join("content/playbook/empty.md"), "").unwrap();
    build_ok(dir.path(), &[]);
    assert!(std::fs::read_to_string(dir.path().join("public/playbook/empty/index.html"))
        .unwrap()
        .contains(">Empty</h1>"));
}

#[test]
fn many_files_in_one_folder() {
    let dir = site(&[]);
    std::fs::create_dir_all(dir.path().join("content/playbook")).unwrap();
    for i in 0..2000 {
        std::fs::write(
            dir.path().join(format!("content/playbook/p{i:04}.md")),
            format!("+++\ntitle = \"P{i}\"\n+++\nText {i}.\n"),
        )
        .unwrap();
    }
    build_ok(dir.path(), &[]);
    assert!(dir.path().join("public/playbook/p1999/index.html").exists());
}

/// The loader returns files in name order, whatever order the file system
/// lists them in. Files made in name order are listed otherwise by tmpfs
/// (newest first) and ext4 (hash order); the test first makes sure that the
/// listing here is not in name order, so that it can fail.
#[test]
fn the_loader_returns_files_in_name_order_not_listing_order() {
    let names: Vec<String> = (0..64).map(|i| format!("p{i:02}.md")).collect();
    let files: Vec<(String, String)> =
        names.iter().map(|n| (format!("content/playbook/{n}"), "+++\ntitle = \"P\"\n+++\n".to_string())).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&files);
    let listed: Vec<String> = std::fs::read_dir(dir.path().join("content/playbook"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_ne!(listed, names, "this file system lists in name order: the test could not tell");
    let loaded = pilotdeck::source::load_content(dir.path());
    let got: Vec<&str> = loaded.docs.iter().map(|d| d.parts[1].as_str()).collect();
    assert_eq!(got, names);
}

#[test]
fn file_order_on_disk_does_not_change_the_output() {
    let files: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                format!("content/pilots/p{i:02}.md"),
                format!("+++\ntitle = \"P{i}\"\nstage = \"pilot\"\nowner = \"O{}\"\n+++\n", i % 3),
            )
        })
        .collect();
    let forward: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let backward: Vec<(&str, &str)> = forward.iter().rev().copied().collect();
    let a = site(&forward);
    let b = site(&backward);
    build_ok(a.path(), &[]);
    build_ok(b.path(), &[]);
    assert!(snapshot(&a.path().join("public")) == snapshot(&b.path().join("public")), "outputs differ");
}

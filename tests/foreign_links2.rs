//! Links written for MkDocs without directory URLs, Jekyll and Eleventy
//! (issue 19, items 4 and 6, what was left): `page.html`, `dir/index.html`
//! and `page` lead to the page `page.md`; a link from the root (`/guide/`)
//! that is no address of the site is read from the playbook's root;
//! Jekyll's `{% link %}` and `{% post_url %}`, the `{% page %}`
//! shortcode and Hugo's `{{< ref >}}` in a link's target lead to the page
//! they name; the relative
//! URLs of raw HTML are read like Markdown's, kept or sanitized. A target
//! that is not there is PD020 at its line.

use crate::common;

use common::{build_ok, pilotdeck, read, site, write, write_bytes, Run, AS_OF};
use std::path::Path;

/// A playbook as MkDocs (`use_directory_urls: false`) and Jekyll write
/// them: no front matter, `README.md` indexes, links to `.html` names,
/// extension-less names, links from the site's root, Jekyll link tags, and
/// a Jekyll collection folder.
fn playbook() -> tempfile::TempDir {
    let dir = site(&[
        (
            "content/playbook/README.md",
            "# Handbook\n\n[Guide](guide/index.html) [Setup](guide/setup.html) [Deploy](guide/deploy)\n\
             [from the root](/guide/setup/) [the root's section](/guide/)\n",
        ),
        (
            "content/playbook/guide/README.md",
            "# Guide\n\n[setup](setup.html#install) [back](../index.html) [deploy](deploy)\n",
        ),
        (
            "content/playbook/guide/setup.md",
            "# Setup\n\n## Install\n\n[deploy](./deploy.html) ![a](/guide/img/a.png) [site](/pilots/)\n\n\
             [gone](setpu.html) and [gone too](/guide/deplyo/)\n",
        ),
        ("content/playbook/guide/deploy.md", "# Deploy\n\n[setup](/guide/setup.md#install)\n"),
        (
            "content/playbook/_docs/intro.md",
            "# Intro\n\n[Setup]({% link guide/setup.md %}) [launch]({% post_url 2024-01-02-launch %})\n\
             [deploy]({% page \"/guide/deploy/\" %}) [again]({% link _docs/intro.md %})\n\n\
             [missing]({% link _docs/nope.md %})\n",
        ),
        ("content/playbook/_posts/2024-01-02-launch.md", "# Launch\n"),
    ]);
    write_bytes(dir.path(), "content/playbook/guide/img/a.png", b"\x89PNG\r\n\x1a\n");
    dir
}

fn check(root: &Path) -> Run {
    pilotdeck(["--root", &root.display().to_string(), "check", "--as-of", AS_OF])
}

/// The `href` or `src` of the link or image whose text is `text`.
fn url_of<'h>(html: &'h str, text: &str) -> &'h str {
    for (open, attr) in [(format!(">{text}</a>"), "href=\""), (format!("alt=\"{text}\""), "src=\"")] {
        if let Some(end) = html.find(&open) {
            let tag = &html[html[..end].rfind('<').unwrap()..end + open.len()];
            let at = tag.find(attr).unwrap() + attr.len();
            let start = tag.as_ptr() as usize - html.as_ptr() as usize + at;
            return &html[start..start + html[start..].find('"').unwrap()];
        }
    }
    panic!("no link `{text}` in {html}")
}

/// The PD020 errors of a run: (file:line, message).
fn broken(run: &Run) -> Vec<(String, String)> {
    run.diagnostics()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let (at, msg) = d.header.split_once(": error: ").unwrap();
            let at = at.rsplit_once(':').unwrap().0.to_string();
            (at, msg.to_string())
        })
        .collect()
}

#[test]
fn html_and_extensionless_names_lead_to_the_pages() {
    let dir = playbook();
    let run = check(dir.path());
    let errors = broken(&run);
    // Only the three targets that are not there.
    assert_eq!(
        errors,
        [
            ("content/playbook/_docs/intro.md:6".to_string(), "the link `/_docs/nope.md` leads to no page".to_string()),
            ("content/playbook/guide/setup.md:7".to_string(), "the link `setpu.html` leads to no page".to_string()),
            ("content/playbook/guide/setup.md:7".to_string(), "the link `/guide/deplyo/` leads to no page".to_string()),
        ],
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("[PD020]") || run.stdout.contains("PD020"), "{}", run.stdout);
    // The hints name the nearest pages.
    assert!(run.stdout.contains("did you mean `/playbook/guide/setup/`?"), "{}", run.stdout);
    assert!(run.stdout.contains("did you mean `/playbook/guide/deploy/`?"), "{}", run.stdout);

    write(dir.path(), &[("content/playbook/guide/setup.md", "# Setup\n\n## Install\n\n[deploy](./deploy.html)\n")]);
    write(dir.path(), &[("content/playbook/_docs/intro.md", "# Intro\n\n[Setup]({% link guide/setup.md %})\n")]);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let home = read(&public, "playbook/index.html");
    for (text, url) in [
        ("Guide", "guide/"),
        ("Setup", "guide/setup/"),
        ("Deploy", "guide/deploy/"),
        ("from the root", "guide/setup/"),
        ("the root&#x27;s section", "guide/"),
    ] {
        let text = if home.contains(&format!(">{text}</a>")) { text.to_string() } else { text.replace("&#x27;", "'") };
        assert_eq!(url_of(&home, &text), url, "{text}");
    }
    let guide = read(&public, "playbook/guide/index.html");
    assert_eq!(url_of(&guide, "setup"), "setup/#install");
    assert_eq!(url_of(&guide, "back"), "../");
    assert_eq!(url_of(&guide, "deploy"), "deploy/");
    let setup = read(&public, "playbook/guide/setup/index.html");
    assert_eq!(url_of(&setup, "deploy"), "../deploy/");
    let deploy = read(&public, "playbook/guide/deploy/index.html");
    assert_eq!(url_of(&deploy, "setup"), "../setup/#install");
    // Each leads to a published page.
    for page in ["playbook/guide", "playbook/guide/setup", "playbook/guide/deploy"] {
        assert!(public.join(page).join("index.html").is_file(), "{page}");
    }
}

#[test]
fn root_links_and_jekyll_link_tags_lead_to_the_pages() {
    let dir = playbook();
    // Without the broken ones, everything builds.
    write(
        dir.path(),
        &[
            (
                "content/playbook/guide/setup.md",
                "# Setup\n\n## Install\n\n[deploy](./deploy.html) ![a](/guide/img/a.png) [site](/pilots/)\n",
            ),
            (
                "content/playbook/_docs/intro.md",
                "# Intro\n\n[Setup]({% link guide/setup.md %}) [launch]({% post_url 2024-01-02-launch %})\n\
                 [deploy]({% page \"/guide/deploy/\" %}) [again]({% link _docs/intro.md %})\n\
                 [hugo]({{< ref \"/guide/setup.md#install\" >}}) [hugo too]({{% relref \"../_posts/2024-01-02-launch.md\" %}})\n",
            ),
        ],
    );
    let run = check(dir.path());
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "0 errors, 0 warnings\n"),
        "link tags are understood: {}",
        run.stdout
    );
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let setup = read(&public, "playbook/guide/setup/index.html");
    assert_eq!(url_of(&setup, "a"), "../img/a.png");
    assert!(public.join("playbook/guide/img/a.png").is_file());
    // The site's own addresses stay the site's.
    assert_eq!(url_of(&setup, "site"), "../../../pilots/");
    let intro = read(&public, "playbook/_docs/intro/index.html");
    assert_eq!(url_of(&intro, "Setup"), "../../guide/setup/");
    assert_eq!(url_of(&intro, "launch"), "../../_posts/2024-01-02-launch/");
    assert_eq!(url_of(&intro, "deploy"), "../../guide/deploy/");
    assert_eq!(url_of(&intro, "again"), "./");
    assert_eq!(url_of(&intro, "hugo"), "../../guide/setup/#install");
    assert_eq!(url_of(&intro, "hugo too"), "../../_posts/2024-01-02-launch/");
    assert!(!intro.contains("{%"), "{intro}");
    assert!(public.join("playbook/_posts/2024-01-02-launch/index.html").is_file());
}

#[test]
fn a_link_tag_that_names_no_file_is_pd020_and_others_stay_pd026() {
    let dir = site(&[
        ("content/playbook/a.md", "# A\n"),
        (
            "content/playbook/b.md",
            "# B\n\n[ok]({% link a.md %})\n\n[gone]({% link _docs/gone.md %})\n\n[var]({% link {{ page.x }} %})\n",
        ),
    ]);
    let run = check(dir.path());
    let diags = run.diagnostics();
    let headers: Vec<&str> = diags.iter().map(|d| d.header.as_str()).collect();
    assert!(
        headers
            .iter()
            .any(|h| h.starts_with("content/playbook/b.md:5:1: error: the link `/_docs/gone.md` leads to no page")),
        "{headers:#?}"
    );
    // A tag with a variable is not understood: named, once, at its line.
    assert!(
        headers.iter().any(|h| h.starts_with("content/playbook/b.md:7:7: warning: template tag `{% link %}`")),
        "{headers:#?}"
    );
    assert_eq!(diags.len(), 2, "{headers:#?}");
}

/// Raw HTML, sanitized (the default) or trusted (`allow_raw_html`): its
/// relative `src` and `href` are read against the source folder, written
/// again for the published page, and a missing one is PD020 at its line.
#[test]
fn raw_html_urls_are_read_like_markdown_links() {
    let page = "# Html\n\n<p><img src=\"img/a.png\" alt=\"pic\"> <a href=\"setup.html\">setup</a></p>\n\n\
                <p><img src=\"img/b.png\" alt=\"gone\"></p>\n";
    for trusted in [false, true] {
        let dir = playbook();
        write(dir.path(), &[("content/playbook/guide/html.md", page)]);
        if trusted {
            write(dir.path(), &[("pilotdeck.toml", "title = \"T\"\nallow_raw_html = true\n")]);
        }
        let run = check(dir.path());
        let errors: Vec<(String, String)> = broken(&run).into_iter().filter(|(at, _)| at.contains("html.md")).collect();
        assert_eq!(
            errors,
            [("content/playbook/guide/html.md:5".to_string(), "the link `img/b.png` leads to no file".to_string())],
            "trusted: {trusted}: {}",
            run.stdout
        );
        write(
            dir.path(),
            &[("content/playbook/guide/html.md", &page[..page.find("\n\n<p><img src=\"img/b").unwrap()])],
        );
        write(dir.path(), &[("content/playbook/guide/setup.md", "# Setup\n")]);
        write(dir.path(), &[("content/playbook/_docs/intro.md", "# Intro\n")]);
        build_ok(dir.path(), &[]);
        let html = read(&dir.path().join("public"), "playbook/guide/html/index.html");
        assert_eq!(url_of(&html, "pic"), "../img/a.png", "trusted: {trusted}");
        assert_eq!(url_of(&html, "setup"), "../setup/", "trusted: {trusted}");
    }
}

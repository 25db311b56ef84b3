//! The syntax of other tools in a page: GitHub alerts, MkDocs admonitions
//! and `> **Note**:` quotes are callouts; kramdown attribute lines give
//! their classes and are not shown; Liquid and Nunjucks tags are left out
//! (or kept, as the config says) and each kind is a PD026 warning once per
//! file, at its line.

use crate::common;

use common::{build, build_ok, pilotdeck, read, site, AS_OF};

const CALLOUTS: &str = "+++\ntitle = \"Callouts\"\n+++\n\
Intro.\n\n\
> [!WARNING]\n> Back up first.\n\n\
!!! tip \"Before you start\"\n    Read the [guide](/playbook/tags/).\n\n    Second paragraph.\n\n\
??? note\n    Folded body.\n\n\
> **Note**: plain quote callout.\n\n\
> Just a quote with **Note** inside.\n\n\
After all.\n";

const KRAMDOWN: &str = "+++\ntitle = \"Kramdown\"\n+++\n\
A lead paragraph.\n{: .intro }\n\n\
## Setup\n\n\
{: #set-up .wide }\n\n\
- one\n- two\n\n\
{: .checklist key=\"v\" }\n\n\
```\n{: .in-code }\n```\n";

const TAGS: &str = "+++\ntitle = \"Tags\"\n+++\n\
See {% page \"/x/\" %} here.\n\n\
{% alert %}\nCareful now.\n{% endalert %}\n\n\
Hello {{ user.name }} and {{ site.title }}.\n\n\
Again {% page \"/y/\" %}.\n\n\
`{% page \"/in-code/\" %}` is an example.\n\n\
```liquid\n{% raw %}{{ x }}{% endraw %}\n```\n";

fn files(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut f = vec![
        ("content/playbook/callouts.md", CALLOUTS),
        ("content/playbook/kramdown.md", KRAMDOWN),
        ("content/playbook/tags.md", TAGS),
    ];
    f.extend_from_slice(extra);
    f
}

#[test]
fn alerts_admonitions_and_note_quotes_are_callouts() {
    let dir = site(&files(&[]));
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/callouts/index.html");
    assert!(
        html.contains("<aside class=\"callout callout-warning\">\n<p class=\"callout-title\">Warning</p>"),
        "{html}"
    );
    assert!(html.contains("<p>Back up first.</p>"), "{html}");
    // The admonition: its title, its body paragraphs, its link made relative.
    assert!(html.contains("<aside class=\"callout callout-tip\">\n<p class=\"callout-title\">Before you start</p>"));
    assert!(html.contains("href=\"../tags/\"") || html.contains("href=\"../../playbook/tags/\""), "{html}");
    assert!(html.contains("<p>Second paragraph.</p>"), "{html}");
    assert!(!html.contains("!!!") && !html.contains("???"), "{html}");
    assert!(html.contains("<details class=\"callout callout-note\">\n<summary class=\"callout-title\">Note</summary>"));
    assert!(html.contains("<p>Folded body.</p>\n</details>"), "{html}");
    // `> **Note**:` loses its bold word and colon to the title.
    assert!(html.contains("<p class=\"callout-title\">Note</p>\n<p>plain quote callout.</p>"), "{html}");
    // A quote that only mentions a word stays a quote.
    assert!(html.contains("<blockquote>\n<p>Just a quote with <strong>Note</strong> inside.</p>"), "{html}");
    assert!(html.contains("<p>After all.</p>"));
    // The theme styles them.
    let css = read(dir.path(), "public/style.css");
    assert!(css.contains(".callout-warning") && css.contains(".callout-title"));
}

#[test]
fn kramdown_attribute_lines_give_classes_and_are_not_shown() {
    let dir = site(&files(&[]));
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/kramdown/index.html");
    assert!(html.contains("<p class=\"intro\">A lead paragraph.</p>"), "{html}");
    assert!(html.contains("<h2 id=\"set-up\" class=\"wide\">Setup</h2>"), "{html}");
    assert!(html.contains("<ul class=\"checklist\">"), "{html}");
    assert!(!html.contains("key="), "other attributes are not kept: {html}");
    // In code it is code.
    assert!(html.contains("{: .in-code }"), "{html}");
    let text = html.replace("{: .in-code }", "");
    assert!(!text.contains("{:"), "{html}");
}

#[test]
fn template_tags_are_removed_and_warned_once_per_kind() {
    let dir = site(&files(&[]));
    let run = build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/tags/index.html");
    assert!(html.contains("<p>See  here.</p>"), "{html}");
    // A paired `{% alert %}` is a callout (see tests/foreign_shortcodes.rs).
    assert!(html.contains("<aside class=\"callout callout-note\">\n<p>Careful now.</p>\n</aside>"), "{html}");
    assert!(html.contains("<p>Hello  and .</p>"), "{html}");
    // In code they are examples, shown as written.
    assert!(html.contains("<code>{% page \"/in-code/\" %}</code>"), "{html}");
    assert!(html.contains("{% raw %}{{ x }}{% endraw %}"), "{html}");
    let text = html.replace("{% page \"/in-code/\" %}", "").replace("{% raw %}{{ x }}{% endraw %}", "");
    assert!(!text.contains("{%") && !text.contains("{{"), "{html}");

    assert!(run.stderr.contains("2 warnings"), "{}", run.stderr);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", AS_OF]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<String> = run.diagnostics().into_iter().filter(|d| d.code == "PD026").map(|d| d.header).collect();
    let at = |line: u32, col: u32, kind: &str| {
        warnings
            .iter()
            .any(|h| h.starts_with(&format!("content/playbook/tags.md:{line}:{col}: warning")) && h.contains(kind))
    };
    assert_eq!(warnings.len(), 2, "one per kind: {warnings:#?}");
    assert!(at(4, 5, "`{% page %}` of another tool (2 times in this file)"), "{warnings:#?}");
    assert!(at(10, 7, "`{{ ... }}`"), "{warnings:#?}");
    // The other pages have none.
    assert!(!run.stdout.contains("callouts.md") && !run.stdout.contains("kramdown.md"), "{}", run.stdout);
}

#[test]
fn tags_are_kept_as_text_when_the_config_says_and_the_rule_is_configurable() {
    let dir =
        site(&files(&[("pilotdeck.toml", "title = \"T\"\nforeign_tags = \"keep\"\n\n[rules]\nPD026 = \"off\"\n")]));
    let run = build_ok(dir.path(), &[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = read(dir.path(), "public/playbook/tags/index.html");
    assert!(html.contains("See {% page \"/x/\" %} here."), "{html}");
    assert!(html.contains("Hello {{ user.name }}"), "{html}");

    let errors = site(&files(&[("pilotdeck.toml", "title = \"T\"\n\n[rules]\nPD026 = \"error\"\n")]));
    let run = build(errors.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[PD026]: template tag `{% page %}`"), "{}", run.stderr);

    let bad = site(&files(&[("pilotdeck.toml", "title = \"T\"\nforeign_tags = \"drop\"\n")]));
    let root = bad.path().to_str().unwrap();
    let run = pilotdeck(["--root", root, "check", "--as-of", AS_OF]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("`foreign_tags` cannot be `drop`"), "{}", run.stdout);
}

#[test]
fn a_broken_link_inside_an_admonition_is_reported_where_it_is_written() {
    let page = "+++\ntitle = \"Links\"\n+++\nIntro.\n\n!!! note\n    First.\n\n    See [gone](/playbook/gone/).\n";
    let dir = site(&[("content/playbook/links.md", page)]);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", AS_OF]);
    let headers: Vec<String> = run.diagnostics().into_iter().map(|d| d.header).collect();
    assert!(
        headers.iter().any(|h| h.starts_with("content/playbook/links.md:9:9: error:")),
        "{headers:#?}\n{}",
        run.stdout
    );
}

#[test]
fn jekyll_baseurl_links_are_checked_as_site_links() {
    let page = "+++\ntitle = \"Jekyll\"\n+++\n[ok]({{ site.baseurl }}/playbook/tags/)\n\n[gone]({{ site.baseurl }}/playbook/gone/)\n";
    let dir = site(&files(&[("content/playbook/jekyll.md", page)]));
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", AS_OF]);
    let errors: Vec<String> = run.diagnostics().into_iter().filter(|d| d.is_error()).map(|d| d.header).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("content/playbook/jekyll.md:6:1: error:"), "{errors:#?}");
    let tag = "content/playbook/jekyll.md:4:6: warning: template tag `{{ ... }}`";
    assert!(run.diagnostics().iter().any(|d| d.header.starts_with(tag)), "{}", run.stdout);
}

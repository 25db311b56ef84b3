//! Paired template tags of Jekyll and Eleventy handbooks (issue 19, item
//! 6, what was left): `{% highlight LANG %}` ... `{% endhighlight %}` is
//! fenced code; `{% raw %}` ... `{% endraw %}` keeps its text as written
//! (no tag inside is one); `{% alert %}`, `{% callout "warning" %}`,
//! `{% note %}` and the like are callouts, as MkDocs admonitions are;
//! any other pair (`{% if %}` ... `{% endif %}`) keeps its content, loses
//! its tags and is one PD026 warning per file, at its first line.

use crate::common;

use common::{build_ok, pilotdeck, read, site, AS_OF};

const PAGE: &str = "# Shortcodes\n\
\n\
{% highlight ruby %}\n\
puts \"{{ name }}\"\n\
{% endhighlight %}\n\
\n\
{% raw %}Write {{ page.title }} and {% include x.html %} in templates.{% endraw %}\n\
\n\
{% alert %}\n\
Back up first.\n\
{% endalert %}\n\
\n\
{% callout \"warning\", \"Mind the gap\" %}\n\
Outer text.\n\
\n\
{% tip %}\n\
Inner [tip](other.md).\n\
{% endtip %}\n\
{% endcallout %}\n\
\n\
{% if site.beta %}\n\
Beta only.\n\
{% endif %}\n\
\n\
{% unless x %}Hidden?{% endunless %} {% if y %}again{% endif %}\n";

fn dir() -> tempfile::TempDir {
    site(&[("content/playbook/shortcodes.md", PAGE), ("content/playbook/other.md", "# Other\n")])
}

#[test]
fn paired_tags_render_as_code_raw_text_and_callouts() {
    let dir = dir();
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/shortcodes/index.html");
    assert!(
        html.contains("<pre><code class=\"language-ruby\">puts \"{{ name }}\"\n</code></pre>"),
        "highlight: {html}"
    );
    assert!(html.contains("<p>Write {{ page.title }} and {% include x.html %} in templates.</p>"), "raw: {html}");
    assert!(html.contains("<aside class=\"callout callout-note\">\n<p>Back up first.</p>\n</aside>"), "alert: {html}");
    let nested = "<aside class=\"callout callout-warning\">\n<p class=\"callout-title\">Mind the gap</p>\n\
                  <p>Outer text.</p>\n<aside class=\"callout callout-tip\">\n<p class=\"callout-title\">Tip</p>\n\
                  <p>Inner <a href=\"../other/\">tip</a>.</p>\n</aside>\n</aside>";
    assert!(html.contains(nested), "callout with a tip inside: {html}");
    // Other pairs: the content stays, the tags go.
    assert!(html.contains("<p>\nBeta only.\n</p>"), "if: {html}");
    assert!(html.contains("<p>Hidden? again</p>"), "{html}");
    let prose = &html[html.find("<div class=\"prose\">").unwrap()..];
    let prose = &prose[..prose.find("</div>").unwrap()];
    let outside = prose.replace("{{ name }}", "").replace("{{ page.title }} and {% include x.html %}", "");
    assert!(!outside.contains("{%") && !outside.contains("{{"), "{prose}");
}

#[test]
fn only_the_pairs_not_understood_are_warned_once_each_at_their_first_line() {
    let dir = dir();
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", AS_OF]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let warnings: Vec<String> = run.diagnostics().into_iter().map(|d| d.header).collect();
    assert_eq!(
        warnings,
        [
            "content/playbook/shortcodes.md:21:1: warning: template tag `{% if %}` of another tool (2 times in this file)",
            "content/playbook/shortcodes.md:25:1: warning: template tag `{% unless %}` of another tool",
        ],
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("0 errors, 2 warnings\n"), "{}", run.stdout);
}

#[test]
fn a_callout_tag_without_its_end_is_named_and_its_text_kept() {
    let page = "# Open\n\nIntro.\n\n{% warning %}\nNo end here.\n";
    let dir = site(&[("content/playbook/open.md", page)]);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", AS_OF]);
    let found = run.diagnostics();
    assert!(
        found.iter().any(|d| d.code == "PD026"
            && d.header.starts_with("content/playbook/open.md:5:1: warning: template tag `{% warning %}`")),
        "{}",
        run.stdout
    );
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/open/index.html");
    assert!(html.contains("No end here."), "{html}");
    assert!(!html.contains("callout"), "{html}");
}

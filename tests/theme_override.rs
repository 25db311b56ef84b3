//! A theme that overrides the templates the default theme compiles into
//! Rust (`base.html`, `pilot.html`, `lessons.html` and the row partials)
//! is used on every page they make: the compiled templates stand in for
//! the built-in templates only.

use crate::common;

use common::{build_ok, read, site};

fn record(i: usize) -> String {
    format!(
        "+++\ntitle = \"Pilot {i}\"\nstage = \"pilot\"\nowner = \"Owner {o}\"\nstarted = 2026-01-05\n\
         [[constraints]]\ntitle = \"Blocker {i}\"\nowner = \"Owner {o}\"\ndue = 2026-02-0{d}\n\
         [[updates]]\nweek = 2026-03-16\n+++\nBody {i}.\n\n## Lessons learned\n\nLesson {i}.\n",
        o = i % 3,
        d = 1 + i % 9
    )
}

#[test]
fn a_theme_overriding_the_compiled_templates_is_used_on_every_page() {
    let records: Vec<(String, String)> = (0..25).map(|i| (format!("content/pilots/p{i:02}.md"), record(i))).collect();
    let mut files: Vec<(&str, &str)> = records.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    files.extend([
        ("pilotdeck.toml", "title = \"Themed\"\ntheme = \"mine\"\n"),
        (
            "themes/mine/templates/base.html",
            "<!doctype html><html><body data-theme=\"mine-base\">{% block content %}{% endblock content %}</body></html>\n",
        ),
        (
            "themes/mine/templates/pilot.html",
            "{% extends \"base.html\" %}{% block content %}<h1 class=\"mine-pilot\">{{ pilot.title }}</h1>{% endblock content %}\n",
        ),
        (
            "themes/mine/templates/lessons.html",
            "{% extends \"base.html\" %}{% block content %}<ul class=\"mine-lessons\">{% for part in rows %}{{ part }}{% endfor %}</ul>{% endblock content %}\n",
        ),
        ("themes/mine/templates/partials/lesson_rows.html", "{% for l in rows %}<li class=\"mine-lesson\">{{ l.title }}</li>{% endfor %}"),
        ("themes/mine/templates/partials/pilot_rows.html", "{% for r in rows %}<tr class=\"mine-pilot-row\"><td>{{ r.link.title }}</td></tr>{% endfor %}"),
        ("themes/mine/templates/partials/constraint_rows.html", "{% for c in rows %}<tr class=\"mine-constraint-row\"><td>{{ c.title }}</td></tr>{% endfor %}"),
    ]);
    let dir = site(&files);
    let root = dir.path();
    build_ok(root, &[]);
    for i in 0..25 {
        let page = read(root, &format!("public/pilots/p{i:02}/index.html"));
        assert!(page.contains("data-theme=\"mine-base\""), "pilot {i}: not the theme's base.html:\n{page}");
        assert!(
            page.contains(&format!("<h1 class=\"mine-pilot\">Pilot {i}</h1>")),
            "pilot {i}: not the theme's pilot.html"
        );
        assert!(!page.contains("class=\"pilot-header\""), "pilot {i}: the built-in pilot page");
    }
    // Every page extends the theme's base.
    for page in
        ["public/index.html", "public/pilots/index.html", "public/constraints/index.html", "public/lessons/index.html"]
    {
        assert!(read(root, page).contains("data-theme=\"mine-base\""), "{page}");
    }
    let lessons = read(root, "public/lessons/index.html");
    assert_eq!(lessons.matches("class=\"mine-lesson\"").count(), 25, "{lessons}");
    let pilots = read(root, "public/pilots/index.html");
    assert_eq!(pilots.matches("class=\"mine-pilot-row\"").count(), 25, "{pilots}");
    let library = read(root, "public/constraints/index.html");
    assert_eq!(library.matches("class=\"mine-constraint-row\"").count(), 25, "{library}");
}

/// A template that fails is reported at the place Tera names, with Tera's
/// first line as the message (not its whole report, escaped, in one line).
#[test]
fn a_failing_template_is_reported_at_its_place() {
    let dir = site(&[
        ("content/pilots/a.md", &record(1)),
        (
            "templates/lessons.html",
            "{% extends \"base.html\" %}{% block content %}\n<ul>{% for part in nothing.parts %}{{ part }}{% endfor %}</ul>{% endblock content %}\n",
        ),
    ]);
    let run = common::build(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found = run.diagnostics();
    let d = found.iter().find(|d| d.code == "PD023").unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(d.header.ends_with("templates/lessons.html:2:20: error: template error: Variable `nothing` is not defined. Available variables: by_category, by_tag, count, filters, home_url, intro_html, pager, path, root, rows, section_url, site, title"), "{}", d.header);
    assert!(!run.stderr.contains("\\n"), "{}", run.stderr);
}

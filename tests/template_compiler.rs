//! The template compiler of `build.rs` (`build/templates.rs`) on small
//! templates: what it makes of each construct, and what it refuses, with
//! the template's name and line. That the compiled default theme makes
//! Tera's bytes is tested in `src/render/compiled/tests.rs`.

#![allow(dead_code, clippy::unwrap_used)]

#[path = "../build/templates.rs"]
mod templates;

use templates::{compile, Compiled};

const PAGE: &[&str] = &["site", "root"];

fn spec(template: &'static str, rest: Option<&'static str>) -> Compiled {
    Compiled { template, module: "m", context: "Ctx", fields: PAGE, rest }
}

/// The module made from `files` (name, text), or the error.
fn compiled(files: &[(&str, &str)], rest: Option<&'static str>) -> Result<String, String> {
    let files: Vec<(String, String)> = files.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    let read = move |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone());
    let name: &'static str = "page.html";
    compile(&spec(name, rest), &read).map_err(|e| e.0)
}

#[test]
fn text_prints_and_names() {
    let code = compiled(&[("page.html", "<p>{{ site.title }} {{ pilot.title }}</p>")], Some("page")).unwrap();
    assert!(code.contains(r#"o.push_str("<p>");"#), "{code}");
    assert!(code.contains("Show::show(&((ctx.site).title), o);"), "{code}");
    // A name that is not a field of the context is the flattened view's.
    assert!(code.contains("Show::show(&((ctx.page.pilot).title), o);"), "{code}");
    assert!(code.contains(r#"pub(crate) const SOURCES: &[&str] = &["page.html"];"#), "{code}");
}

#[test]
fn a_name_outside_the_context_is_refused() {
    let e = compiled(&[("page.html", "{{ rows }}")], None).unwrap_err();
    assert!(e.contains("`rows` is not in the context"), "{e}");
}

#[test]
fn trimming_and_comments_are_teras() {
    let code =
        compiled(&[("page.html", "a  \n{#- note -#}\n  b {%- if x -%}  c  {%- endif %} d")], Some("page")).unwrap();
    assert!(code.contains(r#"o.push_str("a");"#), "{code}");
    assert!(code.contains(r#"o.push_str("b");"#), "{code}");
    assert!(code.contains(r#"o.push_str("c");"#), "{code}");
    assert!(code.contains(r#"o.push_str(" d");"#), "{code}");
    assert!(!code.contains("note"), "{code}");
}

#[test]
fn tests_loops_and_sets() {
    let code = compiled(
        &[(
            "page.html",
            "{% set home = root if root else \"./\" %}{% for s in list %}\
             {% if not (s.state == \"todo\" and s.stage in [\"a\", \"b\"]) %}{{ s.n | length }}\
             {% elif s.n > 0 or s.x != home %}{{ s.t | replace(from=\" \", to=\"-\") }}{% else %}{{ s.h | safe }}{% endif %}\
             {% endfor %}",
        )],
        Some("page"),
    )
    .unwrap();
    for part in [
        r#"let v1_home = (if Truthy::truthy(&(ctx.root)) { Text::text(&(ctx.root)) } else { "./" });"#,
        "for (_i3, v2_s) in Each::each(&(ctx.page.list)).enumerate() {",
        r#"if !((Text::text(&(v2_s.state)) == "todo") && ["a", "b"].contains(&Text::text(&(v2_s.stage)))) {"#,
        "num(o, (Len::len(&(v2_s.n)) as i128));",
        "} else if ((Num::num(&(v2_s.n)) > 0i128) || (Text::text(&(v2_s.x)) != v1_home)) {",
        r#"esc(o, (&*Text::text(&(v2_s.t)).replace(" ", "-")));"#,
        "Raw::raw(&(v2_s.h), o);",
    ] {
        assert!(code.contains(part), "{part}\n---\n{code}");
    }
}

#[test]
fn loop_index_is_the_innermost_loops_count() {
    let code = compiled(
        &[(
            "page.html",
            "{% for g in groups %}{{ loop.index }}{% for r in g.rows %}{{ loop.index0 }}{% if loop.first %}!{% endif %}\
             {% endfor %}{{ loop.index }}{% endfor %}",
        )],
        Some("page"),
    )
    .unwrap();
    for part in [
        "for (_i2, v1_g) in Each::each(&(ctx.page.groups)).enumerate() {",
        "num(o, ((_i2 + 1) as i128));",
        "for (_i4, v3_r) in Each::each(&(v1_g.rows)).enumerate() {",
        "num(o, (_i4 as i128));",
        "if (_i4 == 0) {",
    ] {
        assert!(code.contains(part), "{part}\n---\n{code}");
    }
    // After the inner loop, `loop` is the outer one's again.
    assert_eq!(code.matches("num(o, ((_i2 + 1) as i128));").count(), 2, "{code}");
    for text in ["{{ loop.index }}", "{% for x in xs %}{{ loop.last }}{% endfor %}"] {
        let e = compiled(&[("page.html", text)], Some("page")).unwrap_err();
        assert!(e.contains("loop."), "{text}: {e}");
    }
}

#[test]
fn a_child_fills_its_parents_blocks() {
    let code = compiled(
        &[
            ("page.html", "{% extends \"base.html\" %}ignored{% block body %}child{% endblock body %}"),
            ("base.html", "<b>{% block head %}head{% endblock head %}|{% block body %}parent{% endblock body %}</b>"),
        ],
        Some("page"),
    )
    .unwrap();
    assert!(code.contains(r#"o.push_str("head");"#) && code.contains(r#"o.push_str("child");"#), "{code}");
    assert!(!code.contains("parent") && !code.contains("ignored"), "{code}");
    assert!(code.contains(r#"&["page.html", "base.html"]"#), "{code}");
}

#[test]
fn what_it_does_not_know_is_refused_with_the_line() {
    for (text, line, what) in [
        ("a\nb\n{% include \"x.html\" %}", 3, "include"),
        ("\n{{ x | upper }}", 2, "upper"),
        ("{% for x in xs %}{{ loop.index }}{% else %}none{% endfor %}", 1, "for ... else"),
        ("\n\n\n{% macro m() %}{% endmacro %}", 4, "macro"),
        ("{% if x is defined %}{% endif %}", 1, "is defined"),
    ] {
        let e = compiled(&[("page.html", text)], Some("page")).unwrap_err();
        assert!(e.contains(&format!("page.html:{line}:")), "{text}: {e}");
        assert!(e.contains(what), "{text}: {e}");
        assert!(e.contains("COMPILED in build.rs"), "{text}: {e}");
    }
}

#[test]
fn an_unclosed_tag_is_refused() {
    let e = compiled(&[("page.html", "\n{% if x %}open")], Some("page")).unwrap_err();
    assert!(e.contains("page.html:2:") && e.contains("not closed"), "{e}");
    let e = compiled(&[("page.html", "{{ x ")], Some("page")).unwrap_err();
    assert!(e.contains("not closed"), "{e}");
}

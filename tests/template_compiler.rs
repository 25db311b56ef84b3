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
    for text in ["{{ loop.index }}", "{% for x in xs %}{{ loop.revindex }}{% endfor %}"] {
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
        ("a\nb\n{% raw %}x{% endraw %}", 3, "raw"),
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

#[test]
fn loop_last_is_the_last_item() {
    let code = compiled(
        &[("page.html", "{% for x in xs %}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}")],
        Some("page"),
    )
    .unwrap();
    assert!(code.contains("if !(_i2 + 1 == Len::len(&(ctx.page.xs))) {"), "{code}");
}

#[test]
fn an_include_is_put_in_its_place_and_sees_the_names_there() {
    let code = compiled(
        &[
            (
                "page.html",
                "<a>{% set who = site.owner %}{% for p in pilots %}{% include \"row.html\" %}{% endfor %}</a>",
            ),
            ("row.html", "<b>{{ p.title }} {{ who }}</b>"),
        ],
        Some("page"),
    )
    .unwrap();
    // The partial's text inside the loop, its names those of the loop and
    // the `set` before it; the partial is one of the page's sources.
    let (row, title) = (
        code.find(r#"o.push_str("<b>");"#).expect(&code),
        code.find("Show::show(&(v2_p.title), o); // row.html:1").expect(&code),
    );
    assert!(code.find("for (").unwrap() < row && row < title, "{code}");
    assert!(code.contains("Show::show(&(*v1_who), o);"), "{code}");
    assert!(code.contains(r#"&["page.html", "row.html"]"#), "{code}");
    let e = compiled(&[("page.html", "\n{% include \"missing.html\" %}")], Some("page")).unwrap_err();
    assert!(e.contains("page.html:2:") && e.contains("missing.html"), "{e}");
}

#[test]
fn a_loop_over_a_list_written_in_the_template_is_unrolled() {
    let code = compiled(
        &[(
            "page.html",
            "{% for g in [[\"stage\", \"Stage\", filters.stages], [\"tag\", \"Tag\", filters.tags]] %}\
             {% if g[2] %}{{ g[1] }}:{% for v in g[2] %}{{ v }}{% endfor %}{% if not loop.last %}|{% endif %}{% endif %}{% endfor %}",
        )],
        Some("page"),
    )
    .unwrap();
    for part in [
        "if Truthy::truthy(&((ctx.page.filters).stages)) {",
        r#"esc(o, "Stage");"#,
        "Each::each(&((ctx.page.filters).stages))",
        "if Truthy::truthy(&((ctx.page.filters).tags)) {",
        r#"esc(o, "Tag");"#,
        // `loop.last` is known for each item.
        "if !false {",
        "if !true {",
    ] {
        assert!(code.contains(part), "{part}\n---\n{code}");
    }
    let e = compiled(&[("page.html", "{% for g in [[\"a\"]] %}{{ g[3] }}{% endfor %}")], Some("page")).unwrap_err();
    assert!(e.contains("past a list's end"), "{e}");
}

#[test]
fn booleans_and_orders_between_values() {
    let code = compiled(
        &[("page.html", "{% set open = true %}{% if open and rows.count < rows.total %}{{ false }}{% endif %}")],
        Some("page"),
    )
    .unwrap();
    assert!(code.contains("let v1_open = true;"), "{code}");
    assert!(
        code.contains("if (v1_open && (Num::num(&((ctx.page.rows).count)) < Num::num(&((ctx.page.rows).total)))) {"),
        "{code}"
    );
    assert!(code.contains(r#"o.push_str(if false { "true" } else { "false" });"#), "{code}");
}

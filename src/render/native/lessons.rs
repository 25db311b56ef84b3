//! The default theme's `lessons.html` (inside `base.html`), written in Rust
//! (see the parent module): at 10,000 pilots its lists by tag and by
//! category are some 50,000 links, each looked up by index through Tera.

use super::pilot::{base_bottom, base_top};
use super::{esc, link, num};
use crate::render::views::{Ctx, LessonGroup, LessonsPage};

/// The whole page `lessons.html` makes for `ctx`.
pub(in crate::render) fn lessons_page(ctx: &Ctx<&LessonsPage>) -> String {
    let page = ctx.page;
    let size: usize = page.rows.iter().filter_map(|p| p.as_str()).map(str::len).sum();
    let mut o = String::with_capacity(16 * 1024 + size + page.links.len() * 150);
    base_top(&mut o, ctx);
    // {% block content %}
    o.push_str("\n<div class=\"lessons-page\">\n<header class=\"page-header\">\n<h1>");
    esc(&mut o, &ctx.title);
    o.push_str("</h1>\n<p class=\"page-meta\">What every pilot learned, newest first: ");
    num(&mut o, page.count);
    o.push_str(if page.count == 1 { " lesson." } else { " lessons." });
    o.push_str("</p>\n</header>\n");
    if !page.intro_html.is_empty() {
        o.push_str("<div class=\"prose intro\">");
        o.push_str(page.intro_html); // | safe
        o.push_str("</div>");
    }
    o.push('\n');
    if page.count > 0 {
        o.push_str("\n<div class=\"home-grid\">\n");
        cloud(&mut o, page.by_tag, "by-tag-h", "By tag");
        o.push('\n');
        cloud(&mut o, page.by_category, "by-cat-h", "By constraint category");
        o.push_str(
            "\n</div>\n<section aria-labelledby=\"all-lessons-h\">\n<h2 id=\"all-lessons-h\">All lessons</h2>\n",
        );
        // {% for part in rows %}{{ part }}{% endfor %}: strings marked safe.
        for part in &page.rows {
            o.push_str(part.as_str().unwrap_or_default());
        }
        o.push_str("\n</section>\n");
        groups(&mut o, ctx, page.by_tag, "Tag: ");
        o.push('\n');
        groups(&mut o, ctx, page.by_category, "Constraint category: ");
        o.push('\n');
    } else {
        o.push_str("\n<p class=\"muted\">No lessons yet. Add a <code>## Lessons learned</code> section to a pilot record, or a page under <code>content/lessons/</code>.</p>\n");
    }
    o.push_str("\n</div>\n");
    // {% endblock content %}
    base_bottom(&mut o, ctx);
    o
}

/// `{% if by_tag %}<nav …><ul class="tag-cloud">…</ul></nav>{% endif %}`
fn cloud(o: &mut String, groups: &[LessonGroup], heading: &str, title: &str) {
    if groups.is_empty() {
        return;
    }
    o.push_str("\n<nav class=\"panel\" aria-labelledby=\"");
    o.push_str(heading);
    o.push_str("\"><h2 id=\"");
    o.push_str(heading);
    o.push_str("\">");
    o.push_str(title);
    o.push_str("</h2>\n<ul class=\"tag-cloud\">");
    for g in groups {
        o.push_str("<li><a href=\"#");
        esc(o, &g.id);
        o.push_str("\">");
        esc(o, &g.name);
        o.push_str("</a> <span class=\"muted\">(");
        num(o, g.lessons.len());
        o.push_str(")</span></li>");
    }
    o.push_str("</ul>\n</nav>\n");
}

/// `{% for g in by_tag %}<section …>…</section>{% endfor %}`
fn groups(o: &mut String, ctx: &Ctx<&LessonsPage>, groups: &[LessonGroup], label: &str) {
    for g in groups {
        o.push_str("\n<section id=\"");
        esc(o, &g.id);
        o.push_str("\" class=\"lesson-group\"><h2>");
        o.push_str(label);
        esc(o, &g.name);
        o.push_str("</h2><ul>");
        for &i in &g.lessons {
            let Some(l) = ctx.page.links.get(i) else { continue };
            o.push_str("<li>");
            link(o, &ctx.root, &l.url, &l.title);
            o.push_str("</li>");
        }
        o.push_str("</ul></section>\n");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The lessons page of the example site and of a generated one, and of
    //! views bent to reach every branch, written by Tera and natively: the
    //! bytes must be the same.

    use super::*;
    use crate::pipeline::{analyse, Options};
    use crate::render::views::Link;
    use crate::render::{Plan, Renderer};
    use std::path::Path;
    use std::sync::Arc;

    const HOSTILE: &str = "<b x='1'>&amp; \"q\" it's</b> & < > ✓";

    fn plan(root: &Path) -> Plan {
        let a = analyse(&Options { root: root.to_path_buf(), ..Options::default() }).unwrap();
        let theme = Arc::new(crate::theme::load(root, a.config.theme.as_deref()).unwrap());
        let renderer = Arc::new(Renderer::new(&theme).unwrap());
        assert!(renderer.native(&["lessons.html", "base.html"]));
        Plan::new(a.site, a.config, theme, renderer)
    }

    fn same(plan: &Plan, ctx: &Ctx<&LessonsPage>, what: &str) {
        let tera = plan.renderer.render("lessons.html", ctx).unwrap();
        super::super::assert_same(what, &tera, &lessons_page(ctx));
    }

    /// The page as made, then bent: no groups, one lesson, none, hostile
    /// names, links and intro, and at another depth. Returns the lessons.
    fn compare(plan: &Plan) -> usize {
        let (t, page) = plan.lessons_page().unwrap();
        same(plan, &plan.ctx(&t, &page), "as made");
        let hostile_groups: Vec<LessonGroup> = page
            .by_tag
            .iter()
            .map(|g| LessonGroup { name: HOSTILE.into(), id: HOSTILE.into(), lessons: g.lessons.clone() })
            .collect();
        let hostile_links: Vec<Link> =
            page.links.iter().map(|_| Link { title: HOSTILE.into(), url: HOSTILE.into() }).collect();
        let mut bent = vec![
            LessonsPage { by_tag: &[], by_category: &[], ..clone(&page) },
            LessonsPage { count: 1, intro_html: "", ..clone(&page) },
            LessonsPage { count: 0, rows: Vec::new(), intro_html: HOSTILE, ..clone(&page) },
            LessonsPage { by_tag: &hostile_groups, by_category: &hostile_groups, links: hostile_links, ..clone(&page) },
        ];
        bent.push(LessonsPage { rows: vec![tera::Value::safe_string(HOSTILE)], ..clone(&page) });
        for (k, page) in bent.iter().enumerate() {
            same(plan, &plan.ctx(&t, page), &format!("bent {k}"));
            let mut ctx: Ctx<&LessonsPage> = plan.ctx(&t, page);
            (ctx.root, ctx.title) = (HOSTILE.into(), HOSTILE.into());
            same(plan, &ctx, &format!("bent {k} elsewhere"));
        }
        page.links.len()
    }

    fn clone<'a>(page: &LessonsPage<'a>) -> LessonsPage<'a> {
        LessonsPage {
            intro_html: page.intro_html,
            count: page.count,
            rows: page.rows.clone(),
            links: page.links.iter().map(|l| Link { title: l.title.clone(), url: l.url.clone() }).collect(),
            by_tag: page.by_tag,
            by_category: page.by_category,
        }
    }

    #[test]
    fn example_site_lessons_page_matches_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::theme::write_example_site(dir.path());
        assert!(compare(&plan(dir.path())) >= 5);
    }

    #[test]
    fn generated_site_lessons_page_matches_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site(dir.path(), 40, 11).unwrap();
        assert!(compare(&plan(dir.path())) >= 20);
    }

    #[test]
    fn a_site_without_lessons_matches_tera() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let plan = plan(dir.path());
        let (t, page) = plan.lessons_page().unwrap();
        assert_eq!(page.count, 0);
        same(&plan, &plan.ctx(&t, &page), "no lessons");
    }
}

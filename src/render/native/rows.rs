//! The default theme's row partials (`partials/constraint_rows.html`,
//! `pilot_rows.html`, `lesson_rows.html`), written in Rust (see the parent
//! module): the constraint library and the owner pages hold every
//! constraint of the portfolio between them, 110,000 rows at 10,000 pilots.

use super::{esc, link, link_to, num, or, NOBODY};
use crate::config::Config;
use crate::date::Date;
use crate::model::{Constraint, Pilot, Site};
use crate::render::pilot;
use crate::render::views::{LessonRow, PilotRow};
use crate::urls;

/// What `partials/constraint_rows.html` makes of the constraints at `rows`
/// (pilot and constraint indexes) for a page at `root`: written from the
/// model, without the `ConstraintRow` view Tera gets (its dozen strings a
/// row were most of the time), with the same parts (`render/pilot.rs`).
pub(in crate::render) fn constraint_rows(
    out: &mut String,
    root: &str,
    site: &Site,
    config: &Config,
    rows: &[(usize, usize)],
) {
    for &(i, j) in rows {
        let p = &*site.pilots[i];
        let c = &p.constraints[j];
        let status = pilot::status(c);
        out.push_str("\n<tr id=\"");
        for part in urls::library_anchor_parts(&p.id, &c.id) {
            esc(out, part);
        }
        live(out, p, c, config);
        out.push_str("\n<th scope=\"row\">");
        link_to(out, root, &urls::constraint_parts(&p.id, &c.id), &c.title);
        out.push_str("</th>\n<td>");
        link_to(out, root, &urls::pilot_parts(&p.id), &p.title);
        out.push_str("</td>\n<td><span class=\"badge category\">");
        esc(out, &c.category);
        out.push_str("</span></td>\n<td>");
        owner(out, root, site, c);
        out.push_str("</td>\n<td class=\"nowrap\">");
        date_or(out, c.raised, "—");
        out.push_str("</td>\n<td class=\"nowrap\">");
        date_or(out, c.due, "—");
        out.push_str("</td>\n<td><span class=\"status-text status-text-");
        out.push_str(status);
        out.push_str(" js-status\">");
        if status == "overdue" {
            out.push_str("⚠ ");
        }
        pilot::write_status_text(out, c, site.as_of);
        out.push_str("</span>");
        if let Some(d) = c.days_to_resolve {
            out.push_str("<br><span class=\"note\">");
            num(out, d);
            out.push_str(" days to resolve</span>");
        }
        out.push_str("</td>\n<td class=\"js-rung\">");
        match c.escalated_to.as_deref() {
            Some(to) if !to.is_empty() => escalation_target(out, to, p, c),
            _ => out.push('—'),
        }
        out.push_str("</td>\n<td>");
        esc(out, c.impact.as_deref().unwrap_or_default());
        out.push_str("</td>\n<td>");
        match pilot::playbook(c, site) {
            Some((path, title)) => link_to(out, root, &urls::named_page_parts(path), title),
            None => out.push('—'),
        }
        out.push_str("</td>\n</tr>\n");
    }
    out.push('\n');
}

/// `{{ date }}` of a date that may be missing (digits and dashes: nothing
/// to escape).
fn date(out: &mut String, d: Option<Date>) {
    if let Some(d) = d {
        d.push_to(out);
    }
}

/// `{% if date %}{{ date }}{% else %}otherwise{% endif %}`
pub(super) fn date_or(out: &mut String, d: Option<Date>, otherwise: &str) {
    match d {
        Some(d) => d.push_to(out),
        None => out.push_str(otherwise),
    }
}

/// `" class="c-live status-…" data-due="…" data-resolved="…"
/// data-targets="…">`: the rest of the `<tr` of a constraint, which the
/// as-of script brings up to date in the browser.
pub(super) fn live(out: &mut String, p: &Pilot, c: &Constraint, config: &Config) {
    out.push_str("\" class=\"c-live status-");
    out.push_str(pilot::status(c));
    out.push_str("\" data-due=\"");
    date(out, c.due);
    out.push_str("\" data-resolved=\"");
    if !c.open {
        date(out, c.resolved);
    }
    out.push_str("\" data-targets=\"");
    for (k, rung) in config.escalation.iter().enumerate() {
        if k > 0 {
            out.push('|');
        }
        escalation_target(out, &rung.to, p, c);
    }
    out.push_str("\">");
}

/// A constraint's owner: linked to their page, or a warning that nobody is
/// named.
pub(super) fn owner(out: &mut String, root: &str, site: &Site, c: &Constraint) {
    match c.owner.as_deref().filter(|o| !o.is_empty()) {
        None => out.push_str(NOBODY),
        Some(o) => match site.person(o) {
            Some(person) => link_to(out, root, &urls::owner_parts(&person.slug), o),
            None => esc(out, o),
        },
    }
}

/// "sponsor (Maria Gomez)", as `pilot::escalation_target` makes it.
pub(super) fn escalation_target(out: &mut String, to: &str, p: &Pilot, c: &Constraint) {
    esc(out, to);
    if let Some(who) = pilot::escalation_who(to, p, c) {
        out.push_str(" (");
        esc(out, who);
        out.push(')');
    }
}

/// What `partials/pilot_rows.html` makes of `rows` for a page at `root`.
pub(in crate::render) fn pilot_rows(out: &mut String, root: &str, rows: &[PilotRow]) {
    for r in rows {
        out.push_str("\n<tr data-stage=\"");
        esc(out, &r.link.stage);
        out.push_str("\" data-function=\"");
        esc(out, &r.function);
        out.push('"');
        if r.stale {
            out.push_str(" class=\"is-stale\"");
        }
        out.push_str(">\n<th scope=\"row\" class=\"pilot-name\">");
        link(out, root, &r.link.url, &r.link.title);
        out.push_str("</th>\n<td><span class=\"badge stage stage-");
        esc(out, &r.link.stage);
        out.push_str("\">");
        esc(out, &r.link.stage);
        out.push_str("</span></td>\n<td>");
        or(out, &r.function, "<span class=\"muted\">—</span>");
        out.push_str("</td>\n<td>");
        if r.owner.is_empty() {
            out.push_str(concat!(
                "<span class=\"attention\" title=\"No owner named\"><span aria-hidden=\"true\">—</span>",
                "<span class=\"visually-hidden\">no owner named</span></span>"
            ));
        } else {
            esc(out, &r.owner);
        }
        out.push_str("</td>\n");
        for cell in &r.readiness {
            out.push_str("\n<td class=\"num score ");
            out.push_str(if cell.ready { "score-ready" } else { "score-not-ready" });
            out.push_str("\">");
            num(out, cell.percent);
            out.push_str("%&nbsp;");
            out.push_str(if cell.ready {
                "<span class=\"mark mark-ready\" aria-hidden=\"true\">✓</span><span class=\"visually-hidden\">ready</span>"
            } else {
                "<span class=\"mark mark-not\" aria-hidden=\"true\">✗</span><span class=\"visually-hidden\">not ready</span>"
            });
            out.push_str("</td>\n");
        }
        out.push_str("\n<td>");
        out.push_str(if r.production_ready {
            "<span class=\"badge badge-ok\"><span aria-hidden=\"true\">✓</span> yes</span>"
        } else {
            "<span class=\"badge badge-no\">no</span>"
        });
        out.push_str("</td>\n<td class=\"num\">");
        num(out, r.open_constraints);
        out.push_str("</td>\n<td class=\"num");
        if r.overdue_constraints > 0 {
            out.push_str(" attention-cell\"><span aria-hidden=\"true\">⚠</span> ");
        } else {
            out.push_str("\">");
        }
        num(out, r.overdue_constraints);
        out.push_str("</td>\n<td class=\"nowrap\">");
        or(out, &r.last_update, "<span class=\"muted\">none yet</span>");
        if r.stale {
            out.push_str(" <span class=\"badge badge-warn\"><span aria-hidden=\"true\">⚠</span> stale</span>");
        }
        out.push_str("</td>\n</tr>\n");
    }
    out.push('\n');
}

/// What `partials/lesson_rows.html` makes of `rows` for a page at `root`.
pub(in crate::render) fn lesson_rows(out: &mut String, root: &str, rows: &[&LessonRow]) {
    for l in rows {
        out.push_str("\n<article class=\"lesson card\">\n<h3>");
        link(out, root, &l.url, &l.title);
        out.push_str("</h3>\n<p class=\"lesson-meta muted\">");
        if l.kind == "pilot" {
            out.push_str("<span class=\"badge stage stage-");
            esc(out, &l.stage);
            out.push_str("\">");
            esc(out, &l.stage);
            out.push_str("</span> ");
            if !l.function.is_empty() {
                esc(out, &l.function);
                out.push_str(" · ");
            }
        } else {
            out.push_str("Lesson page");
            if !l.date.is_empty() {
                out.push_str(" · ");
            }
        }
        if !l.date.is_empty() {
            out.push_str("<time datetime=\"");
            esc(out, &l.date);
            out.push_str("\">");
            esc(out, &l.date);
            out.push_str("</time>");
        }
        out.push('\n');
        for t in &l.tags {
            out.push_str(" <a class=\"tag\" href=\"");
            esc(out, root);
            esc(out, &t.url);
            out.push_str("\">");
            esc(out, &t.title);
            out.push_str("</a>");
        }
        out.push_str("</p>\n<div class=\"prose\">");
        out.push_str(&l.html);
        out.push_str("</div>\n</article>\n");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{analyse, Options};
    use crate::render::views::ConstraintRow;
    use std::path::Path;

    /// Rows of any kind, for one comparison helper.
    mod erased {
        pub trait Rows {
            fn tera(&self, renderer: &crate::render::Renderer, partial: &str, root: &str) -> String;
        }
        impl<R: serde::Serialize> Rows for &[R] {
            fn tera(&self, renderer: &crate::render::Renderer, partial: &str, root: &str) -> String {
                renderer.render_rows(partial, root, self).expect("tera")
            }
        }
    }

    /// Every row of the site at `root` (constraints, pilots, lessons), for
    /// pages at two depths, from the partials through Tera and natively.
    fn same_rows(root: &Path) -> usize {
        let a = analyse(&Options { root: root.to_path_buf(), ..Options::default() }).expect("analyse");
        let theme = crate::theme::load(root, a.config.theme.as_deref()).expect("theme");
        let renderer = crate::render::Renderer::new(&theme).expect("templates");
        let (site, config) = (&*a.site, &*a.config);
        let at: Vec<(usize, usize)> =
            site.pilots.iter().enumerate().flat_map(|(i, p)| (0..p.constraints.len()).map(move |j| (i, j))).collect();
        let rows: Vec<ConstraintRow> = at
            .iter()
            .map(|&(i, j)| {
                crate::render::pilot::constraint_row(&site.pilots[i], &site.pilots[i].constraints[j], site, config)
            })
            .collect();
        let pilots: Vec<PilotRow> = site.pilots.iter().map(|p| crate::render::home::pilot_row(p)).collect();
        let lessons = crate::render::community::lessons(site);
        let lessons: Vec<&LessonRow> = lessons.iter().collect();
        assert!(!pilots.is_empty() && !lessons.is_empty());
        for root in ["../", "../../"] {
            let same =
                |what: &str, tera: String, native: String| crate::render::native::assert_same(what, &tera, &native);
            let tera = |partial: &str, rows: &dyn erased::Rows| rows.tera(&renderer, partial, root);
            for (chunk, at) in rows.chunks(7).zip(at.chunks(7)).chain([(&rows[..0], &at[..0])]) {
                let mut native = String::new();
                constraint_rows(&mut native, root, site, config, at);
                same("constraint_rows", tera("partials/constraint_rows.html", &chunk), native);
            }
            for chunk in pilots.chunks(5).chain([&pilots[..0]]) {
                let mut native = String::new();
                pilot_rows(&mut native, root, chunk);
                same("pilot_rows", tera("partials/pilot_rows.html", &chunk), native);
            }
            for chunk in lessons.chunks(3).chain([&lessons[..0]]) {
                let mut native = String::new();
                lesson_rows(&mut native, root, chunk);
                same("lesson_rows", tera("partials/lesson_rows.html", &chunk), native);
            }
        }
        rows.len()
    }

    #[test]
    fn rows_are_the_partials_bytes_for_the_example_site() {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::theme::write_example_site(dir.path());
        assert!(same_rows(dir.path()) > 20);
    }

    #[test]
    fn rows_are_the_partials_bytes_for_a_generated_site_and_awkward_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::synth::write_site(dir.path(), 60, 7).expect("generate");
        let awkward = "+++\ntitle = \"Tom & Jerry's <pilot> \\\"quoted\\\"\"\nstage = \"pilot\"\n\
            [[constraints]]\nid = \"a\"\ntitle = \"<b>bold</b> & 'single'\"\ncategory = \"data\"\n\
            owner = \"O'Brien & Co\"\nraised = 2026-01-05\ndue = 2026-02-01\nimpact = \"a < b > c \\\"d\\\"\"\n\
            playbook = \"no/such/page\"\n\
            [[constraints]]\nid = \"b\"\ntitle = \"Nobody named\"\ncategory = \"people\"\nraised = 2026-01-05\n\
            resolved = 2026-03-01\n+++\nBody.\n";
        std::fs::write(dir.path().join("content/pilots/awkward.md"), awkward).expect("record");
        assert!(same_rows(dir.path()) > 180);
    }
}

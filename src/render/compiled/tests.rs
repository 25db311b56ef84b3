//! The compiled templates against Tera: every page and row of the example
//! site and of a generated one, and views bent to reach every branch
//! (empty, hostile text, flipped flags), made by Tera from the templates
//! and by their compiled form: the bytes must be the same.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::render::views::{Ctx, LessonGroup, LessonsPage};

/// Panics, showing both sides around the first difference, unless Tera's
/// bytes and the compiled ones are the same.
fn assert_same(what: &str, tera: &str, compiled: &str) {
    if tera == compiled {
        return;
    }
    let (a, b) = (tera.as_bytes(), compiled.as_bytes());
    let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let around = |s: &[u8]| String::from_utf8_lossy(&s[at.saturating_sub(200)..(at + 200).min(s.len())]).into_owned();
    panic!(
        "{what}: the compiled template's output differs from Tera's at byte {at} (lengths {} and {})\n--- Tera:\n{}\n--- compiled:\n{}\n",
        a.len(),
        b.len(),
        around(a),
        around(b)
    );
}

/// The plan of the site `opts` names, whose renderer uses the built-in
/// `template` and `base.html`.
fn builtin_plan(opts: &crate::pipeline::Options, template: &str) -> crate::render::Plan {
    let a = crate::pipeline::analyse(opts).unwrap();
    let theme = std::sync::Arc::new(crate::theme::load(&opts.root, a.config.theme.as_deref()).unwrap());
    let renderer = std::sync::Arc::new(crate::render::Renderer::new(&theme).unwrap());
    assert!(renderer.builtin(&[template, "base.html"]));
    crate::render::Plan::new(a.site, a.config, theme, renderer)
}

mod pilot_page {
    //! Every pilot page of the example site and of a generated one, and of
    //! views bent to reach every branch (empty, hostile text, flipped
    //! flags).

    use super::*;
    use crate::markdown::Heading;
    use crate::model::{Pilot, Site};
    use crate::pipeline::{analyse, Options};
    use crate::render::views::{Link, SiteView};
    use crate::render::{pilot, Plan, Renderer};
    use std::path::Path;
    use std::sync::Arc;

    const HOSTILE: &str = "<b x='1'>&amp; \"q\" it's</b> & < > ✓";

    fn plan(root: &Path, as_of: &str) -> Plan {
        let opts = Options {
            root: root.to_path_buf(),
            as_of: crate::date::Date::parse(as_of).map(crate::config::AsOf::Date),
            ..Options::default()
        };
        let a = analyse(&opts).unwrap();
        // An open constraint without a due date stops a build, but its
        // record is in the model, and its page is compared too.
        let errors: Vec<_> = a.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{d:?}")).collect();
        assert!(errors.iter().all(|e| e.contains("has no due date")), "{errors:#?}");
        let theme = Arc::new(crate::theme::load(root, a.config.theme.as_deref()).unwrap());
        let renderer = Arc::new(Renderer::new(&theme).unwrap());
        assert!(renderer.builtin(&["pilot.html", "base.html"]));
        Plan::new(a.site, a.config, theme, renderer)
    }

    /// Tera's page and the compiled one for `ctx` must be the same bytes.
    fn same(plan: &Plan, ctx: &Ctx<&PilotCtx>, what: &str) {
        let mut compiled = String::new();
        super::super::pilot::render(&mut compiled, ctx);
        super::assert_same(what, &plan.renderer.render("pilot.html", ctx).unwrap(), &compiled);
    }

    /// The view with every string replaced by `s` (lists keep their length).
    fn strings<'a>(mut v: PilotView<'a>, s: &'a str, tags: &'a [String], toc: &'a [Heading]) -> PilotView<'a> {
        let owned = || s.to_string();
        (v.id, v.title, v.summary, v.stage, v.function, v.owner, v.champion, v.sponsor, v.success) =
            (s, s, s, s, s, s, s, s, s);
        (v.started, v.target, v.update_note, v.time_to_production, v.confidence_gap) =
            (owned(), owned(), owned(), owned(), owned());
        (v.tags, v.toc, v.body_html, v.lessons_html) = (tags, toc, s.into(), owned().into());
        for st in &mut v.stage_track {
            (st.stage, st.date) = (s, owned());
        }
        for d in &mut v.dimensions {
            (d.key, d.label, d.reason) = (s, s, owned());
            for e in &mut d.items {
                (e.key, e.text, e.note) = (s, s, s);
            }
        }
        for q in &mut v.questions {
            q.question = owned();
            q.lines.iter_mut().for_each(|l| *l = owned());
        }
        for i in &mut v.integration {
            (i.system, i.direction, i.status, i.notes) = (s, s, s, s);
        }
        for t in &mut v.timeline {
            (t.date, t.stage, t.completed, t.blocker, t.risk, t.escalation) = (owned(), s, s, s, s, s);
        }
        v
    }

    /// The record with every text of its constraints replaced by `s`, as
    /// `strings` does to the view (constraint rows are written from the
    /// model).
    fn strings_model(p: &Pilot, s: &str) -> Pilot {
        let mut p = p.clone();
        p.id = s.into();
        for c in &mut p.constraints {
            (c.id, c.title, c.category) = (s.into(), s.into(), s.into());
            (c.owner, c.impact, c.playbook, c.escalated_to) =
                (Some(s.into()), Some(s.into()), Some(s.into()), Some(s.into()));
        }
        p
    }

    /// The record with its constraints in turn overdue, open and resolved,
    /// with and without dates, owner, impact, playbook and escalation.
    fn flipped_model(p: &Pilot, site: &Site) -> Pilot {
        let mut p = p.clone();
        let page = site.pages.first().map(|pg| pg.path.clone());
        for (k, c) in p.constraints.iter_mut().enumerate() {
            (c.open, c.overdue_days) = [(true, Some(3)), (true, None), (false, None)][k % 3];
            (c.due, c.raised, c.resolved) =
                if k % 2 == 0 { (None, None, None) } else { (c.raised, c.raised, c.raised) };
            if k % 4 == 1 {
                (c.owner, c.impact, c.escalated_to, c.days_to_resolve) = (None, None, None, None);
                c.playbook = page.clone();
            } else if k % 4 == 2 {
                (c.owner, c.impact, c.escalated_to) = (Some(String::new()), Some("".into()), Some("".into()));
                c.playbook = Some("no/such/page".into());
            }
        }
        p
    }

    /// The view with every flag flipped and the numbers moved to edges.
    fn flipped(mut v: PilotView) -> PilotView {
        (v.stale, v.production_ready) = (!v.stale, !v.production_ready);
        for (k, st) in v.stage_track.iter_mut().enumerate() {
            st.state = ["done", "current", "todo", "skipped", "other"][k % 5];
        }
        for d in &mut v.dimensions {
            (d.ready, d.met, d.total, d.percent) = (!d.ready, 0, usize::MAX, u32::MAX);
            for e in &mut d.items {
                (e.met, e.note_is_link) = (!e.met, !e.note_is_link);
            }
        }
        for q in &mut v.questions {
            q.tone = if q.tone == "warn" { "warm".into() } else { "warn".into() };
        }
        for (k, t) in v.timeline.iter_mut().enumerate() {
            t.kind = ["stage", "update", "other"][k % 3];
            (t.leader, t.team) = [(0, 3), (-1, 2), (1, -4), (i64::MAX, i64::MIN)][k % 4];
        }
        v
    }

    /// The view with every list empty.
    fn emptied(mut v: PilotView) -> PilotView {
        (v.stage_track, v.dimensions, v.questions) = (vec![], vec![], vec![]);
        (v.integration, v.timeline) = (vec![], vec![]);
        v.open.list.clear();
        v.resolved.list.clear();
        (v.tags, v.toc) = (&[], &[]);
        for d in &mut v.dimensions {
            d.items.clear();
        }
        v
    }

    /// Compares every pilot page of the site of `plan`, and for every
    /// `every`-th pilot the bent views too. Returns how many pages.
    fn compare_all(plan: &Plan, every: usize) -> usize {
        let (site, config) = (&*plan.site, &*plan.config);
        let hostile_tags = vec![HOSTILE.to_string(), String::new()];
        let hostile_toc = vec![Heading { level: 3, id: HOSTILE.into(), text: HOSTILE.into() }];
        let mut home_site = plan.sv.clone();
        home_site.title = HOSTILE.into();
        let bare_site = SiteView { nav: vec![], as_of: String::new(), ..home_site.clone() };
        home_site.nav.push(Link { title: HOSTILE.into(), url: HOSTILE.into() });
        let mut pages = 0;
        for (i, p) in site.pilots.iter().enumerate() {
            let path = crate::urls::pilot_path(&p.id);
            let t = crate::render::target("pilot.html", &path, &p.title, crate::urls::PILOTS);
            let view = PilotCtx { pilot: pilot::view(p, site, config, plan.library().into()) };
            same(plan, &plan.ctx(&t, &view), &p.id);
            pages += 1;
            if i % every != 0 {
                continue;
            }
            let flipped_p = flipped_model(p, site);
            let bent = [
                ("flipped", flipped(pilot::view(&flipped_p, site, config, plan.library().into()))),
                ("emptied", emptied(pilot::view(p, site, config, plan.library().into()))),
            ];
            for (name, pilot) in bent {
                same(plan, &plan.ctx(&t, &PilotCtx { pilot }), &format!("{} {name}", p.id));
            }
            for s in [HOSTILE, ""] {
                let strings_p = strings_model(p, s);
                let view = PilotCtx {
                    pilot: strings(
                        pilot::view(&strings_p, site, config, plan.library().into()),
                        s,
                        &hostile_tags,
                        &hostile_toc,
                    ),
                };
                same(plan, &plan.ctx(&t, &view), &format!("{} strings {s:?}", p.id));
                let both = flipped_model(&strings_p, site);
                let view = PilotCtx {
                    pilot: flipped(strings(pilot::view(&both, site, config, plan.library().into()), s, &[], &[])),
                };
                same(plan, &plan.ctx(&t, &view), &format!("{} flipped strings {s:?}", p.id));
            }
            // The home page's place in the nav, a hostile site, no nav.
            let view = PilotCtx { pilot: pilot::view(p, site, config, plan.library().into()) };
            for (sv, root, path, section) in
                [(&home_site, "", "", ""), (&home_site, HOSTILE, HOSTILE, HOSTILE), (&bare_site, "../", "x/", "")]
            {
                let ctx = Ctx {
                    site: sv,
                    root: root.into(),
                    path: path.into(),
                    title: HOSTILE.into(),
                    section_url: section.into(),
                    page: &view,
                };
                same(plan, &ctx, &format!("{} in another place", p.id));
            }
        }
        pages
    }

    #[test]
    fn example_site_pilot_pages_match_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::theme::write_example_site(dir.path());
        let plan = plan(dir.path(), "2026-11-20");
        assert!(compare_all(&plan, 1) >= 10);
    }

    /// Records that reach what the generated ones do not: hostile text
    /// everywhere, no owner, no dates, an empty timeline, a constraint with
    /// no due date (an error, but in the model), owner or impact.
    const ODD: &[(&str, &str)] = &[
        (
            "content/pilots/zz-hostile.md",
            r#"+++
title = "A <b>bold</b> & \"quoted\" pilot's <title>"
summary = "x < y & z > w 'single' \"double\" &amp;"
stage = "pilot"
function = "R&D <lab>"
sponsor = "O'Brien & <Sons>"
success = "\"all\" < 'some' & more"
tags = ["a&b", "<tag>", "it's"]
started = 2026-09-01

[stages]
idea = 2026-09-01
pilot = 2026-10-01

[readiness.technical]
latency = "p95 < 2s & \"fast\""
monitoring = "https://wiki.example/?a=1&b=<2>&c='3'"
fallback = false

[[integration]]
system = "ERP <core> & 'ledger'"
status = "mapped"
notes = "\"notes\" & <more>"

[[integration]]
system = "Approvals"
direction = "approves"

[[constraints]]
id = "c<1>"
title = "Data & \"access\" <blocked> it's"
category = "data"
raised = 2026-10-01

[[constraints]]
title = "Owner's sign-off & <review>"
category = "governance"
owner = "O'Brien & <Sons>"
raised = 2026-09-01
due = 2026-09-15
impact = "Target <slips> & \"more\""
playbook = "playbook/00-section/page-00"

[[constraints]]
title = "Done & dusted"
category = "other"
raised = 2026-09-01
resolved = 2026-09-20

[[updates]]
week = 2026-11-09
completed = "Shipped <v2> & fixed 'bugs'"
escalation = "Ask the \"CFO\" & <board>"

[[updates]]
week = 2026-11-16
blocker = "<none> & 'nothing'"
risk = "\"low\""
confidence = { leader = 4, team = 2 }
+++

Text with <em>html</em> & an ampersand.

## Q&A <with> "quotes" it's

More.

## Lessons learned

- Keep it <simple> & "honest".
"#,
        ),
        ("content/pilots/zz-bare.md", "+++\ntitle = \"Bare\"\nstage = \"idea\"\n+++\n"),
        ("content/pilots/zz-stalled.md", "+++\ntitle = \"Stalled\"\nstage = \"stalled\"\n\n[stages]\nidea = 2026-01-05\nscoping = 2026-02-02\nstalled = 2026-05-04\n+++\nNo updates.\n"),
    ];

    #[test]
    fn generated_site_pilot_pages_match_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site(dir.path(), 300, 7).unwrap();
        for (path, text) in ODD {
            std::fs::write(dir.path().join(path), text).unwrap();
        }
        let config = dir.path().join("pilotdeck.toml");
        let text =
            std::fs::read_to_string(&config).unwrap().replace("Generated portfolio", "Generated <portfolio> & 'co'");
        std::fs::write(&config, text).unwrap();
        let plan = plan(dir.path(), "2026-11-20");
        assert_eq!(compare_all(&plan, 25), 303);
    }

    /// A theme that replaces either template goes through Tera.
    #[test]
    fn an_override_turns_it_off() {
        for name in ["pilot.html", "base.html"] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(dir.path().join("templates")).unwrap();
            std::fs::write(dir.path().join("templates").join(name), "{% block content %}{% endblock content %}")
                .unwrap();
            let theme = crate::theme::load(dir.path(), None).unwrap();
            assert!(!Renderer::new(&theme).unwrap().builtin(&["pilot.html", "base.html"]), "{name}");
        }
        let theme = crate::theme::load(Path::new("/nonexistent-pilotdeck-site"), None).unwrap();
        assert!(Renderer::new(&theme).unwrap().builtin(&["pilot.html", "base.html"]));
    }
}

mod lessons_page {
    //! The lessons page of the example site and of a generated one, and of
    //! views bent to reach every branch.

    use super::*;
    use crate::pipeline::Options;
    use crate::render::Plan;
    use std::path::Path;

    const HOSTILE: &str = "<b x='1'>&amp; \"q\" it's</b> & < > ✓";

    fn plan(root: &Path) -> Plan {
        super::builtin_plan(&Options { root: root.to_path_buf(), ..Options::default() }, "lessons.html")
    }

    fn same(plan: &Plan, ctx: &Ctx<&LessonsPage>, what: &str) {
        let tera = plan.renderer.render("lessons.html", ctx).unwrap();
        let mut compiled = String::new();
        super::super::lessons::render(&mut compiled, ctx);
        super::assert_same(what, &tera, &compiled);
    }

    /// The page as made, then bent: no groups, one lesson, none, hostile
    /// names, links and intro, and at another depth. Returns the lessons.
    fn compare(plan: &Plan) -> usize {
        let (path, title, page) = plan.lessons_page(0).unwrap();
        let t = crate::render::target("lessons.html", &path, title, crate::urls::LESSONS);
        same(plan, &plan.ctx(&t, &page), "as made");
        let hostile_groups: Vec<LessonGroup> = page
            .by_tag
            .iter()
            .map(|g| LessonGroup {
                name: HOSTILE.into(),
                id: HOSTILE.into(),
                url: HOSTILE.into(),
                lessons: g.lessons.clone(),
            })
            .collect();
        let hostile_pager = crate::render::views::Pager {
            page: 2,
            pages: 5,
            first: 4,
            last: 6,
            total: 9,
            prev: HOSTILE.into(),
            next: HOSTILE.into(),
            links: [1, 2, 5]
                .map(|n| crate::render::views::PageLink {
                    number: n,
                    url: HOSTILE.into(),
                    current: n == 2,
                    gap: n == 5,
                })
                .into(),
            address: HOSTILE.into(),
            pattern: HOSTILE.into(),
        };
        let hostile_filters = crate::render::views::Filters {
            stages: vec![HOSTILE.into()],
            functions: vec![HOSTILE.into(), String::new()],
            categories: vec![HOSTILE.into()],
            tags: vec![HOSTILE.into()],
            ..Default::default()
        };
        let no_filters = crate::render::views::Filters::default();
        let mut bent = vec![
            LessonsPage { by_tag: &[], by_category: &[], ..clone(&page) },
            LessonsPage { count: 1, intro_html: "", ..clone(&page) },
            LessonsPage { count: 0, rows: Vec::new(), intro_html: HOSTILE, ..clone(&page) },
            LessonsPage { by_tag: &hostile_groups, by_category: &hostile_groups, pager: hostile_pager, ..clone(&page) },
            LessonsPage { filters: &hostile_filters, ..clone(&page) },
            LessonsPage { filters: &no_filters, ..clone(&page) },
        ];
        bent.push(LessonsPage { rows: vec![tera::Value::safe_string(HOSTILE)], ..clone(&page) });
        for (k, page) in bent.iter().enumerate() {
            same(plan, &plan.ctx(&t, page), &format!("bent {k}"));
            let mut ctx: Ctx<&LessonsPage> = plan.ctx(&t, page);
            (ctx.root, ctx.title) = (HOSTILE.into(), HOSTILE.into());
            same(plan, &ctx, &format!("bent {k} elsewhere"));
        }
        page.count
    }

    fn clone<'a>(page: &LessonsPage<'a>) -> LessonsPage<'a> {
        LessonsPage {
            intro_html: page.intro_html,
            count: page.count,
            rows: page.rows.clone(),
            by_tag: page.by_tag,
            by_category: page.by_category,
            pager: page.pager.clone(),
            filters: page.filters,
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
        let (path, title, page) = plan.lessons_page(0).unwrap();
        let t = crate::render::target("lessons.html", &path, title, crate::urls::LESSONS);
        assert_eq!(page.count, 0);
        same(&plan, &plan.ctx(&t, &page), "no lessons");
    }
}

mod rows {
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
                renderer.render_rows(partial, &crate::render::RowsCtx { root, rows: self }).expect("tera")
            }
        }
    }

    /// Every row of the site at `root` (constraints, pilots, lessons), for
    /// pages at two depths, from the partials through Tera and compiled.
    fn same_rows(root: &Path) -> usize {
        let a = analyse(&Options { root: root.to_path_buf(), ..Options::default() }).expect("analyse");
        let theme = crate::theme::load(root, a.config.theme.as_deref()).expect("theme");
        let renderer = crate::render::Renderer::new(&theme).expect("templates");
        let site = &*a.site;
        let at: Vec<(usize, usize)> =
            site.pilots.iter().enumerate().flat_map(|(i, p)| (0..p.constraints.len()).map(move |j| (i, j))).collect();
        let order = crate::library_order::Order::new(site);
        let suffixes = crate::render::paging::LibraryLinks::suffixes(order.len());
        let library = crate::render::paging::LibraryLinks { order: &order, suffixes: &suffixes };
        let rows: Vec<ConstraintRow> = at
            .iter()
            .map(|&(i, j)| {
                crate::render::pilot::constraint_row(
                    &site.pilots[i],
                    &site.pilots[i].constraints[j],
                    site,
                    library.into(),
                )
            })
            .collect();
        let pilots: Vec<PilotRow> = site.pilots.iter().map(|p| crate::render::home::pilot_row(p)).collect();
        let lessons = crate::render::community::lessons(site);
        let lessons: Vec<&LessonRow> = lessons.iter().collect();
        assert!(!pilots.is_empty() && !lessons.is_empty());
        for root in ["../", "../../"] {
            let same = |what: &str, tera: String, compiled: String| super::assert_same(what, &tera, &compiled);
            let tera = |partial: &str, rows: &dyn erased::Rows| rows.tera(&renderer, partial, root);
            for chunk in rows.chunks(7).chain([&rows[..0]]) {
                let mut compiled = String::new();
                super::super::constraint_rows::render(&mut compiled, &RowsCtx { root, rows: chunk });
                same("constraint_rows", tera("partials/constraint_rows.html", &chunk), compiled);
            }
            for chunk in pilots.chunks(5).chain([&pilots[..0]]) {
                let mut compiled = String::new();
                super::super::pilot_rows::render(&mut compiled, &RowsCtx { root, rows: chunk });
                same("pilot_rows", tera("partials/pilot_rows.html", &chunk), compiled);
            }
            for chunk in lessons.chunks(3).chain([&lessons[..0]]) {
                let mut compiled = String::new();
                super::super::lesson_rows::render(&mut compiled, &RowsCtx { root, rows: chunk });
                same("lesson_rows", tera("partials/lesson_rows.html", &chunk), compiled);
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

mod changes_page {
    //! Every week of `/changes/` of a generated repository's history, of a
    //! site outside git, and views bent to reach every branch.

    use super::*;
    use crate::pipeline::Options;
    use crate::render::views::{ChangeGroup, ChangeRow, ChangesView, WeekLink};
    use crate::render::Plan;
    use std::path::Path;

    const HOSTILE: &str = "<b x='1'>&amp; \"q\" it's</b> & < > ✓";

    fn plan(root: &Path) -> Plan {
        let opts = Options {
            root: root.to_path_buf(),
            as_of: crate::date::Date::parse("2026-11-20").map(crate::config::AsOf::Date),
            ..Options::default()
        };
        super::builtin_plan(&opts, "changes.html")
    }

    fn same(plan: &Plan, ctx: &Ctx<&ChangesCtx>, what: &str) {
        let tera = plan.renderer.render("changes.html", ctx).unwrap();
        let mut compiled = String::new();
        super::super::changes::render(&mut compiled, ctx);
        super::assert_same(what, &tera, &compiled);
    }

    fn row(s: &str, author: &str, commit_url: &str) -> ChangeRow {
        let t = s.to_string();
        ChangeRow {
            date: t.clone(),
            pilot: t.clone(),
            url: t.clone(),
            text: t.clone(),
            author: author.into(),
            commit: t,
            commit_url: commit_url.into(),
        }
    }

    /// Views that reach every branch: history unknown with a note, no
    /// groups, one change, hostile text everywhere, rows with and without
    /// an author and a commit link, the week shown and not.
    fn bent() -> Vec<ChangesView> {
        let week = |here| WeekLink { start: HOSTILE.into(), url: HOSTILE.into(), count: 3, here };
        let base = |known, current, count, groups: Vec<ChangeGroup>| ChangesView {
            known,
            note: String::new(),
            start: HOSTILE.into(),
            end: HOSTILE.into(),
            current,
            count,
            groups,
            weeks: vec![week(true), week(false)],
        };
        let rows = [(HOSTILE, HOSTILE, HOSTILE), (HOSTILE, HOSTILE, ""), (HOSTILE, "", ""), ("", "", "")];
        let groups =
            || vec![ChangeGroup { title: HOSTILE.into(), rows: rows.iter().map(|(s, a, u)| row(s, a, u)).collect() }];
        let mut unknown = base(false, true, 0, Vec::new());
        unknown.note = HOSTILE.into();
        vec![
            unknown,
            base(true, true, 0, Vec::new()),
            base(true, false, 1, groups()),
            base(true, true, 4, groups()),
            ChangesView { weeks: Vec::new(), ..base(true, false, 2, groups()) },
        ]
    }

    /// Every week the plan makes, at its address, then the bent views.
    fn compare(plan: &Plan) -> usize {
        let weeks = plan.changes();
        for (i, changes) in weeks.iter().enumerate() {
            let address = plan.changes_address(i);
            let t = crate::render::target(
                "changes.html",
                crate::urls::path_of(&address),
                "What changed",
                crate::urls::CHANGES,
            );
            same(plan, &plan.ctx(&t, &ChangesCtx { changes }), &format!("week {i}"));
        }
        let t = crate::render::target("changes.html", "changes/index.html", "What changed", crate::urls::CHANGES);
        for (k, changes) in bent().iter().enumerate() {
            let view = ChangesCtx { changes };
            same(plan, &plan.ctx(&t, &view), &format!("bent {k}"));
            let mut ctx = plan.ctx(&t, &view);
            (ctx.root, ctx.title) = (HOSTILE.into(), HOSTILE.into());
            same(plan, &ctx, &format!("bent {k} elsewhere"));
        }
        weeks.len()
    }

    #[test]
    fn a_generated_repositorys_weeks_match_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_repo(dir.path(), 30, 80, 12, 5).unwrap();
        assert!(compare(&plan(dir.path())) >= 10);
    }

    #[test]
    fn a_site_outside_git_matches_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::theme::write_example_site(dir.path());
        let plan = plan(dir.path());
        assert!(!plan.site.history.is_known());
        assert_eq!(compare(&plan), 1);
    }
}

mod list_tag_playbook_and_decisions_pages {
    //! The pages of the pilot list, of each tag, of the playbook and of the
    //! decisions awaiting each sponsor, made from the compiled templates
    //! and by Tera (a site whose `templates/` holds the built-in templates
    //! of those pages, unchanged, which turns the compiled ones off): the
    //! same bytes, page for page.

    use crate::pipeline::{build, Options};
    use std::path::{Path, PathBuf};

    /// Every page of the site built into `dir` but the pilots' own, by
    /// path.
    fn pages(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut found: Vec<(PathBuf, Vec<u8>)> = (walkdir::WalkDir::new(dir).into_iter())
            .map(|entry| entry.unwrap().into_path())
            .filter(|entry| entry.extension().is_some_and(|e| e == "html"))
            .filter(|entry| !entry.strip_prefix(dir).unwrap().to_string_lossy().starts_with("pilots/pilot-"))
            .map(|entry| (entry.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&entry).unwrap()))
            .collect();
        found.sort();
        found
    }

    /// Builds the site at `root` with the compiled templates and with
    /// Tera; returns the pages compared, and how many show a page before.
    fn compare(root: &Path) -> (Vec<PathBuf>, usize) {
        let build_into = |out: &Path| {
            let opts = Options {
                root: root.to_path_buf(),
                output: Some(out.to_path_buf()),
                as_of: crate::date::Date::parse("2026-11-20").map(crate::config::AsOf::Date),
                ..Options::default()
            };
            build(&opts).unwrap();
        };
        let outs = tempfile::tempdir().unwrap();
        build_into(&outs.path().join("compiled"));
        let templates = root.join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        for name in ["pilots.html", "tag.html", "page.html", "sponsor_decisions.html"] {
            // As the built-in theme has it (its lines' indents taken off).
            let builtin = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/");
            let text = std::fs::read_to_string(Path::new(builtin).join(name)).unwrap();
            std::fs::write(templates.join(name), crate::dedent::dedent(&text)).unwrap();
        }
        build_into(&outs.path().join("tera"));
        std::fs::remove_dir_all(&templates).unwrap();
        let (compiled, tera) = (pages(&outs.path().join("compiled")), pages(&outs.path().join("tera")));
        assert_eq!(compiled.len(), tera.len());
        for ((path, ours), (tera_path, theirs)) in compiled.iter().zip(&tera) {
            assert_eq!(path, tera_path);
            super::assert_same(
                &path.display().to_string(),
                &String::from_utf8_lossy(theirs),
                &String::from_utf8_lossy(ours),
            );
        }
        // What was compared: the pages' places, and how many show a page
        // before them (the pager's `Option` read through).
        let before =
            compiled.iter().filter(|(_, b)| String::from_utf8_lossy(b).contains("class=\"pager-prev\"")).count();
        (compiled.into_iter().map(|(p, _)| p).collect(), before)
    }

    /// A generated site of the realistic mix over two pages of the list,
    /// with an introduction and a title that needs escaping.
    #[test]
    fn generated_sites_pages_match_tera() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site_with(dir.path(), 300, 7, &crate::synth::Mix::REALISTIC).unwrap();
        std::fs::write(
            dir.path().join("content/pilots/_index.md"),
            "+++\ntitle = \"Pilots <all> & 'co'\"\n+++\nEvery pilot, <em>as recorded</em> & \"kept\".\n",
        )
        .unwrap();
        let (pages, before) = compare(dir.path());
        for kind in ["pilots/page/", "tags/", "playbook/", "/decisions/"] {
            assert!(pages.iter().any(|p| p.to_string_lossy().contains(kind)), "no {kind} page in {pages:?}");
        }
        assert!(before > 10, "{before} pages with a page before");
    }

    /// A site of one pilot with no tags, and one with none at all (the
    /// list's empty branch).
    #[test]
    fn small_and_empty_sites_match_tera() {
        let one = tempfile::tempdir().unwrap();
        crate::synth::write_site_with(one.path(), 1, 3, &crate::synth::Mix::REALISTIC).unwrap();
        assert!(!compare(one.path()).0.is_empty());
        let none = tempfile::tempdir().unwrap();
        crate::synth::write_site_with(none.path(), 0, 3, &crate::synth::Mix::REALISTIC).unwrap();
        assert!(!compare(none.path()).0.is_empty());
    }
}

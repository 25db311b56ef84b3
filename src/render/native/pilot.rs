//! The default theme's `pilot.html` (inside `base.html`), written in Rust
//! (see the parent module).

use super::{esc, link, link_to, num, or, rows};
use crate::model::{Constraint, Pilot, Site};
use crate::render::pilot;
use crate::render::views::{Ctx, DimensionView, PilotView, Rows, TimelineRow};
use crate::render::PilotCtx;

/// `<time datetime="{{ d }}">{{ d }}</time>`
fn time(o: &mut String, d: &str) {
    o.push_str("<time datetime=\"");
    esc(o, d);
    o.push_str("\">");
    esc(o, d);
    o.push_str("</time>");
}

const MUTED_DASH: &str = "<span class=\"muted\">—</span>";

/// The whole page `pilot.html` makes for `ctx`.
pub(in crate::render) fn pilot_page(ctx: &Ctx<&PilotCtx>) -> String {
    let p = &ctx.page.pilot;
    let rows = p.open.len() + p.resolved.len() + p.timeline.len() + p.integration.len();
    let mut o = String::with_capacity(12 * 1024 + p.body_html.len() + rows * 700);
    base_top(&mut o, ctx);
    // {% block content %}
    let root = ctx.root.as_str();
    pilot_header(&mut o, root, p);
    overview(&mut o, p);
    toc(&mut o, p);
    readiness(&mut o, p);
    questions(&mut o, p);
    constraints(&mut o, root, p);
    integration(&mut o, p);
    timeline(&mut o, p);
    // {% if pilot.body_html %}
    if !p.body_html.is_empty() {
        o.push_str("\n<section id=\"pilot-notes\" class=\"pilot-section prose pilot-body\" aria-label=\"Notes from the pilot record\">\n");
        o.push_str(p.body_html); // | safe
        o.push_str("\n</section>\n");
    }
    o.push_str("\n</article>\n");
    // {% endblock content %}
    base_bottom(&mut o, ctx);
    o
}

/// base.html up to `{% block content %}` (for a page that adds nothing to
/// `{% block head %}`).
pub(super) fn base_top<T: serde::Serialize>(o: &mut String, ctx: &Ctx<T>) {
    let (site, root) = (ctx.site, ctx.root.as_str());
    o.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">\n");
    o.push_str("<link rel=\"icon\" href=\"");
    esc(o, root);
    o.push_str("favicon.svg\">\n<title>");
    esc(o, &ctx.title);
    o.push_str(" · ");
    esc(o, &site.title);
    o.push_str("</title>\n<link rel=\"stylesheet\" href=\"");
    esc(o, root);
    o.push_str("style.css\">\n<style media=\"print\">@page { @bottom-left { content: \"Figures as of ");
    esc(o, &site.as_of);
    o.push_str("\"; font-size: 9pt; } @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); font-size: 9pt; } }</style>\n");
    // {% block head %}{% endblock head %}: pilot.html adds nothing.
    o.push_str("\n</head>\n<body data-as-of=\"");
    esc(o, &site.as_of);
    o.push_str("\" data-ladder=\"");
    esc(o, &site.ladder);
    o.push_str("\">\n");
    // {% set home_url = root if root else "./" %}
    let home_url = if root.is_empty() { "./" } else { root };
    o.push_str("\n<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n<header class=\"site-header\">\n<div class=\"site-header-inner\">\n");
    o.push_str("<p class=\"site-brand\"><a class=\"site-title\" href=\"");
    esc(o, home_url);
    o.push_str("\">");
    esc(o, &site.title);
    o.push_str("</a> <span class=\"site-asof\">Figures as of ");
    time(o, &site.as_of);
    o.push_str("</span></p>\n<form class=\"site-search\" action=\"");
    esc(o, root);
    esc(o, site.urls.search);
    o.push_str("\" role=\"search\">\n");
    o.push_str("<label class=\"visually-hidden\" for=\"site-search-q\">Search the site</label>\n");
    o.push_str(
        "<input id=\"site-search-q\" type=\"search\" name=\"q\" placeholder=\"Search pilots, playbook, lessons\">\n",
    );
    o.push_str("</form>\n");
    // {% if site.nav %}
    if !site.nav.is_empty() {
        o.push_str("\n<nav class=\"site-nav\" aria-label=\"Main\">\n<ul>\n");
        for l in &site.nav {
            o.push_str("\n<li><a href=\"");
            if l.url.is_empty() {
                esc(o, home_url);
            } else {
                esc(o, root);
                esc(o, &l.url);
            }
            o.push('"');
            // {% if link.url == section_url and (link.url != "" or path == "") %}
            if l.url == ctx.section_url && (!l.url.is_empty() || ctx.path.is_empty()) {
                o.push_str(" aria-current=\"page\"");
            }
            o.push('>');
            esc(o, &l.title);
            o.push_str("</a></li>\n");
        }
        o.push_str("\n</ul>\n</nav>\n");
    }
    o.push_str("\n</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

/// base.html after `{% endblock content %}`.
pub(super) fn base_bottom<T: serde::Serialize>(o: &mut String, ctx: &Ctx<T>) {
    let site = ctx.site;
    o.push_str("\n</main>\n<footer class=\"site-footer\">\n<div class=\"site-footer-inner\">\n<p>Figures as of ");
    time(o, &site.as_of);
    o.push_str(". ");
    esc(o, &site.title);
    o.push_str(".</p>\n");
    o.push_str("<p class=\"site-footer-note\">Every figure is worked out from the pilot records for the as-of date. If a figure is wrong, the record is wrong: fix it at the source.</p>\n");
    o.push_str("</div>\n</footer>\n<script src=\"");
    esc(o, &ctx.root);
    o.push_str("asof.js\" defer></script>\n</body>\n</html>\n");
}

/// Breadcrumbs and `<header class="pilot-header">`: title, badges, stage track.
fn pilot_header(o: &mut String, root: &str, p: &PilotView) {
    o.push_str(
        "\n<article class=\"pilot\">\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n<ol>\n<li><a href=\"",
    );
    esc(o, root);
    o.push_str("\">Home</a></li>\n<li><a href=\"");
    esc(o, root);
    esc(o, crate::urls::PILOTS);
    o.push_str("\">Pilots</a></li>\n</ol>\n</nav>\n\n<header class=\"pilot-header\">\n<h1>");
    esc(o, p.title);
    o.push_str("</h1>\n");
    if !p.summary.is_empty() {
        o.push_str("<p class=\"summary\">");
        esc(o, p.summary);
        o.push_str("</p>");
    }
    o.push_str("\n<p class=\"pilot-badges\">\n<span class=\"badge stage stage-");
    esc(o, p.stage);
    o.push_str("\"><span class=\"visually-hidden\">Stage: </span>");
    esc(o, p.stage);
    o.push_str("</span>\n");
    if p.production_ready {
        o.push_str("\n<span class=\"badge badge-ok\"><span aria-hidden=\"true\">✓</span> production-ready</span>\n");
    } else {
        o.push_str("\n<span class=\"badge badge-no\">not production-ready</span>\n");
    }
    o.push('\n');
    if p.stale {
        o.push_str("<span class=\"badge badge-warn\"><span aria-hidden=\"true\">⚠</span> stale</span>");
    }
    o.push('\n');
    if !p.open.is_empty() {
        o.push_str("<a class=\"badge badge-count\" href=\"#pilot-constraints\">");
        num(o, p.open.len());
        o.push_str(if p.open.len() == 1 { " open constraint</a>" } else { " open constraints</a>" });
    }
    o.push_str("\n</p>\n\n");

    // {% if pilot.stage_track %}
    if !p.stage_track.is_empty() {
        o.push_str("\n<ol class=\"stage-track\" aria-label=\"Stages\">\n");
        for s in &p.stage_track {
            o.push('\n');
            // {% if not (s.state == "todo" and s.stage in ["stalled", "retired"]) %}
            if !(s.state == "todo" && (s.stage == "stalled" || s.stage == "retired")) {
                o.push_str("\n<li class=\"step step-");
                esc(o, s.state);
                o.push('"');
                if s.state == "current" {
                    o.push_str(" aria-current=\"step\"");
                }
                o.push_str(">\n<span class=\"step-mark\" aria-hidden=\"true\">");
                o.push_str(match s.state {
                    "done" => "✓",
                    "current" => "●",
                    "skipped" => "–",
                    _ => "○",
                });
                o.push_str("</span>\n<span class=\"step-name\">");
                esc(o, s.stage);
                o.push_str("</span>\n<span class=\"step-date\">");
                if !s.date.is_empty() {
                    time(o, &s.date);
                } else if s.state == "todo" {
                    o.push_str("<span class=\"visually-hidden\">not reached</span>");
                }
                o.push_str("</span>\n");
                o.push_str(match s.state {
                    "current" => "<span class=\"visually-hidden\">(current stage)</span>",
                    "done" => "<span class=\"visually-hidden\">(done)</span>",
                    "skipped" => "<span class=\"visually-hidden\">(skipped)</span>",
                    _ => "",
                });
                o.push_str("\n</li>\n");
            }
            o.push('\n');
        }
        o.push_str("\n</ol>\n");
    }
    o.push_str("\n</header>\n\n");
}

/// `<div class="pilot-overview">`: the facts, the update note, the tags.
fn overview(o: &mut String, p: &PilotView) {
    const NOT_NAMED: &str = "<span class=\"muted\">not named</span>";
    const ATTENTION: &str = "<span class=\"attention\"><span aria-hidden=\"true\">⚠</span> ";
    o.push_str("<div class=\"pilot-overview\">\n<dl class=\"facts\">\n");
    o.push_str("<div class=\"fact\">\n<dt>Owner</dt>\n<dd>");
    if p.owner.is_empty() {
        o.push_str(ATTENTION);
        o.push_str("not named</span>");
    } else {
        esc(o, p.owner);
    }
    o.push_str("</dd>\n</div>\n<div class=\"fact\">\n<dt>Champion</dt>\n<dd>");
    or(o, p.champion, NOT_NAMED);
    o.push_str("</dd>\n</div>\n<div class=\"fact\">\n<dt>Sponsor</dt>\n<dd>");
    or(o, p.sponsor, NOT_NAMED);
    o.push_str("</dd>\n</div>\n<div class=\"fact\">\n<dt>Function</dt>\n<dd>");
    or(o, p.function, MUTED_DASH);
    o.push_str("</dd>\n</div>\n<div class=\"fact\">\n<dt>Started</dt>\n<dd>");
    if p.started.is_empty() {
        o.push_str(MUTED_DASH);
    } else {
        time(o, &p.started);
    }
    o.push_str("</dd>\n</div>\n<div class=\"fact\">\n<dt>Target</dt>\n<dd>");
    if p.target.is_empty() {
        o.push_str("<span class=\"muted\">no target date</span>");
    } else {
        time(o, &p.target);
    }
    o.push_str("</dd>\n</div>\n<div class=\"fact\">\n<dt>Production-ready</dt>\n<dd>");
    o.push_str(if p.production_ready { "<strong>Yes</strong>" } else { "No" });
    o.push_str("</dd>\n</div>\n");
    if !p.time_to_production.is_empty() {
        o.push_str("\n<div class=\"fact\">\n<dt>Time to production</dt>\n<dd>");
        esc(o, &p.time_to_production);
        o.push_str("</dd>\n</div>\n");
    }
    o.push('\n');
    if !p.confidence_gap.is_empty() {
        o.push_str(
            "\n<div class=\"fact\">\n<dt>Confidence gap <span class=\"muted\">(leader − team)</span></dt>\n<dd>",
        );
        esc(o, &p.confidence_gap);
        o.push_str("</dd>\n</div>\n");
    }
    o.push_str("\n<div class=\"fact fact-wide\">\n<dt>Success looks like</dt>\n<dd>");
    if p.success.is_empty() {
        o.push_str(ATTENTION);
        o.push_str("not defined</span>");
    } else {
        esc(o, p.success);
    }
    o.push_str("</dd>\n</div>\n</dl>\n\n");

    if p.stale {
        o.push_str("\n<p class=\"alert alert-warn\"><strong><span aria-hidden=\"true\">⚠</span> Stale:</strong> ");
        esc(o, &p.update_note);
        o.push_str(".</p>\n");
    } else if !p.update_note.is_empty() {
        o.push_str("\n<p class=\"update-note muted\">");
        esc(o, &p.update_note);
        o.push_str(".</p>\n");
    }
    o.push_str("\n\n");

    if !p.tags.is_empty() {
        o.push_str("\n<ul class=\"tags\" aria-label=\"Tags\">\n");
        for t in p.tags {
            o.push_str("<li class=\"tag\">");
            esc(o, t);
            o.push_str("</li>");
        }
        o.push_str("\n</ul>\n");
    }
    o.push_str("\n</div>\n\n");
}

/// `<nav class="toc">`: the page's sections, then the body's headings.
fn toc(o: &mut String, p: &PilotView) {
    o.push_str(
        "<nav class=\"toc\" aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\" class=\"toc-title\">On this page</h2>\n<ol>\n",
    );
    o.push_str("<li><a href=\"#pilot-readiness\">Readiness</a></li>\n");
    o.push_str("<li><a href=\"#pilot-questions\">The sponsor's four questions</a></li>\n");
    o.push_str("<li><a href=\"#pilot-constraints\">Constraints</a></li>\n");
    o.push_str("<li><a href=\"#pilot-integration\">Integration map</a></li>\n");
    o.push_str("<li><a href=\"#pilot-timeline\">Timeline</a></li>\n");
    for h in p.toc {
        o.push_str("\n<li class=\"toc-level-");
        num(o, h.level);
        o.push_str("\"><a href=\"#");
        esc(o, &h.id);
        o.push_str("\">");
        esc(o, &h.text);
        o.push_str("</a></li>\n");
    }
    o.push_str("\n</ol>\n</nav>\n\n");
}

/// `<section id="pilot-readiness">`: a card per dimension.
fn readiness(o: &mut String, p: &PilotView) {
    o.push_str("<section id=\"pilot-readiness\" class=\"pilot-section\" aria-labelledby=\"pilot-readiness-h\">\n");
    o.push_str("<h2 id=\"pilot-readiness-h\">Readiness</h2>\n");
    if p.dimensions.is_empty() {
        o.push_str("\n<p class=\"muted\">No readiness rubric is configured.</p>\n");
    } else {
        o.push_str("\n<div class=\"cards\">\n");
        for d in &p.dimensions {
            dimension(o, d);
        }
        o.push_str("\n</div>\n");
    }
    o.push_str("\n</section>\n\n");
}

/// One iteration of `{% for d in pilot.dimensions %}`.
fn dimension(o: &mut String, d: &DimensionView) {
    o.push_str("\n<section class=\"card dimension ");
    o.push_str(if d.ready { "dimension-ready" } else { "dimension-not-ready" });
    o.push_str("\" aria-labelledby=\"dim-");
    esc(o, d.key);
    o.push_str("\">\n<h3 id=\"dim-");
    esc(o, d.key);
    o.push_str("\">");
    esc(o, d.label);
    o.push_str("</h3>\n<p class=\"dimension-score\">\n<span class=\"big-number\">");
    num(o, d.percent);
    o.push_str("%</span>\n<span class=\"dimension-count\">");
    num(o, d.met);
    o.push_str(" of ");
    num(o, d.total);
    o.push_str(" met</span>\n</p>\n<span class=\"bar\" aria-hidden=\"true\"><span class=\"bar-fill\" style=\"width: ");
    num(o, d.percent);
    o.push_str("%\"></span></span>\n<p class=\"dimension-status\">");
    o.push_str(if d.ready {
        "<span class=\"badge badge-ok\"><span aria-hidden=\"true\">✓</span> ready</span>"
    } else {
        "<span class=\"badge badge-warn\"><span aria-hidden=\"true\">✗</span> not ready</span>"
    });
    o.push_str("</p>\n");
    if !d.ready && !d.reason.is_empty() {
        o.push_str("<p class=\"dimension-reason\">");
        esc(o, &d.reason);
        o.push_str("</p>");
    }
    o.push('\n');
    if !d.items.is_empty() {
        o.push_str("\n<ul class=\"evidence\">\n");
        for it in &d.items {
            o.push_str("\n<li class=\"evidence-item evidence-");
            // {{ it.state | replace(from=" ", to="-") }}
            esc(o, &it.state.replace(' ', "-"));
            o.push_str("\">\n<span class=\"evidence-state\">");
            o.push_str(match it.state {
                "met" => "<span aria-hidden=\"true\">✓</span>",
                "not met" => "<span aria-hidden=\"true\">✗</span>",
                _ => "<span aria-hidden=\"true\">?</span>",
            });
            o.push(' ');
            esc(o, it.state);
            o.push_str("</span>\n<span class=\"evidence-text\">");
            esc(o, it.text);
            o.push_str("</span>\n");
            if !it.note.is_empty() {
                o.push_str("<span class=\"evidence-note\">");
                if it.note_is_link {
                    link(o, "", it.note, it.note);
                } else {
                    esc(o, it.note);
                }
                o.push_str("</span>");
            }
            o.push_str("\n</li>\n");
        }
        o.push_str("\n</ul>\n");
    }
    o.push_str("\n</section>\n");
}

/// `<section id="pilot-questions">`: the sponsor's four questions.
fn questions(o: &mut String, p: &PilotView) {
    o.push_str("<section id=\"pilot-questions\" class=\"pilot-section\" aria-labelledby=\"pilot-questions-h\">\n");
    o.push_str("<h2 id=\"pilot-questions-h\">The sponsor's four questions</h2>\n<div class=\"answers\">\n");
    for q in &p.questions {
        let warn = q.tone == "warn";
        o.push_str(if warn { "\n<div class=\"answer answer-warn\">\n<h3>" } else { "\n<div class=\"answer\">\n<h3>" });
        if warn {
            o.push_str("<span class=\"warn-icon\" aria-hidden=\"true\">⚠</span> ");
        }
        esc(o, &q.question);
        o.push_str("</h3>\n");
        for line in &q.lines {
            o.push_str("<p>");
            esc(o, line);
            o.push_str("</p>");
        }
        o.push('\n');
        if warn {
            o.push_str("<p class=\"visually-hidden\">This answer needs attention.</p>");
        }
        o.push_str("\n</div>\n");
    }
    o.push_str("\n</div>\n</section>\n\n");
}

/// `<section id="pilot-constraints">`: the open, then the resolved table.
fn constraints(o: &mut String, root: &str, p: &PilotView) {
    o.push_str("<section id=\"pilot-constraints\" class=\"pilot-section\" aria-labelledby=\"pilot-constraints-h\">\n");
    o.push_str("<h2 id=\"pilot-constraints-h\">Constraints</h2>\n<h3 id=\"pilot-constraints-open\">Open (");
    num(o, p.open.len());
    o.push_str(")</h3>\n");
    if p.open.is_empty() {
        o.push_str("\n<p class=\"ok-note\"><span aria-hidden=\"true\">✓</span> No open constraints.</p>\n");
    } else {
        const HEADS: [&str; 8] =
            ["Constraint", "Category", "Owner", "Due", "Status", "Escalated to", "Impact", "Playbook"];
        table_start(o, "pilot-constraints-open", "data constraints-table", &HEADS);
        for c in &p.open.list {
            open_row(o, root, &p.open, c);
        }
        o.push_str(TABLE_END);
    }

    o.push_str("\n\n<h3 id=\"pilot-constraints-resolved\">Resolved (");
    num(o, p.resolved.len());
    o.push_str(")</h3>\n");
    if p.resolved.is_empty() {
        o.push_str("\n<p class=\"muted\">No resolved constraints yet.</p>\n");
    } else {
        const HEADS: [&str; 7] = ["Constraint", "Category", "Owner", "Raised", "Outcome", "Impact", "Playbook"];
        table_start(o, "pilot-constraints-resolved", "data constraints-table constraints-resolved", &HEADS);
        for c in &p.resolved.list {
            resolved_row(o, root, &p.resolved, c);
        }
        o.push_str(TABLE_END);
    }
    o.push_str("\n</section>\n\n");
}

/// The start of either constraint table: the scrolling region labelled by
/// the heading `labelled_by`, the table of `class`, its column heads.
fn table_start(o: &mut String, labelled_by: &str, class: &str, heads: &[&str]) {
    o.push_str("\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"");
    o.push_str(labelled_by);
    o.push_str("\" tabindex=\"0\">\n<table class=\"");
    o.push_str(class);
    o.push_str("\">\n<thead>\n<tr>\n");
    for head in heads {
        o.push_str("<th scope=\"col\">");
        o.push_str(head);
        o.push_str("</th>\n");
    }
    o.push_str("</tr>\n</thead>\n<tbody>\n");
}

/// The end of either constraint table.
const TABLE_END: &str = "\n</tbody>\n</table>\n</div>\n";

/// The start of a row of either table: `<th>` with the title and library link, the category.
fn row_start(o: &mut String, root: &str, p: &Pilot, c: &Constraint) {
    o.push_str("\n<th scope=\"row\">");
    esc(o, &c.title);
    o.push_str("<br><a class=\"note\" href=\"");
    esc(o, root);
    for part in crate::urls::library_entry_parts(&p.id, &c.id) {
        esc(o, part);
    }
    o.push_str("\">in the library</a></th>\n<td><span class=\"badge category\">");
    esc(o, &c.category);
    o.push_str("</span></td>\n<td>");
}

/// The playbook cell and the end of a row of either table.
fn row_end(o: &mut String, root: &str, site: &Site, c: &Constraint) {
    o.push_str("</td>\n<td>");
    match pilot::playbook(c, site) {
        Some((path, title)) => link_to(o, root, &crate::urls::named_page_parts(path), title),
        None => o.push_str(MUTED_DASH),
    }
    o.push_str("</td>\n</tr>\n");
}

/// One iteration of `{% for c in pilot.open %}`, written from the model as
/// `pilot::constraint_row` would make its row.
fn open_row(o: &mut String, root: &str, r: &Rows, c: &Constraint) {
    let (p, site) = (r.pilot, r.site);
    let status = pilot::status(c);
    o.push_str("\n<tr id=\"c-");
    esc(o, &c.id);
    rows::live(o, p, c, r.config);
    row_start(o, root, p, c);
    rows::owner(o, root, site, c);
    o.push_str("</td>\n<td class=\"nowrap\">");
    rows::date_or(o, c.due, "<span class=\"attention\">none set</span>");
    o.push_str("</td>\n<td><span class=\"status-text status-text-");
    o.push_str(status);
    o.push_str(" js-status\">");
    if status == "overdue" {
        o.push_str("<span aria-hidden=\"true\">⚠</span> ");
    }
    pilot::write_status_text(o, c, site.as_of);
    o.push_str("</span></td>\n<td class=\"js-rung\">");
    match c.escalated_to.as_deref() {
        Some(to) if !to.is_empty() => {
            o.push_str("<strong>");
            rows::escalation_target(o, to, p, c);
            o.push_str("</strong>");
        }
        _ => o.push_str(MUTED_DASH),
    }
    o.push_str("</td>\n<td>");
    or(o, c.impact.as_deref().unwrap_or_default(), "<span class=\"muted\">not recorded</span>");
    row_end(o, root, site, c);
}

/// One iteration of `{% for c in pilot.resolved %}`.
fn resolved_row(o: &mut String, root: &str, r: &Rows, c: &Constraint) {
    o.push_str("\n<tr id=\"c-");
    esc(o, &c.id);
    o.push_str("\" class=\"status-");
    o.push_str(pilot::status(c));
    o.push_str("\">");
    row_start(o, root, r.pilot, c);
    or(o, c.owner.as_deref().unwrap_or_default(), "<span class=\"muted\">nobody named</span>");
    o.push_str("</td>\n<td class=\"nowrap\">");
    rows::date_or(o, c.raised, MUTED_DASH);
    o.push_str("</td>\n<td>");
    pilot::write_status_text(o, c, r.site.as_of);
    o.push_str("</td>\n<td>");
    or(o, c.impact.as_deref().unwrap_or_default(), MUTED_DASH);
    row_end(o, root, r.site, c);
}

/// `<section id="pilot-integration">`: the integration map.
fn integration(o: &mut String, p: &PilotView) {
    o.push_str("<section id=\"pilot-integration\" class=\"pilot-section\" aria-labelledby=\"pilot-integration-h\">\n");
    o.push_str("<h2 id=\"pilot-integration-h\">Integration map</h2>\n");
    if p.integration.is_empty() {
        o.push_str("\n<p class=\"attention-note\"><span aria-hidden=\"true\">⚠</span> No integrations recorded. List every system the pilot reads from, writes to, or needs approval from under <code>[[integration]]</code> in the record.</p>\n");
    } else {
        o.push_str(
            "\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"pilot-integration-h\" tabindex=\"0\">\n",
        );
        o.push_str("<table class=\"data integration-table\">\n<thead>\n");
        o.push_str("<tr><th scope=\"col\">System</th><th scope=\"col\">Direction</th><th scope=\"col\">Status</th><th scope=\"col\">Notes</th></tr>\n");
        o.push_str("</thead>\n<tbody>\n");
        for i in &p.integration {
            o.push_str("\n<tr>\n<th scope=\"row\">");
            esc(o, i.system);
            o.push_str("</th>\n<td>");
            or(o, i.direction, MUTED_DASH);
            o.push_str("</td>\n<td>");
            if i.status.is_empty() {
                o.push_str(MUTED_DASH);
            } else {
                o.push_str("<span class=\"badge integration-status integration-");
                // {{ i.status | replace(from=" ", to="-") }}
                esc(o, &i.status.replace(' ', "-"));
                o.push_str("\">");
                esc(o, i.status);
                o.push_str("</span>");
            }
            o.push_str("</td>\n<td>");
            or(o, i.notes, MUTED_DASH);
            o.push_str("</td>\n</tr>\n");
        }
        o.push_str("\n</tbody>\n</table>\n</div>\n");
    }
    o.push_str("\n</section>\n\n");
}

/// `<section id="pilot-timeline">`: stages entered and weekly updates.
fn timeline(o: &mut String, p: &PilotView) {
    o.push_str("<section id=\"pilot-timeline\" class=\"pilot-section\" aria-labelledby=\"pilot-timeline-h\">\n");
    o.push_str("<h2 id=\"pilot-timeline-h\">Timeline</h2>\n");
    if p.timeline.is_empty() {
        o.push_str("\n<p class=\"muted\">No stage dates or weekly updates recorded yet.</p>\n");
    } else {
        o.push_str("\n<ol class=\"timeline\">\n");
        for t in &p.timeline {
            timeline_item(o, t);
        }
        o.push_str("\n</ol>\n");
    }
    o.push_str("\n</section>\n\n");
}

/// One iteration of `{% for t in pilot.timeline %}`.
fn timeline_item(o: &mut String, t: &TimelineRow) {
    o.push_str("\n<li class=\"timeline-item timeline-");
    esc(o, t.kind);
    o.push_str("\">\n<time class=\"timeline-date\" datetime=\"");
    esc(o, &t.date);
    o.push_str("\">");
    esc(o, &t.date);
    o.push_str("</time>\n");
    if t.kind == "stage" {
        o.push_str("\n<p class=\"timeline-stage\">Entered <span class=\"badge stage stage-");
        esc(o, t.stage);
        o.push_str("\">");
        esc(o, t.stage);
        o.push_str("</span></p>\n");
    } else {
        o.push_str("\n<div class=\"timeline-update\">\n<p class=\"timeline-kind\">Weekly update</p>\n<dl>\n");
        let entry = |o: &mut String, value: &str, open: &str| {
            if !value.is_empty() {
                o.push_str(open);
                esc(o, value);
                o.push_str("</dd></div>");
            }
            o.push('\n');
        };
        entry(o, t.completed, "<div><dt>Completed</dt><dd>");
        entry(o, t.blocker, "<div class=\"timeline-blocker\"><dt>Blocker</dt><dd>");
        entry(o, t.risk, "<div><dt>Risk</dt><dd>");
        entry(o, t.escalation, "<div class=\"timeline-escalation\"><dt>Escalation</dt><dd>");
        if t.leader > 0 {
            o.push_str("<div><dt>Confidence</dt><dd>leader ");
            num(o, t.leader);
            o.push_str(" / team ");
            num(o, t.team);
            o.push_str(" <span class=\"muted\">(out of 5)</span></dd></div>");
        }
        o.push_str("\n</dl>\n</div>\n");
    }
    o.push_str("\n</li>\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Every pilot page of the example site and of a generated one, and of
    //! views bent to reach every branch (empty, hostile text, flipped
    //! flags), written by Tera and natively: the bytes must be the same.

    use super::*;
    use crate::markdown::Heading;
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
        assert!(renderer.native(&["pilot.html", "base.html"]));
        Plan::new(a.site, a.config, theme, renderer)
    }

    /// Tera's page and the native one for `ctx` must be the same bytes.
    fn same(plan: &Plan, ctx: &Ctx<&PilotCtx>, what: &str) {
        crate::render::native::assert_same(what, &plan.renderer.render("pilot.html", ctx).unwrap(), &pilot_page(ctx));
    }

    /// The view with every string replaced by `s` (lists keep their length).
    fn strings<'a>(mut v: PilotView<'a>, s: &'a str, tags: &'a [String], toc: &'a [Heading]) -> PilotView<'a> {
        let owned = || s.to_string();
        (v.id, v.title, v.summary, v.stage, v.function, v.owner, v.champion, v.sponsor, v.success) =
            (s, s, s, s, s, s, s, s, s);
        (v.started, v.target, v.update_note, v.time_to_production, v.confidence_gap) =
            (owned(), owned(), owned(), owned(), owned());
        (v.tags, v.toc, v.body_html, v.lessons_html) = (tags, toc, s, owned().into());
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
                (c.owner, c.impact, c.escalated_to) = (Some(String::new()), Some(String::new()), Some(String::new()));
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
        home_site.ladder = HOSTILE.into();
        let bare_site = SiteView { nav: vec![], as_of: String::new(), ..home_site.clone() };
        home_site.nav.push(Link { title: HOSTILE.into(), url: HOSTILE.into() });
        let mut pages = 0;
        for (i, p) in site.pilots.iter().enumerate() {
            let path = crate::urls::pilot_path(&p.id);
            let t = crate::render::target("pilot.html", &path, &p.title, crate::urls::PILOTS);
            let view = PilotCtx { pilot: pilot::view(p, site, config) };
            same(plan, &plan.ctx(&t, &view), &p.id);
            pages += 1;
            if i % every != 0 {
                continue;
            }
            let flipped_p = flipped_model(p, site);
            let bent = [
                ("flipped", flipped(pilot::view(&flipped_p, site, config))),
                ("emptied", emptied(pilot::view(p, site, config))),
            ];
            for (name, pilot) in bent {
                same(plan, &plan.ctx(&t, &PilotCtx { pilot }), &format!("{} {name}", p.id));
            }
            for s in [HOSTILE, ""] {
                let strings_p = strings_model(p, s);
                let view =
                    PilotCtx { pilot: strings(pilot::view(&strings_p, site, config), s, &hostile_tags, &hostile_toc) };
                same(plan, &plan.ctx(&t, &view), &format!("{} strings {s:?}", p.id));
                let both = flipped_model(&strings_p, site);
                let view = PilotCtx { pilot: flipped(strings(pilot::view(&both, site, config), s, &[], &[])) };
                same(plan, &plan.ctx(&t, &view), &format!("{} flipped strings {s:?}", p.id));
            }
            // The home page's place in the nav, a hostile site, no nav.
            let view = PilotCtx { pilot: pilot::view(p, site, config) };
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
        let plan = plan(dir.path(), "2026-03-20");
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
            assert!(!Renderer::new(&theme).unwrap().native(&["pilot.html", "base.html"]), "{name}");
        }
        let theme = crate::theme::load(Path::new("/nonexistent-pilotdeck-site"), None).unwrap();
        assert!(Renderer::new(&theme).unwrap().native(&["pilot.html", "base.html"]));
    }
}

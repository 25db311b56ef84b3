//! Model -> pages. Builds a typed view for every page, renders it with the
//! Tera templates of the theme, and returns the whole site as an
//! [`Output`]. Sees the model and the theme, never the files on disk.

mod community;
mod exports;
mod home;
mod library;
mod nav;
mod pilot;
pub mod portfolio;
pub mod search;
pub mod views;

use crate::config::Config;
use crate::model::Site;
use crate::output::Output;
use crate::theme::Theme;
use serde::Serialize;
use views::{Ctx, Link, SiteView};

/// A template that would not compile or render.
#[derive(Debug)]
pub struct TemplateError {
    /// Where the template came from (`templates/page.html`).
    pub origin: String,
    pub message: String,
}

/// Templates compiled once for a build.
pub struct Renderer {
    tera: tera::Tera,
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, TemplateError> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let all = theme.templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            let message = error_chain(&e);
            let origin = theme
                .templates
                .iter()
                .find(|t| message.contains(&t.name))
                .map_or_else(|| "templates".to_string(), |t| t.origin.clone());
            return Err(TemplateError { origin, message });
        }
        Ok(Renderer { tera })
    }

    fn render<T: Serialize>(&self, name: &str, ctx: &Ctx<T>) -> Result<String, TemplateError> {
        let context = tera::Context::from_serialize(ctx)
            .map_err(|e| TemplateError { origin: name.into(), message: error_chain(&e) })?;
        self.tera.render(name, &context).map_err(|e| TemplateError { origin: name.into(), message: error_chain(&e) })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Pages of an earlier render that may be reused: the pilot pages of
/// records that did not change (same config, templates and as-of date).
pub struct Reuse<'a> {
    pub previous: &'a Output,
    pub unchanged: &'a std::collections::BTreeSet<String>,
}

/// Renders every page of the site (but the reusable ones).
pub fn render(site: &Site, config: &Config, theme: &Theme, reuse: Option<&Reuse>) -> Result<Output, TemplateError> {
    let renderer = Renderer::new(theme)?;
    let sv = site_view(site, config);
    let pages = Pages { renderer: &renderer, site: &sv };
    let mut out = Output::default();

    let data = portfolio::data(site, config);
    let charts =
        portfolio::charts(&data, &mut out).map_err(|e| TemplateError { origin: "charts".into(), message: e.0 })?;
    let on_home =
        charts.iter().filter(|c| c.id == "readiness-heatmap" || c.id == "constraints-by-age").cloned().collect();
    pages.emit(&mut out, target("home.html", "", "Home", ""), &home::view(site, config, 10, on_home))?;
    let board = home::view(site, config, 50, charts);
    pages.emit(&mut out, target("portfolio.html", "portfolio", "Portfolio", "portfolio/"), &board)?;
    pages.emit(&mut out, target("pilots.html", "pilots", "Pilots", "pilots/"), &home::pilots_view(site, config))?;
    let library = library::library_view(site, config);
    pages.emit(&mut out, target("constraints.html", "constraints", "Constraint library", "constraints/"), &library)?;
    pages.emit(&mut out, target("owners.html", "owners", "Owners", "owners/"), &library::people_view(site))?;
    for person in &site.people {
        let view = PersonCtx { person: library::person_view(site, config, person) };
        pages.emit(
            &mut out,
            target("owner.html", &format!("owners/{}", person.slug), &person.name, "owners/"),
            &view,
        )?;
    }
    out.add("constraints.csv", exports::csv(site, config));
    out.add("portfolio.json", exports::json(site, config));
    out.add("feed.xml", exports::feed(site, config));
    // Pilot pages, the bulk of the site, in parallel (in pilot order).
    let pilot_pages: Vec<(String, Result<crate::output::Content, TemplateError>)> = {
        use rayon::prelude::*;
        site.pilots
            .par_iter()
            .map(|p| {
                let file = format!("pilots/{}/index.html", p.id);
                if let Some(old) =
                    reuse.filter(|r| r.unchanged.contains(&p.id)).and_then(|r| r.previous.files.get(&file))
                {
                    return (file, Ok(old.clone()));
                }
                let view = PilotCtx { pilot: pilot::view(p, site, config) };
                let path = format!("pilots/{}", p.id);
                let html = pages.html(target("pilot.html", &path, &p.title, "pilots/"), &view);
                (file, html.map(|h| crate::output::Content::Bytes(h.into_bytes())))
            })
            .collect()
    };
    for (file, content) in pilot_pages {
        out.files.insert(file, content?);
    }
    let lessons_view = community::lessons_view(site);
    let lessons_title =
        site.sections.iter().find(|s| s.path == "lessons").map_or("Lessons learned", |s| s.title.as_str());
    pages.emit(&mut out, target("lessons.html", "lessons", lessons_title, "lessons/"), &lessons_view)?;
    let tags = community::tags(site);
    pages.emit(&mut out, target("tags.html", "tags", "Tags", "tags/"), &community::tags_view(site, &tags))?;
    for t in &tags {
        let view = TagCtx { tag: community::tag_view(site, t, &lessons_view.lessons) };
        pages.emit(&mut out, target("tag.html", &format!("tags/{}", t.slug), &t.name, "tags/"), &view)?;
    }
    for (i, s) in site.sections.iter().enumerate() {
        if s.path == "pilots" || s.path == "lessons" {
            continue;
        }
        let view = SectionCtx { section: nav::section_view(site, i) };
        pages.emit(&mut out, target("section.html", &s.path, &s.title, &nav::top_url(site, i)), &view)?;
    }
    for (i, p) in site.pages.iter().enumerate() {
        let top = p.section.map(|s| nav::top_url(site, s)).unwrap_or_default();
        let addressed = library::open_in(site, config, &p.addresses, 20);
        let mut page = nav::page_view(site, i, addressed);
        (page.related_lessons, page.related_pilots, page.tag_links) =
            community::related(site, p, &lessons_view.lessons);
        let view = PageCtx { page };
        pages.emit(&mut out, target("page.html", &p.path, &p.title, &top), &view)?;
    }
    let not_found = Ctx {
        site: &sv,
        root: base_path(&config.base_url),
        path: "404.html".into(),
        title: "Page not found".into(),
        section_url: String::new(),
        page: views::NotFoundView {},
    };
    out.add("404.html", renderer.render("404.html", &not_found)?);
    out.add("sitemap.xml", sitemap(site, config));
    let search_view = SearchView { enabled: cfg!(feature = "search") };
    pages.emit(&mut out, target("search.html", "search", "Search", "search/"), &search_view)?;
    for (path, content) in &theme.statics {
        out.files.insert(path.clone(), content.clone());
    }
    for (from, to) in &site.assets {
        out.copy(to.clone(), from.clone());
    }
    Ok(out)
}

/// Where a page goes and what it is called.
struct Target<'a> {
    name: &'a str,
    path: &'a str,
    title: &'a str,
    section_url: &'a str,
}

fn target<'a>(name: &'a str, path: &'a str, title: &'a str, section_url: &'a str) -> Target<'a> {
    Target { name, path, title, section_url }
}

/// Renders one page of any kind into the output.
struct Pages<'a> {
    renderer: &'a Renderer,
    site: &'a SiteView,
}

impl Pages<'_> {
    fn emit<T: Serialize>(&self, out: &mut Output, t: Target, view: &T) -> Result<(), TemplateError> {
        let file = if t.path.is_empty() { "index.html".to_string() } else { format!("{}/index.html", t.path) };
        let html = self.html(t, view)?;
        out.add(file, html);
        Ok(())
    }

    fn html<T: Serialize>(&self, t: Target, view: &T) -> Result<String, TemplateError> {
        let ctx = Ctx {
            site: self.site,
            root: crate::model::root_of(t.path),
            path: path_url(t.path),
            title: t.title.to_string(),
            section_url: t.section_url.to_string(),
            page: view,
        };
        self.renderer.render(t.name, &ctx)
    }
}

#[derive(Serialize)]
struct PilotCtx {
    pilot: views::PilotView,
}

#[derive(Serialize)]
struct SearchView {
    /// Whether this build of pilotdeck indexes the site for search.
    enabled: bool,
}

#[derive(Serialize)]
struct TagCtx {
    tag: views::TagView,
}

#[derive(Serialize)]
struct PersonCtx {
    person: views::PersonView,
}

#[derive(Serialize)]
struct SectionCtx {
    section: views::SectionView,
}

#[derive(Serialize)]
struct PageCtx {
    page: views::PageView,
}

fn path_url(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    }
}

fn site_view(site: &Site, config: &Config) -> SiteView {
    let mut nav = vec![
        Link { title: "Home".into(), url: String::new() },
        Link { title: "Portfolio".into(), url: "portfolio/".into() },
        Link { title: "Pilots".into(), url: "pilots/".into() },
        Link { title: "Constraints".into(), url: "constraints/".into() },
        Link { title: "Owners".into(), url: "owners/".into() },
    ];
    for &i in &site.roots {
        let s = &site.sections[i];
        if s.path != "pilots" && s.path != "lessons" {
            nav.push(Link { title: s.title.clone(), url: format!("{}/", s.path) });
        }
    }
    nav.push(Link { title: "Lessons".into(), url: "lessons/".into() });
    nav.push(Link { title: "Tags".into(), url: "tags/".into() });
    SiteView {
        title: config.title.clone(),
        base_url: config.base_url.clone(),
        as_of: site.as_of.to_string(),
        nav,
        ladder: config.escalation.iter().map(|r| r.after_days.to_string()).collect::<Vec<_>>().join(","),
    }
}

/// The path part of the base URL, with slashes at both ends (`/ai/`).
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.split_once('/').map_or("", |(_, p)| p).trim_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    }
}

fn sitemap(site: &Site, config: &Config) -> String {
    let mut paths: Vec<String> = ["", "pilots/", "portfolio/", "constraints/", "owners/", "lessons/", "tags/"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    paths.extend(site.people.iter().map(|p| format!("owners/{}/", p.slug)));
    paths.extend(site.pilots.iter().map(|p| format!("pilots/{}/", p.id)));
    paths.extend(
        site.sections.iter().filter(|s| s.path != "pilots" && s.path != "lessons").map(|s| format!("{}/", s.path)),
    );
    paths.extend(site.pages.iter().map(|p| format!("{}/", p.path)));
    paths.sort();
    let base = if config.base_url.is_empty() { String::new() } else { config.base_url.clone() };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        xml.push_str(&format!("  <url><loc>{}/{}</loc></url>\n", escape_xml(&base), escape_xml(&p)));
    }
    xml.push_str("</urlset>\n");
    xml
}

fn escape_xml(s: &str) -> String {
    crate::charts::escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("https://intranet.example"), "/");
        assert_eq!(base_path("https://intranet.example/ai/"), "/ai/");
    }
}

//! Model -> pages. Builds a typed view for every page, renders it with the
//! Tera templates of the theme, and returns the whole site as an
//! [`Output`]. Sees the model and the theme, never the files on disk.
//! This file holds the plan of one build (what its pages share) and the
//! making of each file; `engine` the templates, `jobs` the list of files,
//! `crate::exports` writes the files that are not pages (CSV, JSON, feed,
//! sitemap) for their jobs.

mod community;
mod compiled;
mod engine;
mod history;
mod home;
mod inputs;
mod jobs;
mod library;
mod nav;
mod paging;
mod pilot;
pub mod portfolio;
pub mod views;

use crate::config::Config;
use crate::model::Site;
use crate::output::{Content, Output};
use crate::theme::Theme;
use crate::urls;
use serde::Serialize;
use std::sync::{Arc, OnceLock};
use views::{ChartView, Ctx, LessonsView, Link, SiteView};

pub use engine::{Renderer, Streamed, TemplateError};
use jobs::listed;
pub use jobs::{collisions, Collider, Collision, Job};
/// A constraint's status in words (`overdue by 3 days`, `resolved 2026-05-02`), as its row says it, appended to a text.
pub(crate) use pilot::write_status_text as write_constraint_status;

/// What every page of one build shares: the model, the compiled templates,
/// and the views several pages use, each made once when first needed.
pub struct Plan {
    pub site: Arc<Site>,
    pub config: Arc<Config>,
    theme: Arc<Theme>,
    renderer: Arc<Renderer>,
    sv: SiteView,
    charts: OnceLock<Result<Vec<(ChartView, String)>, String>>,
    lessons: OnceLock<LessonsView>,
    changes: OnceLock<Vec<views::ChangesView>>,
    tags: OnceLock<Vec<community::Tag>>,
    order: OnceLock<crate::library_order::Order>,
    /// The address suffix of each page of the library (`paging`).
    library_pages: OnceLock<Vec<String>>,
    library_filters: OnceLock<views::Filters>,
    /// The pilots in the pilot index's order.
    pilot_order: OnceLock<(Vec<usize>, views::Filters)>,
    /// Each person's constraints in the order of their page, and how many
    /// are open (`library::person_constraints`).
    person_lists: OnceLock<Vec<library::PersonList>>,
    by_category: OnceLock<crate::hash::FastMap<String, Vec<usize>>>,
    /// Every file but the pilot pages, by path (see [`Plan::job_for`]).
    others: OnceLock<crate::hash::FastMap<String, Job>>,
    asset_paths: OnceLock<crate::hash::FastSet<String>>,
    /// A digest of what every page is made from (see [`Plan::inputs`]).
    shared_inputs: OnceLock<u128>,
    /// The digest of each constraint's row (see [`Plan::row_digests`]).
    row_digests: OnceLock<inputs::RowDigests>,
}

impl Plan {
    pub fn new(site: Arc<Site>, config: Arc<Config>, theme: Arc<Theme>, renderer: Arc<Renderer>) -> Plan {
        let sv = site_view(&site, &config);
        Plan {
            site,
            config,
            theme,
            renderer,
            sv,
            charts: OnceLock::new(),
            lessons: OnceLock::new(),
            changes: OnceLock::new(),
            tags: OnceLock::new(),
            order: OnceLock::new(),
            library_pages: OnceLock::new(),
            library_filters: OnceLock::new(),
            pilot_order: OnceLock::new(),
            person_lists: OnceLock::new(),
            by_category: OnceLock::new(),
            others: OnceLock::new(),
            asset_paths: OnceLock::new(),
            shared_inputs: OnceLock::new(),
            row_digests: OnceLock::new(),
        }
    }

    /// Every file of the site, by output path, in path order.
    pub fn jobs(&self) -> Vec<(String, Job)> {
        let site = &*self.site;
        let pilots = site.pilots.iter().enumerate().map(|(i, p)| (urls::pilot_file(&p.id), Job::Pilot(i)));
        let mut jobs: Vec<(String, Job)> = self.listed(pilots);
        // Later entries win, as when the files were written one over another
        // (an asset over a static file of the same name).
        jobs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, Job)> = Vec::with_capacity(jobs.len());
        for (path, job) in jobs {
            match out.last_mut() {
                Some(last) if last.0 == path => last.1 = job,
                _ => out.push((path, job)),
            }
        }
        out
    }

    /// The job that makes the file at `path`, without listing every file
    /// (what `serve` asks on each request and rebuild): a pilot page is
    /// found among the records, sorted by id, anything else in a map of
    /// the other files (a few hundred) made on first use.
    pub fn job_for(&self, path: &str) -> Option<Job> {
        // A pilot page, unless a static file or an asset of that path is
        // made over it (nothing else can have such a path).
        let pilot = urls::pilot_of(path).and_then(|id| self.site.pilot_index(id));
        if let Some(i) = pilot {
            if !self.theme.statics.contains_key(path) && !self.is_asset(path) {
                return Some(Job::Pilot(i));
            }
        }
        self.other_job(path)
    }

    /// Whether an asset from `content/` is copied to `path`.
    pub fn is_asset(&self, path: &str) -> bool {
        let assets = self.asset_paths.get_or_init(|| self.site.assets.iter().map(|(_, to)| to.clone()).collect());
        assets.contains(path)
    }

    /// The job that makes the file at `path` among the files that are not
    /// pilot pages (a few hundred, in a map made on first use).
    fn other_job(&self, path: &str) -> Option<Job> {
        let others = self.others.get_or_init(|| {
            let mut map = crate::hash::FastMap::default();
            // In list order, so that later entries win as in `jobs`; no
            // file listed before the pilot pages has a pilot page's path.
            for (path, job) in self.listed(std::iter::empty()) {
                map.insert(path, job);
            }
            map
        });
        others.get(path).cloned()
    }

    /// Every file of the site in the order that decides which of two with
    /// one path is made (the later), with `pilots` in their place.
    fn listed(&self, pilots: impl Iterator<Item = (String, Job)>) -> Vec<(String, Job)> {
        listed(&self.site, self.tags(), &self.theme, pilots)
    }

    /// Makes the views that several files share, side by side, so that no
    /// page job waits on another thread making one (each is made once).
    pub fn prepare(&self) {
        rayon::join(
            || {
                rayon::join(
                    || {
                        self.order();
                        self.row_digests()
                    },
                    || self.lessons(),
                )
            },
            || {
                rayon::join(
                    || self.by_category.get_or_init(|| community::pilots_by_category(&self.site)),
                    || self.charts().is_ok(),
                )
            },
        );
    }

    fn tags(&self) -> &[community::Tag] {
        self.tags.get_or_init(|| community::tags(&self.site))
    }

    fn order(&self) -> &crate::library_order::Order {
        self.order.get_or_init(|| crate::library_order::Order::new(&self.site))
    }

    /// Where each constraint is in the paged library, for links to it.
    fn library(&self) -> paging::LibraryLinks<'_> {
        let order = self.order();
        paging::LibraryLinks { order, suffixes: self.library_suffixes() }
    }

    /// The suffixes of the library's pages (see [`paging::LibraryLinks`]):
    /// how many there are needs no order.
    fn library_suffixes(&self) -> &[String] {
        self.library_pages
            .get_or_init(|| paging::LibraryLinks::suffixes(self.site.pilots.iter().map(|p| p.constraints.len()).sum()))
    }

    fn library_filters(&self) -> &views::Filters {
        self.library_filters.get_or_init(|| library::filters(&self.site, &self.config))
    }

    /// The view of each week of `/changes/` (0: this week), made once for
    /// the pages and the feed.
    fn changes(&self) -> &[views::ChangesView] {
        self.changes.get_or_init(|| history::changes_views(&self.site, &self.config))
    }

    /// The address of the week `i` of `/changes/`: this week's page is
    /// there also when no week has changes.
    fn changes_address(&self, i: usize) -> String {
        self.site.history.changes.get(i).map_or(urls::CHANGES.to_string(), |w| urls::changes_page(i, w.start))
    }

    fn lessons(&self) -> &LessonsView {
        self.lessons.get_or_init(|| community::lessons_view(&self.site))
    }

    fn charts(&self) -> Result<&[(ChartView, String)], TemplateError> {
        self.charts
            .get_or_init(|| {
                let data = portfolio::data(&self.site, &self.config);
                portfolio::charts(&data).map_err(|e| e.0)
            })
            .as_deref()
            .map_err(|e| TemplateError { origin: "charts".into(), message: e.clone() })
    }

    fn chart_views(&self, keep: impl Fn(&str) -> bool) -> Result<Vec<ChartView>, TemplateError> {
        Ok(self.charts()?.iter().map(|(v, _)| v).filter(|v| keep(&v.id)).cloned().collect())
    }

    /// Page `n` (from 0) of the lessons list: where it goes and what its
    /// template gets.
    fn lessons_page(&self, n: usize) -> Result<(String, &str, views::LessonsPage<'_>), TemplateError> {
        let site = &*self.site;
        let title = site.section_at(urls::LESSONS).map_or("Lessons learned", |s| s.title.as_str());
        let all = self.lessons();
        let address = urls::list_page(urls::LESSONS, n + 1);
        let root = urls::root_of(&address);
        let rows = self.rows_html(
            (compiled::lesson_rows::SOURCES, compiled::lesson_rows::render),
            &root,
            paging::slice(&all.lessons, n, paging::LESSONS),
            |l| l,
        )?;
        let page = views::LessonsPage {
            intro_html: &all.intro_html,
            count: all.lessons.len(),
            rows: rows.parts,
            by_tag: &all.by_tag,
            by_category: &all.by_category,
            pager: paging::pager(urls::LESSONS, n, paging::LESSONS, all.lessons.len()),
            filters: &all.filters,
        };
        Ok((urls::path_of(&address).to_string(), title, page))
    }

    /// Page `page` (from 1) of the decisions awaiting the sponsor of the
    /// group `k`: where it goes and what its template gets, handed to
    /// `then` (to make the page, or the digest of its inputs).
    fn sponsor_decisions_page<R>(
        &self,
        k: usize,
        page: usize,
        then: impl FnOnce(Target, &views::SponsorDecisionsPage) -> Result<R, TemplateError>,
    ) -> Result<R, TemplateError> {
        let site = &*self.site;
        let view = home::sponsor_decisions(site, &self.config, k, page);
        let slug = site.decisions[k].sponsor.map(|s| site.people[s].slug.as_str());
        let address = urls::sponsor_decisions(slug, page);
        let title = match view.group.sponsor.as_str() {
            "" => "Decisions needed: pilots without a sponsor".to_string(),
            name => format!("Decisions needed: {name}'s pilots"),
        };
        then(target("sponsor_decisions.html", urls::path_of(&address), &title, urls::PORTFOLIO), &view)
    }

    /// The page of all tags, handed to `then` (see
    /// [`Plan::sponsor_decisions_page`]).
    fn tags_page<R>(
        &self,
        then: impl FnOnce(Target, &views::TagsView) -> Result<R, TemplateError>,
    ) -> Result<R, TemplateError> {
        let view = community::tags_view(self.tags(), self.lessons());
        then(target("tags.html", urls::path_of(urls::TAGS), "Tags", urls::TAGS), &view)
    }

    /// The page of the tag `i`, handed to `then` (see
    /// [`Plan::sponsor_decisions_page`]).
    fn tag_page<R>(
        &self,
        i: usize,
        then: impl FnOnce(Target, &TagCtx) -> Result<R, TemplateError>,
    ) -> Result<R, TemplateError> {
        let t = &self.tags()[i];
        let view = TagCtx { tag: community::tag_view(&self.site, &self.config, t, self.lessons()) };
        let address = urls::tag(&t.slug);
        then(target("tag.html", urls::path_of(&address), &t.name, urls::TAGS), &view)
    }

    /// Page `n` (from 0) of the constraint library, its tables' rows made
    /// by `rows` (for a page at a root), given to `then` with where it
    /// goes.
    fn library_page<R>(
        &self,
        n: usize,
        rows: &PagedRows,
        then: impl FnOnce(Target, &views::LibraryView) -> Result<R, TemplateError>,
    ) -> Result<R, TemplateError> {
        let address = urls::list_page(urls::CONSTRAINTS, n + 1);
        let root = urls::root_of(&address);
        let rows = |r: &[(usize, usize)]| rows(&root, r);
        let filters = self.library_filters().clone();
        let library = library::library_view(&self.site, &self.config, self.library(), n, filters, &rows)?;
        then(target("constraints.html", urls::path_of(&address), "Constraint library", urls::CONSTRAINTS), &library)
    }

    /// Page `n` (from 0) of the pilot index, its table's rows made by
    /// `rows` (for a page at a root, from the pilots' indexes), given to
    /// `then` with where it goes.
    fn pilots_page<R>(
        &self,
        n: usize,
        rows: &IndexRows,
        then: impl FnOnce(Target, &views::PilotsView) -> Result<R, TemplateError>,
    ) -> Result<R, TemplateError> {
        let address = urls::list_page(urls::PILOTS, n + 1);
        let root = urls::root_of(&address);
        let rows = |shown: &[usize]| rows(&root, shown);
        let order = self.pilot_order.get_or_init(|| home::pilot_order(&self.site, &self.config));
        let view = home::pilots_view(&self.site, &self.config, order, n, &rows)?;
        then(target("pilots.html", urls::path_of(&address), "Pilots", urls::PILOTS), &view)
    }

    /// Page `n` (from 0) of the page of the person `i`, as
    /// [`Plan::library_page`] gives the library's.
    fn owner_page<R>(
        &self,
        i: usize,
        n: usize,
        rows: &PagedRows,
        then: impl FnOnce(Target, &PersonCtx) -> Result<R, TemplateError>,
    ) -> Result<R, TemplateError> {
        let site = &*self.site;
        let person = &site.people[i];
        let address = urls::list_page(&urls::owner(&person.slug), n + 1);
        let root = urls::root_of(&address);
        let rows = |r: &[(usize, usize)]| rows(&root, r);
        let filters = views::Filters { owners: Vec::new(), ..self.library_filters().clone() };
        let lists = self
            .person_lists
            .get_or_init(|| site.people.iter().map(|person| library::person_constraints(site, person)).collect());
        let (mine, open) = (&lists[i].0, lists[i].1);
        let view =
            PersonCtx { person: library::person_view(site, &self.config, person, (mine, open), n, filters, &rows)? };
        then(target("owner.html", urls::path_of(&address), &person.name, urls::OWNERS), &view)
    }

    /// Makes one file.
    pub fn make(&self, job: &Job) -> Result<Content, TemplateError> {
        let (site, config) = (&*self.site, &*self.config);
        let html = match job {
            Job::Home => {
                let charts = self.chart_views(|id| id == "readiness-heatmap" || id == "constraints-by-age")?;
                self.html(
                    target("home.html", urls::HOME, "Home", urls::HOME),
                    &home::view(site, config, self.library(), 10, charts, None),
                )?
            }
            Job::Portfolio => {
                let since = site.history.board_since.as_ref();
                let board = home::view(site, config, self.library(), 50, self.chart_views(|_| true)?, since);
                self.html(
                    target("portfolio.html", urls::path_of(urls::PORTFOLIO), "Portfolio", urls::PORTFOLIO),
                    &board,
                )?
            }
            Job::Decisions => {
                let view = DecisionsCtx { decisions: home::decisions_index(site, config) };
                self.html(
                    target("decisions.html", urls::path_of(urls::DECISIONS), "Decisions needed", urls::PORTFOLIO),
                    &view,
                )?
            }
            Job::SponsorDecisions(k, page) => {
                self.sponsor_decisions_page(*k, *page, |t, v| self.decisions_html(t, v))?
            }
            Job::Chart(i) => {
                let svg = self.charts()?.get(*i).map(|(_, svg)| svg.clone()).unwrap_or_default();
                return Ok(Content::Bytes(svg.into_bytes()));
            }
            Job::Pilots(n) => {
                let rows = |root: &str, shown: &[usize]| {
                    self.rows_html((compiled::pilot_rows::SOURCES, compiled::pilot_rows::render), root, shown, |&i| {
                        home::pilot_row(&site.pilots[i])
                    })
                };
                self.pilots_page(*n, &rows, |t, v| {
                    self.compiled_page(t, v, compiled::pilots::SOURCES, compiled::pilots::render)
                })?
            }
            Job::Library(n) => {
                self.library_page(*n, &|root, rows| self.constraint_rows_html(root, rows), |t, v| self.html(t, v))?
            }
            Job::Owner(i, n) => {
                self.owner_page(*i, *n, &|root, rows| self.constraint_rows_html(root, rows), |t, v| self.html(t, v))?
            }
            Job::Json | Job::Csv | Job::PilotsCsv => {
                let mut bytes = Vec::new();
                // Made once: no digests, nothing to copy from.
                self.write_streamed(job, &crate::exports::Reuse::none(), &mut bytes).map_err(|e| match e {
                    Streamed::Template(e) => e,
                    Streamed::Io(e) => TemplateError { origin: "output".into(), message: e.to_string() },
                })?;
                return Ok(Content::Bytes(bytes));
            }
            Job::Owners => self.html(
                target("owners.html", urls::path_of(urls::OWNERS), "Owners", urls::OWNERS),
                &library::people_view(site),
            )?,
            Job::Feed => crate::exports::feed(site, config),
            Job::Pilot(i) => {
                let p = &site.pilots[*i];
                // The library order when it is made (a build makes it
                // first); else this pilot's places only, counted: `serve`
                // makes an edited record's page before any list asks for
                // the order of every constraint.
                let places;
                let links = match self.order.get() {
                    Some(_) => self.library().into(),
                    None => {
                        places = crate::library_order::count_places(site, *i);
                        paging::RowLinks::Counted { pilot: p, places: &places, suffixes: self.library_suffixes() }
                    }
                };
                let view = PilotCtx { pilot: pilot::view(p, site, config, links) };
                let path = urls::pilot_path(&p.id);
                let t = target("pilot.html", &path, &p.title, urls::PILOTS);
                self.compiled_page(t, &view, compiled::pilot::SOURCES, compiled::pilot::render)?
            }
            Job::Lessons(n) => {
                let (path, title, page) = self.lessons_page(*n)?;
                let t = target("lessons.html", &path, title, urls::LESSONS);
                self.compiled_page(t, &page, compiled::lessons::SOURCES, compiled::lessons::render)?
            }
            Job::Tags => self.tags_page(|t, v| self.html(t, v))?,
            Job::Tag(i) => self.tag_page(*i, |t, v| self.tag_html(t, v))?,
            Job::Section(i) => {
                let s = &site.sections[*i];
                let view = SectionCtx { section: nav::section_view(site, *i) };
                self.html(target("section.html", &s.path, &s.title, &nav::top_url(site, *i)), &view)?
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let top = p.section.map(|s| nav::top_url(site, s)).unwrap_or_default();
                let addressed = library::open_in(site, self.library(), &p.addresses, 20);
                let mut page = nav::page_view(site, *i, addressed);
                let by_category = self.by_category.get_or_init(|| community::pilots_by_category(site));
                (page.related_lessons, page.related_pilots, page.tag_links) =
                    community::related(site, p, self.lessons(), self.tags(), by_category);
                self.compiled_page(
                    target("page.html", &p.path, &p.title, &top),
                    &PageCtx { page },
                    compiled::page::SOURCES,
                    compiled::page::render,
                )?
            }
            Job::NotFound => {
                let not_found = Ctx {
                    site: &self.sv,
                    root: urls::base_root(&config.base_url),
                    path: urls::NOT_FOUND.into(),
                    title: "Page not found".into(),
                    section_url: String::new(),
                    page: views::NotFoundView {},
                };
                self.renderer.render("404.html", &not_found)?
            }
            Job::Sitemap => crate::exports::sitemap(site, config),
            Job::Changes(i) => {
                let Some(changes) = self.changes().get(*i) else { return Ok(Content::Bytes(Vec::new())) };
                let view = ChangesCtx { changes };
                let address = self.changes_address(*i);
                let t = target("changes.html", urls::path_of(&address), "What changed", urls::CHANGES);
                self.compiled_page(t, &view, compiled::changes::SOURCES, compiled::changes::render)?
            }
            Job::ChangesFeed => history::changes_feed(site, config, self.changes()),
            Job::Search => {
                self.html(target("search.html", urls::path_of(urls::SEARCH), "Search", urls::SEARCH), &SearchView {})?
            }
            Job::Static(path) => {
                return Ok(self.theme.statics.get(path).cloned().unwrap_or(Content::Bytes(Vec::new())));
            }
            Job::Asset(i) => return Ok(Content::Copy(site.assets[*i].0.clone())),
            Job::Redirect(i, k) => {
                let p = &site.pages[*i];
                let from = &p.redirect_from[*k].0;
                let view = views::RedirectView { to: urls::root_of(from) + &urls::page(&p.path) };
                self.html(target("redirect.html", from, &p.title, urls::HOME), &view)?
            }
        };
        Ok(Content::Bytes(html.into_bytes()))
    }

    /// Renders the rows of a long table for a page at `root` with a row
    /// partial, a chunk of `items` at a time, in parallel: a table of
    /// thousands of rows never has them all in one template context. The
    /// partial is the first of `sources`, written by its compiled `render`
    /// while the theme has not replaced it.
    fn rows_html<'t, T: Sync, R: Serialize>(
        &self,
        (sources, compiled): (&[&str], CompiledRows<R>),
        root: &str,
        items: &'t [T],
        row: impl Fn(&'t T) -> R + Sync,
    ) -> Result<views::RowsHtml, TemplateError> {
        use rayon::prelude::*;
        const CHUNK: usize = 500;
        let parts = items
            .par_chunks(CHUNK)
            .map(|chunk| {
                let rows: Vec<R> = chunk.iter().map(&row).collect();
                self.rows(sources, compiled, root, &rows).map(|html| tera::Value::safe_string(&html))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(views::RowsHtml { count: items.len(), total: items.len(), parts })
    }

    /// `rows` through the row partial that is the first of `sources`.
    fn rows<R: Serialize>(
        &self,
        sources: &[&str],
        compiled: CompiledRows<R>,
        root: &str,
        rows: &[R],
    ) -> Result<String, TemplateError> {
        let ctx = RowsCtx { root, rows };
        if self.renderer.builtin(sources) {
            let mut out = String::with_capacity(rows.len() * 1024);
            compiled(&mut out, &ctx);
            return Ok(out);
        }
        self.renderer.render_rows(sources[0], &ctx)
    }

    /// Rows of a constraint table, from pilot and constraint indexes, for
    /// a page at `root`; an error is kept to be shown with the page's.
    fn constraint_rows_html(&self, root: &str, rows: &[(usize, usize)]) -> Result<views::RowsHtml, TemplateError> {
        let (site, library) = (&*self.site, self.library());
        crate::library_order::read_ahead(site, rows);
        let views: Vec<views::ConstraintRow> = rows
            .iter()
            .map(|&(i, j)| pilot::constraint_row(&site.pilots[i], &site.pilots[i].constraints[j], site, library.into()))
            .collect();
        let html = self.rows(compiled::constraint_rows::SOURCES, compiled::constraint_rows::render, root, &views)?;
        Ok(views::RowsHtml { count: rows.len(), total: rows.len(), parts: vec![tera::Value::safe_string(&html)] })
    }

    /// Whether a job's file is large (it grows with every pilot or
    /// constraint of the portfolio), so that a build writes it as it is made, with
    /// [`Plan::write_streamed`], rather than making it in memory first.
    pub fn streams(job: &Job) -> bool {
        matches!(job, Job::Json | Job::Csv | Job::PilotsCsv)
    }

    /// What the elements of the large files are made from, with nothing
    /// to copy them from yet (see [`crate::exports::Reuse`]).
    pub fn reuse(&self) -> crate::exports::Reuse<'_> {
        crate::exports::Reuse::new(self.shared_inputs(), self.records())
    }

    /// Makes a large file (see [`Plan::streams`]) into `out`, its elements
    /// copied where `reuse` has them; returns where each of its elements
    /// is, for the next build. Any other job writes nothing.
    pub fn write_streamed(
        &self,
        job: &Job,
        reuse: &crate::exports::Reuse,
        out: &mut dyn std::io::Write,
    ) -> Result<crate::exports::Table, Streamed> {
        let (site, config) = (&*self.site, &*self.config);
        Ok(match job {
            Job::Json => crate::exports::json(site, config, self.order(), reuse, out)?,
            Job::Csv => crate::exports::csv(site, config, self.order(), reuse, out)?,
            Job::PilotsCsv => crate::exports::pilots_csv(site, config, reuse, out)?,
            _ => crate::exports::Table::default(),
        })
    }

    /// A page of the decisions awaiting a sponsor
    /// ([`Plan::sponsor_decisions_page`]): compiled while its templates are
    /// the built-in ones.
    fn decisions_html(&self, t: Target, view: &views::SponsorDecisionsPage) -> Result<String, TemplateError> {
        self.compiled_page(t, view, compiled::sponsor_decisions::SOURCES, compiled::sponsor_decisions::render)
    }

    /// A tag's page ([`Plan::tag_page`]): compiled while its templates are
    /// the built-in ones.
    fn tag_html(&self, t: Target, view: &TagCtx) -> Result<String, TemplateError> {
        self.compiled_page(t, view, compiled::tag::SOURCES, compiled::tag::render)
    }

    fn html<T: Serialize>(&self, t: Target, view: &T) -> Result<String, TemplateError> {
        self.renderer.render(t.name, &self.ctx(&t, view))
    }

    /// A page whose template is compiled (`render/compiled/`): written by
    /// `compiled` while every template of `sources` is the built-in one,
    /// else by Tera.
    fn compiled_page<T: Serialize>(
        &self,
        t: Target,
        view: &T,
        sources: &[&str],
        compiled: fn(&mut String, &Ctx<'_, &T>),
    ) -> Result<String, TemplateError> {
        if !self.renderer.builtin(sources) {
            return self.html(t, view);
        }
        let mut html = String::with_capacity(16 * 1024);
        compiled(&mut html, &self.ctx(&t, view));
        Ok(html)
    }

    /// What the template of `t` sees: the site, where the page is, `view`.
    fn ctx<'v, T: Serialize>(&'v self, t: &Target, view: &'v T) -> Ctx<'v, &'v T> {
        Ctx {
            site: &self.sv,
            root: urls::root_of(t.path),
            path: urls::page(t.path),
            title: t.title.to_string(),
            section_url: t.section_url.to_string(),
            page: view,
        }
    }
}

/// Renders every file of the site into memory, in parallel.
pub fn render(plan: &Plan) -> Result<Output, TemplateError> {
    use rayon::prelude::*;
    let jobs = plan.jobs();
    let made: Vec<Result<Content, TemplateError>> = jobs.par_iter().map(|(_, job)| plan.make(job)).collect();
    let mut out = Output::default();
    for ((path, _), content) in jobs.into_iter().zip(made) {
        out.files.insert(path, content?);
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

/// Makes the rows of a constraint table (pilot and constraint indexes)
/// for a page at a root: their HTML, or a digest of what they show.
type PagedRows<'a> = dyn Fn(&str, &[(usize, usize)]) -> Result<views::RowsHtml, TemplateError> + 'a;

/// Makes the rows of the pilot index (indexes into the site's pilots) for
/// a page at a root: their HTML, or a digest of what they show.
type IndexRows<'a> = dyn Fn(&str, &[usize]) -> Result<views::RowsHtml, TemplateError> + 'a;

/// A compiled row partial (`compiled::*_rows::render`).
type CompiledRows<R> = fn(&mut String, &RowsCtx<'_, R>);

/// What a row partial gets: the rows and where the page is.
#[derive(Serialize)]
struct RowsCtx<'a, R> {
    root: &'a str,
    rows: &'a [R],
}

#[derive(Serialize)]
struct PilotCtx<'a> {
    pilot: views::PilotView<'a>,
}

#[derive(Serialize)]
struct SearchView {}

#[derive(Serialize)]
struct ChangesCtx<'a> {
    changes: &'a views::ChangesView,
}

#[derive(Serialize)]
struct DecisionsCtx {
    decisions: views::DecisionsIndex,
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
struct PageCtx<'a> {
    page: views::PageView<'a>,
}

fn site_view(site: &Site, config: &Config) -> SiteView {
    let mut nav = vec![
        Link { title: "Home".into(), url: urls::HOME.into() },
        Link { title: "Portfolio".into(), url: urls::PORTFOLIO.into() },
        Link { title: "Pilots".into(), url: urls::PILOTS.into() },
        Link { title: "Constraints".into(), url: urls::CONSTRAINTS.into() },
        Link { title: "Owners".into(), url: urls::OWNERS.into() },
    ];
    for &i in &site.roots {
        let s = &site.sections[i];
        if !urls::is_generated_section(&s.path) {
            nav.push(Link { title: s.title.clone(), url: urls::page(&s.path) });
        }
    }
    nav.push(Link { title: "Lessons".into(), url: urls::LESSONS.into() });
    nav.push(Link { title: "Changes".into(), url: urls::CHANGES.into() });
    nav.push(Link { title: "Tags".into(), url: urls::TAGS.into() });
    SiteView {
        title: config.title.clone(),
        base_url: config.base_url.clone(),
        as_of: site.as_of.to_string(),
        nav,
        urls: views::FixedUrls::default(),
        paper: config.paper,
    }
}

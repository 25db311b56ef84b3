//! The files of a site, as jobs: every file of the output is one, listed
//! in the one order that decides which of two files with one path is made;
//! and the files of the site's own that would land where pilotdeck makes
//! one.

use super::{community, home, paging, portfolio};
use crate::model::Site;
use crate::output::Content;
use crate::theme::Theme;
use crate::urls;

/// One file of the site to make. Every file of the output is one job, so
/// that a build can make them in parallel and write each as it is made, and
/// `serve` can make one when it is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home,
    Portfolio,
    /// Every sponsor's decisions, counted (see `home::decisions`).
    Decisions,
    /// One page of the decisions of one sponsor's pilots: the index into
    /// `Site::decisions`, and the page, from 1.
    SponsorDecisions(usize, usize),
    /// A portfolio chart, by its index in [`portfolio::CHARTS`].
    Chart(usize),
    /// A page of the pilot index, from 0 (see `render::paging`).
    Pilots(usize),
    /// A page of the constraint library, from 0.
    Library(usize),
    Owners,
    /// A page of a person's page: the person, and the page from 0.
    Owner(usize, usize),
    Csv,
    PilotsCsv,
    Json,
    Feed,
    Pilot(usize),
    /// A page of the lessons list, from 0.
    Lessons(usize),
    Tags,
    Tag(usize),
    Section(usize),
    Page(usize),
    NotFound,
    Sitemap,
    Search,
    Static(String),
    Asset(usize),
    /// A page's old address (`redirect_from`): the page, and which one.
    Redirect(usize, usize),
    /// What changed in a week: the index into `SiteHistory::changes` (0:
    /// the week of the as-of date, at `/changes/`).
    Changes(usize),
    ChangesFeed,
}

/// Every file of the site in the order that decides which of two with one
/// path is made (the later), with `pilots` in their place: the one list of
/// the site's addresses.
pub(super) fn listed(
    site: &Site,
    tags: &[community::Tag],
    theme: &Theme,
    pilots: impl Iterator<Item = (String, Job)>,
) -> Vec<(String, Job)> {
    let mut jobs: Vec<(String, Job)> = vec![
        (urls::file_of(urls::HOME), Job::Home),
        (urls::file_of(urls::PORTFOLIO), Job::Portfolio),
        (urls::file_of(urls::DECISIONS), Job::Decisions),
        (urls::file_of(urls::OWNERS), Job::Owners),
        (urls::file_of(urls::CSV), Job::Csv),
        (urls::file_of(urls::PILOTS_CSV), Job::PilotsCsv),
        (urls::file_of(urls::JSON), Job::Json),
        (urls::file_of(urls::FEED), Job::Feed),
        (urls::file_of(urls::TAGS), Job::Tags),
        (urls::file_of(urls::CHANGES), Job::Changes(0)),
        (urls::file_of(urls::CHANGES_FEED), Job::ChangesFeed),
    ];
    let weeks = &site.history.changes;
    jobs.extend(
        weeks.iter().enumerate().skip(1).map(|(i, w)| (urls::file_of(&urls::changes_week(w.start)), Job::Changes(i))),
    );
    for (g, group) in site.decisions.iter().enumerate() {
        let slug = group.sponsor.map(|s| site.people[s].slug.as_str());
        let pages = group.constraints.len().div_ceil(home::DECISIONS_PER_PAGE).max(1);
        jobs.extend(
            (1..=pages).map(|n| (urls::file_of(&urls::sponsor_decisions(slug, n)), Job::SponsorDecisions(g, n))),
        );
    }
    // The pages of the long lists (`render::paging`).
    let paged = |address: &str, pages: usize, job: &dyn Fn(usize) -> Job| {
        (0..pages).map(|n| (urls::file_of(&urls::list_page(address, n + 1)), job(n))).collect::<Vec<_>>()
    };
    let constraints = site.pilots.iter().map(|p| p.constraints.len()).sum();
    jobs.extend(paged(urls::PILOTS, paging::count(site.pilots.len(), paging::ROWS), &Job::Pilots));
    jobs.extend(paged(urls::CONSTRAINTS, paging::count(constraints, paging::ROWS), &Job::Library));
    jobs.extend(paged(urls::LESSONS, paging::count(community::lesson_count(site), paging::LESSONS), &Job::Lessons));
    jobs.extend(portfolio::CHARTS.iter().enumerate().map(|(i, id)| (urls::chart(id), Job::Chart(i))));
    for (i, p) in site.people.iter().enumerate() {
        let pages = paging::count(p.constraints.len(), paging::ROWS);
        jobs.extend(paged(&urls::owner(&p.slug), pages, &|n| Job::Owner(i, n)));
    }
    jobs.extend(pilots);
    jobs.extend(tags.iter().enumerate().map(|(i, t)| (urls::tag_file(&t.slug), Job::Tag(i))));
    for (i, s) in site.sections.iter().enumerate() {
        if !urls::is_generated_section(&s.path) {
            jobs.push((urls::file_of_page(&s.path), Job::Section(i)));
        }
    }
    jobs.extend(site.pages.iter().enumerate().map(|(i, p)| (urls::file_of_page(&p.path), Job::Page(i))));
    for (i, p) in site.pages.iter().enumerate() {
        jobs.extend(
            p.redirect_from.iter().enumerate().map(|(k, (from, _))| (urls::file_of_page(from), Job::Redirect(i, k))),
        );
    }
    jobs.push((urls::file_of(urls::NOT_FOUND), Job::NotFound));
    jobs.push((urls::file_of(urls::SITEMAP), Job::Sitemap));
    jobs.push((urls::file_of(urls::SEARCH), Job::Search));
    jobs.extend(theme.statics.keys().map(|k| (k.clone(), Job::Static(k.clone()))));
    jobs.extend(site.assets.iter().enumerate().map(|(i, (_, to))| (to.clone(), Job::Asset(i))));
    jobs
}

impl Job {
    /// Whether the file comes from a file of the site's (a page, a static
    /// file, an asset) rather than being made by pilotdeck.
    pub(super) fn is_content(&self) -> bool {
        matches!(self, Job::Section(_) | Job::Page(_) | Job::Static(_) | Job::Asset(_) | Job::Redirect(..))
    }
}

/// A file of the site's that would be written where pilotdeck makes a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The output path (`constraints/index.html`).
    pub path: String,
    /// What pilotdeck makes there (`the constraint library`).
    pub generated: &'static str,
    /// The file of the site's: its model location when it is a page or a
    /// section, else its path below the site (`static/index.html`).
    pub by: Collider,
    /// The Markdown file the page there is made from, when the generated
    /// file is a page of the site's.
    pub page: Option<crate::diag::Loc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Collider {
    Page(crate::diag::Loc),
    File(String),
}

/// Every file of the site's whose address is one that pilotdeck makes a
/// page or file at (a section `content/constraints/_index.md` over the
/// constraint library, `static/index.html` over the home page), which would
/// silently replace it.
pub fn collisions(site: &Site, theme: &Theme) -> Vec<Collision> {
    // Run on every `serve` rebuild: the pilot and tag pages (thousands) are
    // listed only where a file of the site's is at such an address.
    let mut listed = listed(site, &[], theme, std::iter::empty());
    let pilots: Vec<(String, Job)> = (listed.iter())
        .filter(|(_, j)| j.is_content())
        .filter_map(|(p, _)| urls::pilot_of(p))
        .filter_map(|id| site.pilot_index(id))
        .map(|i| (urls::pilot_file(&site.pilots[i].id), Job::Pilot(i)))
        .collect();
    if listed.iter().any(|(p, j)| j.is_content() && p.starts_with(urls::TAGS)) {
        let tags = community::tags(site);
        listed.extend(tags.iter().enumerate().map(|(i, t)| (urls::tag_file(&t.slug), Job::Tag(i))));
    }
    listed.extend(pilots);
    let theirs: std::collections::HashMap<&str, &Job> =
        listed.iter().filter(|(_, j)| j.is_content()).map(|(p, j)| (p.as_str(), j)).collect();
    let mut out = Vec::new();
    for (path, job) in &listed {
        let Some(by) = (!job.is_content()).then(|| theirs.get(path.as_str())).flatten() else { continue };
        let by = match by {
            Job::Section(i) => match &site.sections[*i].loc {
                Some(loc) => Collider::Page(*loc),
                None => continue,
            },
            Job::Page(i) => Collider::Page(site.pages[*i].loc),
            Job::Static(rel) => match theme.statics.get(rel) {
                Some(Content::Copy(from)) => Collider::File(from.display().to_string()),
                _ => Collider::File(format!("the theme's static/{rel}")),
            },
            Job::Asset(i) => Collider::File(site.assets[*i].0.display().to_string()),
            Job::Redirect(i, k) => Collider::Page(site.pages[*i].redirect_from[*k].1),
            _ => continue,
        };
        out.push(Collision { path: path.clone(), generated: job.describe(), by, page: None });
    }
    // A file of the site's (an `index.html` under `content/`, a static
    // file) at the address of a page made from Markdown.
    let pages: std::collections::HashMap<&str, &Job> = listed
        .iter()
        .filter(|(_, j)| matches!(j, Job::Section(_) | Job::Page(_)))
        .map(|(p, j)| (p.as_str(), j))
        .collect();
    for (path, job) in &listed {
        let by = match job {
            Job::Static(rel) => match theme.statics.get(rel) {
                Some(Content::Copy(from)) => Collider::File(from.display().to_string()),
                _ => continue,
            },
            Job::Asset(i) => Collider::File(site.assets[*i].0.display().to_string()),
            _ => continue,
        };
        let (generated, page) = match pages.get(path.as_str()) {
            Some(Job::Section(i)) => ("a section page", site.sections[*i].loc),
            Some(Job::Page(i)) => ("a page", Some(site.pages[*i].loc)),
            _ => continue,
        };
        out.push(Collision { path: path.clone(), generated, by, page });
    }
    out
}

impl Job {
    /// What a generated file is, for a message.
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Job::Home => "the home page",
            Job::Portfolio => "the portfolio page",
            Job::Decisions => "the decisions page",
            Job::SponsorDecisions(..) => "a sponsor's decisions page",
            Job::Chart(_) => "a portfolio chart",
            Job::Pilots(_) => "the pilot index",
            Job::Library(_) => "the constraint library",
            Job::Owners => "the owners page",
            Job::Owner(..) => "an owner's page",
            Job::Csv => "the constraint export",
            Job::PilotsCsv => "the pilot export",
            Job::Json => "the portfolio export",
            Job::Feed => "the feed",
            Job::Pilot(_) => "a pilot's page",
            Job::Lessons(_) => "the lessons page",
            Job::Tags => "the tags page",
            Job::Tag(_) => "a tag's page",
            Job::NotFound => "the not-found page",
            Job::Sitemap => "the sitemap",
            Job::Search => "the search page",
            Job::Changes(_) => "a page of what changed",
            Job::ChangesFeed => "the feed of what changed",
            Job::Section(_) | Job::Page(_) | Job::Static(_) | Job::Asset(_) | Job::Redirect(..) => {
                "a file of the site's"
            }
        }
    }
}

//! Typed, serializable views of the model: what templates receive. Every
//! value a template shows is computed here, so templates only lay it out.
//! URLs in views are relative to the site root (`pilots/a/`), made by
//! [`crate::urls`]; templates put `{{ root }}` before them.

use serde::Serialize;

/// What every page gets.
#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub base_url: String,
    /// The as-of date every derived fact is computed for, `YYYY-MM-DD`.
    pub as_of: String,
    /// Top navigation: home, pilots, then each top-level section.
    pub nav: Vec<Link>,
    /// The addresses of the pages pilotdeck makes at fixed places, for
    /// templates: `{{ root }}{{ site.urls.pilots }}`.
    pub urls: FixedUrls,
    /// The paper pages are printed on (`@page { size }`): `A4` or `letter`.
    pub paper: &'static str,
}

/// The addresses of [`crate::urls`] that templates link to.
#[derive(Serialize, Clone)]
pub struct FixedUrls {
    pub portfolio: &'static str,
    pub decisions: &'static str,
    pub pilots: &'static str,
    pub constraints: &'static str,
    pub owners: &'static str,
    pub lessons: &'static str,
    pub tags: &'static str,
    pub search: &'static str,
    pub search_data: &'static str,
    pub csv: &'static str,
    pub pilots_csv: &'static str,
    pub json: &'static str,
    pub feed: &'static str,
    pub changes: &'static str,
    pub changes_feed: &'static str,
}

impl Default for FixedUrls {
    fn default() -> FixedUrls {
        use crate::urls::*;
        FixedUrls {
            portfolio: PORTFOLIO,
            decisions: DECISIONS,
            pilots: PILOTS,
            constraints: CONSTRAINTS,
            owners: OWNERS,
            lessons: LESSONS,
            tags: TAGS,
            search: SEARCH,
            search_data: SEARCH_DATA,
            csv: CSV,
            pilots_csv: PILOTS_CSV,
            json: JSON,
            feed: FEED,
            changes: CHANGES,
            changes_feed: CHANGES_FEED,
        }
    }
}

/// A view that may be absent (the page before or after), written as an
/// `Option` is (the view, or null), so Tera sees no difference; the
/// compiled templates read through it (`doc.prev.url` inside
/// `{% if doc.prev %}`, as Tera does), an absent one reading as an empty
/// view that no template shows, since each tests it first.
#[derive(Clone, Default)]
pub struct Maybe<T> {
    some: bool,
    value: T,
}

impl<T> Maybe<T> {
    pub fn is_some(&self) -> bool {
        self.some
    }
}

impl<T: Default> From<Option<T>> for Maybe<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Maybe { some: true, value },
            None => Maybe::default(),
        }
    }
}

impl<T> std::ops::Deref for Maybe<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Maybe<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.some {
            true => serializer.serialize_some(&self.value),
            false => serializer.serialize_none(),
        }
    }
}

#[derive(Serialize, Clone, Default)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Context shared by every template, with the page-specific value flattened in.
#[derive(Serialize)]
pub struct Ctx<'a, T: Serialize> {
    pub site: &'a SiteView,
    /// Relative path from this page to the site root (`../../`).
    pub root: String,
    /// This page's path from the site root (`pilots/a/`), empty for home.
    pub path: String,
    /// The `<title>` of the page.
    pub title: String,
    /// The top-navigation entry this page belongs to (its url), if any.
    pub section_url: String,
    #[serde(flatten)]
    pub page: T,
}

#[derive(Serialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    /// A one-line explanation shown under the figure.
    pub note: String,
    /// Where the list behind the figure is, relative to the root.
    pub url: String,
    /// `warn` when the figure needs attention, else empty.
    pub tone: String,
    /// How it moved against four weeks earlier ("+5 in 4 weeks"), from the
    /// records' history; empty without one.
    pub trend: String,
    /// The last weeks' values as the points of a small line
    /// (`views::Trend`), or empty.
    pub spark: String,
}

#[derive(Serialize)]
pub struct HomeView<'a> {
    pub body_html: String,
    pub figures: Vec<Figure>,
    pub by_stage: Vec<StageRow>,
    pub escalated: Vec<RungRow>,
    /// Open overdue constraints, most overdue first, at most 10.
    pub overdue: Vec<ConstraintRow<'a>>,
    pub overdue_more: usize,
    pub stale: Vec<PilotLink>,
    pub gaps: Vec<GapRow>,
    pub recent: Vec<RecentRow>,
    pub empty: bool,
    /// On the home page: the charts most leaders want; on the portfolio
    /// page: all of them.
    pub charts: Vec<ChartView>,
    /// Stale pilots left out of `stale` to keep the list short.
    pub stale_more: usize,
    /// What leaders are asked to decide, the most overdue first.
    pub decisions: DecisionsView,
    /// The date the headline figures' changes are counted from (four weeks
    /// before the as-of date, or the config's `board_since` on the board
    /// pack), or empty without the records' history.
    pub since: String,
    /// `since` is the config's `board_since`.
    pub since_chosen: bool,
}

/// The open constraints at the top rung of the escalation ladder (the
/// leadership rung), grouped by their pilot's sponsor: what leaders are
/// asked to decide.
#[derive(Serialize)]
pub struct DecisionsView {
    /// The top rung's `to` ("leadership"), or empty without a ladder.
    pub rung: String,
    /// Days past due at which a constraint reaches it.
    pub after_days: i64,
    /// Each sponsor's shown decisions; the group with the most overdue one
    /// first.
    pub groups: Vec<DecisionGroup>,
    /// Decisions shown in `groups`.
    pub shown: usize,
    /// Every open constraint at the rung.
    pub total: usize,
    /// `total - shown`: the ones left out, on the full list.
    pub more: usize,
    /// The full list (every sponsor's decisions, counted, each linked to
    /// the sponsor's list), relative to the root.
    pub url: String,
}

/// The decisions page: every sponsor with decisions waiting on their
/// pilots, counted, each linked to the full list of them.
#[derive(Serialize)]
pub struct DecisionsIndex {
    pub rung: String,
    pub after_days: i64,
    pub total: usize,
    /// The sponsor with the most overdue decision first; `decisions` of
    /// each holds the few most overdue.
    pub groups: Vec<DecisionGroup>,
}

/// One page of the decisions of one sponsor's pilots.
#[derive(Serialize)]
pub struct SponsorDecisionsPage {
    pub rung: String,
    pub after_days: i64,
    /// The sponsor (empty for pilots without one), title and page.
    pub group: DecisionGroup,
    /// This page, from 1, and how many there are.
    pub page: usize,
    pub pages: usize,
    /// The pages before and after, for `partials/pager.html`.
    pub doc: PagerLinks,
    /// The decisions page, relative to the root.
    pub index_url: String,
}

#[derive(Serialize, Default)]
pub struct PagerLinks {
    pub prev: Maybe<Link>,
    pub next: Maybe<Link>,
}

#[derive(Serialize)]
pub struct DecisionGroup {
    /// The sponsor as their page names them, or empty when the pilots have
    /// none.
    pub sponsor: String,
    /// The sponsor's title, or empty.
    pub title: String,
    /// The sponsor's page, relative to the root, or empty.
    pub url: String,
    /// All their decisions (more than `decisions` may hold).
    pub count: usize,
    /// The first page of all of them, relative to the root.
    pub list_url: String,
    /// Days past due of the most overdue.
    pub most_overdue: i64,
    pub decisions: Vec<Decision>,
}

/// One constraint waiting for a decision.
#[derive(Serialize)]
pub struct Decision {
    pub title: String,
    /// The constraint on its pilot's page, relative to the root.
    pub url: String,
    pub pilot: PilotLink,
    pub category: String,
    /// The constraint's owner, or empty.
    pub owner: String,
    pub due: String,
    pub overdue_days: i64,
    /// "overdue by 30 days".
    pub status_text: String,
    /// What slips while it stays open, or empty.
    pub impact: String,
    /// The recommended action (`ask`), or empty.
    pub ask: String,
}

/// A chart file with the same numbers as a table.
#[derive(Serialize, Clone)]
pub struct ChartView {
    /// Anchor id on the page (`stage-funnel`).
    pub id: String,
    /// The SVG file, relative to the site root.
    pub file: String,
    pub title: String,
    /// What the chart shows, in one short sentence: the image's alt text
    /// (the table, which the image points to with `aria-describedby`, is
    /// the long description).
    pub desc: String,
    /// How to read the chart (its marks and colours), shown under it.
    pub how: String,
    /// The SVG's size in its own units (its `viewBox`), for the `img`.
    pub width: u32,
    pub height: u32,
    pub table: TableView,
}

#[derive(Serialize, Clone)]
pub struct TableView {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
    /// A sentence under the table, or empty.
    pub note: String,
}

#[derive(Serialize, Clone)]
pub struct TableCell {
    pub text: String,
    /// A link relative to the site root, or empty.
    pub url: String,
}

#[derive(Serialize)]
pub struct StageRow {
    pub stage: String,
    pub count: usize,
    /// Share of all pilots, whole percent.
    pub percent: u32,
}

#[derive(Serialize)]
pub struct RungRow {
    pub to: String,
    pub after_days: i64,
    pub count: usize,
}

#[derive(Serialize, Clone)]
pub struct PilotLink {
    pub id: String,
    pub title: String,
    pub url: String,
    pub stage: String,
    /// e.g. "no update for 21 days" or "no update yet".
    pub note: String,
}

#[derive(Serialize)]
pub struct GapRow {
    pub pilot: PilotLink,
    pub leader: i64,
    pub team: i64,
    pub gap: i64,
}

#[derive(Serialize)]
pub struct RecentRow {
    pub pilot: PilotLink,
    pub week: String,
    pub completed: String,
    pub blocker: String,
}

/// One constraint in a list or table. Its texts are references into the
/// model and values written when the row is (`Joined`, `Day`, `Said`), so
/// that a table of thousands of rows makes no strings for them: the
/// compiled templates write each straight into the page, and Tera gets
/// each as the string it stands for.
#[derive(Serialize, Clone)]
pub struct ConstraintRow<'a> {
    pub id: &'a str,
    /// Anchor on the pilot page: `pilots/ID/#c-ID`.
    pub url: Joined<'a, 4>,
    pub pilot: PilotRef<'a>,
    pub title: &'a str,
    pub category: &'a str,
    /// The owner, or empty when nobody is named.
    pub owner: &'a str,
    pub raised: Day,
    pub due: Day,
    pub resolved: Day,
    pub impact: &'a str,
    /// The recommended action (`ask`), or empty.
    pub ask: &'a str,
    /// Link to the playbook page that helps, relative to the root, or empty.
    pub playbook_url: Joined<'a, 2>,
    pub playbook_title: &'a str,
    /// `overdue`, `open` or `resolved`.
    pub status: &'static str,
    pub overdue_days: i64,
    /// "sponsor (Maria Gomez, CFO)"; empty when not escalated.
    pub escalated_to: Said<'a>,
    /// Human words for the status: "overdue by 12 days", "due in 3 days",
    /// "due today", "resolved 2026-03-20 after 19 days".
    pub status_text: Said<'a>,
    /// Anchor of its entry in the constraint library (`PILOT--ID`).
    pub anchor: Joined<'a, 3>,
    /// Its entry in the library, relative to the root.
    pub library_url: Joined<'a, 6>,
    /// The rung of the escalation ladder it has reached (`sponsor`), or empty.
    pub rung: &'a str,
    /// Days from raised to resolved, or empty.
    pub days_to_resolve: Count,
    /// The owner's page, relative to the root, or empty.
    pub owner_url: Joined<'a, 3>,
}

/// A constraint's pilot, as [`PilotLink`] has it, made of references.
#[derive(Serialize, Clone)]
pub struct PilotRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: Joined<'a, 3>,
    pub stage: &'a str,
    /// The pilot's business function, or empty.
    pub function: &'a str,
    /// e.g. "last update 21 days before the as-of date" or "no update yet".
    pub note: Said<'a>,
}

/// Text in parts (an address from the parts `crate::urls` gives), written
/// one after the other; empty when every part is.
#[derive(Clone, Copy)]
pub struct Joined<'a, const N: usize>(pub [&'a str; N]);

impl<const N: usize> Joined<'_, N> {
    pub const EMPTY: Joined<'static, N> = Joined([""; N]);

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|p| p.is_empty())
    }
}

impl<const N: usize> Serialize for Joined<'_, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.concat())
    }
}

/// A date that may be missing: `YYYY-MM-DD`, or empty.
#[derive(Clone, Copy)]
pub struct Day(pub Option<crate::date::Date>);

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.map(crate::date::Date::text).unwrap_or_default())
    }
}

/// A whole number that may be missing: its digits, or empty.
#[derive(Clone, Copy)]
pub struct Count(pub Option<i64>);

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.map(|n| n.to_string()).unwrap_or_default())
    }
}

/// Words about a constraint or pilot, put together when they are written
/// (`Said::write`, in `render/pilot.rs`).
#[derive(Clone, Copy)]
pub enum Said<'a> {
    /// "overdue by 12 days", "due in 3 days", "resolved 2026-03-20".
    Status(&'a crate::model::Constraint, crate::date::Date),
    /// "sponsor (Maria Gomez)", or nothing when not escalated.
    Escalated(&'a crate::model::Pilot, &'a crate::model::Constraint),
    /// "last update 21 days before the as-of date", "no update yet".
    UpdateNote(&'a crate::model::Pilot),
}

impl Serialize for Said<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::new();
        self.write(&mut out, |o, t| o.push_str(t));
        s.serialize_str(&out)
    }
}

#[derive(Serialize)]
pub struct LibraryView {
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    pub resolved: usize,
    pub escalated: Vec<RungRow>,
    /// Ladder for the live as-of script: `0,7,21`.
    pub ladder_days: String,
    /// The rows of this page of the library in each group, and the number
    /// of the group's rows on all pages (`total`).
    pub overdue_rows: RowsHtml,
    pub open_rows: RowsHtml,
    pub resolved_rows: RowsHtml,
    pub categories: Vec<CategoryView>,
    /// Categories open or resolved in more than one pilot, most pilots first.
    pub recurring: Vec<CategoryView>,
    /// The owners and pilots with the most overdue constraints (the first
    /// page only; the owners and pilots lists have them all).
    pub by_owner: Vec<GroupRow>,
    pub by_owner_more: usize,
    pub by_pilot: Vec<GroupRow>,
    pub by_pilot_more: usize,
    /// The page of the library this is, and the links to the others.
    pub pager: Pager,
    /// The first page of each group (overdue, open, resolved), for links.
    pub group_pages: Vec<GroupPage>,
    pub filters: Filters,
}

/// Where a group of a paged list starts.
#[derive(Serialize)]
pub struct GroupPage {
    pub name: String,
    pub count: usize,
    /// The page (relative to the root) and the anchor of the group on it.
    pub url: String,
}

/// The choices of a list's filter form: each list names only those it has.
#[derive(Serialize, Default, Clone)]
pub struct Filters {
    pub stages: Vec<String>,
    pub functions: Vec<String>,
    pub owners: Vec<String>,
    pub categories: Vec<String>,
    pub statuses: Vec<String>,
    pub rungs: Vec<String>,
    pub tags: Vec<String>,
    /// Orders a list without sortable columns offers: the value of its
    /// `sort` choice (`title:asc`) as `url`, and its words.
    pub sorts: Vec<Link>,
}

pub use super::paging::{PageLink, Pager};

#[derive(Serialize, Clone)]
pub struct CategoryView {
    pub name: String,
    /// The library filtered to the category (by its script), from the root.
    pub url: String,
    pub open: usize,
    pub overdue: usize,
    pub resolved: usize,
    /// Pilots with at least one constraint in the category.
    pub pilots: usize,
    /// Median days from raised to resolved, or "—".
    pub median_days_to_resolve: String,
    /// Playbook pages whose `addresses` names the category.
    pub playbook: Vec<Link>,
    pub recurring: bool,
}

/// One line of a grouped summary: an owner or a pilot and its counts.
#[derive(Serialize)]
pub struct GroupRow {
    pub title: String,
    pub url: String,
    pub open: usize,
    pub overdue: usize,
    pub resolved: usize,
}

#[derive(Serialize)]
pub struct PeopleView {
    pub people: Vec<PersonRow>,
    pub filters: Filters,
}

#[derive(Serialize)]
pub struct PersonRow {
    pub name: String,
    /// "Chief People Officer", or empty.
    pub title: String,
    pub url: String,
    /// Open constraints whose escalation rung names them.
    pub waiting: usize,
    pub owns: usize,
    pub champions: usize,
    pub sponsors: usize,
    pub open: usize,
    pub overdue: usize,
}

#[derive(Serialize)]
pub struct PersonView {
    pub name: String,
    /// "Chief People Officer", or empty.
    pub title: String,
    /// An e-mail address, or empty.
    pub email: String,
    /// Other spellings of the name that `[people]` gives.
    pub aliases: Vec<String>,
    /// Open constraints whose escalation rung names them, most overdue
    /// first.
    pub waiting: RowsHtml,
    /// How many of `waiting` reached each rung that names them, in ladder
    /// order (rungs with none left out).
    pub waiting_by_rung: Vec<RungRow>,
    /// Of `waiting`, those they own themselves that reached a higher rung
    /// that names them too (as the pilot's sponsor): listed once, and with
    /// them until a rung names someone else.
    pub own_escalated: usize,
    /// The first of the pilots they own, champion and sponsor (on the
    /// first page only), how many more, and the pilot list filtered to
    /// them all.
    pub owns: Vec<PilotLink>,
    pub champions: Vec<PilotLink>,
    pub sponsors: Vec<PilotLink>,
    pub owns_more: usize,
    pub champions_more: usize,
    pub sponsors_more: usize,
    pub owns_url: String,
    pub champions_url: String,
    pub sponsors_url: String,
    /// This page's rows of the open and the resolved constraints.
    pub open: RowsHtml,
    pub resolved: RowsHtml,
    pub ladder_days: String,
    pub pager: Pager,
    pub filters: Filters,
}

/// The rows of a long constraint table, already rendered (by
/// `partials/constraint_rows.html`, in chunks, so that the rows of a large
/// portfolio are never all in one template context).
#[derive(Serialize, Default)]
pub struct RowsHtml {
    /// The rows here.
    pub count: usize,
    /// The rows of the whole list, on every page (set by a paged list).
    pub total: usize,
    /// The HTML of the rows, a chunk at a time, as strings marked safe
    /// (templates write them as they are, and Tera shares them rather than
    /// copying them into each page's context).
    pub parts: Vec<tera::Value>,
}

#[derive(Serialize)]
pub struct PilotsView {
    pub intro_html: String,
    pub dimensions: Vec<Link>,
    pub rows: RowsHtml,
    pub pager: Pager,
    pub filters: Filters,
}

#[derive(Serialize)]
pub struct PilotRow {
    pub link: PilotLink,
    pub function: String,
    pub owner: String,
    pub champion: String,
    pub sponsor: String,
    pub readiness: Vec<ScoreCell>,
    pub production_ready: bool,
    pub open_constraints: usize,
    pub overdue_constraints: usize,
    pub last_update: String,
    pub stale: bool,
}

#[derive(Serialize)]
pub struct ScoreCell {
    pub key: String,
    pub percent: u32,
    pub ready: bool,
}

#[derive(Serialize)]
pub struct PilotView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub stage: &'a str,
    /// Position of the stage in the configured list, for a progress strip.
    pub stage_track: Vec<StageStep<'a>>,
    pub function: &'a str,
    pub owner: &'a str,
    pub champion: &'a str,
    pub sponsor: &'a str,
    pub started: String,
    pub target: String,
    pub success: &'a str,
    pub tags: &'a [String],
    pub stale: bool,
    /// "last update 2026-03-09, 21 days before the as-of date".
    pub update_note: String,
    pub production_ready: bool,
    pub time_to_production: String,
    pub confidence_gap: String,
    pub dimensions: Vec<DimensionView<'a>>,
    pub questions: Vec<Answer>,
    pub open: Rows<'a>,
    pub resolved: Rows<'a>,
    pub integration: Vec<IntegrationRow<'a>>,
    pub timeline: Vec<TimelineRow<'a>>,
    pub body_html: std::borrow::Cow<'a, str>,
    pub toc: &'a [crate::markdown::Heading],
    pub lessons_html: std::borrow::Cow<'a, str>,
    pub history: PilotHistoryView,
}

/// The history section of a pilot's page.
#[derive(Serialize, Default)]
pub struct PilotHistoryView {
    /// Whether the site's history is known.
    pub known: bool,
    /// Why the history is missing or partial; empty when it is whole.
    pub note: String,
    /// Newest first.
    pub rows: Vec<HistoryRow>,
    /// Days the target date moved later in all ("30 days"), or empty.
    pub target_slip: String,
    /// Days constraints' due dates moved later in all, or empty.
    pub due_slip: String,
}

/// `/changes/` and each week's page below it.
#[derive(Serialize, Default)]
pub struct ChangesView {
    /// Whether the site's history is known.
    pub known: bool,
    /// Why the history is missing or partial; empty when it is whole.
    pub note: String,
    /// The week shown: Monday, and Sunday or the as-of date.
    pub start: String,
    pub end: String,
    /// Whether it is the week of the as-of date.
    pub current: bool,
    pub count: usize,
    pub groups: Vec<ChangeGroup>,
    /// Every week with changes, newest first.
    pub weeks: Vec<WeekLink>,
}

/// The changes of one kind in a week.
#[derive(Serialize)]
pub struct ChangeGroup {
    pub title: String,
    pub rows: Vec<ChangeRow>,
}

#[derive(Serialize)]
pub struct ChangeRow {
    pub date: String,
    pub pilot: String,
    /// The pilot's page, relative to the root.
    pub url: String,
    pub text: String,
    /// Who made the change, and its commit (empty for what the calendar did).
    pub author: String,
    pub commit: String,
    pub commit_url: String,
}

/// A week in the archive of changes.
#[derive(Serialize, Clone)]
pub struct WeekLink {
    pub start: String,
    /// Relative to the root.
    pub url: String,
    pub count: usize,
    /// The week shown.
    pub here: bool,
}

/// One change to a record.
#[derive(Serialize)]
pub struct HistoryRow {
    pub date: String,
    pub text: String,
    pub author: String,
    /// The commit's id, shortened.
    pub commit: String,
    /// The commit in the repository's web view, or empty.
    pub url: String,
}

/// Constraints of one pilot, in the order shown: a list of
/// [`ConstraintRow`]s, each made as it is serialized for Tera or reached by
/// the compiled template's loop (`render::compiled`), never all at once.
pub struct Rows<'a> {
    pub pilot: &'a crate::model::Pilot,
    pub list: Vec<&'a crate::model::Constraint>,
    pub site: &'a crate::model::Site,
    pub(crate) links: super::paging::RowLinks<'a>,
}

impl Rows<'_> {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[derive(Serialize)]
pub struct StageStep<'a> {
    pub stage: &'a str,
    /// Date entered, if recorded.
    pub date: String,
    /// `done`, `current` or `todo`.
    pub state: &'static str,
}

#[derive(Serialize)]
pub struct DimensionView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub met: usize,
    pub total: usize,
    pub percent: u32,
    pub ready: bool,
    /// Why it is not ready, in words; empty when ready.
    pub reason: String,
    pub items: Vec<EvidenceView<'a>>,
}

#[derive(Serialize)]
pub struct EvidenceView<'a> {
    pub key: &'a str,
    pub text: &'a str,
    pub met: bool,
    /// The note; a URL when `note_is_link`.
    pub note: &'a str,
    pub note_is_link: bool,
    /// "met", "missing" or "not met".
    pub state: &'static str,
}

/// One of the sponsor's four questions, answered from the record.
#[derive(Serialize)]
pub struct Answer {
    pub question: String,
    /// One short paragraph each.
    pub lines: Vec<String>,
    /// `warn` when the answer needs attention.
    pub tone: String,
}

#[derive(Serialize)]
pub struct IntegrationRow<'a> {
    pub system: &'a str,
    pub direction: &'a str,
    pub status: &'a str,
    pub notes: &'a str,
}

#[derive(Serialize)]
pub struct TimelineRow<'a> {
    pub date: String,
    /// `stage` or `update`.
    pub kind: &'static str,
    /// For a stage: "entered bridge".
    pub stage: &'a str,
    pub completed: &'a str,
    pub blocker: &'a str,
    pub risk: &'a str,
    pub escalation: &'a str,
    /// 0 when not given.
    pub leader: i64,
    pub team: i64,
}

#[derive(Serialize)]
pub struct SectionView {
    pub title: String,
    pub description: String,
    pub body_html: String,
    pub toc: Vec<crate::markdown::Heading>,
    /// Front-matter keys pilotdeck does not use, as written (`page.extra`).
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    pub children: Vec<ChildLink>,
    pub breadcrumbs: Vec<Link>,
    pub sidebar: Vec<NavItem>,
    pub prev: Maybe<Link>,
    pub next: Maybe<Link>,
}

#[derive(Serialize)]
pub struct ChildLink {
    pub title: String,
    pub url: String,
    pub description: String,
    pub is_section: bool,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    /// Lessons and pilots that share the page's tags or addressed categories.
    pub related_lessons: Vec<Link>,
    pub related_pilots: Vec<PilotLink>,
    /// The page's tags, each with its tag page.
    pub tag_links: Vec<Link>,
    /// Open constraints in the categories the page addresses (at most 20).
    pub constraints: Vec<ConstraintRow<'a>>,
    pub constraints_more: usize,
    pub addresses: Vec<String>,
    pub title: String,
    pub description: String,
    pub body_html: String,
    pub toc: Vec<crate::markdown::Heading>,
    pub tags: Vec<String>,
    /// Front-matter keys pilotdeck does not use, as written (`page.extra`).
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    pub breadcrumbs: Vec<Link>,
    pub sidebar: Vec<NavItem>,
    pub prev: Maybe<Link>,
    pub next: Maybe<Link>,
}

/// One entry of a section's navigation tree, flattened with its depth.
#[derive(Serialize, Clone)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    /// 0 for the top-level section itself.
    pub depth: usize,
    pub is_section: bool,
    pub current: bool,
}

#[derive(Serialize)]
pub struct NotFoundView {}

/// One lesson: a pilot record's lessons-learned section or a lesson page.
#[derive(Serialize, Clone)]
pub struct LessonRow {
    pub title: String,
    /// The section it came from, relative to the root (`pilots/a/#lessons-learned`).
    pub url: String,
    /// `pilot` or `page`.
    pub kind: String,
    pub pilot: String,
    pub stage: String,
    pub function: String,
    pub date: String,
    pub tags: Vec<Link>,
    pub categories: Vec<String>,
    pub html: String,
    /// Its tags and categories for the list's filters: `|a|b|`.
    pub tag_keys: String,
    pub category_keys: String,
}

#[derive(Serialize)]
pub struct LessonGroup {
    pub name: String,
    pub id: String,
    /// Where the group's lessons are listed, relative to the root: a tag's
    /// page, or the lessons list filtered to a category.
    pub url: String,
    /// Indexes into `LessonsView::lessons`.
    pub lessons: Vec<usize>,
}

#[derive(Serialize)]
pub struct LessonsView {
    pub intro_html: String,
    pub lessons: Vec<LessonRow>,
    pub by_tag: Vec<LessonGroup>,
    pub by_category: Vec<LessonGroup>,
    pub filters: Filters,
}

/// The lessons page: the lessons themselves already rendered (by
/// `partials/lesson_rows.html`, in chunks), with each one's title and
/// address for the groups.
#[derive(Serialize)]
pub struct LessonsPage<'a> {
    pub intro_html: &'a str,
    /// Lessons on every page.
    pub count: usize,
    /// This page's lessons.
    pub rows: Vec<tera::Value>,
    pub by_tag: &'a [LessonGroup],
    pub by_category: &'a [LessonGroup],
    pub pager: Pager,
    pub filters: &'a Filters,
}

#[derive(Serialize)]
pub struct TagRow {
    pub name: String,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct TagsView {
    pub tags: Vec<TagRow>,
}

#[derive(Serialize)]
pub struct TagView {
    pub name: String,
    pub pilots: Vec<PilotLink>,
    pub pages: Vec<Link>,
    pub lessons: Vec<Link>,
    pub filters: Filters,
}

/// A page's old address (`redirect_from`): where it moved to, relative.
#[derive(Serialize)]
pub struct RedirectView {
    pub to: String,
}

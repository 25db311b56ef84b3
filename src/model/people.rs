//! The people named in the records and the config: one [`Person`] per
//! person however the name is written ("Amira Haddad", "Amira Haddad, Chief
//! People Officer", an alias from `[people]`), and what waits on each of
//! them: every open constraint whose escalation rung names them.

use super::runs::{ranked, Run, RUN};
use super::{Constraint, Person, Pilot};
use crate::config::{Config, Rung};
use crate::hash::FastMap;
use crate::markdown::slug;
use crate::names::{person_key, split_title};
use std::sync::Arc;

/// Who a rung names for one constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder<'a> {
    /// A role of the constraint or its pilot (one of
    /// [`crate::config::ROLES`]): the name
    /// written for it, when one is.
    Role(Option<&'a str>),
    /// A body the config names (`leadership`), with the people its rung
    /// lists (perhaps none).
    Group(&'a [String]),
}

/// Whose a role (one of [`crate::config::ROLES`]) is: the constraint's
/// owner or one of its pilot's people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    ConstraintOwner,
    Sponsor,
    Champion,
    PilotOwner,
}

/// The role `to` names; `None` when it is not a role (a body the config
/// names).
fn role(to: &str) -> Option<Role> {
    Some(match to {
        "owner" => Role::ConstraintOwner,
        "sponsor" => Role::Sponsor,
        "champion" => Role::Champion,
        "production owner" | "pilot owner" => Role::PilotOwner,
        _ => return None,
    })
}

/// The holder of `role` among a constraint's owner and its pilot's owner,
/// champion and sponsor, as names or as what they were resolved to.
fn pick<T>(role: Role, constraint_owner: T, [owner, champion, sponsor]: [T; 3]) -> T {
    match role {
        Role::ConstraintOwner => constraint_owner,
        Role::Sponsor => sponsor,
        Role::Champion => champion,
        Role::PilotOwner => owner,
    }
}

/// The name written for a role (one of [`crate::config::ROLES`]) of `c` or its pilot
/// `p`; `None` when `to` is not a role.
pub fn role_holder<'a>(to: &str, p: &'a Pilot, c: &'a Constraint) -> Option<Option<&'a str>> {
    role(to).map(|r| pick(r, c.owner.as_deref(), [p.owner.as_deref(), p.champion.as_deref(), p.sponsor.as_deref()]))
}

/// Who `rung` names for the constraint `c` of the pilot `p`.
pub fn holder<'a>(rung: &'a Rung, p: &'a Pilot, c: &'a Constraint) -> Holder<'a> {
    match role_holder(&rung.to, p, c) {
        Some(who) => Holder::Role(who),
        None => Holder::Group(&rung.people),
    }
}

/// Everyone named in the records (owners, champions and sponsors of
/// pilots, owners of constraints) and on a rung of the escalation ladder,
/// one [`Person`] each, sorted by slug; with the index of every way their
/// names are matched ([`person_key`] of each name and alias).
///
/// A name is the person the config's `[people]` names it (as the table's
/// key or an alias), else the name as first written, without a title. A
/// person's title is the config's, else the first one written after a
/// comma.
pub(super) fn people(
    pilots: &[Arc<Pilot>],
    config: &Config,
    runs: &[Arc<Run>],
) -> (Vec<Person>, FastMap<String, usize>) {
    // Each run's names are made people in the order first written, as one
    // walk over every record would.
    let mut b = Builder::new(config);
    // Each pilot's owner, champion and sponsor, and each constraint's
    // owner (from `first[i]`), as the people they are: the ladder below
    // reads them again without looking a name up.
    let mut roles: Vec<[Option<usize>; 3]> = Vec::with_capacity(pilots.len());
    let mut first = Vec::with_capacity(pilots.len());
    let mut owners: Vec<Option<usize>> = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let at: Vec<usize> = run.names.iter().map(|name| b.person(name)).collect();
        let person = |k: Option<u32>| k.map(|k| at[k as usize]);
        let mut next = run.owners.iter().copied().map(person);
        for (k, (names, &count)) in run.roles.iter().zip(&run.counts).enumerate() {
            let i = r * RUN + k;
            let at = names.map(person);
            roles.push(at);
            if let Some(x) = at[0] {
                b.out[x].owns.push(i);
            }
            if let Some(x) = at[1] {
                b.out[x].champions.push(i);
            }
            if let Some(x) = at[2] {
                b.out[x].sponsors.push(i);
            }
            first.push(owners.len());
            for j in 0..count as usize {
                let at = next.next().flatten();
                if let Some(x) = at {
                    b.out[x].constraints.push((i, j));
                }
                owners.push(at);
            }
        }
    }
    // The people of the ladder have a page even when no record names them.
    let groups: Vec<Vec<usize>> =
        config.escalation.iter().map(|rung| rung.people.iter().map(|who| b.person(who)).collect()).collect();
    // What waits on whom: each open constraint on a rung, once per person
    // the rung names (the same person twice in a rung's list is one).
    let rungs: Vec<Option<Role>> = config.escalation.iter().map(|rung| role(&rung.to)).collect();
    for (i, j, r) in ranked(runs) {
        // The rung, and the person who owns the constraint (a rung that
        // names the owner again keeps it with them, once).
        let owner = owners[first[i] + j];
        let at_rung = (r, rungs[r] != Some(Role::ConstraintOwner));
        match rungs[r] {
            Some(role) => {
                if let Some(at) = pick(role, owner, roles[i]) {
                    b.wait(at, (i, j), at_rung, owner);
                }
            }
            None => {
                for &at in &groups[r] {
                    if b.out[at].waiting.last() != Some(&(i, j)) {
                        b.wait(at, (i, j), at_rung, owner);
                    }
                }
            }
        }
    }
    let Builder { mut out, index, .. } = b;
    for person in &mut out {
        sort_waiting(pilots, &mut person.waiting);
    }
    // Sorted by slug: each person's place now.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_cached_key(|&a| (&out[a].slug, out[a].name.to_lowercase()));
    let mut place = vec![0; out.len()];
    for (new, &old) in order.iter().enumerate() {
        place[old] = new;
    }
    let mut slots: Vec<Option<Person>> = out.into_iter().map(Some).collect();
    let mut out: Vec<Person> = order.iter().filter_map(|&old| slots[old].take()).collect();
    let index = index.into_iter().map(|(k, i)| (k, place[i])).collect();
    distinct(&mut out);
    (out, index)
}

/// Whether the people and the decisions made from `before` hold for `now`:
/// the same records in the same order, each the very same or differing
/// only in what [`people`] and [`decisions`] do not look at.
pub(super) fn unchanged(before: &[std::sync::Arc<Pilot>], now: &[std::sync::Arc<Pilot>]) -> bool {
    before.len() == now.len()
        && before.iter().zip(now).all(|(a, b)| std::sync::Arc::ptr_eq(a, b) || same_for_people(a, b))
}

/// Whether two versions of a record name the same people in the same
/// roles and have the same constraints waiting on them, in the same order:
/// everything [`people`], [`decisions`] and [`sort_waiting`] read of it.
fn same_for_people(a: &Pilot, b: &Pilot) -> bool {
    a.id == b.id
        && (&a.owner, &a.champion, &a.sponsor) == (&b.owner, &b.champion, &b.sponsor)
        && a.facts.top_rung == b.facts.top_rung
        && a.constraints.len() == b.constraints.len()
        && a.constraints.iter().zip(&b.constraints).all(|(x, y)| {
            (&x.id, &x.owner, x.rung, x.open, x.overdue_days, x.due)
                == (&y.id, &y.owner, y.rung, y.open, y.overdue_days, y.due)
        })
}

/// The open constraints at the top rung of the ladder, grouped by their
/// pilot's sponsor (see [`super::Site::decisions`]).
pub(super) fn decisions(
    pilots: &[std::sync::Arc<Pilot>],
    people: &[Person],
    index: &FastMap<String, usize>,
    config: &Config,
    runs: &[Arc<Run>],
) -> Vec<super::SponsorDecisions> {
    let Some(top) = config.escalation.len().checked_sub(1) else { return Vec::new() };
    let mut groups: Vec<super::SponsorDecisions> = Vec::new();
    // Each sponsor's group, by their index (`None` for no sponsor).
    let mut at: FastMap<Option<usize>, usize> = FastMap::default();
    // The constraints at the top rung, from the runs the people were made
    // from (no walk over every record); each sponsor's name as written is
    // made a key once a run.
    for (r, run) in runs.iter().enumerate() {
        let mut sponsors: Vec<Option<Option<usize>>> = vec![None; run.names.len()];
        for &(k, j, _) in run.ranked.iter().filter(|&&(_, _, rung)| rung as usize == top) {
            let sponsor = run.roles[k as usize][2].and_then(|n| {
                *sponsors[n as usize].get_or_insert_with(|| index.get(&person_key(&run.names[n as usize])).copied())
            });
            let g = *at.entry(sponsor).or_insert_with(|| {
                groups.push(super::SponsorDecisions { sponsor, constraints: Vec::new() });
                groups.len() - 1
            });
            groups[g].constraints.push((r * RUN + k as usize, j as usize));
        }
    }
    for g in &mut groups {
        sort_waiting(pilots, &mut g.constraints);
    }
    // The group with the most overdue first; then by the sponsor's name.
    let most = |g: &super::SponsorDecisions| {
        g.constraints.first().and_then(|&(i, j)| pilots[i].constraints[j].overdue_days).unwrap_or(0)
    };
    let name = |g: &super::SponsorDecisions| g.sponsor.map(|s| people[s].slug.as_str());
    groups.sort_by(|a, b| {
        most(b).cmp(&most(a)).then(name(a).is_none().cmp(&name(b).is_none())).then(name(a).cmp(&name(b)))
    });
    groups
}

/// Most overdue first, then by due date, pilot and constraint. `pilots`
/// are sorted by id, as a site's are, so a pilot's index stands for its id
/// (comparing the ids themselves was a third of the decisions' work).
/// Each entry's key is read once: the comparisons then read one compact
/// list, not two constraints scattered over the heap each (at 10,000
/// pilots of the mix those reads were most of the decisions' 12 ms).
pub fn sort_waiting(pilots: &[std::sync::Arc<Pilot>], list: &mut [(usize, usize)]) {
    debug_assert!(pilots.windows(2).all(|w| w[0].id < w[1].id), "pilots sorted by id");
    list.sort_by_cached_key(|&(a, i)| {
        let c = &pilots[a].constraints[i];
        (std::cmp::Reverse(c.overdue_days), c.due, a, c.id.as_str())
    });
}

/// Two names with one slug ("Ana Lee", "Ana-Lee"): the second gets `-2`.
/// Each base's next number is kept: thousands of names with one slug take
/// a look-up each, not a count from 2 each.
fn distinct(out: &mut [Person]) {
    let mut seen = crate::hash::FastSet::default();
    let mut next: FastMap<String, usize> = FastMap::default();
    for p in out {
        if p.slug.is_empty() {
            p.slug = "person".into();
        }
        if seen.insert(p.slug.clone()) {
            continue;
        }
        let base = std::mem::take(&mut p.slug);
        let n = next.entry(base.clone()).or_insert(2);
        loop {
            let slug = format!("{base}-{}", *n);
            *n += 1;
            if seen.insert(slug.clone()) {
                p.slug = slug;
                break;
            }
        }
        p.base_slug = Some(base);
    }
}

struct Builder<'a> {
    config: &'a Config,
    /// Each `[people]` entry by the key of its name and of each alias.
    configured: FastMap<String, usize>,
    /// Each name as written, split and keyed once: every run of records
    /// lists the names it writes (see [`super::runs`]), the same few names
    /// run after run.
    written: FastMap<&'a str, usize>,
    /// Each person by the key of every name of theirs met or configured.
    index: FastMap<String, usize>,
    out: Vec<Person>,
}

impl<'a> Builder<'a> {
    fn new(config: &'a Config) -> Builder<'a> {
        let mut configured = FastMap::default();
        for (i, p) in config.people.iter().enumerate() {
            configured.insert(person_key(&p.name), i);
            for a in &p.aliases {
                configured.insert(person_key(a), i);
            }
        }
        Builder { config, configured, written: FastMap::default(), index: FastMap::default(), out: Vec::new() }
    }

    /// Adds `(pilot, constraint)`, at `rung`, to what waits on person `at`,
    /// and counts it by its rung and as their own escalated one when
    /// `owner` is `at` and the rung is not the owner's.
    fn wait(&mut self, at: usize, waiting: (usize, usize), (rung, not_owners): (usize, bool), owner: Option<usize>) {
        let person = &mut self.out[at];
        person.waiting.push(waiting);
        if person.waiting_by_rung.len() <= rung {
            person.waiting_by_rung.resize(rung + 1, 0);
        }
        person.waiting_by_rung[rung] += 1;
        if owner == Some(at) && not_owners {
            person.own_escalated += 1;
        }
    }

    /// The index of the person `name` (as written) refers to.
    fn person(&mut self, name: &'a str) -> usize {
        if let Some(&at) = self.written.get(name) {
            return at;
        }
        let (base, title) = split_title(name);
        let key = crate::markdown::nfc(base).to_lowercase();
        let configured = self.configured.get(&key).map(|&i| &self.config.people[i]);
        // The person's own key: their configured name's, else this one.
        let own = configured.map_or_else(|| key.clone(), |c| person_key(&c.name));
        let at = match self.index.get(&own) {
            Some(&at) => at,
            None => {
                let shown = configured.map_or_else(|| crate::markdown::nfc(base).into_owned(), |c| c.name.clone());
                self.out.push(Person {
                    slug: slug(&shown),
                    name: shown,
                    title: configured.and_then(|c| c.title.clone()),
                    email: configured.and_then(|c| c.email.clone()),
                    aliases: configured.map(|c| c.aliases.clone()).unwrap_or_default(),
                    base_slug: None,
                    owns: Vec::new(),
                    champions: Vec::new(),
                    sponsors: Vec::new(),
                    constraints: Vec::new(),
                    waiting: Vec::new(),
                    waiting_by_rung: Vec::new(),
                    own_escalated: 0,
                });
                let at = self.out.len() - 1;
                self.index.insert(own, at);
                if let Some(c) = configured {
                    for a in &c.aliases {
                        self.index.insert(person_key(a), at);
                    }
                }
                at
            }
        };
        self.index.entry(key).or_insert(at);
        let person = &mut self.out[at];
        if person.title.is_none() {
            person.title = title.map(str::to_string);
        }
        self.written.insert(name, at);
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_after_a_comma_are_not_part_of_the_name() {
        assert_eq!(split_title("Amira Haddad, Chief People Officer"), ("Amira Haddad", Some("Chief People Officer")));
        assert_eq!(split_title(" Amira Haddad "), ("Amira Haddad", None));
        assert_eq!(split_title("Amira Haddad,"), ("Amira Haddad", None));
        assert_eq!(person_key("Amira Haddad, CPO"), person_key("amira haddad"));
    }

    fn record(title: &str, owner: &str, sponsor: &str) -> String {
        format!(
            "+++\ntitle = \"{title}\"\nstage = \"pilot\"\nowner = \"{owner}\"\nsponsor = \"{sponsor}\"\n\
             [[constraints]]\nid = \"c\"\ntitle = \"Data access\"\ncategory = \"data\"\nowner = \"Bo Lind\"\n\
             raised = 2026-01-05\ndue = 2026-01-20\n+++\nBody.\n"
        )
    }

    /// `serve` keeps the people and the decisions while an edit changes
    /// nothing they are made from, and makes them again, as a first
    /// analysis would, when it does.
    #[test]
    fn people_are_kept_until_an_edit_changes_them() {
        use super::super::{build_reusing, ModelCache};
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let pilots = dir.path().join("content/pilots");
        std::fs::create_dir_all(&pilots).unwrap();
        std::fs::write(pilots.join("a.md"), record("A", "Ann Ek", "Sal Vik")).unwrap();
        std::fs::write(pilots.join("b.md"), record("B", "Ben Oz", "Sal Vik")).unwrap();
        let config = Config::default();
        let opts = super::super::testing::opts("2026-06-01");
        let load = || crate::source::load_content(dir.path());
        let first = build_reusing(load(), &config, &opts, ModelCache::default());
        assert!(!first.site.decisions.is_empty(), "a constraint at the top of the ladder");
        // A new title and body: the same people, the same decisions.
        std::fs::write(pilots.join("a.md"), record("A, renamed", "Ann Ek", "Sal Vik") + "More.\n").unwrap();
        let second = build_reusing(load(), &config, &opts, first.reuse);
        assert!(Arc::ptr_eq(&first.site.people, &second.site.people));
        assert!(Arc::ptr_eq(&first.site.decisions, &second.site.decisions));
        // A new owner, then a new sponsor: made again, as from nothing.
        let mut last = second;
        for (owner, sponsor) in [("Cy Ng", "Sal Vik"), ("Cy Ng", "Dee Ho")] {
            std::fs::write(pilots.join("a.md"), record("A", owner, sponsor)).unwrap();
            let before = Arc::clone(&last.site.people);
            let again = build_reusing(load(), &config, &opts, ModelCache::default());
            let kept = build_reusing(load(), &config, &opts, last.reuse);
            assert!(!Arc::ptr_eq(&before, &kept.site.people));
            assert!(kept.site.people.iter().any(|p| p.name == owner));
            assert_eq!(format!("{:?}", kept.site.people), format!("{:?}", again.site.people));
            assert_eq!(format!("{:?}", kept.site.people_index), format!("{:?}", again.site.people_index));
            assert_eq!(format!("{:?}", kept.site.decisions), format!("{:?}", again.site.decisions));
            assert!(kept.site.people.iter().any(|p| p.name == sponsor));
            last = kept;
        }
    }

    /// The names of thousands of records are read in runs side by side;
    /// the people are what one walk in order makes: each named as first
    /// written, with the first title written, owning and owing in order.
    #[test]
    fn names_read_in_runs_are_people_as_first_written() {
        let n = 2 * RUN + 10;
        let (dir, pilots) = super::super::testing::records(n, |i| {
            let owner = match i {
                i if i < RUN + 3 => "Ann Ek",
                i if i == RUN + 3 => "Ann Ek, Chief Data Officer",
                _ => "ANN EK, Head of Data",
            };
            let sponsor = if i == 2 * RUN + 1 { "Zed Ro" } else { "Sal Vik" };
            let mut text = record(&format!("P{i:04}"), owner, sponsor);
            if i == RUN - 1 {
                text = text.replace("owner = \"Bo Lind\"", "owner = \"Bo Lind, Ops lead\"");
            }
            text
        });
        let opts = super::super::testing::opts("2026-06-01");
        let load = || crate::source::load_content(dir.path());
        let first = super::super::build_reusing(load(), &Config::default(), &opts, Default::default());
        let site = &first.site;
        assert_eq!(site.pilots.len(), n);
        let person = |name: &str| &site.people[site.people_index[&person_key(name)]];
        let ann = person("ann ek");
        assert_eq!((ann.name.as_str(), ann.title.as_deref()), ("Ann Ek", Some("Chief Data Officer")));
        assert_eq!(ann.owns, (0..n).collect::<Vec<_>>());
        assert_eq!(person("Sal Vik").sponsors.len(), n - 1);
        assert_eq!(person("Zed Ro").sponsors, [2 * RUN + 1]);
        let bo = person("Bo Lind");
        assert_eq!(bo.title.as_deref(), Some("Ops lead"));
        assert_eq!(bo.constraints, (0..n).map(|i| (i, 0)).collect::<Vec<_>>());
        let names: Vec<&str> = site.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ann Ek", "Bo Lind", "Sal Vik", "Zed Ro"]);
        // An edit in one run: that run is read again, the others' names
        // kept; the people are those of a first analysis.
        let mut reuse = first.reuse;
        for (i, owner) in [(RUN + 5, "Cy Ng"), (2, "Ann Ek, Chief Data Officer"), (RUN - 1, "Bo Lind")] {
            let text = record(&format!("P{i:04}"), owner, "Sal Vik");
            std::fs::write(pilots.join(super::super::testing::record_file(i)), text).unwrap();
            let kept = super::super::build_reusing(load(), &Config::default(), &opts, reuse);
            let again = super::super::build(load(), &Config::default(), &opts).0;
            assert_eq!(format!("{:?}", kept.site.people), format!("{:?}", again.people));
            let sorted =
                |m: &FastMap<String, usize>| m.clone().into_iter().collect::<std::collections::BTreeMap<_, _>>();
            assert_eq!(sorted(&kept.site.people_index), sorted(&again.people_index));
            assert_eq!(format!("{:?}", kept.site.decisions), format!("{:?}", again.decisions));
            reuse = kept.reuse;
        }
    }
}

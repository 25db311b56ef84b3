//! The library order of constraints: overdue (most days first), then
//! open by due date, then resolved (latest first), made once for a build
//! and shared by the pages and the exports that list constraints. A fact
//! of the model, sorted; it knows nothing of pages.

use crate::hash::FastMap as HashMap;
use crate::model::{Constraint, Pilot, Site};

/// The library's groups: overdue 0, other open 1, resolved 2.
fn rank(c: &Constraint) -> u8 {
    match (c.overdue_days, c.open) {
        (Some(_), _) => 0,
        (None, true) => 1,
        (None, false) => 2,
    }
}

/// Overdue (most days first), then open by due date, then resolved (latest
/// first): library order, as one comparison (what [`sort_in_order`] does
/// faster; a test holds the two to the same order).
#[cfg(test)]
fn order(a: &(&Pilot, &Constraint), b: &(&Pilot, &Constraint)) -> std::cmp::Ordering {
    let (pa, ca) = a;
    let (pb, cb) = b;
    rank(ca)
        .cmp(&rank(cb))
        .then(cb.overdue_days.cmp(&ca.overdue_days))
        .then(ca.due.is_none().cmp(&cb.due.is_none()))
        .then(if ca.open { ca.due.cmp(&cb.due) } else { cb.resolved.cmp(&ca.resolved) })
        .then(pa.id.cmp(&pb.id))
        .then(ca.id.cmp(&cb.id))
}

/// A constraint's place in library order as whole numbers (group, days
/// overdue, no due date, when), its pilot's index and its own: made once
/// per constraint, so that a sort of tens of thousands does not go to the
/// records at each comparison.
type Keyed = ([i64; 4], usize, usize);

fn keyed(site: &Site, i: usize, j: usize) -> Keyed {
    let day = |d: Option<crate::date::Date>| d.map_or(i64::MIN + 1, |d| d.days_since(site.as_of));
    let c = &site.pilots[i].constraints[j];
    let when = if c.open { day(c.due) } else { -day(c.resolved) };
    ([i64::from(rank(c)), c.overdue_days.map_or(i64::MAX, |d| -d), i64::from(c.due.is_none()), when], i, j)
}

/// Library order of two keyed constraints, as `order` compares them:
/// pilots are sorted by id, so a pilot's index stands for its id;
/// constraint ids break what is left, then their positions.
fn in_order(site: &Site, a: &Keyed, b: &Keyed) -> std::cmp::Ordering {
    let id = |&(_, i, j): &Keyed| site.pilots[i].constraints[j].id.as_str();
    (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| id(a).cmp(id(b))).then(a.2.cmp(&b.2))
}

/// Sorts pilot and constraint indexes into library order, as `order`
/// does, by [`keyed`] and [`in_order`].
pub(crate) fn sort_in_order(site: &Site, rows: &mut [(usize, usize)]) {
    use rayon::prelude::*;
    let mut keyed: Vec<Keyed> = rows.par_iter().map(|&(i, j)| keyed(site, i, j)).collect();
    keyed.par_sort_unstable_by(|a, b| in_order(site, a, b));
    for (row, (_, i, j)) in rows.iter_mut().zip(keyed) {
        *row = (i, j);
    }
}

/// Reads ahead, a sweep at a time, what a pass over `rows` (pilot and
/// constraint indexes, in library order) reads: each row's pilot record,
/// then its constraint, then the first bytes of their texts. Library
/// order takes the rows from records all over memory, and a pass that
/// goes row by row waits on memory for each of them in turn (the address
/// of a text is in the constraint, the constraint's in the pilot): one
/// wait after another. The reads of a sweep do not depend on each other,
/// so the processor has many under way at once, and the pass that
/// follows finds them in its cache. For passes over a page of rows or so:
/// a few hundred rows' memory stays in cache. On the 220 library pages
/// of 10,000 plain pilots, made one after another on one thread: 180-223
/// ms without, 102-118 ms with (97-107 ms for the same rows in the
/// pilots' order).
pub(crate) fn read_ahead(site: &Site, rows: &[(usize, usize)]) {
    let first = |s: &str| s.as_bytes().first().copied().unwrap_or(0);
    let mut seen = 0u8;
    for &(i, _) in rows {
        seen ^= site.pilots.get(i).map_or(0, |p| p.constraints.len() as u8);
    }
    let rows = || rows.iter().filter_map(|&(i, j)| site.pilots.get(i).and_then(|p| Some((p, p.constraints.get(j)?))));
    for (_, c) in rows() {
        seen ^= u8::from(c.open);
    }
    for (p, c) in rows() {
        let optional = |s: Option<&str>| s.map_or(0, first);
        seen ^= first(&p.id) ^ first(&p.title) ^ first(&p.stage) ^ optional(p.function.as_deref());
        seen ^= first(&c.id) ^ first(&c.title) ^ first(&c.category) ^ optional(c.owner.as_deref());
        seen ^= optional(c.impact.as_deref()) ^ optional(c.ask.as_deref()) ^ optional(c.playbook.as_deref());
    }
    // The reads are for their side effect alone: kept.
    std::hint::black_box(seen);
}

/// Where each constraint of pilot `i` is in library order (what
/// [`Order::position`] says), counted in one pass over every constraint
/// rather than by sorting them all: for a page that links a few
/// constraints before the whole order is made (`serve`, making an edited
/// pilot's page).
pub(crate) fn count_places(site: &Site, i: usize) -> Vec<usize> {
    use rayon::prelude::*;
    let Some(pilot) = site.pilots.get(i) else { return Vec::new() };
    let mine: Vec<Keyed> = (0..pilot.constraints.len()).map(|j| keyed(site, i, j)).collect();
    let zero = || vec![0; mine.len()];
    (site.pilots.par_iter().enumerate())
        .fold(zero, |mut before, (a, p)| {
            for b in 0..p.constraints.len() {
                let other = keyed(site, a, b);
                for (m, n) in mine.iter().zip(before.iter_mut()) {
                    *n += usize::from(in_order(site, &other, m).is_lt());
                }
            }
            before
        })
        .reduce(zero, |x, y| x.iter().zip(&y).map(|(a, b)| a + b).collect())
}

/// Positions in library order of the open constraints of each category,
/// from `positions`: a walk over the records in their order (each
/// record's constraints together), not over the constraints in library
/// order (a read far from the last at each).
fn open_by_category(site: &Site, start: &[usize], position: &[u32]) -> HashMap<String, Vec<usize>> {
    let mut by: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, p) in site.pilots.iter().enumerate() {
        for (j, c) in p.constraints.iter().enumerate().filter(|(_, c)| c.open) {
            let pos = position[start[i] + j] as usize;
            match by.get_mut(&c.category) {
                Some(list) => list.push(pos),
                None => {
                    by.insert(c.category.clone(), vec![pos]);
                }
            }
        }
    }
    for list in by.values_mut() {
        list.sort_unstable();
    }
    by
}

/// Where each pilot's constraints start in the positions, and the position
/// in `all` of each constraint, pilot by pilot.
fn positions(site: &Site, all: &[(usize, usize)]) -> (Vec<usize>, Vec<u32>) {
    let mut start = Vec::with_capacity(site.pilots.len());
    let mut n = 0;
    for p in &site.pilots {
        start.push(n);
        n += p.constraints.len();
    }
    let mut position = vec![0u32; n];
    for (pos, &(i, j)) in all.iter().enumerate() {
        position[start[i] + j] = u32::try_from(pos).unwrap_or(u32::MAX);
    }
    (start, position)
}

/// Where a pilot is in memory, which stands for it in [`Order::index_of`].
fn address(p: &Pilot) -> usize {
    std::ptr::from_ref(p) as usize
}

/// Every constraint in library order (overdue, open, resolved), made once
/// for a build and shared by the pages and exports that list constraints.
pub(crate) struct Order {
    /// Pilot and constraint indexes.
    all: Vec<(usize, usize)>,
    /// Where each constraint is in `all`: the positions of pilot `i`'s
    /// constraints start at `start[i]` in `position`.
    start: Vec<usize>,
    position: Vec<u32>,
    /// Each pilot's index in the site's list, by the pilot's address: the
    /// pilots are the site's own, shared, for as long as the order is
    /// used, and a row asks this for every constraint it shows (a search
    /// by id was a twentieth of a build's work).
    index_of: HashMap<usize, u32>,
    /// Positions in `all` of the open constraints of each category.
    open_by_category: HashMap<String, Vec<usize>>,
}

impl Order {
    /// How many constraints there are.
    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }

    pub(crate) fn new(site: &Site) -> Order {
        let mut all: Vec<(usize, usize)> =
            site.pilots.iter().enumerate().flat_map(|(i, p)| (0..p.constraints.len()).map(move |j| (i, j))).collect();
        sort_in_order(site, &mut all);
        let (start, position) = positions(site, &all);
        // Two passes over every record, each bound by memory: side by side
        // (`serve` makes the order after each edit).
        let (open_by_category, index_of) = rayon::join(
            || open_by_category(site, &start, &position),
            || {
                (site.pilots.iter().enumerate())
                    .map(|(i, p)| (address(p), u32::try_from(i).unwrap_or(u32::MAX)))
                    .collect()
            },
        );
        Order { all, start, position, index_of, open_by_category }
    }

    /// Where constraint `j` of pilot `i` is in library order, from 0.
    pub(crate) fn position(&self, i: usize, j: usize) -> usize {
        self.position.get(self.start.get(i).map_or(usize::MAX, |s| s + j)).map_or(0, |&p| p as usize)
    }

    /// Where `c`, a constraint of `p`, is in library order, from 0. `p`
    /// is one of the site's pilots the order was made from; another pilot
    /// (a copy) is found by its id.
    pub(crate) fn position_of(&self, site: &Site, p: &Pilot, c: &Constraint) -> usize {
        let i = match self.index_of.get(&address(p)) {
            Some(&i) => i as usize,
            None => site.pilot_index(&p.id).unwrap_or(0),
        };
        let j = p.constraint_index(c).unwrap_or(0);
        self.position(i, j)
    }

    /// The constraints from position `from` to `to` (not included), in
    /// library order.
    pub(crate) fn slice(&self, from: usize, to: usize) -> &[(usize, usize)] {
        let to = to.min(self.all.len());
        &self.all[from.min(to)..to]
    }

    /// The overdue, the other open and the resolved constraints, each in
    /// library order.
    pub(crate) fn groups(&self, site: &Site) -> [&[(usize, usize)]; 3] {
        let rank = |&(i, j): &(usize, usize)| rank(&site.pilots[i].constraints[j]);
        let open = self.all.partition_point(|r| rank(r) < 1);
        let resolved = self.all.partition_point(|r| rank(r) < 2);
        [&self.all[..open], &self.all[open..resolved], &self.all[resolved..]]
    }

    /// Every constraint (pilot and constraint indexes), in library order.
    pub(crate) fn places(&self) -> &[(usize, usize)] {
        &self.all
    }

    /// Open constraints in any of `categories`, most pressing first: at
    /// most `limit`, and how many more there are.
    pub(crate) fn open_in<'a>(
        &'a self,
        site: &'a Site,
        categories: &[String],
        limit: usize,
    ) -> (Vec<(&'a Pilot, &'a Constraint)>, usize) {
        let mut cats: Vec<&String> = categories.iter().collect();
        cats.sort();
        cats.dedup();
        let lists: Vec<&Vec<usize>> = cats.iter().filter_map(|c| self.open_by_category.get(*c)).collect();
        let total: usize = lists.iter().map(|l| l.len()).sum();
        let mut first: Vec<usize> = lists.iter().flat_map(|l| l.iter().take(limit).copied()).collect();
        first.sort_unstable();
        first.truncate(limit);
        let more = total - first.len();
        let rows =
            first.into_iter().map(|pos| self.all[pos]).map(|(i, j)| (&*site.pilots[i], &site.pilots[i].constraints[j]));
        (rows.collect(), more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keyed sort puts every constraint where the comparison does, in a
    /// generated site (every kind of date, many ties) and the example site.
    #[test]
    fn keyed_sort_is_library_order() {
        for example in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            if example {
                crate::theme::write_example_site(dir.path());
            } else {
                crate::synth::write_site(dir.path(), 400, 3).expect("generate");
            }
            let opts = crate::pipeline::Options { root: dir.path().to_path_buf(), ..Default::default() };
            let site = crate::pipeline::analyse(&opts).expect("analyse").site;
            let all: Vec<(usize, usize)> = site
                .pilots
                .iter()
                .enumerate()
                .flat_map(|(i, p)| (0..p.constraints.len()).map(move |j| (i, j)))
                .collect();
            let get = |&(i, j): &(usize, usize)| (&*site.pilots[i], &site.pilots[i].constraints[j]);
            let mut expected = all.clone();
            expected.sort_by(|a, b| order(&get(a), &get(b)));
            let mut keyed = all.clone();
            keyed.reverse();
            sort_in_order(&site, &mut keyed);
            assert!(all.len() > 20);
            assert_eq!(keyed, expected);
            // Counted, each pilot's constraints land where the order puts them.
            let order = Order::new(&site);
            for i in 0..site.pilots.len() {
                let sorted: Vec<usize> = (0..site.pilots[i].constraints.len()).map(|j| order.position(i, j)).collect();
                assert_eq!(count_places(&site, i), sorted, "pilot {}", site.pilots[i].id);
            }
            assert!(count_places(&site, site.pilots.len()).is_empty());
        }
    }
}

//! Synthetic sites of any size, the same for the same seed: for the
//! benchmarks (`scripts/bench.sh`, `cargo bench`) and the `generate`
//! example. Each pilot has 3-8 constraints, 4-20 weekly updates, readiness
//! evidence and a body of 2-4 KB; the playbook has 100 pages in 10
//! sections. The config fixes the as-of date (2026-11-20), so a build of a
//! generated site is the same whatever day it runs. [`Mix`] adds the
//! shapes real sites have (YAML, titled names, long bodies, many
//! constraints, pages without front matter); [`write_site`] writes none of
//! them, as the generator did before it had them.

mod mix;

pub use mix::Mix;
use mix::Shape;

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const STAGES: [&str; 7] = ["idea", "scoping", "pilot", "bridge", "production", "stalled", "retired"];
const CATEGORIES: [&str; 7] = ["integration", "governance", "data", "workforce", "economic", "ownership", "other"];
const FUNCTIONS: [&str; 8] =
    ["Finance", "Claims", "Underwriting", "HR", "IT", "Legal", "Procurement", "Customer service"];
const PEOPLE: [&str; 12] = [
    "Dana Ruiz",
    "Priya Natarajan",
    "Tom Iverson",
    "Helen Brooks",
    "Marcus Feld",
    "Grace Lin",
    "Sam Adeyemi",
    "Oliver Chen",
    "Fiona Hart",
    "Ravi Chandran",
    "Laura Petit",
    "Nina Alvarez",
];
const WORDS: [&str; 16] = [
    "pilot",
    "model",
    "workflow",
    "owner",
    "integration",
    "review",
    "queue",
    "approval",
    "baseline",
    "rollout",
    "handler",
    "evidence",
    "latency",
    "policy",
    "data",
    "team",
];
const RUBRIC: [(&str, [&str; 4]); 4] = [
    ("technical", ["latency", "monitoring", "fallback", "integration"]),
    ("governance", ["risk-assessment", "audit-trail", "risk-thresholds", "data-protection"]),
    ("workforce", ["training", "process-redesign", "support", "support"]),
    ("economic", ["business-case", "run-cost", "value-tracking", "value-tracking"]),
];

/// Days since 1970-01-01 -> `YYYY-MM-DD`.
fn date(days: i64) -> String {
    crate::date::Date::parse("1970-01-01").map(|d| d.plus_days(days as i32).to_string()).unwrap_or_default()
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(&WORDS));
    }
    s
}

/// Salts that keep the shapes of records and of pages apart.
const RECORD: u64 = 0x5EC0_4D00;
const PAGE: u64 = 0x9A6E_0000;

fn pilot(rng: &mut Rng, i: usize, today: i64, shape: &mut Shape) -> String {
    let stage_i = rng.below(STAGES.len() as u64) as usize;
    let stage = STAGES[stage_i];
    let started = today - 60 - rng.below(500) as i64;
    let mut s = String::new();
    let _ = writeln!(s, "+++\ntitle = \"Pilot {i}: {}\"", sentence(rng, 3));
    let _ = writeln!(s, "summary = \"{}\"", sentence(rng, 10));
    let _ = writeln!(s, "stage = \"{stage}\"\nfunction = \"{}\"", rng.pick(&FUNCTIONS));
    if stage_i >= 2 || rng.below(2) == 0 {
        let _ = writeln!(s, "owner = \"{}\"", shape.person(rng.pick(&PEOPLE)));
    }
    let (sponsor, champion) = (rng.pick(&PEOPLE), rng.pick(&PEOPLE));
    let _ = writeln!(s, "sponsor = \"{}\"\nchampion = \"{}\"", shape.person(sponsor), shape.person(champion));
    let _ = writeln!(s, "started = {}\ntarget = {}", date(started), date(started + 200 + rng.below(200) as i64));
    let _ =
        writeln!(s, "success = \"{}\"\ntags = [\"{}\", \"{}\"]", sentence(rng, 8), rng.pick(&WORDS), rng.pick(&WORDS));
    let _ = writeln!(s, "\n[stages]");
    let mut day = started;
    for st in STAGES.iter().take(stage_i.min(4) + 1) {
        let _ = writeln!(s, "{st} = {}", date(day.min(today)));
        day += 20 + rng.below(60) as i64;
    }
    if stage_i > 4 {
        let _ = writeln!(s, "{stage} = {}", date(day.min(today)));
    }
    for (dim, items) in RUBRIC {
        let _ = writeln!(s, "\n[readiness.{dim}]");
        for item in &items[..3] {
            match rng.below(3) {
                0 => s.push_str(&format!("{item} = true\n")),
                1 => s.push_str(&format!("{item} = false\n")),
                _ => s.push_str(&format!("{item} = \"https://wiki.example/pilot-{i}/{item}\"\n")),
            }
        }
    }
    let _ = writeln!(s, "\n[[integration]]\nsystem = \"ERP\"\ndirection = \"reads\"\nstatus = \"built\"");
    let constraints = 3 + rng.below(6);
    for c in 0..constraints {
        let raised = today - rng.below(120) as i64;
        let due = raised + 7 + rng.below(60) as i64;
        let _ = writeln!(s, "\n[[constraints]]\nid = \"c{c}\"\ntitle = \"{}\"", sentence(rng, 5));
        let (category, owner) = (rng.pick(&CATEGORIES), rng.pick(&PEOPLE));
        let _ = writeln!(s, "category = \"{category}\"\nowner = \"{}\"", shape.person(owner));
        let _ = writeln!(s, "raised = {}\ndue = {}\nimpact = \"{}\"", date(raised), date(due), sentence(rng, 8));
        if rng.below(3) == 0 {
            let _ = writeln!(s, "resolved = {}", date((raised + rng.below(40) as i64).min(today)));
        }
    }
    shape.more_constraints(&mut s, constraints, today);
    let monday = today - (today + 3).rem_euclid(7);
    for u in 0..4 + rng.below(17) {
        let week = monday - 7 * u as i64 - 7 * rng.below(3) as i64 * i64::from(u == 0);
        let _ = writeln!(s, "\n[[updates]]\nweek = {}\ncompleted = \"{}\"", date(week), sentence(rng, 6));
        let _ = writeln!(s, "blocker = \"{}\"\nrisk = \"{}\"", sentence(rng, 4), sentence(rng, 4));
        let _ = writeln!(s, "confidence = {{ leader = {}, team = {} }}", 1 + rng.below(5), 1 + rng.below(5));
    }
    s.push_str("+++\n\n");
    let front = s.len();
    let target = 2048 + rng.below(2048) as usize;
    let mut section = 0;
    while s.len() < target + 1500 {
        section += 1;
        let _ = writeln!(s, "## Section {section}\n\n{}.\n", sentence(rng, 60));
    }
    s.push_str(&shape.long_body());
    let _ = writeln!(s, "## Lessons learned\n\n- {}\n- {}", sentence(rng, 10), sentence(rng, 10));
    if shape.yaml {
        // The same record in YAML: the body is as long as the TOML one's.
        s = mix::yaml_front(&s[4..front - 5]) + "\n" + &s[front..];
    }
    s
}

/// Writes a site of `pilots` records into `dir`, without the shapes of
/// [`Mix`] ([`Mix::PLAIN`]).
pub fn write_site(dir: &Path, pilots: usize, seed: u64) -> io::Result<()> {
    write_site_with(dir, pilots, seed, &Mix::PLAIN)
}

/// Writes a site of `pilots` records into `dir` with the shapes of `mix`.
/// The same arguments write the same site.
pub fn write_site_with(dir: &Path, pilots: usize, seed: u64, mix: &Mix) -> io::Result<()> {
    let mut rng = Rng(seed);
    let today = 20_777; // 2026-11-20
    std::fs::create_dir_all(dir.join("content/pilots"))?;
    std::fs::write(dir.join("pilotdeck.toml"), "title = \"Generated portfolio\"\nas_of = \"2026-11-20\"\n")?;
    for i in 0..pilots {
        let text = pilot(&mut rng, i, today, &mut Shape::new(mix, seed, RECORD, i));
        std::fs::write(dir.join(format!("content/pilots/pilot-{i:05}.md")), text)?;
    }
    for sec in 0..10 {
        let sdir = dir.join(format!("content/playbook/{sec:02}-section"));
        std::fs::create_dir_all(&sdir)?;
        std::fs::write(
            sdir.join("_index.md"),
            format!("+++\ntitle = \"Section {sec}\"\nweight = {sec}\n+++\n\n{}\n", sentence(&mut rng, 40)),
        )?;
        for p in 0..10 {
            let body = (0..6).map(|h| format!("## Part {h}\n\n{}.\n", sentence(&mut rng, 50))).collect::<String>();
            let cat = rng.pick(&CATEGORIES);
            let shape = Shape::new(mix, seed, PAGE, sec * 10 + p);
            let text = if shape.bare {
                format!("# Page {sec}.{p}\n\n{body}")
            } else if shape.yaml {
                format!("---\ntitle: Page {sec}.{p}\nweight: {p}\naddresses: [{cat}]\n---\n\n{body}")
            } else {
                format!("+++\ntitle = \"Page {sec}.{p}\"\nweight = {p}\naddresses = [\"{cat}\"]\n+++\n\n{body}")
            };
            std::fs::write(sdir.join(format!("page-{p:02}.md")), text)?;
        }
    }
    Ok(())
}

/// A constraint of an evolving pilot: id, title, category, owner, raised,
/// due, resolved.
type Raised = (usize, String, &'static str, &'static str, i64, i64, Option<i64>);

/// One pilot as it evolves in [`write_repo`].
struct Evolving {
    stage: usize,
    /// Stages entered, with their days.
    stages: Vec<(usize, i64)>,
    target: i64,
    owner: &'static str,
    constraints: Vec<Raised>,
    updates: Vec<i64>,
    function: &'static str,
}

impl Evolving {
    fn text(&self, i: usize) -> String {
        let mut s = format!(
            "+++\ntitle = \"Pilot {i}\"\nstage = \"{}\"\nowner = \"{}\"\nsponsor = \"{}\"\nfunction = \"{}\"\ntarget = {}\n\n[stages]\n",
            STAGES[self.stage],
            self.owner,
            PEOPLE[i % PEOPLE.len()],
            self.function,
            date(self.target)
        );
        for (st, day) in &self.stages {
            let _ = writeln!(s, "{} = {}", STAGES[*st], date(*day));
        }
        for (id, title, cat, owner, raised, due, resolved) in &self.constraints {
            let _ = write!(
                s,
                "\n[[constraints]]\nid = \"c{id}\"\ntitle = \"{title}\"\ncategory = \"{cat}\"\nowner = \"{owner}\"\nraised = {}\ndue = {}\n",
                date(*raised),
                date(*due)
            );
            if let Some(r) = resolved {
                let _ = writeln!(s, "resolved = {}", date(*r));
            }
        }
        for week in &self.updates {
            let _ =
                write!(s, "\n[[updates]]\nweek = {}\ncompleted = \"Progress on the {}\"\n", date(*week), self.function);
        }
        s.push_str("+++\n\nThe pilot's notes.\n");
        s
    }
}

/// Writes a site whose `content/pilots/` is a git repository's history:
/// `pilots` records evolving over `weeks` weeks up to 2026-11-20, in
/// `commits` commits by several authors. Each change is to one record: it
/// is made, moves stage, its target slips, a constraint is raised,
/// re-planned or resolved, or a weekly update is added. With at least as
/// many commits as pilots, each commit makes one change (the first ones
/// make the records); with fewer, there are `pilots + commits` changes,
/// shared out evenly, so that one commit makes or changes several
/// records. The same
/// arguments give the same repository. Uses the `git` program (`git
/// fast-import`), for tests and the benchmark; pilotdeck reads the result
/// with gix.
pub fn write_repo(dir: &Path, pilots: usize, commits: usize, weeks: usize, seed: u64) -> io::Result<()> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut rng = Rng(seed);
    let end = 20_777; // 2026-11-20
    let start = end - 7 * weeks as i64;
    std::fs::create_dir_all(dir)?;
    let git = |args: &[&str]| Command::new("git").current_dir(dir).args(args).env("GIT_CONFIG_NOSYSTEM", "1").output();
    let out = git(&["init", "-q", "-b", "main"])?;
    if !out.status.success() {
        return Err(io::Error::other(String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["fast-import", "--quiet"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    let mut stream = io::BufWriter::new(child.stdin.take().ok_or_else(|| io::Error::other("no stdin"))?);
    let mut state: Vec<Option<Evolving>> = (0..pilots).map(|_| None).collect();
    let config = "title = \"Generated history\"\nas_of = \"2026-11-20\"\n";
    let mut next_constraint = 0;
    // The first changes make the records, the rest change them; days rise
    // through the weeks.
    let (total, changes) = if commits >= pilots { (commits, commits) } else { (commits.max(1), pilots + commits) };
    let mut k = 0;
    for c in 0..total {
        let day = start + (c as i64 * 7 * weeks as i64) / total as i64;
        let mut author = "";
        let mut messages = Vec::new();
        let mut touched = std::collections::BTreeSet::new();
        // The changes of commit `c`.
        while k < changes && k * total / changes == c {
            let i = if k < pilots { k } else { rng.below(pilots as u64) as usize };
            if messages.is_empty() {
                author = PEOPLE[rng.below(PEOPLE.len() as u64) as usize];
            }
            k += 1;
            touched.insert(i);
            let message = match &mut state[i] {
                None => {
                    state[i] = Some(Evolving {
                        stage: 0,
                        stages: vec![(0, day)],
                        target: day + 120 + rng.below(120) as i64,
                        owner: PEOPLE[rng.below(PEOPLE.len() as u64) as usize],
                        constraints: Vec::new(),
                        updates: Vec::new(),
                        function: FUNCTIONS[rng.below(FUNCTIONS.len() as u64) as usize],
                    });
                    format!("Pilot {i}: new record")
                }
                Some(p) => match rng.below(6) {
                    0 if p.stage < 4 => {
                        p.stage += 1;
                        p.stages.push((p.stage, day));
                        format!("Pilot {i}: into {}", STAGES[p.stage])
                    }
                    1 => {
                        p.target += 7 + rng.below(45) as i64;
                        format!("Pilot {i}: target moved")
                    }
                    2 => {
                        next_constraint += 1;
                        let cat = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
                        let owner = PEOPLE[rng.below(PEOPLE.len() as u64) as usize];
                        let title = format!("{} {}", cat, sentence(&mut rng, 3));
                        p.constraints.push((
                            next_constraint,
                            title,
                            cat,
                            owner,
                            day,
                            day + 14 + rng.below(30) as i64,
                            None,
                        ));
                        format!("Pilot {i}: constraint raised")
                    }
                    3 => match p.constraints.iter_mut().find(|c| c.6.is_none()) {
                        Some(c) => {
                            c.5 += 7 + rng.below(21) as i64;
                            format!("Pilot {i}: constraint re-planned")
                        }
                        None => {
                            p.updates.push(day - (day - 4) % 7);
                            format!("Pilot {i}: weekly update")
                        }
                    },
                    4 => match p.constraints.iter_mut().find(|c| c.6.is_none()) {
                        Some(c) => {
                            c.6 = Some(day.max(c.4));
                            format!("Pilot {i}: constraint resolved")
                        }
                        None => {
                            p.updates.push(day - (day - 4) % 7);
                            format!("Pilot {i}: weekly update")
                        }
                    },
                    _ => {
                        let week = day - (day - 4) % 7;
                        if p.updates.last() != Some(&week) {
                            p.updates.push(week);
                        }
                        format!("Pilot {i}: weekly update")
                    }
                },
            };
            messages.push(message);
        }
        let message = match &messages[..] {
            [one] => one.clone(),
            many => format!("{} changes: {}", many.len(), many.join("; ")),
        };
        let seconds = day * 86_400 + 36_000 + (c as i64 % 3_600);
        let email = author.to_lowercase().replace(' ', ".");
        writeln!(stream, "commit refs/heads/main")?;
        writeln!(stream, "author {author} <{email}@example.org> {seconds} +0000")?;
        writeln!(stream, "committer {author} <{email}@example.org> {seconds} +0000")?;
        writeln!(stream, "data {}\n{message}", message.len())?;
        if c == 0 {
            writeln!(stream, "M 100644 inline pilotdeck.toml\ndata {}\n{config}", config.len())?;
        }
        for i in touched {
            let text = state[i].as_ref().map(|p| p.text(i)).unwrap_or_default();
            writeln!(stream, "M 100644 inline content/pilots/pilot-{i:05}.md\ndata {}\n{text}", text.len())?;
        }
        writeln!(stream)?;
    }
    drop(stream);
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other("git fast-import failed"));
    }
    let out = git(&["checkout", "-q", "-f", "main"])?;
    if !out.status.success() {
        return Err(io::Error::other(String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    Ok(())
}

//! Synthetic sites of any size, the same for the same seed: for the
//! benchmarks (`scripts/bench.sh`, `cargo bench`) and the `generate`
//! example. Each pilot has 3-8 constraints, 4-20 weekly updates, readiness
//! evidence and a body of 2-4 KB; the playbook has 100 pages in 10
//! sections. The config fixes the as-of date (2026-11-20), so a build of a
//! generated site is the same whatever day it runs.

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

fn pilot(rng: &mut Rng, i: usize, today: i64) -> String {
    let stage_i = rng.below(STAGES.len() as u64) as usize;
    let stage = STAGES[stage_i];
    let started = today - 60 - rng.below(500) as i64;
    let mut s = String::new();
    let _ = writeln!(s, "+++\ntitle = \"Pilot {i}: {}\"", sentence(rng, 3));
    let _ = writeln!(s, "summary = \"{}\"", sentence(rng, 10));
    let _ = writeln!(s, "stage = \"{stage}\"\nfunction = \"{}\"", rng.pick(&FUNCTIONS));
    if stage_i >= 2 || rng.below(2) == 0 {
        let _ = writeln!(s, "owner = \"{}\"", rng.pick(&PEOPLE));
    }
    let _ = writeln!(s, "sponsor = \"{}\"\nchampion = \"{}\"", rng.pick(&PEOPLE), rng.pick(&PEOPLE));
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
    for c in 0..3 + rng.below(6) {
        let raised = today - rng.below(120) as i64;
        let due = raised + 7 + rng.below(60) as i64;
        let _ = writeln!(s, "\n[[constraints]]\nid = \"c{c}\"\ntitle = \"{}\"", sentence(rng, 5));
        let _ = writeln!(s, "category = \"{}\"\nowner = \"{}\"", rng.pick(&CATEGORIES), rng.pick(&PEOPLE));
        let _ = writeln!(s, "raised = {}\ndue = {}\nimpact = \"{}\"", date(raised), date(due), sentence(rng, 8));
        if rng.below(3) == 0 {
            let _ = writeln!(s, "resolved = {}", date((raised + rng.below(40) as i64).min(today)));
        }
    }
    let monday = today - (today + 3).rem_euclid(7);
    for u in 0..4 + rng.below(17) {
        let week = monday - 7 * u as i64 - 7 * rng.below(3) as i64 * i64::from(u == 0);
        let _ = writeln!(s, "\n[[updates]]\nweek = {}\ncompleted = \"{}\"", date(week), sentence(rng, 6));
        let _ = writeln!(s, "blocker = \"{}\"\nrisk = \"{}\"", sentence(rng, 4), sentence(rng, 4));
        let _ = writeln!(s, "confidence = {{ leader = {}, team = {} }}", 1 + rng.below(5), 1 + rng.below(5));
    }
    s.push_str("+++\n\n");
    let target = 2048 + rng.below(2048) as usize;
    let mut section = 0;
    while s.len() < target + 1500 {
        section += 1;
        let _ = writeln!(s, "## Section {section}\n\n{}.\n", sentence(rng, 60));
    }
    let _ = writeln!(s, "## Lessons learned\n\n- {}\n- {}", sentence(rng, 10), sentence(rng, 10));
    s
}

/// Writes a site of `pilots` records into `dir`.
pub fn write_site(dir: &Path, pilots: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng(seed);
    let today = 20_777; // 2026-11-20
    std::fs::create_dir_all(dir.join("content/pilots"))?;
    std::fs::write(dir.join("pilotdeck.toml"), "title = \"Generated portfolio\"\nas_of = \"2026-11-20\"\n")?;
    for i in 0..pilots {
        let text = pilot(&mut rng, i, today);
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
            std::fs::write(
                sdir.join(format!("page-{p:02}.md")),
                format!("+++\ntitle = \"Page {sec}.{p}\"\nweight = {p}\naddresses = [\"{cat}\"]\n+++\n\n{body}"),
            )?;
        }
    }
    Ok(())
}

//! The shapes real sites have, laid over the plain generated site: records
//! with YAML front matter, names written with a title after a comma, long
//! bodies with tables and code blocks, records with many constraints, and
//! playbook pages without front matter. Each record's shape comes from a
//! generator of its own (seeded by the site's seed and the record's
//! number), so the plain content stays the same whatever the mix: a site
//! at `yaml_share` 0 and the same site at 0.33 differ only in how a third
//! of the records are written.

use super::{date, sentence, Rng, PEOPLE, WORDS};
use std::fmt::Write as _;

/// How much of each shape a generated site has; each share is of the
/// records (or playbook pages) that get it, 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mix {
    /// Records, and playbook pages with front matter, written in YAML
    /// between `---` lines instead of TOML.
    pub yaml_share: f64,
    /// People written with a title after a comma (`Dana Ruiz, Head of
    /// Claims`): owners, sponsors, champions and constraint owners.
    pub titled_share: f64,
    /// Records with a long body: 8-24 KB more, with tables and code blocks.
    pub long_share: f64,
    /// Records with many constraints (30).
    pub crowded_share: f64,
    /// Playbook pages without front matter (the title from a `#` heading).
    pub bare_page_share: f64,
}

impl Mix {
    /// The site the generator wrote before it had shapes: all TOML, plain
    /// names, 2-4 KB bodies, 3-8 constraints, every page with front matter.
    pub const PLAIN: Mix =
        Mix { yaml_share: 0.0, titled_share: 0.0, long_share: 0.0, crowded_share: 0.0, bare_page_share: 0.0 };

    /// A mix like the sites people have: a third YAML, two in five names
    /// with titles, one record in five long, one in thirty with 30
    /// constraints, three playbook pages in ten without front matter.
    pub const REALISTIC: Mix =
        Mix { yaml_share: 0.33, titled_share: 0.4, long_share: 0.2, crowded_share: 1.0 / 30.0, bare_page_share: 0.3 };
}

impl Default for Mix {
    fn default() -> Mix {
        Mix::REALISTIC
    }
}

/// Each person's title, in the order of [`PEOPLE`].
const TITLES: [&str; 12] = [
    "Head of Claims",
    "Chief Financial Officer",
    "Director of Underwriting",
    "VP People",
    "Head of IT Operations",
    "General Counsel",
    "Procurement Lead",
    "Head of Customer Service",
    "Data Protection Officer",
    "Chief Operating Officer",
    "Finance Controller",
    "Head of Automation",
];

const LANGUAGES: [&str; 4] = ["python", "sql", "yaml", "json"];

/// The shape of one record or page, and the generator its extra content
/// comes from.
pub(super) struct Shape {
    pub yaml: bool,
    pub long: bool,
    pub crowded: bool,
    pub bare: bool,
    titled_share: f64,
    pub rng: Rng,
}

impl Shape {
    /// The shape of record (or page) `n` of kind `salt` in a site of `seed`.
    pub fn new(mix: &Mix, seed: u64, salt: u64, n: usize) -> Shape {
        let mut rng = Rng(seed ^ salt ^ (n as u64 + 1).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let mut chance = |share: f64| (rng.below(1_000_000) as f64) < share * 1_000_000.0;
        let yaml = chance(mix.yaml_share);
        let long = chance(mix.long_share);
        let crowded = chance(mix.crowded_share);
        let bare = chance(mix.bare_page_share);
        Shape { yaml, long, crowded, bare, titled_share: mix.titled_share, rng }
    }

    /// `name` as this record writes it: with its title after a comma, now
    /// and then.
    pub fn person(&mut self, name: &str) -> String {
        let titled = (self.rng.below(1_000_000) as f64) < self.titled_share * 1_000_000.0;
        match PEOPLE.iter().position(|p| *p == name) {
            Some(at) if titled => format!("{name}, {}", TITLES[at]),
            _ => name.to_string(),
        }
    }

    /// Constraints `from` to 29, in the record's TOML, when the record is
    /// crowded.
    pub fn more_constraints(&mut self, s: &mut String, from: u64, today: i64) {
        if !self.crowded {
            return;
        }
        for c in from..30 {
            let rng = &mut self.rng;
            let raised = today - rng.below(200) as i64;
            let due = raised + 7 + rng.below(60) as i64;
            let category = rng.pick(&super::CATEGORIES);
            let title = sentence(rng, 5);
            let impact = sentence(rng, 8);
            let who = rng.pick(&PEOPLE);
            let owner = self.person(who);
            let _ = writeln!(s, "\n[[constraints]]\nid = \"c{c}\"\ntitle = \"{title}\"");
            let _ = writeln!(s, "category = \"{category}\"\nowner = \"{owner}\"");
            let _ = writeln!(s, "raised = {}\ndue = {}\nimpact = \"{impact}\"", date(raised), date(due));
            if self.rng.below(2) == 0 {
                let _ = writeln!(s, "resolved = {}", date((raised + self.rng.below(40) as i64).min(today)));
            }
        }
    }

    /// 8-24 KB of Markdown with tables and code blocks, when the record is
    /// long; empty otherwise.
    pub fn long_body(&mut self) -> String {
        let mut s = String::new();
        if !self.long {
            return s;
        }
        let rng = &mut self.rng;
        let target = 8192 + rng.below(16_384) as usize;
        let mut part = 0;
        while s.len() < target {
            part += 1;
            let _ = writeln!(s, "## Results {part}\n\n{}.\n", sentence(rng, 40));
            let _ = writeln!(s, "| Week | Cases | Matched | Rate | Note |\n| --- | ---: | ---: | ---: | --- |");
            for w in 0..8 + rng.below(32) {
                let cases = 200 + rng.below(2000);
                let matched = cases * (60 + rng.below(40)) / 100;
                let _ = writeln!(
                    s,
                    "| W{:02} | {cases} | {matched} | {}% | {} |",
                    1 + w,
                    matched * 100 / cases,
                    sentence(rng, 3)
                );
            }
            let lang = rng.pick(&LANGUAGES);
            let _ = writeln!(s, "\n{}:\n\n```{lang}", sentence(rng, 8));
            for l in 0..8 + rng.below(32) {
                let (a, b) = (rng.pick(&WORDS), rng.pick(&WORDS));
                let _ = match lang {
                    "python" => writeln!(s, "{a}_{l} = fetch_{b}(batch, limit={})  # {a} < {b}", rng.below(500)),
                    "sql" => {
                        writeln!(s, "SELECT {a}, count(*) FROM {b}_{l} WHERE score > {} GROUP BY {a};", rng.below(99))
                    }
                    "yaml" => writeln!(s, "{a}_{l}:\n  {b}: \"<{}>\"", rng.below(1000)),
                    _ => writeln!(s, "{{\"{a}\": {l}, \"{b}\": \"&{}\"}}", rng.below(1000)),
                };
            }
            s.push_str("```\n\n");
        }
        s
    }
}

/// The TOML front matter `front` (without its `+++` lines) written as YAML:
/// the same keys in the same order, strings plain where YAML allows it,
/// lists of words in brackets, lists of tables as `- key: value` blocks.
pub(super) fn yaml_front(front: &str) -> String {
    let table: toml::Table = match toml::from_str(front) {
        Ok(t) => t,
        // The generator writes valid TOML; were it not, keep it as it is.
        Err(_) => return format!("+++\n{front}+++\n"),
    };
    let mut out = String::from("---\n");
    map(&mut out, &table, 0);
    out.push_str("---\n");
    out
}

fn map(out: &mut String, table: &toml::Table, indent: usize) {
    for (key, value) in table {
        let _ = write!(out, "{:indent$}{key}:", "");
        match value {
            toml::Value::Table(t) => {
                out.push('\n');
                map(out, t, indent + 2);
            }
            toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                out.push('\n');
                for item in items {
                    let mut block = String::new();
                    map(&mut block, item.as_table().expect("a table"), indent + 4);
                    // The first key on the `- ` line.
                    let _ = write!(out, "{:w$}- {}", "", &block[indent + 4..], w = indent + 2);
                }
            }
            toml::Value::Array(items) => {
                let words: Vec<String> = items.iter().map(|v| scalar(v, true)).collect();
                let _ = writeln!(out, " [{}]", words.join(", "));
            }
            other => {
                let _ = writeln!(out, " {}", scalar(other, false));
            }
        }
    }
}

/// A scalar as YAML writes it; in a flow list (`[a, b]`) only plain words
/// go unquoted.
fn scalar(v: &toml::Value, in_flow: bool) -> String {
    match v {
        toml::Value::String(s) if plain(s, in_flow) => s.clone(),
        toml::Value::String(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

/// Whether `s` reads back as the same string when written without quotes.
fn plain(s: &str, in_flow: bool) -> bool {
    let first_ok = s.chars().next().is_some_and(char::is_alphabetic);
    let chars_ok = if in_flow {
        s.chars().all(|c| c.is_alphanumeric() || c == '-')
    } else {
        s.chars().all(|c| c.is_alphanumeric() || " ,.-/:()'".contains(c))
    };
    let special = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"];
    first_ok
        && chars_ok
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !special.contains(&s.to_ascii_lowercase().as_str())
}

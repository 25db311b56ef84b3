//! YAML front matter is read from granit-parser's events
//! (`pilotdeck::frontmatter_yaml`), the common shapes by a fast path first
//! (`pilotdeck::frontmatter::read_yaml`); before, serde-saphyr
//! deserialized it. The two must mean the same: for the front matter of a generated site
//! in YAML, the repository's own pages and a hostile set, the new reader's
//! tree (kinds, values, spans) is the one serde-saphyr built, and where
//! serde-saphyr refused the text, the new reader refuses it at the same
//! place. serde-saphyr, a dev-dependency, runs here only, through the code
//! pilotdeck used (kept below as it was).

use pilotdeck::diag::Span;
use pilotdeck::frontmatter::read_yaml;
use pilotdeck::frontmatter_yaml::YamlError;
use pilotdeck::node::{Entry, Kind, Node, MAX_DEPTH};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;
use std::path::Path;

/// The old reader: serde-saphyr with pilotdeck's options, on a thread
/// with a big stack (serde-saphyr recurses, deeply in a debug build).
fn old(text: &str) -> Result<Node<'static>, YamlError> {
    let text = text.to_string();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let text: &'static str = Box::leak(text.into_boxed_str());
            match serde_saphyr::from_str_with_options::<YamlNode<'_>>(text, yaml_options(text)) {
                Ok(YamlNode(node)) => Ok(node),
                Err(e) => {
                    let at = e.location().map_or(0, |l| byte_offset(text, &l));
                    let message = e.without_snippet().to_string();
                    use serde_saphyr::budget::BudgetBreach;
                    let deep = matches!(
                        e.without_snippet(),
                        serde_saphyr::Error::Budget { breach: BudgetBreach::Depth { .. }, .. }
                    ) || message.starts_with("recursion limit exceeded");
                    Err(YamlError { at, message, deep })
                }
            }
        })
        .unwrap()
        .join()
        .unwrap()
}

fn yaml_options(text: &str) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH - 1;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    if !text.contains("<<") {
        options.merge_keys = serde_saphyr::MergeKeyPolicy::AsOrdinary;
    }
    options
}

fn byte_offset(text: &str, loc: &serde_saphyr::Location) -> u32 {
    if let Some(b) = loc.span().byte_offset() {
        return b as u32;
    }
    let line_start: usize = text.split_inclusive('\n').take(loc.line().saturating_sub(1) as usize).map(str::len).sum();
    let col: usize = text[line_start..].chars().take(loc.column().saturating_sub(1) as usize).map(char::len_utf8).sum();
    (line_start + col) as u32
}

fn yaml_span(loc: &serde_saphyr::Location) -> Span {
    let span = loc.span();
    let start = span.byte_offset().unwrap_or(0) as u32;
    let len = span.byte_len().unwrap_or(0) as u32;
    Span::new(start, start + len)
}

struct YamlNode<'de>(Node<'de>);

impl<'de> Deserialize<'de> for YamlNode<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<YamlKind<'de>>::deserialize(d)?;
        Ok(YamlNode(Node { span: yaml_span(&s.referenced), kind: s.value.0 }))
    }
}

struct YamlKind<'de>(Kind<'de>);

impl<'de> Deserialize<'de> for YamlKind<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor)
    }
}

struct YamlKey<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for YamlKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_str(YamlVisitor)?.0 {
            Kind::Str(s) => Ok(YamlKey(s)),
            _ => Err(de::Error::custom("a key must be text")),
        }
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = YamlKind<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlKind<'de>, E> {
        i64::try_from(v).map(|i| YamlKind(Kind::Int(i))).map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Str(v.to_string().into())))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Str(v.into())))
    }
    fn visit_unit<E>(self) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Null))
    }
    fn visit_none<E>(self) -> Result<YamlKind<'de>, E> {
        Ok(YamlKind(Kind::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlKind<'de>, D::Error> {
        YamlKind::deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<YamlKind<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlNode(n)) = seq.next_element()? {
            items.push(n);
        }
        Ok(YamlKind(Kind::Seq(items)))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<YamlKind<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<YamlKey<'de>>>()? {
            let YamlNode(value) = map.next_value()?;
            entries.push(Entry { key: key.value.0, key_span: yaml_span(&key.referenced), value });
        }
        Ok(YamlKind(Kind::Map(entries)))
    }
}

/// Where the two readers differ on `text`, if they do.
fn differ(text: &str) -> Option<String> {
    let (old, new) = (old(text), read_yaml(text));
    match (&old, &new) {
        (Ok(a), Ok(b)) if a == b => None,
        // serde-saphyr wrapped a depth error met inside an alias's copy
        // (it then read as a plain syntax error); it is "too deep" now.
        (Err(a), Err(b)) if a.at == b.at && (a.deep == b.deep || a.message.starts_with("budget breached: Depth")) => {
            None
        }
        _ => Some(format!("{text:?}\n old: {old:?}\n new: {new:?}")),
    }
}

fn assert_same(texts: &[String]) {
    let wrong: Vec<String> = texts.iter().filter_map(|t| differ(t)).collect();
    assert!(wrong.is_empty(), "{} of {} differ:\n{}", wrong.len(), texts.len(), wrong.join("\n\n"));
}

/// The text between a file's `---` lines, as `frontmatter::split` finds it.
fn front(text: &str) -> Option<String> {
    let s = pilotdeck::frontmatter::split(text);
    (s.present && text.starts_with("---")).then(|| {
        let open = text.find('\n').unwrap() + 1;
        let close = text[..s.body_start].trim_end_matches(['\n', '\r']).rfind('\n').map_or(open, |i| i + 1);
        text[open..close.max(open)].to_string()
    })
}

fn fronts_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            out.extend(front(&text));
        }
    }
    out
}

#[test]
fn a_generated_site_in_yaml_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut mix = pilotdeck::synth::Mix::REALISTIC;
    mix.yaml_share = 1.0;
    pilotdeck::synth::write_site_with(dir.path(), 300, 42, &mix).unwrap();
    let fronts = fronts_under(&dir.path().join("content"));
    assert!(fronts.len() >= 300, "{} YAML front matters", fronts.len());
    assert_same(&fronts);
}

#[test]
fn the_repository_pages_read_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fronts = fronts_under(&root.join("content"));
    fronts.extend(fronts_under(&root.join("tests/fixtures")));
    assert!(!fronts.is_empty());
    assert_same(&fronts);
}

/// Hand-written YAML that exercises every rule: each reads the same.
const HOSTILE: &[&str] = &[
    // Scalars: nothing, booleans, numbers, text.
    "a: \nb: ~\nc: null\nd: Null\ne: NULL\nf: nULL\n",
    "a: true\nb: True\nc: TRUE\nd: yes\ne: Yes\nf: YES\ng: y\nh: Y\ni: on\nj: On\nk: ON\nl: tRuE\n",
    "a: false\nb: no\nc: No\nd: n\ne: N\nf: off\ng: OFF\nh: oFf\n",
    "a: 0\nb: 12\nc: -3\nd: +4\ne: 007\nf: -007\ng: +007\nh: 08\ni: 1_000\nj: 1__0\nk: _1\nl: 1_\nm: 0_1\n",
    "a: 0x1F\nb: 0X1f\nc: -0x10\nd: 0o17\ne: 0O17\nf: 0b101\ng: 0B11\nh: 0x\ni: 0xG\nj: 0o8\nk: 0b2\nl: 017\n",
    "a: 1.5\nb: -2.5e3\nc: 1e3\nd: 1E-3\ne: .5\nf: 5.\ng: +.5\nh: 1.0e+10\ni: 1_0.5\nj: nan\nk: inf\nl: infinity\nm: NaN\n",
    "a: 9223372036854775807\nb: -9223372036854775808\nc: -9223372036854775809\nd: 99999999999999999999\ne: 1e308\n",
    "a: 9223372036854775808\n",
    "a: 18446744073709551615\n",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: .nan\n",
    "a: 1e999\n",
    "a: -1e999\n",
    "a: 0x8000000000000000\n",
    "a: 2026-03-15\nb: 2026-03-15T10:00:00Z\nc: 12:30\nd: 1:2:3\ne: 1,000\nf: $5\ng: 5%\n",
    // Quoted and block scalars are text.
    "a: '12'\nb: \"true\"\nc: 'null'\nd: \"\"\ne: ''\nf: \"a\\tb\\u00e9\"\ng: 'it''s'\n",
    "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n\n  para\nc: |-\n  12\nd: >+\n  keep\n\ne: x\n",
    "a: |2\n   indented\nb: >-\n  true\n",
    "a: plain text\n  on two lines\nb: with: colon\nc: a #not comment\nd: x # comment\n",
    // Tags.
    "a: !!str 12\nb: !!str null\nc: ! yes\nd: !!int 12\ne: !!int \"12\"\nf: !!float 1\ng: !!bool yes\nh: !!null x\ni: !thing 12\nj: !thing 'x'\nk: !!str\n",
    "a: !int 5\nb: !float '2'\nc: !str 5\nd: !bool on\ne: !null 3\nf: !<tag:yaml.org,2002:int> 7\n",
    "a: !!int -5\nb: !!int +5\nc: !!int 0x10\n",
    "a: !!int 007\n",
    "a: !!int x\n",
    "a: !!int 9223372036854775808\n",
    "a: !!bool maybe\n",
    "a: !!float x\n",
    "a: !!float .inf\n",
    "a: !!timestamp 2026-01-01\n",
    "a: !degrees 90\n",
    "a: !!seq x\n",
    "a: !!map x\n",
    "a: !!str [1, 2]\n",
    "a: !!map [1, 2]\n",
    "a: !!seq {b: 1}\n",
    "a: !!seq [1, 2]\nb: !!map {c: 1}\nc: ! [1]\nd: !thing {e: 2}\n",
    "a: !!null\n",
    "a: !include x.yaml\n",
    "? !!str 5\n: five\n",
    "!!int 5: five\n",
    // Keys.
    "1: one\ntrue: yes\nnull: x\n",
    "~: x\n",
    ": x\n",
    "'': empty\n\"null\": quoted\n",
    "? [a, b]\n: x\n",
    "? {a: 1}\n: x\n",
    "? complex key\n: value\n",
    "a b c: spaced\n'q': single\n\"d\\u00e9\": escaped\n",
    // Anchors, aliases and merges.
    "base: &b {a: 1, b: [x, y]}\ncopy: *b\nlist: [*b, *b]\n",
    "s: &s text\nt: *s\n*s : as key\nn: &n 12\nm: *n\n",
    "k: &k 5\n*k : five\n",
    "a: *missing\n",
    "a: &a [1, *a]\n",
    "base: &b {a: 1, b: 2}\nmore:\n  <<: *b\n  c: 3\n  a: 9\n",
    "x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n",
    "x: &x {a: 1}\nz:\n  <<: *x\n  <<: {b: 2, a: 5}\n",
    "z:\n  <<: {a: 1, <<: {b: 2, a: 3}}\n  c: 3\n",
    "z:\n  <<: ~\n  a: 1\n",
    "z:\n  <<: 5\n",
    "z:\n  <<: [1]\n",
    "z:\n  '<<': {a: 1}\n",
    "z:\n  !!merge <<: {a: 1}\n",
    "b: &b {a: 1, a: 2}\nc:\n  <<: *b\n",
    "b: &b {x: 1}\nc: {<<: *b, y: 2}\nd: [{<<: *b}]\n",
    "k: &k key\nz:\n  <<: {*k : 1, b: *k, c: [*k, {d: *k}]}\n",
    "b: &b {a: 1}\nc:\n  <<: [*b, {c: *b}]\n",
    "c:\n  <<:\n    y: 2\n    z: [1, {w: 3}]\n  x: 0\n",
    "a: &x !!str 12\nb: *x\nc: &y '5'\n*y : y\nd: &z\ne: *z\n",
    "a: &a\n  - &b {c: &c 1}\n  - *c\nd: [*a, *b]\n",
    // Duplicate keys are kept (the caller reports them).
    "a: 1\nb: 2\na: 3\n",
    "a: {x: 1, x: 2}\nb: [{y: 1, y: 2}]\n",
    // Nesting.
    "a:\n  b:\n    c:\n      - d: [1, {e: [2, 3]}]\n        f: {g: h}\n",
    "- a\n- b\n",
    "just text\n",
    "12\n",
    "[1, 2]\n",
    "{a: 1}\n",
    "",
    "# only a comment\n",
    "# comment\n\n   \n# another\n",
    "a: 1 # trailing\n# full line\nb: 2\n",
    "...\n",
    "a: 1\n...\n",
    "a: 1\n--- \nb: 2\n",
    "a: 1\n--- x\n",
    "--- x\n",
    "--- {a: 1}\n",
    "...\n--- y\n",
    "a: 1\n...\n# after\n",
    "# c\n--- z: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    // Unicode, tabs, line ends.
    "titre: Été à Paris\n名前: 値\nemoji: \"😀\"\n'clé': 'valé'\n",
    "a:\tb\n",
    "a: b\t\nc:\t1\n",
    "a:\n\t- b\n",
    "a: 1\r\nb: two\r\nc:\r\n  - x\r\n  - y\r\n",
    "a: |\r\n  line\r\n  two\r\nb: 'q\r\n  r'\r\n",
    "a: 1\rb: 2\n",
    "\u{feff}a: 1\n",
    // Broken.
    "title: [a\n",
    "a: {b: 1\n",
    "a: 'unclosed\n",
    "a: \"unclosed\n",
    "a: b: c\n",
    "a:\n  - b\n c: d\n",
    "- a\nb: c\n",
    "a: ]\n",
    "a: [1, 2]]\n",
    "key with no colon\nb: 1\n",
    "a: @x\n",
    "a: `x\n",
    "a: &\n",
    "a: *\n",
    "a: !<x\n",
    "&a &b x: 1\n",
    "a: 1\n  b: 2\n",
];

#[test]
fn a_hostile_set_reads_the_same() {
    let texts: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    assert_same(&texts);
}

/// Where the new reader differs, on purpose: each is an error it reports
/// at a better place or in plainer words, or text nobody writes in front
/// matter.
#[test]
fn the_differences_are_the_ones_meant() {
    // `!!binary` (base64) was decoded; it is refused now.
    let text = "a: !!binary aGVsbG8=\n";
    assert!(old(text).is_ok());
    let e = read_yaml(text).unwrap_err();
    assert_eq!((e.at, e.message.as_str()), (3 + 9, "binary data (`!!binary`) cannot be read in front matter"));
    // A list used as a key through an alias: refused by both, at the alias
    // now, at the anchor before.
    let text = "k: &k [1]\n*k : list\n";
    assert_eq!(old(text).unwrap_err().at, 6);
    let e = read_yaml(text).unwrap_err();
    assert_eq!((e.at, e.message.as_str()), (10, "a key must be text, not a list or table"));
}

#[test]
fn nesting_at_and_past_the_limit_reads_the_same() {
    let mut texts = Vec::new();
    for depth in [MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 300] {
        texts.push(format!("x: {}1{}\n", "[".repeat(depth), "]".repeat(depth)));
        texts.push(format!("x: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)));
        let mut block = String::from("x:\n");
        for level in 1..depth {
            block.push_str(&format!("{}a:\n", "  ".repeat(level)));
        }
        texts.push(block);
        let mut list = String::from("x:\n");
        for level in 1..depth {
            list.push_str(&format!("{}-\n", " ".repeat(level)));
        }
        texts.push(list);
        // Deep through aliases: each level an alias of the one before.
        let mut aliased = String::from("l0: &l0 [1]\n");
        for level in 1..depth {
            aliased.push_str(&format!("l{level}: &l{level} [*l{}]\n", level - 1));
        }
        texts.push(aliased);
    }
    assert_same(&texts);
}

#[test]
fn many_keys_and_big_values_read_the_same() {
    let many: String = (0..500).map(|i| format!("k{i}: v{i}\n")).collect();
    let list: String = "items:\n".to_string() + &(0..2000).map(|i| format!("  - {i}\n")).collect::<String>();
    let long = format!("a: \"{}\"\n", "x".repeat(100_000));
    assert_same(&[many, list, long]);
}

/// A "billion laughs": nine levels of ten aliases each. serde-saphyr
/// stopped it by its own limits; the new reader stops past its node budget.
/// Either way it is an error at an alias, found quickly.
#[test]
fn a_billion_laughs_is_an_error_at_an_alias() {
    let text = laughs(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n".into(),
        'b'..='j',
    );
    let started = std::time::Instant::now();
    let e = read_yaml(&text).unwrap_err();
    assert!(started.elapsed().as_secs() < 5);
    assert!(text[e.at as usize..].starts_with('*'), "{e:?}");
    assert!(e.message.contains("1000000 values"), "{e:?}");
    assert!(old(&text).is_err());
}

/// `text` and a line per name of `names`, each anchoring a list of ten
/// aliases of the line before it: every line holds ten times as much.
fn laughs(mut text: String, names: std::ops::RangeInclusive<char>) -> String {
    let first = char::from_u32(u32::from(*names.start()) - 1).unwrap_or('a');
    for (name, prev) in names.zip(first..) {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text
}

/// What serde-saphyr said in Rust's words ("use Option<String>", "rejected
/// by the configured policy", "use from_str_multiple") is said in the
/// writer's now, at the same place; the parser's own messages are as they
/// were.
#[test]
fn refusals_say_what_to_do() {
    for (text, at, message) in [
        ("a: .inf\n", 3, "`.inf` is not a finite number: write it in quotes to keep it as text"),
        (
            "a: 9223372036854775808\n",
            3,
            "`9223372036854775808` is too large an integer: write it in quotes to keep it as text",
        ),
        ("a: !!int x\n", 9, "`x` is not an integer (`!!int`)"),
        ("~: x\n", 0, "a key is missing: write `key: value`, or quote a key spelt `null` or `~`"),
        ("? [a]\n: x\n", 2, "a key must be text, not a list or table"),
        ("a: *nope\n", 3, "an alias (`*name`) refers to no anchor (`&name`) before it"),
        ("z:\n  <<: 5\n", 9, "the value of `<<` must be a table or a list of tables"),
        ("a: !!str [1]\n", 9, "the tag `!!str` does not fit a list: leave it out"),
        (
            "a: 1\n--- x\n",
            9,
            "the front matter holds a second YAML document: a line `---` or `...` inside it ends the first",
        ),
        ("title: [a\n", 7, "unclosed bracket '['"),
    ] {
        let e = read_yaml(text).unwrap_err();
        assert_eq!((e.at, e.message.as_str()), (at, message), "{text:?}");
        assert_eq!(old(text).unwrap_err().at, at, "{text:?}");
    }
}

/// Laughs made of long escaped text (which a copy must copy, not borrow)
/// stop at the budget for copied text, long before gigabytes.
#[test]
fn laughs_of_long_text_stop_at_the_copy_budget() {
    let long = "x\\t".repeat(100_000);
    let text = laughs(format!("a: &a \"{long}\"\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"), 'c'..='h');
    let started = std::time::Instant::now();
    let e = read_yaml(&text).unwrap_err();
    assert!(started.elapsed().as_secs() < 5);
    assert!(text[e.at as usize..].starts_with('*'), "{e:?}");
    assert_eq!(e.message, "aliases copy more than 64 MiB of text");
}

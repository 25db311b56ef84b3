//! One rule for the words of search, in Rust (the index, `search`)
//! and in JavaScript (the query, and the words marked in a result, in the
//! default theme's `search.js`): the same strings go through both and must
//! come out as the same words and shards, and marking a text's own words
//! must mark exactly those words.
//! The JavaScript is run with `node`; without it the test says so and
//! passes (CI installs node).

use crate::common;

use pilotdeck::search::{shard_key, words, MAX_WORD};

/// Reads a JSON list of strings on standard input, prints for each its
/// words, their shard keys, and the words `marks` finds when the query is
/// the text itself, as `search.js` makes them.
const NODE: &str = r#"
const s = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((t) => {
    const w = s.words(t);
    const marked = s.marks(t, s.terms(t)).filter((p) => p[1]).map((p) => p[0].toLowerCase());
    return [w, w.map(s.shardKey), marked];
  });
  process.stdout.write(JSON.stringify(out));
});
"#;

/// What the indexer makes of `text`: its words and their shard keys.
fn rust(text: &str) -> (Vec<String>, Vec<String>) {
    let mut all = Vec::new();
    words(text, |w| all.push(w.to_string()));
    let keys = all.iter().map(|w| shard_key(w)).collect();
    (all, keys)
}

/// What `search.js` makes of a text: its words, their shard keys, and the
/// words it marks.
type Made = (Vec<String>, Vec<String>, Vec<String>);

/// What `search.js` makes of each of `texts`, or `None` without node.
fn javascript(texts: &[String]) -> Option<Vec<Made>> {
    let out = common::search_js(NODE, &[], &serde_json::to_string(texts).unwrap())?;
    Some(serde_json::from_slice(&out).unwrap())
}

/// Texts at the edges of the rule, then a few hundred made from pieces
/// that are letters, digits, separators and marks in many scripts.
fn texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "",
        "  ",
        "ERP-Integration: v2 Café's  données",
        "ΣΊΣΥΦΟΣ σίσυφος ΣΑΣ Σ ΌΣΟΣ-ΆΛΛΟ",
        "İstanbul ISTANBUL straße STRASSE ǅemal ﬁne Ω Å",
        "日本語のテキスト、中文。 ١٢٣ x²  ½ Ⅻ ⅻ",
        "tab\there\nnew-line_under_score",
        "emoji 🙂 inside🙂word and \u{0301}combining e\u{0301}",
        "a",
        "9",
        // What people type of names, categories and addresses.
        "O'Brien-Smith dana.ruiz@example.com data-protection Zoë Ångström",
        "integration/ERP (v2.1) — Q3’26 «citation» 50% #tag @owner",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The word limit: 40 characters, whatever their size in bytes or in
    // UTF-16 units, counted after lowercasing.
    for c in ["x", "é", "日", "𝐀", "𐐀", "İ"] {
        for n in [MAX_WORD / 2, MAX_WORD - 1, MAX_WORD, MAX_WORD + 1] {
            texts.push(format!("a {} b", c.repeat(n)));
        }
    }
    let pieces = [
        "a", "Z", "7", " ", "-", "_", "é", "É", "ß", "Σ", "σ", "ς", "İ", "ı", "日", "ｱ", "١", "²", "½", "Ⅻ", "𝐀", "𐐀",
        "🙂", "\u{0301}", "\u{200d}", "\t", "'", ".", "Ǆ", "ﬁ", "Ω",
    ];
    let mut seed: u64 = 42;
    for _ in 0..500 {
        let mut t = String::new();
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let len = (seed >> 33) % 60;
        for _ in 0..len {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let piece = pieces[((seed >> 33) % pieces.len() as u64) as usize];
            // Long runs of one piece now and then, to reach the limit.
            let times = if (seed >> 20).is_multiple_of(17) { 20 } else { 1 };
            t.push_str(&piece.repeat(times));
        }
        texts.push(t);
    }
    texts
}

#[test]
fn rust_and_javascript_make_the_same_words() {
    let texts = texts();
    let Some(js) = javascript(&texts) else {
        eprintln!("SKIPPED: node is not installed, so search.js was not compared with the indexer");
        return;
    };
    assert_eq!(js.len(), texts.len());
    for (text, (words, keys, marked)) in texts.iter().zip(js) {
        assert_eq!(rust(text), (words, keys), "{text:?}");
        assert_eq!(rust(text).0, marked, "marks of {text:?}");
    }
}

#[test]
fn the_rule_counts_characters_and_lowercases_whole_words() {
    let (w, _) = rust(&format!("{} {} ΌΣΟΣ İ", "é".repeat(MAX_WORD), "𝐀".repeat(MAX_WORD + 1)));
    assert_eq!(w, ["é".repeat(MAX_WORD), "όσος".to_string(), "i\u{307}".to_string()]);
    // İ lowercases to two characters: 40 of them are too long.
    assert!(rust(&"İ".repeat(MAX_WORD)).0.is_empty());
}

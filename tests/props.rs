//! Property tests: any text as a record or a page gives either a site or
//! diagnostics, never a panic, and every diagnostic points inside its file.

use pilotdeck::frontmatter;
use pilotdeck::model::raw::{RawPage, RawPilot};
use pilotdeck::node::from_node;
use pilotdeck::pipeline::{analyse, Options};
use proptest::prelude::*;

/// Text that looks like front matter often enough to get past the fences.
fn front_matter() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("title = \"T\"".to_string()),
        Just("stage = \"pilot\"".to_string()),
        Just("[[constraints]]".to_string()),
        Just("due = 2026-02-30".to_string()),
        Just("[readiness.technical]".to_string()),
        Just("confidence = { leader = 9 }".to_string()),
        Just("title: [a".to_string()),
        Just("tags: x".to_string()),
        "[a-z_]{1,8} = [0-9\"\\[\\]{}a-z,.:-]{0,12}",
        "\\PC{0,20}",
    ];
    (prop_oneof![Just("+++"), Just("---"), Just("")], prop::collection::vec(line, 0..8), any::<bool>(), "\\PC{0,40}")
        .prop_map(|(fence, lines, close, body)| {
            let mut s = format!("{fence}\n{}\n", lines.join("\n"));
            if close {
                s.push_str(fence);
                s.push('\n');
            }
            s.push_str(&body);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics_and_spans_stay_inside(text in front_matter()) {
        let split = frontmatter::split(&text);
        for p in &split.problems {
            prop_assert!(p.span.end as usize <= text.len(), "{:?} outside {} bytes", p.span, text.len());
        }
        prop_assert!(split.body_start <= text.len());
        let (_, problems) = from_node::<RawPilot>(&split.front);
        for p in problems {
            prop_assert!(p.span.end as usize <= text.len(), "{:?} outside {} bytes", p.span, text.len());
        }
        let _ = from_node::<RawPage>(&split.front);
    }

    #[test]
    fn markdown_never_panics(text in "\\PC{0,200}") {
        let r = pilotdeck::markdown::render(&text, "../", "Lessons learned");
        prop_assert!(!r.html.text().contains("<script"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The whole pipeline, on a site of one generated record and one page.
    #[test]
    fn any_record_gives_a_site_or_diagnostics_inside_the_file(pilot in front_matter(), page in front_matter()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/pilots")).unwrap();
        std::fs::create_dir_all(dir.path().join("content/playbook")).unwrap();
        std::fs::write(dir.path().join("content/pilots/p.md"), &pilot).unwrap();
        std::fs::write(dir.path().join("content/playbook/x.md"), &page).unwrap();
        let a = analyse(&Options { root: dir.path().to_path_buf(), as_of: pilotdeck::date::Date::parse("2026-03-20").map(pilotdeck::config::AsOf::Date), ..Options::default() }).unwrap();
        for d in &a.diagnostics {
            let file = a.sources.get(d.loc.file);
            prop_assert!(d.loc.span.start as usize <= file.text.len(), "{} at {:?} outside {}", d.message, d.loc.span, file.path);
            let (line, _) = file.line_col(d.loc.span.start);
            prop_assert!(line as usize <= file.text.lines().count().max(1) + 1);
        }
    }
}

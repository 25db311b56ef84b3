//! Any bytes as a content file: splitting and reading the front matter, and
//! rendering the body, never panic, and problems point inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilotdeck::model::raw::{RawPage, RawPilot};
use pilotdeck::node::from_node;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = pilotdeck::source::decode(data.to_vec()) else { return };
    let split = pilotdeck::frontmatter::split(&text);
    for p in &split.problems {
        assert!(p.span.end as usize <= text.len());
    }
    let (_, problems) = from_node::<RawPilot>(&split.front);
    for p in problems {
        assert!(p.span.end as usize <= text.len());
    }
    let _ = from_node::<RawPage>(&split.front);
    let _ = pilotdeck::markdown::render(&text[split.body_start..], "../", "Lessons learned");
});

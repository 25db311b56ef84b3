//! Getting a `pilotdeck` that stays: `--version` names the commit the binary
//! was built from.

#![allow(clippy::unwrap_used)]

mod common;

use common::run;
use std::process::Command;

/// The version line: `pilotdeck 0.1.0 (abc1234 2026-12-06)`, with the
/// commit of the checkout the test binary was built from.
#[test]
fn version_names_the_commit_it_was_built_from() {
    let run = run(Command::new(env!("CARGO_BIN_EXE_pilotdeck")).arg("--version"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stdout.trim_end();
    let rest = line.strip_prefix(concat!("pilotdeck ", env!("CARGO_PKG_VERSION"), " (")).expect(line);
    let inside = rest.strip_suffix(')').expect(line);
    let head = Command::new("git")
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    let Some(head) = head else {
        // Built without git: the build still worked and says so.
        assert_eq!(inside, "commit unknown", "{line}");
        return;
    };
    let (short, date) = inside.split_once(' ').expect(line);
    assert_eq!(short, &head[..7], "{line}");
    assert!(date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-', "{line}");
}


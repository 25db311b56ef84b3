//! `serve` finds the file at a path without listing the site
//! (`Plan::job_for`); it must find what the full list (`Plan::jobs`) has,
//! including where a site's static file or an asset is made over a page.

use crate::common;

use common::site;
use pilotdeck::pipeline::{analyse, Options};
use pilotdeck::render::{Job, Plan, Renderer};
use std::path::Path;
use std::sync::Arc;

fn plan(root: &Path) -> Plan {
    let opts = Options {
        root: root.to_path_buf(),
        as_of: pilotdeck::date::Date::parse("2026-03-20").map(pilotdeck::config::AsOf::Date),
        ..Options::default()
    };
    let a = analyse(&opts).unwrap();
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
    let theme = Arc::new(pilotdeck::theme::load(root, a.config.theme.as_deref()).unwrap());
    let renderer = Arc::new(Renderer::new(&theme).unwrap());
    Plan::new(a.site, a.config, theme, renderer)
}

fn agree(plan: &Plan) -> usize {
    let jobs = plan.jobs();
    for (path, job) in &jobs {
        assert_eq!(plan.job_for(path).as_ref(), Some(job), "{path}");
    }
    for path in ["pilots/nobody/index.html", "pilots/index.htm", "nope.html", "pilots/", ""] {
        assert_eq!(plan.job_for(path), None, "{path}");
    }
    jobs.len()
}

#[test]
fn every_file_is_found_by_its_path() {
    let record = |t: &str| format!("+++\ntitle = \"{t}\"\nstage = \"pilot\"\ntags = [\"x\"]\n+++\nBody.\n");
    let dir = site(&[
        ("content/pilots/alpha/index.md", &record("Alpha")),
        // An asset made over alpha's page, a static file over beta's.
        ("content/pilots/alpha/index.html", "<p>mine</p>"),
        ("content/pilots/beta.md", &record("Beta")),
        ("static/pilots/beta/index.html", "<p>static</p>"),
        ("static/style.css", "body {}"),
        ("content/playbook/a.md", "+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\nText.\n"),
    ]);
    let plan = plan(dir.path());
    assert!(agree(&plan) > 10);
    assert!(matches!(plan.job_for("pilots/alpha/index.html"), Some(Job::Asset(_))));
    assert!(matches!(plan.job_for("pilots/beta/index.html"), Some(Job::Static(_))));
    assert!(matches!(plan.job_for("tags/x/index.html"), Some(Job::Tag(_))));

    let generated = tempfile::tempdir().unwrap();
    pilotdeck::synth::write_site(generated.path(), 40, 3).unwrap();
    assert!(agree(&self::plan(generated.path())) > 40);
    assert!(agree(&self::plan(Path::new(env!("CARGO_MANIFEST_DIR")))) > 100);
}

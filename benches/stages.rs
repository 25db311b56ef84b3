//! Each stage of a build on its own, over a generated site:
//! `cargo bench --bench stages` (1,000 pilots in the realistic mix of
//! `pilotdeck::synth::Mix`; set `PILOTDECK_BENCH_PILOTS` for another size,
//! `PILOTDECK_BENCH_PLAIN=1` for the plain site). Whole builds, into tmpfs and onto disk, are timed by
//! `scripts/bench.sh`.

use pilotdeck::model::{self, BuildOptions, ModelCache};
use pilotdeck::output::Output;
use pilotdeck::pipeline::{self, Options};
use pilotdeck::render::{Plan, Renderer};
use pilotdeck::{check, source, theme};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

fn main() {
    divan::main();
}

/// The generated site, written once per run.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let pilots = std::env::var("PILOTDECK_BENCH_PILOTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
            let dir = tempfile::tempdir().expect("a temporary folder");
            let root = dir.path().join("site");
            let mix = match std::env::var_os("PILOTDECK_BENCH_PLAIN") {
                Some(_) => pilotdeck::synth::Mix::PLAIN,
                None => pilotdeck::synth::Mix::REALISTIC,
            };
            pilotdeck::synth::write_site_with(&root, pilots, 42, &mix).expect("write the site");
            (dir, root)
        })
        .1
}

fn options() -> Options {
    Options {
        root: site().clone(),
        as_of: pilotdeck::date::Date::parse("2026-11-20").map(pilotdeck::config::AsOf::Date),
        ..Options::default()
    }
}

fn plan() -> Plan {
    let analysis = pipeline::analyse(&options()).expect("analysis");
    let theme = Arc::new(theme::load(site(), None).expect("theme"));
    let renderer = Arc::new(Renderer::new(&theme).expect("templates"));
    Plan::new(analysis.site, analysis.config, theme, renderer)
}

#[divan::bench(sample_count = 10)]
fn load(b: divan::Bencher) {
    b.bench(|| source::load_content(site()));
}

#[divan::bench(sample_count = 10)]
fn model(b: divan::Bencher) {
    let loaded = source::load_content(site());
    let config = pilotdeck::config::Config::default();
    let opts = BuildOptions {
        as_of: pilotdeck::date::Date::parse("2026-11-20").expect("date"),
        looking_back: true,
        drafts: false,
        release_texts: false,
    };
    b.with_inputs(|| loaded.clone())
        .bench_local_values(|l| model::build_reusing(l, &config, &opts, ModelCache::default()));
}

#[divan::bench(sample_count = 10)]
fn check(b: divan::Bencher) {
    let analysis = pipeline::analyse(&options()).expect("analysis");
    b.bench(|| check::check(&analysis.site, &analysis.config));
}

#[divan::bench(sample_count = 10)]
fn render(b: divan::Bencher) {
    let analysis = pipeline::analyse(&options()).expect("analysis");
    let theme = Arc::new(theme::load(site(), None).expect("theme"));
    let renderer = Arc::new(Renderer::new(&theme).expect("templates"));
    b.bench(|| {
        // A new plan each time: its shared views are made once per build.
        let plan = Plan::new(
            Arc::clone(&analysis.site),
            Arc::clone(&analysis.config),
            Arc::clone(&theme),
            Arc::clone(&renderer),
        );
        pilotdeck::render::render(&plan).expect("render")
    });
}

#[divan::bench(sample_count = 5)]
fn search_index(b: divan::Bencher) {
    let plan = plan();
    b.bench(|| {
        let mut out = Output::default();
        pilotdeck::search::index(&plan.site, &mut out).expect("index")
    });
}

#[divan::bench(sample_count = 10)]
fn write(b: divan::Bencher) {
    let out = pilotdeck::render::render(&plan()).expect("render");
    let dir = tempfile::tempdir().expect("a temporary folder");
    b.bench(|| {
        let target = dir.path().join("public");
        let _ = std::fs::remove_dir_all(&target);
        pilotdeck::output::write_atomically(&out, &bench_target(&target)).expect("write")
    });
}

#[divan::bench(sample_count = 10)]
fn rewrite_unchanged(b: divan::Bencher) {
    let out = pilotdeck::render::render(&plan()).expect("render");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("public");
    pilotdeck::output::write_atomically(&out, &bench_target(&target)).expect("write");
    b.bench(|| pilotdeck::output::write_atomically(&out, &bench_target(&target)).expect("write"));
}

fn bench_target(dir: &std::path::Path) -> pilotdeck::output::Target {
    pilotdeck::output::Target { dir: dir.to_path_buf(), marker: pilotdeck::output::marker_text("bench"), force: false }
}

/// Hostile input (issue 18): each per-file step is linear or n log n, and
/// these are its bounds. A record of 100,000 constraints (8.9 MB), read,
/// modelled and checked: `analyse`. The duplicate-id check was quadratic
/// (124 s before, in release).
#[divan::bench(sample_count = 3)]
fn hostile_constraints(b: divan::Bencher) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut text = String::from("+++\ntitle = \"Big\"\nstage = \"pilot\"\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "[[constraints]]\nid = \"c{i}\"\ntitle = \"T\"\ncategory = \"data\"\nowner = \"O\"\ndue = 2026-05-01\n"
        ));
    }
    text.push_str("+++\nBody.\n");
    std::fs::create_dir_all(dir.path().join("content/pilots")).expect("a folder");
    std::fs::write(dir.path().join("content/pilots/big.md"), text).expect("the record");
    let opts = Options {
        root: dir.path().to_path_buf(),
        as_of: pilotdeck::date::Date::parse("2026-03-20").map(pilotdeck::config::AsOf::Date),
        ..Options::default()
    };
    b.bench(|| pipeline::analyse(&opts).expect("analysis"));
}

/// 4,000 identical headings (36 KB): their ids were counted from 1 at each
/// heading, cubic (24 s before).
#[divan::bench(sample_count = 10)]
fn hostile_headings(b: divan::Bencher) {
    let text = "## Step\n\ntext\n\n".repeat(4_000);
    b.bench(|| pilotdeck::markdown::render(&text, "../", "Lessons learned"));
}

/// Front matter nested 25,000 levels deep (50 KB), TOML and YAML: refused
/// at the 64th level.
#[divan::bench(sample_count = 10)]
fn hostile_nesting(b: divan::Bencher) {
    let toml = format!("+++\ntags = {}{}\n+++\n", "[".repeat(25_000), "]".repeat(25_000));
    let yaml = format!("---\ntags: {}{}\n---\n", "[".repeat(25_000), "]".repeat(25_000));
    b.bench(|| (pilotdeck::frontmatter::split(&toml).problems, pilotdeck::frontmatter::split(&yaml).problems));
}

/// Raw HTML nested 25,000 deep (275 KB): the sanitizer's parser is
/// quadratic in the depth (32 s in a debug build before); past 512 levels
/// the HTML is measured by the tokenizer and shown as text.
#[divan::bench(sample_count = 10)]
fn hostile_raw_html(b: divan::Bencher) {
    let text = format!("{}x{}\n", "<div>".repeat(25_000), "</div>".repeat(25_000));
    b.bench(|| pilotdeck::markdown::render(&text, "../", "Lessons learned"));
}

/// A playbook of 250 pages in 10 folders with 500 broken links (issue 19,
/// item 8): a page written `pgae-N.md` in the next folder and an image
/// that is not there, on every page. The did-you-mean hint was computed
/// against every address, sorted again, for every broken link (8-13 s for
/// `check` of such a playbook); it is indexed now. `check_broken_links_off`:
/// the same with PD020 turned off, when the links are not looked at.
fn broken_playbook() -> &'static PathBuf {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let root = dir.path().join("site");
            for s in 0..10 {
                let folder = root.join(format!("content/playbook/section-{s}"));
                std::fs::create_dir_all(folder.join("img")).expect("a folder");
                std::fs::write(folder.join("README.md"), format!("+++\ntitle = \"S{s}\"\n+++\n")).expect("a page");
                std::fs::write(folder.join("img/diagram.png"), "png").expect("an image");
                for p in 0..25 {
                    let text = format!(
                        "+++\ntitle = \"P{p}\"\n+++\n## Steps\n\nSee [the next](../section-{}/pgae-number-{p}.md#steps) \
                         and ![the flow](./img/flow-{p}.png), [ok](page-number-{}.md#steps).\n",
                        (s + 1) % 10,
                        (p + 1) % 25
                    );
                    std::fs::write(folder.join(format!("page-number-{p}.md")), text).expect("a page");
                }
            }
            (dir, root)
        })
        .1
}

fn broken_options() -> Options {
    Options {
        root: broken_playbook().clone(),
        as_of: pilotdeck::date::Date::parse("2026-11-20").map(pilotdeck::config::AsOf::Date),
        ..Options::default()
    }
}

#[divan::bench(sample_count = 10)]
fn check_broken_links(b: divan::Bencher) {
    let analysis = pipeline::analyse(&broken_options()).expect("analysis");
    assert_eq!(analysis.diagnostics.len(), 500, "500 broken links");
    b.bench(|| check::check(&analysis.site, &analysis.config));
}

#[divan::bench(sample_count = 10)]
fn check_broken_links_off(b: divan::Bencher) {
    let analysis = pipeline::analyse(&broken_options()).expect("analysis");
    let mut config = (*analysis.config).clone();
    config.rules.insert(pilotdeck::diag::Rule::BrokenLink, None);
    b.bench(|| check::check(&analysis.site, &config));
}

/// The whole `analyse` (load, model, check) of that playbook, as `check` runs it.
#[divan::bench(sample_count = 10)]
fn analyse_broken_playbook(b: divan::Bencher) {
    b.bench(|| pipeline::analyse(&broken_options()).expect("analysis"));
}

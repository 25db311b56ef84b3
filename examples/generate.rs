//! Writes a synthetic pilotdeck site of any size, the same for the same seed
//! (see `pilotdeck::synth`).
//!
//! `cargo run --release --example generate -- DIR PILOTS [SEED] [--plain] [--yaml-share X]`
//!
//! By default the site has the shapes real sites have
//! (`pilotdeck::synth::Mix::REALISTIC`): a third of the records in YAML,
//! names with titles, long bodies with tables and code, records with 30
//! constraints, playbook pages without front matter. `--plain` writes the
//! site as the generator did before it had them (all TOML, short bodies),
//! for figures measured on that; `--yaml-share X` sets the share of YAML
//! records (0 to 1; 0 gives the same site in TOML only).
//!
//! With `--git COMMITS WEEKS`, writes a git repository instead whose pilot
//! records evolve over WEEKS weeks in COMMITS commits (see
//! `pilotdeck::synth::write_repo`; needs the `git` program):
//! `generate DIR 1000 42 --git 2000 52`.

use std::path::Path;

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    let git = args.iter().position(|a| a == "--git").map(|at| {
        let rest: Vec<String> = args.drain(at..).collect();
        let commits: usize = rest.get(1).and_then(|s| s.parse().ok()).expect("--git COMMITS WEEKS");
        let weeks: usize = rest.get(2).and_then(|s| s.parse().ok()).expect("--git COMMITS WEEKS");
        (commits, weeks)
    });
    let mut mix = pilotdeck::synth::Mix::REALISTIC;
    if let Some(at) = args.iter().position(|a| a == "--plain") {
        args.remove(at);
        mix = pilotdeck::synth::Mix::PLAIN;
    }
    if let Some(at) = args.iter().position(|a| a == "--yaml-share") {
        let rest: Vec<String> = args.drain(at..(at + 2).min(args.len())).collect();
        let share: f64 = rest.get(1).and_then(|s| s.parse().ok()).expect("--yaml-share X, X from 0 to 1");
        assert!((0.0..=1.0).contains(&share), "--yaml-share X, X from 0 to 1");
        mix.yaml_share = share;
    }
    if args.len() < 3 {
        eprintln!("usage: generate DIR PILOTS [SEED] [--plain] [--yaml-share X] [--git COMMITS WEEKS]");
        std::process::exit(2);
    }
    let dir = Path::new(&args[1]);
    let pilots: usize = args[2].parse().expect("PILOTS is a number");
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
    if let Some((commits, weeks)) = git {
        pilotdeck::synth::write_repo(dir, pilots, commits, weeks, seed).expect("write the repository");
        eprintln!("wrote {pilots} pilots in {commits} commits over {weeks} weeks into {}", dir.display());
        return;
    }
    pilotdeck::synth::write_site_with(dir, pilots, seed, &mix).expect("write the site");
    eprintln!("wrote {pilots} pilots and 100 playbook pages into {}", dir.display());
}

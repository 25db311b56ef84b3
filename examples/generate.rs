//! Writes a synthetic pilotdeck site of any size, the same for the same seed
//! (see `pilotdeck::synth`).
//!
//! `cargo run --release --example generate -- DIR PILOTS [SEED]`

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: generate DIR PILOTS [SEED]");
        std::process::exit(2);
    }
    let dir = Path::new(&args[1]);
    let pilots: usize = args[2].parse().expect("PILOTS is a number");
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
    pilotdeck::synth::write_site(dir, pilots, seed).expect("write the site");
    eprintln!("wrote {pilots} pilots and 100 playbook pages into {}", dir.display());
}

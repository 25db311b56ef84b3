//! The `pilotdeck` binary: parse arguments, run, map the outcome to an exit
//! status (0 done, 1 content errors, 2 usage or I/O errors).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pilotdeck::cli::Cli::parse();
    match pilotdeck::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

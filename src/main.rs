//! The `pilotdeck` binary: parse arguments, run, map the outcome to an exit
//! status (0 done, 1 content errors, 2 usage or I/O errors).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pilotdeck::cli::Cli::parse();
    // A build or a check ends when it is done; `serve` keeps running, and
    // gives memory back as glibc does by default.
    if matches!(cli.command, pilotdeck::cli::Command::Build(_) | pilotdeck::cli::Command::Check(_)) {
        tune_malloc();
    }
    match pilotdeck::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // A message may name a path or a value from content: each line
            // is shown with its control characters escaped, as diagnostics are.
            let message = format!("{e:#}");
            let lines: Vec<_> = message.lines().map(pilotdeck::diag::shown).collect();
            eprintln!("error: {}", lines.join("\n"));
            ExitCode::from(2)
        }
    }
}

/// glibc's malloc grows the heap of each thread but the first by as little
/// as each allocation needs, one `mprotect` call a time, and each call
/// waits for the other threads' page faults. A build at 10,000 pilots made
/// some 24,000 of them (`strace -c`), about a twentieth of its time. Grown
/// 64 MiB at a time, the heaps take a handful. Peak RSS does not move:
/// memory is counted when it is touched, not when it is made room for.
/// Freed memory is kept up to 128 MiB a heap rather than given back, which
/// suits a run that ends when its work is done.
///
/// glibc also gives each thread that allocates a heap ("arena") of its
/// own, up to eight per core: the threads that write files and caches
/// beside the workers each held freed memory apart. One arena per core
/// (at least two) took the peak of the realistic mix at 10,000 pilots
/// from 195-203 to 189-194 MiB, and of the plain site from 161-167 to
/// 156-161 MiB, in the same time (alternating pairs, 0.99 and 0.98); one
/// arena for all was a quarter slower.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_malloc() {
    const PAD: libc::c_int = 64 << 20;
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
    // SAFETY: `mallopt` only sets malloc's parameters, and is called before
    // any other thread starts (argument parsing starts none). A value it
    // refuses leaves the default.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, PAD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 2 * PAD);
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

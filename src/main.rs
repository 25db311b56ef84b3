//! The `pilotdeck` binary: parse arguments, run, map the outcome to an exit
//! status (0 done, 1 content errors, 2 usage or I/O errors).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    tune_malloc();
    let cli = pilotdeck::cli::Cli::parse();
    match pilotdeck::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
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
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_malloc() {
    const PAD: libc::c_int = 64 << 20;
    // SAFETY: `mallopt` only sets malloc's parameters, and is called before
    // any other thread starts. A value it refuses leaves the default.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, PAD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 2 * PAD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

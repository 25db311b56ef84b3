//! Stage timings on standard error when `PILOTDECK_TIMINGS` is set: the
//! stages (`pipeline`, `serve`) and the parts of the longer ones (`model`,
//! `search`) lap the one clock, so that none of them imports another for it.
//! Each lap also tells the memory resident then and at most so far (read
//! from `/proc/self/status` where there is one), to see which stage sets
//! the peak.

/// A clock that prints each lap when `PILOTDECK_TIMINGS` is set (for
/// profiling; the benchmarks read whole builds).
pub(crate) struct Timer {
    on: bool,
    last: std::time::Instant,
}

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer { on: std::env::var_os("PILOTDECK_TIMINGS").is_some(), last: std::time::Instant::now() }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!("timing: {stage}: {:.1} ms{}", self.last.elapsed().as_secs_f64() * 1e3, memory());
        }
        self.last = std::time::Instant::now();
    }

    /// Prints the time since `start` without starting a new lap.
    pub(crate) fn note(&self, what: &str, start: std::time::Instant) {
        if self.on {
            eprintln!("timing: {what}: {:.1} ms{}", start.elapsed().as_secs_f64() * 1e3, memory());
        }
    }
}

/// ` (resident N MB, peak M MB)` from `/proc/self/status`; nothing where
/// the file is not.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return String::new() };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (resident {} MB, peak {} MB)", now / 1000, peak / 1000),
        _ => String::new(),
    }
}

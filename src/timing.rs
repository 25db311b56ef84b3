//! Stage timings on standard error when `PILOTDECK_TIMINGS` is set: the
//! stages (`pipeline`, `serve`) and the parts of the longer ones (`model`,
//! `search`) lap the one clock, so that none of them imports another for it.

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
            eprintln!("timing: {stage}: {:.1} ms", self.last.elapsed().as_secs_f64() * 1e3);
        }
        self.last = std::time::Instant::now();
    }

    /// Prints the time since the last lap without starting a new one.
    pub(crate) fn so_far(&self, what: &str) {
        self.note(what, self.last);
    }

    /// Prints the time since `start` without starting a new lap.
    pub(crate) fn note(&self, what: &str, start: std::time::Instant) {
        if self.on {
            eprintln!("timing: {what}: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
        }
    }
}

//! Late rows: what the runtime hands an aggregate kernel beside its table —
//! the watermark rows are judged by, the count of rows dropped as late, and
//! (for a late-rows sink) which rows those were. Kept out of the table, so a
//! table holds only its groups; the JIT reads it through the kernel's ctx.

/// The late-row context of one aggregate kernel call (or of several on the
/// same partial table). Kernels read `watermark` and bump `count` at
/// [`late_offsets`]; the rest is only touched by Rust.
#[repr(C)]
#[derive(Debug)]
pub struct LateRows {
    /// Rows whose event-time key (a window: its end) is at or before this
    /// are late: kernels drop them and count them. `i64::MIN`: no watermark.
    pub watermark: i64,
    /// Rows (row–window pairs, for windows) dropped as late so far.
    pub count: u64,
    /// Whether late rows are noted, the morsel being run, and the (morsel,
    /// row) of each late row noted.
    record: bool,
    morsel: u32,
    noted: Vec<(u32, u32)>,
}

impl Default for LateRows {
    fn default() -> Self {
        LateRows::new(None)
    }
}

impl LateRows {
    /// Judging rows by `watermark_us` (`None`: no row is late).
    pub fn new(watermark_us: Option<i64>) -> Self {
        LateRows {
            watermark: watermark_us.unwrap_or(i64::MIN),
            count: 0,
            record: false,
            morsel: 0,
            noted: Vec::new(),
        }
    }

    /// The watermark in force (`i64::MIN`: none).
    pub fn watermark(&self) -> i64 {
        self.watermark
    }

    /// Rows (row–window pairs, for windows) dropped as late so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn add(&mut self, n: u64) {
        self.count += n;
    }

    /// Notes which rows are late (every window of the row late), so they
    /// can go to a late-rows sink; `morsel` tags the rows of the next
    /// kernel call.
    pub fn record(&mut self, morsel: u32) {
        self.record = true;
        self.morsel = morsel;
    }

    /// Notes row `row` of the current morsel as late, if recording.
    pub fn note(&mut self, row: u64) {
        if self.record {
            self.noted.push((self.morsel, row as u32));
        }
    }

    /// The (morsel, row) of each late row noted so far.
    pub fn take_noted(&mut self) -> Vec<(u32, u32)> {
        std::mem::take(&mut self.noted)
    }
}

/// Offsets of the [`LateRows`] fields kernels read, computed from the
/// struct, for code generation.
pub mod late_offsets {
    use std::mem::offset_of;

    use super::LateRows;

    pub const WATERMARK: i32 = offset_of!(LateRows, watermark) as i32;
    pub const COUNT: i32 = offset_of!(LateRows, count) as i32;
}

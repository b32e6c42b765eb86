//! Late rows in a table: the watermark the kernels judge rows by, the count
//! of rows they dropped, and (for a late-rows sink) which rows those were.

use super::*;

impl AggTable {
    /// Sets the watermark the kernels drop late rows by (see
    /// [`RawTable::watermark`]).
    pub fn set_watermark(&mut self, watermark_us: Option<i64>) {
        self.raw.watermark = watermark_us.unwrap_or(i64::MIN);
    }

    /// The watermark in force (`i64::MIN`: none).
    pub fn watermark(&self) -> i64 {
        self.raw.watermark
    }

    /// Rows (row–window pairs, for windows) dropped as late so far.
    pub fn late_rows(&self) -> u64 {
        self.raw.late
    }

    pub fn add_late_rows(&mut self, n: u64) {
        self.raw.late += n;
    }

    /// Notes which rows are late (every window of the row late), so they
    /// can go to a late-rows sink; `morsel` tags the rows of the next
    /// kernel call.
    pub fn record_late_rows(&mut self, morsel: u32) {
        self.record_late = true;
        self.late_morsel = morsel;
    }

    /// Notes row `row` of the current morsel as late, if recording.
    pub fn note_late_row(&mut self, row: u64) {
        if self.record_late {
            self.late_noted.push((self.late_morsel, row as u32));
        }
    }

    /// The (morsel, row) of each late row noted so far.
    pub fn take_late_noted(&mut self) -> Vec<(u32, u32)> {
        std::mem::take(&mut self.late_noted)
    }
}

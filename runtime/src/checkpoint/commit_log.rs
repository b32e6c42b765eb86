//! The commit log (`commits/N`), written once batch N's output is in the
//! sink and its state is saved: the version line and
//! `{"nextBatchWatermarkMs":..}`, as Spark writes it.

use serde_json::{json, Value};

use super::files::{parse_json_line, read_log_lines, BatchLog};
use crate::error::{Error, Result};

/// `commits/`.
pub struct CommitLog(pub BatchLog);

impl CommitLog {
    pub fn write(&self, id: u64, next_watermark_us: Option<i64>) -> Result<()> {
        let line = json!({
            "nextBatchWatermarkMs": next_watermark_us.map_or(0, |w| w.div_euclid(1000)),
        });
        self.0.write(id, [line.to_string()])
    }

    /// Checks that batch `id`'s commit file is whole.
    pub fn read(&self, id: u64) -> Result<()> {
        let path = self.0.path(id);
        let lines = read_log_lines(&path)?;
        let line = lines
            .first()
            .ok_or_else(|| Error::damaged(&path, "no commit line"))?;
        match parse_json_line(&path, line)?.get("nextBatchWatermarkMs") {
            Some(Value::Number(_)) => Ok(()),
            _ => Err(Error::damaged(&path, "no nextBatchWatermarkMs")),
        }
    }
}

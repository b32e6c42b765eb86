//! When micro-batches run (Spark's triggers).

use std::time::Duration;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A batch every interval; zero (the default) runs the next batch as soon
    /// as the last ends and new data is there.
    ProcessingTime(Duration),
    /// One batch with everything available, then stop.
    Once,
    /// Everything available at start, in as many batches as the sources'
    /// limits need, then stop.
    AvailableNow,
}

impl Default for Trigger {
    fn default() -> Self {
        Trigger::ProcessingTime(Duration::ZERO)
    }
}

impl Trigger {
    /// `processing_time("5 seconds")`.
    pub fn processing_time(interval: &str) -> Result<Trigger> {
        sqlc_compiler::interval::parse_duration_us(interval)
            .map(|us| Trigger::ProcessingTime(Duration::from_micros(us as u64)))
            .ok_or_else(|| Error::BadOption {
                name: "trigger".into(),
                value: interval.into(),
                reason: "expected a duration such as '5 seconds' or '1 minute'".into(),
            })
    }

    /// `'availableNow'`, `'once'`, or a processing-time interval.
    pub fn parse(text: &str) -> Result<Trigger> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', '-', ' '], "")
            .as_str()
        {
            "availablenow" => Ok(Trigger::AvailableNow),
            "once" => Ok(Trigger::Once),
            _ => Trigger::processing_time(text),
        }
    }

    pub fn ends_when_drained(self) -> bool {
        matches!(self, Trigger::Once | Trigger::AvailableNow)
    }
}

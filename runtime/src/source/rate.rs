//! The rate source (`format("rate")`), Spark's: `rowsPerSecond` rows each
//! second (reached linearly over `rampUpTime`), columns `timestamp` and
//! `value` (0, 1, 2, …). Its offset is the second since the source started,
//! with the start time, so a batch is the same rows when replayed.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Builder, TimestampMicrosecondBuilder};
use arrow::record_batch::RecordBatch;
use serde_json::json;
use sqlc_compiler::types::{DataType, Field, Schema};

use crate::error::{Error, Result};
use crate::source::{Offset, Options, Source};

pub fn rate_schema() -> Schema {
    Schema::new(vec![
        Field::new("timestamp", DataType::Timestamp, true),
        Field::new("value", DataType::Int64, true),
    ])
}

#[derive(Clone, Debug)]
pub struct RateOptions {
    rows_per_second: i64,
    ramp_up_seconds: i64,
    num_partitions: usize,
}

impl RateOptions {
    pub fn parse(o: &Options, schema: Option<&Schema>) -> Result<Self> {
        if schema.is_some() {
            return Err(Error::analysis(
                "USER_SPECIFIED_SCHEMA_UNSUPPORTED",
                "The rate source does not support a user-specified schema.",
            ));
        }
        let rows = o
            .get_bounded_int("rowsPerSecond", MAX_ROWS_PER_BATCH as usize)?
            .unwrap_or(1) as i64;
        let ramp_ms = o.get_duration_ms("rampUpTime", "0s")?;
        if ramp_ms / 1000 > MAX_RAMP_UP_SECONDS {
            return Err(Error::BadOption {
                name: "rampUpTime".into(),
                value: o.get("rampUpTime").unwrap_or_default().into(),
                reason: format!("must be at most {MAX_RAMP_UP_SECONDS} seconds"),
            });
        }
        let parts = o
            .get_bounded_int("numPartitions", MAX_PARTITIONS)?
            .unwrap_or(1);
        Ok(RateOptions {
            rows_per_second: rows,
            ramp_up_seconds: (ramp_ms / 1000) as i64,
            num_partitions: parts,
        })
    }
}

/// The most rows one batch of a rate source holds (16 bytes each): larger
/// `rowsPerSecond`/`rowsPerBatch` are refused, and a rate source that falls
/// behind plans its backlog in batches of at most this many rows.
pub const MAX_ROWS_PER_BATCH: i64 = 100_000_000;

/// The most partitions (one Arrow batch each) a rate source splits a batch into.
pub const MAX_PARTITIONS: usize = 65_536;

/// The longest ramp-up: a year (Spark's own bound is an overflow of
/// `valueAtSecond`; past a year the ramp is meaningless).
const MAX_RAMP_UP_SECONDS: u64 = 366 * 24 * 3600;

/// How many rows the source has produced by `seconds` after its start
/// (Spark's `valueAtSecond`).
pub fn value_at_second(seconds: i64, rows_per_second: i64, ramp_up: i64) -> i64 {
    let delta = rows_per_second / (ramp_up + 1);
    if seconds <= ramp_up {
        if seconds % 2 == 1 {
            (seconds + 1) / 2 * delta * seconds
        } else {
            seconds / 2 * delta * (seconds + 1)
        }
    } else {
        value_at_second(ramp_up, rows_per_second, ramp_up) + (seconds - ramp_up) * rows_per_second
    }
}

pub struct RateSource {
    opts: RateOptions,
    schema: Schema,
    start_ms: Option<i64>,
    planned: i64,
}

fn now_ms() -> i64 {
    super::socket::now_us() / 1000
}

impl RateSource {
    pub fn new(opts: &RateOptions) -> Self {
        RateSource {
            opts: opts.clone(),
            schema: rate_schema(),
            start_ms: None,
            planned: 0,
        }
    }

    fn decode(o: &Offset) -> Result<(i64, i64)> {
        match (o["seconds"].as_i64(), o["startMs"].as_i64()) {
            (Some(s), Some(t)) => Ok((s, t)),
            _ => Err(Error::internal(format!("rate source: bad offset {o}"))),
        }
    }
}

impl Source for RateSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn latest_offset(&mut self) -> Result<Option<Offset>> {
        let start = *self.start_ms.get_or_insert_with(now_ms);
        let mut seconds = (now_ms() - start) / 1000;
        if seconds <= self.planned {
            return Ok(None);
        }
        // Behind by more than a batch may hold: plan the backlog in steps.
        let per_second = self.opts.rows_per_second.max(1);
        seconds = seconds.min(self.planned + (MAX_ROWS_PER_BATCH / per_second).max(1));
        self.planned = seconds;
        Ok(Some(json!({"seconds": seconds, "startMs": start})))
    }

    fn get_batch(&mut self, start: Option<&Offset>, end: &Offset) -> Result<Vec<RecordBatch>> {
        let (to, start_ms) = Self::decode(end)?;
        let from = start.map(Self::decode).transpose()?.map_or(0, |(s, _)| s);
        self.start_ms.get_or_insert(start_ms);
        self.planned = self.planned.max(to);
        let (r, ramp) = (self.opts.rows_per_second, self.opts.ramp_up_seconds);
        let (lo, hi) = (value_at_second(from, r, ramp), value_at_second(to, r, ramp));
        if hi <= lo {
            return Ok(vec![]);
        }
        let local_start = start_ms + from * 1000;
        let ms_per_value = ((to - from) * 1000) as f64 / (hi - lo) as f64;
        let n = (hi - lo) as usize;
        // numPartitions splits the range as Spark's partitions do: partition
        // i takes values lo+i, lo+i+k, …; here each becomes one batch.
        let k = self.opts.num_partitions.min(n).max(1);
        let mut out = Vec::with_capacity(k);
        for part in 0..k {
            let mut ts = TimestampMicrosecondBuilder::with_capacity(n / k + 1).with_timezone("UTC");
            let mut value = Int64Builder::with_capacity(n / k + 1);
            let mut v = lo + part as i64;
            while v < hi {
                let t = local_start + ((v - lo) as f64 * ms_per_value).round() as i64;
                ts.append_value(t * 1000);
                value.append_value(v);
                v += k as i64;
            }
            let cols: Vec<ArrayRef> = vec![Arc::new(ts.finish()), Arc::new(value.finish())];
            out.push(RecordBatch::try_new(self.schema.to_arrow(), cols)?);
        }
        Ok(out)
    }

    /// Restarted from a checkpoint: planning continues after the newest
    /// logged offset, with the original start time.
    fn restore_checkpoint(
        &mut self,
        last_planned: Option<&Offset>,
        _log: Vec<serde_json::Value>,
    ) -> Result<()> {
        match last_planned {
            Some(p) => self.commit(p),
            None => Ok(()),
        }
    }

    /// A source restarted from a checkpoint and told the last committed
    /// offset continues from there, with the original start time.
    fn commit(&mut self, end: &Offset) -> Result<()> {
        let (to, start_ms) = Self::decode(end)?;
        self.start_ms.get_or_insert(start_ms);
        self.planned = self.planned.max(to);
        Ok(())
    }

    fn description(&self) -> String {
        format!(
            "RateStreamV2[rowsPerSecond={}, rampUpTimeSeconds={}, numPartitions={}]",
            self.opts.rows_per_second, self.opts.ramp_up_seconds, self.opts.num_partitions
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_at_second_ramps_up_then_stays_at_the_rate() {
        // Spark's example: rampUpTime 4 s, 10 rows/s: 2, 4, 6, 8, 10, 10, ...
        let v: Vec<i64> = (0..7).map(|s| value_at_second(s, 10, 4)).collect();
        assert_eq!(v, vec![0, 2, 6, 12, 20, 30, 40]);
        assert_eq!(value_at_second(3, 5, 0), 15);
    }

    #[test]
    fn a_batch_is_the_same_rows_when_replayed() {
        let o = RateOptions::parse(
            &Options::new()
                .with("rowsPerSecond", "4")
                .with("numPartitions", "2"),
            None,
        )
        .unwrap();
        let mut s = RateSource::new(&o);
        let end = json!({"seconds": 2, "startMs": 1_000});
        let a = s.get_batch(None, &end).unwrap();
        let b = s.get_batch(None, &end).unwrap();
        assert_eq!(a, b);
        let values: Vec<i64> = a
            .iter()
            .flat_map(|b| {
                b.column(1)
                    .as_any()
                    .downcast_ref::<arrow::array::Int64Array>()
                    .unwrap()
                    .values()
                    .to_vec()
            })
            .collect();
        assert_eq!(values, vec![0, 2, 4, 6, 1, 3, 5, 7]);
        let next = s
            .get_batch(Some(&end), &json!({"seconds": 3, "startMs": 1_000}))
            .unwrap();
        assert_eq!(next.iter().map(|b| b.num_rows()).sum::<usize>(), 4);
    }

    #[test]
    fn a_restarted_source_continues_after_the_committed_offset() {
        let o = RateOptions::parse(&Options::new().with("rowsPerSecond", "10"), None).unwrap();
        let mut s = RateSource::new(&o);
        let start = now_ms() - 10_000;
        s.commit(&json!({"seconds": 5, "startMs": start})).unwrap();
        let next = s.latest_offset().unwrap().expect("seconds 6.. are due");
        assert_eq!(next["startMs"], start);
        assert!(next["seconds"].as_i64().unwrap() >= 10, "{next}");
        let rows = s
            .get_batch(Some(&json!({"seconds": 5, "startMs": start})), &next)
            .unwrap();
        let first = rows[0]
            .column(1)
            .as_any()
            .downcast_ref::<arrow::array::Int64Array>()
            .unwrap()
            .value(0);
        assert_eq!(first, 50);
    }
}

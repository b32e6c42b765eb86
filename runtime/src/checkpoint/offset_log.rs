//! The offset log (`offsets/N`), written and synced before batch N runs:
//! Spark's `OffsetSeq` form — the version line, a metadata line
//! (`batchWatermarkMs`, `batchTimestampMs`, `conf`), then one line per
//! source with its end offset (`null` for a source that has none yet).
//! sqlc adds `batchWatermarkUs`, the watermark at full precision.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::files::{parse_json_line, read_log_lines, BatchLog};
use crate::error::{Error, Result};
use crate::source::Offset;

/// The settings a restarted query must keep (Spark keeps these from the
/// checkpoint rather than from the new session).
pub const SHUFFLE_PARTITIONS: &str = "spark.sql.shuffle.partitions";

/// What the offset log records for one batch.
#[derive(Clone, Debug, PartialEq)]
pub struct OffsetSeq {
    /// The watermark the batch runs with (µs).
    pub watermark_us: Option<i64>,
    pub timestamp_ms: i64,
    pub conf: BTreeMap<String, String>,
    /// Each source's end offset, in the plan's order of sources.
    pub offsets: Vec<Option<Offset>>,
}

impl OffsetSeq {
    fn lines(&self) -> Vec<String> {
        let meta = json!({
            "batchWatermarkMs": self.watermark_us.map_or(0, |w| w.div_euclid(1000)),
            "batchWatermarkUs": self.watermark_us,
            "batchTimestampMs": self.timestamp_ms,
            "conf": self.conf,
        });
        let mut lines = vec![meta.to_string()];
        lines.extend(self.offsets.iter().map(|o| match o {
            Some(o) => o.to_string(),
            None => "null".to_string(),
        }));
        lines
    }

    fn parse(path: &Path, lines: &[String]) -> Result<OffsetSeq> {
        let Some((meta, offsets)) = lines.split_first() else {
            return Err(Error::damaged(path, "no metadata line"));
        };
        let meta = parse_json_line(path, meta)?;
        let timestamp_ms = meta
            .get("batchTimestampMs")
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::damaged(path, "metadata without batchTimestampMs"))?;
        let watermark_us = match meta.get("batchWatermarkUs") {
            Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .ok_or_else(|| Error::damaged(path, "bad batchWatermarkUs"))?,
            ),
            // A log written by Spark: milliseconds, 0 for none.
            None => meta
                .get("batchWatermarkMs")
                .and_then(Value::as_i64)
                .filter(|&ms| ms != 0)
                .map(|ms| ms * 1000),
        };
        let conf = meta
            .get("conf")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str().map_or_else(|| v.to_string(), str::to_string),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let offsets = offsets
            .iter()
            .map(|l| match parse_json_line(path, l)? {
                Value::Null => Ok(None),
                v => Ok(Some(v)),
            })
            .collect::<Result<_>>()?;
        Ok(OffsetSeq {
            watermark_us,
            timestamp_ms,
            conf,
            offsets,
        })
    }
}

/// `offsets/`.
pub struct OffsetLog(pub BatchLog);

impl OffsetLog {
    pub fn write(&self, id: u64, seq: &OffsetSeq) -> Result<()> {
        self.0.write(id, seq.lines())
    }

    /// The file [`Self::write`] writes: its path and bytes.
    pub fn file(&self, id: u64, seq: &OffsetSeq) -> (PathBuf, Vec<u8>) {
        self.0.file(id, seq.lines())
    }

    pub fn read(&self, id: u64) -> Result<OffsetSeq> {
        let path = self.0.path(id);
        let lines = read_log_lines(&path)?;
        OffsetSeq::parse(&path, &lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let dir = tempfile::tempdir().unwrap();
        let log = OffsetLog(BatchLog::new(dir.path().join("offsets")));
        let seq = OffsetSeq {
            watermark_us: Some(1_234_567),
            timestamp_ms: 99,
            conf: [(SHUFFLE_PARTITIONS.to_string(), "5".to_string())].into(),
            offsets: vec![Some(json!({"logOffset": 3})), None],
        };
        log.write(7, &seq).unwrap();
        assert_eq!(log.read(7).unwrap(), seq);
        let text = std::fs::read_to_string(log.0.path(7)).unwrap();
        assert!(
            text.starts_with("v1\n{\"batchTimestampMs\":99,\"batchWatermarkMs\":1234,"),
            "{text}"
        );
        std::fs::write(log.0.path(7), &text[..text.len() - 4]).unwrap();
        let e = log.read(7).unwrap_err().to_string();
        assert!(e.contains("offsets/7"), "{e}");
    }
}

//! The Kafka source (`format("kafka")`), as Spark's: rows `key`, `value`
//! (binary), `topic`, `partition`, `offset`, `timestamp`, `timestampType`.
//! Its offsets are Spark's JSON (`{"topic":{"0":42}}`, the next offset to
//! read per partition), so a batch is the records in [start, end) of every
//! partition: replayable for as long as Kafka keeps them.

use std::sync::Arc;

use arrow::array::TimestampMicrosecondBuilder;
use arrow::array::{ArrayRef, BinaryBuilder, Int32Builder, Int64Builder, StringBuilder};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::types::{DataType, Field, Schema};

use super::client::{KafkaClient, Record};
use super::options::{
    self, offsets_from_value, offsets_to_value, Bound, KafkaOptions, PartitionOffsets,
};
use crate::error::{Error, Result};
use crate::source::{Offset, Options, Source};

/// Spark's Kafka source schema (every column nullable, as Spark prints it).
pub fn kafka_schema() -> Schema {
    Schema::new(vec![
        Field::new("key", DataType::Binary, true),
        Field::new("value", DataType::Binary, true),
        Field::new("topic", DataType::Utf8, true),
        Field::new("partition", DataType::Int32, true),
        Field::new("offset", DataType::Int64, true),
        Field::new("timestamp", DataType::Timestamp, true),
        Field::new("timestampType", DataType::Int32, true),
    ])
}

/// Checks a Kafka source's options; `schema` must not be given.
pub fn check_options(o: &Options, schema: Option<&Schema>) -> Result<KafkaOptions> {
    if schema.is_some() {
        return Err(Error::analysis(
            "USER_SPECIFIED_SCHEMA_UNSUPPORTED",
            "Kafka source has a fixed schema and cannot be set with a custom one",
        ));
    }
    let k = KafkaOptions::parse(o)?;
    if k.include_headers {
        return Err(Error::not_supported(
            "includeHeaders: the headers column is an array of structs, and sqlc has no array type yet",
        ));
    }
    Ok(k)
}

fn group_id() -> String {
    format!("sqlc-kafka-source-{}", crate::query::new_uuid())
}

/// `spark.read.format("kafka")`: the records between `startingOffsets`
/// (default earliest) and `endingOffsets` (default latest), now.
pub fn read_static(o: &Options, schema: Option<&Schema>) -> Result<(Schema, Vec<RecordBatch>)> {
    let mut opts = check_options(o, schema)?;
    if !o.contains("startingOffsets") {
        opts.starting = Bound::Earliest;
    }
    if opts.starting == Bound::Latest {
        return Err(Error::BadOption {
            name: "startingOffsets".into(),
            value: "latest".into(),
            reason: "starting offset can't be latest for batch queries on Kafka".into(),
        });
    }
    let client = KafkaClient::new(&opts, &group_id())?;
    let parts = client.partitions()?;
    let marks = client.watermarks(&parts)?;
    let from = resolve(&opts.starting, &marks, true);
    let until = resolve(&opts.ending, &marks, false);
    let schema = kafka_schema();
    let batch = to_batch(&schema, client.read(&from, &until)?)?;
    Ok((schema, vec![batch]))
}

/// Offsets of `bound` for the partitions in `marks` (-2/-1 and unnamed
/// partitions resolved against the watermarks).
fn resolve(
    bound: &Bound,
    marks: &std::collections::BTreeMap<(String, i32), (i64, i64)>,
    start: bool,
) -> PartitionOffsets {
    marks
        .iter()
        .map(|(tp, &(low, high))| {
            let v = match bound {
                Bound::Earliest => low,
                Bound::Latest => high,
                Bound::Specific(m) => match m.get(tp).copied() {
                    Some(options::EARLIEST) => low,
                    Some(options::LATEST) => high,
                    Some(v) => v,
                    None if start => low,
                    None => high,
                },
            };
            (tp.clone(), v)
        })
        .collect()
}

/// Spark's per-trigger limit: each partition gets a share of `limit`
/// proportional to what it has available.
fn rate_limit(limit: u64, from: &PartitionOffsets, until: &mut PartitionOffsets) {
    let total: i64 = until
        .iter()
        .map(|(tp, &e)| (e - from.get(tp).copied().unwrap_or(e)).max(0))
        .sum();
    if total as u64 <= limit {
        return;
    }
    for (tp, end) in until.iter_mut() {
        let begin = from.get(tp).copied().unwrap_or(*end);
        let size = (*end - begin).max(0);
        let prorate = limit as f64 * (size as f64 / total as f64);
        let n = if prorate < 1.0 {
            prorate.ceil()
        } else {
            prorate.floor()
        } as i64;
        *end = (*end).min(begin + n);
    }
}

pub struct KafkaSource {
    opts: KafkaOptions,
    schema: Schema,
    client: KafkaClient,
    /// Where the first batch starts (resolved at the first trigger).
    initial: Option<PartitionOffsets>,
    /// The end of the last planned batch.
    planned: Option<PartitionOffsets>,
    /// Available-now: the latest offsets when the query started.
    cap: Option<PartitionOffsets>,
    ignore_limits: bool,
}

impl KafkaSource {
    pub fn new(opts: &KafkaOptions) -> Result<Self> {
        Ok(KafkaSource {
            client: KafkaClient::new(opts, &group_id())?,
            opts: opts.clone(),
            schema: kafka_schema(),
            initial: None,
            planned: None,
            cap: None,
            ignore_limits: false,
        })
    }

    fn initial(&mut self) -> Result<PartitionOffsets> {
        if let Some(i) = &self.initial {
            return Ok(i.clone());
        }
        let parts = self.client.partitions()?;
        let marks = self.client.watermarks(&parts)?;
        let i = resolve(&self.opts.starting, &marks, true);
        self.initial = Some(i.clone());
        Ok(i)
    }

    fn decode(end: &Offset) -> Result<PartitionOffsets> {
        offsets_from_value(end)
            .map_err(|e| Error::kafka(format!("offset {end} is not a Kafka source offset: {e}")))
    }

    /// Checks `from` against what Kafka still keeps; gaps are data loss.
    fn check_loss(&self, from: &mut PartitionOffsets, until: &PartitionOffsets) -> Result<()> {
        let parts: Vec<(String, i32)> = until.keys().cloned().collect();
        let marks = self.client.listed_watermarks(&parts)?;
        for (tp, &(low, _)) in &marks {
            let start = from.get(tp).copied();
            let lost = match start {
                Some(s) if s < low => Some(format!(
                    "offsets {s} to {} are no longer available",
                    low - 1
                )),
                None if low > 0 => Some(format!(
                    "it is new and offsets 0 to {} are already gone",
                    low - 1
                )),
                _ => None,
            };
            let end = until[tp];
            let lost = lost.or_else(|| (end < start.unwrap_or(0)).then(|| format!("its offsets went back from {} to {end} (was the topic deleted and created again?)", start.unwrap_or(0))));
            if let Some(what) = lost {
                let msg = format!("topic {} partition {}: {what}. Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you don't want your streaming query to fail on such cases, set the source option 'failOnDataLoss' to 'false'.", tp.0, tp.1);
                if self.opts.fail_on_data_loss {
                    return Err(Error::Kafka {
                        class: "KAFKA_DATA_LOSS",
                        message: msg,
                        source: None,
                    });
                }
                eprintln!("warning: {msg} Continuing (failOnDataLoss=false).");
                from.insert(tp.clone(), low);
            }
        }
        Ok(())
    }
}

impl KafkaSource {
    /// Runs `f` up to `fetchOffset.numRetries` times, `retryIntervalMs`
    /// apart, while it fails with a Kafka client error (a broker gone, a
    /// timeout): as Spark's offset reader retries, so a broker that stops
    /// and comes back within the bound costs a wait (the query's status
    /// says it is getting offsets), not the query. Past the bound the last
    /// error fails the query, naming the attempts and the options.
    fn with_retries<T>(
        &mut self,
        what: &str,
        mut f: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let attempts = self.opts.fetch_attempts;
        let mut attempt = 1;
        loop {
            match f(self) {
                Err(Error::Kafka {
                    class: "KAFKA_ERROR",
                    message,
                    source,
                }) => {
                    let e = Error::Kafka {
                        class: "KAFKA_ERROR",
                        message,
                        source,
                    };
                    if attempt >= attempts {
                        return Err(Error::kafka(format!(
                            "{what} failed {attempts} times, {} ms apart (fetchOffset.numRetries, fetchOffset.retryIntervalMs); the last error: {e}",
                            self.opts.retry_interval.as_millis()
                        )));
                    }
                    log::warn!(
                        "error in attempt {attempt} of {attempts} {what} (fetchOffset.numRetries), trying again in {} ms: {e}",
                        self.opts.retry_interval.as_millis()
                    );
                    std::thread::sleep(self.opts.retry_interval);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

impl Source for KafkaSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn latest_offset(&mut self) -> Result<Option<Offset>> {
        let start = match &self.planned {
            Some(p) => p.clone(),
            None => self.with_retries("getting Kafka offsets", |s| s.initial())?,
        };
        let marks = self.with_retries("getting Kafka offsets", |s| {
            let parts = s.client.partitions()?;
            s.client.watermarks(&parts)
        })?;
        let mut from = start.clone();
        let mut until = PartitionOffsets::new();
        for (tp, &(low, high)) in &marks {
            // A partition seen for the first time starts at its earliest.
            let begin = *from.entry(tp.clone()).or_insert(low);
            let mut end = high.max(begin);
            if let Some(cap) = &self.cap {
                end = cap.get(tp).copied().unwrap_or(begin).max(begin);
            }
            until.insert(tp.clone(), end);
        }
        // Partitions that disappeared keep their last offset.
        for (tp, &off) in &start {
            until.entry(tp.clone()).or_insert(off);
        }
        if let (Some(limit), false) = (self.opts.max_offsets_per_trigger, self.ignore_limits) {
            rate_limit(limit, &from, &mut until);
        }
        self.ignore_limits = false;
        if until.iter().all(|(tp, e)| from.get(tp) == Some(e)) {
            return Ok(None);
        }
        self.planned = Some(until.clone());
        Ok(Some(offsets_to_value(&until)))
    }

    fn get_batch(&mut self, start: Option<&Offset>, end: &Offset) -> Result<Vec<RecordBatch>> {
        let until = Self::decode(end)?;
        let mut from = match start {
            Some(s) => Self::decode(s)?,
            None => self.initial()?,
        };
        self.with_retries("getting Kafka offsets", |s| s.check_loss(&mut from, &until))?;
        let records =
            self.with_retries("reading Kafka records", |s| s.client.read(&from, &until))?;
        // A replayed batch (after a restart) also tells the source where
        // planning continues.
        if self.planned.is_none() {
            self.planned = Some(until);
        }
        Ok(vec![to_batch(&self.schema, records)?])
    }

    /// Nothing goes to Kafka (the offset log is the record); a source that
    /// has planned nothing yet (a query restarted from its checkpoint, told
    /// the last committed offset) continues planning from here.
    fn commit(&mut self, end: &Offset) -> Result<()> {
        if self.planned.is_none() {
            self.planned = Some(Self::decode(end)?);
        }
        Ok(())
    }

    /// Restarted from a checkpoint: planning continues after the newest
    /// logged offsets (a batch logged but not committed is read again by
    /// `get_batch` with exactly its logged range).
    fn restore_checkpoint(
        &mut self,
        last_planned: Option<&Offset>,
        _log: Vec<serde_json::Value>,
    ) -> Result<()> {
        if let Some(p) = last_planned {
            self.planned = Some(Self::decode(p)?);
        }
        Ok(())
    }

    fn prepare_for_trigger_available_now(&mut self) -> Result<()> {
        let marks = self.with_retries("getting Kafka offsets", |s| {
            let parts = s.client.partitions()?;
            s.client.watermarks(&parts)
        })?;
        self.cap = Some(
            marks
                .into_iter()
                .map(|(tp, (_, high))| (tp, high))
                .collect(),
        );
        Ok(())
    }

    fn ignore_rate_limits(&mut self) {
        self.ignore_limits = true;
    }

    fn description(&self) -> String {
        let what = match &self.opts.strategy {
            options::Strategy::Subscribe(t) => format!("Subscribe[{}]", t.join(",")),
            options::Strategy::Pattern(re) => format!("SubscribePattern[{}]", re.as_str()),
            options::Strategy::Assign(p) => {
                let v: Vec<String> = p.iter().map(|(t, p)| format!("{t}-{p}")).collect();
                format!("Assign[{}]", v.join(", "))
            }
        };
        format!("KafkaV2[{what}]")
    }
}

fn to_batch(schema: &Schema, records: Vec<Record>) -> Result<RecordBatch> {
    let n = records.len();
    let mut key = BinaryBuilder::with_capacity(n, 0);
    let bytes: usize = records
        .iter()
        .map(|r| r.value.as_ref().map_or(0, Vec::len))
        .sum();
    let mut value = BinaryBuilder::with_capacity(n, bytes);
    let mut topic = StringBuilder::with_capacity(n, n * 8);
    let mut partition = Int32Builder::with_capacity(n);
    let mut offset = Int64Builder::with_capacity(n);
    let mut ts = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut ts_type = Int32Builder::with_capacity(n);
    for r in records {
        key.append_option(r.key);
        value.append_option(r.value);
        topic.append_value(&r.topic);
        partition.append_value(r.partition);
        offset.append_value(r.offset);
        if r.timestamp_type < 0 {
            ts.append_null();
            ts_type.append_null();
        } else {
            ts.append_value(r.timestamp_ms * 1000);
            ts_type.append_value(r.timestamp_type);
        }
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(key.finish()),
        Arc::new(value.finish()),
        Arc::new(topic.finish()),
        Arc::new(partition.finish()),
        Arc::new(offset.finish()),
        Arc::new(ts.finish()),
        Arc::new(ts_type.finish()),
    ];
    Ok(RecordBatch::try_new(schema.to_arrow(), cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offs(v: &[(&str, i32, i64)]) -> PartitionOffsets {
        v.iter()
            .map(|(t, p, o)| ((t.to_string(), *p), *o))
            .collect()
    }

    #[test]
    fn rate_limit_shares_in_proportion() {
        let from = offs(&[("t", 0, 0), ("t", 1, 10), ("t", 2, 5)]);
        let mut until = offs(&[("t", 0, 30), ("t", 1, 20), ("t", 2, 5)]);
        rate_limit(8, &from, &mut until);
        assert_eq!(until, offs(&[("t", 0, 6), ("t", 1, 12), ("t", 2, 5)]));
        let mut small = offs(&[("t", 0, 3), ("t", 1, 10), ("t", 2, 5)]);
        rate_limit(8, &from, &mut small);
        assert_eq!(small, offs(&[("t", 0, 3), ("t", 1, 10), ("t", 2, 5)]));
    }

    #[test]
    fn bounds_resolve_against_watermarks() {
        let marks = [
            (("t".to_string(), 0), (2, 9)),
            (("t".to_string(), 1), (0, 4)),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            resolve(&Bound::Earliest, &marks, true),
            offs(&[("t", 0, 2), ("t", 1, 0)])
        );
        assert_eq!(
            resolve(&Bound::Latest, &marks, true),
            offs(&[("t", 0, 9), ("t", 1, 4)])
        );
        let spec = Bound::Specific(offs(&[("t", 0, -1)]));
        assert_eq!(
            resolve(&spec, &marks, true),
            offs(&[("t", 0, 9), ("t", 1, 0)])
        );
        assert_eq!(
            resolve(&spec, &marks, false),
            offs(&[("t", 0, 9), ("t", 1, 4)])
        );
    }
}

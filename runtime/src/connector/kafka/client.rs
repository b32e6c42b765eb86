//! The Kafka consumer behind the source: partition discovery, watermarks
//! and reading an offset range, with librdkafka (the `rdkafka` crate, no
//! async runtime). The source never joins a consumer group and never
//! commits offsets to Kafka: it assigns partitions itself, as Spark's
//! executors do, and its offsets live in the query's offset log.

use std::collections::BTreeMap;
use std::time::Instant;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{Offset as KOffset, TopicPartitionList};

use super::options::{KafkaOptions, PartitionOffsets, Strategy};
use crate::error::{Error, Result};

pub fn kafka_error(what: &str, e: KafkaError) -> Error {
    Error::Kafka {
        class: "KAFKA_ERROR",
        message: what.to_string(),
        source: Some(e),
    }
}

/// One record as read.
pub struct Record {
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    /// Milliseconds since the epoch, and Spark's timestampType (0 create
    /// time, 1 log append time).
    pub timestamp_ms: i64,
    pub timestamp_type: i32,
}

pub struct KafkaClient {
    consumer: BaseConsumer,
    opts: KafkaOptions,
}

impl KafkaClient {
    pub fn new(opts: &KafkaOptions, group: &str) -> Result<Self> {
        let mut cfg = ClientConfig::new();
        // The source reads only offsets it knows exist: no long polls.
        cfg.set("fetch.wait.max.ms", "10");
        for (k, v) in &opts.client {
            cfg.set(k, v);
        }
        cfg.set("group.id", group)
            .set("enable.auto.commit", "false")
            .set("enable.partition.eof", "true");
        let consumer: BaseConsumer = cfg.create().map_err(|e| {
            kafka_error(
                "cannot create the Kafka consumer (check the kafka.* options)",
                e,
            )
        })?;
        Ok(KafkaClient {
            consumer,
            opts: opts.clone(),
        })
    }

    /// The cluster's metadata, asked for in short attempts until
    /// `kafkaConsumer.pollTimeoutMs` has passed: an unreachable broker is
    /// an error within that bound, and the wait is not silent — a warning
    /// after the first failed attempt says what sqlc waits for and how long.
    fn metadata(&self) -> Result<rdkafka::metadata::Metadata> {
        const ATTEMPT: std::time::Duration = std::time::Duration::from_secs(2);
        let start = std::time::Instant::now();
        let mut warned = false;
        loop {
            let left = self.opts.timeout.saturating_sub(start.elapsed());
            match self.consumer.fetch_metadata(None, left.min(ATTEMPT)) {
                Ok(md) => return Ok(md),
                Err(e) if start.elapsed() >= self.opts.timeout => {
                    return Err(Error::kafka(format!(
                        "cannot reach the Kafka brokers at {} within {} ms (kafkaConsumer.pollTimeoutMs): {e}",
                        self.servers(),
                        self.opts.timeout.as_millis()
                    )))
                }
                Err(e) => {
                    if !warned {
                        log::warn!(
                            "waiting for the Kafka brokers at {} ({e}); giving up after {} ms (kafkaConsumer.pollTimeoutMs)",
                            self.servers(),
                            self.opts.timeout.as_millis()
                        );
                        warned = true;
                    }
                }
            }
        }
    }

    fn servers(&self) -> String {
        self.opts
            .client
            .iter()
            .find(|(k, _)| k == "bootstrap.servers")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The partitions the strategy names now (new topics and partitions
    /// appear as the broker creates them).
    pub fn partitions(&self) -> Result<Vec<(String, i32)>> {
        if let Strategy::Assign(parts) = &self.opts.strategy {
            return Ok(parts.clone());
        }
        let md = self.metadata()?;
        let mut out = Vec::new();
        for t in md.topics() {
            let wanted = match &self.opts.strategy {
                Strategy::Subscribe(topics) => topics.iter().any(|x| x == t.name()),
                Strategy::Pattern(re) => !t.name().starts_with("__") && re.is_match(t.name()),
                Strategy::Assign(_) => false,
            };
            if wanted && t.error().is_none() {
                out.extend(
                    t.partitions()
                        .iter()
                        .map(|p| (t.name().to_string(), p.id())),
                );
            }
        }
        out.sort();
        Ok(out)
    }

    /// (earliest, latest) offsets of each partition: the first offset still
    /// kept and the offset the next record will get. The latest offset the
    /// broker lists is checked with a fetch of the partition's last batch:
    /// some brokers (tansu) list the last batch's base offset + 1, which
    /// is short of the end when that batch holds several records.
    pub fn watermarks(
        &self,
        parts: &[(String, i32)],
    ) -> Result<BTreeMap<(String, i32), (i64, i64)>> {
        let out = self.listed_watermarks(parts)?;
        self.confirm_ends(out)
    }

    /// The (earliest, latest) offsets as the broker lists them.
    pub fn listed_watermarks(
        &self,
        parts: &[(String, i32)],
    ) -> Result<BTreeMap<(String, i32), (i64, i64)>> {
        let mut out = BTreeMap::new();
        for (t, p) in parts {
            let w = self
                .consumer
                .fetch_watermarks(t, *p, self.opts.timeout)
                .map_err(|e| {
                    kafka_error(
                        &format!(
                            "cannot fetch the offsets of {t}-{p} from {} within {} ms (kafkaConsumer.pollTimeoutMs)",
                            self.servers(),
                            self.opts.timeout.as_millis()
                        ),
                        e,
                    )
                })?;
            out.insert((t.clone(), *p), w);
        }
        Ok(out)
    }

    fn confirm_ends(
        &self,
        mut out: BTreeMap<(String, i32), (i64, i64)>,
    ) -> Result<BTreeMap<(String, i32), (i64, i64)>> {
        let mut tpl = TopicPartitionList::new();
        let mut pending: BTreeMap<(String, i32), Option<i64>> = BTreeMap::new();
        for (tp, &(low, high)) in &out {
            if high > low {
                tpl.add_partition_offset(&tp.0, tp.1, KOffset::Offset(high - 1))
                    .map_err(|e| kafka_error("bad partition", e))?;
                pending.insert(tp.clone(), None);
            }
        }
        if pending.is_empty() {
            return Ok(out);
        }
        self.consumer
            .assign(&tpl)
            .map_err(|e| kafka_error("cannot assign the partitions", e))?;
        let start = Instant::now();
        let mut quiet = 0;
        while !pending.is_empty() && start.elapsed() < self.opts.timeout {
            match self.consumer.poll(std::time::Duration::from_millis(100)) {
                Some(Ok(m)) => {
                    quiet = 0;
                    if let Some(seen) = pending.get_mut(&(m.topic().to_string(), m.partition())) {
                        *seen = Some(seen.unwrap_or(0).max(m.offset() + 1));
                    }
                }
                // The end of a partition: its records up to the end were
                // delivered before this event.
                Some(Err(KafkaError::PartitionEOF(p))) => {
                    quiet = 0;
                    // The event names a partition, not its topic: with one
                    // topic per partition number it is that one; else those
                    // that delivered records.
                    let same: Vec<(String, i32)> =
                        pending.keys().filter(|tp| tp.1 == p).cloned().collect();
                    let done: Vec<(String, i32)> = if same.len() == 1 {
                        same
                    } else {
                        same.into_iter()
                            .filter(|tp| pending[tp].is_some())
                            .collect()
                    };
                    for tp in done {
                        if let Some(Some(end)) = pending.remove(&tp) {
                            let w = out.entry(tp).or_insert((0, 0));
                            w.1 = w.1.max(end);
                        }
                    }
                }
                Some(Err(e)) => {
                    return Err(kafka_error(&format!("reading from {}", self.servers()), e))
                }
                // A partition whose last batch holds no record (a
                // transaction marker) sends nothing: the listed end holds.
                None => {
                    quiet += 1;
                    if quiet >= 10 && pending.values().all(Option::is_none) {
                        break;
                    }
                }
            }
        }
        for (tp, seen) in pending {
            if let (Some(end), Some(w)) = (seen, out.get_mut(&tp)) {
                w.1 = w.1.max(end);
            }
        }
        let _ = self.consumer.unassign();
        Ok(out)
    }

    /// Reads every record with `from[tp] <= offset < until[tp]`. A range
    /// whose records are gone (compacted, deleted) ends at the first offset
    /// at or past its end.
    pub fn read(&self, from: &PartitionOffsets, until: &PartitionOffsets) -> Result<Vec<Record>> {
        let mut tpl = TopicPartitionList::new();
        let mut pending: BTreeMap<(String, i32), i64> = BTreeMap::new();
        for (tp, &end) in until {
            let start = from.get(tp).copied().unwrap_or(0);
            if start < end {
                tpl.add_partition_offset(&tp.0, tp.1, KOffset::Offset(start))
                    .map_err(|e| kafka_error("bad partition", e))?;
                pending.insert(tp.clone(), end);
            }
        }
        let mut out = Vec::new();
        if pending.is_empty() {
            return Ok(out);
        }
        self.consumer
            .assign(&tpl)
            .map_err(|e| kafka_error("cannot assign the partitions", e))?;
        let mut last_progress = Instant::now();
        while !pending.is_empty() {
            match self.consumer.poll(std::time::Duration::from_millis(100)) {
                None | Some(Err(KafkaError::PartitionEOF(_))) => {
                    self.skip_finished(&mut pending)?
                }
                Some(Err(e)) => {
                    return Err(kafka_error(&format!("reading from {}", self.servers()), e));
                }
                Some(Ok(m)) => {
                    let tp = (m.topic().to_string(), m.partition());
                    let Some(&end) = pending.get(&tp) else {
                        continue;
                    };
                    last_progress = Instant::now();
                    if m.offset() < end {
                        let (ms, ty) = match m.timestamp() {
                            rdkafka::Timestamp::CreateTime(t) => (t, 0),
                            rdkafka::Timestamp::LogAppendTime(t) => (t, 1),
                            rdkafka::Timestamp::NotAvailable => (-1, -1),
                        };
                        out.push(Record {
                            key: m.key().map(<[u8]>::to_vec),
                            value: m.payload().map(<[u8]>::to_vec),
                            topic: tp.0.clone(),
                            partition: tp.1,
                            offset: m.offset(),
                            timestamp_ms: ms,
                            timestamp_type: ty,
                        });
                    }
                    if m.offset() + 1 >= end {
                        pending.remove(&tp);
                    }
                }
            }
            if !pending.is_empty() && last_progress.elapsed() > self.opts.timeout {
                let missing: Vec<String> =
                    pending.keys().map(|(t, p)| format!("{t}-{p}")).collect();
                return Err(Error::kafka(format!(
                    "timed out after {} ms (kafkaConsumer.pollTimeoutMs) reading {} from {}",
                    self.opts.timeout.as_millis(),
                    missing.join(", "),
                    self.servers()
                )));
            }
        }
        let _ = self.consumer.unassign();
        Ok(out)
    }

    /// Drops the partitions whose position reached their end without a
    /// record there: transaction markers and compaction leave offsets no
    /// record has.
    fn skip_finished(&self, pending: &mut BTreeMap<(String, i32), i64>) -> Result<()> {
        let pos = self
            .consumer
            .position()
            .map_err(|e| kafka_error("cannot read the consumer position", e))?;
        for e in pos.elements() {
            let tp = (e.topic().to_string(), e.partition());
            if let (Some(&end), KOffset::Offset(at)) = (pending.get(&tp), e.offset()) {
                if at >= end {
                    pending.remove(&tp);
                }
            }
        }
        Ok(())
    }
}

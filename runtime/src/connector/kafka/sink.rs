//! The Kafka sink (`format("kafka")`), as Spark's: each row becomes a
//! record; `value` (string or binary) is required, `key` (string or
//! binary), `topic` (string) and `partition` (int) are optional, and the
//! `topic` option, when set, names the topic of every record. Every
//! `kafka.*` option goes to the producer.
//!
//! At-least-once by default (a batch run again after a failure writes its
//! records again). With `kafka.transactional.id` set, exactly-once for
//! read_committed consumers: each batch is one Kafka transaction, and the
//! transaction also commits the batch id as the offset of a consumer group
//! named after the transactional id (Kafka's `sendOffsetsToTransaction`),
//! so a batch that is run again after its transaction committed is
//! recognised and skipped.

use std::sync::Mutex;
use std::time::Duration;

use arrow::array::{Array, AsArray, BinaryArray, Int32Array, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType as ArrowType, SchemaRef};
use arrow::record_batch::RecordBatch;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::{ClientContext, Offset, TopicPartitionList};

use super::client::kafka_error;
use crate::error::{Error, Result};
use crate::sink::{OutputMode, Sink};

/// Collects delivery failures reported by librdkafka's callbacks.
#[derive(Default)]
struct Deliveries {
    failed: Mutex<Option<String>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();
    fn delivery(&self, r: &DeliveryResult<'_>, _: ()) {
        if let Err((e, _)) = r {
            let mut f = self.failed.lock().unwrap_or_else(|p| p.into_inner());
            f.get_or_insert_with(|| e.to_string());
        }
    }
}

/// Checks the query's columns at `start()`, with Spark's messages.
pub fn check_schema(schema: &SchemaRef, topic_option: Option<&str>) -> Result<()> {
    let col = |name: &str| {
        schema
            .fields()
            .iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    };
    let bytes = |t: &ArrowType| matches!(t, ArrowType::Utf8 | ArrowType::Binary);
    match col("value") {
        None => {
            return Err(Error::analysis(
                "KAFKA_SINK_VALUE_MISSING",
                "Required attribute 'value' not found",
            ))
        }
        Some(f) if !bytes(f.data_type()) => {
            return Err(Error::analysis(
                "DATATYPE_MISMATCH",
                format!(
                    "value attribute type must be a string or binary, not {}",
                    f.data_type()
                ),
            ))
        }
        _ => {}
    }
    if let Some(f) = col("key") {
        if !bytes(f.data_type()) {
            return Err(Error::analysis(
                "DATATYPE_MISMATCH",
                format!(
                    "key attribute type must be a string or binary, not {}",
                    f.data_type()
                ),
            ));
        }
    }
    match col("topic") {
        Some(f) if !matches!(f.data_type(), ArrowType::Utf8) => {
            return Err(Error::analysis("DATATYPE_MISMATCH", format!("topic attribute type must be a string, not {}", f.data_type())))
        }
        None if topic_option.is_none() => {
            return Err(Error::options(
                "topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.",
            ))
        }
        _ => {}
    }
    if let Some(f) = col("partition") {
        if !matches!(f.data_type(), ArrowType::Int32) {
            return Err(Error::analysis(
                "DATATYPE_MISMATCH",
                format!(
                    "partition attribute type must be an int, not {}",
                    f.data_type()
                ),
            ));
        }
    }
    if col("headers").is_some() {
        return Err(Error::not_supported(
            "a headers column is an array of structs, and sqlc has no array type yet",
        ));
    }
    Ok(())
}

pub struct KafkaSink {
    producer: BaseProducer<Deliveries>,
    topic: Option<String>,
    servers: String,
    timeout: Duration,
    /// Exactly-once: the transactional id, and the last batch whose
    /// transaction Kafka committed.
    txn: Option<(String, Option<u64>)>,
}

/// The topic-partition under which the transactional sink records its batch
/// ids (as the committed offset of its consumer group).
fn marker(topic: &str, offset: Offset) -> Result<TopicPartitionList> {
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, offset)
        .map_err(|e| kafka_error("bad marker partition", e))?;
    Ok(tpl)
}

impl KafkaSink {
    /// `client`: every `kafka.*` option, prefix removed.
    pub fn new(
        client: &[(String, String)],
        topic: Option<String>,
        timeout: Duration,
    ) -> Result<Self> {
        let servers = client
            .iter()
            .find(|(k, _)| k == "bootstrap.servers")
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::options("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer"))?;
        let mut cfg = ClientConfig::new();
        for (k, v) in client {
            cfg.set(k, v);
        }
        let tid = client
            .iter()
            .find(|(k, _)| k == "transactional.id")
            .map(|(_, v)| v.clone());
        let producer: BaseProducer<Deliveries> = cfg
            .create_with_context(Deliveries::default())
            .map_err(|e| {
                kafka_error(
                    "cannot create the Kafka producer (check the kafka.* options)",
                    e,
                )
            })?;
        let txn = match tid {
            None => None,
            Some(id) => {
                let topic = topic.clone().ok_or_else(|| {
                    Error::options("the exactly-once Kafka sink (kafka.transactional.id) needs the topic option")
                })?;
                producer.init_transactions(timeout).map_err(|e| {
                    kafka_error(&format!("cannot start transactions on {servers}"), e)
                })?;
                let last = last_committed_batch(client, &id, &topic, timeout)?;
                Some((id, last))
            }
        };
        Ok(KafkaSink {
            producer,
            topic,
            servers,
            timeout,
            txn,
        })
    }

    fn send_all(&self, rows: &[RecordBatch]) -> Result<()> {
        for b in rows {
            let col = |name: &str| {
                b.schema()
                    .fields()
                    .iter()
                    .position(|f| f.name().eq_ignore_ascii_case(name))
                    .map(|i| b.column(i).clone())
            };
            let binary = |a: Option<arrow::array::ArrayRef>| -> Result<Option<BinaryArray>> {
                a.map(|a| Ok(cast(&a, &ArrowType::Binary)?.as_binary::<i32>().clone()))
                    .transpose()
            };
            let value = binary(col("value"))?
                .ok_or_else(|| Error::internal("Required attribute 'value' not found"))?;
            let key = binary(col("key"))?;
            let topic_col = col("topic");
            let topics: Option<&StringArray> = topic_col.as_ref().map(|a| a.as_string::<i32>());
            let part_col = col("partition");
            let parts: Option<&Int32Array> =
                part_col.as_ref().and_then(|a| a.as_any().downcast_ref());
            for i in 0..b.num_rows() {
                let topic = match (&self.topic, topics) {
                    (Some(t), _) => t.as_str(),
                    (None, Some(t)) if t.is_valid(i) => t.value(i),
                    _ => return Err(Error::kafka(
                        "null topic present in the data. Use the topic option for setting a topic.",
                    )),
                };
                let mut rec: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic);
                if value.is_valid(i) {
                    rec = rec.payload(value.value(i));
                }
                if let Some(k) = key.as_ref().filter(|k| k.is_valid(i)) {
                    rec = rec.key(k.value(i));
                }
                if let Some(p) = parts.filter(|p| p.is_valid(i)) {
                    rec = rec.partition(p.value(i));
                }
                let mut rec = rec;
                loop {
                    match self.producer.send(rec) {
                        Ok(()) => break,
                        Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                            rec = r;
                            self.producer.poll(Duration::from_millis(10));
                        }
                        Err((e, _)) => {
                            return Err(kafka_error(&format!("cannot send to topic {topic}"), e))
                        }
                    }
                }
            }
            self.producer.poll(Duration::ZERO);
        }
        Ok(())
    }

    fn check_delivered(&self) -> Result<()> {
        self.producer.flush(self.timeout).map_err(|e| {
            kafka_error(
                &format!("records not delivered to {} in time", self.servers),
                e,
            )
        })?;
        let failed = self
            .producer
            .context()
            .failed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        match failed {
            Some(e) => Err(Error::kafka(format!(
                "a record could not be delivered to {}: {e}",
                self.servers
            ))),
            None => Ok(()),
        }
    }

    fn add_transactional(&mut self, batch_id: u64, rows: &[RecordBatch]) -> Result<()> {
        let Some((id, last)) = self.txn.clone() else {
            return Err(Error::kafka("the sink has no transactional id"));
        };
        if last.is_some_and(|l| batch_id <= l) {
            return Ok(()); // committed before a restart: already in Kafka
        }
        let topic = self.topic.clone().unwrap_or_default();
        let p = &self.producer;
        p.begin_transaction()
            .map_err(|e| kafka_error("cannot begin a transaction", e))?;
        let result = (|| {
            self.send_all(rows)?;
            self.check_delivered()?;
            let offsets = marker(&topic, Offset::Offset(batch_id as i64 + 1))?;
            let cgm = group_metadata(&self.servers, &id)?;
            p.send_offsets_to_transaction(&offsets, &cgm, self.timeout)
                .map_err(|e| kafka_error("cannot record the batch id in the transaction", e))?;
            p.commit_transaction(self.timeout)
                .map_err(|e| kafka_error("cannot commit the transaction", e))
        })();
        match result {
            Ok(()) => {
                if let Some((_, last)) = &mut self.txn {
                    *last = Some(batch_id);
                }
                Ok(())
            }
            Err(e) => {
                let _ = p.abort_transaction(self.timeout);
                Err(e)
            }
        }
    }
}

/// The consumer group metadata that ties the batch-id marker to the sink.
fn group_metadata(servers: &str, group: &str) -> Result<rdkafka::consumer::ConsumerGroupMetadata> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", servers)
        .set("group.id", group)
        .create()
        .map_err(|e| kafka_error("cannot create the marker consumer", e))?;
    c.group_metadata()
        .ok_or_else(|| Error::kafka("librdkafka gave no consumer group metadata"))
}

/// The last batch id a previous run of this sink committed, if any.
fn last_committed_batch(
    client: &[(String, String)],
    group: &str,
    topic: &str,
    timeout: Duration,
) -> Result<Option<u64>> {
    let mut cfg = ClientConfig::new();
    for (k, v) in client.iter().filter(|(k, _)| {
        k == "bootstrap.servers"
            || k.starts_with("security.")
            || k.starts_with("sasl.")
            || k.starts_with("ssl.")
    }) {
        cfg.set(k, v);
    }
    let c: BaseConsumer = cfg
        .set("group.id", group)
        .create()
        .map_err(|e| kafka_error("cannot create the marker consumer", e))?;
    let got = c
        .committed_offsets(marker(topic, Offset::Invalid)?, timeout)
        .map_err(|e| {
            kafka_error(
                &format!("cannot read the last committed batch of transactional id {group}"),
                e,
            )
        })?;
    Ok(got.elements().first().and_then(|e| match e.offset() {
        Offset::Offset(n) if n > 0 => Some(n as u64 - 1),
        _ => None,
    }))
}

impl Sink for KafkaSink {
    fn add_batch(
        &mut self,
        batch_id: u64,
        _schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        _mode: OutputMode,
    ) -> Result<()> {
        if self.txn.is_some() {
            return self.add_transactional(batch_id, &rows);
        }
        self.send_all(&rows)?;
        self.check_delivered()
    }

    fn description(&self) -> String {
        format!(
            "KafkaSink[{}{}]",
            self.topic.as_deref().unwrap_or("topic column"),
            if self.txn.is_some() {
                ", exactly-once"
            } else {
                ""
            }
        )
    }
}

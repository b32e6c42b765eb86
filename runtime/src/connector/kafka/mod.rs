//! The Kafka connector, as Spark's `kafka` data source: its options
//! ([`options`]: `subscribe`, `startingOffsets`, `kafka.*`, …), the client
//! both sides share ([`client`]: consumers, offsets by time, errors), the
//! source ([`source`]: a stream or a batch read of records) and the sink
//! ([`sink`]: rows as records, transactional when asked).

mod client;
pub mod options;
pub mod sink;
pub mod source;

pub use client::kafka_error;
pub use sink::{check_schema, KafkaSink};
pub use source::{check_options, kafka_schema, read_static, KafkaSource};

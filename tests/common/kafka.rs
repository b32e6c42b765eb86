//! For the Kafka tests: the broker `scripts/kafka` started (its address in
//! KAFKA_BOOTSTRAP), topics created explicitly, records produced and read
//! back with librdkafka directly.
#![allow(dead_code)]

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};

/// The broker's address. Tests that need Kafka fail without one, saying
/// how to start it (scripts/test does it for the whole suite).
pub fn bootstrap() -> String {
    match std::env::var("KAFKA_BOOTSTRAP") {
        Ok(v) if !v.is_empty() => v,
        _ => panic!(
            "KAFKA_BOOTSTRAP is not set: these tests need a Kafka-protocol broker.\n\
             Start one with `eval \"$(scripts/kafka start)\"; export KAFKA_BOOTSTRAP` and run the tests again,\n\
             or run everything with scripts/test, which starts and stops it."
        ),
    }
}

/// A topic name no other test (or earlier run on the same broker) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros();
    format!(
        "{prefix}-{}-{t}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

struct ThreadWaker(std::thread::Thread);
impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on this thread (the admin API is async; the
/// project uses no async runtime).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park_timeout(Duration::from_millis(50)),
        }
    }
}

fn admin() -> AdminClient<DefaultClientContext> {
    ClientConfig::new()
        .set("bootstrap.servers", bootstrap())
        .create()
        .expect("admin client")
}

pub fn create_topic(name: &str, partitions: i32) {
    let t = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let res = block_on(admin().create_topics([&t], &opts)).expect("create_topics");
    for r in res {
        r.unwrap_or_else(|(t, e)| panic!("creating topic {t}: {e}"));
    }
}

/// Deletes the records before `offset` in a partition; the broker's error
/// if it cannot.
pub fn delete_records(topic: &str, partition: i32, offset: i64) -> Result<(), String> {
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, partition, Offset::Offset(offset))
        .map_err(|e| e.to_string())?;
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let out = block_on(admin().delete_records(&tpl, &opts)).map_err(|e| e.to_string())?;
    for e in out.elements() {
        if let Err(err) = e.error() {
            return Err(err.to_string());
        }
    }
    Ok(())
}

pub fn producer() -> BaseProducer {
    ClientConfig::new()
        .set("bootstrap.servers", bootstrap())
        .set("linger.ms", "5")
        .create()
        .expect("producer")
}

/// Sends `(partition, key, value)` records and waits until they are stored.
pub fn produce(topic: &str, records: &[(Option<i32>, Option<&str>, &str)]) {
    let p = producer();
    for (part, key, value) in records {
        let mut r: BaseRecord<'_, str, str> = BaseRecord::to(topic).payload(*value);
        if let Some(k) = key {
            r = r.key(*k);
        }
        if let Some(n) = part {
            r = r.partition(*n);
        }
        let mut r = r;
        loop {
            match p.send(r) {
                Ok(()) => break,
                Err((_, back)) => {
                    r = back;
                    p.poll(Duration::from_millis(20));
                }
            }
        }
    }
    p.flush(Duration::from_secs(30)).expect("flush");
}

/// Every record of a topic now, as (key, value) strings, with the given
/// isolation level: read from the beginning until every partition reports
/// its end (the broker's listed end offsets are not relied on: tansu lists
/// the base offset of the last batch + 1).
pub fn consume_all(topic: &str, isolation: &str) -> Vec<(Option<String>, String)> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap())
        .set("group.id", unique("check"))
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("isolation.level", isolation)
        .create()
        .expect("consumer");
    let md = c
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .expect("metadata");
    let mut tpl = TopicPartitionList::new();
    let mut open = std::collections::BTreeSet::new();
    for t in md.topics() {
        for p in t.partitions() {
            tpl.add_partition_offset(topic, p.id(), Offset::Beginning)
                .unwrap();
            open.insert(p.id());
        }
    }
    let mut out = Vec::new();
    c.assign(&tpl).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !open.is_empty() && std::time::Instant::now() < deadline {
        match c.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => out.push((
                m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                String::from_utf8_lossy(m.payload().unwrap_or_default()).into_owned(),
            )),
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(p))) => {
                open.remove(&p);
            }
            Some(Err(e)) => panic!("consuming {topic}: {e}"),
            None => {}
        }
    }
    assert!(
        open.is_empty(),
        "consuming {topic}: partitions {open:?} never reached their end"
    );
    out
}

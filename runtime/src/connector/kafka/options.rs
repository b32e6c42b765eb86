//! The Kafka source's options, as Spark's `KafkaSourceProvider` reads them,
//! and its offsets: Spark's JSON form `{"topic":{"0":42}}`, where each
//! number is the next offset to read (-2 = earliest, -1 = latest in
//! `startingOffsets`/`endingOffsets`).

use std::collections::BTreeMap;
use std::time::Duration;

use regex::Regex;

use crate::error::{Error, Result};
use crate::source::Options;

/// Offsets per topic and partition.
pub type PartitionOffsets = BTreeMap<(String, i32), i64>;

pub const EARLIEST: i64 = -2;
pub const LATEST: i64 = -1;

/// Which partitions the source reads.
#[derive(Clone, Debug)]
pub enum Strategy {
    /// `subscribe`: these topics, every partition, new partitions included.
    Subscribe(Vec<String>),
    /// `subscribePattern`: every topic whose whole name matches.
    Pattern(Regex),
    /// `assign`: exactly these partitions.
    Assign(Vec<(String, i32)>),
}

/// Where a read starts or ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    Earliest,
    Latest,
    /// Per partition (-2 earliest, -1 latest); partitions not named take
    /// earliest for a start (Spark's rule for new partitions) and latest
    /// for an end.
    Specific(PartitionOffsets),
}

#[derive(Clone, Debug)]
pub struct KafkaOptions {
    /// Every `kafka.*` option, prefix removed: the client's configuration.
    pub client: Vec<(String, String)>,
    pub strategy: Strategy,
    pub starting: Bound,
    pub ending: Bound,
    pub fail_on_data_loss: bool,
    pub max_offsets_per_trigger: Option<u64>,
    pub include_headers: bool,
    /// How long a metadata request or a fetch may go without an answer
    /// (`kafkaConsumer.pollTimeoutMs`) before the attempt fails.
    pub timeout: Duration,
    /// How many times the source asks for offsets (and reads a batch's
    /// records) before the query fails (`fetchOffset.numRetries`, Spark's 3).
    pub fetch_attempts: u32,
    /// The pause between two attempts (`fetchOffset.retryIntervalMs`,
    /// Spark's 1000).
    pub retry_interval: Duration,
}

fn bad(name: &str, value: &str, reason: impl Into<String>) -> Error {
    Error::BadOption {
        name: name.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

impl KafkaOptions {
    /// Checks the options as Spark does when the source is defined.
    pub fn parse(o: &Options) -> Result<KafkaOptions> {
        let client: Vec<(String, String)> = o
            .iter()
            .filter_map(|(k, v)| Some((client_key(k)?, v.to_string())))
            .collect();
        if !client.iter().any(|(k, _)| k == "bootstrap.servers") {
            return Err(Error::options(
                "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer",
            ));
        }
        for key in ["group.id", "auto.offset.reset", "enable.auto.commit"] {
            if client.iter().any(|(k, _)| k == key) {
                return Err(Error::options(format!(
                    "Kafka option '{key}' is not supported as the source manages its own offsets"
                )));
            }
        }
        let strategies: Vec<&str> = ["subscribe", "subscribePattern", "assign"]
            .into_iter()
            .filter(|k| o.contains(k))
            .collect();
        let strategy = match strategies.as_slice() {
            ["subscribe"] => {
                let v = o.get("subscribe").unwrap_or_default();
                let topics: Vec<String> = v
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                if topics.is_empty() {
                    return Err(bad("subscribe", v, "no topics to subscribe to"));
                }
                Strategy::Subscribe(topics)
            }
            ["subscribePattern"] => {
                let v = o.get("subscribePattern").unwrap_or_default();
                let re = Regex::new(&format!("^(?:{v})$"))
                    .map_err(|e| bad("subscribePattern", v, e.to_string()))?;
                Strategy::Pattern(re)
            }
            ["assign"] => {
                let v = o.get("assign").unwrap_or_default();
                Strategy::Assign(parse_assign(v)?)
            }
            [] => {
                return Err(Error::options(
                    "One of the following options must be specified for Kafka source: subscribe, subscribePattern, assign. See the docs for more details.",
                ))
            }
            many => {
                return Err(Error::options(format!(
                    "Only one of the following options can be specified for Kafka source: subscribe, subscribePattern, assign (got {})",
                    many.join(", ")
                )))
            }
        };
        let starting = parse_bound(o, "startingOffsets", Bound::Latest)?;
        let ending = parse_bound(o, "endingOffsets", Bound::Latest)?;
        if ending == Bound::Earliest {
            return Err(bad(
                "endingOffsets",
                "earliest",
                "ending offset cannot be earliest",
            ));
        }
        let max_offsets_per_trigger =
            match o.get("maxOffsetsPerTrigger") {
                None => None,
                Some(v) => Some(v.trim().parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(
                    || bad("maxOffsetsPerTrigger", v, "expected a positive integer"),
                )?),
            };
        let timeout_ms = match o.get("kafkaConsumer.pollTimeoutMs") {
            None => 30_000,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .map_err(|_| bad("kafkaConsumer.pollTimeoutMs", v, "expected milliseconds"))?,
        };
        let fetch_attempts = match o.get("fetchOffset.numRetries") {
            None => 3,
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| {
                    bad(
                        "fetchOffset.numRetries",
                        v,
                        "expected a positive number of attempts",
                    )
                })?,
        };
        let retry_ms = match o.get("fetchOffset.retryIntervalMs") {
            None => 1000,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 86_400_000)
                .ok_or_else(|| bad("fetchOffset.retryIntervalMs", v, "expected milliseconds"))?,
        };
        Ok(KafkaOptions {
            client,
            strategy,
            starting,
            ending,
            fail_on_data_loss: o.get_bool("failOnDataLoss", true)?,
            max_offsets_per_trigger,
            include_headers: o.get_bool("includeHeaders", false)?,
            timeout: Duration::from_millis(timeout_ms),
            fetch_attempts,
            retry_interval: Duration::from_millis(retry_ms),
        })
    }
}

/// The client's name for a `kafka.*` option (`kafka.bootstrap.servers` →
/// `bootstrap.servers`), `None` for other options.
pub fn client_key(k: &str) -> Option<String> {
    let (prefix, rest) = (k.get(..6)?, k.get(6..)?);
    (prefix.eq_ignore_ascii_case("kafka.") && !rest.is_empty()).then(|| rest.to_string())
}

/// `{"topicA":[0,1],"topicB":[2]}`.
fn parse_assign(v: &str) -> Result<Vec<(String, i32)>> {
    let err = || {
        bad(
            "assign",
            v,
            "expected JSON such as {\"topicA\":[0,1],\"topicB\":[2,4]}",
        )
    };
    let json: serde_json::Value = serde_json::from_str(v).map_err(|_| err())?;
    let obj = json.as_object().ok_or_else(err)?;
    let mut out = Vec::new();
    for (topic, parts) in obj {
        for p in parts.as_array().ok_or_else(err)? {
            let p = p
                .as_i64()
                .and_then(|p| i32::try_from(p).ok())
                .ok_or_else(err)?;
            out.push((topic.clone(), p));
        }
    }
    if out.is_empty() {
        return Err(err());
    }
    Ok(out)
}

fn parse_bound(o: &Options, name: &str, default: Bound) -> Result<Bound> {
    let Some(v) = o.get(name) else {
        return Ok(default);
    };
    match v.trim().to_ascii_lowercase().as_str() {
        "earliest" => Ok(Bound::Earliest),
        "latest" => Ok(Bound::Latest),
        _ => Ok(Bound::Specific(offsets_from_json(v).map_err(|reason| {
            bad(name, v, format!("{reason}; expected earliest, latest or JSON such as {{\"topicA\":{{\"0\":23,\"1\":-1}}}}"))
        })?)),
    }
}

/// Parses Spark's offset JSON.
pub fn offsets_from_json(v: &str) -> std::result::Result<PartitionOffsets, String> {
    let json: serde_json::Value = serde_json::from_str(v).map_err(|e| e.to_string())?;
    offsets_from_value(&json)
}

pub fn offsets_from_value(
    json: &serde_json::Value,
) -> std::result::Result<PartitionOffsets, String> {
    let obj = json.as_object().ok_or("not a JSON object")?;
    let mut out = PartitionOffsets::new();
    for (topic, parts) in obj {
        let parts = parts
            .as_object()
            .ok_or_else(|| format!("topic {topic}: not an object of partition: offset"))?;
        for (p, off) in parts {
            let p: i32 = p
                .parse()
                .map_err(|_| format!("topic {topic}: partition '{p}' is not a number"))?;
            let off = off
                .as_i64()
                .ok_or_else(|| format!("topic {topic} partition {p}: offset is not a number"))?;
            out.insert((topic.clone(), p), off);
        }
    }
    Ok(out)
}

/// Spark's offset JSON for the offset log.
pub fn offsets_to_value(offsets: &PartitionOffsets) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    for ((topic, p), off) in offsets {
        let entry = obj
            .entry(topic.clone())
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let serde_json::Value::Object(m) = entry {
            m.insert(p.to_string(), serde_json::Value::from(*off));
        }
    }
    serde_json::Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> Options {
        let mut o = Options::new();
        for (k, v) in pairs {
            o.set(*k, *v);
        }
        o
    }

    #[test]
    fn offsets_round_trip_in_sparks_form() {
        let m = offsets_from_json(r#"{"b":{"1":-1,"0":5},"a":{"0":-2}}"#).unwrap();
        assert_eq!(m[&("b".to_string(), 0)], 5);
        assert_eq!(
            offsets_to_value(&m).to_string(),
            r#"{"a":{"0":-2},"b":{"0":5,"1":-1}}"#
        );
        assert!(offsets_from_json(r#"{"a":{"x":1}}"#).is_err());
    }

    #[test]
    fn exactly_one_strategy_and_a_bootstrap_server() {
        let base = [("kafka.bootstrap.servers", "h:1")];
        assert!(KafkaOptions::parse(&opts(&base)).is_err());
        assert!(KafkaOptions::parse(&opts(&[("subscribe", "t")])).is_err());
        let both = opts(&[base[0], ("subscribe", "t"), ("assign", r#"{"t":[0]}"#)]);
        assert!(KafkaOptions::parse(&both)
            .unwrap_err()
            .to_string()
            .contains("Only one"));
        let k = KafkaOptions::parse(&opts(&[base[0], ("assign", r#"{"t":[0,2]}"#)])).unwrap();
        assert!(matches!(k.strategy, Strategy::Assign(ref v) if v.len() == 2));
        assert_eq!(
            k.client,
            vec![("bootstrap.servers".to_string(), "h:1".to_string())]
        );
        assert_eq!(k.starting, Bound::Latest);
        let e = KafkaOptions::parse(&opts(&[
            base[0],
            ("subscribe", "t"),
            ("maxOffsetsPerTrigger", "0"),
        ]));
        assert!(e.is_err());
        let p = KafkaOptions::parse(&opts(&[
            base[0],
            ("subscribePattern", "t.*"),
            ("startingOffsets", "earliest"),
        ]))
        .unwrap();
        match p.strategy {
            Strategy::Pattern(re) => assert!(re.is_match("t1") && !re.is_match("xt1")),
            _ => panic!("expected a pattern"),
        }
    }
}

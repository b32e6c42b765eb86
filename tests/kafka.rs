//! The Kafka source and sink against a real Kafka-protocol broker (tansu,
//! started by scripts/kafka; KAFKA_BOOTSTRAP names it): the subscription
//! forms, starting offsets, rate limits, example 8 (Kafka → casts → Kafka),
//! JSON values through from_json into example 1's aggregation, the
//! exactly-once sink (also under SIGKILL at random moments), data loss,
//! and a broker that is down.

mod common;
#[path = "common/kafka.rs"]
mod kafka_util;
#[path = "common/kill.rs"]
mod kill;

use std::time::{Duration, Instant};

use common::*;
use kafka_util::*;
use sqlc::functions::{col, from_json};
use sqlc::{DataFrame, ExecMode, Session, StreamingQuery};

fn kafka_stream(spark: &Session, opts: &[(&str, &str)]) -> DataFrame {
    spark
        .read_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap())
        .options(opts.iter().copied())
        .load_source(None)
        .unwrap()
}

fn to_memory(df: &DataFrame, name: &str, mode: &str) -> StreamingQuery {
    df.write_stream()
        .query_name(name)
        .format("memory")
        .output_mode(mode)
        .start()
        .unwrap()
}

/// `(topic, partition, offset, key, value)` of every row of a memory table.
fn records(spark: &Session, table: &str) -> Vec<(String, i64, i64, Option<String>, String)> {
    let batches = spark
        .sql(&format!(
            "SELECT topic, partition, offset, CAST(key AS STRING) AS k, CAST(value AS STRING) AS v FROM {table}"
        ))
        .unwrap()
        .collect()
        .unwrap();
    let mut out: Vec<_> = to_json_rows(&batches)
        .into_iter()
        .map(|r| {
            (
                r["topic"].as_str().unwrap().to_string(),
                r["partition"].as_i64().unwrap(),
                r["offset"].as_i64().unwrap(),
                r["k"].as_str().map(str::to_string),
                r["v"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn numbered(n: usize, partitions: i32) -> Vec<(Option<i32>, Option<String>, String)> {
    (0..n)
        .map(|i| {
            (
                Some(i as i32 % partitions),
                Some(format!("k{i}")),
                format!("v{i}"),
            )
        })
        .collect()
}

fn send(topic: &str, recs: &[(Option<i32>, Option<String>, String)]) {
    let borrowed: Vec<(Option<i32>, Option<&str>, &str)> = recs
        .iter()
        .map(|(p, k, v)| (*p, k.as_deref(), v.as_str()))
        .collect();
    produce(topic, &borrowed);
}

#[test]
fn subscribe_reads_every_partition_with_sparks_columns() {
    let topic = unique("sub");
    create_topic(&topic, 3);
    send(&topic, &numbered(9, 3));
    let spark = session(ExecMode::Jit);
    let df = kafka_stream(
        &spark,
        &[("subscribe", &topic), ("startingOffsets", "earliest")],
    );
    assert_eq!(
        df.columns(),
        [
            "key",
            "value",
            "topic",
            "partition",
            "offset",
            "timestamp",
            "timestampType"
        ]
    );
    let q = to_memory(&df, "sub_rows", "append");
    q.process_all_available().unwrap();
    let got = records(&spark, "sub_rows");
    assert_eq!(got.len(), 9);
    for (i, p) in [0, 3, 6, 1, 4, 7, 2, 5, 8].iter().enumerate() {
        let r = &got[i];
        assert_eq!((r.1, r.2), ((i / 3) as i64, (i % 3) as i64));
        assert_eq!(r.3.as_deref(), Some(format!("k{p}").as_str()));
        assert_eq!(r.4, format!("v{p}"));
    }
    // New records are picked up by the next batches, each once.
    send(&topic, &numbered(6, 3));
    q.process_all_available().unwrap();
    assert_eq!(records(&spark, "sub_rows").len(), 15);
    let progress = q.recent_progress();
    let total: u64 = progress.iter().map(|p| p.num_input_rows).sum();
    assert_eq!(total, 15);
    let src = &progress.last().unwrap().sources[0];
    assert!(
        src.description.starts_with("KafkaV2[Subscribe["),
        "{}",
        src.description
    );
    let end = src.end_offset.as_ref().unwrap();
    assert_eq!(end[&topic]["0"], 5, "{end}");
    q.stop().unwrap();
}

#[test]
fn assign_and_starting_offsets_choose_partitions_and_positions() {
    let topic = unique("assign");
    create_topic(&topic, 3);
    send(&topic, &numbered(12, 3)); // 4 records per partition
    let spark = session(ExecMode::Jit);
    let assign = format!(r#"{{"{topic}":[0,2]}}"#);
    let starting = format!(r#"{{"{topic}":{{"0":2,"2":-2}}}}"#);
    let df = kafka_stream(
        &spark,
        &[("assign", &assign), ("startingOffsets", &starting)],
    );
    let q = to_memory(&df, "assigned", "append");
    q.process_all_available().unwrap();
    let got: Vec<(i64, i64)> = records(&spark, "assigned")
        .iter()
        .map(|r| (r.1, r.2))
        .collect();
    assert_eq!(got, vec![(0, 2), (0, 3), (2, 0), (2, 1), (2, 2), (2, 3)]);
    q.stop().unwrap();

    // latest: only what arrives after the query starts.
    let df = kafka_stream(
        &spark,
        &[("subscribe", &topic), ("startingOffsets", "latest")],
    );
    let q = to_memory(&df, "latest_rows", "append");
    q.process_all_available().unwrap();
    assert_eq!(records(&spark, "latest_rows").len(), 0);
    send(&topic, &[(Some(1), None, "late".to_string())]);
    q.process_all_available().unwrap();
    let got = records(&spark, "latest_rows");
    assert_eq!(got, vec![(topic.clone(), 1, 4, None, "late".to_string())]);
    q.stop().unwrap();

    // A static read between starting and ending offsets.
    let ending = format!(r#"{{"{topic}":{{"0":3,"1":-1,"2":1}}}}"#);
    let df = spark
        .read()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap())
        .option("subscribe", &topic)
        .option("endingOffsets", &ending)
        .load_source(None)
        .unwrap();
    assert_eq!(df.count().unwrap(), 3 + 5 + 1);
}

#[test]
fn max_offsets_per_trigger_splits_the_backlog() {
    let topic = unique("rate");
    create_topic(&topic, 2);
    send(&topic, &numbered(30, 2));
    let spark = session(ExecMode::Jit);
    let df = kafka_stream(
        &spark,
        &[
            ("subscribe", &topic),
            ("startingOffsets", "earliest"),
            ("maxOffsetsPerTrigger", "7"),
        ],
    );
    let q = to_memory(&df, "limited", "append");
    q.process_all_available().unwrap();
    assert_eq!(records(&spark, "limited").len(), 30);
    let sizes: Vec<u64> = q
        .recent_progress()
        .iter()
        .map(|p| p.num_input_rows)
        .filter(|&n| n > 0)
        .collect();
    assert!(sizes.len() >= 5, "{sizes:?}");
    assert!(sizes.iter().all(|&n| n <= 7), "{sizes:?}");
    q.stop().unwrap();
}

#[test]
fn subscribe_pattern_picks_up_a_topic_created_mid_stream() {
    let prefix = unique("pat");
    let (a, b) = (format!("{prefix}-a"), format!("{prefix}-b"));
    create_topic(&a, 1);
    send(&a, &numbered(3, 1));
    let spark = session(ExecMode::Jit);
    let pattern = format!("{}-.*", regex_escape(&prefix));
    let df = kafka_stream(
        &spark,
        &[
            ("subscribePattern", &pattern),
            ("startingOffsets", "earliest"),
        ],
    );
    let q = to_memory(&df, "pattern_rows", "append");
    q.process_all_available().unwrap();
    assert_eq!(records(&spark, "pattern_rows").len(), 3);
    create_topic(&b, 2);
    send(&b, &numbered(4, 2));
    // The new topic is found at the next metadata refresh.
    let deadline = Instant::now() + Duration::from_secs(30);
    while records(&spark, "pattern_rows").len() < 7 && Instant::now() < deadline {
        q.process_all_available().unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    let got = records(&spark, "pattern_rows");
    assert_eq!(got.iter().filter(|r| r.0 == b).count(), 4, "{got:?}");
    assert_eq!(got.len(), 7);
    q.stop().unwrap();
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

/// Example 8: subscribe, cast key and value to strings, write to another
/// topic.
#[test]
fn example_8_round_trip_through_casts() {
    for mode in MODES {
        let (src, dst) = (unique("ex8-in"), unique("ex8-out"));
        create_topic(&src, 2);
        create_topic(&dst, 1);
        send(&src, &numbered(20, 2));
        let spark = session(mode);
        let df = kafka_stream(
            &spark,
            &[("subscribe", &src), ("startingOffsets", "earliest")],
        )
        .select_expr(["topic", "CAST(key AS STRING)", "CAST(value AS STRING)"])
        .unwrap();
        assert_eq!(df.columns(), ["topic", "key", "value"]);
        let ck = tempfile::tempdir().unwrap();
        let q = df
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", bootstrap())
            .option("topic", &dst)
            .option("checkpointLocation", ck.path().display())
            .start()
            .unwrap();
        q.process_all_available().unwrap();
        q.stop().unwrap();
        let mut got = consume_all(&dst, "read_uncommitted");
        got.sort();
        let mut want: Vec<(Option<String>, String)> = (0..20)
            .map(|i| (Some(format!("k{i}")), format!("v{i}")))
            .collect();
        want.sort();
        assert_eq!(got, want, "{mode:?}");
    }
}

/// Example 8 again, as a CLI script (`CREATE SOURCE … WITH (format =
/// 'kafka', …)`, `CREATE SINK … WITH (format = 'kafka', …)`).
#[test]
fn example_8_as_a_cli_script() {
    let (src, dst) = (unique("ex8cli-in"), unique("ex8cli-out"));
    create_topic(&src, 2);
    create_topic(&dst, 1);
    send(&src, &numbered(6, 2));
    let ck = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sqlc"))
        .arg("run")
        .arg(root().join("examples/sql/ex8_kafka.sql"))
        .args(["--available-now", "--quiet", "--var"])
        .arg(format!("kafka={}", bootstrap()))
        .arg("--var")
        .arg(format!("in={src}"))
        .arg("--var")
        .arg(format!("out={dst}"))
        .arg("--var")
        .arg(format!("ck={}", ck.path().display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<String> = consume_all(&dst, "read_uncommitted")
        .into_iter()
        .map(|r| r.1)
        .collect();
    got.sort();
    assert_eq!(got, ["v0", "v1", "v2", "v3", "v4", "v5"]);
}

/// The activity data as JSON values, parsed with from_json and counted by
/// `gt` as example 1 does: Spark's answer on the same rows.
#[test]
fn from_json_values_feed_example_1() {
    let topic = unique("activity");
    create_topic(&topic, 3);
    let mut lines = Vec::new();
    for f in activity_files() {
        for l in std::fs::read_to_string(f).unwrap().lines() {
            lines.push(l.to_string());
        }
    }
    let recs: Vec<(Option<i32>, Option<&str>, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (Some(i as i32 % 3), None, l.as_str()))
        .collect();
    produce(&topic, &recs);
    let expected = load_expected(&root().join("tests/data/expected/ex1_activity_counts.jsonl"));
    let ddl = "Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT, \
               Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE";
    for mode in MODES {
        let spark = session(mode);
        let counts = kafka_stream(
            &spark,
            &[
                ("subscribe", &topic),
                ("startingOffsets", "earliest"),
                ("maxOffsetsPerTrigger", "6000"),
            ],
        )
        .select([from_json(col("value").cast("string").unwrap(), ddl).alias("data")])
        .unwrap()
        .select(["data.*"])
        .unwrap()
        .group_by(["gt"])
        .count()
        .unwrap();
        let plan = counts.explain().unwrap();
        assert!(plan.contains("from_json"), "{plan}");
        if mode == ExecMode::Jit {
            // from_json runs interpreted, the aggregate after it compiled.
            assert!(
                plan.contains("not compiled (struct values): from_json()"),
                "{plan}"
            );
            assert!(plan.contains("Kernel: hash aggregate #0 (jit"), "{plan}");
        }
        let q = to_memory(&counts, "kafka_activity_counts", "complete");
        q.process_all_available().unwrap();
        let got = spark.sql("SELECT * FROM kafka_activity_counts").unwrap();
        assert_matches(
            &format!("from_json example 1 ({mode:?})"),
            &got.collect().unwrap(),
            &got.columns(),
            &expected,
            false,
        );
        q.stop().unwrap();
    }
}

/// With kafka.transactional.id each batch is one transaction that also
/// records the batch id: a batch run again by a restarted query (a new
/// sink with the same id) is not written twice.
#[test]
fn exactly_once_sink_skips_a_batch_committed_before_a_restart() {
    use sqlc::arrow::array::{ArrayRef, StringArray};
    use sqlc::arrow::datatypes::{DataType, Field, Schema};
    use sqlc::arrow::record_batch::RecordBatch;
    use sqlc_runtime::connector::kafka::KafkaSink;
    use sqlc_runtime::sink::{OutputMode, Sink};

    let topic = unique("eos");
    create_topic(&topic, 1);
    let client = vec![
        ("bootstrap.servers".to_string(), bootstrap()),
        ("transactional.id".to_string(), unique("txn")),
    ];
    let schema = std::sync::Arc::new(Schema::new(vec![Field::new("value", DataType::Utf8, true)]));
    let batch = |vals: &[&str]| {
        let a: ArrayRef = std::sync::Arc::new(StringArray::from(vals.to_vec()));
        RecordBatch::try_new(schema.clone(), vec![a]).unwrap()
    };
    let timeout = Duration::from_secs(20);
    {
        let mut sink = KafkaSink::new(&client, Some(topic.clone()), timeout).unwrap();
        sink.add_batch(0, &schema, vec![batch(&["a", "b"])], OutputMode::Append)
            .unwrap();
        sink.add_batch(1, &schema, vec![batch(&["c"])], OutputMode::Append)
            .unwrap();
    }
    // "Restart": batch 1 is run again (its commit log entry was lost), then 2.
    let mut sink = KafkaSink::new(&client, Some(topic.clone()), timeout).unwrap();
    sink.add_batch(1, &schema, vec![batch(&["c"])], OutputMode::Append)
        .unwrap();
    sink.add_batch(2, &schema, vec![batch(&["d"])], OutputMode::Append)
        .unwrap();
    let got: Vec<String> = consume_all(&topic, "read_committed")
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(got, ["a", "b", "c", "d"]);
}

#[test]
fn data_loss_fails_the_query_or_warns_as_asked() {
    let topic = unique("loss");
    create_topic(&topic, 1);
    send(&topic, &numbered(10, 1));
    let low_deleted = match delete_records(&topic, 0, 6) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("note: the broker cannot delete records ({e}); data loss is checked with offsets that went back instead");
            false
        }
    };
    // A source restarted at an offset Kafka no longer has (or, on a broker
    // that cannot delete records, past the end of the partition, as after
    // the topic was deleted and created again).
    let def = |fail: &str| {
        sqlc_runtime::connector::SourceDef::new(
            "kafka",
            None,
            None,
            &[
                ("kafka.bootstrap.servers".into(), bootstrap()),
                ("subscribe".into(), topic.clone()),
                ("failOnDataLoss".into(), fail.into()),
            ],
        )
        .unwrap()
    };
    let (start, end) = if low_deleted {
        (
            serde_json::json!({ &topic: {"0": 2} }),
            serde_json::json!({ &topic: {"0": 10} }),
        )
    } else {
        (
            serde_json::json!({ &topic: {"0": 25} }),
            serde_json::json!({ &topic: {"0": 10} }),
        )
    };
    let mut strict = def("true").open().unwrap();
    let err = strict
        .get_batch(Some(&start), &end)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("KAFKA_DATA_LOSS") && err.contains(&topic) && err.contains("partition 0"),
        "{err}"
    );
    let mut lenient = def("false").open().unwrap();
    let rows: usize = lenient
        .get_batch(Some(&start), &end)
        .unwrap()
        .iter()
        .map(|b| b.num_rows())
        .sum();
    assert_eq!(rows, if low_deleted { 4 } else { 10 });
}

#[test]
fn a_broker_that_is_down_gives_a_clear_error_in_bounded_time() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = format!("127.0.0.1:{port}");
    let spark = session(ExecMode::Jit);
    let t0 = Instant::now();
    let err = spark
        .read()
        .format("kafka")
        .option("kafka.bootstrap.servers", &down)
        .option("subscribe", "nothing")
        .option("kafkaConsumer.pollTimeoutMs", 2000)
        .load_source(None)
        .expect_err("a read from a broker that is down fails");
    assert!(err.to_string().contains(&down), "{err}");
    assert!(t0.elapsed() < Duration::from_secs(20), "{:?}", t0.elapsed());

    let df = spark
        .read_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", &down)
        .option("subscribe", "nothing")
        .option("kafkaConsumer.pollTimeoutMs", 2000)
        .load_source(None)
        .unwrap();
    let q = to_memory(&df, "nowhere", "append");
    let ended = q.await_termination(Some(Duration::from_secs(30))).err();
    let e = q
        .exception()
        .map(|e| e.to_string())
        .or(ended.map(|e| e.to_string()));
    let e = e.expect("the query fails");
    assert!(
        e.contains("cannot reach the Kafka brokers") && e.contains(&down),
        "{e}"
    );
}

#[test]
fn bad_kafka_options_are_refused_when_the_stream_is_defined() {
    let spark = session(ExecMode::Jit);
    let err = |opts: &[(&str, &str)]| {
        spark
            .read_stream()
            .format("kafka")
            .options(opts.iter().copied())
            .load_source(None)
            .err()
            .unwrap()
            .to_string()
    };
    assert!(err(&[("subscribe", "t")]).contains("kafka.bootstrap.servers"));
    let b = ("kafka.bootstrap.servers", "127.0.0.1:1");
    assert!(err(&[b]).contains("subscribe, subscribePattern, assign"));
    assert!(err(&[b, ("subscribe", "t"), ("assign", "{\"t\":[0]}")]).contains("Only one"));
    assert!(err(&[b, ("assign", "[1]")]).contains("assign"));
    assert!(err(&[b, ("subscribe", "t"), ("startingOffsets", "{bad")]).contains("startingOffsets"));
    assert!(err(&[b, ("subscribe", "t"), ("kafka.group.id", "g")]).contains("group.id"));
    // The sink checks its columns at start().
    let df = spark
        .read_stream()
        .format("kafka")
        .options([b, ("subscribe", "t")])
        .load_source(None)
        .unwrap()
        .select(["topic"])
        .unwrap();
    let ck = tempfile::tempdir().unwrap();
    let e = df
        .write_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", "127.0.0.1:1")
        .option("checkpointLocation", ck.path().display())
        .start()
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("Required attribute 'value' not found"), "{e}");
    // As Spark, a Kafka sink needs a checkpoint.
    let e = df
        .select_expr(["topic AS value"])
        .unwrap()
        .write_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", "127.0.0.1:1")
        .option("topic", "t")
        .start()
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("checkpointLocation must be specified"), "{e}");
}

/// A Kafka query stopped and started again with its checkpoint carries on
/// where it stopped: every record once in the file sink, none read again —
/// also when the records were there before the first start and
/// The `v` column of a JSON file sink's output, sorted.
fn sink_values(spark: &Session, out: &std::path::Path) -> Vec<String> {
    let df = spark.read().schema("v STRING").json(out).unwrap();
    let mut values: Vec<String> = to_json_rows(&df.collect().unwrap())
        .iter()
        .map(|r| r["v"].as_str().unwrap().to_string())
        .collect();
    values.sort();
    values
}

/// `startingOffsets` is `earliest`, which only applies to a fresh start.
#[test]
fn restart_from_a_checkpoint_neither_loses_nor_repeats() {
    let topic = unique("restart");
    create_topic(&topic, 2);
    send(&topic, &numbered(10, 2));
    let tmp = tempfile::tempdir().unwrap();
    let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
    let run = || {
        let spark = session(ExecMode::Jit);
        let q = kafka_stream(
            &spark,
            &[("subscribe", &topic), ("startingOffsets", "earliest")],
        )
        .select_expr(["CAST(value AS STRING) AS v"])
        .unwrap()
        .write_stream()
        .format("json")
        .option("path", out.display())
        .option("checkpointLocation", ck.display())
        .trigger(sqlc::Trigger::AvailableNow)
        .start()
        .unwrap();
        q.await_termination(None).unwrap();
        let read: u64 = q.recent_progress().iter().map(|p| p.num_input_rows).sum();
        (spark, read)
    };
    let (_, first) = run();
    assert_eq!(first, 10);
    send(&topic, &numbered(6, 2));
    let (spark, second) = run();
    assert_eq!(second, 6, "only the new records are read after the restart");
    let values = sink_values(&spark, &out);
    let mut want: Vec<String> = (0..10).chain(0..6).map(|i| format!("v{i}")).collect();
    want.sort();
    assert_eq!(values, want);
}

// ---- the kill harness, Kafka to Kafka ----

/// The child of [`killed_kafka_to_kafka_query_writes_every_record_exactly_once`]:
/// this test binary run again with `SQLC_KAFKA_CRASH_CHILD="DIR IN OUT TXN"`.
/// Kafka topic IN → Kafka topic OUT, 40 records a batch, with the
/// exactly-once sink (transactional id TXN: a restarted producer fences
/// the one killed), available now, checkpointed in DIR.
#[test]
fn kafka_crash_child() {
    let Some(spec) = std::env::var("SQLC_KAFKA_CRASH_CHILD").ok() else {
        return;
    };
    let [dir, input, output, txn] = spec.split(' ').collect::<Vec<_>>()[..] else {
        panic!("SQLC_KAFKA_CRASH_CHILD: {spec}");
    };
    let spark = session(ExecMode::Jit);
    let q = kafka_stream(
        &spark,
        &[
            ("subscribe", input),
            ("startingOffsets", "earliest"),
            ("maxOffsetsPerTrigger", "40"),
        ],
    )
    .select_expr(["CAST(value AS STRING) AS value"])
    .unwrap()
    .write_stream()
    .format("kafka")
    .option("kafka.bootstrap.servers", bootstrap())
    .option("topic", output)
    .option("kafka.transactional.id", txn)
    .option("checkpointLocation", dir)
    .trigger(sqlc::Trigger::AvailableNow)
    .start()
    .unwrap();
    q.await_termination(None).unwrap();
}

#[test]
fn killed_kafka_to_kafka_query_writes_every_record_exactly_once() {
    let (kills_wanted, mut rng, seed) = kill::kills_and_rng(6);
    let (input, output) = (unique("crash_in"), unique("crash_out"));
    create_topic(&input, 2);
    create_topic(&output, 1);
    let tmp = tempfile::tempdir().unwrap();
    let ck = tmp.path().join("ck");
    let spec = format!("{} {input} {output} {}", ck.display(), unique("txn"));
    let child = || {
        let mut c = std::process::Command::new(std::env::current_exe().unwrap());
        c.args([
            "--exact",
            "kafka_crash_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("SQLC_KAFKA_CRASH_CHILD", &spec)
        .env("KAFKA_BOOTSTRAP", bootstrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
        c
    };
    let mut sent = 0usize;
    let mut send_more = |n: usize| {
        let recs: Vec<_> = (sent..sent + n)
            .map(|i| (Some(i as i32 % 2), None, format!("v{i:06}")))
            .collect();
        send(&input, &recs);
        sent += n;
    };
    send_more(400);
    // Kills land within the time a run over the first records takes.
    let t = Instant::now();
    let o = child().output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let span_us = (t.elapsed().as_micros() as u64).max(1000);
    let (kills, completed) =
        kill::kill_repeatedly(&child, span_us, kills_wanted, &mut rng, 5, &mut || {
            send_more(40)
        });
    let o = child().output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    println!("{kills} kills, {completed} runs that finished first, {sent} records");
    let mut got: Vec<String> = consume_all(&output, "read_committed")
        .into_iter()
        .map(|r| r.1)
        .collect();
    got.sort();
    let want: Vec<String> = (0..sent).map(|i| format!("v{i:06}")).collect();
    if broker_aborts_fenced_transactions() {
        assert_eq!(
            got.len(),
            want.len(),
            "records after {kills} kills (seed {seed})"
        );
        assert_eq!(got, want, "records after {kills} kills (seed {seed})");
    } else {
        // The broker shows a killed sink's open transaction: every record
        // is there, and at most one batch (40 records) more per kill.
        let mut once = got.clone();
        once.dedup();
        let twice = got.len() - once.len();
        println!(
            "the broker does not abort fenced transactions: {twice} records of killed runs' open transactions visible"
        );
        assert_eq!(once, want, "records after {kills} kills (seed {seed})");
        assert!(
            twice <= kills as usize * 40,
            "{twice} records twice after {kills} kills"
        );
    }
}

/// Whether the broker aborts the open transaction of a producer fenced by a
/// new one with the same transactional id (Kafka does; tansu 0.1 leaves its
/// records visible to read_committed consumers, so a transaction a killed
/// sink left open shows).
fn broker_aborts_fenced_transactions() -> bool {
    use rdkafka::config::ClientConfig;
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    let topic = unique("fence");
    create_topic(&topic, 1);
    let tid = unique("fence_txn");
    let producer = || -> BaseProducer {
        let p: BaseProducer = ClientConfig::new()
            .set("bootstrap.servers", bootstrap())
            .set("transactional.id", &tid)
            .create()
            .unwrap();
        p.init_transactions(Duration::from_secs(10)).unwrap();
        p
    };
    let zombie = producer();
    zombie.begin_transaction().unwrap();
    zombie
        .send(BaseRecord::<str, str>::to(&topic).payload("zombie"))
        .unwrap();
    zombie.flush(Duration::from_secs(10)).unwrap();
    std::mem::forget(zombie); // as if killed: neither commit nor abort
    let p = producer();
    p.begin_transaction().unwrap();
    p.send(BaseRecord::<str, str>::to(&topic).payload("live"))
        .unwrap();
    p.flush(Duration::from_secs(10)).unwrap();
    p.commit_transaction(Duration::from_secs(10)).unwrap();
    consume_all(&topic, "read_committed")
        .iter()
        .all(|r| r.1 != "zombie")
}

// ---- a broker stopped mid-stream ----

/// A broker of the test's own (tansu, in memory), which clients reach
/// through a proxy the test can cut and restore: the broker gone and back,
/// its records kept (the shared test broker cannot be stopped, and
/// restarting an in-memory one would lose its topics).
struct ProxiedBroker {
    broker: std::process::Child,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    conns: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
    /// Through the proxy (what the broker advertises), and direct.
    proxied: String,
    direct: String,
}

impl ProxiedBroker {
    fn start() -> Self {
        use std::net::{TcpListener, TcpStream};
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Mutex};
        let bin = std::process::Command::new(root().join("scripts/kafka"))
            .arg("bin")
            .output()
            .unwrap();
        let bin = String::from_utf8(bin.stdout).unwrap().trim().to_string();
        let direct_port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let (proxied, direct) = (
            listener.local_addr().unwrap().to_string(),
            format!("127.0.0.1:{direct_port}"),
        );
        let broker = std::process::Command::new(bin)
            .args([
                "broker",
                "--listener-url",
                &format!("tcp://{direct}"),
                "--advertised-listener-url",
                &format!("tcp://{proxied}"),
                "--storage-engine",
                "memory://tansu/",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while TcpStream::connect(&direct).is_err() {
            assert!(t.elapsed() < Duration::from_secs(20), "tansu did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let up = Arc::new(AtomicBool::new(true));
        let conns: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (up2, conns2, to) = (up.clone(), conns.clone(), direct.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the broker is "down"
                }
                let Ok(server) = TcpStream::connect(&to) else {
                    continue;
                };
                let mut list = conns2.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(server.try_clone().unwrap());
                for (mut a, mut b) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut a, &mut b);
                        let _ = b.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        ProxiedBroker {
            broker,
            up,
            conns,
            proxied,
            direct,
        }
    }

    /// The broker becomes unreachable: connections cut, new ones dropped.
    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for c in self.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Sends values `from..to` (`v000042`) to `topic` (bootstrapped
    /// directly; the records then go where the broker advertises).
    fn send(&self, topic: &str, from: usize, to: usize) {
        use rdkafka::config::ClientConfig;
        use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
        let p: BaseProducer = ClientConfig::new()
            .set("bootstrap.servers", &self.direct)
            .create()
            .unwrap();
        for i in from..to {
            let v = format!("v{i:06}");
            p.send(BaseRecord::<str, str>::to(topic).payload(&v))
                .unwrap();
        }
        p.flush(Duration::from_secs(20)).unwrap();
    }
}

impl Drop for ProxiedBroker {
    fn drop(&mut self) {
        let _ = self.broker.kill();
        let _ = self.broker.wait();
    }
}

/// As Spark's Kafka source retries its offset requests
/// (`fetchOffset.numRetries` times, `fetchOffset.retryIntervalMs` apart), a
/// query whose broker goes away mid-stream waits — still active, its
/// status saying it is getting offsets from the source — and, the broker
/// back within that bound, reads on without a restart: every record
/// exactly once in the file sink.
#[test]
fn a_broker_stopped_mid_stream_is_waited_for_and_the_query_resumes_exactly_once() {
    let broker = ProxiedBroker::start();
    let topic = unique("back");
    broker.send(&topic, 0, 100);
    let tmp = tempfile::tempdir().unwrap();
    let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", &broker.proxied)
        .option("subscribe", &topic)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", 30)
        .option("kafkaConsumer.pollTimeoutMs", 2000)
        .option("fetchOffset.numRetries", 40)
        .option("fetchOffset.retryIntervalMs", 200)
        .load_source(None)
        .unwrap()
        .select_expr(["CAST(value AS STRING) AS v"])
        .unwrap()
        .write_stream()
        .format("json")
        .option("path", out.display())
        .option("checkpointLocation", ck.display())
        .processing_time("100 milliseconds")
        .start()
        .unwrap();
    let rows_read = || {
        q.recent_progress()
            .iter()
            .map(|p| p.num_input_rows)
            .sum::<u64>()
    };
    let t = Instant::now();
    while rows_read() < 100 {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the query did not read the records"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    broker.cut();
    let waiting = format!("Getting offsets from KafkaV2[Subscribe[{topic}]]");
    let cut = Instant::now();
    loop {
        assert!(
            q.is_active(),
            "the query waits for the broker: {:?}",
            q.exception()
        );
        let status = q.status();
        if cut.elapsed() > Duration::from_secs(5) && status.message == waiting {
            assert!(status.is_trigger_active, "{status:?}");
            break;
        }
        assert!(cut.elapsed() < Duration::from_secs(40), "{status:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    broker.restore();
    broker.send(&topic, 100, 150);
    let t = Instant::now();
    while rows_read() < 150 {
        assert!(q.is_active(), "{:?}", q.exception());
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the query did not resume"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    q.stop().unwrap();
    let want: Vec<String> = (0..150).map(|i| format!("v{i:06}")).collect();
    assert_eq!(sink_values(&spark, &out), want);
}

/// Past `fetchOffset.numRetries` attempts the query fails with a Kafka
/// error naming the brokers and the settings that bound the wait;
/// restarted from its checkpoint once the broker is back, it carries on
/// where it stopped: every record exactly once in the file sink.
#[test]
fn a_broker_stopped_mid_stream_fails_the_query_and_a_restart_resumes_exactly_once() {
    let broker = ProxiedBroker::start();
    let topic = unique("gone");
    broker.send(&topic, 0, 100);
    let tmp = tempfile::tempdir().unwrap();
    let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
    let start = |spark: &Session, trigger: Option<sqlc::Trigger>| {
        let w = spark
            .read_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", &broker.proxied)
            .option("subscribe", &topic)
            .option("startingOffsets", "earliest")
            .option("maxOffsetsPerTrigger", 30)
            .option("kafkaConsumer.pollTimeoutMs", 2000)
            .option("fetchOffset.numRetries", 2)
            .option("fetchOffset.retryIntervalMs", 100)
            .load_source(None)
            .unwrap()
            .select_expr(["CAST(value AS STRING) AS v"])
            .unwrap()
            .write_stream()
            .format("json")
            .option("path", out.display())
            .option("checkpointLocation", ck.display());
        match trigger {
            Some(t) => w.trigger(t),
            None => w.processing_time("100 milliseconds"),
        }
        .start()
        .unwrap()
    };
    let spark = session(ExecMode::Jit);
    let q = start(&spark, None);
    let t = Instant::now();
    while q
        .recent_progress()
        .iter()
        .map(|p| p.num_input_rows)
        .sum::<u64>()
        < 100
    {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the query did not read the records"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    broker.cut();
    let ended = q.await_termination(Some(Duration::from_secs(120)));
    let e = q
        .exception()
        .map(|e| e.to_string())
        .or(ended.err().map(|e| e.to_string()))
        .expect("the query fails once the broker is gone");
    assert!(
        e.contains("[KAFKA_ERROR]")
            && e.contains(&broker.proxied)
            && e.contains("pollTimeoutMs")
            && e.contains("fetchOffset.numRetries"),
        "{e}"
    );
    broker.restore();
    // Clients reach the broker through the address it advertises: records
    // arrive again once it is back.
    broker.send(&topic, 100, 150);
    let spark = session(ExecMode::Jit);
    start(&spark, Some(sqlc::Trigger::AvailableNow))
        .await_termination(None)
        .unwrap();
    let want: Vec<String> = (0..150).map(|i| format!("v{i:06}")).collect();
    assert_eq!(sink_values(&spark, &out), want);
}

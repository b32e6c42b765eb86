//! Streaming queries through the public API: triggers, the foreach sinks,
//! the query manager, progress, and failures that stop one query only.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use sqlc::{DataFrame, ExecMode, Row, Session, Trigger};

fn stream(spark: &Session, max_files: usize) -> DataFrame {
    let schema = spark.read().json(activity_data()).unwrap().schema();
    spark
        .read_stream()
        .schema(&schema)
        .option("maxFilesPerTrigger", max_files)
        .json(activity_data())
        .unwrap()
}

#[test]
fn available_now_processes_everything_in_bounded_batches_then_stops() {
    let spark = session(ExecMode::Jit);
    let q = stream(&spark, 3)
        .group_by(["User"])
        .count()
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("users")
        .output_mode("complete")
        .trigger(Trigger::AvailableNow)
        .start()
        .unwrap();
    assert!(
        q.await_termination(Some(Duration::from_secs(60))).unwrap(),
        "ends by itself"
    );
    let sizes: Vec<u64> = q
        .recent_progress()
        .iter()
        .map(|p| p.num_input_rows)
        .collect();
    assert_eq!(sizes, vec![7500, 7500, 5000], "3 files, 3 files, 2 files");
    let total = spark
        .sql("SELECT sum(count) AS n FROM users")
        .unwrap()
        .collect_rows()
        .unwrap();
    assert_eq!(total[0].get(0), Some(&sqlc::Scalar::Int64(20_000)));
    assert!(spark.streams().active().is_empty());
}

#[test]
fn once_runs_a_single_batch_with_everything_available() {
    let spark = session(ExecMode::Jit);
    let q = stream(&spark, 2)
        .write_stream()
        .format("memory")
        .query_name("once")
        .trigger(Trigger::Once)
        .start()
        .unwrap();
    assert!(q.await_termination(Some(Duration::from_secs(60))).unwrap());
    assert_eq!(q.recent_progress().len(), 1);
    // All of it, ignoring maxFilesPerTrigger, as Spark's Trigger.Once.
    assert_eq!(spark.table("once").unwrap().count().unwrap(), 20_000);
}

#[test]
fn foreach_and_foreach_batch_see_every_row_once_with_batch_ids_in_order() {
    let spark = session(ExecMode::Interpret);
    let rows: Arc<Mutex<Vec<Row>>> = Arc::default();
    let sink = rows.clone();
    let q = stream(&spark, 1)
        .filter("gt = 'bike'")
        .unwrap()
        .select(["Index", "gt"])
        .unwrap()
        .write_stream()
        .foreach(move |r| {
            sink.lock().unwrap().push(r.clone());
            Ok(())
        })
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    q.stop().unwrap();
    let rows = rows.lock().unwrap();
    let expected = spark
        .read()
        .json(activity_data())
        .unwrap()
        .filter("gt = 'bike'")
        .unwrap()
        .count()
        .unwrap();
    assert_eq!(rows.len(), expected);
    assert!(rows
        .iter()
        .all(|r| r.get_as("gt") == Some(&sqlc::Scalar::Utf8("bike".into()))));

    let seen: Arc<Mutex<Vec<(u64, usize)>>> = Arc::default();
    let kept: Arc<Mutex<Vec<DataFrame>>> = Arc::default();
    let (sink, keep) = (seen.clone(), kept.clone());
    let q = stream(&spark, 2)
        .write_stream()
        .foreach_batch(move |df, id| {
            sink.lock().unwrap().push((id, df.count()?));
            keep.lock().unwrap().push(df);
            Ok(())
        })
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    q.stop().unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(*seen, vec![(0, 5000), (1, 5000), (2, 5000), (3, 5000)]);
    // A batch's DataFrame is for its call only (as in Spark): the session
    // does not keep every batch's rows for its life.
    assert!(kept.lock().unwrap()[0].count().is_err());
}

#[test]
fn a_failing_query_stops_alone_with_its_error() {
    let spark = session(ExecMode::Jit);
    let good = stream(&spark, 1)
        .write_stream()
        .format("memory")
        .query_name("good")
        .start()
        .unwrap();
    // An ANSI error inside a batch: a division by zero on every row.
    let bad = stream(&spark, 1)
        .select_expr(["Index / (Index - Index) AS boom"])
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("bad")
        .start()
        .unwrap();
    let err = bad
        .await_termination(Some(Duration::from_secs(60)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("DIVIDE_BY_ZERO"), "{err}");
    assert!(bad
        .exception()
        .unwrap()
        .to_string()
        .contains("DIVIDE_BY_ZERO"));
    assert!(!bad.is_active());
    good.process_all_available().unwrap();
    assert!(good.is_active(), "the other query keeps running");
    let active: Vec<String> = spark
        .streams()
        .active()
        .iter()
        .map(|q| q.id().to_string())
        .collect();
    assert_eq!(active, vec![good.id().to_string()]);
    assert!(spark.streams().get(good.id()).is_some());
    assert!(spark
        .streams()
        .await_any_termination(Some(Duration::from_secs(5)))
        .is_err());
    good.stop().unwrap();
}

#[test]
fn progress_and_status_carry_sparks_fields() {
    let spark = session(ExecMode::Jit);
    let q = stream(&spark, 4)
        .group_by(["gt"])
        .count()
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("p")
        .output_mode("update")
        .processing_time("100 milliseconds")
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    let p = q.last_progress().unwrap().to_json();
    for field in [
        "id",
        "runId",
        "name",
        "timestamp",
        "batchId",
        "numInputRows",
        "inputRowsPerSecond",
        "processedRowsPerSecond",
        "durationMs",
        "stateOperators",
        "sources",
        "sink",
    ] {
        assert!(p.get(field).is_some(), "progress has {field}: {p}");
    }
    assert_eq!(p["name"], "p");
    assert_eq!(p["batchId"], 1);
    assert_eq!(p["stateOperators"][0]["numRowsTotal"], 7);
    assert!(p["sources"][0]["endOffset"].is_object());
    // Between triggers (a trigger asking its source shows "Getting offsets
    // from …" for that moment, as Spark's).
    let t = std::time::Instant::now();
    while q.status().message != "Waiting for data to arrive" {
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", q.status());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!q.run_id().is_empty() && q.run_id() != q.id());
    q.stop().unwrap();
    assert_eq!(q.status().message, "Stopped");
    // A second query with the name of an active one is refused.
    let a = stream(&spark, 1)
        .write_stream()
        .format("memory")
        .query_name("dup")
        .start()
        .unwrap();
    let err = stream(&spark, 1)
        .write_stream()
        .format("memory")
        .query_name("dup")
        .start()
        .unwrap_err();
    assert!(err.to_string().contains("already active"), "{err}");
    a.stop().unwrap();
}

#[test]
fn sql_sees_memory_tables_static_tables_and_views() {
    let spark = session(ExecMode::Jit);
    let static_df = spark.read().json(activity_data()).unwrap();
    static_df.create_or_replace_temp_view("history").unwrap();
    let q = stream(&spark, 8)
        .group_by(["gt"])
        .count()
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("live_counts")
        .output_mode("complete")
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    let joined = spark
        .sql(
            "SELECT l.gt, l.count, h.n FROM live_counts l JOIN (SELECT gt, count(*) AS n FROM history GROUP BY gt) h \
             ON l.gt = h.gt ORDER BY l.gt",
        )
        .unwrap()
        .collect_rows()
        .unwrap();
    assert_eq!(joined.len(), 6, "the null class drops out of an equi-join");
    for r in &joined {
        assert_eq!(r.get(1), r.get(2), "{r}");
    }
    let err = spark.sql("SELECT * FROM no_such_table").unwrap_err();
    assert_eq!(err.class(), "TABLE_OR_VIEW_NOT_FOUND");
    let err = spark.sql("SELECT nope FROM history").unwrap_err();
    assert_eq!(err.class(), "UNRESOLVED_COLUMN");
    q.stop().unwrap();
}

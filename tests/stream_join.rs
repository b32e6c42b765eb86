//! Stream–stream joins: impressions joined with the clicks that follow them
//! within five minutes, inner and left outer, compiled and interpreted. The
//! outer join's unmatched impressions come out once the watermark passes
//! them, and the buffered state shrinks back as it does.

mod common;

use std::path::Path;

use common::*;
use sqlc::functions::expr;
use sqlc::{DataFrame, Session, Trigger};

struct Data {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    imps: std::path::PathBuf,
    clicks: std::path::PathBuf,
}

fn data() -> Data {
    let (i, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_batches(
        i.path(),
        &[
            r#"{"ad":1,"imp_time":"2026-01-01T10:00:00Z"}
{"ad":2,"imp_time":"2026-01-01T10:01:00Z"}"#,
            r#"{"ad":3,"imp_time":"2026-01-01T10:20:00Z"}"#,
            r#"{"ad":4,"imp_time":"2026-01-01T10:40:00Z"}"#,
        ],
    );
    write_batches(
        c.path(),
        &[
            r#"{"click_ad":1,"click_time":"2026-01-01T10:02:00Z"}"#,
            r#"{"click_ad":2,"click_time":"2026-01-01T10:30:00Z"}"#,
            r#"{"click_ad":3,"click_time":"2026-01-01T10:41:00Z"}"#,
        ],
    );
    Data {
        imps: i.path().to_path_buf(),
        clicks: c.path().to_path_buf(),
        _dirs: (i, c),
    }
}

fn stream(spark: &Session, dir: &Path, schema: &str, time: &str) -> DataFrame {
    spark
        .read_stream()
        .schema(schema)
        .option("maxFilesPerTrigger", 1)
        .json(dir)
        .unwrap()
        .with_watermark(time, "10 minutes")
        .unwrap()
}

fn joined(spark: &Session, d: &Data, how: &str) -> DataFrame {
    let imps = stream(spark, &d.imps, "ad BIGINT, imp_time TIMESTAMP", "imp_time");
    let clicks = stream(
        spark,
        &d.clicks,
        "click_ad BIGINT, click_time TIMESTAMP",
        "click_time",
    );
    imps.join(
        &clicks,
        expr(
            "click_ad = ad AND click_time >= imp_time AND click_time <= imp_time + INTERVAL 5 MINUTES",
        )
        .unwrap(),
        how,
    )
    .unwrap()
}

fn run(spark: &Session, df: &DataFrame, name: &str) -> (sqlc::StreamingQuery, Vec<String>) {
    let q = df
        .write_stream()
        .query_name(name)
        .format("memory")
        .output_mode("append")
        .trigger(Trigger::AvailableNow)
        .start()
        .unwrap();
    q.await_termination(None).unwrap();
    let rows = spark
        .sql(&format!("SELECT * FROM {name}"))
        .unwrap()
        .collect()
        .unwrap();
    let mut got: Vec<String> = to_json_rows(&rows)
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["ad"], r["imp_time"], r["click_ad"], r["click_time"]
            )
        })
        .collect();
    got.sort();
    (q, got)
}

#[test]
fn inner_join_within_a_time_range() {
    let d = data();
    for mode in MODES {
        let spark = session(mode);
        let (_, got) = run(
            &spark,
            &joined(&spark, &d, "inner"),
            &format!("inner_{}", mode.name()),
        );
        assert_eq!(
            got,
            [r#"1 "2026-01-01 10:00:00" 1 "2026-01-01 10:02:00""#],
            "{mode:?}"
        );
    }
}

#[test]
fn left_outer_join_emits_unmatched_rows_once_the_watermark_passes_them() {
    let d = data();
    for mode in MODES {
        let spark = session(mode);
        let (q, got) = run(
            &spark,
            &joined(&spark, &d, "left_outer"),
            &format!("outer_{}", mode.name()),
        );
        assert_eq!(
            got,
            [
                r#"1 "2026-01-01 10:00:00" 1 "2026-01-01 10:02:00""#,
                r#"2 "2026-01-01 10:01:00" null null"#,
                r#"3 "2026-01-01 10:20:00" null null"#,
            ],
            "{mode:?}"
        );
        // When each row came out: the match at once; ad 2 when the
        // watermark (10:10) passed 10:01 + 5 minutes, in batch 2; ad 3 in
        // the closing batch (watermark 10:30). ad 4 is still waiting.
        let progress = q.recent_progress();
        let out: Vec<u64> = progress.iter().map(|p| p.num_output_rows).collect();
        assert_eq!(out, [1, 0, 1, 1], "{mode:?}");
        // The state grew and shrank back as the watermark passed.
        let state: Vec<u64> = progress
            .iter()
            .map(|p| p.state_operators[0].num_rows_total)
            .collect();
        // Spark 4.3 on the same files (tests/spark/stream_join.py): output
        // rows per batch [1, 0, 1, 1], state rows [3, 5, 4, 3].
        assert_eq!(state, [3, 5, 4, 3], "{mode:?}");
        assert!(
            progress
                .iter()
                .any(|p| p.state_operators[0].num_rows_removed > 0),
            "{mode:?}"
        );
    }
}

#[test]
fn an_outer_join_without_a_time_bound_is_refused_with_sparks_reason() {
    let d = data();
    let spark = session(sqlc::ExecMode::Jit);
    let imps = stream(&spark, &d.imps, "ad BIGINT, imp_time TIMESTAMP", "imp_time");
    let clicks = stream(
        &spark,
        &d.clicks,
        "click_ad BIGINT, click_time TIMESTAMP",
        "click_time",
    );
    let df = imps
        .join(&clicks, expr("click_ad = ad").unwrap(), "left_outer")
        .unwrap();
    let err = df
        .write_stream()
        .query_name("refused_outer")
        .format("memory")
        .output_mode("append")
        .start()
        .expect_err("refused");
    assert!(
        err.to_string().contains("appropriate range condition"),
        "{err}"
    );
    // And stream–stream joins run in append mode only.
    let err = joined(&spark, &d, "inner")
        .write_stream()
        .query_name("refused_update")
        .format("memory")
        .output_mode("update")
        .start()
        .expect_err("refused");
    assert!(err.to_string().contains("Append output mode"), "{err}");
}

/// Stream–static joins of each kind Spark allows, against Spark's answers:
/// a sample of the activity stream joined on `["gt", "Model"]` with counts
/// of a static table that lacks one model (so some rows find no match, and
/// rows whose gt is null never do).
#[test]
fn stream_static_joins_of_each_kind_match_spark() {
    for mode in MODES {
        let spark = session(mode);
        let static_df = spark.read().json(activity_data()).unwrap();
        let hist = static_df
            .where_("Model != 'nexus4'")
            .unwrap()
            .group_by(["gt", "Model"])
            .count()
            .unwrap()
            .with_column_renamed("count", "n")
            .unwrap();
        let stream = activity_stream(&spark, &activity_data())
            .where_("Index % 50 = 0")
            .unwrap()
            .select(["Index", "gt", "Model", "x"])
            .unwrap();
        for how in ["inner", "left_outer", "left_semi", "left_anti"] {
            let df = stream.join(&hist, ["gt", "Model"], how).unwrap();
            let name = format!("j_{how}_{}", mode.name());
            let q = df
                .write_stream()
                .query_name(&name)
                .format("memory")
                .output_mode("append")
                .trigger(Trigger::AvailableNow)
                .start()
                .unwrap();
            q.await_termination(None).unwrap();
            let out = spark.sql(&format!("SELECT * FROM {name}")).unwrap();
            let expected =
                load_expected(&root().join(format!("tests/data/expected/join_static_{how}.jsonl")));
            assert_matches(
                &format!("{how} ({})", mode.name()),
                &out.collect().unwrap(),
                &out.columns(),
                &expected,
                false,
            );
        }
    }
}

/// Two watermarked inputs: the query's watermark is the slower one's (the
/// minimum), or with `spark.sql.streaming.multipleWatermarkPolicy = max`
/// the faster one's.
#[test]
fn multiple_watermarks_combine_by_the_policy() {
    let d = data();
    for (policy, want) in [
        ("min", "2026-01-01T09:32:00.000Z"),
        ("max", "2026-01-01T09:51:00.000Z"),
    ] {
        let spark = session(sqlc::ExecMode::Jit);
        spark
            .conf()
            .set("spark.sql.streaming.multipleWatermarkPolicy", policy);
        let imps = stream(&spark, &d.imps, "ad BIGINT, imp_time TIMESTAMP", "imp_time");
        // Clicks are held back by 30 minutes, impressions by 10.
        let clicks = spark
            .read_stream()
            .schema("click_ad BIGINT, click_time TIMESTAMP")
            .option("maxFilesPerTrigger", 1)
            .json(&d.clicks)
            .unwrap()
            .with_watermark("click_time", "30 minutes")
            .unwrap();
        let df = imps
            .join(&clicks, expr("click_ad = ad").unwrap(), "inner")
            .unwrap();
        let (q, _) = run(&spark, &df, &format!("policy_{policy}"));
        // After the first batch (impressions up to 10:01, clicks 10:02).
        let wm = q.recent_progress()[1].watermark.clone();
        assert_eq!(wm.as_deref(), Some(want), "{policy}");
    }
}

/// Impressions (ads `k` and `100 + k`) and clicks (on even ads, two
/// minutes later) of batch `k`, ten minutes apart per batch.
fn batch_files(d: &Data, k: usize) {
    let at = |m: usize| format!("2026-01-01T{:02}:{:02}:00Z", 10 + m / 60, m % 60);
    std::fs::write(
        d.imps.join(format!("{k:02}.json")),
        format!(
            "{{\"ad\":{k},\"imp_time\":\"{}\"}}\n{{\"ad\":{},\"imp_time\":\"{}\"}}\n",
            at(10 * k),
            100 + k,
            at(10 * k + 1)
        ),
    )
    .unwrap();
    let click = if k.is_multiple_of(2) {
        format!(
            "{{\"click_ad\":{k},\"click_time\":\"{}\"}}\n",
            at(10 * k + 2)
        )
    } else {
        String::new()
    };
    std::fs::write(d.clicks.join(format!("{k:02}.json")), click).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
}

/// The rows of the JSON a file sink wrote under `out`, sorted.
fn sink_rows(spark: &Session, out: &Path) -> Vec<String> {
    let mut rows: Vec<String> = to_json_rows(&spark.read().json(out).unwrap().collect().unwrap())
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["ad"], r["imp_time"], r["click_ad"], r["click_time"]
            )
        })
        .collect();
    rows.sort();
    rows
}

/// The join's state is checkpointed as deltas of what each batch added,
/// matched and evicted, with a snapshot every `minDeltasForSnapshot`: a
/// query restarted after every batch (restoring a snapshot and the deltas
/// after it each time) writes what one run writes.
#[test]
fn join_state_restored_from_snapshots_and_deltas_agrees_with_one_run() {
    for mode in MODES {
        let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let d = Data {
            imps: dirs.0.path().to_path_buf(),
            clicks: dirs.1.path().to_path_buf(),
            _dirs: dirs,
        };
        let tmp = tempfile::tempdir().unwrap();
        let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
        let start = |spark: &Session, out: &Path, ck: &Path| {
            joined(spark, &d, "left_outer")
                .write_stream()
                .format("json")
                .option("path", out.display())
                .option("checkpointLocation", ck.display())
                .trigger(Trigger::AvailableNow)
                .start()
                .unwrap()
                .await_termination(None)
                .unwrap();
        };
        for k in 0..9 {
            batch_files(&d, k);
            let spark = session(mode);
            let conf = spark.conf();
            conf.set("spark.sql.streaming.stateStore.minDeltasForSnapshot", 2);
            conf.set("spark.sql.streaming.minBatchesToRetain", 3);
            start(&spark, &out, &ck);
        }
        let spark = session(mode);
        let once = tmp.path().join("once");
        start(&spark, &once, &tmp.path().join("ck1"));
        let got = sink_rows(&spark, &out);
        assert_eq!(got, sink_rows(&spark, &once), "{mode:?}");
        // Matches and unmatched impressions both came out.
        assert!(got.iter().any(|r| r.ends_with("null null")), "{got:?}");
        assert!(got.iter().any(|r| !r.ends_with("null null")), "{got:?}");
        let state: Vec<String> = walk(&ck.join("state"));
        assert!(state.iter().any(|f| f.ends_with(".delta")), "{state:?}");
        assert!(state.iter().any(|f| f.ends_with(".snapshot")), "{state:?}");
    }
}

/// The names of the files under `dir`, recursively.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

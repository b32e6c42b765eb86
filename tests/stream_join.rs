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

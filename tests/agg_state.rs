//! The statistical and collecting aggregates (collect_list, sketches,
//! percentiles, max_by, …) as streaming state: in a windowed aggregation
//! under a watermark (append mode, groups evicted once emitted) and across
//! restarts from a checkpoint, compiled and interpreted; and their
//! `sqlc::functions` wrappers, checked against Spark's answers.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Map, Value};
use sqlc::functions::{
    approx_count_distinct, approx_count_distinct_rsd, bit_or, col, collect_list, corr, covar_samp,
    max_by, median, min_by, mode, percentile, percentile_approx, window,
};
use sqlc::{DataFrame, Session, Trigger};

const SCHEMA: &str = "id BIGINT, user STRING, v DOUBLE";
const ROWS_PER_FILE: i64 = 50;
const WINDOW_S: i64 = 15;
const DELAY_S: i64 = 5;

/// Input files `from..to`: ids in order, one per second of event time.
fn write_files(dir: &Path, from: i64, to: i64) {
    std::fs::create_dir_all(dir).unwrap();
    for f in from..to {
        let mut text = String::new();
        for id in f * ROWS_PER_FILE..(f + 1) * ROWS_PER_FILE {
            text.push_str(&format!(
                "{{\"id\":{id},\"user\":{},\"v\":{}}}\n",
                user(id).map_or("null".into(), |u| format!("\"{u}\"")),
                id as f64 * 0.5
            ));
        }
        std::fs::write(dir.join(format!("f{f:04}.json")), text).unwrap();
    }
}

fn user(id: i64) -> Option<String> {
    (id % 11 != 0).then(|| format!("u{}", id % 7))
}

/// Windows of 15 s over the event time `id` seconds, under a 5 s watermark.
fn windowed(spark: &Session, input: &Path) -> DataFrame {
    spark
        .read_stream()
        .schema(SCHEMA)
        .option("maxFilesPerTrigger", 1)
        .json(input)
        .unwrap()
        .select_expr(["*", "CAST(id AS TIMESTAMP) AS t"])
        .unwrap()
        .with_watermark("t", &format!("{DELAY_S} seconds"))
        .unwrap()
        .group_by([window(col("t"), &format!("{WINDOW_S} seconds"))])
        .agg([
            collect_list(col("id")).alias("ids"),
            approx_count_distinct_rsd(col("id"), 0.01).alias("n"),
            percentile_approx(col("v"), 0.5, 10_000).alias("pv"),
            max_by(col("user"), col("id")).alias("last_user"),
        ])
        .unwrap()
        .select_expr([
            "CAST(window.start AS BIGINT) AS w",
            "ids",
            "n",
            "pv",
            "last_user",
        ])
        .unwrap()
}

/// Runs `df` in append mode, available now, into the memory table `name`.
fn run_append(df: &DataFrame, name: &str, ck: &Path) -> sqlc::StreamingQuery {
    run_available_now(df, name, "append", ck).unwrap()
}

fn rows(spark: &Session, name: &str) -> Vec<Map<String, Value>> {
    let df = spark.sql(&format!("SELECT * FROM {name}")).unwrap();
    let mut r = to_json_rows(&df.collect().unwrap());
    r.sort_by_key(|m| m["w"].as_i64());
    r
}

/// Spark's answer for the windows the final watermark has closed, from the
/// definitions: the ids in order, their count (HyperLogLog++ is exact this
/// small), the 8th smallest v (percentile_approx's rank ceil(0.5 * 15)),
/// and the user of the largest id.
fn closed_windows(max_id: i64) -> Vec<Map<String, Value>> {
    let watermark = max_id - DELAY_S;
    (0..)
        .map(|k| k * WINDOW_S)
        .take_while(|w| w + WINDOW_S <= watermark)
        .map(|w| {
            let ids: Vec<i64> = (w..w + WINDOW_S).collect();
            let last = w + WINDOW_S - 1;
            let r = json!({
                "w": w,
                "ids": ids,
                "n": WINDOW_S,
                "pv": (w + 7) as f64 * 0.5,
                "last_user": user(last),
            });
            r.as_object().unwrap().clone()
        })
        .collect()
}

#[test]
fn windows_of_lists_and_sketches_are_emitted_once_evicted_and_survive_a_restart() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let (input, ck) = (tmp.path().join("in"), tmp.path().join("ck"));
        write_files(&input, 0, 3);
        let spark = session(mode);
        let q1 = run_append(&windowed(&spark, &input), "w", &ck);
        let first = rows(&spark, "w");
        assert_eq!(first, closed_windows(3 * ROWS_PER_FILE - 1), "{mode:?}");
        // Emitted windows are evicted: the state holds the open ones only.
        let state = &q1.last_progress().unwrap().state_operators[0];
        assert!(state.num_rows_total <= 2, "{mode:?}: {state:?}");
        // The window [135, 150) is open across the restart: its list and
        // sketches come back from the checkpoint.
        write_files(&input, 3, 6);
        let spark = session(mode);
        run_append(&windowed(&spark, &input), "w", &ck);
        let mut all = first;
        all.extend(rows(&spark, "w"));
        assert_eq!(all, closed_windows(6 * ROWS_PER_FILE - 1), "{mode:?}");
    }
}

/// Copies the activity data's files `from..to` (name order) into `dir`.
fn copy_activity(dir: &Path, from: usize, to: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for f in &activity_files()[from..to] {
        std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
    }
}

/// The golden streaming query `NAME.sql` over the files in `input`, into
/// the memory table `golden`, with checkpoint `ck`.
fn run_golden(spark: &Session, name: &str, input: &Path, ck: &Path, mode: &str) {
    let sql = std::fs::read_to_string(root().join(format!("tests/golden/{name}.sql"))).unwrap();
    let schema = spark.read().json(activity_data()).unwrap().schema();
    spark
        .read_stream()
        .schema(schema)
        .option("maxFilesPerTrigger", 1)
        .json(input)
        .unwrap()
        .create_or_replace_temp_view("activity")
        .unwrap();
    let q = spark
        .sql(&sql)
        .unwrap()
        .write_stream()
        .query_name("golden")
        .format("memory")
        .output_mode(mode)
        .option("checkpointLocation", ck.display())
        .trigger(Trigger::AvailableNow)
        .start()
        .unwrap();
    q.await_termination(None).unwrap();
}

#[test]
fn collect_list_sketches_and_percentiles_restart_from_a_checkpoint_with_sparks_answer() {
    for name in ["stream_agg_sketches", "stream_agg_sketches_complete"] {
        let expected = load_expected(&root().join(format!("tests/golden/{name}.expected.jsonl")));
        for mode in MODES {
            for output_mode in ["complete", "update"] {
                let tmp = tempfile::tempdir().unwrap();
                let (input, ck) = (tmp.path().join("in"), tmp.path().join("ck"));
                copy_activity(&input, 0, 4);
                run_golden(&session(mode), name, &input, &ck, output_mode);
                copy_activity(&input, 4, 8);
                let spark = session(mode);
                run_golden(&spark, name, &input, &ck, output_mode);
                let out = spark.sql("SELECT * FROM golden").unwrap();
                let mut got = to_json_rows(&out.collect().unwrap());
                if output_mode == "update" {
                    // The last update of each group is its final answer
                    // (every group changes in every batch of this data).
                    let key = out.columns()[0].clone();
                    let mut last: Vec<Map<String, Value>> = Vec::new();
                    for r in got.into_iter().rev() {
                        if !last.iter().any(|l| l[&key] == r[&key]) {
                            last.push(r);
                        }
                    }
                    got = last;
                }
                assert_rows_match(
                    &format!("{name} ({}, {output_mode}, restarted)", mode.name()),
                    got,
                    &expected,
                    false,
                );
            }
        }
    }
}

#[test]
fn the_rust_api_builds_the_aggregates_spark_answers() {
    let expected = load_expected(&root().join("tests/golden/agg_stats_values.expected.jsonl"));
    for m in MODES {
        let spark = session(m);
        let t = spark
            .sql("SELECT * FROM VALUES (1, 3), (2, 1), (3, 7), (10, 2), (NULL, 4), (5, NULL) AS t(x, y)")
            .unwrap();
        let out = t
            .agg([
                median(col("x")).alias("md"),
                percentile(col("x"), vec![0.1, 0.9]).alias("p"),
                percentile_approx(col("x"), vec![0.1, 0.9], 100).alias("pa"),
                collect_list(col("x")).alias("cl"),
                approx_count_distinct(col("x")).alias("acd"),
                mode(col("x")).alias("mo"),
                bit_or(col("x")).alias("bo"),
                max_by(col("x"), col("y")).alias("mb"),
                min_by(col("x"), col("y")).alias("nb"),
                corr(col("x"), col("y")).alias("co"),
                covar_samp(col("x"), col("y")).alias("cs"),
            ])
            .unwrap();
        assert_matches(
            &format!("sqlc::functions ({})", m.name()),
            &out.collect().unwrap(),
            &out.columns(),
            &expected,
            false,
        );
    }
}

#[test]
fn collect_list_distinct_is_refused_on_streams_as_spark_and_approx_count_distinct_is_not() {
    let spark = session(sqlc::ExecMode::Jit);
    let start = |agg: &str| {
        activity_stream(&spark, &activity_data())
            .group_by(["gt"])
            .agg([sqlc::functions::expr(agg).unwrap()])
            .unwrap()
            .write_stream()
            .format("memory")
            .query_name("distinct_stream")
            .output_mode("complete")
            .start()
    };
    let err = start("collect_list(DISTINCT User)").unwrap_err();
    assert!(
        err.to_string()
            .contains("Distinct aggregations are not supported on streaming DataFrames/Datasets"),
        "{err}"
    );
    let q = start("approx_count_distinct(User)").unwrap();
    q.process_all_available().unwrap();
    q.stop().unwrap();
}

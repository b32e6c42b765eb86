//! The functions that depend on the partition a row is in
//! (`rand`/`randn` seeded per partition, `monotonically_increasing_id`,
//! `spark_partition_id`, `input_file_*`) over file reads, where a golden
//! case cannot hold the answer (it names an absolute path) or where one
//! file must be read as Spark reads it: one partition, Spark's numbers.

mod common;

use common::*;
use serde_json::{json, Value};
use sqlc::functions::{self as f, col};

/// PySpark 4.3 (`local[2]`) over the first activity file alone, one
/// partition: `SELECT Index, rand(42), randn(7),
/// monotonically_increasing_id(), spark_partition_id() FROM one` at
/// these rows (the file's first rows and its last, which sqlc decodes in
/// another block than the first: the generator carries over).
const SPARK_ONE_FILE: &[(i64, f64, f64)] = &[
    (0, 0.619189370225301, -1.773755556110447),
    (1, 0.5096018842446481, -0.32537852999017897),
    (2, 0.8325259388871524, 1.1637571325924414),
];

#[test]
fn one_file_is_one_partition_with_sparks_numbers() {
    let file = activity_files()[0].clone();
    let uri = format!("file://{}", std::path::absolute(&file).unwrap().display());
    let length = std::fs::metadata(&file).unwrap().len() as i64;
    for mode in MODES {
        let spark = session(mode);
        spark
            .read()
            .json(&file)
            .unwrap()
            .create_or_replace_temp_view("one")
            .unwrap();
        let df = spark
            .sql(
                "SELECT Index, rand(42) AS r, randn(7) AS n, monotonically_increasing_id() AS id, \
                 spark_partition_id() AS p, input_file_name() AS f, input_file_block_start() AS bs, \
                 input_file_block_length() AS bl FROM one",
            )
            .unwrap();
        let rows = to_json_rows(&df.collect().unwrap());
        assert_eq!(rows.len(), 2500);
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r["Index"], json!(i), "{mode:?}: rows in file order");
            assert_eq!(r["id"], json!(i), "{mode:?}");
            assert_eq!(r["p"], json!(0), "{mode:?}");
            assert_eq!(r["f"], json!(uri), "{mode:?}");
            assert_eq!((&r["bs"], &r["bl"]), (&json!(0), &json!(length)));
        }
        for &(index, rand, randn) in SPARK_ONE_FILE.iter().chain(SPARK_ONE_FILE_LATER) {
            let r = &rows[index as usize];
            assert_eq!(
                (r["r"].as_f64(), r["n"].as_f64()),
                (Some(rand), Some(randn)),
                "{mode:?}: row {index}"
            );
        }
    }
}

/// The same query's rows further into the file (PySpark 4.3).
const SPARK_ONE_FILE_LATER: &[(i64, f64, f64)] = &[
    (1500, 0.5121531649029863, 0.4405643278283905),
    (2498, 0.3173093572646821, -1.4075608965589732),
    (2499, 0.9421515889598142, -0.45557640618432865),
];

/// A session with the activity files as the table `activity`.
fn activity_session(mode: sqlc::ExecMode) -> sqlc::Session {
    with_activity(session(mode))
}

/// Where PySpark 4.3 (local[2]) reads each of the 8 test files: its
/// partition, and the row number within the partition of its first line.
/// The files are about the same size; packed longest first, files 7, 5, 4
/// and 6 make partition 0, files 2, 3, 1 and 0 partition 1.
const SPARK_PARTITIONS: [(i64, i64); 8] = [
    (1, 7500),
    (1, 5000),
    (1, 0),
    (1, 2500),
    (0, 5000),
    (0, 2500),
    (0, 7500),
    (0, 0),
];

#[test]
fn many_files_ids_unique_and_partition_in_upper_bits() {
    let files = activity_files();
    for mode in MODES {
        let spark = activity_session(mode);
        let df = spark
            .sql("SELECT * FROM activity")
            .unwrap()
            .select([
                col("Index"),
                f::monotonically_increasing_id().alias("id"),
                f::spark_partition_id().alias("p"),
                f::input_file_name().alias("f"),
                f::rand(3).alias("r"),
            ])
            .unwrap();
        let rows = to_json_rows(&df.collect().unwrap());
        assert_eq!(rows.len(), 20000);
        let mut ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        for r in &rows {
            let (id, p) = (r["id"].as_i64().unwrap(), r["p"].as_i64().unwrap());
            assert_eq!(id >> 33, p, "{mode:?}");
            // Spark packs the files into partitions, longest first.
            let file = (r["Index"].as_i64().unwrap() / 2500) as usize;
            let (partition, first) = SPARK_PARTITIONS[file];
            assert_eq!(p, partition, "{mode:?}: file {file}");
            let name = files[file].file_name().unwrap().to_string_lossy();
            let f = r["f"].as_str().unwrap();
            assert!(f.starts_with("file:///") && f.ends_with(&*name), "{f}");
            // Within a partition, ids count the lines of its files in turn.
            assert_eq!(
                id & ((1 << 33) - 1),
                first + r["Index"].as_i64().unwrap() % 2500
            );
            let rand = r["r"].as_f64().unwrap();
            assert!((0.0..1.0).contains(&rand));
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 20000, "{mode:?}: ids are unique");
    }
}

#[test]
fn rust_api_matches_sql_and_aggregates_see_each_row_once() {
    for mode in MODES {
        let spark = session(mode);
        let df = spark
            .sql("SELECT a FROM VALUES (1), (2), (3), (4), (5) AS t(a)")
            .unwrap()
            .select([
                col("a"),
                f::rand(42).alias("r"),
                f::randn(42).alias("n"),
                f::monotonically_increasing_id().alias("id"),
            ])
            .unwrap();
        let sql = spark
            .sql(
                "SELECT a, rand(42) AS r, randn(42) AS n, monotonically_increasing_id() AS id \
                 FROM VALUES (1), (2), (3), (4), (5) AS t(a)",
            )
            .unwrap();
        let (a, b) = (
            to_json_rows(&df.collect().unwrap()),
            to_json_rows(&sql.collect().unwrap()),
        );
        assert_eq!(a, b, "{mode:?}");
        assert_eq!(a[0]["r"], json!(0.619189370225301));
        // An aggregate over a partition function: each row drawn once,
        // the files still known.
        spark
            .read()
            .json(activity_data())
            .unwrap()
            .create_or_replace_temp_view("activity_all")
            .unwrap();
        let agg = spark
            .sql(
                "SELECT count(*) AS n, count(DISTINCT id) AS ids, count(DISTINCT f) AS files FROM \
                 (SELECT monotonically_increasing_id() AS id, input_file_name() AS f FROM activity_all \
                  WHERE Index % 3 = 0)",
            )
            .unwrap();
        let row = &to_json_rows(&agg.collect().unwrap())[0];
        assert_eq!(
            (&row["n"], &row["ids"], &row["files"]),
            (&Value::from(6667), &Value::from(6667), &Value::from(8)),
            "{mode:?}"
        );
    }
}

#[test]
fn row_ids_are_refused_on_a_stream_as_in_spark() {
    let spark = session(sqlc::ExecMode::Jit);
    let schema = spark.read().json(activity_data()).unwrap().schema();
    spark
        .read_stream()
        .schema(schema)
        .json(activity_data())
        .unwrap()
        .create_or_replace_temp_view("s")
        .unwrap();
    let df = spark
        .sql("SELECT Index, monotonically_increasing_id() AS id FROM s")
        .unwrap();
    let err = df
        .write_stream()
        .format("memory")
        .query_name("ids")
        .start()
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.class(), "UNSUPPORTED_STREAMING_OPERATION", "{err}");
    assert!(err.to_string().contains("monotonically_increasing_id()"));
}

#[test]
fn grouping_by_a_partition_function_groups_by_file() {
    for mode in MODES {
        let spark = activity_session(mode);
        let df = spark
            .sql(
                "SELECT input_file_name() AS f, spark_partition_id() AS p, count(*) AS n, max(Index) AS m \
                 FROM activity GROUP BY input_file_name(), spark_partition_id()",
            )
            .unwrap();
        let mut rows = to_json_rows(&df.collect().unwrap());
        rows.sort_by_key(|r| r["m"].as_i64());
        assert_eq!(rows.len(), 8, "{mode:?}: {rows:?}");
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r["p"], json!(SPARK_PARTITIONS[i].0), "{mode:?}");
            assert_eq!(r["n"], json!(2500), "{mode:?}");
            assert_eq!(r["m"], json!(2500 * i + 2499), "{mode:?}");
            assert!(r["f"]
                .as_str()
                .unwrap()
                .ends_with(&format!("part-0000{i}-activity.json")));
        }
    }
}

#[test]
fn a_large_file_is_read_in_splits_as_spark_reads_it() {
    // 9 MB in one file, under `local[2]`: Spark's split size is then
    // (9 MB + the 4 MiB open cost) / 2, so the file is read as two splits,
    // each a partition, each line by the split it starts in.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut starts = Vec::new();
    for i in 0..150_000u64 {
        starts.push(text.len() as u64);
        let pad = "x".repeat((i * 7 % 61) as usize);
        text.push_str(&format!("{{\"i\":{i},\"s\":\"{pad}\"}}\n"));
    }
    let len = text.len() as u64;
    std::fs::write(dir.path().join("big.json"), &text).unwrap();
    let split = (len + (4 << 20)) / 2;
    for mode in MODES {
        let spark = session(mode);
        spark
            .read()
            .schema("i bigint, s string")
            .json(dir.path())
            .unwrap()
            .create_or_replace_temp_view("big")
            .unwrap();
        let df = spark
            .sql(
                "SELECT p, bs, bl, count(*) AS n, count(DISTINCT i) AS d, min(id) AS first \
                 FROM (SELECT i, spark_partition_id() AS p, input_file_block_start() AS bs, \
                       input_file_block_length() AS bl, monotonically_increasing_id() AS id FROM big) \
                 GROUP BY p, bs, bl ORDER BY p",
            )
            .unwrap();
        let rows = to_json_rows(&df.collect().unwrap());
        // Lines starting in (0, split] (and at 0) are the first split's.
        let first = starts.iter().filter(|&&s| s <= split).count() as u64;
        let want = [
            (0, 0, split, first, 0i64),
            (1, split, len - split, 150_000 - first, 1 << 33),
        ];
        assert_eq!(rows.len(), 2, "{mode:?}: {rows:?}");
        for (r, (p, bs, bl, n, id)) in rows.iter().zip(want) {
            assert_eq!(r["p"], json!(p), "{mode:?}");
            assert_eq!(r["bs"], json!(bs), "{mode:?}");
            assert_eq!(r["bl"], json!(bl), "{mode:?}");
            assert_eq!(r["n"], json!(n), "{mode:?}");
            assert_eq!(r["d"], json!(n), "{mode:?}: each line once");
            assert_eq!(r["first"], json!(id), "{mode:?}");
        }
    }
}

#[test]
fn the_packing_follows_sparks_settings() {
    // With a parallelism of 8, the 8 test files' split size is the open
    // cost (4 MiB), and each file fills a partition of its own.
    let spark = session(sqlc::ExecMode::Jit);
    spark.conf().set("spark.sql.files.minPartitionNum", 8);
    let spark = with_activity(spark);
    let df = spark
        .sql("SELECT count(DISTINCT p) AS n FROM (SELECT spark_partition_id() AS p FROM activity)")
        .unwrap();
    assert_eq!(to_json_rows(&df.collect().unwrap())[0]["n"], json!(8));
    // A bad size is refused as the setting is made.
    let err = sqlc::check_conf("spark.sql.files.maxPartitionBytes", "lots").unwrap_err();
    assert!(err.to_string().contains("maxPartitionBytes"), "{err}");
}

/// A stream's micro-batch packs its files into partitions as a batch read
/// does. PySpark 4.3 (`local[2]`, the 8 files, availableNow): with all
/// files in one micro-batch, each file's partition is the batch read's;
/// with `maxFilesPerTrigger` 3, the files of each micro-batch are packed
/// on their own (files 0, 3 and 6 come first in their batch's partition
/// 1; the others share partition 0).
#[test]
fn a_streams_micro_batches_are_packed_as_spark_packs_them() {
    let spark_files_of_3: [i64; 8] = [1, 0, 0, 1, 0, 0, 1, 0];
    let all_at_once: Vec<i64> = SPARK_PARTITIONS.iter().map(|p| p.0).collect();
    for mode in MODES {
        for (per_trigger, want) in [
            (None, all_at_once.clone()),
            (Some(3), spark_files_of_3.to_vec()),
        ] {
            let spark = session(mode);
            let schema = spark.read().json(activity_data()).unwrap().schema();
            let mut reader = spark.read_stream().schema(schema);
            if let Some(n) = per_trigger {
                reader = reader.option("maxFilesPerTrigger", n);
            }
            let df = reader
                .json(activity_data())
                .unwrap()
                .select([
                    col("Index"),
                    f::spark_partition_id().alias("p"),
                    f::input_file_name().alias("f"),
                ])
                .unwrap();
            let name = format!("packed_{}", per_trigger.unwrap_or(0));
            let (q, _) = drain(&spark, &df, &name, "append");
            q.stop().unwrap();
            let by_file = spark
                .sql(&format!(
                    "SELECT Index div 2500 AS file, min(p) AS lo, max(p) AS hi, count(DISTINCT f) AS files \
                     FROM {name} GROUP BY 1 ORDER BY 1"
                ))
                .unwrap();
            let rows = to_json_rows(&by_file.collect().unwrap());
            let got: Vec<i64> = rows.iter().map(|r| r["lo"].as_i64().unwrap()).collect();
            assert_eq!(got, want, "{mode:?}, maxFilesPerTrigger {per_trigger:?}");
            for r in &rows {
                assert_eq!((&r["lo"], &r["files"]), (&r["hi"], &json!(1)), "{mode:?}");
            }
        }
    }
}

/// On a stream, `rand(seed)` draws from a fresh seed in every micro-batch,
/// as Spark's `IncrementalExecution` reseeds it (SPARK-25010; PySpark 4.3
/// gives other values than the batch read's): two micro-batches of the
/// same lines draw differently, and neither as the batch read does.
#[test]
fn rand_on_a_stream_draws_afresh_in_every_micro_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let first = activity_files()[0].clone();
    for name in ["a.json", "b.json"] {
        std::fs::copy(&first, tmp.path().join(name)).unwrap();
    }
    for mode in MODES {
        let spark = session(mode);
        let schema = spark.read().json(&first).unwrap().schema();
        let df = spark
            .read_stream()
            .schema(schema)
            .option("maxFilesPerTrigger", 1)
            .json(tmp.path())
            .unwrap()
            .select([
                col("Index"),
                f::rand(42).alias("r"),
                f::input_file_name().alias("f"),
            ])
            .unwrap();
        let (q, _) = drain(&spark, &df, "reseeded", "append");
        q.stop().unwrap();
        let rows = to_json_rows(
            &spark
                .sql("SELECT f, r FROM reseeded WHERE Index = 0 ORDER BY f")
                .unwrap()
                .collect()
                .unwrap(),
        );
        assert_eq!(rows.len(), 2, "{mode:?}");
        let (a, b) = (
            rows[0]["r"].as_f64().unwrap(),
            rows[1]["r"].as_f64().unwrap(),
        );
        assert_ne!(a, b, "{mode:?}: each micro-batch draws afresh");
        for r in [a, b] {
            assert!((0.0..1.0).contains(&r));
            assert_ne!(
                r, SPARK_ONE_FILE[0].1,
                "{mode:?}: not the batch read's seed"
            );
        }
    }
}

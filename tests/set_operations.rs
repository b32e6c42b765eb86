//! Set operations and generators through the DataFrame API (`union`,
//! `union_by_name`, `intersect[_all]`, `subtract`, `except_all`,
//! `select(explode(..))`), in both exec modes: the same plans SQL builds
//! (whose answers the golden cases check against Spark), and Spark's
//! refusals. Streams: a union of two streams runs; a union of a stream with
//! a table is refused at start, as Spark refuses it.

mod common;

use common::*;
use serde_json::{json, Map, Value};
use sqlc::functions::{col, explode, posexplode, size, split};
use sqlc::{DataFrame, Session};

fn rows(df: &DataFrame) -> Vec<Map<String, Value>> {
    let mut r = to_json_rows(&df.collect().unwrap());
    r.sort_by_key(|m| serde_json::to_string(m).unwrap());
    r
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn values(spark: &Session, sql: &str) -> DataFrame {
    spark.sql(sql).unwrap()
}

#[test]
fn union_keeps_duplicates_and_takes_the_first_inputs_names() {
    for mode in MODES {
        let spark = session(mode);
        let a = values(&spark, "SELECT * FROM VALUES (1, 'x'), (2, 'y') AS t(n, s)");
        let b = values(
            &spark,
            "SELECT * FROM VALUES (2, 'y'), (3000000000, NULL) AS t(m, u)",
        );
        let u = a.union(&b).unwrap();
        assert_eq!(u.columns(), ["n", "s"]);
        // int with bigint widens to bigint.
        assert_eq!(u.schema().fields[0].data_type.spark_name(), "bigint");
        assert_eq!(
            rows(&u),
            [
                obj(json!({"n": 1, "s": "x"})),
                obj(json!({"n": 2, "s": "y"})),
                obj(json!({"n": 2, "s": "y"})),
                obj(json!({"n": 3000000000u64, "s": null})),
            ]
        );
        assert_eq!(u.distinct().unwrap().count().unwrap(), 3);
    }
}

#[test]
fn union_by_name_matches_columns_by_name() {
    for mode in MODES {
        let spark = session(mode);
        let a = values(&spark, "SELECT * FROM VALUES (1, 'x') AS t(n, s)");
        let b = values(
            &spark,
            "SELECT * FROM VALUES ('y', 2, true) AS t(S, n, flag)",
        );
        let err = a.union_by_name(&b, false).unwrap_err();
        assert_eq!(err.class(), "NUM_COLUMNS_MISMATCH", "{err}");
        let u = a.union_by_name(&b, true).unwrap();
        assert_eq!(u.columns(), ["n", "s", "flag"]);
        assert_eq!(
            rows(&u),
            [
                obj(json!({"n": 1, "s": "x", "flag": null})),
                obj(json!({"n": 2, "s": "y", "flag": true})),
            ]
        );
    }
}

#[test]
fn intersect_and_except_count_rows_as_spark_does() {
    for mode in MODES {
        let spark = session(mode);
        let a = values(
            &spark,
            "SELECT * FROM VALUES (1), (1), (1), (2), (NULL), (NULL) AS t(a)",
        );
        let b = values(&spark, "SELECT * FROM VALUES (1), (1), (3), (NULL) AS t(a)");
        let col_a = |df: DataFrame| -> Vec<Value> {
            rows(&df).into_iter().map(|r| r["a"].clone()).collect()
        };
        assert_eq!(col_a(a.intersect(&b).unwrap()), [json!(1), json!(null)]);
        assert_eq!(
            col_a(a.intersect_all(&b).unwrap()),
            [json!(1), json!(1), json!(null)]
        );
        assert_eq!(col_a(a.subtract(&b).unwrap()), [json!(2)]);
        assert_eq!(
            col_a(a.except_all(&b).unwrap()),
            [json!(1), json!(2), json!(null)]
        );
        let wide = values(&spark, "SELECT 1 AS a, 2 AS b");
        assert_eq!(
            a.intersect(&wide).unwrap_err().class(),
            "NUM_COLUMNS_MISMATCH"
        );
    }
}

#[test]
fn explode_in_select_gives_a_row_per_element() {
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().json(activity_data()).unwrap();
        let parts = df
            .select([
                col("Device"),
                explode(split(col("Device"), "_")).alias("part"),
            ])
            .unwrap();
        assert_eq!(parts.columns(), ["Device", "part"]);
        // Every device name is `model_n`: two parts each.
        assert_eq!(parts.count().unwrap(), 2 * df.count().unwrap());
        let pos = df.select([posexplode(split(col("Device"), "_"))]).unwrap();
        assert_eq!(pos.columns(), ["pos", "col"]);
        let sizes = df
            .select([size(split(col("Device"), "_")).alias("n")])
            .unwrap()
            .distinct()
            .unwrap();
        assert_eq!(rows(&sizes), [obj(json!({"n": 2}))]);
        // A generator nested in an expression is refused, as in Spark.
        let err = df
            .select([explode(split(col("Device"), "_")).eq("x")])
            .unwrap_err();
        assert_eq!(
            err.class(),
            "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS",
            "{err}"
        );
    }
}

#[test]
fn a_union_of_two_streams_runs_and_a_stream_with_a_table_is_refused() {
    for mode in MODES {
        let spark = session(mode);
        let dir = activity_data();
        let stream = activity_stream(&spark, &dir);
        let left = stream.where_("x > 0").unwrap().select(["gt"]).unwrap();
        let right = stream.where_("y > 0").unwrap().select(["gt"]).unwrap();
        let both = left.union(&right).unwrap();
        assert!(both.is_streaming());
        let counts = both.group_by(["gt"]).count().unwrap();
        let (q, out) = drain(&spark, &counts, "union_counts", "complete");
        q.stop().unwrap();
        let table = spark.read().json(&dir).unwrap();
        let want = table
            .where_("x > 0")
            .unwrap()
            .select(["gt"])
            .unwrap()
            .union(&table.where_("y > 0").unwrap().select(["gt"]).unwrap())
            .unwrap()
            .group_by(["gt"])
            .count()
            .unwrap();
        assert_eq!(rows(&out), rows(&want), "{mode:?}");

        let mixed = left.union(&table.select(["gt"]).unwrap()).unwrap();
        let err = mixed
            .write_stream()
            .format("memory")
            .query_name("mixed_union")
            .start()
            .unwrap_err();
        assert_eq!(err.class(), "UNSUPPORTED_STREAMING_OPERATION", "{err}");
        assert!(
            err.to_string()
                .contains("Union between streaming and batch"),
            "{err}"
        );
    }
}

#[test]
fn array_functions_by_their_pyspark_names() {
    use sqlc::functions::{
        array, array_append, array_except, array_intersect, array_sort, array_union,
        arrays_overlap, element_at, lit,
    };
    for mode in MODES {
        let spark = session(mode);
        let df = values(&spark, "SELECT 1 AS a, 2 AS b, CAST(NULL AS INT) AS c");
        let out = df
            .select([
                array_union(array([col("a"), col("b")]), array([col("b"), col("c")])).alias("u"),
                array_intersect(array([col("a"), col("b")]), array([col("b")])).alias("i"),
                array_except(array([col("a"), col("b")]), array([col("b")])).alias("e"),
                arrays_overlap(array([col("a")]), array([col("c")])).alias("o"),
                array_sort(array_append(array([col("b"), col("a")]), col("c"))).alias("s"),
                element_at(array([col("a"), col("b")]), lit(-1)).alias("last"),
            ])
            .unwrap();
        assert_eq!(
            rows(&out),
            [obj(json!({
                "u": [1, 2, null], "i": [2], "e": [1], "o": null, "s": [1, 2, null], "last": 2
            }))],
            "{mode:?}"
        );
    }
}

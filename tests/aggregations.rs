//! Aggregate functions through the DataFrame API, on static data and on a
//! stream (merged across micro-batches), compiled and interpreted, against
//! Spark's answers (the golden files of the same queries in SQL).

mod common;

use common::*;
use sqlc::functions::{
    avg, count, count_distinct, first, grouping, grouping_id, stddev, stddev_pop, sum, var_pop,
    var_samp, variance,
};
use sqlc::Column;

fn golden(name: &str) -> Expected {
    load_expected(&root().join(format!("tests/golden/{name}.expected.jsonl")))
}

/// `tests/golden/agg_functions.sql` as DataFrame aggregates.
fn agg_functions() -> Vec<Column> {
    vec![
        count("*").alias("n"),
        sum("Index").alias("s"),
        avg("x").alias("ax"),
        stddev("x").alias("sdx"),
        sqlc::functions::stddev_samp("y").alias("sdy"),
        stddev_pop("z").alias("sdpz"),
        sqlc::functions::std("Index").alias("sdi"),
        variance("x").alias("vx"),
        var_samp("Index").alias("vi"),
        var_pop("y").alias("vpy"),
        first("Model", true).is_not_null().alias("has_model"),
    ]
}

#[test]
fn cube_with_grouping_through_the_dataframe_api_matches_spark() {
    let expected = golden("cube_grouping");
    for mode in MODES {
        let spark = session(mode);
        let df = spark
            .read()
            .json(activity_data())
            .unwrap()
            .cube(["gt", "model"])
            .agg([
                grouping("gt").alias("g_gt"),
                grouping("model").alias("g_model"),
                grouping_id(Vec::<Column>::new()).alias("gid"),
                grouping_id(["gt", "model"]).alias("gid2"),
                count("*").alias("n"),
                avg("x").alias("ax"),
                stddev("y").alias("sy"),
            ])
            .unwrap();
        assert_df_matches(&format!("cube grouping ({})", mode.name()), &df, &expected);
    }
}

#[test]
fn grouping_needs_grouping_sets_as_in_spark() {
    let spark = session(sqlc::ExecMode::Jit);
    let df = spark.read().json(activity_data()).unwrap();
    let err = df
        .group_by(["gt"])
        .agg([grouping("gt")])
        .expect_err("grouping() without grouping sets is refused");
    assert!(
        err.to_string().contains("UNSUPPORTED_GROUPING_EXPRESSION"),
        "{err}"
    );
    let err = df
        .cube(["gt", "model"])
        .agg([grouping_id(["model"])])
        .expect_err("grouping_id of other columns is refused");
    assert!(
        err.to_string().contains("GROUPING_ID_COLUMN_MISMATCH"),
        "{err}"
    );
}

#[test]
fn streaming_moments_merge_across_batches_to_sparks_answer() {
    let expected = golden("agg_functions");
    for mode in MODES {
        let spark = session(mode);
        let q = activity_stream(&spark, &activity_data())
            .group_by(["gt"])
            .agg(agg_functions())
            .unwrap();
        let (query, df) = drain(&spark, &q, &format!("moments_{}", mode.name()), "complete");
        assert_df_matches(
            &format!("streaming agg functions ({})", mode.name()),
            &df,
            &expected,
        );
        query.stop().unwrap();
    }
}

#[test]
fn distinct_aggregates_are_refused_on_streams_with_sparks_reason() {
    let spark = session(sqlc::ExecMode::Jit);
    let q = activity_stream(&spark, &activity_data())
        .group_by(["gt"])
        .agg([count_distinct("User")])
        .unwrap();
    let err = q
        .write_stream()
        .format("memory")
        .query_name("distinct_stream")
        .output_mode("complete")
        .start()
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead."
        ),
        "{err}"
    );
}

/// first/last in input order, a null row taken unless ignoring nulls; over
/// one small file, where Spark's order is the file's.
#[test]
fn first_and_last_follow_input_order_as_spark() {
    let expected = load_expected(&root().join("tests/data/expected/first_last_nulls.jsonl"));
    let sql = std::fs::read_to_string(root().join("tests/data/first_last_nulls.sql")).unwrap();
    for mode in MODES {
        let spark = session(mode);
        spark
            .read()
            .json(root().join("tests/data/first_last.json"))
            .unwrap()
            .create_or_replace_temp_view("t")
            .unwrap();
        let df = spark.sql(&sql).unwrap();
        assert_df_matches(&format!("first/last ({})", mode.name()), &df, &expected);
    }
}

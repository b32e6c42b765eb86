//! A file scan, streaming or batch, decodes only the columns its query
//! reads and pre-filters lines by the conjuncts of a filter right above it:
//! example 2 written with its filter on the scan (as its SQL does) gives
//! Spark's rows, compiled and interpreted, and `explain` shows the scan's
//! projection and pushed filters. A batch read is Spark's file relation:
//! listed when declared, read when a query runs.

mod common;

use arrow::array::AsArray;
use arrow::datatypes::Int64Type;
use common::*;
use sqlc::ExecMode;

#[test]
fn example_2_with_its_filter_on_the_scan_matches_spark() {
    let expected = load_expected(&root().join("tests/data/expected/ex2_stairs.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let stairs = activity_stream(&spark, &activity_data())
            .where_("gt LIKE '%stairs%' AND gt IS NOT NULL")
            .unwrap()
            .select(["gt", "model", "arrival_time", "creation_time"])
            .unwrap();
        let plan = stairs.explain().unwrap();
        assert!(
            plan.contains(
                "columns [Arrival_Time, Creation_Time, Model, gt], pre-filter [gt is not null, gt contains \"stairs\"]"
            ),
            "{plan}"
        );
        let (q, df) = drain(&spark, &stairs, "stairs_pushed", "append");
        assert_matches(
            &format!("example 2, filter on the scan ({})", mode.name()),
            &df.collect().unwrap(),
            &df.columns(),
            &expected,
            false,
        );
        q.stop().unwrap();
    }
}

#[test]
fn comparisons_with_literals_are_pushed_for_statistics() {
    let spark = session(ExecMode::Jit);
    let df = activity_stream(&spark, &activity_data())
        .where_("5 < Index AND x <= 1.5 AND gt >= 'sit' AND Index + 1 > 2")
        .unwrap()
        .select(["gt"])
        .unwrap();
    let plan = df.explain().unwrap();
    assert!(
        plan.contains(
            "pre-filter [Index is not null, Index > 5, x is not null, x <= 1.5, gt is not null, gt >= \"sit\"]"
        ),
        "{plan}"
    );
}

#[test]
fn a_batch_read_decodes_only_what_its_query_reads() {
    let expected = load_expected(&root().join("tests/data/expected/ex2_stairs.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let stairs = spark
            .read()
            .json(activity_data())
            .unwrap()
            .where_("gt LIKE '%stairs%' AND gt IS NOT NULL")
            .unwrap()
            .select(["gt", "model", "arrival_time", "creation_time"])
            .unwrap();
        let plan = stairs.explain().unwrap();
        assert!(
            plan.contains(
                "Scan activity_rows_20000_files_8_seed_7 (columns [Arrival_Time, Creation_Time, Model, gt], pre-filter [gt is not null, gt contains \"stairs\"])"
            ),
            "{plan}"
        );
        assert_matches(
            &format!("example 2 as a batch query ({})", mode.name()),
            &stairs.collect().unwrap(),
            &stairs.columns(),
            &expected,
            false,
        );
    }
}

#[test]
fn a_batch_read_lists_its_files_once_and_reads_them_when_a_query_runs() {
    // As Spark's file relation: the listing is kept from the read's
    // declaration, the files' contents are read by each query.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("part-0.json");
    std::fs::write(&file, "{\"a\":1}\n{\"a\":2}\n").unwrap();
    let spark = session(ExecMode::Jit);
    let df = spark.read().schema("a bigint").json(dir.path()).unwrap();
    assert_eq!(df.count().unwrap(), 2);
    std::fs::write(&file, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n").unwrap();
    std::fs::write(dir.path().join("part-1.json"), "{\"a\":4}\n").unwrap();
    assert_eq!(
        df.count().unwrap(),
        3,
        "the file read again, the new one not listed"
    );
    let sum = df.select_expr(["sum(a)"]).unwrap().collect().unwrap();
    let sum = sum[0].column(0).as_primitive::<Int64Type>().value(0);
    assert_eq!(sum, 6);
}

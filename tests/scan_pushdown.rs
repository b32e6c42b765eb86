//! A streaming file scan decodes only the columns its query reads and
//! pre-filters lines by the conjuncts of a filter right above it: example 2
//! written with its filter on the scan (as its SQL does) gives Spark's rows,
//! compiled and interpreted, and `explain` shows the scan's projection and
//! pushed filters.

mod common;

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

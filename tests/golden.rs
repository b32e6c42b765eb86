//! Golden queries: each `tests/golden/NAME.sql` runs over the activity data
//! as the static table `activity`, compiled (JIT) and interpreted, and must
//! give Spark's answer in `tests/golden/NAME.expected.jsonl` (computed by
//! `tests/spark/expected.py`). Adding a case is adding those two files.

mod common;

use common::*;

#[test]
fn golden_queries_match_spark() {
    let dir = root().join("tests").join("golden");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "the golden cases are there");
    let data = activity_data();
    let mut failures = Vec::new();
    for mode in MODES {
        let spark = session(mode);
        spark
            .read()
            .json(&data)
            .unwrap()
            .create_or_replace_temp_view("activity")
            .unwrap();
        for case in &cases {
            let name = case.file_stem().unwrap().to_string_lossy().to_string();
            let sql = std::fs::read_to_string(case).unwrap();
            let expected = load_expected(&dir.join(format!("{name}.expected.jsonl")));
            let what = format!("{name} ({})", mode.name());
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let df = spark.sql(&sql).unwrap_or_else(|e| panic!("{what}: {e}"));
                let batches = df.collect().unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_matches(
                    &what,
                    &batches,
                    &df.columns(),
                    &expected,
                    sql.to_uppercase().contains("ORDER BY"),
                );
            }));
            if let Err(e) = result {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "panic".into());
                failures.push(msg);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

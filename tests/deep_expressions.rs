//! Deep and long expressions from user text — thousands of terms of `+`,
//! `||`, `AND`, `OR` — are planned, explained and run in both modes without
//! overflowing a stack; past sqlc's documented depth they are Spark's
//! `[FAILED_TO_PARSE_TOO_COMPLEX]`, never an abort. The tests run on the
//! test harness's threads (2 MiB stacks), smaller than a CLI's main thread.

mod common;

use common::*;
use sqlc::{ExecMode, Scalar, Session};

fn chain(term: &str, op: &str, n: usize) -> String {
    vec![term; n].join(op)
}

fn table(spark: &Session) {
    spark
        .read()
        .json(activity_data())
        .unwrap()
        .create_or_replace_temp_view("t")
        .unwrap();
}

fn one(spark: &Session, sql: &str) -> Scalar {
    let rows = spark.sql(sql).unwrap().collect_rows().unwrap();
    rows[0].get(0).unwrap().clone()
}

#[test]
fn a_sum_of_3000_terms_plans_explains_and_runs() {
    for mode in MODES {
        let spark = session(mode);
        table(&spark);
        let all = one(&spark, "SELECT count(*) FROM t");
        let sum = chain("Index", " + ", 3000);
        let q = format!("SELECT count(*) FROM t WHERE {sum} >= 0");
        assert_eq!(one(&spark, &q), all, "{mode:?}");
        let explained = spark.sql(&q).unwrap().explain().unwrap();
        assert!(explained.contains("Index"), "{explained}");
    }
}

#[test]
fn a_concatenation_of_2000_strings_runs() {
    for mode in MODES {
        let spark = session(mode);
        let q = format!("SELECT length({})", chain("'ab'", " || ", 2000));
        assert_eq!(one(&spark, &q), Scalar::Int32(4000), "{mode:?}");
    }
}

#[test]
fn chains_of_5000_conditions_run_as_spark_balances_them() {
    for mode in MODES {
        let spark = session(mode);
        table(&spark);
        let all = one(&spark, "SELECT count(*) FROM t");
        let and = chain("Index >= 0", " AND ", 5000);
        assert_eq!(
            one(&spark, &format!("SELECT count(*) FROM t WHERE {and}")),
            all
        );
        let likes: Vec<String> = (0..5000)
            .map(|i| format!("gt LIKE '%zz{i}%'"))
            .chain(["gt LIKE '%sit%'".to_string()])
            .collect();
        let or = likes.join(" OR ");
        assert_eq!(
            one(&spark, &format!("SELECT count(*) FROM t WHERE {or}")),
            one(&spark, "SELECT count(*) FROM t WHERE gt LIKE '%sit%'"),
            "{mode:?}"
        );
    }
}

#[test]
fn logical_chains_are_named_as_spark_names_them() {
    let spark = session(ExecMode::Jit);
    // Spark 4.0: the names of these columns (a balanced tree of the chain).
    for (sql, name) in [
        (
            "SELECT true AND true AND false AND true",
            "((true AND true) AND (false AND true))",
        ),
        (
            "SELECT 1 = 1 OR 2 = 2 OR 3 = 3",
            "(((1 = 1) OR (2 = 2)) OR (3 = 3))",
        ),
        (
            "SELECT (true AND true) AND true",
            "((true AND true) AND true)",
        ),
        (
            "SELECT true OR false AND true OR false",
            "((true OR (false AND true)) OR false)",
        ),
    ] {
        let df = spark.sql(sql).unwrap();
        assert_eq!(df.schema().fields[0].name, name, "{sql}");
    }
}

#[test]
fn a_deep_expression_in_a_stream_runs_every_batch() {
    for mode in MODES {
        deep_stream(mode);
    }
}

/// Just inside the limit: every pass (and the kernel cache's key) on the
/// query's own thread and the executor's workers.
fn deep_stream(mode: ExecMode) {
    let spark = session(mode);
    let dir = tempfile::tempdir().unwrap();
    write_batches(dir.path(), &[r#"{"a": 1}"#, r#"{"a": 2}"#]);
    let df = spark
        .read_stream()
        .schema("a BIGINT")
        .json(dir.path())
        .unwrap();
    df.create_or_replace_temp_view("s").unwrap();
    let sum = chain("a", " + ", 4900);
    let q = spark
        .sql(&format!("SELECT {sum} AS s FROM s"))
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("deep")
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    let mut got: Vec<Scalar> = spark
        .sql("SELECT s FROM deep")
        .unwrap()
        .collect_rows()
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap().clone())
        .collect();
    got.sort_by_key(|s| s.to_string());
    assert_eq!(
        got,
        vec![Scalar::Int64(4900), Scalar::Int64(9800)],
        "{mode:?}"
    );
    q.stop().unwrap();
}

#[test]
fn past_the_limit_it_is_spark_s_too_complex_error() {
    let spark = session(ExecMode::Jit);
    for sql in [
        format!("SELECT {}", chain("1", " + ", 6000)),
        format!("SELECT {}", chain("'a'", " || ", 6000)),
        format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000)),
        format!("SELECT {}1{}", "abs(".repeat(3000), ")".repeat(3000)),
        format!("SELECT {}1{}", "-(".repeat(3000), ")".repeat(3000)),
        format!("SELECT 1{}", " IS NULL".repeat(6000)),
        format!("SELECT a{}", ".b".repeat(6000)),
    ] {
        let e = spark.sql(&sql).expect_err("refused");
        assert_eq!(e.class(), "FAILED_TO_PARSE_TOO_COMPLEX", "{e}");
    }
}

#[test]
fn nesting_spark_accepts_is_accepted() {
    let spark = session(ExecMode::Jit);
    // Spark 4 parses 500 nested parentheses (and refuses 1,000).
    let q = format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500));
    assert_eq!(one(&spark, &q), Scalar::Int32(1));
    let q = format!("SELECT {}-1{}", "abs(".repeat(300), ")".repeat(300));
    assert_eq!(one(&spark, &q), Scalar::Int32(1));
}

#[test]
fn in_lists_of_30000_constants_are_one_lookup_per_row() {
    let ints: Vec<String> = (0..30_000).map(|i| i.to_string()).collect();
    let strings: Vec<String> = (0..30_000)
        .map(|i| format!("'zz{i}'"))
        .chain(["'sit'".to_string()])
        .collect();
    for mode in MODES {
        let spark = session(mode);
        table(&spark);
        let q = |sql: &str| one(&spark, sql);
        assert_eq!(
            q(&format!(
                "SELECT count(*) FROM t WHERE Index IN ({})",
                ints.join(", ")
            )),
            q("SELECT count(*) FROM t WHERE Index >= 0 AND Index < 30000"),
            "{mode:?}"
        );
        assert_eq!(
            q(&format!(
                "SELECT count(*) FROM t WHERE gt IN ({})",
                strings.join(", ")
            )),
            q("SELECT count(*) FROM t WHERE gt = 'sit'"),
            "{mode:?}"
        );
        assert_eq!(
            q(&format!(
                "SELECT count(*) FROM t WHERE gt NOT IN ({})",
                strings.join(", ")
            )),
            q("SELECT count(*) FROM t WHERE gt <> 'sit'"),
            "{mode:?}"
        );
        // Spark's three-valued answers: found, not found, a NULL among the
        // items, a NULL value; doubles widened from integers.
        let list = ints[..20].join(", ");
        for (sql, want) in [
            (format!("SELECT 5 IN ({list})"), Scalar::Boolean(true)),
            (format!("SELECT 500 IN ({list})"), Scalar::Boolean(false)),
            (format!("SELECT 5 IN ({list}, NULL)"), Scalar::Boolean(true)),
            (format!("SELECT 500 IN ({list}, NULL)"), Scalar::Null),
            (format!("SELECT 500 NOT IN ({list}, NULL)"), Scalar::Null),
            (format!("SELECT 500 NOT IN ({list})"), Scalar::Boolean(true)),
            (format!("SELECT NULL IN ({list})"), Scalar::Null),
            (format!("SELECT 2.0 IN ({list})"), Scalar::Boolean(true)),
            (format!("SELECT 2.5 IN ({list})"), Scalar::Boolean(false)),
        ] {
            assert_eq!(q(&sql), want, "{mode:?} {}", &sql[..20]);
        }
    }
}

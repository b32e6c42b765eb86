//! In-project fuzzing on stable Rust (proptest): SQL text through parse →
//! resolve → compile → run, and checkpoints damaged (bytes flipped, files
//! cut short or deleted) before a restart. The properties: no input panics
//! or aborts; a query both back ends run gives both the same rows; a
//! restart from a damaged checkpoint either fails with an error or gives
//! exactly the answer of an undamaged run — never a silent wrong answer.
//!
//! `cargo test --release --test fuzz` runs a modest number of cases; the
//! long run is `SQLC_FUZZ_CASES=20000 cargo test --release --test fuzz`.
//! Failing inputs are kept by proptest in `tests/fuzz.proptest-regressions`
//! and run first every time.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::OnceLock;

use common::*;
use proptest::prelude::*;
use sqlc::{ExecMode, Session, Trigger};

/// Cases per property: `SQLC_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("SQLC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---- SQL text ----

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x".to_string()),
        Just("x".to_string()),
        Just("n".to_string()),
        Just("n".to_string()),
        Just("s".to_string()),
        Just("t.x".to_string()),
        Just("nope".to_string()),
        any::<i32>().prop_map(|v| v.to_string()),
        Just("9223372036854775807".to_string()),
        Just("-2.5".to_string()),
        Just("1e308".to_string()),
        Just("NULL".to_string()),
        Just("true".to_string()),
        "'[a-z%_]{0,4}'".prop_map(|s| s),
        Just("DATE '2024-02-29'".to_string()),
        Just("123456789.0123456789012345678901".to_string()),
        Just("CAST(x AS DECIMAL(5,1))".to_string()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        let ops = prop_oneof![
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("%"),
            Just("||"),
            Just("="),
            Just("<>"),
            Just("<"),
            Just(">="),
            Just("<=>"),
            Just("AND"),
            Just("OR"),
        ];
        let funcs = prop_oneof![
            Just("abs"),
            Just("coalesce"),
            Just("upper"),
            Just("length"),
            Just("substring"),
            Just("concat"),
            Just("round"),
            Just("greatest"),
            Just("if"),
            Just("nvl2"),
            Just("date_format"),
            Just("regexp_replace"),
            Just("hash"),
            Just("sum"),
            Just("nosuchfn"),
            // Arrays and generators.
            Just("array"),
            Just("split"),
            Just("size"),
            Just("element_at"),
            Just("array_contains"),
            Just("sort_array"),
            Just("array_distinct"),
            Just("array_union"),
            Just("flatten"),
            Just("sequence"),
            Just("explode"),
            Just("posexplode_outer"),
            Just("stack"),
            // Maps and JSON.
            Just("map"),
            Just("map_concat"),
            Just("map_from_arrays"),
            Just("str_to_map"),
            Just("map_keys"),
            Just("map_contains_key"),
            Just("get_json_object"),
            Just("from_json"),
            Just("to_json"),
            Just("json_tuple"),
            Just("schema_of_json"),
        ];
        let types = prop_oneof![
            Just("INT"),
            Just("BIGINT"),
            Just("DOUBLE"),
            Just("STRING"),
            Just("DATE"),
            Just("TIMESTAMP"),
            Just("BOOLEAN"),
            Just("DECIMAL(10,2)"),
            Just("DECIMAL(38,18)"),
        ];
        prop_oneof![
            (inner.clone(), ops, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            inner.clone().prop_map(|a| format!("(NOT {a})")),
            inner.clone().prop_map(|a| format!("(- {a})")),
            inner.clone().prop_map(|a| format!("({a} IS NULL)")),
            (inner.clone(), types).prop_map(|(a, t)| format!("CAST({a} AS {t})")),
            (funcs, prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (inner.clone(), prop::collection::vec(inner.clone(), 0..14))
                .prop_map(|(a, l)| format!("({a} IN ({}))", l.join(", "))),
            (inner.clone(), inner.clone()).prop_map(|(a, p)| format!("({a} LIKE {p})")),
            (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("CASE WHEN {c} THEN {a} ELSE {b} END")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(a, l, h)| format!("({a} BETWEEN {l} AND {h})")),
        ]
    })
}

/// Well-typed numeric expressions over the table's integer columns: most
/// run to rows, so both back ends' answers are compared.
fn numeric() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("n".to_string()),
        (-5i64..5).prop_map(|v| v.to_string()),
        Just("2147483647".to_string()),
        Just("9223372036854775807".to_string()),
        Just("CAST(NULL AS INT)".to_string()),
        Just("0.5".to_string()),
        Just("1.25".to_string()),
        Just("CAST(x AS DECIMAL(6,2))".to_string()),
        Just("99999999999999999999999999999999999999".to_string()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop_oneof![Just("+"), Just("-"), Just("*"), Just("/"), Just("%")],
                inner.clone()
            )
                .prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            inner.clone().prop_map(|a| format!("abs({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("coalesce({a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("greatest({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| { format!("CASE WHEN {c} > 0 THEN {a} ELSE {b} END") }),
            (inner.clone(), prop::collection::vec(-3i64..20, 0..14)).prop_map(|(a, l)| {
                let l: Vec<String> = l.iter().map(|v| v.to_string()).collect();
                format!("CAST(({a} IN ({})) AS INT)", l.join(", "))
            }),
            inner.prop_map(|a| format!("CAST({a} AS BIGINT)")),
        ]
    })
}

fn query() -> impl Strategy<Value = String> {
    let typed = (
        prop::collection::vec(numeric(), 1..3),
        prop::option::of(numeric()),
    )
        .prop_map(|(items, filter)| {
            let mut q = format!("SELECT {} FROM t", items.join(", "));
            if let Some(f) = filter {
                q.push_str(&format!(" WHERE {f} > 0"));
            }
            q
        });
    let select = (
        prop::collection::vec(expr(), 1..3),
        prop::option::of(expr()),
        prop::option::of(expr()),
        prop::option::of(0..5u8),
    )
        .prop_map(|(items, filter, group, limit)| {
            let mut q = format!("SELECT {} FROM t", items.join(", "));
            if let Some(f) = filter {
                q.push_str(&format!(" WHERE {f}"));
            }
            if let Some(g) = group {
                q.push_str(&format!(" GROUP BY {g}"));
            }
            if let Some(l) = limit {
                q.push_str(&format!(" LIMIT {l}"));
            }
            q
        })
        .boxed();
    // Structured queries, and token soup (what a parser sees of typos).
    let soup = prop::collection::vec(
        prop_oneof![
            Just("SELECT"),
            Just("FROM"),
            Just("t"),
            Just("WHERE"),
            Just("GROUP BY"),
            Just("ORDER BY"),
            Just(","),
            Just("("),
            Just(")"),
            Just("+"),
            Just("AND"),
            Just("x"),
            Just("s"),
            Just("'a'"),
            Just("1"),
            Just("count(*)"),
            Just("AS"),
            Just("`q`"),
            Just("VALUES"),
            Just("UNION"),
            Just("LATERAL VIEW"),
            Just("explode(split(s, ' '))"),
            Just("WITH"),
            Just("JOIN"),
            Just("ON"),
            Just(";"),
            Just("--"),
            Just("/*"),
            Just("\u{feff}"),
            Just("\\"),
        ],
        0..24,
    )
    .prop_map(|t| t.join(" "));
    // Set operations over two of the above.
    let set_op = (
        select.clone(),
        prop_oneof![
            Just("UNION"),
            Just("UNION ALL"),
            Just("INTERSECT"),
            Just("EXCEPT ALL"),
        ],
        select.clone(),
    )
        .prop_map(|(a, op, b)| format!("{a} {op} {b}"));
    prop_oneof![6 => typed, 6 => select, 2 => set_op, 1 => soup, 1 => ".{0,40}"]
}

fn sessions() -> &'static [(ExecMode, Session); 2] {
    static S: OnceLock<[(ExecMode, Session); 2]> = OnceLock::new();
    S.get_or_init(|| {
        MODES.map(|mode| {
            let spark = session(mode);
            spark
                .sql("SELECT * FROM VALUES (1, 10, 'a'), (2, NULL, 'b%'), (NULL, -3, NULL), (2, 7, '') AS t(x, n, s)")
                .unwrap()
                .create_or_replace_temp_view("t")
                .unwrap();
            (mode, spark)
        })
    })
}

/// `sql` in one mode: its rows as text, or its error's class.
fn run(spark: &Session, sql: &str) -> Result<Vec<String>, String> {
    let df = spark.sql(sql).map_err(|e| e.class().to_string())?;
    let mut rows: Vec<String> = df
        .collect_rows()
        .map_err(|e| e.class().to_string())?
        .iter()
        .map(|r| format!("{r:?}"))
        .collect();
    rows.sort();
    Ok(rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(300)))]

    #[test]
    fn sql_text_never_panics_and_both_back_ends_agree(sql in query()) {
        let mut answers = vec![];
        for (mode, spark) in sessions() {
            let got = catch_unwind(AssertUnwindSafe(|| run(spark, &sql)));
            prop_assert!(got.is_ok(), "{mode:?} panicked on: {sql}");
            answers.push(got.unwrap());
        }
        if std::env::var_os("SQLC_FUZZ_VERBOSE").is_some() {
            eprintln!("{:?} {sql}", answers[0].as_ref().map(|r| r.len()));
        }
        if let [Ok(jit), Ok(interpreted)] = &answers[..] {
            prop_assert_eq!(jit, interpreted, "{}", sql);
        }
    }
}

// ---- damaged checkpoints ----

const FILES: u64 = 4;

/// Writes input files `from..to` into `dir` (40 rows each, 7 keys).
fn write_input(dir: &Path, from: u64, to: u64) {
    std::fs::create_dir_all(dir).unwrap();
    for f in from..to {
        let rows: String = (0..40)
            .map(|i| {
                format!(
                    "{{\"k\": \"k{}\", \"v\": {}}}\n",
                    (f * 40 + i) % 7,
                    f * 40 + i
                )
            })
            .collect();
        std::fs::write(dir.join(format!("f{f}.json")), rows).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
}

/// Runs the counting query (available-now, one file per batch) over
/// `input` from checkpoint `ck` into the memory table `name`; its rows.
fn counts(spark: &Session, input: &Path, ck: &Path, name: &str) -> Result<Vec<String>, String> {
    let q = spark
        .read_stream()
        .schema("k STRING, v BIGINT")
        .option("maxFilesPerTrigger", 1)
        .json(input)
        .map_err(|e| e.to_string())?
        .group_by(["k"])
        .count()
        .map_err(|e| e.to_string())?
        .write_stream()
        .format("memory")
        .query_name(name)
        .output_mode("complete")
        .option("checkpointLocation", ck.display())
        .trigger(Trigger::AvailableNow)
        .start()
        .map_err(|e| e.to_string())?;
    q.await_termination(None).map_err(|e| e.to_string())?;
    run(spark, &format!("SELECT * FROM {name}"))
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Damage {
    Flip { at: usize, byte: u8 },
    Truncate { keep: usize },
    Delete,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Flip { at, byte }),
        any::<usize>().prop_map(|keep| Damage::Truncate { keep }),
        Just(Damage::Delete),
    ]
}

/// The answer over every input file, from a checkpoint never damaged.
fn truth() -> &'static Vec<String> {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        write_input(&tmp.path().join("in"), 0, FILES);
        let spark = &sessions()[0].1;
        counts(
            spark,
            &tmp.path().join("in"),
            &tmp.path().join("ck"),
            "truth",
        )
        .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(12)))]

    #[test]
    fn a_damaged_checkpoint_fails_loudly_or_answers_right(
        first in 1..FILES,
        which in any::<prop::sample::Index>(),
        hurt in damage(),
    ) {
        let spark = &sessions()[0].1;
        let tmp = tempfile::tempdir().unwrap();
        let (input, ck) = (tmp.path().join("in"), tmp.path().join("ck"));
        // A run over the first files, the checkpoint damaged, then a
        // restart over the rest: its complete output covers every file.
        write_input(&input, 0, first);
        counts(spark, &input, &ck, "before").unwrap();
        let all = files(&ck);
        let victim = which.get(&all).clone();
        let bytes = std::fs::read(&victim).unwrap();
        match hurt {
            Damage::Flip { at, byte } if !bytes.is_empty() => {
                let mut b = bytes.clone();
                let i = at % b.len();
                b[i] = if b[i] == byte { !byte } else { byte };
                std::fs::write(&victim, b).unwrap();
            }
            Damage::Truncate { keep } => {
                std::fs::write(&victim, &bytes[..keep % (bytes.len() + 1)]).unwrap();
            }
            _ => std::fs::remove_file(&victim).unwrap(),
        }
        write_input(&input, first, FILES);
        let again = catch_unwind(AssertUnwindSafe(|| counts(spark, &input, &ck, "after")));
        prop_assert!(again.is_ok(), "panicked after damaging {}", victim.display());
        if let Ok(rows) = again.unwrap() {
            prop_assert_eq!(&rows, truth(), "a silent wrong answer after damaging {}", victim.display());
        }
    }
}

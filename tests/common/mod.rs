//! Shared by the integration tests: the activity data Spark's answers were
//! computed on (made by the project's own generator, `sqlc::datagen`), and
//! comparison of results with those answers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Value};
use sqlc::arrow::array::{Array, AsArray};
use sqlc::arrow::datatypes as arrow_date;
use sqlc::arrow::datatypes::{
    DataType as ArrowType, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
};
use sqlc::arrow::record_batch::RecordBatch;
use sqlc::datagen::ActivityGen;
use sqlc::{DataFrame, ExecMode, Session, StreamingQuery};

/// The arguments of `sqlc gen activity` for the data Spark's expected
/// answers were computed on. Keep in sync with `tests/spark/expected.py`
/// (tests/streaming_examples.rs checks it).
pub const DATA_ARGS: [&str; 6] = ["--rows", "20000", "--files", "8", "--seed", "7"];

/// The same with about 2% of lines cut short (tests/malformed_records.rs).
pub const CORRUPT_ARGS: [&str; 8] = [
    "--rows",
    "4000",
    "--files",
    "4",
    "--seed",
    "11",
    "--corrupt-rate",
    "0.02",
];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The generator `sqlc gen activity ARGS` runs (the flags it takes).
fn activity_gen(args: &[&str]) -> ActivityGen {
    assert!(args.len().is_multiple_of(2), "flag-value pairs: {args:?}");
    let mut g = ActivityGen::default();
    for pair in args.chunks(2) {
        let (flag, v) = (pair[0], pair[1]);
        fn num<T: std::str::FromStr>(flag: &str, v: &str) -> T {
            v.parse()
                .unwrap_or_else(|_| panic!("{flag}: not a number: {v}"))
        }
        g = match flag {
            "--rows" => g.rows(num(flag, v)),
            "--files" => g.files(num(flag, v)),
            "--seed" => g.seed(num(flag, v)),
            "--corrupt-rate" => g.corrupt_rate(num(flag, v)),
            _ => panic!("`sqlc gen activity` has no flag {flag}"),
        };
    }
    g
}

/// Generates activity data with the project's generator as
/// `sqlc gen activity DIR ARGS` does, once per argument list (cached under
/// `target/test-data`, safe when test processes race), and returns its
/// directory (its files modified in file order, so a stream takes them in
/// the order the generator's clock runs).
pub fn generated_data(args: &[&str]) -> PathBuf {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let name = format!("activity_{}", args.join("_").replace("--", ""));
    let data = root().join("target").join("test-data");
    let dir = data.join(&name);
    if dir.join("_done").exists() {
        return dir;
    }
    let tmp = data.join(format!(".{name}.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    activity_gen(args)
        .write_dir(&tmp)
        .unwrap_or_else(|e| panic!("generating {args:?}: {e}"));
    std::fs::write(tmp.join("_done"), b"").unwrap();
    if std::fs::rename(&tmp, &dir).is_err() {
        // Another test process made it first.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    dir
}

/// The data Spark's expected answers were computed on.
pub fn activity_data() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| generated_data(&DATA_ARGS)).clone()
}

/// The data with malformed lines (`CORRUPT_ARGS`).
pub fn corrupt_data() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| generated_data(&CORRUPT_ARGS)).clone()
}

/// Asserts that `tests/spark/expected.py` generates its data with the same
/// arguments as `name` here (its line `NAME = ["--rows", ...]`).
pub fn assert_expected_py_uses(name: &str, args: &[&str]) {
    let py = std::fs::read_to_string(root().join("tests/spark/expected.py")).unwrap();
    let list: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
    let line = format!("{name} = [{}]", list.join(", "));
    assert!(
        py.lines().any(|l| l.trim() == line),
        "tests/spark/expected.py must have the line `{line}`"
    );
}

pub fn session(mode: ExecMode) -> Session {
    let s = Session::builder().app_name("test").create();
    s.conf().set("spark.sql.shuffle.partitions", 5);
    // The oracle's `local[2]`: file reads make Spark's partitions there,
    // whatever this machine's cores.
    s.conf().set("spark.default.parallelism", 2);
    s.conf().set(
        "sqlc.exec",
        if mode == ExecMode::Jit {
            "jit"
        } else {
            "interpret"
        },
    );
    s
}

/// `spark` with the activity files as the table `activity`, read as its
/// settings say.
pub fn with_activity(spark: Session) -> Session {
    spark
        .read()
        .json(activity_data())
        .unwrap()
        .create_or_replace_temp_view("activity")
        .unwrap();
    spark
}

pub const MODES: [ExecMode; 2] = [ExecMode::Jit, ExecMode::Interpret];

/// An expected answer: its column names and rows (JSON objects).
pub struct Expected {
    pub columns: Vec<String>,
    pub rows: Vec<Map<String, Value>>,
}

pub fn load_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let columns = header["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let rows = lines
        .map(|l| {
            // Python's json writes non-finite floats as bare NaN/Infinity;
            // the results side prints them as Java does (`cell`).
            let mut l = l.to_string();
            for sep in [": ", "[", ", "] {
                l = l
                    .replace(&format!("{sep}NaN"), &format!("{sep}\"NaN\""))
                    .replace(&format!("{sep}-Infinity"), &format!("{sep}\"-Infinity\""))
                    .replace(&format!("{sep}Infinity"), &format!("{sep}\"Infinity\""));
            }
            serde_json::from_str::<Value>(&l)
                .unwrap()
                .as_object()
                .unwrap()
                .clone()
        })
        .collect();
    Expected { columns, rows }
}

/// Timestamps as Python's `str(datetime)` prints them (how the expected
/// answers were written).
fn py_timestamp(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = sqlc_compiler::scalar_fns::calendar::civil_from_days(days);
    let base = format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if micros == 0 {
        base
    } else {
        format!("{base}.{micros:06}")
    }
}

fn cell(a: &dyn Array, i: usize) -> Value {
    if a.is_null(i) || a.data_type() == &ArrowType::Null {
        return Value::Null;
    }
    match a.data_type() {
        ArrowType::Boolean => Value::Bool(a.as_boolean().value(i)),
        ArrowType::Int8 => Value::from(a.as_primitive::<arrow::datatypes::Int8Type>().value(i)),
        ArrowType::Int16 => Value::from(a.as_primitive::<arrow::datatypes::Int16Type>().value(i)),
        ArrowType::Int32 => Value::from(a.as_primitive::<Int32Type>().value(i)),
        ArrowType::Int64 => Value::from(a.as_primitive::<Int64Type>().value(i)),
        ArrowType::Float64 | ArrowType::Float32 => {
            // a FLOAT as its exact double, as PySpark hands it to Python
            let v = match a.as_primitive_opt::<arrow::datatypes::Float32Type>() {
                Some(f) => f64::from(f.value(i)),
                None => a.as_primitive::<Float64Type>().value(i),
            };
            // Non-finite values as Java spells them (NaN, Infinity), as
            // the Spark scripts write them.
            serde_json::Number::from_f64(v)
                .map(Value::Number)
                .unwrap_or_else(|| {
                    Value::String(match v {
                        f64::INFINITY => "Infinity".into(),
                        f64::NEG_INFINITY => "-Infinity".into(),
                        _ => v.to_string(),
                    })
                })
        }
        ArrowType::Utf8 => Value::String(a.as_string::<i32>().value(i).to_string()),
        // As the kept answers hold a decimal: its plain text.
        ArrowType::Decimal128(_, s) => Value::String(sqlc_compiler::decimal::format(
            a.as_primitive::<arrow::datatypes::Decimal128Type>()
                .value(i),
            *s as u8,
        )),
        ArrowType::Date32 => {
            let days = a.as_primitive::<arrow_date::Date32Type>().value(i);
            let (y, m, d) = sqlc_compiler::scalar_fns::calendar::civil_from_days(days as i64);
            Value::String(format!("{y:04}-{m:02}-{d:02}"))
        }
        ArrowType::Timestamp(_, _) => Value::String(py_timestamp(
            a.as_primitive::<TimestampMicrosecondType>().value(i),
        )),
        ArrowType::Duration(arrow::datatypes::TimeUnit::Microsecond) => {
            Value::String(py_timedelta(
                a.as_primitive::<arrow::datatypes::DurationMicrosecondType>()
                    .value(i),
            ))
        }
        ArrowType::Struct(fields) => {
            let s = a.as_struct();
            let mut m = Map::new();
            for (f, c) in fields.iter().zip(s.columns()) {
                m.insert(f.name().clone(), cell(c.as_ref(), i));
            }
            Value::Object(m)
        }
        ArrowType::List(_) => {
            let l = a.as_list::<i32>().value(i);
            Value::Array((0..l.len()).map(|k| cell(l.as_ref(), k)).collect())
        }
        // A map: an object keyed by the keys' text (as tests/spark writes it).
        ArrowType::Map(..) => {
            let e = a.as_map().value(i);
            let mut m = Map::new();
            for k in 0..e.len() {
                let key = match cell(e.column(0).as_ref(), k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                m.insert(key, cell(e.column(1).as_ref(), k));
            }
            Value::Object(m)
        }
        t => panic!("no JSON form for {t}"),
    }
}

/// A day-time interval as Python prints the `timedelta` PySpark collects
/// (`-1 day, 23:00:00`, `0:00:01.500000`), as the kept answers hold it.
fn py_timedelta(us: i64) -> String {
    const DAY: i64 = 86_400_000_000;
    let (days, rem) = (us.div_euclid(DAY), us.rem_euclid(DAY));
    let (secs, micros) = (rem / 1_000_000, rem % 1_000_000);
    let mut out = String::new();
    if days != 0 {
        let plural = if days.abs() == 1 { "" } else { "s" };
        out.push_str(&format!("{days} day{plural}, "));
    }
    out.push_str(&format!(
        "{}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ));
    if micros != 0 {
        out.push_str(&format!(".{micros:06}"));
    }
    out
}

pub fn to_json_rows(batches: &[RecordBatch]) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    for b in batches {
        for i in 0..b.num_rows() {
            let mut m = Map::new();
            for (f, c) in b.schema().fields().iter().zip(b.columns()) {
                m.insert(f.name().clone(), cell(c.as_ref(), i));
            }
            out.push(m);
        }
    }
    out
}

/// A sort key for a row that does not depend on the last digits of doubles
/// (sums of doubles depend on the order they are added in).
fn sort_key(r: &Map<String, Value>) -> String {
    let mut keys: Vec<&String> = r.keys().collect();
    keys.sort();
    keys.iter()
        .map(|k| match &r[*k] {
            Value::Number(n) if n.is_f64() => format!("{k}={:.6e}", n.as_f64().unwrap()),
            v => format!("{k}={v}"),
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-300)
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| close(v, w))
        }
        _ => a == b,
    }
}

/// Asserts that `batches` hold exactly the expected rows (in order when
/// `ordered`), doubles equal to 1e-9 relative.
pub fn assert_matches(
    what: &str,
    batches: &[RecordBatch],
    columns: &[String],
    expected: &Expected,
    ordered: bool,
) {
    assert_eq!(columns, expected.columns.as_slice(), "{what}: column names");
    assert_rows_match(what, to_json_rows(batches), expected, ordered);
}

/// Asserts that rows (as JSON objects) are exactly the expected ones.
pub fn assert_rows_match(
    what: &str,
    mut got: Vec<Map<String, Value>>,
    expected: &Expected,
    ordered: bool,
) {
    let mut want = expected.rows.clone();
    assert_eq!(got.len(), want.len(), "{what}: row count");
    if !ordered {
        got.sort_by_key(sort_key);
        want.sort_by_key(sort_key);
    }
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let same =
            g.len() == w.len() && g.iter().all(|(k, v)| w.get(k).is_some_and(|x| close(v, x)));
        assert!(
            same,
            "{what}: row {i} differs\n  got:  {g:?}\n  want: {w:?}"
        );
    }
}

/// The activity data as a stream, one file per trigger, with the schema a
/// static read infers.
pub fn activity_stream(spark: &Session, dir: &Path) -> DataFrame {
    let static_df = spark.read().json(dir).unwrap();
    spark
        .read_stream()
        .schema(static_df.schema())
        .option("maxFilesPerTrigger", 1)
        .json(dir)
        .unwrap()
}

/// Runs `df` into the memory table `name` until every file is processed;
/// returns the query and `SELECT * FROM name`.
pub fn drain(
    spark: &Session,
    df: &DataFrame,
    name: &str,
    mode: &str,
) -> (StreamingQuery, DataFrame) {
    let q = df
        .write_stream()
        .query_name(name)
        .format("memory")
        .output_mode(mode)
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    (q, spark.sql(&format!("SELECT * FROM {name}")).unwrap())
}

/// Collects `df` and asserts it holds exactly the expected rows, in any order.
pub fn assert_df_matches(what: &str, df: &DataFrame, expected: &Expected) {
    assert_matches(what, &df.collect().unwrap(), &df.columns(), expected, false);
}

/// Writes one JSON-lines file per batch into `dir` (`0.json`, `1.json`, …),
/// a little apart so that modification-time order is batch order.
#[allow(dead_code)]
pub fn write_batches(dir: &Path, batches: &[&str]) {
    for (i, rows) in batches.iter().enumerate() {
        std::fs::write(dir.join(format!("{i}.json")), rows).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The sorted `id` column of what `df` holds (a file sink's output read
/// back through its manifest, say).
pub fn sorted_ids(df: &DataFrame) -> Vec<i64> {
    let mut ids: Vec<i64> = to_json_rows(&df.collect().unwrap())
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

/// `sqlc run SCRIPT --available-now --quiet --output json` with `--var
/// NAME=PATH` for each var, its output piped.
pub fn sqlc_run_script(script: &Path, vars: &[(&str, &Path)]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_sqlc"));
    c.args([
        "run",
        script.to_str().unwrap(),
        "--available-now",
        "--quiet",
        "--output",
        "json",
    ]);
    for (k, v) in vars {
        c.arg("--var").arg(format!("{k}={}", v.display()));
    }
    c.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    c
}

/// Runs `df` with the available-now trigger into the memory table `name`
/// in output mode `mode`, with checkpoint `ck`; returns the query once it
/// ended.
pub fn run_available_now(
    df: &DataFrame,
    name: &str,
    mode: &str,
    ck: &Path,
) -> sqlc::Result<StreamingQuery> {
    let q = df
        .write_stream()
        .query_name(name)
        .format("memory")
        .output_mode(mode)
        .option("checkpointLocation", ck.display())
        .trigger(sqlc::Trigger::AvailableNow)
        .start()?;
    q.await_termination(None)?;
    Ok(q)
}

/// The activity data's JSON files, in name order.
pub fn activity_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(activity_data())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The rows of the JSON files in `data`, read as a stream with `schema`,
/// through the JSON, CSV and Parquet file sinks (availableNow) and read
/// back with the same schema: `check(spark, back, what)` per format and
/// exec mode.
#[allow(dead_code)] // not every test binary uses it
pub fn through_every_file_sink(
    schema: &str,
    data: &Path,
    mut check: impl FnMut(&Session, &DataFrame, &str),
) {
    let tmp = tempfile::tempdir().unwrap();
    for mode in MODES {
        let spark = session(mode);
        let stream = spark.read_stream().schema(schema).json(data).unwrap();
        for format in ["json", "csv", "parquet"] {
            let out = tmp.path().join(format!("{mode:?}_{format}"));
            let q = stream
                .write_stream()
                .format(format)
                .option("path", out.display())
                .option("header", "true")
                .option(
                    "checkpointLocation",
                    tmp.path().join(format!("{mode:?}_{format}_ck")).display(),
                )
                .trigger(sqlc::Trigger::AvailableNow)
                .start()
                .unwrap();
            q.await_termination(None).unwrap();
            let back = spark
                .read()
                .schema(schema)
                .option("header", "true")
                .format(format)
                .load(&out)
                .unwrap();
            check(&spark, &back, &format!("{format} sink ({mode:?})"));
        }
    }
}

//! Record-level edge cases against Spark's answers: line ends (`\r`, `\n`,
//! `\r\n`), a byte-order mark, text after a record, records over two lines,
//! control characters, long keys, huge lines and very wide records. The cases
//! are tests/data/records/cases.json; Spark's answers,
//! tests/data/expected/records.jsonl, come from tests/spark/records.py.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sqlc::{DataFrame, ExecMode};

use common::{root, session, to_json_rows};

const DEFAULT_JSON_SCHEMA: &str = "a BIGINT, _corrupt_record STRING";
const MODES: [&str; 3] = ["PERMISSIVE", "DROPMALFORMED", "FAILFAST"];

/// A case's bytes: see `about` in cases.json.
fn content(parts: &[Value]) -> Vec<u8> {
    let mut text = String::new();
    for p in parts {
        match p {
            Value::String(s) => text.push_str(s),
            Value::Array(a) => {
                let (s, n) = (a[0].as_str().unwrap(), a[1].as_u64().unwrap());
                for i in 0..n {
                    text.push_str(&s.replace("{i}", &i.to_string()));
                }
            }
            other => panic!("a part of content: {other}"),
        }
    }
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("one byte a character"))
        .collect()
}

/// Strings longer than 200 characters as records.py writes them.
fn short(v: Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > 200 => Value::String(format!(
            "{}...({} chars)",
            s.chars().take(40).collect::<String>(),
            s.chars().count()
        )),
        v => v,
    }
}

fn short_name(s: &str) -> String {
    short(Value::String(s.to_string()))
        .as_str()
        .unwrap()
        .to_string()
}

/// What records.py writes for a read: the schema and rows, or a summary.
fn result(df: &DataFrame, summary: bool) -> sqlc::Result<Value> {
    let schema = df.schema();
    let fields: Vec<Value> = schema
        .fields
        .iter()
        .map(|f| serde_json::json!([short_name(&f.name), f.data_type.spark_name()]))
        .collect();
    if summary {
        let mut types = Map::new();
        for f in &schema.fields {
            let n = types
                .entry(f.data_type.spark_name())
                .or_insert(Value::from(0));
            *n = Value::from(n.as_u64().unwrap() + 1);
        }
        return Ok(serde_json::json!({
            "columns": fields.len(),
            "types": types,
            "first": fields[..fields.len().min(3)],
            "rows": df.collect()?.iter().map(|b| b.num_rows()).sum::<usize>(),
        }));
    }
    let rows: Vec<Value> = to_json_rows(&df.collect()?)
        .into_iter()
        .map(|r| {
            Value::Object(
                r.into_iter()
                    .map(|(k, v)| (short_name(&k), short(v)))
                    .collect(),
            )
        })
        .collect();
    Ok(serde_json::json!({"schema": fields, "rows": rows}))
}

fn read(case: &Value, path: &Path, mode: &str, schema: Option<&str>) -> sqlc::Result<Value> {
    let spark = session(ExecMode::Jit);
    let mut reader = spark
        .read()
        .format(case["format"].as_str().unwrap())
        .option("mode", mode);
    if let Some(options) = case.get("options").and_then(Value::as_object) {
        for (k, v) in options {
            reader = reader.option(k, v.as_str().unwrap());
        }
    }
    if let Some(s) = schema {
        reader = reader.schema(s);
    }
    let df = reader.load(path)?;
    result(&df, case.get("summary") == Some(&Value::Bool(true)))
}

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("tests/data/records/cases.json")).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["cases"]
        .as_array()
        .unwrap()
        .clone()
}

fn expected() -> Map<String, Value> {
    let text = std::fs::read_to_string(root().join("tests/data/expected/records.jsonl")).unwrap();
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["case"].as_str().unwrap().to_string(),
                v["results"].clone(),
            )
        })
        .collect()
}

/// Reads one case in each mode, with its schema and inferred, and returns
/// how each read differs from Spark's answer.
fn check(case: &Value, spark: &Value, dir: &Path) -> Vec<String> {
    let name = case["name"].as_str().unwrap();
    let format = case["format"].as_str().unwrap();
    let path: PathBuf = dir.join(name);
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(
        path.join(format!("part-0.{format}")),
        content(case["content"].as_array().unwrap()),
    )
    .unwrap();
    let schema = case["schema"]
        .as_str()
        .or((format == "json").then_some(DEFAULT_JSON_SCHEMA));
    let mut diffs = Vec::new();
    for mode in MODES {
        let reads: &[Option<&str>] = match case["read"].as_str() {
            Some("given") => &[schema],
            Some("inferred") => &[None],
            _ => &[schema, None],
        };
        for &given in reads {
            let key = if given.is_some() {
                mode.to_string()
            } else {
                format!("{mode} inferred")
            };
            let want = &spark[&key];
            let got = read(case, &path, mode, given);
            let same = match (&got, want.get("error")) {
                (Err(_), Some(_)) => true,
                (Ok(g), None) => g == want,
                _ => false,
            };
            if !same {
                let got = match got {
                    Ok(v) => v.to_string(),
                    Err(e) => format!("error: {e}"),
                };
                diffs.push(format!(
                    "{name} ({key}):\n  sqlc:  {}\n  spark: {}",
                    got.chars().take(600).collect::<String>(),
                    want.to_string().chars().take(600).collect::<String>()
                ));
            }
        }
    }
    diffs
}

#[test]
fn records_are_read_as_spark_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let spark = expected();
    let only = std::env::var("SQLC_RECORDS_CASE").ok();
    let mut diffs = Vec::new();
    for case in cases() {
        let name = case["name"].as_str().unwrap().to_string();
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let answer = spark
            .get(&name)
            .unwrap_or_else(|| panic!("no Spark answer for {name}: run tests/spark/records.py"));
        diffs.extend(check(&case, answer, dir.path()));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

//! Helpers shared by the file-source tests: activity data as
//! the generator writes it, files with chosen modification times, and
//! column extraction.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use arrow::array::{ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::Int64Type;
use sqlc_compiler::types::{DataType, Field, Schema};
use sqlc_runtime::source::Options;

/// Activity rows in the generator's shape: returns the lines and
/// how many have a null `gt`. Every `corrupt_every`-th line is truncated.
pub fn activity(rows: usize, first_index: usize, corrupt_every: usize) -> (Vec<String>, usize) {
    let gts = ["stand", "sit", "walk", "stairsup", "stairsdown", "bike"];
    let mut state = first_index as u64 * 2654435761 + 12345;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let (mut lines, mut nulls) = (Vec::new(), 0);
    for i in 0..rows {
        let index = first_index + i;
        let gt = match next() % 7 {
            6 => {
                nulls += 1;
                serde_json::Value::Null
            }
            k => gts[k].into(),
        };
        let t = 1_424_686_733_176_178_965i64 + index as i64 * 5_000_000;
        let row = serde_json::json!({
            "Arrival_Time": t / 1_000_000 + (next() % 3000) as i64,
            "Creation_Time": t,
            "Device": format!("nexus4_{}", next() % 2 + 1),
            "Index": index,
            "Model": "nexus4",
            "User": (["a", "b", "c"][next() % 3]),
            "gt": gt,
            "x": (next() % 3000) as f64 / 1000.0 - 1.5,
            "y": -0.25,
            "z": 9.8,
        });
        let mut line = row.to_string();
        if corrupt_every > 0 && i % corrupt_every == corrupt_every - 1 {
            line.truncate(line.len() / 2);
            if matches!(row["gt"], serde_json::Value::Null) {
                nulls -= 1;
            }
        }
        lines.push(line);
    }
    (lines, nulls)
}

pub fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// Writes a file and sets its modification time to `secs` after 2020.
pub fn write_at(path: &Path, text: &str, secs: u64) -> PathBuf {
    write(path, text);
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_577_836_800 + secs);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
    path.to_path_buf()
}

pub fn rows(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

pub fn column<'a>(batches: &'a [RecordBatch], name: &str) -> Vec<&'a ArrayRef> {
    batches
        .iter()
        .map(|b| {
            b.column_by_name(name)
                .unwrap_or_else(|| panic!("no column {name}"))
        })
        .collect()
}

pub fn strings(batches: &[RecordBatch], name: &str) -> Vec<Option<String>> {
    column(batches, name)
        .into_iter()
        .flat_map(|a| {
            a.as_string::<i32>()
                .iter()
                .map(|v| v.map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

pub fn int64s(batches: &[RecordBatch], name: &str) -> Vec<Option<i64>> {
    column(batches, name)
        .into_iter()
        .flat_map(|a| a.as_primitive::<Int64Type>().iter().collect::<Vec<_>>())
        .collect()
}

pub fn activity_schema() -> Schema {
    use DataType::*;
    let f = |n: &str, t: DataType| Field::new(n, t, true);
    Schema::new(vec![
        f("Arrival_Time", Int64),
        f("Creation_Time", Int64),
        f("Device", Utf8),
        f("Index", Int64),
        f("Model", Utf8),
        f("User", Utf8),
        f("gt", Utf8),
        f("x", Float64),
        f("y", Float64),
        f("z", Float64),
    ])
}

pub fn json_opts(mode: &str) -> Options {
    Options::new().with("mode", mode)
}

/// Writes a file of `n` activity rows starting at `first` with mtime `secs`.
pub fn activity_file(dir: &Path, name: &str, first: usize, n: usize, secs: u64) -> PathBuf {
    write_at(&dir.join(name), &activity(n, first, 0).0.join("\n"), secs)
}

//! The checkpoint's `metadata` file: `{"id":"…"}`, the query id that stays
//! the same across restarts (the run id is new at each start).

use std::path::Path;

use serde_json::{json, Value};

use super::files::{parse_json_line, write_atomic};
use crate::error::{Error, Result};

/// Reads the query id from `path`, or writes `new_id` there if the file does
/// not exist yet, and returns the id in force.
pub fn query_id(path: &Path, new_id: &str) -> Result<String> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text =
                String::from_utf8(bytes).map_err(|_| Error::damaged(path, "not UTF-8 text"))?;
            let v = parse_json_line(path, text.lines().next().unwrap_or(""))?;
            v.get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error::damaged(path, "no query id"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_atomic(path, format!("{}\n", json!({ "id": new_id })).as_bytes())?;
            Ok(new_id.to_string())
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

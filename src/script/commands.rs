//! The session commands: `SHOW TABLES`, `SHOW QUERIES`, `STOP QUERY`,
//! `DESCRIBE` and `EXPLAIN`, answered as rows (printed like any query's)
//! or text.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;

use super::{Command, Outcome, Pass};
use crate::{Session, StreamingQuery};

/// Runs `c`; `started` are the queries the script's sinks started (all of
/// them, stopped too), `declared` the sinks a check pass has seen.
pub fn run(
    c: &Command,
    session: &Session,
    pass: Pass,
    started: &[StreamingQuery],
    declared: &[String],
) -> crate::Result<Outcome> {
    match c {
        Command::ShowTables => {
            let names = session.table_names();
            let n = names.len();
            rows(
                session,
                vec![
                    ("namespace", strings(vec![Some(String::new()); n])),
                    ("tableName", strings(names.into_iter().map(Some).collect())),
                    ("isTemporary", Arc::new(BooleanArray::from(vec![true; n]))),
                ],
            )
        }
        Command::ShowQueries => show_queries(session, started),
        Command::Functions(text) => Ok(Outcome::Rows(session.sql(text)?)),
        Command::Describe(name) => {
            let schema = session.table(name)?.schema();
            let f = &schema.fields;
            rows(
                session,
                vec![
                    (
                        "col_name",
                        strings(f.iter().map(|f| Some(f.name.clone())).collect()),
                    ),
                    (
                        "data_type",
                        strings(f.iter().map(|f| Some(f.data_type.to_string())).collect()),
                    ),
                    ("comment", strings(vec![None; f.len()])),
                ],
            )
        }
        Command::Explain { mode, query } => {
            Ok(Outcome::Text(session.sql(query)?.explain_mode(*mode)?))
        }
        Command::StopQuery(name) => {
            let found = started
                .iter()
                .find(|q| q.name().is_some_and(|n| n.eq_ignore_ascii_case(name)) || q.id() == name);
            match (pass, found) {
                (Pass::Run, Some(q)) => {
                    q.stop()?;
                    let last = q
                        .last_progress()
                        .map(|p| format!(" after batch {}", p.batch_id))
                        .unwrap_or_default();
                    Ok(Outcome::Text(format!("stopped query {name}{last}")))
                }
                (Pass::Check, _) if declared.iter().any(|d| d.eq_ignore_ascii_case(name)) => {
                    Ok(Outcome::Done)
                }
                _ => {
                    let mut known: Vec<&str> = started.iter().filter_map(|q| q.name()).collect();
                    known.extend(declared.iter().map(String::as_str));
                    Err(crate::Error::analysis(
                        "STREAMING_QUERY_NOT_FOUND",
                        format!(
                            "STOP QUERY {name}: no streaming query has that name (queries: {})",
                            if known.is_empty() {
                                "none".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    ))
                }
            }
        }
    }
}

/// One row per query: name, id, status, its last batch and rates.
fn show_queries(session: &Session, started: &[StreamingQuery]) -> crate::Result<Outcome> {
    let mut name = Vec::new();
    let mut id = Vec::new();
    let mut status = Vec::new();
    let mut batch = Vec::new();
    let mut input = Vec::new();
    let mut in_rate = Vec::new();
    let mut proc_rate = Vec::new();
    let mut message = Vec::new();
    for q in started {
        let p = q.last_progress();
        name.push(q.name().map(str::to_string));
        id.push(Some(q.id().to_string()));
        let (s, m) = match (q.is_active(), q.exception()) {
            (true, _) => ("ACTIVE", q.status().message),
            (false, Some(e)) => ("FAILED", e.to_string()),
            (false, None) => ("STOPPED", "Stopped".to_string()),
        };
        status.push(Some(s.to_string()));
        message.push(Some(m));
        batch.push(p.as_ref().map(|p| p.batch_id as i64));
        input.push(p.as_ref().map(|p| p.num_input_rows as i64));
        in_rate.push(p.as_ref().map(|p| p.input_rows_per_second));
        proc_rate.push(p.as_ref().map(|p| p.processed_rows_per_second));
    }
    rows(
        session,
        vec![
            ("name", strings(name)),
            ("id", strings(id)),
            ("status", strings(status)),
            ("lastBatch", Arc::new(Int64Array::from(batch))),
            ("numInputRows", Arc::new(Int64Array::from(input))),
            ("inputRowsPerSecond", Arc::new(Float64Array::from(in_rate))),
            (
                "processedRowsPerSecond",
                Arc::new(Float64Array::from(proc_rate)),
            ),
            ("message", strings(message)),
        ],
    )
}

fn strings(v: Vec<Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}

fn rows(session: &Session, columns: Vec<(&str, ArrayRef)>) -> crate::Result<Outcome> {
    let batch = RecordBatch::try_from_iter(columns).map_err(sqlc_compiler::Error::from)?;
    Ok(Outcome::Rows(session.create_data_frame(vec![batch])?))
}

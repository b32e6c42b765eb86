//! `ExecutePlan`: runs a plan's root relation (its rows as Arrow batches)
//! or its command, and records every response in the operation so the
//! client can read them, and reattach to them, as they come.

use sqlc_connect::proto::command::CommandType;
use sqlc_connect::proto::execute_plan_response::{self as resp, ResponseType};
use sqlc_connect::proto::plan::OpType;
use sqlc_connect::proto::relation::RelType;
use sqlc_connect::proto::{self, DataType, ExecutePlanResponse, Relation};

use super::arrow_ipc;
use super::error::{python_code, unsupported};
use super::expression::required;
use super::relation::to_df;
use super::sessions::{ConnectSession, Operation};
use super::streaming;
use super::types::schema_to_proto;
use crate::error::{Error, Result};

/// The most rows one Arrow batch carries (Spark's default).
const MAX_ROWS_PER_BATCH: usize = 10_000;

/// Where an operation's responses go.
pub struct Emitter<'a> {
    pub op: &'a Operation,
    pub session_id: &'a str,
    pub server_side_id: &'a str,
    pub operation_id: &'a str,
}

impl Emitter<'_> {
    fn response(&self, schema: Option<DataType>, r: Option<ResponseType>) -> ExecutePlanResponse {
        ExecutePlanResponse {
            session_id: self.session_id.to_string(),
            server_side_session_id: self.server_side_id.to_string(),
            operation_id: self.operation_id.to_string(),
            response_id: sqlc_runtime::query::new_uuid(),
            schema,
            response_type: r,
            ..Default::default()
        }
    }

    pub fn send(&self, r: ResponseType) {
        self.op.push(Ok(self.response(None, Some(r))));
    }

    fn send_schema(&self, schema: DataType) {
        self.op.push(Ok(self.response(Some(schema), None)));
    }

    fn check_interrupted(&self) -> Result<()> {
        if self.op.interrupted() {
            return Err(Error::analysis(
                "OPERATION_CANCELED",
                format!("The operation {} was interrupted.", self.operation_id),
            ));
        }
        Ok(())
    }
}

/// Runs the plan; the caller records an error and ends the operation.
pub fn run(cs: &ConnectSession, plan: &proto::Plan, out: &Emitter) -> Result<()> {
    match required(&plan.op_type, "Plan.op_type")? {
        OpType::Root(rel) => rows(cs, rel, out)?,
        OpType::Command(c) => command(cs, required(&c.command_type, "Command.command_type")?, out)?,
        OpType::CompressedOperation(_) => {
            return Err(Error::not_supported("compressed plans"));
        }
    }
    out.send(ResponseType::ResultComplete(resp::ResultComplete {}));
    Ok(())
}

/// A relation's rows: the schema, then one Arrow batch per result batch.
fn rows(cs: &ConnectSession, rel: &Relation, out: &Emitter) -> Result<()> {
    let df = to_df(cs, rel)?;
    out.send_schema(schema_to_proto(&df.schema()));
    out.check_interrupted()?;
    let batches = df.collect()?;
    let mut offset = 0i64;
    let mut sent = false;
    // Spark's `spark.sql.execution.arrow.maxRecordsPerBatch`: the client
    // turns each batch into rows as it arrives.
    let chunks = batches.iter().flat_map(|b| {
        (0..b.num_rows())
            .step_by(MAX_ROWS_PER_BATCH)
            .map(move |at| b.slice(at, MAX_ROWS_PER_BATCH.min(b.num_rows() - at)))
    });
    for b in chunks {
        out.check_interrupted()?;
        out.send(ResponseType::ArrowBatch(resp::ArrowBatch {
            row_count: b.num_rows() as i64,
            data: arrow_ipc::write(&b)?,
            start_offset: Some(offset),
            ..Default::default()
        }));
        offset += b.num_rows() as i64;
        sent = true;
    }
    if !sent {
        let empty = arrow::record_batch::RecordBatch::new_empty(df.schema().to_arrow());
        out.send(ResponseType::ArrowBatch(resp::ArrowBatch {
            row_count: 0,
            data: arrow_ipc::write(&empty)?,
            start_offset: Some(0),
            ..Default::default()
        }));
    }
    Ok(())
}

fn command(cs: &ConnectSession, c: &CommandType, out: &Emitter) -> Result<()> {
    match c {
        CommandType::SqlCommand(q) => {
            #[allow(deprecated)]
            let rel = match &q.input {
                Some(r) => r.clone(),
                None => Relation {
                    common: None,
                    rel_type: Some(RelType::Sql(proto::Sql {
                        query: q.sql.clone(),
                        args: q.args.clone(),
                        pos_args: q.pos_args.clone(),
                        named_arguments: q.named_arguments.clone(),
                        pos_arguments: q.pos_arguments.clone(),
                    })),
                },
            };
            // Planned now, so a mistake is reported where it is made (as
            // Spark analyses `spark.sql(...)` at once); the client then
            // builds on the same relation.
            to_df(cs, &rel)?;
            out.send(ResponseType::SqlCommandResult(resp::SqlCommandResult {
                relation: Some(rel),
            }));
        }
        CommandType::CreateDataframeView(v) => {
            if v.is_global {
                return Err(Error::not_supported("global temporary views"));
            }
            let df = to_df(cs, required(&v.input, "CreateDataFrameViewCommand.input")?)?;
            if !v.replace
                && cs
                    .session
                    .table_names()
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(&v.name))
            {
                return Err(Error::analysis(
                    "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                    format!(
                        "Cannot create the temporary view `{}` because it already exists.",
                        v.name
                    ),
                ));
            }
            df.create_or_replace_temp_view(&v.name)?;
        }
        CommandType::WriteStreamOperationStart(w) => {
            let r = streaming::start(cs, w)?;
            out.send(ResponseType::WriteStreamOperationStartResult(r));
        }
        CommandType::StreamingQueryCommand(q) => {
            let r = streaming::query_command(cs, q)?;
            out.send(ResponseType::StreamingQueryCommandResult(r));
        }
        CommandType::StreamingQueryManagerCommand(m) => {
            let r = streaming::manager_command(cs, m)?;
            out.send(ResponseType::StreamingQueryManagerCommandResult(r));
        }
        CommandType::RegisterFunction(_) | CommandType::RegisterTableFunction(_) => {
            return Err(python_code("A Python user-defined function"));
        }
        CommandType::RegisterDataSource(_) => return Err(python_code("A Python data source")),
        other => return Err(unsupported("command", other)),
    }
    Ok(())
}

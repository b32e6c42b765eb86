//! Streaming commands: `writeStream.start()`, a query's own commands
//! (`status`, `lastProgress`, `stop`, `awaitTermination`, …) and the
//! session's query manager (`spark.streams`).

use std::time::Duration;

use sqlc_connect::proto::streaming_query_command::Command as QueryCmd;
use sqlc_connect::proto::streaming_query_command_result::{
    self as qres, ResultType as QueryResult,
};
use sqlc_connect::proto::streaming_query_manager_command::Command as ManagerCmd;
use sqlc_connect::proto::streaming_query_manager_command_result::{
    self as mres, ResultType as ManagerResult,
};
use sqlc_connect::proto::write_stream_operation_start::{SinkDestination, Trigger as ProtoTrigger};
use sqlc_connect::proto::{
    StreamingQueryCommand, StreamingQueryCommandResult, StreamingQueryInstanceId,
    StreamingQueryManagerCommand, StreamingQueryManagerCommandResult, WriteStreamOperationStart,
    WriteStreamOperationStartResult,
};
use sqlc_runtime::query::{StreamingQuery, Trigger};

use super::error::python_code;
use super::expression::required;
use super::relation::to_df;
use super::sessions::ConnectSession;
use crate::error::{Error, Result};
use crate::ExplainMode;

fn instance_id(q: &StreamingQuery) -> StreamingQueryInstanceId {
    StreamingQueryInstanceId {
        id: q.id().to_string(),
        run_id: q.run_id().to_string(),
    }
}

/// `df.writeStream...start()`.
pub fn start(
    cs: &ConnectSession,
    w: &WriteStreamOperationStart,
) -> Result<WriteStreamOperationStartResult> {
    if w.foreach_writer.is_some() {
        return Err(python_code("writeStream.foreach"));
    }
    if w.foreach_batch.is_some() {
        return Err(python_code("writeStream.foreachBatch"));
    }
    let df = to_df(cs, required(&w.input, "WriteStreamOperationStart.input")?)?;
    let mut writer = df.write_stream();
    if !w.format.is_empty() {
        writer = writer.format(&w.format);
    }
    if !w.output_mode.is_empty() {
        writer = writer.output_mode(&w.output_mode);
    }
    if !w.query_name.is_empty() {
        writer = writer.query_name(&w.query_name);
    }
    let mut opts: Vec<(&String, &String)> = w.options.iter().collect();
    opts.sort();
    for (k, v) in opts {
        writer = writer.option(k, v);
    }
    if !w.partitioning_column_names.is_empty() {
        writer = writer.partition_by(&w.partitioning_column_names);
    }
    match &w.trigger {
        None => {}
        Some(ProtoTrigger::ProcessingTimeInterval(i)) => writer = writer.processing_time(i),
        Some(ProtoTrigger::AvailableNow(true)) => writer = writer.trigger(Trigger::AvailableNow),
        Some(ProtoTrigger::Once(true)) => writer = writer.trigger(Trigger::Once),
        Some(ProtoTrigger::AvailableNow(false)) | Some(ProtoTrigger::Once(false)) => {}
        Some(ProtoTrigger::ContinuousCheckpointInterval(_)) => {
            return Err(Error::not_supported("the continuous trigger"))
        }
        Some(ProtoTrigger::RealTimeBatchDuration(_)) => {
            return Err(Error::not_supported("the real-time trigger"))
        }
    }
    match &w.sink_destination {
        None => {}
        Some(SinkDestination::Path(p)) => writer = writer.option("path", p),
        Some(SinkDestination::TableName(t)) => {
            return Err(Error::not_supported(format!(
                "writeStream.toTable('{t}'); use format('memory').queryName('{t}').start()"
            )))
        }
    }
    let q = writer.start()?;
    let result = WriteStreamOperationStartResult {
        query_id: Some(instance_id(&q)),
        name: q.name().unwrap_or_default().to_string(),
        query_started_event_json: None,
    };
    cs.add_query(q, df);
    Ok(result)
}

fn timeout(ms: Option<i64>) -> Option<Duration> {
    ms.map(|ms| Duration::from_millis(ms.max(0) as u64))
}

/// A query's command.
pub fn query_command(
    cs: &ConnectSession,
    c: &StreamingQueryCommand,
) -> Result<StreamingQueryCommandResult> {
    let id = required(&c.query_id, "StreamingQueryCommand.query_id")?;
    let (q, df) = cs.query(&id.id).ok_or_else(|| {
        Error::analysis(
            "STREAMING_QUERY_NOT_FOUND",
            format!(
                "The streaming query {} is not known to this session.",
                id.id
            ),
        )
    })?;
    let progress = |all: bool| {
        let list = if all {
            q.recent_progress()
        } else {
            q.last_progress().into_iter().collect()
        };
        QueryResult::RecentProgress(qres::RecentProgressResult {
            recent_progress_json: list.iter().map(|p| p.to_json().to_string()).collect(),
        })
    };
    let result = match required(&c.command, "StreamingQueryCommand.command")? {
        QueryCmd::Status(_) => {
            let st = q.status();
            Some(QueryResult::Status(qres::StatusResult {
                status_message: st.message,
                is_data_available: st.is_data_available,
                is_trigger_active: st.is_trigger_active,
                is_active: q.is_active(),
            }))
        }
        QueryCmd::LastProgress(_) => Some(progress(false)),
        QueryCmd::RecentProgress(_) => Some(progress(true)),
        QueryCmd::Stop(_) => {
            q.stop()?;
            None
        }
        QueryCmd::ProcessAllAvailable(_) => {
            q.process_all_available()?;
            None
        }
        QueryCmd::Explain(e) => {
            let mode = if e.extended {
                ExplainMode::Extended
            } else {
                ExplainMode::Simple
            };
            Some(QueryResult::Explain(qres::ExplainResult {
                result: df.explain_mode(mode)?,
            }))
        }
        QueryCmd::Exception(_) => Some(QueryResult::Exception(match q.exception() {
            Some(e) => qres::ExceptionResult {
                exception_message: Some(e.to_string()),
                error_class: Some(e.class().to_string()),
                stack_trace: None,
            },
            None => qres::ExceptionResult::default(),
        })),
        QueryCmd::AwaitTermination(a) => Some(QueryResult::AwaitTermination(
            qres::AwaitTerminationResult {
                terminated: q.await_termination(timeout(a.timeout_ms))?,
            },
        )),
    };
    Ok(StreamingQueryCommandResult {
        query_id: Some(instance_id(&q)),
        result_type: result,
    })
}

/// A command of `spark.streams`.
pub fn manager_command(
    cs: &ConnectSession,
    c: &StreamingQueryManagerCommand,
) -> Result<StreamingQueryManagerCommandResult> {
    let instance = |q: &StreamingQuery| mres::StreamingQueryInstance {
        id: Some(instance_id(q)),
        name: q.name().map(str::to_string),
    };
    let streams = cs.session.streams();
    let result = match required(&c.command, "StreamingQueryManagerCommand.command")? {
        ManagerCmd::Active(_) => ManagerResult::Active(mres::ActiveResult {
            active_queries: streams.active().iter().map(instance).collect(),
        }),
        ManagerCmd::GetQuery(id) => match streams.get(id) {
            Some(q) => ManagerResult::Query(instance(&q)),
            None => {
                return Ok(StreamingQueryManagerCommandResult { result_type: None });
            }
        },
        ManagerCmd::AwaitAnyTermination(a) => {
            ManagerResult::AwaitAnyTermination(mres::AwaitAnyTerminationResult {
                terminated: streams.await_any_termination(timeout(a.timeout_ms))?,
            })
        }
        ManagerCmd::ResetTerminated(_) => {
            cs.forget_terminated();
            ManagerResult::ResetTerminated(true)
        }
        ManagerCmd::AddListener(_) | ManagerCmd::RemoveListener(_) => {
            return Err(python_code("A StreamingQueryListener"))
        }
        ManagerCmd::ListListeners(_) => {
            ManagerResult::ListListeners(mres::ListStreamingQueryListenerResult {
                listener_ids: Vec::new(),
            })
        }
    };
    Ok(StreamingQueryManagerCommandResult {
        result_type: Some(result),
    })
}

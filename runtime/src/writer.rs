//! Starting a streaming query (`write_stream()…start()`): check the plan and
//! output mode as Spark does, compile the kernels, open the sources and the
//! sink, and hand everything to the query's thread.

use std::collections::HashMap;
use std::sync::Arc;

use sqlc_compiler::physical::plan_physical;
use sqlc_compiler::plan::Plan;
use sqlc_compiler::ExecMode;

use crate::catalog::{Catalog, Relation};
use crate::checker::check_streaming;
use crate::error::{Error, Result};
use crate::query::{new_uuid, QuerySpec, StreamingQuery, StreamingQueryManager, Trigger};
use crate::sink::{
    BatchFn, ConsoleSink, ForeachBatchSink, ForeachSink, MemorySink, MemoryTable, OutputMode,
    RowFn, Sink,
};

/// What `write_stream()` collected.
#[derive(Default)]
pub struct WriterConfig {
    pub query_name: Option<String>,
    /// memory, console, foreach, foreachBatch (set by those calls), …
    pub format: Option<String>,
    pub output_mode: Option<OutputMode>,
    pub trigger: Trigger,
    pub options: HashMap<String, String>,
    pub foreach: Option<RowFn>,
    pub foreach_batch: Option<BatchFn>,
    pub exec_mode: Option<ExecMode>,
}

impl WriterConfig {
    fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn usize_option(&self, name: &str, default: usize) -> Result<usize> {
        match self.option(name) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|_| Error::BadOption {
                name: name.into(),
                value: v.into(),
                reason: "expected a non-negative integer".into(),
            }),
        }
    }
}

pub fn start(
    plan: &Arc<Plan>,
    catalog: &Arc<Catalog>,
    streams: &StreamingQueryManager,
    mut cfg: WriterConfig,
    partitions: usize,
) -> Result<StreamingQuery> {
    if !plan.is_streaming() {
        return Err(Error::Unsupported(
            "'writeStream' can be called only on streaming Dataset/DataFrame".into(),
        ));
    }
    let mode = cfg.output_mode.unwrap_or(OutputMode::Append);
    check_streaming(plan, mode)?;
    if let Some(name) = &cfg.query_name {
        if streams.get_by_name(name).is_some() {
            return Err(Error::Unsupported(format!(
                "Cannot start query with name {name} as a query with that name is already active in this SparkSession"
            )));
        }
    }
    let format = cfg
        .format
        .clone()
        .unwrap_or_else(|| "parquet".into())
        .to_ascii_lowercase();
    let exec_mode = cfg.exec_mode.unwrap_or_else(ExecMode::from_env);
    let phys = plan_physical(plan, exec_mode)?;
    let mut sources = Vec::new();
    for (id, streaming) in plan.scans() {
        if !streaming {
            continue;
        }
        match catalog.relation(&id) {
            Some(Relation::Stream { def, .. }) => sources.push((id, def.open()?)),
            _ => {
                return Err(Error::Unsupported(format!(
                    "relation {id:?} is not a stream"
                )))
            }
        }
    }
    // The sink last: a memory sink registers its table, which only a query
    // that compiled and opened its sources should do.
    let sink: Box<dyn Sink> = match format.as_str() {
        "memory" => {
            let name = cfg
                .query_name
                .clone()
                .ok_or_else(|| Error::Unsupported("queryName must be specified for memory sink".into()))?;
            let table = MemoryTable::new(plan.schema.to_arrow());
            let scan = catalog.add(Relation::Memory { name: name.clone(), table: table.clone() }, plan.schema.clone());
            catalog.set_name(&name, scan);
            Box::new(MemorySink::new(table))
        }
        "console" => {
            let num_rows = cfg.usize_option("numRows", 20)?;
            let truncate = match cfg.option("truncate").map(|s| s.to_ascii_lowercase()) {
                None => 20,
                Some(t) if t == "true" => 20,
                Some(t) if t == "false" => 0,
                Some(t) => t.parse().map_err(|_| Error::BadOption {
                    name: "truncate".into(),
                    value: t.clone(),
                    reason: "expected true, false or a number of characters".into(),
                })?,
            };
            Box::new(ConsoleSink::new(num_rows, truncate))
        }
        "foreach" => Box::new(ForeachSink::new(
            cfg.foreach.take().ok_or_else(|| Error::Unsupported("foreach sink needs a closure: use foreach()".into()))?,
        )),
        "foreachbatch" => Box::new(ForeachBatchSink::new(cfg.foreach_batch.take().ok_or_else(|| {
            Error::Unsupported("foreachBatch sink needs a closure: use foreach_batch()".into())
        })?)),
        "kafka" => {
            let topic = cfg.option("topic").map(str::to_string);
            crate::sink::kafka::check_schema(&plan.schema.to_arrow(), topic.as_deref())?;
            let client: Vec<(String, String)> = cfg
                .options
                .iter()
                .filter_map(|(k, v)| Some((crate::source::kafka::options::client_key(k)?, v.clone())))
                .collect();
            let timeout = std::time::Duration::from_millis(cfg.usize_option("kafkaProducer.timeoutMs", 30_000)? as u64);
            Box::new(crate::sink::KafkaSink::new(&client, topic, timeout)?)
        }
        other => {
            return Err(Error::Unsupported(format!(
                "sink format '{other}' is not supported (supported: memory, console, kafka, foreach, foreachBatch)"
            )))
        }
    };
    let spec = QuerySpec {
        name: cfg.query_name.clone(),
        plan: phys,
        sources,
        static_inputs: catalog.static_inputs(plan)?,
        sink,
        output_mode: mode,
        trigger: cfg.trigger,
        partitions,
    };
    let q = StreamingQuery::start(spec, new_uuid())?;
    streams.register(q.clone());
    Ok(q)
}

//! Starting a streaming query (`write_stream()…start()`): check the plan and
//! output mode as Spark does, compile the kernels, open the sources and the
//! sink, and hand everything to the query's thread.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use sqlc_compiler::physical::{plan_physical, PhysPlan};
use sqlc_compiler::plan::{Plan, SourceId};
use sqlc_compiler::ExecMode;

use crate::catalog::{Catalog, Relation};
use crate::checker::check_streaming;
use crate::checkpoint::{
    Checkpoint, DEFAULT_MIN_BATCHES_TO_RETAIN, DEFAULT_MIN_DELTAS_FOR_SNAPSHOT,
};
use crate::error::{Error, Result};
use crate::exec::WatermarkPolicy;
use crate::query::{new_uuid, QuerySpec, StreamingQuery, StreamingQueryManager, Trigger};
use crate::sink::{
    BatchFn, ConsoleSink, FileSink, ForeachBatchSink, ForeachSink, MemorySink, MemoryTable,
    OutputMode, RowFn, Sink,
};
use crate::source::{FileFormat, Source};
use sqlc_compiler::time_zone::TimeZone;

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
    /// `partitionBy(..)` (file sinks); the option `partitionBy` (a comma
    /// separated list) is read too.
    pub partition_by: Vec<String>,
    /// Session settings that apply: `spark.sql.streaming.checkpointLocation`
    /// (a root under which a query named `q` checkpoints in `q/`),
    /// `spark.sql.streaming.minBatchesToRetain` and
    /// `spark.sql.streaming.stateStore.minDeltasForSnapshot` and
    /// `spark.sql.session.timeZone`.
    pub session_conf: HashMap<String, String>,
    pub watermark_policy: WatermarkPolicy,
}

/// The session time zone the query was started in.
fn session_zone(cfg: &WriterConfig) -> Result<TimeZone> {
    match cfg.session_conf.get(sqlc_compiler::time_zone::CONF_KEY) {
        Some(id) => Ok(TimeZone::from_conf(id)?),
        None => Ok(TimeZone::Utc),
    }
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

/// The memory table `name` that receives the rows the query drops as late
/// (option `lateRowsTable`; beyond Spark, which drops them silently).
fn late_rows_table(
    phys: &PhysPlan,
    catalog: &Arc<Catalog>,
    name: &str,
) -> Result<(Box<dyn Sink>, SchemaRef)> {
    let (_, schema) = phys.late_rows_source().ok_or_else(|| Error::BadOption {
        name: "lateRowsTable".into(),
        value: name.into(),
        reason: "the query drops no late rows: it needs a watermark (with_watermark) and a \
                 stateful operator on its event-time column (a windowed aggregation, an \
                 aggregation by the column, or drop_duplicates)"
            .into(),
    })?;
    let logical = sqlc_compiler::Schema::from_arrow(&schema).map_err(Error::not_supported)?;
    let table = MemoryTable::new(schema.clone());
    let scan = catalog.add(
        Relation::Memory {
            name: name.to_string(),
            table: table.clone(),
        },
        logical,
    );
    catalog.set_name(name, scan);
    Ok((Box::new(MemorySink::new(table)), schema))
}

pub fn start(
    plan: &Arc<Plan>,
    catalog: &Arc<Catalog>,
    streams: &StreamingQueryManager,
    mut cfg: WriterConfig,
    partitions: usize,
) -> Result<StreamingQuery> {
    if !plan.is_streaming() {
        return Err(Error::analysis(
            "WRITE_STREAM_NOT_ALLOWED",
            "'writeStream' can be called only on streaming Dataset/DataFrame",
        ));
    }
    let mode = cfg.output_mode.unwrap_or(OutputMode::Append);
    check_streaming(plan, mode)?;
    if let Some(name) = &cfg.query_name {
        if streams.get_by_name(name).is_some() {
            return Err(Error::analysis("STREAMING_QUERY_ALREADY_EXISTS", format!(
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
    let is_file_sink = matches!(format.as_str(), "json" | "csv" | "parquet");
    if is_file_sink && mode != OutputMode::Append {
        return Err(Error::analysis(
            "INVALID_STREAMING_OUTPUT_MODE",
            format!("Data source {format} does not support {mode} output mode"),
        ));
    }
    // Spark requires a checkpoint of file and Kafka sinks.
    let checkpoint = open_checkpoint(&cfg, is_file_sink || format == "kafka", &format)?;
    let phys = plan_physical(plan, exec_mode)?;
    // What the query reads of each source; a late-rows table gets whole
    // input rows, so then every column is decoded.
    let reads = if cfg.option("lateRowsTable").is_some() {
        Default::default()
    } else {
        phys.scan_specs()
    };
    let mut sources = open_sources(plan, catalog, &reads)?;
    let opened = (|| {
        let query_id = query_id(checkpoint.as_ref(), streams)?;
        // The sink last: a memory sink registers its table, which only a
        // query that compiled and opened its sources should do.
        let sink = open_sink(&format, plan, catalog, &mut cfg)?;
        let late_sink = match cfg.option("lateRowsTable") {
            None => None,
            Some(name) => Some(late_rows_table(&phys, catalog, name)?),
        };
        let statics = catalog.static_inputs(plan, &reads)?;
        Ok((query_id, sink, late_sink, statics.data))
    })();
    let (query_id, sink, late_sink, static_inputs) = match opened {
        Ok(parts) => parts,
        Err(e) => {
            // An opened source may hold a connection and a thread reading
            // it: let them go.
            for (_, s) in sources.iter_mut() {
                s.stop();
            }
            return Err(e);
        }
    };
    let spec = QuerySpec {
        name: cfg.query_name.clone(),
        plan: phys,
        sources,
        static_inputs,
        sink,
        output_mode: mode,
        trigger: cfg.trigger,
        partitions,
        checkpoint,
        watermark_policy: cfg.watermark_policy,
        late_sink,
    };
    let q = StreamingQuery::start(spec, query_id)?;
    streams.register(q.clone());
    Ok(q)
}

/// Opens a source for each stream the plan scans.
fn open_sources(
    plan: &Plan,
    catalog: &Catalog,
    reads: &std::collections::HashMap<SourceId, sqlc_compiler::scan_spec::ScanSpec>,
) -> Result<Vec<(SourceId, Box<dyn Source>)>> {
    let mut sources: Vec<(SourceId, Box<dyn Source>)> = Vec::new();
    for (id, streaming) in plan.scans() {
        // A stream scanned twice (a self-union or self-join) is read once;
        // both scans see its batches.
        if !streaming || sources.iter().any(|(s, _)| *s == id) {
            continue;
        }
        let opened = match catalog.relation(&id) {
            Some(Relation::Stream { def, .. }) => def.open_reading(reads.get(&id)),
            _ => Err(Error::internal(format!("relation {id:?} is not a stream"))),
        };
        match opened {
            Ok(s) => sources.push((id, s)),
            Err(e) => {
                for (_, s) in sources.iter_mut() {
                    s.stop();
                }
                return Err(e);
            }
        }
    }
    Ok(sources)
}

/// The query's id: the checkpoint's (refused while another query runs
/// from it), or a new one.
fn query_id(checkpoint: Option<&Checkpoint>, streams: &StreamingQueryManager) -> Result<String> {
    let Some(ck) = checkpoint else {
        return Ok(new_uuid());
    };
    let query_id = ck.query_id(&new_uuid())?;
    if streams.active().iter().any(|q| q.id() == query_id) {
        return Err(Error::analysis("CONCURRENT_QUERY", format!(
            "Cannot start query with id {query_id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint {} that is already active.",
            ck.root().display()
        )));
    }
    Ok(query_id)
}

/// The sink of `format`, from the writer's options.
fn open_sink(
    format: &str,
    plan: &Plan,
    catalog: &Arc<Catalog>,
    cfg: &mut WriterConfig,
) -> Result<Box<dyn Sink>> {
    Ok(match format {
        "memory" => {
            let name = cfg
                .query_name
                .clone()
                .ok_or_else(|| Error::options("queryName must be specified for memory sink"))?;
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
            Box::new(ConsoleSink::new(num_rows, truncate).in_zone(session_zone(cfg)?))
        }
        "foreach" => Box::new(ForeachSink::new(
            cfg.foreach.take().ok_or_else(|| Error::options("foreach sink needs a closure: use foreach()"))?,
        )),
        "foreachbatch" => Box::new(ForeachBatchSink::new(cfg.foreach_batch.take().ok_or_else(|| {
            Error::options("foreachBatch sink needs a closure: use foreach_batch()")
        })?)),
        "json" | "csv" | "parquet" => {
            let path = cfg.option("path").ok_or_else(|| {
                Error::options("'path' is not specified: a file sink needs option(\"path\", …)")
            })?;
            let mut partition_by = cfg.partition_by.clone();
            if let Some(p) = cfg.option("partitionBy") {
                partition_by.extend(p.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()));
            }
            let header = match cfg.option("header").map(|h| h.to_ascii_lowercase()) {
                None => false,
                Some(h) if h == "true" => true,
                Some(h) if h == "false" => false,
                Some(h) => {
                    return Err(Error::BadOption {
                        name: "header".into(),
                        value: h,
                        reason: "expected true or false".into(),
                    })
                }
            };
            let fmt: FileFormat = format.parse()?;
            let tz = match cfg.option("timeZone") {
                Some(id) => TimeZone::parse(id).ok_or_else(|| Error::BadOption {
                    name: "timeZone".into(),
                    value: id.to_string(),
                    reason: "not a time zone Spark reads (a region such as 'America/Los_Angeles', or an offset such as '+08:00')".into(),
                })?,
                None => session_zone(cfg)?,
            };
            Box::new(FileSink::new(path.as_ref(), fmt, partition_by, header, &plan.schema.to_arrow())?.in_zone(tz))
        }
        "kafka" => {
            let topic = cfg.option("topic").map(str::to_string);
            crate::connector::kafka::check_schema(&plan.schema.to_arrow(), topic.as_deref())?;
            let client: Vec<(String, String)> = cfg
                .options
                .iter()
                .filter_map(|(k, v)| Some((crate::connector::kafka::options::client_key(k)?, v.clone())))
                .collect();
            let timeout = std::time::Duration::from_millis(cfg.usize_option("kafkaProducer.timeoutMs", 30_000)? as u64);
            Box::new(crate::connector::kafka::KafkaSink::new(&client, topic, timeout)?)
        }
        other => {
            return Err(Error::analysis("DATA_SOURCE_NOT_FOUND", format!(
                "sink format '{other}' is not supported (supported: memory, console, kafka, foreach, foreachBatch, json, csv, parquet)"
            )))
        }
    })
}

/// The query's checkpoint: the `checkpointLocation` option, else a
/// directory named after the query under the session's
/// `spark.sql.streaming.checkpointLocation`. File and Kafka sinks require one.
fn open_checkpoint(cfg: &WriterConfig, required: bool, format: &str) -> Result<Option<Checkpoint>> {
    let root = cfg
        .session_conf
        .get("spark.sql.streaming.checkpointLocation");
    let location = match (cfg.option("checkpointLocation"), root, &cfg.query_name) {
        (Some(l), _, _) => Some(std::path::PathBuf::from(l)),
        (None, Some(root), Some(name)) => Some(std::path::Path::new(root).join(name)),
        _ => None,
    };
    let Some(location) = location else {
        if required {
            return Err(Error::options(format!(
                "checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...) (sink format {format})"
            )));
        }
        return Ok(None);
    };
    let positive = |key: &str, default: u64| match cfg.session_conf.get(key) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| Error::BadOption {
                name: key.into(),
                value: v.clone(),
                reason: "expected a positive integer".into(),
            }),
    };
    let retain = positive(
        "spark.sql.streaming.minBatchesToRetain",
        DEFAULT_MIN_BATCHES_TO_RETAIN,
    )?;
    let min_deltas = positive(
        "spark.sql.streaming.stateStore.minDeltasForSnapshot",
        DEFAULT_MIN_DELTAS_FOR_SNAPSHOT as u64,
    )?;
    Checkpoint::open(&location, retain, min_deltas as usize).map(Some)
}

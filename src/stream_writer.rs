//! `df.write_stream()`: PySpark's DataStreamWriter.

use std::sync::Arc;

use arrow::record_batch::RecordBatch;
use sqlc_runtime::query::{StreamingQuery, Trigger};
use sqlc_runtime::row::Row;
use sqlc_runtime::sink::OutputMode;
use sqlc_runtime::writer::{self, WriterConfig};

use crate::dataframe::DataFrame;
use crate::error::{Error, Result};

pub struct DataStreamWriter {
    df: DataFrame,
    cfg: WriterConfig,
    /// A bad setting, reported by `start()` (the builder methods chain).
    error: Option<Error>,
}

impl DataStreamWriter {
    pub(crate) fn new(df: DataFrame) -> Self {
        DataStreamWriter {
            df,
            cfg: WriterConfig::default(),
            error: None,
        }
    }

    pub fn query_name(mut self, name: &str) -> Self {
        self.cfg.query_name = Some(name.to_string());
        self
    }

    /// memory, console, foreach, foreachBatch, json, csv, parquet.
    pub fn format(mut self, f: &str) -> Self {
        self.cfg.format = Some(f.to_string());
        self
    }

    /// "append", "update" or "complete".
    pub fn output_mode(mut self, mode: &str) -> Self {
        match OutputMode::parse(mode) {
            Ok(m) => self.cfg.output_mode = Some(m),
            Err(e) => self.error = self.error.or(Some(e.into())),
        }
        self
    }

    pub fn trigger(mut self, t: Trigger) -> Self {
        self.cfg.trigger = t;
        self
    }

    /// `trigger(processingTime="5 seconds")`.
    pub fn processing_time(mut self, interval: &str) -> Self {
        match Trigger::processing_time(interval) {
            Ok(t) => self.cfg.trigger = t,
            Err(e) => self.error = self.error.or(Some(e.into())),
        }
        self
    }

    pub fn option(mut self, key: &str, value: impl ToString) -> Self {
        self.cfg.options.insert(key.to_string(), value.to_string());
        self
    }

    /// File sinks: writes each row under `col=value/` directories of these
    /// columns (PySpark's `partitionBy`).
    pub fn partition_by<S: AsRef<str>>(mut self, cols: impl IntoIterator<Item = S>) -> Self {
        self.cfg
            .partition_by
            .extend(cols.into_iter().map(|c| c.as_ref().to_string()));
        self
    }

    /// Sends the rows the query drops as late (behind the watermark, for
    /// its first stateful operator on the event-time column) to the memory
    /// table `name`, queryable with `session.sql`, instead of losing them
    /// silently as Spark does. The same as `option("lateRowsTable", name)`.
    pub fn late_rows_table(self, name: &str) -> Self {
        self.option("lateRowsTable", name)
    }

    /// Calls `f` for every output row (at least once per row).
    pub fn foreach(
        mut self,
        f: impl FnMut(&Row) -> sqlc_runtime::Result<()> + Send + 'static,
    ) -> Self {
        self.cfg.foreach = Some(Box::new(f));
        self.cfg.format = Some("foreach".into());
        self
    }

    /// Calls `f` with each batch's rows as a DataFrame, and the batch id.
    pub fn foreach_batch(
        mut self,
        mut f: impl FnMut(DataFrame, u64) -> Result<()> + Send + 'static,
    ) -> Self {
        let session = self.df.session().clone();
        let schema = self.df.schema().to_arrow();
        self.cfg.foreach_batch = Some(Box::new(move |rows: &[RecordBatch], id: u64| {
            let rows = if rows.is_empty() {
                vec![RecordBatch::new_empty(schema.clone())]
            } else {
                rows.to_vec()
            };
            let df = session
                .create_data_frame(rows)
                .map_err(crate::Error::into_runtime)?;
            let plan = Arc::clone(df.plan());
            let result = f(df, id).map_err(|e| sqlc_runtime::Error::UserFunction(Box::new(e)));
            // As in Spark, the batch's DataFrame is for this call only: its
            // rows are dropped, not kept by the session for its life.
            session.catalog().remove_scanned(&plan);
            result
        }));
        self.cfg.format = Some("foreachBatch".into());
        self
    }

    /// Starts the query; returns at once.
    pub fn start(mut self) -> Result<StreamingQuery> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let session = self.df.session().clone();
        self.cfg.exec_mode = Some(session.exec_mode());
        for key in [
            "spark.sql.streaming.checkpointLocation",
            "spark.sql.streaming.minBatchesToRetain",
            "spark.sql.streaming.stateStore.minDeltasForSnapshot",
            sqlc_compiler::time_zone::CONF_KEY,
        ] {
            if let Some(v) = session.conf().get(key) {
                self.cfg.session_conf.insert(key.to_string(), v);
            }
        }
        self.cfg.watermark_policy = session.watermark_policy()?;
        let plan = session.zoned(self.df.plan())?;
        Ok(writer::start(
            &plan,
            session.catalog(),
            session.streams(),
            self.cfg,
            session.shuffle_partitions()?,
        )?)
    }
}

//! `Session`: the entry point, as PySpark's `SparkSession`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use arrow::record_batch::RecordBatch;
use sqlc_compiler::plan::Plan;
use sqlc_compiler::time_zone::TimeZone;
use sqlc_compiler::{ExecMode, Schema};
use sqlc_runtime::catalog::{Catalog, Relation};
use sqlc_runtime::exec::WatermarkPolicy;
use sqlc_runtime::query::StreamingQueryManager;
use sqlc_runtime::source::file_partitions::Packing;

use crate::dataframe::DataFrame;
use crate::error::{Error, Result};
use crate::reader::{DataFrameReader, DataStreamReader};

/// Spark's default for `spark.sql.shuffle.partitions`.
const DEFAULT_SHUFFLE_PARTITIONS: usize = 200;

/// A session: its configuration, its tables and views, and the streaming
/// queries it started. Cheap to clone (a handle).
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    app_name: String,
    conf: RuntimeConfig,
    catalog: Arc<Catalog>,
    streams: StreamingQueryManager,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session({})", self.inner.app_name)
    }
}

/// The settings sqlc reads, with the check of a value (`None`: any).
const KNOWN_CONF: &[(&str, Option<fn(&str) -> bool>)] = &[
    ("spark.sql.shuffle.partitions", Some(positive_int)),
    ("spark.sql.streaming.minBatchesToRetain", Some(positive_int)),
    (
        "spark.sql.streaming.stateStore.minDeltasForSnapshot",
        Some(positive_int),
    ),
    ("spark.sql.streaming.checkpointLocation", None),
    (
        "spark.sql.streaming.multipleWatermarkPolicy",
        Some(min_or_max),
    ),
    ("sqlc.exec", Some(exec_mode_name)),
    ("spark.sql.files.maxPartitionBytes", Some(byte_size)),
    ("spark.sql.files.openCostInBytes", Some(byte_size)),
    ("spark.sql.files.minPartitionNum", Some(positive_int)),
    ("spark.sql.leafNodeDefaultParallelism", Some(positive_int)),
    ("spark.default.parallelism", Some(positive_int)),
    (TZ_KEY, Some(zone_id)),
];

const TZ_KEY: &str = sqlc_compiler::time_zone::CONF_KEY;

fn zone_id(v: &str) -> bool {
    TimeZone::parse(v).is_some()
}

fn positive_int(v: &str) -> bool {
    v.trim().parse::<u64>().is_ok_and(|n| n > 0)
}

fn byte_size(v: &str) -> bool {
    parse_bytes(v).is_some()
}

/// A size as Spark's byte settings take it: bytes, or a number with a
/// unit (`b`, `k`/`kb`, `m`/`mb`, `g`/`gb`, `t`/`tb`, any case).
fn parse_bytes(v: &str) -> Option<u64> {
    let v = v.trim().to_ascii_lowercase();
    let digits = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let n: u64 = v[..digits].parse().ok()?;
    let shift = match v[digits..].trim() {
        "" | "b" => 0,
        "k" | "kb" => 10,
        "m" | "mb" => 20,
        "g" | "gb" => 30,
        "t" | "tb" => 40,
        _ => return None,
    };
    n.checked_mul(1 << shift)
}

fn min_or_max(v: &str) -> bool {
    WatermarkPolicy::parse(v.trim()).is_some()
}

fn exec_mode_name(v: &str) -> bool {
    matches!(v, "jit" | "interpret" | "interpreted")
}

/// Checks a setting as a tool takes it (`sqlc --conf KEY=VALUE`): a value a
/// setting sqlc reads cannot take is an error; a key sqlc does not read is
/// kept (Spark accepts any) and `Ok(Some(warning))` says so, naming the
/// closest key sqlc reads when one is close (a misspelling).
pub fn check_conf(key: &str, value: &str) -> std::result::Result<Option<String>, String> {
    match KNOWN_CONF.iter().find(|(k, _)| *k == key) {
        Some((_, Some(valid))) if !valid(value) && key == TZ_KEY => {
            Err(sqlc_compiler::time_zone::invalid_conf(value).to_string())
        }
        Some((_, Some(valid))) if !valid(value) => Err(format!(
            "[INVALID_CONF_VALUE] The value '{value}' of the config \"{key}\" is invalid."
        )),
        Some(_) => Ok(None),
        None => {
            let near = sqlc_compiler::error::closest(key, KNOWN_CONF.iter().map(|(k, _)| *k), 1);
            Ok(Some(match near.first() {
                Some(n) => format!("sqlc does not use the setting '{key}' (kept, as Spark does): did you mean '{n}'?"),
                None => format!("sqlc does not use the setting '{key}' (kept, as Spark does)"),
            }))
        }
    }
}

/// `spark.conf`: string settings, set and read at run time.
#[derive(Default)]
pub struct RuntimeConfig {
    map: RwLock<HashMap<String, String>>,
}

impl RuntimeConfig {
    /// `conf().set("spark.sql.shuffle.partitions", 5)`.
    pub fn set(&self, key: &str, value: impl ToString) -> &Self {
        self.map
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string(), value.to_string());
        self
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    /// Every setting made, sorted by key (`spark.conf.getAll`).
    pub fn entries(&self) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = self
            .map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all.sort();
        all
    }

    pub fn unset(&self, key: &str) {
        self.map
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

pub struct SessionBuilder {
    app_name: String,
    config: Vec<(String, String)>,
}

impl SessionBuilder {
    pub fn app_name(mut self, name: &str) -> Self {
        self.app_name = name.to_string();
        self
    }

    /// Accepted for PySpark compatibility (`local[2]`); sqlc uses every core.
    pub fn master(self, _master: &str) -> Self {
        self
    }

    pub fn config(mut self, key: &str, value: impl ToString) -> Self {
        self.config.push((key.to_string(), value.to_string()));
        self
    }

    /// The process's shared session (created on first use), with this
    /// builder's settings applied, as `getOrCreate` does.
    pub fn get_or_create(self) -> Session {
        static DEFAULT: OnceLock<Mutex<Option<Session>>> = OnceLock::new();
        let mut slot = DEFAULT
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let s = slot
            .get_or_insert_with(|| Session::with_name(&self.app_name))
            .clone();
        for (k, v) in &self.config {
            s.conf().set(k, v);
        }
        s
    }

    /// A session of its own, sharing nothing with others (for tests and
    /// for applications that want isolation).
    pub fn create(self) -> Session {
        let s = Session::with_name(&self.app_name);
        for (k, v) in &self.config {
            s.conf().set(k, v);
        }
        s
    }
}

impl Session {
    pub fn builder() -> SessionBuilder {
        SessionBuilder {
            app_name: "sqlc".into(),
            config: Vec::new(),
        }
    }

    fn with_name(name: &str) -> Session {
        Session {
            inner: Arc::new(Inner {
                app_name: name.to_string(),
                conf: RuntimeConfig::default(),
                catalog: Catalog::new(),
                streams: StreamingQueryManager::new(),
            }),
        }
    }

    /// A new session with its own tables and queries.
    pub fn new_session(&self) -> Session {
        Session::with_name(&self.inner.app_name)
    }

    pub fn app_name(&self) -> &str {
        &self.inner.app_name
    }

    pub fn conf(&self) -> &RuntimeConfig {
        &self.inner.conf
    }

    pub fn read(&self) -> DataFrameReader {
        DataFrameReader::new(self.clone())
    }

    pub fn read_stream(&self) -> DataStreamReader {
        DataStreamReader::new(self.clone())
    }

    /// The streaming queries this session started.
    pub fn streams(&self) -> &StreamingQueryManager {
        &self.inner.streams
    }

    /// Runs a SQL query over the session's tables, views and memory tables.
    /// A memory table shows its query's last committed batch.
    pub fn sql(&self, query: &str) -> Result<DataFrame> {
        if let Some(answer) = sqlc_compiler::sql::catalog_command(query) {
            return self.text_rows(answer?);
        }
        if let Some(cmd) = sqlc_compiler::sql::conf_command(query) {
            return self.conf_rows(cmd?);
        }
        let tz = self.time_zone()?;
        let plan = sqlc_compiler::time_zone::with_session(&tz, || {
            sqlc_compiler::sql::plan_query(query, self.inner.catalog.as_ref())
        })?;
        Ok(DataFrame::new(self.clone(), plan))
    }

    /// Applies `SET`/`RESET` to the session's conf; Spark's answer: the
    /// (key, value) rows it set or read (`<undefined>` for a key not set),
    /// nothing for `RESET`. A value sqlc cannot use is refused, as `--conf`.
    fn conf_rows(&self, cmd: sqlc_compiler::sql::ConfCommand) -> Result<DataFrame> {
        use sqlc_compiler::sql::ConfCommand as C;
        let rows: Vec<(String, String)> = match cmd {
            C::Set { key, value } => {
                if let Err(e) = check_conf(&key, &value) {
                    if key == TZ_KEY {
                        return Err(sqlc_compiler::time_zone::invalid_conf(&value).into());
                    }
                    return Err(Error::analysis(
                        "INVALID_CONF_VALUE",
                        e.trim_start_matches("[INVALID_CONF_VALUE] ").to_string(),
                    ));
                }
                self.conf().set(&key, &value);
                vec![(key, value)]
            }
            C::Get(key) => {
                let v = self.conf().get(&key).unwrap_or_else(|| {
                    if key == TZ_KEY {
                        sqlc_compiler::time_zone::DEFAULT.to_string()
                    } else {
                        "<undefined>".to_string()
                    }
                });
                vec![(key, v)]
            }
            C::List => self.conf().entries(),
            C::Reset(key) => {
                match key {
                    Some(k) => self.conf().unset(&k),
                    None => {
                        for (k, _) in self.conf().entries() {
                            self.conf().unset(&k);
                        }
                    }
                }
                // No column, no row.
                let empty = RecordBatch::try_new_with_options(
                    std::sync::Arc::new(arrow::datatypes::Schema::empty()),
                    vec![],
                    &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(0)),
                )
                .map_err(sqlc_runtime::Error::from)?;
                return self.create_data_frame(vec![empty]);
            }
        };
        let schema = std::sync::Arc::new(arrow::datatypes::Schema::new(vec![
            arrow::datatypes::Field::new("key", arrow::datatypes::DataType::Utf8, false),
            arrow::datatypes::Field::new("value", arrow::datatypes::DataType::Utf8, false),
        ]));
        let (keys, values): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
        let batch = RecordBatch::try_new(
            schema,
            vec![
                std::sync::Arc::new(arrow::array::StringArray::from(keys)),
                std::sync::Arc::new(arrow::array::StringArray::from(values)),
            ],
        )
        .map_err(sqlc_runtime::Error::from)?;
        self.create_data_frame(vec![batch])
    }

    /// The answer of a catalog statement (`SHOW FUNCTIONS`, …) as a DataFrame.
    fn text_rows(&self, answer: sqlc_compiler::sql::CatalogAnswer) -> Result<DataFrame> {
        let schema = std::sync::Arc::new(arrow::datatypes::Schema::new(vec![
            arrow::datatypes::Field::new(answer.column, arrow::datatypes::DataType::Utf8, false),
        ]));
        let rows = arrow::array::StringArray::from(answer.rows);
        let batch = RecordBatch::try_new(schema, vec![std::sync::Arc::new(rows)])
            .map_err(sqlc_runtime::Error::from)?;
        self.create_data_frame(vec![batch])
    }

    /// A table, view or memory table by name.
    pub fn table(&self, name: &str) -> Result<DataFrame> {
        let plan = self
            .inner
            .catalog
            .lookup(name)
            .ok_or_else(|| sqlc_compiler::Error::TableNotFound(name.into()))?;
        Ok(DataFrame::new(self.clone(), plan))
    }

    /// The names of the session's tables, views, sources and memory tables,
    /// sorted (Spark's `catalog.listTables()`).
    pub fn table_names(&self) -> Vec<String> {
        self.inner.catalog.table_names()
    }

    /// A DataFrame over batches already in memory.
    pub fn create_data_frame(&self, batches: Vec<RecordBatch>) -> Result<DataFrame> {
        let Some(first) = batches.first() else {
            return Err(Error::analysis(
                "INVALID_ARGUMENT",
                "create_data_frame needs at least one batch (for its schema)",
            ));
        };
        let schema = Schema::from_arrow(&first.schema()).map_err(Error::not_supported)?;
        let plan = self.inner.catalog.add(
            Relation::Static {
                name: "memory".into(),
                batches: Arc::new(batches),
                partitions: None,
            },
            schema,
        );
        Ok(DataFrame::new(self.clone(), plan))
    }

    /// Stops every streaming query of the session.
    pub fn stop(&self) -> Result<()> {
        Ok(self.inner.streams.stop_all()?)
    }

    pub(crate) fn catalog(&self) -> &Arc<Catalog> {
        &self.inner.catalog
    }

    /// How a batch read cuts its files into partitions, from
    /// `spark.sql.files.*`; the parallelism is
    /// `spark.sql.files.minPartitionNum`, else
    /// `spark.sql.leafNodeDefaultParallelism`, else
    /// `spark.default.parallelism`, else the cores.
    pub(crate) fn file_packing(&self) -> Result<Packing> {
        let conf = self.conf();
        let mut p = Packing::default();
        let bytes = |key: &str| conf.get(key).as_deref().and_then(parse_bytes);
        if let Some(n) = bytes("spark.sql.files.maxPartitionBytes") {
            p.max_partition_bytes = n;
        }
        if let Some(n) = bytes("spark.sql.files.openCostInBytes") {
            p.open_cost = n;
        }
        let parallelism = [
            "spark.sql.files.minPartitionNum",
            "spark.sql.leafNodeDefaultParallelism",
            "spark.default.parallelism",
        ]
        .iter()
        .find_map(|k| conf.get(k)?.trim().parse::<usize>().ok());
        if let Some(n) = parallelism {
            p.min_partitions = n;
        }
        Ok(p)
    }

    pub(crate) fn shuffle_partitions(&self) -> Result<usize> {
        match self.conf().get("spark.sql.shuffle.partitions") {
            None => Ok(DEFAULT_SHUFFLE_PARTITIONS),
            Some(v) => v
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| {
                    Error::Runtime(sqlc_runtime::Error::BadOption {
                        name: "spark.sql.shuffle.partitions".into(),
                        value: v,
                        reason: "expected a positive integer".into(),
                    })
                }),
        }
    }

    /// `spark.sql.streaming.multipleWatermarkPolicy`: `min` (the default) or `max`.
    pub(crate) fn watermark_policy(&self) -> Result<WatermarkPolicy> {
        const KEY: &str = "spark.sql.streaming.multipleWatermarkPolicy";
        match self.conf().get(KEY) {
            None => Ok(WatermarkPolicy::Min),
            Some(v) => WatermarkPolicy::parse(v.trim()).ok_or_else(|| {
                Error::Runtime(sqlc_runtime::Error::BadOption {
                    name: KEY.into(),
                    value: v,
                    reason: "expected min or max".into(),
                })
            }),
        }
    }

    /// The session time zone, `spark.sql.session.timeZone` (UTC when not
    /// set): timestamps are read, printed, truncated and split into
    /// calendar fields on its wall clock.
    pub fn time_zone(&self) -> Result<TimeZone> {
        match self.conf().get(TZ_KEY) {
            None => Ok(TimeZone::Utc),
            Some(v) => Ok(TimeZone::from_conf(&v)?),
        }
    }

    /// `plan` as the session runs it now: its zone-aware expressions in
    /// the session time zone (Spark's `ResolveTimeZone`).
    pub(crate) fn zoned(&self, plan: &Arc<Plan>) -> Result<Arc<Plan>> {
        Ok(sqlc_compiler::resolve_time_zone::apply(
            plan,
            &self.time_zone()?,
        ))
    }

    /// `SQLC_EXEC`, or the session's `sqlc.exec` setting (`jit`|`interpret`).
    pub(crate) fn exec_mode(&self) -> ExecMode {
        match self.conf().get("sqlc.exec").as_deref() {
            Some("interpret") | Some("interpreted") => ExecMode::Interpret,
            Some("jit") => ExecMode::Jit,
            _ => ExecMode::from_env(),
        }
    }
}

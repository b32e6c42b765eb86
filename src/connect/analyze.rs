//! `AnalyzePlan` (schema, explain, tree string, `isStreaming`, DDL parse,
//! version) and `Config` (a session's `spark.conf`).

use sqlc_connect::proto::analyze_plan_request::explain::ExplainMode as ProtoMode;
use sqlc_connect::proto::analyze_plan_request::Analyze;
use sqlc_connect::proto::analyze_plan_response::{self as ares, Result as AnalyzeResult};
use sqlc_connect::proto::config_request::operation::OpType;
use sqlc_connect::proto::plan::OpType as PlanOp;
use sqlc_connect::proto::{KeyValue, Plan};

use super::error::unsupported;
use super::expression::required;
use super::relation::to_df;
use super::sessions::ConnectSession;
use super::types::{invalid, schema_to_proto, to_proto};
use crate::dataframe::DataFrame;
use crate::error::{Error, Result};
use crate::ExplainMode;

/// The Spark version the server reports (`spark.version`): the protocol's.
pub const SPARK_VERSION: &str = "4.3.0";

fn df_of(cs: &ConnectSession, plan: &Option<Plan>) -> Result<DataFrame> {
    match required(&required(plan, "the plan")?.op_type, "Plan.op_type")? {
        PlanOp::Root(r) => to_df(cs, r),
        _ => Err(invalid("only a relation can be analyzed")),
    }
}

pub fn analyze(cs: &ConnectSession, a: &Analyze) -> Result<AnalyzeResult> {
    Ok(match a {
        Analyze::Schema(s) => AnalyzeResult::Schema(ares::Schema {
            schema: Some(schema_to_proto(&df_of(cs, &s.plan)?.schema())),
        }),
        Analyze::Explain(e) => {
            let mode = match ProtoMode::try_from(e.explain_mode) {
                Ok(ProtoMode::Extended) => ExplainMode::Extended,
                Ok(ProtoMode::Codegen) => ExplainMode::Codegen,
                Ok(ProtoMode::Formatted) => ExplainMode::Formatted,
                Ok(ProtoMode::Cost) => ExplainMode::Extended,
                _ => ExplainMode::Simple,
            };
            AnalyzeResult::Explain(ares::Explain {
                explain_string: df_of(cs, &e.plan)?.explain_mode(mode)?,
            })
        }
        Analyze::TreeString(t) => AnalyzeResult::TreeString(ares::TreeString {
            tree_string: df_of(cs, &t.plan)?.schema_string(),
        }),
        Analyze::IsLocal(l) => {
            df_of(cs, &l.plan)?;
            AnalyzeResult::IsLocal(ares::IsLocal { is_local: false })
        }
        Analyze::IsStreaming(s) => AnalyzeResult::IsStreaming(ares::IsStreaming {
            is_streaming: df_of(cs, &s.plan)?.is_streaming(),
        }),
        Analyze::SparkVersion(_) => AnalyzeResult::SparkVersion(ares::SparkVersion {
            version: SPARK_VERSION.to_string(),
        }),
        Analyze::DdlParse(d) => {
            let text = d.ddl_string.trim();
            // A schema (`a INT, b STRING`) or a single type (`int`).
            let parsed = match sqlc_compiler::sql::parse_ddl_schema(text) {
                Ok(schema) if text.contains(' ') => schema_to_proto(&schema),
                _ => to_proto(&sqlc_compiler::sql::parse_type_name(text)?),
            };
            AnalyzeResult::DdlParse(ares::DdlParse {
                parsed: Some(parsed),
            })
        }
        Analyze::Persist(_) => AnalyzeResult::Persist(ares::Persist {}),
        Analyze::Unpersist(_) => AnalyzeResult::Unpersist(ares::Unpersist {}),
        other => return Err(unsupported("analysis", other)),
    })
}

/// Spark's defaults for the settings PySpark's client reads.
const DEFAULTS: &[(&str, &str)] = &[
    ("spark.sql.shuffle.partitions", "200"),
    ("spark.sql.session.timeZone", "UTC"),
    ("spark.sql.timestampType", "TIMESTAMP_LTZ"),
    ("spark.sql.ansi.enabled", "true"),
    ("spark.sql.streaming.multipleWatermarkPolicy", "min"),
    ("spark.sql.session.localRelationCacheThreshold", "67108864"),
    ("spark.sql.session.localRelationSizeLimit", "3221225472"),
    ("spark.sql.session.localRelationChunkSizeRows", "10000"),
    ("spark.sql.session.localRelationChunkSizeBytes", "16777216"),
    (
        "spark.sql.session.localRelationBatchOfChunksSizeBytes",
        "1073741824",
    ),
    ("spark.sql.repl.eagerEval.enabled", "false"),
    ("spark.sql.repl.eagerEval.maxNumRows", "20"),
    ("spark.sql.repl.eagerEval.truncate", "20"),
    ("spark.sql.pyspark.inferNestedDictAsStruct.enabled", "false"),
    (
        "spark.sql.pyspark.legacy.inferArrayTypeFromFirstElement.enabled",
        "false",
    ),
    (
        "spark.sql.pyspark.legacy.inferMapTypeFromFirstPair.enabled",
        "false",
    ),
    ("spark.sql.execution.pandas.inferPandasDictAsMap", "false"),
    (
        "spark.sql.execution.pandas.convertToArrowArraySafely",
        "false",
    ),
    ("spark.sql.execution.pandas.structHandlingMode", "legacy"),
    ("spark.sql.execution.arrow.useLargeVarTypes", "false"),
    (
        "spark.sql.execution.arrow.pyspark.selfDestruct.enabled",
        "false",
    ),
    ("spark.sql.execution.pyspark.binaryAsBytes", "true"),
    ("spark.sql.execution.pythonUDF.arrow.enabled", "false"),
    ("spark.sql.execution.pythonUDTF.arrow.enabled", "false"),
    ("spark.sql.pyspark.jvmStacktrace.enabled", "false"),
    ("spark.sql.connect.serverStacktrace.enabled", "false"),
];

fn lookup(cs: &ConnectSession, key: &str) -> Option<String> {
    cs.session.conf().get(key).or_else(|| {
        DEFAULTS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    })
}

/// A `Config` request's answer pairs.
pub fn config(cs: &ConnectSession, op: &OpType) -> Result<Vec<KeyValue>> {
    let conf = cs.session.conf();
    let kv = |k: &str, v: Option<String>| KeyValue {
        key: k.to_string(),
        value: v,
    };
    Ok(match op {
        OpType::Set(s) => {
            for p in &s.pairs {
                if let (sqlc_compiler::time_zone::CONF_KEY, Some(v)) = (p.key.as_str(), &p.value) {
                    if sqlc_compiler::time_zone::TimeZone::parse(v).is_none() {
                        return Err(sqlc_compiler::time_zone::invalid_conf(v).into());
                    }
                }
                match &p.value {
                    Some(v) => conf.set(&p.key, v),
                    None => {
                        conf.unset(&p.key);
                        conf
                    }
                };
            }
            Vec::new()
        }
        OpType::Get(g) => g
            .keys
            .iter()
            .map(|k| match lookup(cs, k) {
                Some(v) => Ok(kv(k, Some(v))),
                None => Err(Error::analysis(
                    "SQL_CONF_NOT_FOUND",
                    format!("The SQL config \"{k}\" cannot be found. Please verify that the config exists."),
                )),
            })
            .collect::<Result<_>>()?,
        OpType::GetWithDefault(g) => g
            .pairs
            .iter()
            .map(|p| kv(&p.key, conf.get(&p.key).or_else(|| p.value.clone())))
            .collect(),
        OpType::GetOption(g) => g.keys.iter().map(|k| kv(k, lookup(cs, k))).collect(),
        OpType::GetAll(g) => {
            let prefix = g.prefix.clone().unwrap_or_default();
            let mut all: std::collections::BTreeMap<String, String> = DEFAULTS
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            all.extend(conf.entries());
            all.into_iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(k, v)| kv(&k, Some(v)))
                .collect()
        }
        OpType::Unset(u) => {
            for k in &u.keys {
                conf.unset(k);
            }
            Vec::new()
        }
        OpType::IsModifiable(m) => m
            .keys
            .iter()
            .map(|k| kv(k, Some((!k.starts_with("spark.sql.connect.")).to_string())))
            .collect(),
    })
}

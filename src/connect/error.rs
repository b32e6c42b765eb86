//! sqlc's errors as Spark Connect reports them: a gRPC status whose
//! `grpc-status-details-bin` holds a `google.rpc.Status` with an
//! `ErrorInfo` carrying Spark's error class, SQLSTATE and the JVM exception
//! classes PySpark picks its exception type from (`AnalysisException`,
//! `ParseException`, `StreamingQueryException`, …).

use std::collections::HashMap;

use sqlc_connect::prost::Message;
use sqlc_connect::rpc;
use sqlc_connect::tonic::{Code, Status};

use crate::error::{Error, Fault};

/// The JVM exception class PySpark maps to the exception it raises.
fn exception_class(e: &Error) -> &'static str {
    let class = e.class();
    match class {
        "PARSE_SYNTAX_ERROR" | "INVALID_NUMERIC_LITERAL_RANGE" | "INVALID_TYPED_LITERAL" => {
            "org.apache.spark.sql.catalyst.parser.ParseException"
        }
        "STREAM_FAILED" | "QUERY_FAILED" => {
            "org.apache.spark.sql.streaming.StreamingQueryException"
        }
        "SQL_CONF_NOT_FOUND" => "org.apache.spark.SparkNoSuchElementException",
        _ if class.starts_with("DIVIDE_BY_ZERO")
            || class.starts_with("REMAINDER_BY_ZERO")
            || class.starts_with("ARITHMETIC_OVERFLOW") =>
        {
            "org.apache.spark.SparkArithmeticException"
        }
        _ => match e.fault() {
            Fault::Query => "org.apache.spark.sql.AnalysisException",
            Fault::Data => "org.apache.spark.SparkRuntimeException",
            Fault::Environment | Fault::Checkpoint | Fault::Internal => {
                "org.apache.spark.SparkException"
            }
        },
    }
}

/// Spark's SQLSTATE for the classes a client is most likely to test for.
fn sql_state(class: &str) -> Option<&'static str> {
    let top = class.split('.').next().unwrap_or(class);
    Some(match top {
        "UNRESOLVED_COLUMN" | "UNRESOLVED_FIELD" => "42703",
        "UNRESOLVED_ROUTINE" => "42883",
        "TABLE_OR_VIEW_NOT_FOUND" => "42P01",
        "PARSE_SYNTAX_ERROR" => "42601",
        "DATATYPE_MISMATCH" => "42K09",
        "DIVIDE_BY_ZERO" | "REMAINDER_BY_ZERO" => "22012",
        "CAST_INVALID_INPUT" => "22018",
        "ARITHMETIC_OVERFLOW" => "22003",
        "SQL_CONF_NOT_FOUND" => "42K0I",
        "UNSUPPORTED_FEATURE" => "0A000",
        _ => return None,
    })
}

/// The gRPC status PySpark turns back into its exception.
pub fn status(e: &Error) -> Status {
    let message = e.to_string();
    // The message's own `[CLASS.SUBCLASS]` is the full class.
    let class = message
        .strip_prefix('[')
        .and_then(|m| m.split_once(']'))
        .map(|(c, _)| c)
        .filter(|c| c.starts_with(e.class()))
        .unwrap_or(e.class());
    let exc = exception_class(e);
    let code = match e.fault() {
        Fault::Internal => Code::Internal,
        Fault::Environment => Code::Unavailable,
        _ => Code::InvalidArgument,
    };
    detailed(code, &message, class, exc)
}

/// A status with an `ErrorInfo` naming `error_class` and the exception
/// class `exception`.
pub fn detailed(code: Code, message: &str, error_class: &str, exception: &str) -> Status {
    let mut metadata = HashMap::new();
    metadata.insert(
        "classes".to_string(),
        serde_json::json!([exception, "java.lang.Exception", "java.lang.Throwable"]).to_string(),
    );
    metadata.insert("errorClass".to_string(), error_class.to_string());
    if let Some(s) = sql_state(error_class) {
        metadata.insert("sqlState".to_string(), s.to_string());
    }
    let info = rpc::ErrorInfo {
        reason: exception.to_string(),
        domain: "org.apache.spark".to_string(),
        metadata,
    };
    let details = rpc::Status {
        code: code as i32,
        message: message.to_string(),
        details: vec![sqlc_connect::prost_types::Any {
            type_url: rpc::ERROR_INFO_TYPE_URL.to_string(),
            value: info.encode_to_vec(),
        }],
    };
    Status::with_details(code, message.to_string(), details.encode_to_vec().into())
}

/// Refuses a relation, expression or command that carries Python code for
/// the server to run (sqlc runs none).
pub fn python_code(what: &str) -> Error {
    Error::analysis(
        "UNSUPPORTED_FEATURE.PYTHON_UDF",
        format!(
            "{what} runs Python code, which the sqlc server does not run; use built-in \
             functions, SQL, or a sink (memory, files, kafka) instead"
        ),
    )
}

/// A protocol message sqlc does not map: `what` it is (relation,
/// expression, …) and the variant's name.
pub fn unsupported(what: &str, v: &impl std::fmt::Debug) -> Error {
    let text = format!("{v:?}");
    let name = text.split(['(', ' ', '{']).next().unwrap_or("?");
    Error::not_supported(format!(
        "the {what} {name} is not supported by sqlc's Spark Connect server"
    ))
}

/// A request sqlc cannot read: `INVALID_ARGUMENT`, as Spark's
/// `InvalidPlanInput`.
pub fn invalid_request(message: impl Into<String>) -> Status {
    let m = message.into();
    detailed(
        Code::InvalidArgument,
        &format!("[INVALID_PLAN_INPUT] {m}"),
        "INVALID_PLAN_INPUT",
        "org.apache.spark.sql.connect.common.InvalidPlanInput",
    )
}

//! The compiler's one error type: what went wrong parsing, resolving, type
//! checking or compiling a query, and what a kernel raised while running
//! (ANSI arithmetic and cast errors), each carrying what the user needs to
//! fix it. The bracketed tags are Spark's error classes.

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// SQL text that does not parse. `line`/`column` are 1-based, 0 if unknown.
    #[error("[PARSE_SYNTAX_ERROR] {message} (line {line}, column {column})")]
    Parse {
        message: String,
        line: u64,
        column: u64,
    },

    #[error("[UNRESOLVED_COLUMN] A column or function parameter with name `{name}` cannot be resolved. Did you mean one of the following? [{candidates}]")]
    UnresolvedColumn { name: String, candidates: String },

    #[error("[AMBIGUOUS_REFERENCE] Reference `{name}` is ambiguous, could be: [{candidates}].")]
    AmbiguousColumn { name: String, candidates: String },

    #[error("[TABLE_OR_VIEW_NOT_FOUND] The table or view `{0}` cannot be found.")]
    TableNotFound(String),

    #[error("[UNRESOLVED_ROUTINE] Cannot resolve function `{0}`.")]
    UnknownFunction(String),

    #[error("[DATATYPE_MISMATCH] Cannot resolve \"{expr}\" due to data type mismatch: {reason}")]
    TypeMismatch { expr: String, reason: String },

    /// A well-formed query sqlc (or Spark) does not run; the text says why.
    #[error("{0}")]
    Unsupported(String),

    #[error("invalid regular expression '{pattern}': {reason}")]
    InvalidRegex { pattern: String, reason: String },

    #[error("code generation failed: {0}")]
    Codegen(String),

    // ---- raised while a kernel runs (ANSI mode) ----
    #[error("[ARITHMETIC_OVERFLOW] {detail} in {expr}. Use 'try_' functions to tolerate overflow and return NULL instead.")]
    Overflow { expr: String, detail: String },

    #[error("[DIVIDE_BY_ZERO] Division by zero in {expr}. Use `try_divide` to tolerate divisor being 0 and return NULL instead.")]
    DivideByZero { expr: String },

    #[error("[CAST_INVALID_INPUT] The value {value} of the type \"{from}\" cannot be cast to \"{to}\" because it is malformed, in {expr}.")]
    InvalidCast {
        expr: String,
        value: String,
        from: String,
        to: String,
    },

    #[error("[CAST_OVERFLOW] The value {value} of the type \"{from}\" cannot be cast to \"{to}\" due to an overflow, in {expr}.")]
    CastOverflow {
        expr: String,
        value: String,
        from: String,
        to: String,
    },

    #[error("Arrow error: {0}")]
    Arrow(String),
}

impl Error {
    /// True for errors raised by data while a kernel runs (as opposed to
    /// errors in the query itself).
    pub fn is_runtime(&self) -> bool {
        matches!(
            self,
            Error::Overflow { .. }
                | Error::DivideByZero { .. }
                | Error::InvalidCast { .. }
                | Error::CastOverflow { .. }
        )
    }

    /// The Spark error class, for comparing errors across back ends.
    pub fn class(&self) -> &'static str {
        match self {
            Error::Parse { .. } => "PARSE_SYNTAX_ERROR",
            Error::UnresolvedColumn { .. } => "UNRESOLVED_COLUMN",
            Error::AmbiguousColumn { .. } => "AMBIGUOUS_REFERENCE",
            Error::TableNotFound(_) => "TABLE_OR_VIEW_NOT_FOUND",
            Error::UnknownFunction(_) => "UNRESOLVED_ROUTINE",
            Error::TypeMismatch { .. } => "DATATYPE_MISMATCH",
            Error::Unsupported(_) => "UNSUPPORTED",
            Error::InvalidRegex { .. } => "INVALID_REGEX",
            Error::Codegen(_) => "CODEGEN",
            Error::Overflow { .. } => "ARITHMETIC_OVERFLOW",
            Error::DivideByZero { .. } => "DIVIDE_BY_ZERO",
            Error::InvalidCast { .. } => "CAST_INVALID_INPUT",
            Error::CastOverflow { .. } => "CAST_OVERFLOW",
            Error::Arrow(_) => "ARROW",
        }
    }
}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::Arrow(e.to_string())
    }
}

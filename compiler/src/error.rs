//! The compiler's one error type, typed by whose fault it is:
//! - the user's query ([`Fault::Query`]): it does not parse, names what does
//!   not exist, breaks a rule of Spark SQL, or asks for what sqlc does not
//!   run yet;
//! - the user's data ([`Fault::Data`]): a value a kernel met while running
//!   (ANSI arithmetic and cast errors);
//! - sqlc's own bug ([`Fault::Internal`]): a broken invariant, never shown
//!   as the user's mistake.
//!
//! Every error carries Spark's error class ([`Error::class`]) and prints as
//! Spark prints it: `[CLASS] message`.

use std::sync::Arc;

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whose fault an error is: decides how tools show it (the CLI's exit code,
/// a Connect client's exception type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The query or its options: fix the query.
    Query,
    /// A value in the data (overflow, a malformed cast, a malformed record).
    Data,
    /// The world outside: files, the network, a broker.
    Environment,
    /// A checkpoint that is damaged or belongs to another query.
    Checkpoint,
    /// A bug in sqlc.
    Internal,
}

#[derive(Debug, Clone, Error)]
pub enum Error {
    /// SQL text that does not parse. `line`/`column` are 1-based, 0 if unknown.
    /// A message that starts with a `[CLASS]` of [`PARSE_CLASSES`] (a
    /// literal out of range) is of that class.
    #[error("{}{message} (line {line}, column {column})", if parse_class(message).is_some() { "" } else { "[PARSE_SYNTAX_ERROR] " })]
    Parse {
        message: String,
        line: u64,
        column: u64,
    },

    #[error("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `{name}` cannot be resolved. Did you mean one of the following? [{candidates}].")]
    UnresolvedColumn { name: String, candidates: String },

    #[error("[AMBIGUOUS_REFERENCE] Reference `{name}` is ambiguous, could be: [{candidates}].")]
    AmbiguousColumn { name: String, candidates: String },

    #[error("[TABLE_OR_VIEW_NOT_FOUND] The table or view `{0}` cannot be found.")]
    TableNotFound(String),

    /// A function name the catalog does not know; `suggestions` are the
    /// closest known names.
    #[error("[UNRESOLVED_ROUTINE] Cannot resolve routine `{name}` on search path [`system`.`builtin`].{}", suggest(suggestions))]
    UnknownFunction {
        name: String,
        suggestions: Vec<String>,
    },

    #[error("[DATATYPE_MISMATCH] Cannot resolve \"{expr}\" due to data type mismatch: {reason}")]
    TypeMismatch { expr: String, reason: String },

    /// The query breaks a rule of Spark SQL; `class` is Spark's error class
    /// for that rule (`MISSING_AGGREGATION`, `WRONG_NUM_ARGS`, …).
    #[error("[{class}] {message}")]
    Analysis {
        class: &'static str,
        message: String,
    },

    /// A well-formed query that Spark runs and sqlc does not yet; the text
    /// names the feature.
    #[error("[UNSUPPORTED_FEATURE] {0}")]
    NotSupported(String),

    #[error("[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter regexp is invalid: '{pattern}': {reason}")]
    InvalidRegex { pattern: String, reason: String },

    // ---- raised while a kernel runs (ANSI mode) ----
    #[error("[ARITHMETIC_OVERFLOW] {detail} in {expr}. Use 'try_' functions to tolerate overflow and return NULL instead.")]
    Overflow { expr: String, detail: String },

    /// A zero divisor: of `/` or `div` (`[DIVIDE_BY_ZERO]`), or of `%`,
    /// `mod`, `pmod` (`remainder`: `[REMAINDER_BY_ZERO]`).
    #[error("{}", by_zero(expr, *remainder))]
    DivideByZero { expr: String, remainder: bool },

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

    /// A value a function cannot take while the query runs (a remainder by
    /// zero, a string that does not parse as a date, an index of zero);
    /// `class` is Spark's error class.
    #[error("[{class}] {message}")]
    Execution {
        class: &'static str,
        message: String,
    },

    /// `raise_error(msg)` or a failed `assert_true`, as the query asked.
    #[error("[USER_RAISED_EXCEPTION] {0}")]
    UserRaised(String),

    // ---- sqlc's bugs ----
    /// A broken invariant: code generation failed, a kernel met columns its
    /// plan did not promise, a state layout does not fit.
    #[error("[INTERNAL_ERROR] {0}. This is a bug in sqlc; please report it.")]
    Internal(String),

    /// An Arrow compute kernel failed where the plan guaranteed it could not.
    #[error("[INTERNAL_ERROR] Arrow: {0}. This is a bug in sqlc; please report it.")]
    Arrow(#[source] Arc<arrow::error::ArrowError>),
}

fn by_zero(expr: &str, remainder: bool) -> String {
    if remainder {
        format!("[REMAINDER_BY_ZERO] Remainder by zero in {expr}. Use `try_mod` to tolerate divisor being 0 and return NULL instead.")
    } else {
        format!("[DIVIDE_BY_ZERO] Division by zero in {expr}. Use `try_divide` to tolerate divisor being 0 and return NULL instead.")
    }
}

fn suggest(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!(
            " Did you mean one of the following? [{}].",
            quoted.join(", ")
        )
    }
}

impl PartialEq for Error {
    /// Errors are equal when they print alike (an Arrow source has no
    /// equality of its own).
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Error {
    /// The query breaks Spark's rule `class` (Spark's error class).
    pub fn analysis(class: &'static str, message: impl Into<String>) -> Self {
        Error::Analysis {
            class,
            message: message.into(),
        }
    }

    /// A value the query met while running breaks Spark's rule `class`.
    pub fn execution(class: &'static str, message: impl Into<String>) -> Self {
        Error::Execution {
            class,
            message: message.into(),
        }
    }

    /// Spark runs this and sqlc does not yet.
    pub fn not_supported(what: impl Into<String>) -> Self {
        Error::NotSupported(what.into())
    }

    /// A bug in sqlc.
    pub fn internal(what: impl Into<String>) -> Self {
        Error::Internal(what.into())
    }

    /// An unknown function, with the closest of `known` as suggestions.
    pub fn unknown_function<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Self {
        Error::UnknownFunction {
            name: name.to_string(),
            suggestions: closest(name, known, 3),
        }
    }

    /// True for errors raised by data while a kernel runs (as opposed to
    /// errors in the query itself).
    pub fn is_runtime(&self) -> bool {
        self.fault() == Fault::Data
    }

    /// Whose fault this is.
    pub fn fault(&self) -> Fault {
        match self {
            Error::Overflow { .. }
            | Error::DivideByZero { .. }
            | Error::InvalidCast { .. }
            | Error::CastOverflow { .. }
            | Error::Execution { .. }
            | Error::UserRaised(_) => Fault::Data,
            Error::Internal(_) | Error::Arrow(_) => Fault::Internal,
            _ => Fault::Query,
        }
    }

    /// Spark's error class (for tests, tools and clients).
    pub fn class(&self) -> &'static str {
        match self {
            Error::Parse { message, .. } => parse_class(message).unwrap_or("PARSE_SYNTAX_ERROR"),
            Error::UnresolvedColumn { .. } => "UNRESOLVED_COLUMN",
            Error::AmbiguousColumn { .. } => "AMBIGUOUS_REFERENCE",
            Error::TableNotFound(_) => "TABLE_OR_VIEW_NOT_FOUND",
            Error::UnknownFunction { .. } => "UNRESOLVED_ROUTINE",
            Error::TypeMismatch { .. } => "DATATYPE_MISMATCH",
            Error::Analysis { class, .. } | Error::Execution { class, .. } => class,
            Error::NotSupported(_) => "UNSUPPORTED_FEATURE",
            Error::InvalidRegex { .. } => "INVALID_PARAMETER_VALUE.PATTERN",
            Error::Overflow { .. } => "ARITHMETIC_OVERFLOW",
            Error::DivideByZero {
                remainder: false, ..
            } => "DIVIDE_BY_ZERO",
            Error::DivideByZero { .. } => "REMAINDER_BY_ZERO",
            Error::InvalidCast { .. } => "CAST_INVALID_INPUT",
            Error::CastOverflow { .. } => "CAST_OVERFLOW",
            Error::UserRaised(_) => "USER_RAISED_EXCEPTION",
            Error::Internal(_) | Error::Arrow(_) => "INTERNAL_ERROR",
        }
    }
}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::Arrow(Arc::new(e))
    }
}

/// The names among `known` closest to `name` by edit distance (ignoring
/// case), at most `n`, nearest first; names too far away are left out.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<String> {
    let lname = name.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (edit_distance(&lname, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= (k.len().max(lname.len()) / 2).max(1))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(n)
        .map(|(_, k)| k.to_string())
        .collect()
}

/// Levenshtein distance in characters (also `levenshtein()`'s).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The error classes Spark's parser raises besides `PARSE_SYNTAX_ERROR`.
const PARSE_CLASSES: &[&str] = &[
    "INVALID_NUMERIC_LITERAL_RANGE",
    "INVALID_TYPED_LITERAL",
    "_LEGACY_ERROR_TEMP_0029",
];

/// The class a parse error's message names first, if one of [`PARSE_CLASSES`].
fn parse_class(message: &str) -> Option<&'static str> {
    let inner = message.strip_prefix('[')?;
    PARSE_CLASSES
        .iter()
        .find(|c| inner.strip_prefix(**c).is_some_and(|r| r.starts_with(']')))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_are_suggested_nearest_first() {
        let known = ["date_format", "date_add", "datediff", "upper", "lower"];
        assert_eq!(closest("date_fromat", known, 3), vec!["date_format"]);
        assert_eq!(closest("uper", known, 3), vec!["upper"]);
        assert!(closest("zzzzzzzz", known, 3).is_empty());
    }

    #[test]
    fn every_error_prints_its_class() {
        let e = Error::analysis("MISSING_AGGREGATION", "x");
        assert_eq!(e.to_string(), "[MISSING_AGGREGATION] x");
        assert_eq!(e.fault(), Fault::Query);
        let e = Error::internal("broken");
        assert!(e.to_string().starts_with("[INTERNAL_ERROR] broken"));
        assert_eq!(e.fault(), Fault::Internal);
        let e = Error::unknown_function("uper", ["upper", "lower"]);
        assert!(e
            .to_string()
            .contains("Did you mean one of the following? [`upper`]"));
    }
}

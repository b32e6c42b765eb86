//! Scripts: the statements `sqlc run`, `sqlc sql`, `sqlc explain` and the
//! interactive shell execute against a session — `CREATE SOURCE/TABLE/
//! VIEW/SINK`, queries, and the session commands (`SHOW TABLES`,
//! `SHOW QUERIES`, `STOP QUERY`, `DESCRIBE`, `EXPLAIN`).
//!
//! This module reads a script (`${NAME}` variables, parsing) and words its
//! errors with the statement's place in the file; [`Runner`] executes the
//! statements. What to print, and how, is the caller's business.

mod commands;
mod runner;

use std::path::Path;

pub use runner::{Outcome, Pass, Queries, RunOptions, Runner};
pub use sqlc_compiler::sql::command::{Command, ExplainMode};
pub use sqlc_compiler::sql::script::{ScriptStatement, StatementKind};

use sqlc_compiler::sql::script::{locate_name, parse_script};

/// Why a script stops: an error in the script, found before or while it
/// ran (the CLI exits 2), or a query that failed while running (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The script or its options are wrong (nothing started): exit 2.
    Script(String),
    /// A query failed while running (its data, the environment): exit 1.
    Query(String),
    /// A bug in sqlc (an `[INTERNAL_ERROR]`): exit 70, as sysexits'
    /// EX_SOFTWARE, so that tools and users tell it from their mistakes.
    Internal(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Script(m) | Failure::Query(m) | Failure::Internal(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Failure {}

/// Reads `path`, replaces `${NAME}` by `vars`, and parses it.
pub fn load(path: &Path, vars: &[(String, String)]) -> Result<Vec<ScriptStatement>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Script(format!("error: cannot read {}: {e}", path.display())))?;
    parse(&text, vars)
}

/// Replaces `${NAME}` by `vars` in `text`, and parses it.
pub fn parse(text: &str, vars: &[(String, String)]) -> Result<Vec<ScriptStatement>, Failure> {
    // A byte-order mark, as some editors write it, is not part of the script.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = substitute(text, vars)?;
    parse_script(&text).map_err(|e| {
        let (line, column, msg) = position(&e.error, None, e.line, e.column);
        let mut m = format!("error: line {line}, column {column}: {msg}");
        if let Some((n, first)) = e.statement {
            m.push_str(&format!("\n  in statement {n}: {first}"));
        }
        Failure::Script(m)
    })
}

/// The position an error names — its token, or the name it is about as
/// first written in `sql` — else (`line`, `column`); and its message.
fn position(
    e: &sqlc_compiler::Error,
    sql: Option<&str>,
    line: u64,
    column: u64,
) -> (u64, u64, String) {
    use sqlc_compiler::Error as E;
    let named = match e {
        E::Parse {
            message,
            line: l,
            column: c,
        } if *l > 0 => {
            // a literal out of range names its own class in its message
            let prefix = if e.class() == "PARSE_SYNTAX_ERROR" {
                "[PARSE_SYNTAX_ERROR] "
            } else {
                ""
            };
            return (*l, *c, format!("{prefix}{message}"));
        }
        E::UnresolvedColumn { name, .. } | E::AmbiguousColumn { name, .. } => Some(name),
        E::TableNotFound(name) | E::UnknownFunction { name, .. } => Some(name),
        _ => None,
    };
    let at = named.zip(sql).and_then(|(n, sql)| locate_name(sql, n));
    let (line, column) = at.unwrap_or((line, column));
    (line, column, e.to_string())
}

/// `text` with each `${NAME}` replaced by its value in `vars` (the last
/// one given wins); a name without a value is an error.
fn substitute(text: &str, vars: &[(String, String)]) -> Result<String, Failure> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let name = &after[..end];
        match vars.iter().rev().find(|(k, _)| k == name) {
            Some((_, v)) => out.push_str(v),
            None => {
                return Err(Failure::Script(format!(
                    "error: the script uses ${{{name}}}: give it with --var {name}=VALUE"
                )))
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The SQL text of a statement, where names an error is about are looked for.
fn sql_of(st: &ScriptStatement) -> Option<&str> {
    match &st.kind {
        StatementKind::View { query, .. }
        | StatementKind::Sink { query, .. }
        | StatementKind::Query { query } => Some(query),
        StatementKind::Command(Command::Explain { query, .. }) => Some(query),
        _ => None,
    }
}

/// The error message for `e`, raised by `st`: where (the token it is about
/// when it names one, else the statement's start), then what.
pub fn describe(st: &ScriptStatement, e: &crate::Error) -> String {
    let (line, column, msg) = match e {
        crate::Error::Compile(c) | crate::Error::Runtime(sqlc_runtime::Error::Compile(c)) => {
            position(c, sql_of(st), st.line, st.column)
        }
        _ => (st.line, st.column, e.to_string()),
    };
    format!(
        "error: line {line}, column {column}: {msg}\n  in statement {}: {}",
        st.number, st.first_line
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_substituted() {
        let vars = vec![("d".to_string(), "/x".to_string())];
        assert_eq!(substitute("a ${d}/b ${d}", &vars).unwrap(), "a /x/b /x");
        let e = substitute("${nope}", &vars).unwrap_err();
        assert!(e.to_string().contains("--var nope=VALUE"), "{e}");
    }
}

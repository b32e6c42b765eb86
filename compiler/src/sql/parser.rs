//! Running sqlparser on Spark SQL text, and its errors as [`Error::Parse`].

use sqlparser::ast::Statement;
use sqlparser::parser::{Parser, ParserError, ParserOptions};
use sqlparser::tokenizer::Token;

use super::dialect::SparkDialect;
use crate::error::{Error, Result};

static DIALECT: SparkDialect = SparkDialect::new();

/// How deep sqlparser may recurse (parentheses, function calls, prefix
/// operators, subqueries) before parsing gives up with Spark's
/// `[FAILED_TO_PARSE_TOO_COMPLEX]`: Spark parses 500 nested parentheses and
/// refuses 1,000. sqlparser grows its stack as it recurses (`recursive`), and
/// left-deep operator chains are loops in it, limited by
/// [`crate::depth::MAX_EXPR_DEPTH`] when converted.
const RECURSION_LIMIT: usize = 1000;

/// A parser over `text`. Strings are kept as written (no unescaping):
/// [`super::literal::unescape`] applies Spark's escape rules instead.
pub fn parser(text: &str) -> Result<Parser<'static>> {
    Parser::new(&DIALECT)
        .with_recursion_limit(RECURSION_LIMIT)
        .with_options(ParserOptions::new().with_unescape(false))
        .try_with_sql(text)
        .map_err(|e| parse_error(e, text))
}

/// Runs `f` on a parser over `text`, then requires the end of the text.
pub fn parse_all<T>(
    text: &str,
    f: impl FnOnce(&mut Parser<'static>) -> std::result::Result<T, ParserError>,
) -> Result<T> {
    let mut p = parser(text)?;
    let out = f(&mut p).map_err(|e| parse_error(e, text))?;
    let next = p.peek_token();
    if next.token != Token::EOF {
        return Err(Error::Parse {
            message: format!("Syntax error at or near '{}': extra input", next.token),
            line: next.span.start.line,
            column: next.span.start.column,
        });
    }
    Ok(out)
}

/// Every statement of `text`.
pub fn statements(text: &str) -> Result<Vec<Statement>> {
    parser(text)?
        .parse_statements()
        .map_err(|e| parse_error(e, text))
}

/// sqlparser's error, with the position it reports ("… at Line: X,
/// Column: Y") moved into the error's fields. Errors at the end of the text
/// carry no position in sqlparser; they get the position just past the end.
pub fn parse_error(e: ParserError, text: &str) -> Error {
    let message = match e {
        ParserError::ParserError(m) | ParserError::TokenizerError(m) => m,
        ParserError::RecursionLimitExceeded => return crate::depth::too_complex(),
    };
    if let Some(i) = message.rfind(" at Line: ") {
        let pos = &message[i + " at Line: ".len()..];
        if let Some((l, c)) = pos.split_once(", Column: ") {
            if let (Ok(line), Ok(column)) = (l.trim().parse(), c.trim().parse()) {
                return Error::Parse {
                    message: message[..i].to_string(),
                    line,
                    column,
                };
            }
        }
    }
    let (line, column) = if message.contains("EOF") {
        end_of(text)
    } else {
        (0, 0)
    };
    Error::Parse {
        message,
        line,
        column,
    }
}

/// The 1-based position just past the last character of `text`.
fn end_of(text: &str) -> (u64, u64) {
    let line = text.split('\n').count() as u64;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() as u64 + 1)
}

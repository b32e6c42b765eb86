//! The statements that ask the session about itself rather than query data:
//! `SHOW TABLES`, `SHOW QUERIES`, `STOP QUERY name`, `DESCRIBE name` and
//! `EXPLAIN [SIMPLE|EXTENDED|CODEGEN|FORMATTED] query`, as Spark SQL and the
//! Flink SQL client spell them. Scripts and the interactive shell share
//! them; what they print is the facade's business.

use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::parser::parse_error;
use super::script::{end, offset_in, padded, word_is};
use crate::error::Result;

/// How much `EXPLAIN` shows (Spark's `explain(mode)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExplainMode {
    /// The physical plan.
    #[default]
    Simple,
    /// The logical (resolved) plan and the physical plan.
    Extended,
    /// The physical plan and every kernel's typed IR, Cranelift IR and
    /// machine code.
    Codegen,
    /// The physical plan as a numbered outline, then each kernel's typed IR.
    Formatted,
}

impl ExplainMode {
    pub const NAMES: [&'static str; 4] = ["simple", "extended", "codegen", "formatted"];

    /// A mode by its (case-insensitive) name.
    pub fn parse(name: &str) -> Option<ExplainMode> {
        match name.to_ascii_lowercase().as_str() {
            "simple" => Some(ExplainMode::Simple),
            "extended" => Some(ExplainMode::Extended),
            "codegen" => Some(ExplainMode::Codegen),
            "formatted" => Some(ExplainMode::Formatted),
            _ => None,
        }
    }
}

/// A statement about the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `SHOW TABLES`: the session's tables, views, sources and sinks.
    ShowTables,
    /// `SHOW QUERIES`: the streaming queries, with status, rates and last batch.
    ShowQueries,
    /// `STOP QUERY name`: stops a streaming query after its current batch.
    StopQuery(String),
    /// `DESCRIBE [TABLE] name`: a table's columns.
    Describe(String),
    /// `SHOW FUNCTIONS …` or `DESCRIBE FUNCTION …`: the function catalog,
    /// answered by `sql::catalog_command` on the statement's text.
    Functions(String),
    /// `EXPLAIN [mode] query`; the query padded to its place in the script.
    Explain { mode: ExplainMode, query: String },
}

/// The command `p` starts with, if it starts with one; `full` is the
/// statement's (padded) text, for positions.
pub fn parse_command(p: &mut Parser, full: &str) -> Result<Option<Command>> {
    let err = |e| parse_error(e, full);
    let cmd = if (word_is(p, 0, "SHOW")
        && (word_is(p, 1, "FUNCTIONS") || (word_is(p, 1, "ALL") && word_is(p, 2, "FUNCTIONS"))))
        || ((word_is(p, 0, "DESCRIBE") || word_is(p, 0, "DESC")) && word_is(p, 1, "FUNCTION"))
    {
        let at = p.peek_token().span.start;
        let text = full[offset_in(full, at)..]
            .trim()
            .trim_end_matches(';')
            .to_string();
        while !matches!(p.peek_token().token, Token::EOF | Token::SemiColon) {
            p.next_token();
        }
        Command::Functions(text)
    } else if word_is(p, 0, "SHOW") && word_is(p, 1, "TABLES") {
        p.next_token();
        p.next_token();
        Command::ShowTables
    } else if word_is(p, 0, "SHOW") && word_is(p, 1, "QUERIES") {
        p.next_token();
        p.next_token();
        Command::ShowQueries
    } else if word_is(p, 0, "STOP") && word_is(p, 1, "QUERY") {
        p.next_token();
        p.next_token();
        Command::StopQuery(p.parse_identifier().map_err(err)?.value)
    } else if word_is(p, 0, "DESCRIBE") || word_is(p, 0, "DESC") {
        p.next_token();
        if word_is(p, 0, "TABLE") {
            p.next_token();
        }
        Command::Describe(p.parse_object_name(false).map_err(err)?.to_string())
    } else if word_is(p, 0, "EXPLAIN") {
        p.next_token();
        let mode = match &p.peek_token().token {
            Token::Word(w) if w.quote_style.is_none() => ExplainMode::parse(&w.value),
            _ => None,
        };
        if mode.is_some() {
            p.next_token();
        }
        let at = p.peek_token().span.start;
        let text = &full[offset_in(full, at)..];
        p.parse_query().map_err(err)?;
        Command::Explain {
            mode: mode.unwrap_or_default(),
            query: padded(at, text),
        }
    } else {
        return Ok(None);
    };
    end(p)?;
    Ok(Some(cmd))
}

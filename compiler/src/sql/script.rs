//! SQL scripts: statements separated by `;`, with the streaming DDL
//! RisingWave and Flink users know (`CREATE SOURCE`, `CREATE TABLE`,
//! `CREATE VIEW`, `CREATE SINK … AS SELECT`) and Spark's option names.
//!
//! As DataFusion's `DFParser` does for `CREATE EXTERNAL TABLE`, the leading
//! keywords pick the statement, and sqlparser's own `parse_column_def`,
//! `parse_expr` and `parse_query` parse its pieces. Every statement keeps
//! its position in the script; the SQL texts it hands on (queries,
//! computed columns) are padded so that errors in them carry positions in
//! the script too.

use sqlparser::ast::{ColumnDef, Expr as SqlExpr, Value};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, Tokenizer};

use super::command::{parse_command, Command};
use super::dialect::SparkDialect;
use super::parser::{parse_error, parser};
use crate::error::{Error, Result};
use crate::types::Schema;

/// One statement of a script and where it starts.
#[derive(Clone, Debug)]
pub struct ScriptStatement {
    /// 1-based number of the statement in the script.
    pub number: usize,
    /// 1-based line and column of its first token.
    pub line: u64,
    pub column: u64,
    /// The statement's first line, for messages.
    pub first_line: String,
    pub kind: StatementKind,
}

/// What a statement declares or runs. SQL texts are padded with newlines
/// and spaces so that positions in them are positions in the script.
#[derive(Clone, Debug)]
pub enum StatementKind {
    /// `CREATE SOURCE name (columns) WITH (options)`: a streaming read.
    Source {
        name: String,
        schema: Option<Schema>,
        /// `name AS expr` columns: (name, expression text).
        computed: Vec<(String, String)>,
        /// `WATERMARK FOR col AS col - INTERVAL …`: (column, delay in µs).
        watermark: Option<(String, i64)>,
        options: Vec<(String, String)>,
    },
    /// `CREATE TABLE name [(columns)] WITH (options)`: a static read.
    Table {
        name: String,
        schema: Option<Schema>,
        options: Vec<(String, String)>,
    },
    /// `CREATE VIEW name AS SELECT …`.
    View { name: String, query: String },
    /// `CREATE SINK name [WITH (options)] AS SELECT …`.
    Sink {
        name: String,
        options: Vec<(String, String)>,
        query: String,
    },
    /// `SHOW TABLES`, `SHOW QUERIES`, `STOP QUERY`, `DESCRIBE`, `EXPLAIN`.
    Command(Command),
    /// Any other statement: a query to run (`SELECT …`, `WITH …`, …).
    Query { query: String },
}

/// A script that does not parse: the error, and the statement it is in
/// (its number and first line) when it is in one.
#[derive(Debug)]
pub struct ScriptError {
    pub statement: Option<(usize, String)>,
    pub error: Error,
    /// Where the error is (1-based line and column; a parse error carries
    /// its own): the token it is about, else its statement's start.
    pub line: u64,
    pub column: u64,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.statement {
            Some((n, first)) => write!(f, "{} in statement {n}: {first}", self.error),
            None => write!(f, "{}", self.error),
        }
    }
}

impl std::error::Error for ScriptError {}

/// Splits `script` into statements (respecting strings and comments) and
/// parses each one.
pub fn parse_script(script: &str) -> std::result::Result<Vec<ScriptStatement>, ScriptError> {
    let dialect = SparkDialect::new();
    let tokens = Tokenizer::new(&dialect, script)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| ScriptError {
            statement: None,
            error: parse_error(ParserError::TokenizerError(e.to_string()), script),
            line: 0,
            column: 0,
        })?;
    let lines = LineIndex::new(script);
    let mut out = Vec::new();
    let mut start: Option<Location> = None;
    for t in &tokens {
        match &t.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => {
                if let Some(s) = start.take() {
                    let text = &script[lines.offset(s)..lines.offset(t.span.start)];
                    out.push(statement(out.len() + 1, s, text)?);
                }
            }
            _ => {
                if start.is_none() {
                    start = Some(t.span.start);
                }
            }
        }
    }
    if let Some(s) = start {
        let text = script[lines.offset(s)..].trim_end();
        out.push(statement(out.len() + 1, s, text)?);
    }
    Ok(out)
}

/// Where the name `name` (a column, table or function an error names; for
/// `a.b`, its first part) is first written in `text` as a word: the
/// (line, column) of that token, which are script positions when `text`
/// is a statement's padded SQL.
pub fn locate_name(text: &str, name: &str) -> Option<(u64, u64)> {
    let first = name.split('.').next()?.trim_matches('`');
    let dialect = SparkDialect::new();
    let tokens = Tokenizer::new(&dialect, text)
        .with_unescape(false)
        .tokenize_with_location()
        .ok()?;
    tokens.iter().find_map(|t| match &t.token {
        Token::Word(w) if w.value.eq_ignore_ascii_case(first) => {
            Some((t.span.start.line, t.span.start.column))
        }
        _ => None,
    })
}

/// Byte offsets of line starts, to turn (line, column) into offsets.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn offset(&self, loc: Location) -> usize {
        let Some(&line_start) = self.starts.get((loc.line as usize).saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[line_start..];
        rest.char_indices()
            .nth((loc.column as usize).saturating_sub(1))
            .map(|(i, _)| line_start + i)
            .unwrap_or(self.text.len())
    }
}

/// The byte offset of `at` in `text`.
pub(super) fn offset_in(text: &str, at: Location) -> usize {
    LineIndex::new(text).offset(at)
}

/// `text` preceded by the newlines and spaces that put it at `at`.
pub(super) fn padded(at: Location, text: &str) -> String {
    let mut s = "\n".repeat((at.line as usize).saturating_sub(1));
    s.push_str(&" ".repeat((at.column as usize).saturating_sub(1)));
    s.push_str(text);
    s
}

fn statement(
    number: usize,
    at: Location,
    text: &str,
) -> std::result::Result<ScriptStatement, ScriptError> {
    let full = padded(at, text);
    let first_line = text.lines().next().unwrap_or("").trim().to_string();
    let kind = parse_statement(&full).map_err(|error| {
        // A watermark's error is about the WATERMARK clause.
        let about = match &error {
            Error::Analysis {
                class: "INVALID_WATERMARK",
                ..
            } => locate_name(&full, "WATERMARK"),
            _ => None,
        };
        let (line, column) = about.unwrap_or((at.line, at.column));
        ScriptError {
            statement: Some((number, first_line.clone())),
            error,
            line,
            column,
        }
    })?;
    Ok(ScriptStatement {
        number,
        line: at.line,
        column: at.column,
        first_line,
        kind,
    })
}

pub(super) fn word_is(p: &Parser, n: usize, w: &str) -> bool {
    matches!(&p.peek_nth_token(n).token, Token::Word(x) if x.value.eq_ignore_ascii_case(w) && x.quote_style.is_none())
}

fn parse_statement(full: &str) -> Result<StatementKind> {
    let mut p = parser(full)?;
    let err = |e| parse_error(e, full);
    if let Some(c) = parse_command(&mut p, full)? {
        return Ok(StatementKind::Command(c));
    }
    let is_create = word_is(&p, 0, "CREATE");
    let what = ["SOURCE", "TABLE", "VIEW", "SINK"]
        .into_iter()
        .find(|w| word_is(&p, 1, w));
    let (true, Some(what)) = (is_create, what) else {
        // Anything else is a query for the session (checked when planned).
        return Ok(StatementKind::Query {
            query: full.to_string(),
        });
    };
    p.next_token();
    p.next_token();
    let name = p.parse_identifier().map_err(err)?.value;
    let kind = match what {
        "SOURCE" => {
            let cols = if p.peek_token().token == Token::LParen {
                source_columns(&mut p).map_err(err)?
            } else {
                SourceColumns::default()
            };
            let options = with_options(&mut p).map_err(err)?;
            let watermark = match cols.watermark {
                Some((c, e)) => Some((c, watermark_delay(&e)?)),
                None => None,
            };
            StatementKind::Source {
                name,
                schema: schema_of(&cols.columns)?,
                computed: cols.computed,
                watermark,
                options,
            }
        }
        "TABLE" => {
            let columns = if p.consume_token(&Token::LParen) {
                let c = p
                    .parse_comma_separated(|p| p.parse_column_def())
                    .map_err(err)?;
                p.expect_token(&Token::RParen).map_err(err)?;
                c
            } else {
                Vec::new()
            };
            let options = with_options(&mut p).map_err(err)?;
            StatementKind::Table {
                name,
                schema: schema_of(&columns)?,
                options,
            }
        }
        "VIEW" => {
            p.expect_keyword(Keyword::AS).map_err(err)?;
            StatementKind::View {
                name,
                query: rest_query(&mut p, full)?,
            }
        }
        _ => {
            let options = if word_is(&p, 0, "WITH") {
                with_options(&mut p).map_err(err)?
            } else {
                Vec::new()
            };
            p.expect_keyword(Keyword::AS).map_err(err)?;
            StatementKind::Sink {
                name,
                options,
                query: rest_query(&mut p, full)?,
            }
        }
    };
    end(&p)?;
    Ok(kind)
}

/// The query from the parser's position to the end of the statement,
/// checked to parse, and padded to its position.
fn rest_query(p: &mut Parser, full: &str) -> Result<String> {
    let at = p.peek_token().span.start;
    let text = &full[offset_in(full, at)..];
    p.parse_query().map_err(|e| parse_error(e, full))?;
    Ok(padded(at, text))
}

pub(super) fn end(p: &Parser) -> Result<()> {
    let next = p.peek_token();
    if next.token == Token::EOF {
        return Ok(());
    }
    Err(Error::Parse {
        message: format!("Syntax error at or near '{}': extra input", next.token),
        line: next.span.start.line,
        column: next.span.start.column,
    })
}

#[derive(Default)]
struct SourceColumns {
    columns: Vec<ColumnDef>,
    computed: Vec<(String, String)>,
    watermark: Option<(String, SqlExpr)>,
}

/// `( col TYPE, name AS expr, WATERMARK FOR col AS expr, … )`.
fn source_columns(p: &mut Parser) -> std::result::Result<SourceColumns, ParserError> {
    let mut out = SourceColumns::default();
    p.expect_token(&Token::LParen)?;
    loop {
        if word_is(p, 0, "WATERMARK") && word_is(p, 1, "FOR") {
            p.next_token();
            p.next_token();
            let col = p.parse_identifier()?.value;
            p.expect_keyword(Keyword::AS)?;
            out.watermark = Some((col, p.parse_expr()?));
        } else if matches!(p.peek_nth_token(1).token, Token::Word(ref w) if w.keyword == Keyword::AS)
        {
            let name = p.parse_identifier()?.value;
            p.next_token();
            let e = p.parse_expr()?;
            out.computed.push((name, e.to_string()));
        } else {
            out.columns.push(p.parse_column_def()?);
        }
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    p.expect_token(&Token::RParen)?;
    Ok(out)
}

/// `WITH (key = value, …)`; keys may be dotted, values are literals or
/// names, kept as written (strings without their quotes).
fn with_options(p: &mut Parser) -> std::result::Result<Vec<(String, String)>, ParserError> {
    p.expect_keyword(Keyword::WITH)?;
    p.expect_token(&Token::LParen)?;
    let mut out = Vec::new();
    if p.consume_token(&Token::RParen) {
        return Ok(out);
    }
    loop {
        // `kafka.bootstrap.servers` or `` `kafka.bootstrap.servers` `` (as
        // Spark SQL quotes a dotted name): the key without its quotes.
        let key = p
            .parse_object_name(false)?
            .0
            .iter()
            .map(|part| match part.as_ident() {
                Some(id) => super::expr::ident(id),
                None => part.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".");
        p.expect_token(&Token::Eq)?;
        let at = p.peek_token();
        let value = match p.parse_expr()? {
            SqlExpr::Value(v) => match v.value {
                Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.replace("''", "'"),
                Value::Number(n, _) => n.to_string(),
                Value::Boolean(b) => b.to_string(),
                other => other.to_string(),
            },
            SqlExpr::Identifier(i) => i.value,
            SqlExpr::UnaryOp { op, expr } => format!("{op}{expr}"),
            other => {
                return Err(ParserError::ParserError(format!(
                    "option {key}: expected a literal value, found {other} at Line: {}, Column: {}",
                    at.span.start.line, at.span.start.column
                )))
            }
        };
        out.push((key, value));
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    p.expect_token(&Token::RParen)?;
    Ok(out)
}

fn schema_of(cols: &[ColumnDef]) -> Result<Option<Schema>> {
    if cols.is_empty() {
        return Ok(None);
    }
    let ddl = cols
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    super::parse_ddl_schema(&ddl).map(Some)
}

/// The delay of `col - INTERVAL '30' MINUTE` (or of a bare interval).
fn watermark_delay(e: &SqlExpr) -> Result<i64> {
    let interval = match e {
        SqlExpr::BinaryOp {
            op: sqlparser::ast::BinaryOperator::Minus,
            right,
            ..
        } => right.as_ref(),
        other => other,
    };
    match super::parse_expr(&interval.to_string()) {
        Ok(e) if e.day_time_micros().is_some_and(|us| us >= 0) => {
            Ok(e.day_time_micros().unwrap_or(0))
        }
        _ => Err(Error::analysis(
            "INVALID_WATERMARK",
            format!("WATERMARK: expected `column - INTERVAL '…' unit`, found `{e}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::command::ExplainMode;

    #[test]
    fn back_quoted_option_keys_lose_their_quotes() {
        let s = "CREATE SOURCE k WITH (format = 'kafka', `kafka.bootstrap.servers` = 'h:9092', kafka.`group.id` = 'g', subscribe = 't')";
        let st = parse_script(s).unwrap();
        let StatementKind::Source { options, .. } = &st[0].kind else {
            panic!("a source")
        };
        assert!(options.contains(&("kafka.bootstrap.servers".into(), "h:9092".into())));
        assert!(options.contains(&("kafka.group.id".into(), "g".into())));
    }

    #[test]
    fn splits_and_positions() {
        let s = "-- c; x\nCREATE SOURCE a (x BIGINT, t AS x + 1, WATERMARK FOR t AS t - INTERVAL '30' MINUTE)\n WITH (format = 'json', path = 'a;b', maxFilesPerTrigger = 1);\n/* ; */ SELECT ';' FROM a";
        let st = parse_script(s).unwrap();
        assert_eq!(st.len(), 2);
        assert_eq!((st[0].line, st[0].column), (2, 1));
        assert_eq!((st[1].line, st[1].column), (4, 9));
        match &st[0].kind {
            StatementKind::Source {
                options, watermark, ..
            } => {
                assert_eq!(options[1], ("path".into(), "a;b".into()));
                assert_eq!(watermark.as_ref().unwrap().1, 1_800_000_000);
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn session_commands() {
        let st = parse_script(
            "SHOW TABLES; show queries;\nSTOP QUERY counts; DESCRIBE TABLE t;\nEXPLAIN codegen SELECT 1; EXPLAIN SELECT 2",
        )
        .unwrap();
        let cmds: Vec<Command> = st
            .into_iter()
            .map(|s| match s.kind {
                StatementKind::Command(c) => c,
                k => panic!("{k:?}"),
            })
            .collect();
        assert_eq!(cmds[0], Command::ShowTables);
        assert_eq!(cmds[1], Command::ShowQueries);
        assert_eq!(cmds[2], Command::StopQuery("counts".into()));
        assert_eq!(cmds[3], Command::Describe("t".into()));
        match &cmds[4] {
            Command::Explain { mode, query } => {
                assert_eq!(*mode, ExplainMode::Codegen);
                assert_eq!(query.trim(), "SELECT 1");
                assert_eq!(query.lines().count(), 3, "padded to line 3");
            }
            c => panic!("{c:?}"),
        }
        assert!(matches!(
            &cmds[5],
            Command::Explain {
                mode: ExplainMode::Simple,
                ..
            }
        ));
        let e = parse_script("STOP QUERY a b").unwrap_err();
        assert!(e.error.to_string().contains("extra input"), "{e}");
    }

    #[test]
    fn names_are_located() {
        assert_eq!(locate_name("\n  SELECT `gtx` FROM t", "gtx"), Some((2, 10)));
        assert_eq!(locate_name("SELECT a FROM t", "T.x"), Some((1, 15)));
        assert_eq!(locate_name("SELECT a FROM t", "zz"), None);
    }

    #[test]
    fn errors_have_script_positions() {
        let e = parse_script("SELECT 1;\nCREATE SINK s WITH (format = 'memory') AS SELEC 1")
            .unwrap_err();
        assert!(matches!(e.error, Error::Parse { line: 2, .. }), "{e}");
        assert_eq!(e.statement.map(|s| s.0), Some(2));
    }
}

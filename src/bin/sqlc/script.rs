//! Running a script's statements against a session: declaring sources,
//! tables and views, starting sinks, and printing SELECTs.
//!
//! A script runs twice: first a check pass over a fresh session plans every
//! statement without starting anything (a sink's memory table is stood in
//! for by an empty table of its schema), then the run pass.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use sqlc::arrow::record_batch::RecordBatch;
use sqlc::{DataFrame, Session, StreamingQuery, Trigger};
use sqlc_compiler::sql::script::{parse_script, ScriptStatement, StatementKind};
use sqlc_runtime::sink::OutputMode;

use crate::interrupt;
use crate::output::{self, OutputFormat};
use crate::progress::Progress;

/// Why the CLI stops: a script error (exit 2) or a failed query (exit 1).
#[derive(Debug)]
pub enum Failure {
    Script(String),
    Query(String),
}

/// Whether statements are only planned or also run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Check,
    Run,
}

/// How `run` behaves.
pub struct RunOptions {
    pub available_now: bool,
    pub output: OutputFormat,
    /// Only explaining: a SELECT may read a stream.
    pub explain: bool,
}

/// Reads `path`, replaces `${NAME}` by `vars`, and parses it.
pub fn load(path: &Path, vars: &[(String, String)]) -> Result<Vec<ScriptStatement>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Script(format!("error: cannot read {}: {e}", path.display())))?;
    parse(&text, vars)
}

/// Replaces `${NAME}` by `vars` in `text`, and parses it.
pub fn parse(text: &str, vars: &[(String, String)]) -> Result<Vec<ScriptStatement>, Failure> {
    let text = substitute(text, vars)?;
    parse_script(&text).map_err(|e| {
        let (line, column, msg) = position(&e.error, 0, 0);
        let mut m = format!("error: line {line}, column {column}: {msg}");
        if let Some((n, first)) = e.statement {
            m.push_str(&format!("\n  in statement {n}: {first}"));
        }
        Failure::Script(m)
    })
}

/// The position an error names (else `line`, `column`), and its message.
fn position(e: &sqlc_compiler::Error, line: u64, column: u64) -> (u64, u64, String) {
    match e {
        sqlc_compiler::Error::Parse {
            message,
            line: l,
            column: c,
        } if *l > 0 => (*l, *c, format!("[PARSE_SYNTAX_ERROR] {message}")),
        other => (line, column, other.to_string()),
    }
}

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

/// The error message for `e`, raised by `st`: where, then what.
pub fn describe(st: &ScriptStatement, e: &sqlc::Error) -> String {
    let (line, column, msg) = match e {
        sqlc::Error::Compile(c) | sqlc::Error::Runtime(sqlc_runtime::Error::Compile(c)) => {
            position(c, st.line, st.column)
        }
        _ => (st.line, st.column, e.to_string()),
    };
    format!(
        "error: line {line}, column {column}: {msg}\n  in statement {}: {}",
        st.number, st.first_line
    )
}

/// Runs statements in one pass over a session.
pub struct Exec<'a> {
    pub session: Session,
    pub pass: Pass,
    pub opts: &'a RunOptions,
    pub started: Vec<StreamingQuery>,
    pub progress: Option<&'a mut Progress>,
}

fn options_map(options: &[(String, String)]) -> HashMap<String, String> {
    options
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn bad(msg: String) -> sqlc::Error {
    sqlc::Error::analysis("INVALID_STREAMING_SCRIPT", msg)
}

impl Exec<'_> {
    /// Runs one statement; returns the DataFrame of a sink's or SELECT's query.
    pub fn apply(&mut self, st: &ScriptStatement) -> Result<Option<DataFrame>, Failure> {
        self.statement(st)
            .map_err(|e| match (self.pass, &e) {
                (Pass::Run, sqlc::Error::Runtime(_)) => Failure::Query(describe(st, &e)),
                _ => Failure::Script(describe(st, &e)),
            })?
            .map_or(Ok(None), |df| Ok(Some(df)))
    }

    fn statement(&mut self, st: &ScriptStatement) -> sqlc::Result<Option<DataFrame>> {
        let s = &self.session;
        match &st.kind {
            StatementKind::Source {
                name,
                schema,
                computed,
                watermark,
                options,
            } => {
                let mut r = s.read_stream();
                if let Some(schema) = schema {
                    r = r.schema(schema);
                }
                let (path, format, rest) = split_options(options);
                if let Some(f) = format {
                    r = r.format(f);
                }
                r = r.options(rest);
                let mut df = r.load_source(path.as_deref().map(Path::new))?;
                for (col, e) in computed {
                    df = df.select_expr(["*".to_string(), format!("{e} AS {col}")])?;
                }
                if let Some((col, us)) = watermark {
                    df = df.with_watermark(col, &format!("{us} microseconds"))?;
                }
                df.create_or_replace_temp_view(name)?;
                Ok(None)
            }
            StatementKind::Table {
                name,
                schema,
                options,
            } => {
                let mut r = s.read();
                if let Some(schema) = schema {
                    r = r.schema(schema);
                }
                let (path, format, rest) = split_options(options);
                if let Some(f) = format {
                    r = r.format(f);
                }
                r = r.options(rest);
                let path = path.ok_or_else(|| {
                    bad(format!(
                        "CREATE TABLE {name}: give its files with WITH (path = '…')"
                    ))
                })?;
                r.load(path)?.create_or_replace_temp_view(name)?;
                Ok(None)
            }
            StatementKind::View { name, query } => {
                s.sql(query)?.create_or_replace_temp_view(name)?;
                Ok(None)
            }
            StatementKind::Sink {
                name,
                options,
                query,
            } => {
                let df = s.sql(query)?;
                self.sink(name, options, &df)?;
                Ok(Some(df))
            }
            StatementKind::Query { query } => {
                let df = s.sql(query)?;
                if df.is_streaming() && !self.opts.explain {
                    return Err(bad("Queries with streaming sources must be executed with writeStream.start(): use CREATE SINK … AS SELECT".into()));
                }
                Ok(Some(df))
            }
        }
    }

    fn sink(
        &mut self,
        name: &str,
        options: &[(String, String)],
        df: &DataFrame,
    ) -> sqlc::Result<()> {
        let opts = options_map(options);
        let format = opts
            .get("format")
            .cloned()
            .unwrap_or_else(|| "memory".into());
        let mode_text = opts
            .get("outputmode")
            .cloned()
            .unwrap_or_else(|| "append".into());
        let mode = OutputMode::parse(&mode_text)?;
        let trigger = match opts.get("trigger") {
            Some(t) => Trigger::parse(t)?,
            None => Trigger::default(),
        };
        let trigger = if self.opts.available_now {
            Trigger::AvailableNow
        } else {
            trigger
        };
        if !df.is_streaming() {
            return Err(bad(format!("CREATE SINK {name}: its query reads no source (CREATE SOURCE); use CREATE VIEW or SELECT for static tables")));
        }
        let is_file = matches!(
            format.to_ascii_lowercase().as_str(),
            "json" | "csv" | "parquet"
        );
        if !is_file
            && !matches!(
                format.to_ascii_lowercase().as_str(),
                "memory" | "console" | "kafka"
            )
        {
            return Err(bad(format!(
                "sink format '{format}' is not supported (supported: memory, console, kafka, json, csv, parquet)"
            )));
        }
        if is_file && !opts.contains_key("path") {
            return Err(bad(format!(
                "CREATE SINK {name}: a {format} sink needs its output directory: WITH (path = '…')"
            )));
        }
        if self.pass == Pass::Check {
            sqlc_runtime::checker::check_streaming(df.plan(), mode)?;
            sqlc_compiler::physical::plan_physical(df.plan(), sqlc::ExecMode::from_env())?;
            let empty = RecordBatch::new_empty(df.schema().to_arrow());
            self.session
                .create_data_frame(vec![empty])?
                .create_or_replace_temp_view(name)?;
            return Ok(());
        }
        let mut w = df
            .write_stream()
            .query_name(name)
            .format(&format)
            .output_mode(&mode_text)
            .trigger(trigger);
        for (k, v) in options {
            let k_low = k.to_ascii_lowercase();
            if !matches!(k_low.as_str(), "format" | "outputmode" | "trigger") {
                w = w.option(k, v);
            }
        }
        self.started.push(w.start()?);
        Ok(())
    }

    /// Runs a SELECT's DataFrame and prints it (in the run pass); with
    /// `--available-now`, after the sinks started so far have finished.
    pub fn select(&mut self, st: &ScriptStatement, df: &DataFrame) -> Result<(), Failure> {
        if self.pass == Pass::Check {
            return Ok(());
        }
        if self.opts.available_now {
            self.wait()?;
        }
        output::print(df, self.opts.output).map_err(|e| Failure::Query(describe(st, &e)))
    }

    /// Reports progress until every started query has ended or Ctrl-C
    /// stops them; a failed query is a failure.
    pub fn wait(&mut self) -> Result<(), Failure> {
        loop {
            if let Some(p) = self.progress.as_deref_mut() {
                p.poll(&self.started);
            }
            for q in &self.started {
                if let Some(e) = q.exception() {
                    let name = q.name().unwrap_or(q.id()).to_string();
                    let _ = self.session.stop();
                    self.finish();
                    return Err(Failure::Query(format!("error: query {name} failed: {e}")));
                }
            }
            let running = self.started.iter().any(|q| q.is_active());
            if interrupt::interrupted() {
                let _ = self.session.stop();
                break;
            }
            if !running {
                break;
            }
            if let Some(q) = self.started.iter().find(|q| q.is_active()) {
                let _ = q.await_termination(Some(Duration::from_millis(100)));
            }
        }
        self.finish();
        Ok(())
    }

    /// Ends the live progress line.
    pub fn finish(&mut self) {
        if let Some(p) = self.progress.as_deref_mut() {
            p.finish();
        }
    }
}

/// The `path` option apart from the others.
/// A WITH clause's `path` and `format`, and the connector's other options.
fn split_options(
    options: &[(String, String)],
) -> (Option<String>, Option<&str>, Vec<(&str, &str)>) {
    let mut path = None;
    let mut format = None;
    let mut rest = Vec::new();
    for (k, v) in options {
        if k.eq_ignore_ascii_case("path") {
            path = Some(v.clone());
        } else if k.eq_ignore_ascii_case("format") {
            format = Some(v.as_str());
        } else {
            rest.push((k.as_str(), v.as_str()));
        }
    }
    (path, format, rest)
}

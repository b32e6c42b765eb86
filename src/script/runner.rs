//! [`Runner`]: executes script statements in order against a session —
//! declares sources, tables and views, starts sinks, plans queries and runs
//! the session commands.
//!
//! A script runs twice: first a check pass over a fresh session plans every
//! statement without starting anything (a sink's memory table is stood in
//! for by an empty table of its schema), then the run pass. The shell runs
//! each statement once, in the run pass.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use arrow::record_batch::RecordBatch;
use sqlc_runtime::sink::OutputMode;

use super::{commands, describe, Failure, ScriptStatement, StatementKind};
use crate::{DataFrame, Session, StreamingQuery, Trigger};

/// Whether statements are only planned or also run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    Check,
    Run,
}

/// How statements run.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Every sink reads what is there at start, then stops.
    pub available_now: bool,
    /// Only explaining: a SELECT may read a stream.
    pub explain: bool,
}

/// What a statement gives back to print.
pub enum Outcome {
    /// Nothing to print (a declaration).
    Done,
    /// A SELECT's query (not yet run: the caller decides when, and how often).
    Select(DataFrame),
    /// A sink's query, and the streaming query it started (run pass).
    Sink(DataFrame, Option<StreamingQuery>),
    /// Rows a command produced (`SHOW TABLES`, `SHOW QUERIES`, `DESCRIBE`).
    Rows(DataFrame),
    /// Text a command produced (`EXPLAIN`, `STOP QUERY`).
    Text(String),
}

/// The streaming queries a runner started, running or not, in start order;
/// a handle others (the live page) read while the script runs.
#[derive(Clone, Default)]
pub struct Queries(Arc<Mutex<Vec<StreamingQuery>>>);

impl Queries {
    pub fn list(&self) -> Vec<StreamingQuery> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Adds a query to the list (the runner does, for each sink it starts).
    pub fn push(&self, q: StreamingQuery) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(q);
    }
}

/// Runs statements in one pass over a session.
pub struct Runner {
    session: Session,
    pass: Pass,
    opts: RunOptions,
    started: Queries,
    /// Sinks declared in the check pass (which starts none), for `STOP QUERY`.
    declared: Vec<String>,
}

fn bad(msg: String) -> crate::Error {
    crate::Error::analysis("INVALID_STREAMING_SCRIPT", msg)
}

impl Runner {
    pub fn new(session: Session, pass: Pass, opts: RunOptions) -> Runner {
        Runner {
            session,
            pass,
            opts,
            started: Queries::default(),
            declared: Vec::new(),
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The streaming queries the sinks started, running or not, in order.
    pub fn started(&self) -> Vec<StreamingQuery> {
        self.started.list()
    }

    /// A handle to the started queries, which sees later starts too.
    pub fn queries(&self) -> Queries {
        self.started.clone()
    }

    /// Runs one statement. Errors are worded with the statement's place;
    /// in the run pass a runtime error is a failed query.
    pub fn apply(&mut self, st: &ScriptStatement) -> Result<Outcome, Failure> {
        self.statement(st)
            .map_err(|e| match (self.pass, e.fault(), &e) {
                (_, crate::error::Fault::Internal, _) => Failure::Internal(describe(st, &e)),
                (Pass::Run, _, crate::Error::Runtime(_)) => Failure::Query(describe(st, &e)),
                _ => Failure::Script(describe(st, &e)),
            })
    }

    /// Plans every statement (the check pass) over `session`; returns each
    /// statement's outcome.
    pub fn check(
        session: Session,
        statements: &[ScriptStatement],
        opts: RunOptions,
    ) -> Result<Vec<Outcome>, Failure> {
        let mut r = Runner::new(session, Pass::Check, opts);
        statements.iter().map(|st| r.apply(st)).collect()
    }

    fn statement(&mut self, st: &ScriptStatement) -> crate::Result<Outcome> {
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
                Ok(Outcome::Done)
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
                Ok(Outcome::Done)
            }
            StatementKind::View { name, query } => {
                s.sql(query)?.create_or_replace_temp_view(name)?;
                Ok(Outcome::Done)
            }
            StatementKind::Sink {
                name,
                options,
                query,
            } => {
                let df = s.sql(query)?;
                let q = self.sink(name, options, &df)?;
                Ok(Outcome::Sink(df, q))
            }
            StatementKind::Query { query } => {
                let df = s.sql(query)?;
                if df.is_streaming() && !self.opts.explain {
                    return Err(bad("Queries with streaming sources must be executed with writeStream.start(): use CREATE SINK … AS SELECT".into()));
                }
                Ok(Outcome::Select(df))
            }
            StatementKind::Command(c) => commands::run(
                c,
                &self.session,
                self.pass,
                &self.started.list(),
                &self.declared,
            ),
        }
    }

    fn sink(
        &mut self,
        name: &str,
        options: &[(String, String)],
        df: &DataFrame,
    ) -> crate::Result<Option<StreamingQuery>> {
        let opts: HashMap<String, String> = options
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
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
            sqlc_compiler::physical::plan_physical(df.plan(), crate::ExecMode::from_env())?;
            let empty = RecordBatch::new_empty(df.schema().to_arrow());
            self.session
                .create_data_frame(vec![empty])?
                .create_or_replace_temp_view(name)?;
            self.declared.push(name.to_string());
            return Ok(None);
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
        let q = w.start()?;
        tracing::info!(query = name, id = q.id(), %format, mode = %mode_text, "query started");
        self.started.push(q.clone());
        Ok(Some(q))
    }
}

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

//! The subcommands: `run`, `explain`, `sql` and `gen`.

use std::time::{Duration, Instant};

use sqlc::datagen::ActivityGen;
use sqlc::Session;
use sqlc_compiler::sql::script::{ScriptStatement, StatementKind};

use crate::output::OutputFormat;
use crate::progress::Progress;
use crate::script::{self, Exec, Failure, Pass, RunOptions};
use crate::{interrupt, Common, ExplainArgs, GenArgs, RunArgs, SqlArgs};

/// A session with the CLI's defaults and `--conf` settings.
fn session(common: &Common) -> Session {
    let s = Session::builder().app_name("sqlc").create();
    let cores = std::thread::available_parallelism().map_or(4, |n| n.get());
    s.conf().set("spark.sql.shuffle.partitions", cores);
    for (k, v) in &common.conf {
        s.conf().set(k, v);
    }
    s
}

/// Plans every statement over a fresh session, starting nothing; returns
/// that session and the DataFrames of the sinks' and SELECTs' queries.
fn check(
    statements: &[ScriptStatement],
    common: &Common,
    opts: &RunOptions,
) -> Result<(Session, Vec<Option<sqlc::DataFrame>>), Failure> {
    let mut exec = Exec {
        session: session(common),
        pass: Pass::Check,
        opts,
        started: Vec::new(),
        progress: None,
    };
    let mut dfs = Vec::new();
    for st in statements {
        dfs.push(exec.apply(st)?);
    }
    Ok((exec.session, dfs))
}

/// Checks, then runs `statements` in order.
fn run_statements(
    statements: &[ScriptStatement],
    common: &Common,
    opts: &RunOptions,
    progress: &mut Progress,
) -> Result<(), Failure> {
    check(statements, common, opts)?;
    interrupt::install();
    let mut exec = Exec {
        session: session(common),
        pass: Pass::Run,
        opts,
        started: Vec::new(),
        progress: Some(progress),
    };
    let result = (|| {
        for st in statements {
            if let Some(df) = exec.apply(st)? {
                if matches!(st.kind, StatementKind::Query { .. }) {
                    exec.select(st, &df)?;
                }
            }
        }
        exec.wait()
    })();
    if result.is_err() {
        let _ = exec.session.stop();
        exec.finish();
    }
    result
}

/// `sqlc run`.
pub fn run(a: &RunArgs) -> Result<(), Failure> {
    let statements = script::load(&a.script, &a.common.vars)?;
    let opts = RunOptions {
        available_now: a.available_now,
        output: a.output,
        explain: false,
    };
    let mut progress = Progress::new(a.quiet, a.progress_json.as_deref()).map_err(|e| {
        Failure::Script(format!("error: --progress-json: cannot open the file: {e}"))
    })?;
    run_statements(&statements, &a.common, &opts, &mut progress)
}

/// The init script's statements (if any) followed by the `-e` query's.
fn with_init(
    init: Option<&std::path::Path>,
    query: &str,
    common: &Common,
) -> Result<(Vec<ScriptStatement>, usize), Failure> {
    let mut statements = match init {
        Some(p) => script::load(p, &common.vars)?,
        None => Vec::new(),
    };
    let first = statements.len();
    for mut st in script::parse(query, &common.vars)? {
        st.number += first;
        statements.push(st);
    }
    Ok((statements, first))
}

/// `sqlc explain`.
pub fn explain(a: &ExplainArgs) -> Result<(), Failure> {
    let (statements, first) = match (&a.execute, &a.script) {
        (Some(q), _) => with_init(a.init.as_deref(), q, &a.common)?,
        (None, Some(p)) => (script::load(p, &a.common.vars)?, 0),
        (None, None) => return Err(Failure::Script("error: give a script or -e SQL".into())),
    };
    let opts = RunOptions {
        available_now: true,
        output: OutputFormat::Table,
        explain: true,
    };
    let (_, dfs) = check(&statements, &a.common, &opts)?;
    for (st, df) in statements.iter().zip(dfs).skip(first) {
        let Some(df) = df else { continue };
        let text = df
            .explain()
            .map_err(|e| Failure::Script(script::describe(st, &e)))?;
        println!("== statement {}: {} ==\n{text}", st.number, st.first_line);
    }
    Ok(())
}

/// `sqlc sql`: the init script and the query, run as a one-shot job.
pub fn sql(a: &SqlArgs) -> Result<(), Failure> {
    let (statements, _) = with_init(a.init.as_deref(), &a.execute, &a.common)?;
    let opts = RunOptions {
        available_now: true,
        output: a.output,
        explain: false,
    };
    let mut progress =
        Progress::new(true, None).map_err(|e| Failure::Script(format!("error: {e}")))?;
    run_statements(&statements, &a.common, &opts, &mut progress)
}

/// `sqlc gen activity DIR`.
pub fn gen(a: &GenArgs) -> Result<(), Failure> {
    let g = ActivityGen::default()
        .rows(a.rows)
        .files(a.files)
        .seed(a.seed)
        .corrupt_rate(a.corrupt_rate);
    g.validate()
        .map_err(|e| Failure::Script(format!("error: {e}")))?;
    let io = |e: sqlc_runtime::Error| Failure::Query(format!("error: {e}"));
    let Some(interval) = &a.interval else {
        let files = g.write_dir(&a.dir).map_err(io)?;
        eprintln!(
            "wrote {} files ({} rows) to {}",
            files.len(),
            a.rows,
            a.dir.display()
        );
        return Ok(());
    };
    let us = sqlc_compiler::interval::parse_duration_us(interval).ok_or_else(|| {
        Failure::Script(format!(
            "error: --interval: expected a duration such as 1s or '500 ms', found `{interval}`"
        ))
    })?;
    let every = Duration::from_micros(us as u64);
    interrupt::install();
    let mut producer = g.producer(&a.dir).map_err(io)?;
    let mut next = Instant::now();
    while let Some(path) = producer.next() {
        eprintln!("wrote {}", path.map_err(io)?.display());
        if producer.remaining() == 0 {
            break;
        }
        next += every;
        while Instant::now() < next && !interrupt::interrupted() {
            std::thread::sleep((next - Instant::now()).min(Duration::from_millis(100)));
        }
        if interrupt::interrupted() {
            break;
        }
    }
    Ok(())
}

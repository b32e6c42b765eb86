//! The subcommands: `run`, `explain`, `sql` and `gen` (the shell is in
//! `shell.rs`).

use std::time::{Duration, Instant};

use sqlc::datagen::ActivityGen;
use sqlc::script::{self, Failure, Outcome, Pass, RunOptions, Runner, ScriptStatement};
use sqlc::Session;

use crate::live::{Live, Screen};
use crate::output::{self, Style};
use crate::progress::Progress;
use crate::{interrupt, Common, ExplainArgs, GenArgs, RunArgs, ServeArgs, SqlArgs};

/// A session with the CLI's defaults and `--conf` settings.
pub fn session(common: &Common) -> Session {
    let s = Session::builder().app_name("sqlc").create();
    let cores = std::thread::available_parallelism().map_or(4, |n| n.get());
    s.conf().set("spark.sql.shuffle.partitions", cores);
    for (k, v) in &common.conf {
        s.conf().set(k, v);
    }
    s
}

/// Prints what a statement gave back, now (not a live SELECT).
pub fn print_outcome(st: &ScriptStatement, outcome: &Outcome, style: Style) -> Result<(), Failure> {
    match outcome {
        Outcome::Select(df) | Outcome::Rows(df) => {
            output::print(df, style).map_err(|e| Failure::Query(script::describe(st, &e)))
        }
        Outcome::Text(t) => {
            output::write_out(t);
            if !t.ends_with('\n') {
                output::write_out("\n");
            }
            Ok(())
        }
        Outcome::Done | Outcome::Sink(..) => Ok(()),
    }
}

/// How a script's statements are run and shown.
struct Plan<'a> {
    common: &'a Common,
    opts: RunOptions,
    style: Style,
    /// Statements before this index run but print nothing (an init script).
    first_printed: usize,
    /// `--ui[=PORT]`, and whether to say where (not with --quiet).
    ui: Option<(u16, bool)>,
}

/// Checks, then runs `statements` in order; in a streaming run the SELECTs
/// after the first sink are re-run after every batch until the queries end
/// or Ctrl-C stops them.
fn run_statements(
    statements: &[ScriptStatement],
    plan: &Plan,
    progress: &mut Progress,
) -> Result<(), Failure> {
    Runner::check(session(plan.common), statements, plan.opts)?;
    interrupt::install();
    let mut runner = Runner::new(session(plan.common), Pass::Run, plan.opts);
    let _monitor = match plan.ui {
        Some((port, say)) => {
            let m = sqlc::monitor::serve(port, runner.queries())?;
            if say {
                eprintln!(
                    "live page: http://127.0.0.1:{}/ (metrics at /metrics)",
                    m.port()
                );
            }
            Some(m)
        }
        None => None,
    };
    let mut screen = Screen::new(plan.style.format);
    let mut live = Live::new(plan.style);
    let result = (|| {
        for (i, st) in statements.iter().enumerate() {
            let outcome = runner.apply(st)?;
            let streaming = !plan.opts.available_now && !runner.started().is_empty();
            match &outcome {
                Outcome::Select(df) if streaming && i >= plan.first_printed => {
                    live.add(df.clone());
                }
                Outcome::Select(_) if plan.opts.available_now => {
                    wait(&runner, progress, &mut screen, &mut live)?;
                    if i >= plan.first_printed {
                        print_outcome(st, &outcome, plan.style)?;
                    }
                }
                _ if i >= plan.first_printed => print_outcome(st, &outcome, plan.style)?,
                _ => {}
            }
        }
        if screen.in_place() && !live.is_empty() {
            let status = progress.status();
            live.show(&runner.started(), &mut screen, status.as_deref())
                .map_err(|e| Failure::Query(format!("error: {e}")))?;
        }
        wait(&runner, progress, &mut screen, &mut live)
    })();
    if result.is_err() {
        let _ = runner.session().stop();
    }
    screen.finish();
    result
}

/// Reports progress (and re-runs the live SELECTs after each batch) until
/// every started query has ended or Ctrl-C stops them; a failed query is a
/// failure.
fn wait(
    runner: &Runner,
    progress: &mut Progress,
    screen: &mut Screen,
    live: &mut Live,
) -> Result<(), Failure> {
    let queries = runner.started();
    let mut last_status = None;
    loop {
        let new = progress.poll(&queries);
        let status = progress.status();
        if !new.0.is_empty() && !live.is_empty() {
            live.show(&queries, screen, status.as_deref())
                .map_err(|e| Failure::Query(format!("error: {e}")))?;
        } else if status != last_status {
            if let Some(s) = &status {
                screen.status(s);
            }
        }
        last_status = status;
        for q in &queries {
            if let Some(e) = q.exception() {
                let name = q.name().unwrap_or(q.id()).to_string();
                let _ = runner.session().stop();
                screen.finish();
                return Err(Failure::Query(format!("error: query {name} failed: {e}")));
            }
        }
        if interrupt::interrupted() {
            let _ = runner.session().stop();
            // The last answer: whatever the queries committed before stopping.
            progress.poll(&queries);
            if !live.is_empty() {
                live.show(&queries, screen, progress.status().as_deref())
                    .map_err(|e| Failure::Query(format!("error: {e}")))?;
            }
            break;
        }
        let Some(q) = queries.iter().find(|q| q.is_active()) else {
            break;
        };
        let _ = q.await_termination(Some(Duration::from_millis(100)));
    }
    Ok(())
}

/// `sqlc run`.
pub fn run(a: &RunArgs) -> Result<(), Failure> {
    let statements = script::load(&a.script, &a.common.vars)?;
    let plan = Plan {
        common: &a.common,
        opts: RunOptions {
            available_now: a.available_now,
            explain: false,
        },
        style: a.print.style(),
        first_printed: 0,
        ui: a.ui.map(|p| (p, !a.quiet)),
    };
    let mut progress = Progress::new(a.quiet, a.progress_json.as_deref()).map_err(|e| {
        Failure::Script(format!("error: --progress-json: cannot open the file: {e}"))
    })?;
    run_statements(&statements, &plan, &mut progress)
}

/// The init script's statements (if any) followed by the `-e` query's;
/// and the index of the first of the query's.
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
        explain: true,
    };
    let mode = sqlc::ExplainMode::parse(&a.mode).expect("clap checked the mode");
    let outcomes = Runner::check(session(&a.common), &statements, opts)?;
    for (st, outcome) in statements.iter().zip(outcomes).skip(first) {
        let (Outcome::Select(df) | Outcome::Sink(df, _)) = outcome else {
            continue;
        };
        let text = df
            .explain_mode(mode)
            .map_err(|e| Failure::Script(script::describe(st, &e)))?;
        println!("== statement {}: {} ==\n{text}", st.number, st.first_line);
    }
    Ok(())
}

/// `sqlc sql`: the init script and the query, run as a one-shot job; only
/// the query's answer is printed.
pub fn sql(a: &SqlArgs) -> Result<(), Failure> {
    let (statements, first) = with_init(a.init.as_deref(), &a.execute, &a.common)?;
    let plan = Plan {
        common: &a.common,
        opts: RunOptions {
            available_now: true,
            explain: false,
        },
        style: a.print.style(),
        first_printed: first,
        ui: None,
    };
    let mut progress =
        Progress::new(true, None).map_err(|e| Failure::Script(format!("error: {e}")))?;
    run_statements(&statements, &plan, &mut progress)
}

/// `sqlc gen activity DIR`.
/// `sqlc serve`: Spark Connect until the process is stopped.
pub fn serve(a: &ServeArgs) -> Result<(), Failure> {
    let opts = sqlc::connect::ServeOptions {
        host: a.host.clone(),
        port: a.port,
        session_timeout: Duration::from_secs(a.session_timeout.max(1)),
    };
    sqlc::connect::serve(&opts, |addr| {
        // The first line says where to connect (tests read the port here).
        println!("sqlc serve: Spark Connect on sc://{addr}");
        if !addr.ip().is_loopback() {
            eprintln!(
                "sqlc serve: warning: {} is not loopback; whoever reaches it can run queries \
                 and read files as this user (there is no authentication)",
                addr.ip()
            );
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
    .map_err(|e| Failure::Query(format!("error: {e}")))
}

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

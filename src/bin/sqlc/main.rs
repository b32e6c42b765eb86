//! `sqlc`: run streaming SQL scripts, explain queries, query tables,
//! generate activity data, and an interactive shell (no arguments).
//!
//! Exit codes: 0 success; 1 a query failed while running; 2 a usage or
//! script error found before any query started.

mod commands;
mod help;
mod interrupt;
mod live;
mod memory;
mod output;
mod progress;
mod shell;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use output::{OutputFormat, Style};

use sqlc::script::Failure;

/// A streaming SQL engine that compiles every query to native code.
///
/// With no command, sqlc starts the interactive shell.
#[derive(Parser)]
#[command(
    name = "sqlc",
    version,
    about,
    disable_help_subcommand = true,
    after_help = help::MAIN_EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a SQL script: sources, tables, views, sinks and SELECTs, in order.
    #[command(after_help = help::RUN_EXAMPLES)]
    Run(RunArgs),
    /// Explain every query of a script, or one query (-e).
    #[command(after_help = help::EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Run one batch query over the tables an init script declares.
    #[command(after_help = help::SQL_EXAMPLES)]
    Sql(SqlArgs),
    /// Generate data.
    #[command(after_help = help::GEN_EXAMPLES)]
    Gen(GenArgs),
    /// Serve Spark Connect, so PySpark programs run on sqlc unchanged.
    #[command(after_help = help::SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// The interactive shell (also `sqlc` with no command).
    #[command(after_help = help::SHELL_EXAMPLES)]
    Shell(ShellArgs),
    /// Help on a command, or on the script language (`sqlc help script`).
    Help {
        /// A command, or `script`.
        topic: Option<String>,
    },
}

/// Settings every command that runs a script takes.
#[derive(Args)]
struct Common {
    /// Replace `${NAME}` in the script by VALUE.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = key_value)]
    vars: Vec<(String, String)>,
    /// A session setting, such as spark.sql.shuffle.partitions=8.
    #[arg(long = "conf", value_name = "KEY=VALUE", value_parser = conf_setting)]
    conf: Vec<(String, String)>,
}

/// How answers are printed.
#[derive(Args)]
struct Print {
    /// How SELECT results are printed.
    #[arg(long, value_enum, default_value = "table")]
    output: OutputFormat,
    /// Cut table cells at N characters (0: never).
    #[arg(long, value_name = "N", default_value_t = 20)]
    truncate: usize,
    /// Print table cells whole (as show(truncate=False)).
    #[arg(long, conflicts_with = "truncate")]
    no_truncate: bool,
}

impl Print {
    fn style(&self) -> Style {
        Style {
            format: self.output,
            truncate: if self.no_truncate { 0 } else { self.truncate },
        }
    }
}

#[derive(Args)]
struct ServeArgs {
    /// The address to listen on; loopback unless another is given.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The port (Spark Connect's 15002; 0 picks a free one).
    #[arg(long, default_value_t = 15002)]
    port: u16,
    /// Release a session no client has used for this many seconds (its
    /// streaming queries stop).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    session_timeout: u64,
}

#[derive(Args)]
struct RunArgs {
    /// The script.
    script: PathBuf,
    /// Every sink reads what is there at start, then stops; each SELECT
    /// waits for the sinks before it. Without it, SELECTs after a sink are
    /// re-run after every batch until Ctrl-C.
    #[arg(long)]
    available_now: bool,
    #[command(flatten)]
    print: Print,
    /// No progress on stderr.
    #[arg(long)]
    quiet: bool,
    /// Append each batch's progress JSON to FILE, one per line.
    #[arg(long, value_name = "FILE")]
    progress_json: Option<PathBuf>,
    /// Serve a live page of the queries (and Prometheus metrics at
    /// /metrics) on http://127.0.0.1:PORT/ (default 4040).
    #[arg(long, value_name = "PORT", num_args = 0..=1, require_equals = true, default_missing_value = "4040")]
    ui: Option<u16>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct ExplainArgs {
    /// The script whose queries to explain.
    #[arg(required_unless_present = "execute", conflicts_with = "execute")]
    script: Option<PathBuf>,
    /// One query to explain.
    #[arg(short = 'e', long = "execute", value_name = "SQL")]
    execute: Option<String>,
    /// A script declaring the tables the query reads.
    #[arg(long, value_name = "SCRIPT")]
    init: Option<PathBuf>,
    /// simple: the physical plan; extended: the logical plan too; codegen:
    /// each kernel's typed IR, Cranelift IR and machine code; formatted: a
    /// numbered outline and each kernel's typed IR.
    #[arg(long, default_value = "simple", value_parser = sqlc::ExplainMode::NAMES)]
    mode: String,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct SqlArgs {
    /// The query.
    #[arg(short = 'e', long = "execute", value_name = "SQL")]
    execute: String,
    /// A script declaring the tables the query reads (its own SELECTs are
    /// not printed).
    #[arg(long, value_name = "SCRIPT")]
    init: Option<PathBuf>,
    #[command(flatten)]
    print: Print,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct ShellArgs {
    /// A script to run first (its sinks keep running).
    #[arg(long, value_name = "SCRIPT")]
    init: Option<PathBuf>,
    /// Serve the live page of the shell's queries (and /metrics) on
    /// http://127.0.0.1:PORT/ (default 4040).
    #[arg(long, value_name = "PORT", num_args = 0..=1, require_equals = true, default_missing_value = "4040")]
    ui: Option<u16>,
    #[command(flatten)]
    print: Print,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct GenArgs {
    /// What to generate: `activity`.
    #[arg(value_parser = ["activity"])]
    kind: String,
    /// The directory to write into.
    dir: PathBuf,
    /// Rows over all files.
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// Number of files.
    #[arg(long, default_value_t = 10)]
    files: usize,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Share of lines cut short into malformed JSON (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    corrupt_rate: f64,
    /// Write one file per interval (`1s`, `500 ms`), as a live producer.
    #[arg(long, value_name = "DURATION")]
    interval: Option<String>,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .ok_or_else(|| format!("expected NAME=VALUE, found `{s}`"))
}

/// A `--conf` setting: a bad value of a setting sqlc reads is a usage
/// error (clap exits 2); an unknown key is kept, with a warning.
fn conf_setting(s: &str) -> Result<(String, String), String> {
    let (k, v) = key_value(s)?;
    if let Some(warning) = sqlc::check_conf(&k, &v)? {
        eprintln!("warning: {warning}");
    }
    Ok((k, v))
}

/// `sqlc help [TOPIC]`.
fn help(topic: Option<&str>) -> Result<(), Failure> {
    let mut cli = Cli::command();
    match topic {
        None => {
            let _ = cli.print_long_help();
        }
        Some("script") => output::write_out(help::SCRIPT),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(sub) => {
                let mut sub = sub.clone().bin_name(format!("sqlc {name}"));
                let _ = sub.print_long_help();
            }
            None => {
                return Err(Failure::Script(format!(
                    "error: no help on `{name}`: try a command (run, explain, sql, gen, shell) or `script`"
                )))
            }
        },
    }
    Ok(())
}

fn main() -> ExitCode {
    memory::no_huge_pages();
    let cli = Cli::parse();
    sqlc::logging::init();
    interrupt::ignore_file_size_signal();
    let result = match cli.command {
        Some(Command::Run(a)) => commands::run(&a),
        Some(Command::Explain(a)) => commands::explain(&a),
        Some(Command::Sql(a)) => commands::sql(&a),
        Some(Command::Gen(a)) => commands::gen(&a),
        Some(Command::Serve(a)) => commands::serve(&a),
        Some(Command::Shell(a)) => shell::run(&a),
        Some(Command::Help { topic }) => help(topic.as_deref()),
        None => shell::run(&ShellArgs {
            init: None,
            ui: None,
            print: Print {
                output: OutputFormat::Table,
                truncate: 20,
                no_truncate: false,
            },
            common: Common {
                vars: Vec::new(),
                conf: Vec::new(),
            },
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Script(m)) => {
            eprintln!("{m}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(m)) => {
            eprintln!("{m}");
            ExitCode::from(70)
        }
        Err(Failure::Query(m)) => {
            eprintln!("{m}");
            ExitCode::from(1)
        }
    }
}

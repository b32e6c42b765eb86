//! `sqlc`: run streaming SQL scripts, explain queries, query tables, and
//! generate activity data.
//!
//! Exit codes: 0 success; 1 a query failed while running; 2 a usage or
//! script error found before any query started.

mod commands;
mod interrupt;
mod output;
mod progress;
mod script;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use output::OutputFormat;
use script::Failure;

/// A streaming SQL engine that compiles every query to native code.
#[derive(Parser)]
#[command(name = "sqlc", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a SQL script: sources, tables, views, sinks and SELECTs, in order.
    Run(RunArgs),
    /// Explain every query of a script, or one query (-e).
    Explain(ExplainArgs),
    /// Run one batch query over the tables an init script declares.
    Sql(SqlArgs),
    /// Generate data.
    Gen(GenArgs),
}

/// Settings every command that runs a script takes.
#[derive(Args)]
struct Common {
    /// Replace `${NAME}` in the script by VALUE.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = key_value)]
    vars: Vec<(String, String)>,
    /// A session setting, such as spark.sql.shuffle.partitions=8.
    #[arg(long = "conf", value_name = "KEY=VALUE", value_parser = key_value)]
    conf: Vec<(String, String)>,
}

#[derive(Args)]
struct RunArgs {
    /// The script.
    script: PathBuf,
    /// Every sink reads what is there at start, then stops; each SELECT
    /// waits for the sinks before it.
    #[arg(long)]
    available_now: bool,
    /// How SELECT results are printed.
    #[arg(long, value_enum, default_value = "table")]
    output: OutputFormat,
    /// No progress on stderr.
    #[arg(long)]
    quiet: bool,
    /// Append each batch's progress JSON to FILE, one per line.
    #[arg(long, value_name = "FILE")]
    progress_json: Option<PathBuf>,
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
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct SqlArgs {
    /// The query.
    #[arg(short = 'e', long = "execute", value_name = "SQL")]
    execute: String,
    /// A script declaring the tables the query reads.
    #[arg(long, value_name = "SCRIPT")]
    init: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    output: OutputFormat,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => commands::run(&a),
        Command::Explain(a) => commands::explain(&a),
        Command::Sql(a) => commands::sql(&a),
        Command::Gen(a) => commands::gen(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Script(m)) => {
            eprintln!("{m}");
            ExitCode::from(2)
        }
        Err(Failure::Query(m)) => {
            eprintln!("{m}");
            ExitCode::from(1)
        }
    }
}

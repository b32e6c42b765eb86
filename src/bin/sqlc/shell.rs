//! The interactive shell: statements end with `;`, run as they are
//! entered; sinks started here keep running in the background while the
//! user queries their tables. Line editing and history by rustyline; from
//! a pipe it reads statements without prompts (scripted sessions).

use rustyline::error::ReadlineError;
use sqlc::script::{self, Failure, Outcome, Pass, RunOptions, Runner};

use crate::commands::{print_outcome, session};
use crate::output::Style;
use crate::ShellArgs;

const HELP: &str = "\
Statements end with `;` and may span lines:
  CREATE SOURCE name (cols) WITH (format = 'json', path = '…', …);
  CREATE TABLE name WITH (format = 'json', path = '…');
  CREATE VIEW name AS SELECT …;
  CREATE SINK name WITH (format = 'memory', outputMode = 'complete') AS SELECT …;
  SELECT …;                       (memory sinks are tables: their last batch)
  SHOW TABLES;   SHOW QUERIES;   STOP QUERY name;   DESCRIBE name;
  EXPLAIN [SIMPLE|EXTENDED|CODEGEN|FORMATTED] SELECT …;
Shell commands: .help  .quit (or Ctrl-D; stops the queries)
`sqlc help script` describes the script language.";

/// `sqlc shell` (and `sqlc` with no command).
pub fn run(a: &ShellArgs) -> Result<(), Failure> {
    let style = a.print.style();
    let mut runner = Runner::new(session(&a.common), Pass::Run, RunOptions::default());
    let _monitor = match a.ui {
        Some(port) => {
            let m = sqlc::monitor::serve(port, runner.queries())?;
            eprintln!(
                "live page: http://127.0.0.1:{}/ (metrics at /metrics)",
                m.port()
            );
            Some(m)
        }
        None => None,
    };
    if let Some(init) = &a.init {
        let statements = script::load(init, &a.common.vars)?;
        Runner::check(session(&a.common), &statements, RunOptions::default())?;
        for st in &statements {
            let outcome = runner.apply(st)?;
            show(st, &outcome, style)?;
        }
    }
    let mut rl = rustyline::DefaultEditor::new()
        .map_err(|e| Failure::Script(format!("error: cannot start the line editor: {e}")))?;
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdin());
    if tty {
        eprintln!(
            "sqlc {} — statements end with `;`, .help for help, .quit to leave",
            env!("CARGO_PKG_VERSION")
        );
    }
    let mut buf = String::new();
    loop {
        let prompt = if buf.is_empty() { "sqlc> " } else { "   -> " };
        match rl.readline(prompt) {
            Ok(line) => {
                if buf.trim().is_empty() && line.trim_start().starts_with('.') {
                    match line.trim() {
                        ".help" => eprintln!("{HELP}"),
                        ".quit" | ".exit" => break,
                        other => eprintln!("unknown shell command {other}: .help lists them"),
                    }
                    continue;
                }
                buf.push_str(&line);
                buf.push('\n');
                if buf.trim_end().ends_with(';') {
                    let _ = rl.add_history_entry(buf.trim());
                    execute(&mut runner, &buf, &a.common.vars, style);
                    buf.clear();
                }
            }
            Err(ReadlineError::Interrupted) => buf.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                let _ = runner.session().stop();
                return Err(Failure::Script(format!("error: reading input: {e}")));
            }
        }
    }
    if !buf.trim().is_empty() {
        execute(&mut runner, &buf, &a.common.vars, style);
    }
    let _ = runner.session().stop();
    Ok(())
}

/// Runs the statements of one entry; errors are printed, the shell goes on.
fn execute(runner: &mut Runner, text: &str, vars: &[(String, String)], style: Style) {
    let statements = match script::parse(text, vars) {
        Ok(s) => s,
        Err(e) => return eprintln!("{e}"),
    };
    for st in &statements {
        if let Err(e) = runner.apply(st).and_then(|o| show(st, &o, style)) {
            eprintln!("{e}");
            return;
        }
    }
}

fn show(st: &script::ScriptStatement, outcome: &Outcome, style: Style) -> Result<(), Failure> {
    match outcome {
        Outcome::Sink(_, Some(q)) => {
            eprintln!(
                "started query {} (id {})",
                q.name().unwrap_or(q.id()),
                q.id()
            );
            Ok(())
        }
        o => print_outcome(st, o, style),
    }
}

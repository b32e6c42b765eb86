//! Live answers: the SELECTs of a streaming script re-run after each
//! committed batch — redrawn in place on a terminal (as the Flink SQL
//! client's table mode), else printed once per batch under Spark's console
//! sink header (`Batch: N`) — and the progress status line below them.

use std::io::{IsTerminal, Write};

use sqlc::DataFrame;

use crate::output::{write_out, Answer, OutputFormat, Style};

/// The terminal: stdout's table drawn in place, stderr's status line.
pub struct Screen {
    /// Redraw answers in place (stdout is a terminal and the format a table).
    in_place: bool,
    /// Lines of the answer drawn in place last time.
    drawn: usize,
    /// Whether a status line is on stderr (no newline after it).
    status_shown: bool,
}

/// Columns and rows of the terminal on `fd`, if it is one.
fn size_of(stream: &impl std::os::fd::AsFd) -> Option<(usize, usize)> {
    terminal_size::terminal_size_of(stream).map(|(w, h)| (w.0 as usize, h.0 as usize))
}

impl Screen {
    pub fn new(format: OutputFormat) -> Screen {
        Screen {
            in_place: std::io::stdout().is_terminal() && format == OutputFormat::Table,
            drawn: 0,
            status_shown: false,
        }
    }

    pub fn in_place(&self) -> bool {
        self.in_place
    }

    fn clear_status(&mut self) {
        if self.status_shown {
            eprint!("\r\x1b[K");
            self.status_shown = false;
        }
    }

    /// Shows `line` as the status line, cut to the terminal's width.
    pub fn status(&mut self, line: &str) {
        self.clear_status();
        let width = size_of(&std::io::stderr()).map_or(80, |(w, _)| w);
        let cut: String = line.chars().take(width.saturating_sub(1)).collect();
        eprint!("{cut}");
        let _ = std::io::stderr().flush();
        self.status_shown = true;
    }

    /// Replaces the answer drawn last by `text` (in place), or prints it.
    pub fn answer(&mut self, text: &str, status: Option<&str>) {
        self.clear_status();
        if self.in_place {
            let (width, height) = size_of(&std::io::stdout()).unwrap_or((80, 24));
            let mut out = String::new();
            if self.drawn > 0 {
                out.push_str(&format!("\x1b[{}A\r", self.drawn));
            }
            out.push_str("\x1b[J");
            // What fits above the status line; the rest is summarised.
            let room = height.saturating_sub(2).max(3);
            let lines: Vec<&str> = text.lines().collect();
            let shown = if lines.len() > room {
                room - 1
            } else {
                lines.len()
            };
            for l in &lines[..shown] {
                let cut: String = l.chars().take(width.saturating_sub(1)).collect();
                out.push_str(&cut);
                out.push('\n');
            }
            if shown < lines.len() {
                out.push_str(&format!("… {} more lines\n", lines.len() - shown));
            }
            self.drawn = shown + usize::from(shown < lines.len());
            write_out(&out);
        } else {
            write_out(text);
        }
        if let Some(s) = status {
            self.status(s);
        }
    }

    /// Ends the status line.
    pub fn finish(&mut self) {
        if self.status_shown {
            eprintln!();
            self.status_shown = false;
        }
    }
}

/// The SELECTs to re-run after each batch, and the batch they last showed.
pub struct Live {
    queries: Vec<DataFrame>,
    style: Style,
    /// The batch header of the answer printed last, to print the final
    /// answer only when it is new.
    shown: Option<String>,
}

impl Live {
    pub fn new(style: Style) -> Live {
        Live {
            queries: Vec::new(),
            style,
            shown: None,
        }
    }

    pub fn add(&mut self, df: DataFrame) {
        self.queries.push(df);
    }

    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// `Batch: 3`, or with several queries `Batch: counts 3, totals 5`.
    fn label(batches: &[(String, u64)]) -> String {
        match batches {
            [] => "Batch: none yet".to_string(),
            [(_, b)] => format!("Batch: {b}"),
            many => {
                let parts: Vec<String> = many.iter().map(|(n, b)| format!("{n} {b}")).collect();
                format!("Batch: {}", parts.join(", "))
            }
        }
    }

    /// Re-runs every SELECT and shows the answers under the batches
    /// `queries` last committed; nothing when those were shown already.
    /// The answers are taken again if a batch committed while they ran, so
    /// an answer is the one of the batch its header names (unless batches
    /// keep ending faster than the SELECTs run).
    pub fn show(
        &mut self,
        queries: &[sqlc::StreamingQuery],
        screen: &mut Screen,
        status: Option<&str>,
    ) -> sqlc::Result<()> {
        // A few tries: a stream whose batches come faster than the SELECTs
        // run shows the answers under the batches that ended meanwhile.
        let mut tries = 0;
        let (batches, answers) = loop {
            let before = last_batches(queries);
            let answers = self
                .queries
                .iter()
                .map(Answer::of)
                .collect::<sqlc::Result<Vec<_>>>()?;
            let after = last_batches(queries);
            tries += 1;
            if after == before || tries == 3 {
                break (after, answers);
            }
        };
        let label = Live::label(&batches);
        if self.shown.as_deref() == Some(&label) {
            return Ok(());
        }
        let mut text = String::new();
        if self.style.format == OutputFormat::Json {
            let b = serde_json::json!({ "batch": batches.iter().map(|(_, b)| *b).max() });
            text.push_str(&format!("{b}\n"));
        } else {
            let rule = "-------------------------------------------";
            text.push_str(&format!("{rule}\n{label}\n{rule}\n"));
        }
        for a in &answers {
            text.push_str(&a.render(self.style));
            if self.style.format == OutputFormat::Table {
                text.push('\n');
            }
        }
        screen.answer(&text, status);
        self.shown = Some(label);
        Ok(())
    }
}

/// Each started query's last committed batch, by name (or id).
pub fn last_batches(queries: &[sqlc::StreamingQuery]) -> Vec<(String, u64)> {
    queries
        .iter()
        .filter_map(|q| {
            q.last_progress()
                .map(|p| (q.name().unwrap_or(q.id()).to_string(), p.batch_id))
        })
        .collect()
}

//! Progress of the running queries on stderr — one line per batch, or on a
//! terminal one live status line cut to its width — and as JSON lines in
//! a file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::Path;

use sqlc::{QueryProgress, StreamingQuery};

/// Reports each query's new batches since the last poll.
pub struct Progress {
    quiet: bool,
    tty: bool,
    json: Option<File>,
    /// Next batch id to report, per query id.
    next: HashMap<String, u64>,
    /// Latest line per query (for the live line), in start order.
    latest: Vec<(String, String)>,
}

/// The batches one poll found: per query that committed any, its name (or
/// id) and last batch id.
#[derive(Default)]
pub struct NewBatches(pub Vec<(String, u64)>);

impl Progress {
    /// `quiet` turns stderr reporting off; `json` appends each batch's
    /// progress JSON to that file.
    pub fn new(quiet: bool, json: Option<&Path>) -> std::io::Result<Progress> {
        let json = match json {
            Some(p) => Some(File::options().create(true).append(true).open(p)?),
            None => None,
        };
        Ok(Progress {
            quiet,
            tty: std::io::stderr().is_terminal(),
            json,
            next: HashMap::new(),
            latest: Vec::new(),
        })
    }

    /// Records the batches `queries` finished since the last call (printing
    /// a line per batch when stderr is not a terminal).
    pub fn poll(&mut self, queries: &[StreamingQuery]) -> NewBatches {
        let mut found = NewBatches::default();
        for q in queries {
            let next = self.next.entry(q.id().to_string()).or_insert(0);
            let before = *next;
            for p in q.recent_progress() {
                if p.batch_id < *next {
                    continue;
                }
                *next = p.batch_id + 1;
                if let Some(f) = &mut self.json {
                    let _ = writeln!(f, "{}", p.to_json());
                }
                tracing::debug!(
                    query = q.name().unwrap_or(q.id()),
                    batch = p.batch_id,
                    input_rows = p.num_input_rows,
                    duration_ms = p.duration_ms.get("triggerExecution").copied().unwrap_or(0),
                    "batch committed"
                );
                let line = line(&p);
                if !self.quiet && !self.tty {
                    eprintln!("{line}");
                }
                match self.latest.iter_mut().find(|(id, _)| id == q.id()) {
                    Some(slot) => slot.1 = line,
                    None => self.latest.push((q.id().to_string(), line)),
                }
            }
            if *next > before {
                found
                    .0
                    .push((q.name().unwrap_or(q.id()).to_string(), *next - 1));
            }
        }
        found
    }

    /// The live status line, when stderr is a terminal and not quiet.
    pub fn status(&self) -> Option<String> {
        if self.quiet || !self.tty || self.latest.is_empty() {
            return None;
        }
        let all: Vec<&str> = self.latest.iter().map(|(_, l)| l.as_str()).collect();
        Some(all.join(" | "))
    }
}

/// `name: batch 3, 2500 rows, 812345 rows/s in, 95000 rows/s processed, 7 state rows, watermark …`.
fn line(p: &QueryProgress) -> String {
    let state: u64 = p.state_operators.iter().map(|o| o.num_rows_total).sum();
    let name = p.name.as_deref().unwrap_or(&p.id);
    let mut s = format!(
        "{name}: batch {}, {} rows, {:.0} rows/s in, {:.0} rows/s processed, {state} state rows",
        p.batch_id, p.num_input_rows, p.input_rows_per_second, p.processed_rows_per_second
    );
    if let Some(w) = &p.watermark {
        s.push_str(&format!(", watermark {w}"));
    }
    s
}

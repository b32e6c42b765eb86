//! Progress of the running queries on stderr (one line per batch, or one
//! live line on a terminal), and as JSON lines in a file.

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
    live: bool,
}

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
            live: false,
        })
    }

    /// Reports the batches `queries` finished since the last call.
    pub fn poll(&mut self, queries: &[StreamingQuery]) {
        let mut changed = false;
        for q in queries {
            let next = self.next.entry(q.id().to_string()).or_insert(0);
            for p in q.recent_progress() {
                if p.batch_id < *next {
                    continue;
                }
                *next = p.batch_id + 1;
                changed = true;
                if let Some(f) = &mut self.json {
                    let _ = writeln!(f, "{}", p.to_json());
                }
                let line = line(&p);
                if !self.quiet && !self.tty {
                    eprintln!("{line}");
                }
                match self.latest.iter_mut().find(|(id, _)| id == q.id()) {
                    Some(slot) => slot.1 = line,
                    None => self.latest.push((q.id().to_string(), line)),
                }
            }
        }
        if changed && !self.quiet && self.tty {
            let all: Vec<&str> = self.latest.iter().map(|(_, l)| l.as_str()).collect();
            eprint!("\r\x1b[K{}", all.join(" | "));
            self.live = true;
        }
    }

    /// Ends the live line, if any.
    pub fn finish(&mut self) {
        if self.live {
            eprintln!();
            self.live = false;
        }
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

//! The activity data generator: JSON-lines files with the schema of the
//! Heterogeneity Human Activity Recognition accelerometer data, the data the
//! Structured Streaming examples use (`Arrival_Time, Creation_Time, Device,
//! Index, Model, User, gt, x, y, z`). It follows `shared/data/gen_activity.py`
//! (same keys, distributions, file split and names) with its own RNG: the
//! output is deterministic for a seed but not byte-identical to the script's.
//!
//! Files are written to a hidden temporary name (`.part-…json.tmp`) and then
//! renamed, so a streaming reader never sees half a file; `write_dir` sets
//! their modification times in file order, so a stream takes them in order. The event-time clock
//! runs on across files, so file `k + 1` continues where file `k` stopped.
//!
//! ```no_run
//! use sqlc_runtime::datagen::ActivityGen;
//! let files = ActivityGen::default().rows(10_000).files(4).write_dir("/tmp/activity")?;
//! # Ok::<(), sqlc_runtime::Error>(())
//! ```

mod row;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use arrow::array::{ArrayRef, Float64Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;

pub use row::{DEVICES, GT, GT_WEIGHTS, START_NS, USERS};

use crate::{Error, Result};
use row::{clock_advance, push_line, FileRows, Params};

/// Settings of one generated data set. Build with [`Default`] and the
/// chainable setters: `ActivityGen::default().rows(1000).files(4)`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityGen {
    /// Total rows over all files (default 1,000,000).
    pub rows: u64,
    /// Number of part files (default 80).
    pub files: usize,
    /// RNG seed (default 7).
    pub seed: u64,
    /// Share of rows whose event time lies 60-3600 s in the past (default 0.001).
    pub late_rate: f64,
    /// Share of lines cut short into malformed JSON (default 0).
    pub corrupt_rate: f64,
    /// Overrides the share of rows whose `gt` is null (default: its weight, 0.134).
    pub null_rate: Option<f64>,
}

impl Default for ActivityGen {
    fn default() -> Self {
        ActivityGen {
            rows: 1_000_000,
            files: 80,
            seed: 7,
            late_rate: 0.001,
            corrupt_rate: 0.0,
            null_rate: None,
        }
    }
}

/// Bytes buffered before a chunk goes to the file.
const CHUNK: usize = 1 << 20;

impl ActivityGen {
    /// Sets [`ActivityGen::rows`].
    pub fn rows(mut self, rows: u64) -> Self {
        self.rows = rows;
        self
    }
    /// Sets [`ActivityGen::files`].
    pub fn files(mut self, files: usize) -> Self {
        self.files = files;
        self
    }
    /// Sets [`ActivityGen::seed`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets [`ActivityGen::late_rate`].
    pub fn late_rate(mut self, rate: f64) -> Self {
        self.late_rate = rate;
        self
    }
    /// Sets [`ActivityGen::corrupt_rate`].
    pub fn corrupt_rate(mut self, rate: f64) -> Self {
        self.corrupt_rate = rate;
        self
    }
    /// Sets [`ActivityGen::null_rate`].
    pub fn null_rate(mut self, rate: Option<f64>) -> Self {
        self.null_rate = rate;
        self
    }

    /// Checks the settings: at least one file, rates within `[0, 1]`.
    pub fn validate(&self) -> Result<()> {
        if self.files == 0 {
            return Err(bad("files", "0", "must be at least 1"));
        }
        let rates = [
            ("late_rate", Some(self.late_rate)),
            ("corrupt_rate", Some(self.corrupt_rate)),
            ("null_rate", self.null_rate),
        ];
        for (name, rate) in rates {
            if let Some(r) = rate {
                if !(0.0..=1.0).contains(&r) {
                    return Err(bad(name, &r.to_string(), "must be between 0 and 1"));
                }
            }
        }
        Ok(())
    }

    /// Rows in each file: an even split, the first `rows % files` files one more.
    pub fn rows_per_file(&self) -> Vec<u64> {
        let k = self.files as u64;
        (0..k)
            .map(|i| self.rows / k + u64::from(i < self.rows % k))
            .collect()
    }

    /// The name of part file `file_index`: `part-00007-activity.json`.
    pub fn file_name(file_index: usize) -> String {
        format!("part-{file_index:05}-activity.json")
    }

    /// Writes every file into `dir` (created if missing), in parallel, and
    /// returns their paths in file order.
    pub fn write_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
        let dir = self.prepare(dir.as_ref())?;
        let params = self.params();
        let starts = self.starts();
        let files: Vec<PathBuf> = starts
            .into_par_iter()
            .enumerate()
            .map(|(f, start)| self.write_one(&params, &dir, f, start).map(|(p, _)| p))
            .collect::<Result<_>>()?;
        stamp_in_order(&files)?;
        Ok(files)
    }

    /// Writes file `file_index` alone (its clock and `Index` continue from the
    /// files before it, as if all had been written).
    pub fn write_file(&self, dir: impl AsRef<Path>, file_index: usize) -> Result<PathBuf> {
        let dir = self.prepare(dir.as_ref())?;
        if file_index >= self.files {
            let reason = format!("there are only {} files", self.files);
            return Err(bad("file_index", &file_index.to_string(), &reason));
        }
        let start = self.start_of(file_index);
        Ok(self.write_one(&self.params(), &dir, file_index, start)?.0)
    }

    /// A producer that writes one file per call to `next()`, in order, for
    /// feeding a running stream one file per interval.
    pub fn producer(&self, dir: impl AsRef<Path>) -> Result<Producer> {
        let dir = self.prepare(dir.as_ref())?;
        Ok(Producer {
            gen: self.clone(),
            params: self.params(),
            dir,
            next: 0,
            start: (START_NS, 0),
        })
    }

    /// The same rows in memory, as Arrow batches of at most `batch_rows` rows
    /// (0 counts as 1) with the schema Spark infers ([`activity_schema`]).
    /// Corrupt rows are left out, as a DROPMALFORMED read would.
    pub fn batches(&self, batch_rows: usize) -> Result<Vec<RecordBatch>> {
        self.validate()?;
        let batch_rows = batch_rows.max(1);
        let params = self.params();
        let schema = activity_schema();
        let mut out = Vec::new();
        let mut b = Builders::new(batch_rows.min(self.rows as usize));
        let (mut t_ns, mut index) = (START_NS, 0);
        for (f, n) in self.rows_per_file().into_iter().enumerate() {
            let mut rows = FileRows::new(&params, self.seed, f as u64, n, t_ns, index);
            for r in rows.by_ref() {
                if r.corrupt.is_none() {
                    b.push(&r);
                    if b.len == batch_rows {
                        out.push(b.finish(&schema)?);
                    }
                }
            }
            (t_ns, index) = (rows.t_ns, rows.index);
        }
        if b.len > 0 {
            out.push(b.finish(&schema)?);
        }
        Ok(out)
    }

    fn params(&self) -> Params {
        Params::new(self.late_rate, self.corrupt_rate, self.null_rate)
    }

    fn prepare(&self, dir: &Path) -> Result<PathBuf> {
        self.validate()?;
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        Ok(dir.to_path_buf())
    }

    /// The clock and `Index` at the start of every file.
    fn starts(&self) -> Vec<(i64, i64)> {
        let per_file = self.rows_per_file();
        let advances: Vec<i64> = per_file
            .par_iter()
            .enumerate()
            .map(|(f, &n)| clock_advance(self.seed, f as u64, n))
            .collect();
        let (mut t, mut i) = (START_NS, 0i64);
        let mut out = Vec::with_capacity(per_file.len());
        for (adv, n) in advances.into_iter().zip(per_file) {
            out.push((t, i));
            t += adv;
            i += n as i64;
        }
        out
    }

    fn start_of(&self, file: usize) -> (i64, i64) {
        let per_file = self.rows_per_file();
        let t = (0..file)
            .map(|f| clock_advance(self.seed, f as u64, per_file[f]))
            .sum::<i64>();
        (START_NS + t, per_file[..file].iter().sum::<u64>() as i64)
    }

    /// Writes file `f` via its hidden temporary name; returns the path and
    /// the clock and `Index` after its last row.
    fn write_one(
        &self,
        params: &Params,
        dir: &Path,
        f: usize,
        start: (i64, i64),
    ) -> Result<(PathBuf, (i64, i64))> {
        let name = Self::file_name(f);
        let tmp = dir.join(format!(".{name}.tmp"));
        let dst = dir.join(&name);
        let n = self.rows_per_file()[f];
        let mut rows = FileRows::new(params, self.seed, f as u64, n, start.0, start.1);
        let mut file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut buf = Vec::with_capacity(CHUNK + 512);
        for r in rows.by_ref() {
            push_line(&mut buf, &r);
            if buf.len() >= CHUNK {
                file.write_all(&buf).map_err(|e| Error::io(&tmp, e))?;
                buf.clear();
            }
        }
        if n == 0 {
            buf.push(b'\n'); // the script writes "\n".join([]) + "\n"
        }
        file.write_all(&buf).map_err(|e| Error::io(&tmp, e))?;
        drop(file);
        fs::rename(&tmp, &dst).map_err(|e| Error::io(&dst, e))?;
        Ok((dst, (rows.t_ns, rows.index)))
    }
}

/// Sets the files' modification times a millisecond apart in file order,
/// the last one now. Written in parallel, they would otherwise finish in any
/// order, and a stream (which takes files by modification time, as Spark's
/// does) would read them out of the clock's order, differently every run.
fn stamp_in_order(files: &[PathBuf]) -> Result<()> {
    let now = SystemTime::now();
    for (k, path) in files.iter().enumerate() {
        let t = now - Duration::from_millis((files.len() - 1 - k) as u64);
        File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(t))
            .map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

fn bad(name: &str, value: &str, reason: &str) -> Error {
    Error::BadOption {
        name: name.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

/// Writes an [`ActivityGen`]'s files one at a time, in order; each item is
/// the path of the file just written. The clock continues across files.
#[derive(Debug)]
pub struct Producer {
    gen: ActivityGen,
    params: Params,
    dir: PathBuf,
    next: usize,
    start: (i64, i64),
}

impl Producer {
    /// Files still to write.
    pub fn remaining(&self) -> usize {
        self.gen.files - self.next
    }
}

impl Iterator for Producer {
    type Item = Result<PathBuf>;

    fn next(&mut self) -> Option<Result<PathBuf>> {
        if self.next >= self.gen.files {
            return None;
        }
        let f = self.next;
        self.next += 1;
        Some(
            self.gen
                .write_one(&self.params, &self.dir, f, self.start)
                .map(|(path, end)| {
                    self.start = end;
                    path
                }),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining(), Some(self.remaining()))
    }
}

/// The schema Spark infers for the activity JSON: fields sorted by name,
/// all nullable.
pub fn activity_schema() -> SchemaRef {
    let f = |name: &str, t: DataType| Field::new(name, t, true);
    Arc::new(Schema::new(vec![
        f("Arrival_Time", DataType::Int64),
        f("Creation_Time", DataType::Int64),
        f("Device", DataType::Utf8),
        f("Index", DataType::Int64),
        f("Model", DataType::Utf8),
        f("User", DataType::Utf8),
        f("gt", DataType::Utf8),
        f("x", DataType::Float64),
        f("y", DataType::Float64),
        f("z", DataType::Float64),
    ]))
}

struct Builders {
    len: usize,
    ints: [Int64Builder; 3],
    strs: [StringBuilder; 4],
    floats: [Float64Builder; 3],
}

impl Builders {
    fn new(cap: usize) -> Self {
        Builders {
            len: 0,
            ints: std::array::from_fn(|_| Int64Builder::with_capacity(cap)),
            strs: std::array::from_fn(|_| StringBuilder::with_capacity(cap, cap * 8)),
            floats: std::array::from_fn(|_| Float64Builder::with_capacity(cap)),
        }
    }

    fn push(&mut self, r: &row::Row) {
        let (model, device) = DEVICES[r.device];
        self.ints[0].append_value(r.arrival_ms);
        self.ints[1].append_value(r.creation_ns);
        self.ints[2].append_value(r.index);
        self.strs[0].append_value(device);
        self.strs[1].append_value(model);
        self.strs[2].append_value(USERS[r.user]);
        self.strs[3].append_option(GT[r.gt]);
        for (i, b) in self.floats.iter_mut().enumerate() {
            b.append_value(r.coord(i));
        }
        self.len += 1;
    }

    fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch> {
        self.len = 0;
        let [a, c, i] = &mut self.ints;
        let [d, m, u, g] = &mut self.strs;
        let [x, y, z] = &mut self.floats;
        let cols: Vec<ArrayRef> = vec![
            Arc::new(a.finish()),
            Arc::new(c.finish()),
            Arc::new(d.finish()),
            Arc::new(i.finish()),
            Arc::new(m.finish()),
            Arc::new(u.finish()),
            Arc::new(g.finish()),
            Arc::new(x.finish()),
            Arc::new(y.finish()),
            Arc::new(z.finish()),
        ];
        Ok(RecordBatch::try_new(schema.clone(), cols)?)
    }
}

//! Stream–stream joins (Spark's symmetric hash join): each side's rows are
//! buffered in state, keyed by the join keys. A batch joins its new left
//! rows with every right row (buffered and new) and its new right rows with
//! the buffered left rows, keeps the pairs the condition accepts, and then
//! evicts the rows the watermark says can no longer match — emitting, for an
//! outer join, those that never matched, padded with nulls. Rows late by
//! their own side's event time are dropped on arrival.

use std::sync::Arc;

use arrow::array::{
    new_null_array, Array, ArrayRef, BooleanArray, TimestampMicrosecondArray, UInt32Array,
};
use arrow::compute::{concat_batches, filter_record_batch, take};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use arrow::row::{RowConverter, SortField};
use sqlc_compiler::physical::{EventTime, PhysPlan};
use sqlc_compiler::plan::JoinType;
use sqlc_compiler::time_bounds::TimeBounds;
use sqlc_compiler::Kernel;

use super::keyed::KeyMap;
use super::operator::{wrong_node, OpBatch, OpOutput, StatefulOperator};
use super::OperatorMetrics;
use crate::error::Result;

mod changes;

use changes::{BatchChange, SideChange};

/// The stream–stream join as a stateful operator: both sides' state and
/// the join's kind, key kernels, condition, time bounds and output schema.
pub struct StreamJoinOp {
    state: StreamJoinState,
    how: JoinType,
    left_keys: Arc<dyn Kernel>,
    right_keys: Arc<dyn Kernel>,
    condition: Option<Arc<dyn Kernel>>,
    bounds: TimeBounds,
    out: SchemaRef,
    layout: String,
}

impl StreamJoinOp {
    pub fn new(node: &PhysPlan) -> Result<Self> {
        let PhysPlan::StreamJoin {
            left,
            right,
            how,
            left_keys,
            right_keys,
            condition,
            left_time,
            right_time,
            bounds,
            schema,
            ..
        } = node
        else {
            return Err(wrong_node("stream-stream join", node));
        };
        Ok(StreamJoinOp {
            state: StreamJoinState::new(
                left.schema(),
                right.schema(),
                *left_time,
                *right_time,
                left_keys,
            )?,
            how: *how,
            left_keys: left_keys.clone(),
            right_keys: right_keys.clone(),
            condition: condition.clone(),
            bounds: *bounds,
            out: schema.clone(),
            layout: format!(
                "{how:?};left={:?};right={:?};bounds={bounds:?}",
                left.schema().fields(),
                right.schema().fields()
            ),
        })
    }
}

impl StatefulOperator for StreamJoinOp {
    fn name(&self) -> &'static str {
        super::STREAM_JOIN
    }

    fn run(&mut self, inputs: Vec<Vec<RecordBatch>>, batch: &OpBatch) -> Result<OpOutput> {
        let mut inputs = inputs.into_iter();
        let (left, right) = (
            inputs.next().unwrap_or_default(),
            inputs.next().unwrap_or_default(),
        );
        let spec = JoinSpec {
            how: self.how,
            left_keys: &self.left_keys,
            right_keys: &self.right_keys,
            condition: self.condition.as_ref(),
            bounds: self.bounds,
            out: &self.out,
        };
        let rows = self.state.run(
            &spec,
            left,
            right,
            batch.late_watermark_us,
            batch.watermark_us,
        )?;
        let change = self.state.change.take();
        match (batch.track_changes, change) {
            (true, Some(c)) => self.state.changes.push(c),
            _ => self.state.untracked = true,
        }
        Ok(OpOutput {
            rows,
            late_rows: Vec::new(),
        })
    }

    fn metrics(&self) -> Option<OperatorMetrics> {
        let j = &self.state;
        Some(OperatorMetrics::new(
            self.name(),
            j.len() as u64,
            j.updated,
            j.removed,
            j.memory_bytes() as u64,
            j.late,
        ))
    }

    fn state_schema(&self) -> String {
        self.layout.clone()
    }

    fn snapshot(&self) -> Result<Vec<(usize, Vec<u8>)>> {
        Ok(vec![(0, self.state.to_bytes()?)])
    }

    fn restore(&mut self, parts: Vec<(usize, &[u8])>) -> std::result::Result<(), String> {
        let bytes = parts.first().map_or(&[][..], |p| p.1);
        self.state
            .restore_bytes(bytes, &self.left_keys, &self.right_keys)
    }

    /// The batches' changes since the last call (rows added, matches
    /// found, evictions), or `None` if a batch ran without recording them.
    fn take_changes(&mut self) -> Result<Option<Vec<(usize, Vec<u8>)>>> {
        let batches = std::mem::take(&mut self.state.changes);
        if std::mem::take(&mut self.state.untracked) {
            return Ok(None);
        }
        let changed: Vec<BatchChange> = batches
            .into_iter()
            .filter(|b| {
                b.iter().any(|s| {
                    s.appended.num_rows() > 0 || !s.flips.is_empty() || s.expires.is_some()
                })
            })
            .collect();
        if changed.is_empty() {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(vec![(0, changes::to_bytes(&changed)?)]))
    }

    fn apply_changes(
        &mut self,
        _partition: usize,
        bytes: &[u8],
    ) -> std::result::Result<(), String> {
        self.state
            .apply_changes(bytes, &self.left_keys, &self.right_keys)
    }
}

/// One side's buffered rows, their join keys (`None`: a null key, which
/// never matches), whether each has matched, and the key index.
struct Side {
    batch: RecordBatch,
    keys: Vec<Option<Box<[u8]>>>,
    matched: Vec<bool>,
    index: KeyMap<Vec<u32>>,
    time: Option<EventTime>,
}

impl Side {
    fn new(schema: SchemaRef, time: Option<EventTime>) -> Self {
        Side {
            batch: RecordBatch::new_empty(schema),
            keys: Vec::new(),
            matched: Vec::new(),
            index: KeyMap::default(),
            time,
        }
    }

    fn len(&self) -> usize {
        self.batch.num_rows()
    }

    fn append(&mut self, rows: &RecordBatch, keys: Vec<Option<Box<[u8]>>>) -> Result<()> {
        let base = self.len() as u32;
        for (i, k) in keys.iter().enumerate() {
            if let Some(k) = k {
                self.index
                    .entry(k.clone())
                    .or_default()
                    .push(base + i as u32);
            }
        }
        self.batch = concat_batches(&self.batch.schema(), [&self.batch, rows])?;
        self.matched.extend(std::iter::repeat_n(false, keys.len()));
        self.keys.extend(keys);
        Ok(())
    }

    fn times(&self, b: &RecordBatch) -> Option<TimestampMicrosecondArray> {
        let t = self.time?;
        b.column(t.column)
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .cloned()
    }

    /// Drops the rows of `b` whose event time is at or behind `wm`.
    fn drop_late(&self, b: RecordBatch, wm: Option<i64>) -> Result<(RecordBatch, u64)> {
        let (Some(wm), Some(t)) = (wm, self.times(&b)) else {
            return Ok((b, 0));
        };
        let keep: BooleanArray = t.iter().map(|v| Some(v.is_none_or(|v| v > wm))).collect();
        let late = keep.iter().filter(|k| k == &Some(false)).count() as u64;
        Ok((filter_record_batch(&b, &keep)?, late))
    }

    /// Removes the rows whose event time is at or before `expires`; returns
    /// those that never matched (an outer join emits them).
    fn evict(&mut self, expires: i64) -> Result<(RecordBatch, u64)> {
        let Some(t) = self.times(&self.batch) else {
            return Ok((RecordBatch::new_empty(self.batch.schema()), 0));
        };
        let gone: Vec<bool> = t.iter().map(|v| v.is_some_and(|v| v <= expires)).collect();
        let removed = gone.iter().filter(|g| **g).count() as u64;
        if removed == 0 {
            return Ok((RecordBatch::new_empty(self.batch.schema()), 0));
        }
        let unmatched: BooleanArray = gone
            .iter()
            .zip(&self.matched)
            .map(|(g, m)| Some(*g && !m))
            .collect();
        let unmatched = filter_record_batch(&self.batch, &unmatched)?;
        let keep: BooleanArray = gone.iter().map(|g| Some(!g)).collect();
        self.batch = filter_record_batch(&self.batch, &keep)?;
        let mut keys = Vec::new();
        let mut matched = Vec::new();
        for (i, g) in gone.iter().enumerate() {
            if !g {
                keys.push(self.keys[i].take());
                matched.push(self.matched[i]);
            }
        }
        self.index.clear();
        for (i, k) in keys.iter().enumerate() {
            if let Some(k) = k {
                self.index.entry(k.clone()).or_default().push(i as u32);
            }
        }
        self.keys = keys;
        self.matched = matched;
        Ok((unmatched, removed))
    }
}

/// The state of one stream–stream join.
pub struct StreamJoinState {
    left: Side,
    right: Side,
    converter: RowConverter,
    pub updated: u64,
    pub late: u64,
    pub removed: u64,
    /// What the last batch changed, and the changes of the batches run
    /// since the last checkpoint took them; `untracked`: a batch ran
    /// without its changes recorded (the next checkpoint is a snapshot).
    change: Option<BatchChange>,
    changes: Vec<BatchChange>,
    untracked: bool,
}

/// What the join is: its kind, keys, condition, time bounds, output.
pub struct JoinSpec<'a> {
    pub how: JoinType,
    pub left_keys: &'a Arc<dyn Kernel>,
    pub right_keys: &'a Arc<dyn Kernel>,
    pub condition: Option<&'a Arc<dyn Kernel>>,
    pub bounds: TimeBounds,
    pub out: &'a SchemaRef,
}

impl StreamJoinState {
    pub fn new(
        left: SchemaRef,
        right: SchemaRef,
        left_time: Option<EventTime>,
        right_time: Option<EventTime>,
        left_keys: &Arc<dyn Kernel>,
    ) -> Result<Self> {
        let fields = left_keys
            .output_schema()
            .fields()
            .iter()
            .map(|f| SortField::new(f.data_type().clone()))
            .collect();
        Ok(StreamJoinState {
            left: Side::new(left, left_time),
            right: Side::new(right, right_time),
            converter: RowConverter::new(fields)?,
            updated: 0,
            late: 0,
            removed: 0,
            change: None,
            changes: Vec::new(),
            untracked: false,
        })
    }

    pub fn len(&self) -> usize {
        self.left.len() + self.right.len()
    }

    pub fn memory_bytes(&self) -> usize {
        self.left.batch.get_array_memory_size() + self.right.batch.get_array_memory_size()
    }

    fn keys(&self, kernel: &Arc<dyn Kernel>, b: &RecordBatch) -> Result<Vec<Option<Box<[u8]>>>> {
        let k = kernel.collect(b)?;
        let rows = self.converter.convert_columns(k.columns())?;
        Ok((0..b.num_rows())
            .map(|i| {
                k.columns()
                    .iter()
                    .all(|c| c.is_valid(i))
                    .then(|| rows.row(i).as_ref().into())
            })
            .collect())
    }

    /// Runs one batch: `late_wm` judges arriving rows late, `wm` evicts.
    pub fn run(
        &mut self,
        spec: &JoinSpec,
        left: Vec<RecordBatch>,
        right: Vec<RecordBatch>,
        late_wm: Option<i64>,
        wm: Option<i64>,
    ) -> Result<Vec<RecordBatch>> {
        let new_left = concat_batches(&self.left.batch.schema(), &left)?;
        let new_right = concat_batches(&self.right.batch.schema(), &right)?;
        let (new_left, late_l) = self.left.drop_late(new_left, late_wm)?;
        let (new_right, late_r) = self.right.drop_late(new_right, late_wm)?;
        self.late = late_l + late_r;
        self.updated = (new_left.num_rows() + new_right.num_rows()) as u64;
        let lk = self.keys(spec.left_keys, &new_left)?;
        let rk = self.keys(spec.right_keys, &new_right)?;
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        // Buffered left rows × new right rows, then new left rows × every
        // right row (buffered and new): each pair once.
        let (l0, r0) = (self.left.len() as u32, self.right.len() as u32);
        for (j, k) in rk.iter().enumerate() {
            if let Some(hits) = k.as_ref().and_then(|k| self.left.index.get(k)) {
                pairs.extend(hits.iter().map(|&i| (i, r0 + j as u32)));
            }
        }
        self.right.append(&new_right, rk)?;
        for (i, k) in lk.iter().enumerate() {
            if let Some(hits) = k.as_ref().and_then(|k| self.right.index.get(k)) {
                pairs.extend(hits.iter().map(|&j| (l0 + i as u32, j)));
            }
        }
        self.left.append(&new_left, lk)?;
        let mut flips = [Vec::new(), Vec::new()];
        let joined = self.pairs(&pairs, spec, &mut flips)?;
        // Evict what can no longer match; outer joins emit the unmatched.
        self.removed = 0;
        let mut out = joined.into_iter().collect::<Vec<_>>();
        let mut expires = [None, None];
        if let Some(wm) = wm {
            if let Some(x) = spec.bounds.left_expires(wm) {
                let (unmatched, n) = self.left.evict(x)?;
                self.removed += n;
                expires[0] = (n > 0).then_some(x);
                if spec.how == JoinType::LeftOuter && unmatched.num_rows() > 0 {
                    out.push(pad(&unmatched, true, spec.out)?);
                }
            }
            if let Some(x) = spec.bounds.right_expires(wm) {
                let (unmatched, n) = self.right.evict(x)?;
                self.removed += n;
                expires[1] = (n > 0).then_some(x);
                if spec.how == JoinType::RightOuter && unmatched.num_rows() > 0 {
                    out.push(pad(&unmatched, false, spec.out)?);
                }
            }
        }
        let [lf, rf] = flips;
        self.change = Some([
            SideChange {
                appended: new_left,
                flips: lf,
                expires: expires[0],
            },
            SideChange {
                appended: new_right,
                flips: rf,
                expires: expires[1],
            },
        ]);
        Ok(out)
    }

    /// The pairs the condition accepts, as output rows; marks them matched
    /// (the rows newly matched noted in `flips`: left, right).
    fn pairs(
        &mut self,
        pairs: &[(u32, u32)],
        spec: &JoinSpec,
        flips: &mut [Vec<u32>; 2],
    ) -> Result<Option<RecordBatch>> {
        if pairs.is_empty() {
            return Ok(None);
        }
        let li = UInt32Array::from_iter_values(pairs.iter().map(|p| p.0));
        let ri = UInt32Array::from_iter_values(pairs.iter().map(|p| p.1));
        let mut cols: Vec<ArrayRef> = Vec::new();
        for c in self.left.batch.columns() {
            cols.push(take(c.as_ref(), &li, None)?);
        }
        for c in self.right.batch.columns() {
            cols.push(take(c.as_ref(), &ri, None)?);
        }
        let both = RecordBatch::try_new(both_schema(&self.left, &self.right), cols)?;
        let accept: Vec<bool> = match spec.condition {
            None => vec![true; pairs.len()],
            Some(k) => {
                let r = k.collect(&both)?;
                let c = r
                    .column(0)
                    .as_any()
                    .downcast_ref::<BooleanArray>()
                    .cloned()
                    .unwrap_or_else(|| BooleanArray::from(vec![false; pairs.len()]));
                (0..pairs.len())
                    .map(|i| c.is_valid(i) && c.value(i))
                    .collect()
            }
        };
        let [left_flips, right_flips] = flips;
        for (p, ok) in pairs.iter().zip(&accept) {
            if *ok {
                for (matched, i, flips) in [
                    (&mut self.left.matched, p.0, &mut *left_flips),
                    (&mut self.right.matched, p.1, &mut *right_flips),
                ] {
                    if !matched[i as usize] {
                        matched[i as usize] = true;
                        flips.push(i);
                    }
                }
            }
        }
        let keep = BooleanArray::from(accept);
        let kept = filter_record_batch(&both, &keep)?;
        Ok(Some(conform(kept.columns().to_vec(), spec.out)?))
    }
}

fn both_schema(l: &Side, r: &Side) -> SchemaRef {
    let fields: Vec<_> = l
        .batch
        .schema()
        .fields()
        .iter()
        .chain(r.batch.schema().fields())
        .map(|f| f.as_ref().clone().with_nullable(true))
        .collect();
    Arc::new(arrow::datatypes::Schema::new(fields))
}

/// Rows of one side, the other side's columns null.
fn pad(rows: &RecordBatch, is_left: bool, out: &SchemaRef) -> Result<RecordBatch> {
    let n = rows.num_rows();
    let nulls: Vec<ArrayRef> = out
        .fields()
        .iter()
        .skip(if is_left { rows.num_columns() } else { 0 })
        .take(out.fields().len() - rows.num_columns())
        .map(|f| new_null_array(f.data_type(), n))
        .collect();
    let cols = if is_left {
        rows.columns().iter().cloned().chain(nulls).collect()
    } else {
        nulls
            .into_iter()
            .chain(rows.columns().iter().cloned())
            .collect()
    };
    conform(cols, out)
}

/// The columns as a batch of the output schema.
fn conform(cols: Vec<ArrayRef>, out: &SchemaRef) -> Result<RecordBatch> {
    Ok(RecordBatch::try_new(out.clone(), cols)?)
}

/// A side's rows and matched flags as bytes: `[u64 n][n matched bytes]`
/// then the rows (see [`write_ipc`]).
fn side_bytes(side: &Side, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(&(side.matched.len() as u64).to_le_bytes());
    out.extend(side.matched.iter().map(|m| *m as u8));
    write_ipc(&side.batch, out)
}

/// Rows as bytes: `[u64 len]` then an Arrow IPC stream of `len` bytes.
fn write_ipc(batch: &RecordBatch, out: &mut Vec<u8>) -> Result<()> {
    let mut ipc = Vec::new();
    {
        let mut w = arrow::ipc::writer::StreamWriter::try_new(&mut ipc, &batch.schema())?;
        w.write(batch)?;
        w.finish()?;
    }
    out.extend_from_slice(&(ipc.len() as u64).to_le_bytes());
    out.extend_from_slice(&ipc);
    Ok(())
}

/// Takes `n` bytes of `bytes` at `*at`, moving past them.
fn take_bytes<'a>(
    bytes: &'a [u8],
    at: &mut usize,
    n: usize,
) -> std::result::Result<&'a [u8], String> {
    let s = at
        .checked_add(n)
        .and_then(|end| bytes.get(*at..end))
        .ok_or("truncated stream-join state")?;
    *at += n;
    Ok(s)
}

/// A little-endian u64 at `*at`, moving past it.
fn take_u64(bytes: &[u8], at: &mut usize) -> std::result::Result<u64, String> {
    let b = take_bytes(bytes, at, 8)?;
    Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
}

/// Reads what [`write_ipc`] wrote at `*at`, moving past it.
fn read_ipc(bytes: &[u8], at: &mut usize) -> std::result::Result<RecordBatch, String> {
    let len = usize::try_from(take_u64(bytes, at)?).map_err(|e| e.to_string())?;
    let ipc = take_bytes(bytes, at, len)?;
    let reader = arrow::ipc::reader::StreamReader::try_new(std::io::Cursor::new(ipc), None)
        .map_err(|e| e.to_string())?;
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| e.to_string())?;
    concat_batches(&schema, &batches).map_err(|e| e.to_string())
}

/// Reads what [`side_bytes`] wrote from `bytes[*at..]`.
fn read_side(
    bytes: &[u8],
    at: &mut usize,
) -> std::result::Result<(RecordBatch, Vec<bool>), String> {
    let n = usize::try_from(take_u64(bytes, at)?).map_err(|e| e.to_string())?;
    let matched: Vec<bool> = take_bytes(bytes, at, n)?.iter().map(|b| *b != 0).collect();
    let batch = read_ipc(bytes, at)?;
    if batch.num_rows() != matched.len() {
        return Err("stream-join state rows and flags disagree".into());
    }
    Ok((batch, matched))
}

impl StreamJoinState {
    /// Both sides' buffered rows and matched flags, for a checkpoint.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        side_bytes(&self.left, &mut out)?;
        side_bytes(&self.right, &mut out)?;
        Ok(out)
    }

    /// Restores what [`StreamJoinState::to_bytes`] wrote; the key index is
    /// rebuilt with the join's key kernels.
    pub fn restore_bytes(
        &mut self,
        bytes: &[u8],
        left_keys: &Arc<dyn Kernel>,
        right_keys: &Arc<dyn Kernel>,
    ) -> std::result::Result<(), String> {
        if bytes.is_empty() {
            return Ok(());
        }
        let mut at = 0;
        let (lb, lm) = read_side(bytes, &mut at)?;
        let (rb, rm) = read_side(bytes, &mut at)?;
        for (side, batch, matched, kernel) in
            [(true, lb, lm, left_keys), (false, rb, rm, right_keys)]
        {
            if batch.schema().fields() != self.side(side).batch.schema().fields() {
                return Err("the stream-join state's rows have another schema".into());
            }
            let keys = self.keys(kernel, &batch).map_err(|e| e.to_string())?;
            let s = self.side_mut(side);
            s.append(&batch, keys).map_err(|e| e.to_string())?;
            s.matched = matched;
        }
        Ok(())
    }

    fn side(&self, left: bool) -> &Side {
        if left {
            &self.left
        } else {
            &self.right
        }
    }

    fn side_mut(&mut self, left: bool) -> &mut Side {
        if left {
            &mut self.left
        } else {
            &mut self.right
        }
    }
}

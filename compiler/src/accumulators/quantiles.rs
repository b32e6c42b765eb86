//! Greenwald–Khanna quantile summaries as Spark's `QuantileSummaries` keeps
//! them for `percentile_approx` (head buffer of 50,000 values, compression
//! past 10,000 samples, merges that widen each side's rank uncertainty by
//! the other's error), so that sqlc's answers are Spark's answers. A
//! summary is compressed before it is merged, stored or queried, as
//! Spark's `PercentileDigest` does.

/// Spark's `defaultHeadSize` and `defaultCompressThreshold`.
const HEAD_SIZE: usize = 50_000;
const COMPRESS_THRESHOLD: usize = 10_000;

/// One sample: its value, the minimum rank gap to the previous sample, and
/// the rank uncertainty.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub value: f64,
    pub g: i64,
    pub delta: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub relative_error: f64,
    pub samples: Vec<Sample>,
    /// Values in `samples` (not the head).
    pub count: i64,
    pub head: Vec<f64>,
    pub compressed: bool,
}

impl Summary {
    pub fn new(relative_error: f64) -> Self {
        Summary {
            relative_error,
            samples: Vec::new(),
            count: 0,
            head: Vec::new(),
            compressed: true,
        }
    }

    pub fn insert(&mut self, x: f64) {
        self.head.push(x);
        self.compressed = false;
        if self.head.len() >= HEAD_SIZE {
            self.insert_head();
            if self.samples.len() >= COMPRESS_THRESHOLD {
                self.compress();
            }
        }
    }

    /// Spark's `withHeadBufferInserted`: the sorted head merged into the samples.
    fn insert_head(&mut self) {
        if self.head.is_empty() {
            return;
        }
        let mut sorted = std::mem::take(&mut self.head);
        // Java's sort of doubles: -0.0 before 0.0, NaN last.
        sorted.sort_by(|a, b| java_cmp(*a, *b));
        let old = std::mem::take(&mut self.samples);
        let mut out = Vec::with_capacity(old.len() + sorted.len());
        let mut si = 0;
        let mut count = self.count;
        for (oi, &x) in sorted.iter().enumerate() {
            while si < old.len() && old[si].value <= x {
                out.push(old[si]);
                si += 1;
            }
            count += 1;
            let delta = if out.is_empty() || (si == old.len() && oi == sorted.len() - 1) {
                0
            } else {
                (2.0 * self.relative_error * count as f64).floor() as i64
            };
            out.push(Sample {
                value: x,
                g: 1,
                delta,
            });
        }
        out.extend_from_slice(&old[si..]);
        self.samples = out;
        self.count = count;
    }

    pub fn compress(&mut self) {
        self.insert_head();
        let threshold = 2.0 * self.relative_error * self.count as f64;
        self.samples = compress_samples(&self.samples, threshold);
        self.compressed = true;
    }

    /// Merges `other` into this summary (both are compressed first).
    pub fn merge(&mut self, other: &Summary) {
        if !self.compressed {
            self.compress();
        }
        let mut other = other.clone();
        if !other.compressed {
            other.compress();
        }
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = other;
            return;
        }
        let err = self.relative_error.max(other.relative_error);
        let count = self.count + other.count;
        let add_self = (2.0 * other.relative_error * other.count as f64).floor() as i64;
        let add_other = (2.0 * self.relative_error * self.count as f64).floor() as i64;
        let (a, b) = (&self.samples, &other.samples);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i].value < b[j].value {
                let extra = if j > 0 { add_self } else { 0 };
                out.push(Sample {
                    delta: a[i].delta + extra,
                    ..a[i]
                });
                i += 1;
            } else {
                let extra = if i > 0 { add_other } else { 0 };
                out.push(Sample {
                    delta: b[j].delta + extra,
                    ..b[j]
                });
                j += 1;
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        self.samples = compress_samples(&out, 2.0 * err * count as f64);
        self.relative_error = err;
        self.count = count;
        self.compressed = true;
    }

    /// The approximate percentiles (Spark's `query`), `None` without values.
    pub fn query(&mut self, percentiles: &[f64]) -> Option<Vec<f64>> {
        if !self.compressed {
            self.compress();
        }
        let s = &self.samples;
        if s.is_empty() || self.count == 0 {
            return None;
        }
        let target_error = (s.iter().map(|x| x.delta + x.g).max().unwrap_or(0) / 2) as f64;
        let mut order: Vec<usize> = (0..percentiles.len()).collect();
        order.sort_by(|&a, &b| java_cmp(percentiles[a], percentiles[b]));
        let mut out = vec![0.0; percentiles.len()];
        let (mut index, mut min_rank) = (0usize, s[0].g);
        for pos in order {
            let p = percentiles[pos];
            out[pos] = if p <= self.relative_error {
                s[0].value
            } else if p >= 1.0 - self.relative_error {
                s[s.len() - 1].value
            } else {
                let rank = (p * self.count as f64).ceil() as i64;
                let mut i = index;
                let mut mr = min_rank;
                let mut found = None;
                while i < s.len() - 1 {
                    let max_rank = mr + s[i].delta;
                    if (max_rank as f64 - target_error) <= rank as f64
                        && rank as f64 <= mr as f64 + target_error
                    {
                        found = Some(s[i].value);
                        break;
                    }
                    i += 1;
                    mr += s[i].g;
                }
                match found {
                    Some(v) => {
                        index = i;
                        min_rank = mr;
                        v
                    }
                    None => {
                        index = s.len() - 1;
                        min_rank = 0;
                        s[s.len() - 1].value
                    }
                }
            };
        }
        Some(out)
    }
}

/// Java's `Double.compare` order (as Scala's `sorted` on doubles).
fn java_cmp(a: f64, b: f64) -> std::cmp::Ordering {
    let key = |x: f64| if x.is_nan() { f64::NAN } else { x };
    key(a).total_cmp(&key(b))
}

/// Spark's `compressImmut`: merges samples from the end while their
/// combined rank span stays under `threshold`; the first and last stay.
fn compress_samples(s: &[Sample], threshold: f64) -> Vec<Sample> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut rev = Vec::new();
    let mut head = s[s.len() - 1];
    let mut i = s.len() as isize - 2;
    while i >= 1 {
        let cur = s[i as usize];
        if ((cur.g + head.g + head.delta) as f64) < threshold {
            head.g += cur.g;
        } else {
            rev.push(head);
            head = cur;
        }
        i -= 1;
    }
    rev.push(head);
    if s[0].value <= head.value && s.len() > 1 {
        rev.push(s[0]);
    }
    rev.reverse();
    rev
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_inputs_are_exact_order_statistics() {
        let mut s = Summary::new(1.0 / 10_000.0);
        for x in [5.0, 1.0, 4.0, 2.0, 3.0] {
            s.insert(x);
        }
        assert_eq!(
            s.query(&[0.5, 0.0, 1.0, 0.2]).unwrap(),
            [3.0, 1.0, 5.0, 1.0]
        );
    }

    #[test]
    fn merged_halves_answer_within_the_error() {
        let mut a = Summary::new(0.01);
        let mut b = Summary::new(0.01);
        for x in 0..60_000 {
            if x % 2 == 0 {
                a.insert(x as f64)
            } else {
                b.insert(x as f64)
            }
        }
        a.merge(&b);
        let m = a.query(&[0.5]).unwrap()[0];
        assert!((m - 30_000.0).abs() <= 0.01 * 60_000.0, "{m}");
    }
}

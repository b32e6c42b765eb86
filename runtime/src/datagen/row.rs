//! The generator's engine: a small deterministic RNG, one activity row at a
//! time, and the row's JSON line written straight into a byte buffer (no
//! serde, no float-to-string machinery: every number is an integer or a
//! decimal with at most nine fraction digits).

/// Event time of the first row, in nanoseconds since the epoch
/// (2015-02-23T10:18:53.176178965Z, as in the original data set).
pub const START_NS: i64 = 1_424_686_733_176_178_965;

/// The users, `a` to `i`.
pub const USERS: [&str; 9] = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];

/// The eight (model, device) pairs.
pub const DEVICES: [(&str, &str); 8] = [
    ("nexus4", "nexus4_1"),
    ("nexus4", "nexus4_2"),
    ("s3", "s3_1"),
    ("s3", "s3_2"),
    ("s3mini", "s3mini_1"),
    ("s3mini", "s3mini_2"),
    ("samsungold", "samsungold_1"),
    ("samsungold", "samsungold_2"),
];

/// The activity classes; the last one, `null`, is written as JSON null.
pub const GT: [Option<&str>; 7] = [
    Some("stand"),
    Some("sit"),
    Some("walk"),
    Some("stairsup"),
    Some("stairsdown"),
    Some("bike"),
    None,
];

/// Relative weight of each class in [`GT`].
pub const GT_WEIGHTS: [f64; 7] = [0.146, 0.158, 0.170, 0.134, 0.120, 0.138, 0.134];

/// SplitMix64: tiny, fast, and good enough for synthetic data.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    state: u64,
    spare: Option<f64>,
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream `kind` (0: row values, 1: clock steps) of file `file`.
    pub(crate) fn stream(seed: u64, file: u64, kind: u64) -> Rng {
        let key = mix(file
            .wrapping_mul(2)
            .wrapping_add(kind)
            .wrapping_add(0x632B_E59B_D9B4_E019));
        Rng {
            state: mix(seed ^ key),
            spare: None,
        }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// Uniform in `lo..hi` (multiply-shift; the bias is below 2^-40 here).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let n = (hi - lo) as u64;
        lo + ((self.next_u64() as u128 * n as u128) >> 64) as i64
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Normal with mean `mu` and deviation `sigma` (Marsaglia's polar method).
    pub(crate) fn gauss(&mut self, mu: f64, sigma: f64) -> f64 {
        if let Some(z) = self.spare.take() {
            return mu + sigma * z;
        }
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let m = (-2.0 * s.ln() / s).sqrt();
                self.spare = Some(v * m);
                return mu + sigma * u * m;
            }
        }
    }
}

/// One generated row. Floats are kept as integers scaled by 10^9 (the
/// script rounds them to nine decimals), so text and Arrow agree exactly.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub arrival_ms: i64,
    pub creation_ns: i64,
    pub device: usize,
    pub index: i64,
    pub user: usize,
    pub gt: usize,
    pub xyz: [i64; 3],
    /// The raw draw that picks where a corrupt line is cut; `None` when intact.
    pub corrupt: Option<u64>,
}

impl Row {
    /// `x`, `y` or `z` as the double the JSON text denotes.
    pub fn coord(&self, i: usize) -> f64 {
        self.xyz[i] as f64 / 1e9
    }
}

/// The per-run settings the row loop needs.
#[derive(Clone, Debug)]
pub(crate) struct Params {
    pub late_rate: f64,
    pub corrupt_rate: f64,
    /// Cumulative class weights, for a bisecting draw.
    pub cum_weights: [f64; 7],
}

impl Params {
    pub fn new(late_rate: f64, corrupt_rate: f64, null_rate: Option<f64>) -> Params {
        let mut w = GT_WEIGHTS;
        if let Some(nr) = null_rate {
            let rest: f64 = GT_WEIGHTS[..6].iter().sum();
            for x in w.iter_mut().take(6) {
                *x = *x * (1.0 - nr) / rest;
            }
            w[6] = nr;
        }
        let mut cum_weights = [0.0; 7];
        let mut acc = 0.0;
        for (c, x) in cum_weights.iter_mut().zip(w) {
            acc += x;
            *c = acc;
        }
        Params {
            late_rate,
            corrupt_rate,
            cum_weights,
        }
    }
}

/// The rows of one file: its own value stream and clock-step stream, so a
/// file can be generated knowing only where the clock and index start.
pub(crate) struct FileRows<'a> {
    params: &'a Params,
    vals: Rng,
    steps: Rng,
    /// The event-time clock (ns), advanced 2-8 ms per row.
    pub t_ns: i64,
    /// The next row's `Index`.
    pub index: i64,
    left: u64,
}

/// Nanoseconds the clock advances over the `n` rows of file `file`.
pub(crate) fn clock_advance(seed: u64, file: u64, n: u64) -> i64 {
    let mut steps = Rng::stream(seed, file, 1);
    (0..n).map(|_| step(&mut steps)).sum()
}

fn step(steps: &mut Rng) -> i64 {
    steps.range(2_000_000, 8_000_000)
}

impl<'a> FileRows<'a> {
    pub fn new(params: &'a Params, seed: u64, file: u64, n: u64, t_ns: i64, index: i64) -> Self {
        FileRows {
            params,
            vals: Rng::stream(seed, file, 0),
            steps: Rng::stream(seed, file, 1),
            t_ns,
            index,
            left: n,
        }
    }
}

impl Iterator for FileRows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let p = self.params;
        let r = &mut self.vals;
        let device = r.range(0, DEVICES.len() as i64) as usize;
        self.t_ns += step(&mut self.steps);
        let mut ev = self.t_ns;
        if r.unit() < p.late_rate {
            ev -= r.range(60, 3600) * 1_000_000_000;
        }
        let x = r.unit() * p.cum_weights[6];
        let gt = p.cum_weights.iter().position(|&c| x < c).unwrap_or(6);
        let arrival_ms = ev.div_euclid(1_000_000) + r.range(0, 3000);
        let user = r.range(0, USERS.len() as i64) as usize;
        let mut xyz = [0i64; 3];
        for (slot, mu) in xyz.iter_mut().zip([0.0, 0.0, 9.8]) {
            *slot = round(r.gauss(mu, 1.5) * 1e9);
        }
        let corrupt = if p.corrupt_rate > 0.0 && r.unit() < p.corrupt_rate {
            Some(r.next_u64())
        } else {
            None
        };
        let row = Row {
            arrival_ms,
            creation_ns: ev,
            device,
            index: self.index,
            user,
            gt,
            xyz,
            corrupt,
        };
        self.index += 1;
        Some(row)
    }
}

/// A line under construction, on the stack: no capacity checks per piece.
struct Line {
    buf: [u8; 512],
    len: usize,
}

impl Line {
    #[inline(always)]
    fn put(&mut self, s: &[u8]) {
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// Short variable-length pieces: a byte loop beats a `memcpy` call.
    #[inline(always)]
    fn put_short(&mut self, s: &[u8]) {
        for &b in s {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    #[inline(always)]
    fn put_u64(&mut self, v: u64) {
        let n = num_digits(v);
        write_digits(v, &mut self.buf[self.len..self.len + n]);
        self.len += n;
    }

    fn put_i64(&mut self, v: i64) {
        if v < 0 {
            self.put(b"-");
        }
        self.put_u64(v.unsigned_abs());
    }

    /// `v / 10^9` as a plain decimal without trailing zeros (`-1.25`,
    /// `0.0`, `10.000000001`).
    fn put_scaled(&mut self, v: i64) {
        if v < 0 {
            self.put(b"-");
        }
        let a = v.unsigned_abs();
        self.put_u64(a / 1_000_000_000);
        let mut frac = a % 1_000_000_000;
        if frac == 0 {
            self.put(b".0");
            return;
        }
        let mut width = 9;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        // Prefix a 1 so the leading zeros come out too, then make it the point.
        let at = self.len;
        self.put_u64(frac + 10u64.pow(width));
        self.buf[at] = b'.';
    }
}

/// Nearest integer, ties away from zero, without a libm call (`f64::round`
/// is one on baseline x86-64). Saturates like `as`.
#[inline(always)]
fn round(y: f64) -> i64 {
    let t = y as i64;
    let f = y - t as f64;
    if f >= 0.5 {
        t.saturating_add(1)
    } else if f <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// Appends the row's JSON line (keys in the script's order) and a newline;
/// a corrupt row's line is cut at a random point first, as the script does.
pub(crate) fn push_line(out: &mut Vec<u8>, row: &Row) {
    let mut l = Line {
        buf: [0; 512],
        len: 0,
    };
    let (model, device) = DEVICES[row.device];
    l.put(b"{\"Arrival_Time\":");
    l.put_i64(row.arrival_ms);
    l.put(b",\"Creation_Time\":");
    l.put_i64(row.creation_ns);
    l.put(b",\"Device\":\"");
    l.put_short(device.as_bytes());
    l.put(b"\",\"Index\":");
    l.put_i64(row.index);
    l.put(b",\"Model\":\"");
    l.put_short(model.as_bytes());
    l.put(b"\",\"User\":\"");
    l.put_short(USERS[row.user].as_bytes());
    match GT[row.gt] {
        Some(g) => {
            l.put(b"\",\"gt\":\"");
            l.put_short(g.as_bytes());
            l.put(b"\",\"x\":");
        }
        None => l.put(b"\",\"gt\":null,\"x\":"),
    }
    l.put_scaled(row.xyz[0]);
    l.put(b",\"y\":");
    l.put_scaled(row.xyz[1]);
    l.put(b",\"z\":");
    l.put_scaled(row.xyz[2]);
    l.put(b"}");
    if let Some(draw) = row.corrupt {
        // Python: line[:randrange(1, len(line) - 1)]
        let len = l.len as u64;
        l.len = 1 + ((draw as u128 * (len - 2) as u128) >> 64) as usize;
    }
    l.put(b"\n");
    out.extend_from_slice(&l.buf[..l.len]);
}

const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Decimal digits in `v` (at least 1).
#[inline(always)]
fn num_digits(v: u64) -> usize {
    let mut n = 1;
    let mut p = 10u64;
    while n < 20 && v >= p {
        n += 1;
        p = p.wrapping_mul(10);
    }
    n
}

/// Fills `out` (exactly `num_digits(v)` long) with `v`'s decimal digits.
#[inline(always)]
fn write_digits(mut v: u64, out: &mut [u8]) {
    let mut i = out.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        out[i - 2..i].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
    } else {
        out[i - 1] = b'0' + v as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaled(v: i64) -> String {
        let mut l = Line {
            buf: [0; 512],
            len: 0,
        };
        l.put_scaled(v);
        String::from_utf8(l.buf[..l.len].to_vec()).unwrap()
    }

    #[test]
    fn decimals() {
        assert_eq!(scaled(0), "0.0");
        assert_eq!(scaled(1_500_000_000), "1.5");
        assert_eq!(scaled(-1_250_000_000), "-1.25");
        assert_eq!(scaled(10_000_000_001), "10.000000001");
        assert_eq!(scaled(-12_345), "-0.000012345");
        assert_eq!(scaled(9_800_000_000), "9.8");
        for v in [-123_456_789_012i64, 7, 999_999_999, 1_000_000_000, 42_000] {
            assert_eq!(scaled(v).parse::<f64>().unwrap(), v as f64 / 1e9);
        }
    }

    #[test]
    fn rounding() {
        for (y, want) in [
            (2.5, 3),
            (-2.5, -3),
            (1.4999, 1),
            (-0.2, 0),
            (1e300, i64::MAX),
            (-7.0, -7),
        ] {
            assert_eq!(round(y), want, "{y}");
        }
        for v in [0u64, 9, 10, 99, 100, 999_999_999, 10_u64.pow(19), u64::MAX] {
            assert_eq!(num_digits(v), v.to_string().len());
        }
    }

    #[test]
    fn integers() {
        for v in [
            0i64,
            9,
            10,
            99,
            100,
            12345,
            -7,
            i64::MIN,
            i64::MAX,
            START_NS,
        ] {
            let mut l = Line {
                buf: [0; 512],
                len: 0,
            };
            l.put_i64(v);
            assert_eq!(
                String::from_utf8(l.buf[..l.len].to_vec()).unwrap(),
                v.to_string()
            );
        }
    }

    #[test]
    fn rng_ranges() {
        let mut r = Rng::stream(7, 0, 0);
        for _ in 0..10_000 {
            let v = r.range(60, 3600);
            assert!((60..3600).contains(&v));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        let n = 100_000;
        let mean: f64 = (0..n).map(|_| r.gauss(9.8, 1.5)).sum::<f64>() / n as f64;
        assert!((mean - 9.8).abs() < 0.05, "{mean}");
    }
}

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
            *slot = (r.gauss(mu, 1.5) * 1e9).round_ties_even() as i64;
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

/// Appends the row's JSON line (keys in the script's order) and a newline;
/// a corrupt row's line is cut at a random point first, as the script does.
pub(crate) fn push_line(buf: &mut Vec<u8>, row: &Row) {
    let start = buf.len();
    let (model, device) = DEVICES[row.device];
    buf.extend_from_slice(b"{\"Arrival_Time\":");
    push_i64(buf, row.arrival_ms);
    buf.extend_from_slice(b",\"Creation_Time\":");
    push_i64(buf, row.creation_ns);
    buf.extend_from_slice(b",\"Device\":\"");
    buf.extend_from_slice(device.as_bytes());
    buf.extend_from_slice(b"\",\"Index\":");
    push_i64(buf, row.index);
    buf.extend_from_slice(b",\"Model\":\"");
    buf.extend_from_slice(model.as_bytes());
    buf.extend_from_slice(b"\",\"User\":\"");
    buf.extend_from_slice(USERS[row.user].as_bytes());
    match GT[row.gt] {
        Some(g) => {
            buf.extend_from_slice(b"\",\"gt\":\"");
            buf.extend_from_slice(g.as_bytes());
            buf.extend_from_slice(b"\",\"x\":");
        }
        None => buf.extend_from_slice(b"\",\"gt\":null,\"x\":"),
    }
    push_scaled(buf, row.xyz[0]);
    buf.extend_from_slice(b",\"y\":");
    push_scaled(buf, row.xyz[1]);
    buf.extend_from_slice(b",\"z\":");
    push_scaled(buf, row.xyz[2]);
    buf.push(b'}');
    if let Some(draw) = row.corrupt {
        // Python: line[:randrange(1, len(line) - 1)]
        let len = (buf.len() - start) as u64;
        let cut = 1 + ((draw as u128 * (len - 2) as u128) >> 64) as usize;
        buf.truncate(start + cut);
    }
    buf.push(b'\n');
}

const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `v`'s decimal digits right-aligned into `tmp`; returns the start.
fn digits(mut v: u64, tmp: &mut [u8; 20]) -> usize {
    let mut i = tmp.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
    } else {
        i -= 1;
        tmp[i] = b'0' + v as u8;
    }
    i
}

pub(crate) fn push_i64(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    let mut tmp = [0u8; 20];
    let i = digits(v.unsigned_abs(), &mut tmp);
    buf.extend_from_slice(&tmp[i..]);
}

/// Writes `v / 10^9` as a plain decimal without trailing zeros (`-1.25`,
/// `0.0`, `10.000000001`).
pub(crate) fn push_scaled(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    let a = v.unsigned_abs();
    push_i64(buf, (a / 1_000_000_000) as i64);
    buf.push(b'.');
    let mut frac = a % 1_000_000_000;
    if frac == 0 {
        buf.push(b'0');
        return;
    }
    let mut width = 9;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    let mut tmp = [0u8; 20];
    let i = digits(frac, &mut tmp);
    buf.extend(std::iter::repeat_n(b'0', width - (tmp.len() - i)));
    buf.extend_from_slice(&tmp[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaled(v: i64) -> String {
        let mut b = Vec::new();
        push_scaled(&mut b, v);
        String::from_utf8(b).unwrap()
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
            let mut b = Vec::new();
            push_i64(&mut b, v);
            assert_eq!(String::from_utf8(b).unwrap(), v.to_string());
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

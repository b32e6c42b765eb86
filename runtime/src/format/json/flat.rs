//! The specialized decoder's fast path for the commonest line: a compact,
//! flat record of strict JSON — `{"name":value,…}` with no whitespace,
//! whose values are strings, numbers and literals — in a line that
//! [`LineMasks`] describes (printable ASCII, no backslash). Such a line is
//! walked by its masks, a token at a time: a string ends at the next quote
//! (no escape can hide one), a number at the next `,` or `}`, checked
//! against the digit mask in a few word operations.
//!
//! It decides only what it is sure of. Anything else — whitespace, a
//! nested value, an exponent the word check does not read, a leniency, a
//! malformed token — returns `None` before any judgement, and the caller
//! scans the line with the byte-by-byte [`Scanner`], whose verdict stands.
//! So every line it accepts is one the scanner accepts, with the same
//! values (the tests below check this on random lines).

use sqlc_compiler::json::Syntax;

use super::decode::{Kind, Val};
use super::known_names::KnownNames;
use super::line_masks::{LineMasks, Simd};
use super::scan::{number_type, Scanner};
use crate::source::infer::{JsonFields, Scalar};

/// Notes in `vals` where each read field's value lies in `line`, as the
/// scanner would (`column` names the column of a field name, given the
/// column after the last one found); `None` where the line is not one this
/// path reads.
#[inline]
pub(super) fn scan(
    line: &[u8],
    m: &LineMasks,
    known: &mut KnownNames,
    vals: &mut [Val],
    syntax: &Syntax,
    mut column: impl FnMut(&[u8], usize) -> Option<usize>,
) -> Option<()> {
    let b = line;
    // A record starting otherwise (a byte-order mark, whitespace, an
    // array) and the empty record are the scanner's.
    if b.first() != Some(&b'{') || b.get(1) != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    let mut hint = 0;
    for k in 0.. {
        if *b.get(i)? != b'"' {
            return None;
        }
        let (len, col) = match known.matches(k, &b[i + 1..]) {
            Some(known) => known,
            None => {
                let end = m.next(&m.quote, i + 1);
                if end == b.len() {
                    return None;
                }
                let raw = &b[i + 1..end];
                let col = column(raw, hint);
                known.learn(k, Some(raw), col);
                (end - i, col)
            }
        };
        i += 1 + len;
        if *b.get(i)? != b':' {
            return None;
        }
        let (kind, v_start, v_end, after, _) = value::<false>(b, m, i + 1, syntax)?;
        if let Some(c) = col {
            hint = c + 1;
            vals[c] = Val {
                kind,
                start: v_start as u32,
                end: v_end as u32,
            };
        }
        i = after;
        match *b.get(i)? {
            b',' => i += 1,
            // What follows the record is not read, as in Spark.
            b'}' => return Some(()),
            _ => return None,
        }
    }
    unreachable!("the loop returns")
}

/// Walks the fields of `line` as [`scan`] does, without known names:
/// `on_field` gets each field's name (raw: the line has no escapes), the
/// kind of its value, its text and whether it is a number with a fraction
/// or an exponent, in the order they come
/// (duplicates too), and may stop the walk with `None`. `None` where the
/// line is not one this path reads, or `on_field` stopped it.
#[inline]
fn fields(
    line: &[u8],
    m: &LineMasks,
    syntax: &Syntax,
    mut on_field: impl FnMut(&[u8], Kind, &[u8], bool) -> Option<()>,
) -> Option<()> {
    let b = line;
    if b.first() != Some(&b'{') || b.get(1) != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    loop {
        if *b.get(i)? != b'"' {
            return None;
        }
        let end = m.next(&m.quote, i + 1);
        if end == b.len() || *b.get(end + 1)? != b':' {
            return None;
        }
        let (kind, v_start, v_end, after, real) = value::<true>(b, m, end + 2, syntax)?;
        on_field(&b[i + 1..end], kind, &b[v_start..v_end], real)?;
        i = after;
        match *b.get(i)? {
            b',' => i += 1,
            b'}' => return Some(()),
            _ => return None,
        }
    }
}

/// The value at `b[i..]`: its kind, where it lies (a string's without its
/// quotes), where what follows it starts, and whether it is a number with
/// a fraction or an exponent (if `REAL`; else it may say no); `None` for
/// what this path does not read.
#[inline(always)]
fn value<const REAL: bool>(
    b: &[u8],
    m: &LineMasks,
    i: usize,
    syntax: &Syntax,
) -> Option<(Kind, usize, usize, usize, bool)> {
    Some(match *b.get(i)? {
        // The search may stop at the line's end: then the caller finds no
        // separator at `after`.
        b'"' => {
            let end = m.next(&m.quote, i + 1);
            (Kind::Str { escaped: false }, i + 1, end, end + 1, false)
        }
        b'-' | b'0'..=b'9' => {
            let end = m.next(&m.sep, i);
            // What the scanner reads beyond plain numbers has an exponent
            // or is non-numeric.
            let real = match plain_number(b, m, i, end) {
                // (A walker that never asks is spared the answer.)
                Some(real) => REAL && real,
                None if number_by_scanner(b, syntax, i, end) => true,
                None => return None,
            };
            (Kind::Number, i, end, end, real)
        }
        b't' if b[i..].starts_with(b"true") => (Kind::True, i, i + 4, i + 4, false),
        b'f' if b[i..].starts_with(b"false") => (Kind::False, i, i + 5, i + 5, false),
        b'n' if b[i..].starts_with(b"null") => (Kind::Null, i, i + 4, i + 4, false),
        _ => return None,
    })
}

/// Schema inference's fast path: whether lines are flat records whose
/// every value the fields inferred so far already hold, so that they
/// change nothing (most lines, once a few are read). Where it says no,
/// the scanner reads the line.
pub(crate) struct Unchanging {
    simd: Option<Simd>,
    masks: LineMasks,
}

impl Unchanging {
    pub fn new() -> Self {
        Unchanging {
            simd: Simd::detect(),
            masks: LineMasks::new(),
        }
    }

    /// Whether `line`, a line of `block`, is a well-formed flat record
    /// (read as the scanner reads it with `syntax`) whose fields are all
    /// in `known`, each value of a type its field already holds.
    #[inline]
    pub fn holds(
        &mut self,
        block: &[u8],
        line: &[u8],
        known: &JsonFields,
        syntax: &Syntax,
    ) -> bool {
        let Some(simd) = self.simd else {
            return false;
        };
        let start = line.as_ptr() as usize - block.as_ptr() as usize;
        if !self.masks.classify(simd, block, start, line.len()) {
            return false;
        }
        let mut hint = 0;
        fields(line, &self.masks, syntax, |name, kind, text, real| {
            let i = known.position(name, hint)?;
            hint = i + 1;
            let t = match kind {
                Kind::Null => return Some(()),
                Kind::Str { .. } => Scalar::Str,
                Kind::True | Kind::False => Scalar::Bool,
                Kind::Number => number_type(text, real),
                Kind::Absent | Kind::Nested => return None,
            };
            known.type_of(i).holds(t).then_some(())
        })
        .is_some()
    }
}

/// Whether `b[at..end]` is an integer or a decimal fraction in strict JSON
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`), read from the digit mask, and if so
/// whether it has a fraction; `None` also for what it does not read
/// (exponents, over 64 bytes).
// Always inlined: called per number, from two inlined walkers.
#[inline(always)]
fn plain_number(b: &[u8], m: &LineMasks, at: usize, end: usize) -> Option<bool> {
    let n = end - at;
    if n == 0 || n > 64 {
        return None;
    }
    let keep = if n == 64 { u64::MAX } else { (1 << n) - 1 };
    let mut other = !m.bits(&m.digit, at, n) & keep;
    let first = usize::from(b[at] == b'-');
    other &= !(first as u64);
    if first == n {
        return None;
    }
    // A leading zero followed by a digit (a leniency, or malformed).
    if b[at + first] == b'0' && first + 1 < n && other & (1 << (first + 1)) == 0 {
        return None;
    }
    if other == 0 {
        return Some(false);
    }
    // One other byte, a dot between digits (`count_ones` is a loop
    // without the POPCNT instruction).
    let dot = other.trailing_zeros() as usize;
    (other & (other - 1) == 0 && b[at + dot] == b'.' && dot > first && dot + 1 < n).then_some(true)
}

/// Whether the scanner reads `b[at..end]` as one strict JSON number.
#[cold]
#[inline(never)]
fn number_by_scanner(b: &[u8], syntax: &Syntax, at: usize, end: usize) -> bool {
    let mut s = Scanner::check(b, syntax);
    s.i = at;
    s.raw_number().is_ok() && !s.odd && s.i == end
}

#[cfg(test)]
mod tests {
    use super::super::decode::ABSENT;
    use super::super::line_masks::Simd;
    use super::*;

    /// The names the tests' decoder reads, by column.
    const COLUMNS: [&[u8]; 3] = [b"a", b"gt", b"x"];

    fn column(raw: &[u8], _hint: usize) -> Option<usize> {
        COLUMNS.iter().position(|c| *c == raw)
    }

    /// The fast path's verdict on `line`, with its values and its known
    /// names carried from line to line as the decoder carries them.
    fn fast(simd: Simd, line: &[u8], known: &mut KnownNames) -> Option<Vec<Val>> {
        let mut m = LineMasks::new();
        m.classify(simd, line, 0, line.len()).then_some(())?;
        let mut vals = vec![ABSENT; COLUMNS.len()];
        scan(line, &m, known, &mut vals, &Syntax::SPARK, column)?;
        Some(vals)
    }

    /// The scanner's verdict: the values of a well-formed strict record.
    fn scanner(line: &[u8]) -> Option<Vec<Val>> {
        let mut s = Scanner::check(line, &Syntax::SPARK);
        let mut vals = vec![ABSENT; COLUMNS.len()];
        s.bom();
        s.ws().ok()?;
        (s.peek()? == b'{').then_some(())?;
        s.i += 1;
        s.ws().ok()?;
        if s.peek()? == b'}' {
            return Some(vals);
        }
        loop {
            s.ws().ok()?;
            (s.peek()? == b'"').then_some(())?;
            let (raw, _) = s.raw_key().ok()?;
            let col = column(raw, 0);
            s.ws().ok()?;
            (s.peek()? == b':').then_some(())?;
            s.i += 1;
            s.ws().ok()?;
            let start = s.i;
            let kind = match s.peek()? {
                b'"' => {
                    let (raw, escaped) = s.raw_string().ok()?;
                    if let Some(c) = col {
                        let end = s.i - 1;
                        vals[c] = Val {
                            kind: Kind::Str { escaped },
                            start: (end - raw.len()) as u32,
                            end: end as u32,
                        };
                    }
                    None
                }
                b'-' | b'0'..=b'9' => {
                    s.raw_number().ok()?;
                    Some(Kind::Number)
                }
                b't' => s.raw_literal(b"true").ok().map(|_| Kind::True),
                b'f' => s.raw_literal(b"false").ok().map(|_| Kind::False),
                b'n' => s.raw_literal(b"null").ok().map(|_| Kind::Null),
                _ => {
                    s.skip_value(0).ok()?;
                    None
                }
            };
            if let (Some(kind), Some(c)) = (kind, col) {
                vals[c] = Val {
                    kind,
                    start: start as u32,
                    end: s.i as u32,
                };
            }
            if !s.list_next(b'}').ok()? {
                break;
            }
        }
        (!s.odd).then_some(vals)
    }

    fn key(v: &Option<Vec<Val>>) -> Option<Vec<(u8, u32, u32)>> {
        v.as_ref().map(|v| {
            v.iter()
                .map(|v| {
                    let k = match v.kind {
                        Kind::Absent => 0,
                        Kind::Null => 1,
                        Kind::True => 2,
                        Kind::False => 3,
                        Kind::Number => 4,
                        Kind::Str { escaped } => 5 + escaped as u8,
                        Kind::Nested => 7,
                    };
                    (k, v.start, v.end)
                })
                .collect()
        })
    }

    /// A xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// `good`, or one time in twelve a near miss from `bad`.
        fn pick(&mut self, good: &'static str, bad: &[&'static str]) -> &'static str {
            if self.next(12) == 0 {
                bad[self.next(bad.len())]
            } else {
                good
            }
        }
    }

    /// Random lines near the activity data's shape: mostly well-formed,
    /// with one token now and then replaced by a near miss.
    fn lines() -> Vec<Vec<u8>> {
        let names = ["a", "gt", "x", "Device", "gt2", "", "g"];
        // Well-formed values, then near misses and what the scanner alone
        // reads.
        let good = [
            "1",
            "-1",
            "0",
            "-0",
            "10",
            "0.5",
            "-0.25",
            "4.678311325",
            "1424686733178318502",
            "12345678901234567890",
            "-123456789012345678901",
            "1e5",
            "1.5E-3",
            "-2e+2",
            "\"s3mini_1\"",
            "\"\"",
            "\"a,b}\"",
            "\"{\\\"x\\\":1}\"",
            "true",
            "false",
            "null",
            "{}",
            "[1,2]",
            "{\"a\":1}",
        ];
        let bad = [
            "01",
            "-",
            "1.",
            ".5",
            "-.5",
            "1..2",
            "1.2.3",
            "0x1",
            "1-2",
            "+1",
            "NaN",
            "-Infinity",
            "\"a\\\"b\"",
            "\"é\"",
            "\"tab\there\"",
            "nul",
            "tru",
            "truex",
            "'q'",
            "1 ",
            " 1",
            "\"x\"1",
            "1e",
            "1e+",
        ];
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let mut out = Vec::new();
        for _ in 0..30_000 {
            let fields = r.next(6);
            let mut line = String::from("{");
            for f in 0..fields {
                if f > 0 {
                    line.push_str(r.pick(",", &[", ", ";", ",,"]));
                }
                line.push_str(&format!("\"{}\"", names[r.next(names.len())]));
                line.push_str(r.pick(":", &[" :", "", "::"]));
                let value = good[r.next(good.len())];
                line.push_str(r.pick(value, &bad));
            }
            line.push_str(r.pick("}", &["} x", "}{\"a\":2}", "", " }", "}}"]));
            out.push(line.into_bytes());
        }
        out
    }

    #[test]
    fn accepts_only_what_the_scanner_accepts_with_its_values() {
        let simds: Vec<Simd> = Simd::detect().into_iter().chain([Simd::Avx2]).collect();
        for simd in simds {
            #[cfg(target_arch = "x86_64")]
            if simd == Simd::Avx2 && !std::arch::is_x86_feature_detected!("avx2") {
                continue;
            }
            let mut known = KnownNames::default();
            let mut taken = 0;
            let all = lines();
            for line in &all {
                let got = fast(simd, line, &mut known);
                if got.is_some() {
                    taken += 1;
                    assert_eq!(
                        key(&got),
                        key(&scanner(line)),
                        "{simd:?} {}",
                        String::from_utf8_lossy(line)
                    );
                }
            }
            // The test means something only if the fast path reads lines.
            assert!(taken > all.len() / 4, "{simd:?}: {taken} of {}", all.len());
        }
    }

    #[test]
    fn inference_skips_only_lines_that_change_nothing() {
        use crate::format::json::scan::{scan_line, Mode};
        let all = lines();
        let grow = |fields: &mut JsonFields, line: &[u8]| {
            let mut grown = fields.clone();
            if scan_line(line, &mut grown, Mode::Grow, &Syntax::SPARK).is_ok() {
                *fields = grown;
            }
        };
        // Fields as inference may have them: one type a name (so that
        // other types change them), and grown from random lines (mostly
        // strings by then, so that most lines fit).
        let mut typed = JsonFields::new();
        grow(
            &mut typed,
            br#"{"a":1,"gt":"s","x":2.5,"Device":true,"gt2":null,"":12345678901234567890,"g":[1]}"#,
        );
        let mut grown = JsonFields::new();
        all.iter().take(40).for_each(|line| grow(&mut grown, line));
        let mut unchanging = Unchanging::new();
        if unchanging.simd.is_none() {
            return;
        }
        for (fields, least) in [(typed, all.len() / 50), (grown, all.len() / 5)] {
            let mut held = 0;
            for line in &all {
                if unchanging.holds(line, line, &fields, &Syntax::SPARK) {
                    held += 1;
                    let mut after = fields.clone();
                    let frozen = scan_line(line, &mut after, Mode::Frozen, &Syntax::SPARK);
                    assert!(frozen.is_ok(), "{}", String::from_utf8_lossy(line));
                    assert!(after == fields, "{}", String::from_utf8_lossy(line));
                }
            }
            assert!(held > least, "{held} of {}", all.len());
        }
    }

    #[test]
    fn reads_numbers_by_their_digits() {
        let Some(simd) = Simd::detect() else { return };
        let cases: [(&str, bool); 16] = [
            ("0", true),
            ("-0", true),
            ("7", true),
            ("-12", true),
            ("0.5", true),
            ("-0.5", true),
            ("1424686733178318502", true),
            ("00", false),
            ("-01", false),
            ("-", false),
            ("1.", false),
            (".5", false),
            ("-.5", false),
            ("1.2.3", false),
            ("1e5", false),
            ("1-2", false),
        ];
        for (text, plain) in cases {
            let line = format!("{{\"a\":{text}}}");
            let mut m = LineMasks::new();
            assert!(m.classify(simd, line.as_bytes(), 0, line.len()));
            assert_eq!(
                plain_number(line.as_bytes(), &m, 5, 5 + text.len()).is_some(),
                plain,
                "{text}"
            );
        }
    }
}

//! One line of JSON classified 64 bytes at a time into bit masks (bit `i`
//! of word `i / 64` stands for byte `i`): where its quotes, its value
//! separators (`,` and `}`) and its digits are. The flat-record path
//! ([`super::flat`]) walks a line by these masks, finding a string's end or
//! a number's end with one bit search instead of a byte loop.
//!
//! Only lines that are all printable ASCII without a backslash get masks:
//! in such a line every string ends at the next quote and holds valid
//! UTF-8 without escapes, so the walker need not look inside strings at
//! all. Other lines (escapes, control characters, non-ASCII text, longer
//! than [`MAX_LEN`]) are left to the byte-by-byte scanner.
//!
//! Vector code, chosen once at run time: AVX-512BW where the processor has
//! it, else AVX2; without either there are no masks and every line takes
//! the scanner. [`reference`] is the byte-by-byte definition the vector
//! versions are tested against.

/// The longest line classified (8 words of 64 bytes).
pub const MAX_LEN: usize = 512;
const WORDS: usize = MAX_LEN / 64;

/// The line loop of [`LineMasks::classify`], by `$chunk`, a function
/// that classifies 64 bytes: expanded inside each vector version, so that
/// `$chunk` is compiled with the same target features and inlined (through
/// a closure or a generic it would not be).
macro_rules! classify_line {
    ($m:expr, $block:expr, $start:expr, $len:expr, $chunk:path) => {{
        let (m, block, start, len): (&mut LineMasks, &[u8], usize, usize) =
            ($m, $block, $start, $len);
        m.words = len.div_ceil(64);
        let mut odd = 0;
        for w in 0..m.words {
            let at = start + 64 * w;
            let c = match block.get(at..at + 64) {
                Some(bytes) => $chunk(bytes.try_into().expect("64 bytes")),
                None => {
                    let mut tail = [0u8; 64];
                    let n = start + len - at;
                    tail[..n].copy_from_slice(&block[at..at + n]);
                    $chunk(&tail)
                }
            };
            let keep = match len - 64 * w {
                n if n >= 64 => u64::MAX,
                n => (1u64 << n) - 1,
            };
            m.quote[w] = c.quote & keep;
            m.sep[w] = c.sep & keep;
            m.digit[w] = c.digit & keep;
            odd |= c.odd & keep;
        }
        // The bits just past the line, where searches stop.
        let (w, bit) = (len / 64, 1u64 << (len % 64));
        if w == m.words {
            m.quote[w] = bit;
            m.sep[w] = bit;
            m.digit[w] = 0;
        } else {
            m.quote[w] |= bit;
            m.sep[w] |= bit;
        }
        odd == 0
    }};
}

/// The vector instructions the masks are computed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simd {
    Avx512,
    Avx2,
}

impl Simd {
    /// The best this processor has, if any.
    pub fn detect() -> Option<Simd> {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512bw") {
                return Some(Simd::Avx512);
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return Some(Simd::Avx2);
            }
        }
        None
    }
}

/// The masks of one line.
pub struct LineMasks {
    /// Quotes, and a bit just past the line's end (see [`Self::next`]).
    pub quote: [u64; WORDS + 1],
    /// `,` and `}`, what may follow a value in a flat record, and a bit
    /// just past the line's end.
    pub sep: [u64; WORDS + 1],
    pub digit: [u64; WORDS + 1],
    /// Words in use (the line's length in 64-byte chunks, rounded up);
    /// bits past the line's end are clear.
    words: usize,
}

/// One 64-byte chunk's masks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Chunk {
    quote: u64,
    sep: u64,
    digit: u64,
    /// A backslash, a control character or a non-ASCII byte.
    odd: u64,
}

impl LineMasks {
    /// Masks for lines to be classified into ([`Self::classify`]).
    pub fn new() -> LineMasks {
        LineMasks {
            quote: [0; WORDS + 1],
            sep: [0; WORDS + 1],
            digit: [0; WORDS + 1],
            words: 0,
        }
    }

    /// Classifies `block[start..start + len]`: `false` if that line is not
    /// one the masks describe (see the module's documentation). Chunks are
    /// read from `block` past the line's end where it has the bytes (their
    /// bits are cleared), so the last line of a block alone is copied.
    #[inline]
    pub fn classify(&mut self, simd: Simd, block: &[u8], start: usize, len: usize) -> bool {
        if len == 0 || len > MAX_LEN {
            return false;
        }
        match simd {
            // SAFETY: `Simd` values other than those `detect` returns are
            // made only by tests, which check the feature first; so the
            // processor has the instructions the function is compiled for.
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => unsafe { x86::line_avx512(self, block, start, len) },
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => unsafe { x86::line_avx2(self, block, start, len) },
            #[cfg(not(target_arch = "x86_64"))]
            _ => classify_line!(self, block, start, len, reference),
        }
    }

    /// The first byte at or after `from` (at most the line's length) whose
    /// bit is set in `mask`, `quote` or `sep`; the line's length if none.
    /// No bounds to test: both masks have a bit set just past the line.
    #[inline]
    pub fn next(&self, mask: &[u64; WORDS + 1], from: usize) -> usize {
        let mut w = from / 64;
        let mut bits = mask[w] & (u64::MAX << (from % 64));
        while bits == 0 {
            w += 1;
            bits = mask[w];
        }
        w * 64 + bits.trailing_zeros() as usize
    }

    /// The `n` (1 to 64) bits of `mask` from byte `at` on, as a word.
    #[inline]
    pub fn bits(&self, mask: &[u64; WORDS + 1], at: usize, n: usize) -> u64 {
        let (w, o) = (at / 64, at % 64);
        let lo = mask.get(w).map_or(0, |m| m >> o);
        let hi = match mask.get(w + 1) {
            Some(m) if o != 0 && w + 1 < self.words => m << (64 - o),
            _ => 0,
        };
        let keep = if n >= 64 { u64::MAX } else { (1 << n) - 1 };
        (lo | hi) & keep
    }
}

/// The masks of a chunk, byte by byte: what the vector versions compute.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn reference(chunk: &[u8; 64]) -> Chunk {
    let mut c = Chunk {
        quote: 0,
        sep: 0,
        digit: 0,
        odd: 0,
    };
    for (i, &b) in chunk.iter().enumerate() {
        let bit = 1u64 << i;
        if b == b'"' {
            c.quote |= bit;
        }
        if b == b',' || b == b'}' {
            c.sep |= bit;
        }
        if b.is_ascii_digit() {
            c.digit |= bit;
        }
        if b == b'\\' || !(0x20..0x80).contains(&b) {
            c.odd |= bit;
        }
    }
    c
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Chunk, LineMasks};
    use std::arch::x86_64::*;

    /// [`LineMasks::classify`] with AVX-512BW.
    #[target_feature(enable = "avx512bw")]
    pub fn line_avx512(m: &mut LineMasks, block: &[u8], start: usize, len: usize) -> bool {
        classify_line!(m, block, start, len, avx512)
    }

    /// [`LineMasks::classify`] with AVX2.
    #[target_feature(enable = "avx2")]
    pub fn line_avx2(m: &mut LineMasks, block: &[u8], start: usize, len: usize) -> bool {
        classify_line!(m, block, start, len, avx2)
    }

    /// The masks of a chunk with AVX-512BW.
    #[target_feature(enable = "avx512bw")]
    pub fn avx512(chunk: &[u8; 64]) -> Chunk {
        // SAFETY: `chunk` is 64 readable bytes; the load is unaligned.
        let v = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) };
        let splat = _mm512_set1_epi8;
        // Signed bytes: below 0x20 are the control characters and, as
        // negative numbers, the non-ASCII bytes.
        let low = _mm512_cmplt_epi8_mask(v, _mm512_set1_epi8(0x20));
        let digit = _mm512_cmplt_epu8_mask(
            _mm512_sub_epi8(v, _mm512_set1_epi8(b'0' as i8)),
            _mm512_set1_epi8(10),
        );
        Chunk {
            quote: _mm512_cmpeq_epi8_mask(v, splat(b'"' as i8)),
            sep: _mm512_cmpeq_epi8_mask(v, splat(b',' as i8))
                | _mm512_cmpeq_epi8_mask(v, splat(b'}' as i8)),
            digit,
            odd: _mm512_cmpeq_epi8_mask(v, splat(b'\\' as i8)) | low,
        }
    }

    /// The masks of a chunk with AVX2, 32 bytes at a time. Not inlined:
    /// inlined into the line loop, LLVM joins the two halves' masks as
    /// vectors of bits, byte by byte (ten times the instructions).
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub fn avx2(chunk: &[u8; 64]) -> Chunk {
        let (lo, hi) = (avx2_half(chunk, 0), avx2_half(chunk, 32));
        Chunk {
            quote: lo.quote | hi.quote << 32,
            sep: lo.sep | hi.sep << 32,
            digit: lo.digit | hi.digit << 32,
            odd: lo.odd | hi.odd << 32,
        }
    }

    /// The masks of the 32 bytes of `chunk` from `at` (0 or 32).
    #[target_feature(enable = "avx2")]
    fn avx2_half(chunk: &[u8; 64], at: usize) -> Chunk {
        let bytes = &chunk[at..at + 32];
        // SAFETY: `bytes` is 32 readable bytes; the load is unaligned.
        let v = unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) };
        let quote = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'"' as i8));
        let sep = _mm256_or_si256(
            _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b',' as i8)),
            _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'}' as i8)),
        );
        let digit = _mm256_and_si256(
            _mm256_cmpgt_epi8(v, _mm256_set1_epi8(b'0' as i8 - 1)),
            _mm256_cmpgt_epi8(_mm256_set1_epi8(b'9' as i8 + 1), v),
        );
        // Signed bytes, as in `avx512`.
        let odd = _mm256_or_si256(
            _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\\' as i8)),
            _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v),
        );
        Chunk {
            quote: _mm256_movemask_epi8(quote) as u32 as u64,
            sep: _mm256_movemask_epi8(sep) as u32 as u64,
            digit: _mm256_movemask_epi8(digit) as u32 as u64,
            odd: _mm256_movemask_epi8(odd) as u32 as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every vector version this processor runs.
    fn available() -> Vec<Simd> {
        let mut v = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512bw") {
                v.push(Simd::Avx512);
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                v.push(Simd::Avx2);
            }
        }
        v
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn vector_masks_are_the_reference_masks() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"\"\\,}{:[]09.-+eE aZ\x00\x1f\x7f\x80\xff";
        for round in 0..20_000 {
            let mut chunk = [0u8; 64];
            for b in chunk.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Half the rounds from the interesting bytes, half any byte.
                *b = if round % 2 == 0 {
                    alphabet[(x % alphabet.len() as u64) as usize]
                } else {
                    x as u8
                };
            }
            for simd in available() {
                // SAFETY: `available` lists what this processor has.
                let got = unsafe {
                    match simd {
                        Simd::Avx512 => x86::avx512(&chunk),
                        Simd::Avx2 => x86::avx2(&chunk),
                    }
                };
                assert_eq!(got, reference(&chunk), "{simd:?} {chunk:?}");
            }
        }
    }

    #[test]
    fn masks_end_with_the_line_and_refuse_odd_bytes() {
        for simd in available() {
            // The line is followed by more of the block, which is not read
            // into its masks; the last line of a block is copied.
            let block = b"{\"a\":1,\"b\":\"x\"}\n{\"a\":22}";
            let mut m = LineMasks::new();
            assert!(m.classify(simd, block, 0, 15), "plain ASCII");
            assert_eq!(m.next(&m.quote, 0), 1);
            assert_eq!(m.next(&m.quote, 13), 13);
            assert_eq!(m.next(&m.quote, 14), 15, "none: the line's length");
            assert_eq!(m.next(&m.sep, 6), 6);
            assert_eq!(m.next(&m.sep, 7), 14);
            assert_eq!(m.bits(&m.digit, 5, 2), 0b01);
            assert!(m.classify(simd, block, 16, 8), "the last line");
            assert_eq!(m.bits(&m.digit, 5, 3), 0b011);
            assert_eq!(m.next(&m.sep, 0), 7);
            // Lines across chunks: bits cross the word boundary.
            let long = format!("{{\"a\":\"{}\",\"b\":12345}}", "y".repeat(60));
            assert!(m.classify(simd, long.as_bytes(), 0, long.len()));
            let five = long.find("12345").unwrap();
            assert_eq!(m.bits(&m.digit, five, 6), 0b011111);
            assert_eq!(m.next(&m.quote, 7), 66);
            for odd in [
                &b"{\"a\":\"\\n\"}"[..],
                b"{\"a\":\"\xc3\xa9\"}",
                b"{\"a\":\"\t\"}",
            ] {
                assert!(!m.classify(simd, odd, 0, odd.len()));
            }
            let huge = vec![b' '; MAX_LEN + 1];
            assert!(!m.classify(simd, &huge, 0, huge.len()));
        }
    }
}

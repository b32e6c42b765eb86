//! The `extern "C"` Rust functions kernels call: for what is costly anyway
//! (LIKE, regexes, parsing, formatting, calendar arithmetic, string
//! functions that build new strings) and for cold paths (raising errors).
//! Every argument and result is a `u64`/`i64`/`f64` (no narrow integers
//! cross the boundary). Semantics come from [`crate::scalar_fns`].
//!
//! # Safety
//! Kernels call these with the `KernelCtx` of the running call (valid and
//! used by this thread only) and with (address, length) pairs that name
//! readable bytes of the batch, of the kernel's literals or of the ctx's
//! arena. None of them panics on data (a panic here would abort).

use std::borrow::Cow;

use crate::error::Error;
use crate::in_set::{float_key, InSet};
use crate::scalar_fns::{self, DatePart, LikeMatcher};
use crate::types::DataType;

use super::abi::{KernelCtx, OutStr};
use super::sites::SiteKind;

/// # Safety
/// `ptr` must name `len` readable bytes (any address when `len` is 0).
unsafe fn bytes<'a>(ptr: *const u8, len: u64) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts(ptr, len as usize) }
}

/// # Safety
/// As [`bytes`]. Invalid UTF-8 (only possible from Binary data) is replaced.
unsafe fn text<'a>(ptr: *const u8, len: u64) -> Cow<'a, str> {
    // SAFETY: the caller's contract.
    let b = unsafe { bytes(ptr, len) };
    // The fast check first: Utf8 values are valid, only Binary may not be.
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// # Safety
/// `ctx` must be the running call's ctx.
unsafe fn ctx<'a, 'b>(ctx: *mut KernelCtx<'b>) -> &'a mut KernelCtx<'b> {
    // SAFETY: the kernel passes its own ctx, which outlives the call.
    unsafe { &mut *ctx }
}

/// Records the error of `site`, `bits` being the offending value.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_raise(c: *mut KernelCtx, site: u64, bits: u64) {
    // SAFETY: see the module's contract.
    let c = unsafe { ctx(c) };
    let e = match c.sites.get(site as usize) {
        Some(s) => s.error_bits(bits),
        None => Error::internal(format!("unknown error site {site}")),
    };
    c.fail(e);
}

/// # Safety
/// As [`bytes`], and the bytes must be valid UTF-8 when `utf8 != 0`.
unsafe fn text_of<'a>(ptr: *const u8, len: u64, utf8: u64) -> Cow<'a, str> {
    if utf8 != 0 {
        // SAFETY: a Utf8 value is valid UTF-8: Arrow's string arrays
        // guarantee it, literals are Rust strings, and every string a
        // kernel makes comes from `str` operations (a Binary value becomes
        // Utf8 only through `sqlc_binary_to_utf8`, which validates).
        unsafe { Cow::Borrowed(std::str::from_utf8_unchecked(bytes(ptr, len))) }
    } else {
        // SAFETY: the caller's contract.
        unsafe { text(ptr, len) }
    }
}

/// LIKE through the kernel's prebuilt matcher: 1 on a match. `utf8` is 1
/// for a Utf8 value (0 for Binary, which is checked).
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_like(
    m: *const LikeMatcher,
    ptr: *const u8,
    len: u64,
    utf8: u64,
) -> u64 {
    // SAFETY: `m` is a matcher the kernel owns; see `text_of`.
    unsafe { (*m).matches(&text_of(ptr, len, utf8)) as u64 }
}

/// A fixed-width value (its bits as i64; `float` 1 for a double) in the
/// kernel's IN set: 1 when found.
///
/// # Safety
/// `s` is a set the kernel owns.
pub unsafe extern "C" fn sqlc_in_set_fixed(s: *const InSet, bits: i64, float: u64) -> u64 {
    let key = if float == 1 {
        float_key(f64::from_bits(bits as u64))
    } else {
        bits
    };
    // SAFETY: `s` lives as long as the kernel calling this.
    unsafe { (*s).contains_fixed(key) as u64 }
}

/// A string or binary value in the kernel's IN set: 1 when found.
///
/// # Safety
/// `s` is a set the kernel owns; (`ptr`, `len`) is readable (a NULL's is
/// empty).
pub unsafe extern "C" fn sqlc_in_set_bytes(s: *const InSet, ptr: *const u8, len: u64) -> u64 {
    // SAFETY: the caller's contract; `s` lives as long as the kernel
    // calling this.
    unsafe { (*s).contains_bytes(bytes(ptr, len)) as u64 }
}

/// RLIKE through the kernel's compiled regex: 1 when it matches anywhere.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_rlike(
    r: *const regex::Regex,
    ptr: *const u8,
    len: u64,
    utf8: u64,
) -> u64 {
    // SAFETY: `r` is a regex the kernel owns; see `text_of`.
    unsafe { (*r).is_match(&text_of(ptr, len, utf8)) as u64 }
}

/// Java's `%` on doubles (the sign of the dividend).
pub extern "C" fn sqlc_fmod(a: f64, b: f64) -> f64 {
    a % b
}

/// `a / b` (or `a % b` with flag bit 0) of unscaled decimals, `flags`
/// holding the scales (bits 8, 16), the result's precision and scale
/// (bits 24, 32); the result is written to `out`. Overflow fails with the
/// twin's error; a zero divisor (raised by the kernel before) gives 0.
///
/// # Safety
/// The module's contract, and `out` names 16 writable bytes.
pub unsafe extern "C" fn sqlc_decimal_div(
    c: *mut KernelCtx,
    flags: u64,
    alo: u64,
    ahi: u64,
    blo: u64,
    bhi: u64,
    out: *mut u8,
) {
    // SAFETY: see the module's contract.
    let c = unsafe { ctx(c) };
    let wide = |lo: u64, hi: u64| ((hi as u128) << 64 | lo as u128) as i128;
    let (a, b) = (wide(alo, ahi), wide(blo, bhi));
    let byte = |k: u32| (flags >> k) as u8;
    let (sa, sb, r) = (byte(8), byte(16), (byte(24), byte(32)));
    let op = if flags & 1 != 0 {
        crate::ir::BinaryOp::Mod
    } else {
        crate::ir::BinaryOp::Div
    };
    let v = match crate::interp::decimal_one(op, a, sa, b, sb, r) {
        Ok(v) => v,
        Err(e) => {
            c.fail(e);
            0
        }
    };
    // SAFETY: the caller's contract (a 16-byte stack slot).
    unsafe { std::ptr::write_unaligned(out.cast::<i128>(), v) };
}

/// Spark's `round(x, scale)`, HALF_UP.
pub extern "C" fn sqlc_round(v: f64, scale: i64) -> f64 {
    scalar_fns::round_half_up(v, scale.clamp(i32::MIN as i64, i32::MAX as i64) as i32)
}

/// What [`sqlc_parse`] parses a string as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum ParseAs {
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Float64 = 3,
    Timestamp = 4,
    Date = 5,
}

impl ParseAs {
    /// The kind for a target type (`None` if strings do not parse into it).
    pub fn of(t: &DataType) -> Option<ParseAs> {
        Some(match t {
            DataType::Boolean => ParseAs::Boolean,
            DataType::Int32 => ParseAs::Int32,
            DataType::Int64 => ParseAs::Int64,
            DataType::Float64 => ParseAs::Float64,
            DataType::Timestamp => ParseAs::Timestamp,
            DataType::Date => ParseAs::Date,
            _ => return None,
        })
    }
}

/// CAST(string AS ...) and `to_timestamp`: the value's bits (integers
/// sign-extended, doubles as bits); a malformed string fails with the error
/// of `site`, naming the string.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_parse(
    c: *mut KernelCtx,
    site: u64,
    kind: u64,
    ptr: *const u8,
    len: u64,
) -> u64 {
    // SAFETY: see the module's contract.
    let (c, s) = unsafe { (ctx(c), text(ptr, len)) };
    let r = match kind {
        0 => scalar_fns::parse_bool(&s).map(|b| b as u64),
        1 => scalar_fns::parse_i32(&s).map(|v| v as i64 as u64),
        2 => scalar_fns::parse_i64(&s).map(|v| v as u64),
        3 => scalar_fns::parse_f64(&s).map(f64::to_bits),
        4 => scalar_fns::parse_timestamp(&s).map(|v| v as u64),
        _ => scalar_fns::parse_date(&s).map(|v| v as i64 as u64),
    };
    match r {
        Some(v) => v,
        None => {
            let e = match c.sites.get(site as usize) {
                Some(site) => site.error(super::sites::string_text(&s)),
                None => Error::internal(format!("unknown error site {site}")),
            };
            c.fail(e);
            0
        }
    }
}

/// CAST(double AS TIMESTAMP): NaN and infinities are malformed, values out
/// of range overflow.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_f64_to_ts(c: *mut KernelCtx, site: u64, v: f64) -> i64 {
    if let Some(us) = scalar_fns::f64_to_timestamp(v) {
        return us;
    }
    // SAFETY: see the module's contract.
    let c = unsafe { ctx(c) };
    let e = match c.sites.get(site as usize) {
        Some(s) => {
            let mut s = s.clone();
            if !v.is_finite() {
                s.kind = SiteKind::InvalidCast {
                    from: DataType::Float64,
                    to: DataType::Timestamp,
                };
            }
            s.error_bits(v.to_bits())
        }
        None => Error::internal(format!("unknown error site {site}")),
    };
    c.fail(e);
    0
}

/// CAST(... AS STRING) of a fixed-width value given as bits; `kind` as
/// [`ParseAs`]. Returns the string's address, its length in `ret_len`.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_format(c: *mut KernelCtx, kind: u64, bits: u64) -> u64 {
    let s = match kind {
        0 => (if bits != 0 { "true" } else { "false" }).to_string(),
        1 | 2 => (bits as i64).to_string(),
        3 => scalar_fns::format_f64(f64::from_bits(bits)),
        4 => scalar_fns::format_timestamp(bits as i64),
        _ => scalar_fns::format_date(bits as i64 as i32),
    };
    // SAFETY: see the module's contract.
    unsafe { ctx(c) }.ret_str(s.as_bytes())
}

/// CAST(binary AS STRING): the bytes as UTF-8, invalid sequences replaced.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_binary_to_utf8(c: *mut KernelCtx, ptr: *const u8, len: u64) -> u64 {
    // SAFETY: see the module's contract.
    let (c, s) = unsafe { (ctx(c), text(ptr, len)) };
    match s {
        // Valid already: the same bytes.
        Cow::Borrowed(_) => {
            c.ret_len = len;
            ptr as u64
        }
        Cow::Owned(s) => c.ret_str(s.as_bytes()),
    }
}

/// `lower` (`upper != 0`: `upper`); `utf8` as for [`sqlc_substring`].
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_change_case(
    c: *mut KernelCtx,
    ptr: *const u8,
    len: u64,
    upper: u64,
    utf8: u64,
) -> u64 {
    // SAFETY: see the module's contract.
    let (c, s) = unsafe { (ctx(c), text_of(ptr, len, utf8)) };
    if s.is_ascii() {
        // Changed in place in the arena: no allocation per row.
        return c.ret_str_with(s.len(), |dst| {
            dst.copy_from_slice(s.as_bytes());
            if upper != 0 {
                dst.make_ascii_uppercase()
            } else {
                dst.make_ascii_lowercase()
            }
        });
    }
    let out = if upper != 0 {
        s.to_uppercase()
    } else {
        s.to_lowercase()
    };
    c.ret_str(out.as_bytes())
}

/// `substring(s, pos[, len])`: a part of the input (no copy). `utf8` is 1
/// for a Utf8 value (not checked again), 0 for Binary.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_substring(
    c: *mut KernelCtx,
    ptr: *const u8,
    len: u64,
    pos: i64,
    sub_len: i64,
    has_len: u64,
    utf8: u64,
) -> u64 {
    // SAFETY: see the module's contract.
    let (c, s) = unsafe { (ctx(c), text_of(ptr, len, utf8)) };
    let sub_len = (has_len != 0).then_some(sub_len);
    match &s {
        Cow::Borrowed(b) => {
            let sub = scalar_fns::substring(b, pos, sub_len);
            c.ret_len = sub.len() as u64;
            sub.as_ptr() as u64
        }
        Cow::Owned(o) => {
            let sub = scalar_fns::substring(o, pos, sub_len).to_string();
            c.ret_str(sub.as_bytes())
        }
    }
}

/// `concat`: `parts` holds `n` (address, length) pairs, none null.
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_concat(c: *mut KernelCtx, parts: *const u64, n: u64) -> u64 {
    // SAFETY: see the module's contract; `parts` is a stack slot of 2n words.
    let (c, pairs) = unsafe { (ctx(c), std::slice::from_raw_parts(parts, 2 * n as usize)) };
    let total = pairs.chunks_exact(2).map(|p| p[1] as usize).sum();
    // Written straight into the arena: no allocation per row.
    c.ret_str_with(total, |dst| {
        let mut at = 0;
        for p in pairs.chunks_exact(2) {
            // SAFETY: each pair names a string value.
            let b = unsafe { bytes(p[0] as *const u8, p[1]) };
            dst[at..at + b.len()].copy_from_slice(b);
            at += b.len();
        }
    })
}

/// `date_trunc(unit, ts)`; an unknown unit gives null (`ret_len` = 1).
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_date_trunc(
    c: *mut KernelCtx,
    ptr: *const u8,
    len: u64,
    ts: i64,
) -> i64 {
    // SAFETY: see the module's contract.
    let (c, unit) = unsafe { (ctx(c), text(ptr, len)) };
    match scalar_fns::date_trunc(&unit, ts) {
        Some(v) => {
            c.ret_len = 0;
            v
        }
        None => {
            c.ret_len = 1;
            0
        }
    }
}

/// `date_trunc` to a literal unit, numbered by [`scalar_fns::trunc_unit`].
pub extern "C" fn sqlc_date_trunc_to(ts: i64, unit: u64) -> i64 {
    scalar_fns::date_trunc_to(unit as u8, ts)
}

fn part(p: u64) -> DatePart {
    match p {
        0 => DatePart::Year,
        1 => DatePart::Month,
        2 => DatePart::Day,
        3 => DatePart::Hour,
        4 => DatePart::Minute,
        _ => DatePart::Second,
    }
}

/// The number of a [`DatePart`] for [`sqlc_ts_part`]/[`sqlc_date_part`].
pub fn part_code(p: DatePart) -> i64 {
    match p {
        DatePart::Year => 0,
        DatePart::Month => 1,
        DatePart::Day => 2,
        DatePart::Hour => 3,
        DatePart::Minute => 4,
        DatePart::Second => 5,
    }
}

pub extern "C" fn sqlc_ts_part(us: i64, p: u64) -> i64 {
    scalar_fns::timestamp_part(us, part(p)) as i64
}

pub extern "C" fn sqlc_date_part(days: i64, p: u64) -> i64 {
    scalar_fns::date_part(days as i32, part(p)) as i64
}

/// Appends one value to a string output column (`len` 0 for a null).
///
/// # Safety
/// The module's contract: a running call's ctx, readable (address, length) pairs.
pub unsafe extern "C" fn sqlc_out_str(
    c: *mut KernelCtx,
    out: *mut OutStr,
    ptr: *const u8,
    len: u64,
) {
    // SAFETY: `out` is the builder of the column, owned by the running call.
    let (c, out) = unsafe { (ctx(c), &mut *out) };
    // SAFETY: see the module's contract.
    out.bytes.extend_from_slice(unsafe { bytes(ptr, len) });
    match i32::try_from(out.bytes.len()) {
        Ok(end) => out.offsets.push(end),
        Err(_) => {
            out.offsets.push(0);
            c.fail(Error::internal(
                "a string output column exceeds 2 GiB in one batch",
            ));
        }
    }
}

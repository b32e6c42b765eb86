//! String functions, with Spark's semantics: positions and lengths count
//! characters (not bytes), 1-based; a null argument gives null unless the
//! function says otherwise (`concat_ws` skips null strings).

use super::args::*;
use super::FunctionRef;
use crate::error::{Error, Result};
use crate::scalar_function;
use crate::types::DataType::{self, Boolean, Int32, Int64, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(ConcatWs),
        FunctionRef::new(Instr),
        FunctionRef::new(Locate),
        FunctionRef::new(Lpad),
        FunctionRef::new(Rpad),
        FunctionRef::new(Repeat),
        FunctionRef::new(Reverse),
        FunctionRef::new(Replace),
        FunctionRef::new(Translate),
        FunctionRef::new(Initcap),
        FunctionRef::new(Left),
        FunctionRef::new(Right),
        FunctionRef::new(SplitPart),
        FunctionRef::new(SubstringIndex),
        FunctionRef::new(Ascii),
        FunctionRef::new(Chr),
        FunctionRef::new(OctetLength),
        FunctionRef::new(BitLength),
        FunctionRef::new(StartsWith),
        FunctionRef::new(EndsWith),
        FunctionRef::new(Contains),
        FunctionRef::new(Btrim),
        FunctionRef::new(Levenshtein),
        FunctionRef::new(Soundex),
        FunctionRef::new(FormatNumber),
        FunctionRef::new(Overlay),
    ]);
}

fn chars_count(s: &str) -> i64 {
    s.chars().count() as i64
}

/// Byte offset of character `n` (0-based) in `s`, or `s.len()` past the end.
fn char_offset(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

scalar_function!(
    /// `concat_ws(sep, s1, s2, …)`: the non-null strings joined by `sep`.
    ConcatWs, "concat_ws", [], "concat_ws(sep[, str, ...]) - Returns the concatenation of the strings separated by `sep`, skipping null strings.",
    resolve(this, args, call) {
        arity("concat_ws", &args, 1, usize::MAX)?;
        let mut r = typed(&this, args, &[Utf8], Utf8, call)?;
        r.nullable = r.args[0].nullable;
        Ok(r)
    }
    invoke(a, rows) {
        let sep = strs(&a[0])?;
        let parts = a[1..].iter().map(strs).collect::<Result<Vec<_>>>()?;
        collect_strings(rows, |i| {
            Ok(sep.at(i).map(|sep| {
                let items: Vec<&str> = parts.iter().filter_map(|p| p.at(i)).collect();
                items.join(sep)
            }))
        })
    }
);

scalar_function!(
    /// `instr(str, substr)`: 1-based character position of the first match, 0 if none.
    Instr, "instr", [], "instr(str, substr) - Returns the (1-based) index of the first occurrence of `substr` in `str`.",
    resolve(this, args, call) {
        arity("instr", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Utf8], Int32, call)
    }
    invoke(a, rows) {
        let (s, sub) = (strs(&a[0])?, strs(&a[1])?);
        collect_i32(rows, |i| Ok(match (s.at(i), sub.at(i)) {
            (Some(s), Some(sub)) => Some(locate(s, sub, 0)),
            _ => None,
        }))
    }
);

/// 1-based character position of `sub` in `s` at or after character `from`
/// (0-based), 0 when absent.
fn locate(s: &str, sub: &str, from: usize) -> i32 {
    let start = char_offset(s, from);
    if start > s.len() || (start == s.len() && from > chars_count(s) as usize) {
        return 0;
    }
    match s[start..].find(sub) {
        Some(b) => (s[..start + b].chars().count() + 1) as i32,
        None => 0,
    }
}

scalar_function!(
    /// `locate(substr, str[, pos])` / `position(substr, str[, pos])`.
    Locate, "locate", ["position"], "locate(substr, str[, pos]) - Returns the position of the first occurrence of `substr` in `str` after position `pos` (1-based).",
    resolve(this, args, call) {
        arity("locate", &args, 2, 3)?;
        typed(&this, args, &[Utf8, Utf8, Int32], Int32, call)
    }
    invoke(a, rows) {
        let (sub, s) = (strs(&a[0])?, strs(&a[1])?);
        let pos = a.get(2).map(i32s).transpose()?;
        collect_i32(rows, |i| {
            let p = match pos {
                Some(p) => match p.at(i) {
                    Some(p) => p,
                    // Spark: a null start position gives 0, not null.
                    None => return Ok(Some(0)),
                },
                None => 1,
            };
            Ok(match (sub.at(i), s.at(i)) {
                (Some(sub), Some(s)) if p >= 1 => Some(locate(s, sub, (p - 1) as usize)),
                (Some(_), Some(_)) => Some(0),
                _ => None,
            })
        })
    }
);

fn pad(s: &str, len: i32, pad: &str, left: bool) -> String {
    let len = len.max(0) as usize;
    let n = s.chars().count();
    if n >= len || pad.is_empty() {
        return s.chars().take(len).collect();
    }
    let fill: String = pad.chars().cycle().take(len - n).collect();
    if left {
        fill + s
    } else {
        s.to_string() + &fill
    }
}

scalar_function!(
    /// `lpad(str, len[, pad])`: left-padded (or cut) to `len` characters.
    Lpad, "lpad", [], "lpad(str, len[, pad]) - Returns `str`, left-padded with `pad` (a space by default) to a length of `len`; a longer `str` is cut to `len` characters.",
    resolve(this, args, call) {
        arity("lpad", &args, 2, 3)?;
        typed(&this, args, &[Utf8, Int32, Utf8], Utf8, call)
    }
    invoke(a, rows) { pad_invoke(a, rows, true) }
);

scalar_function!(
    /// `rpad(str, len[, pad])`: right-padded (or cut) to `len` characters.
    Rpad, "rpad", [], "rpad(str, len[, pad]) - Returns `str`, right-padded with `pad` (a space by default) to a length of `len`; a longer `str` is cut to `len` characters.",
    resolve(this, args, call) {
        arity("rpad", &args, 2, 3)?;
        typed(&this, args, &[Utf8, Int32, Utf8], Utf8, call)
    }
    invoke(a, rows) { pad_invoke(a, rows, false) }
);

fn pad_invoke(
    a: &[arrow::array::ArrayRef],
    rows: usize,
    left: bool,
) -> Result<arrow::array::ArrayRef> {
    let (s, len) = (strs(&a[0])?, i32s(&a[1])?);
    let p = a.get(2).map(strs).transpose()?;
    collect_strings(rows, |i| {
        let padding = match p {
            Some(p) => match p.at(i) {
                Some(x) => x,
                None => return Ok(None),
            },
            None => " ",
        };
        Ok(match (s.at(i), len.at(i)) {
            (Some(s), Some(n)) => Some(pad(s, n, padding, left)),
            _ => None,
        })
    })
}

scalar_function!(
    /// `repeat(str, n)`.
    Repeat, "repeat", [], "repeat(str, n) - Returns `str` repeated `n` times.",
    resolve(this, args, call) {
        arity("repeat", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Int32], Utf8, call)
    }
    invoke(a, rows) {
        let (s, n) = (strs(&a[0])?, i32s(&a[1])?);
        collect_strings(rows, |i| match (s.at(i), n.at(i)) {
            (Some(s), Some(n)) => {
                let n = n.max(0) as usize;
                if s.len().saturating_mul(n) > i32::MAX as usize {
                    return Err(Error::execution("COLLECTION_SIZE_LIMIT_EXCEEDED.FUNCTION", format!("repeat: the result of {} bytes exceeds the array size limit", s.len() as u128 * n as u128)));
                }
                Ok(Some(s.repeat(n)))
            }
            _ => Ok(None),
        })
    }
);

scalar_function!(
    /// `reverse(str)`: characters in reverse order.
    Reverse, "reverse", [], "reverse(str) - Returns `str` with its characters in reverse order.",
    resolve(this, args, call) {
        arity("reverse", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Utf8, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_strings(rows, |i| Ok(s.at(i).map(|s| s.chars().rev().collect())))
    }
);

scalar_function!(
    /// `replace(str, search[, replacement])`.
    Replace, "replace", [], "replace(str, search[, replace]) - Replaces all occurrences of `search` with `replace` (empty by default).",
    resolve(this, args, call) {
        arity("replace", &args, 2, 3)?;
        typed(&this, args, &[Utf8, Utf8, Utf8], Utf8, call)
    }
    invoke(a, rows) {
        let (s, from) = (strs(&a[0])?, strs(&a[1])?);
        let to = a.get(2).map(strs).transpose()?;
        collect_strings(rows, |i| {
            let rep = match to {
                Some(t) => match t.at(i) {
                    Some(t) => t,
                    None => return Ok(None),
                },
                None => "",
            };
            Ok(match (s.at(i), from.at(i)) {
                (Some(s), Some("")) => Some(s.to_string()),
                (Some(s), Some(f)) => Some(s.replace(f, rep)),
                _ => None,
            })
        })
    }
);

scalar_function!(
    /// `translate(input, from, to)`: each character of `from` becomes the
    /// character at the same place in `to`, or is removed when `to` is shorter.
    Translate, "translate", [], "translate(input, from, to) - Replaces the characters of `input` found in `from` by the corresponding characters of `to`.",
    resolve(this, args, call) {
        arity("translate", &args, 3, 3)?;
        typed(&this, args, &[Utf8, Utf8, Utf8], Utf8, call)
    }
    invoke(a, rows) {
        let (s, from, to) = (strs(&a[0])?, strs(&a[1])?, strs(&a[2])?);
        collect_strings(rows, |i| Ok(match (s.at(i), from.at(i), to.at(i)) {
            (Some(s), Some(f), Some(t)) => {
                let mut map: Vec<(char, Option<char>)> = Vec::new();
                let mut tc = t.chars();
                for c in f.chars() {
                    let r = tc.next();
                    if !map.iter().any(|(k, _)| *k == c) {
                        map.push((c, r));
                    }
                }
                Some(s.chars().filter_map(|c| match map.iter().find(|(k, _)| *k == c) {
                    Some((_, r)) => *r,
                    None => Some(c),
                }).collect())
            }
            _ => None,
        }))
    }
);

scalar_function!(
    /// `initcap(str)`: lower case, with the first letter of each
    /// space-separated word in upper case.
    Initcap, "initcap", [], "initcap(str) - Returns `str` with the first letter of each word in uppercase and all other letters in lowercase; words are delimited by white space.",
    resolve(this, args, call) {
        arity("initcap", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Utf8, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_strings(rows, |i| Ok(s.at(i).map(|s| {
            let mut out = String::with_capacity(s.len());
            let mut start = true;
            for c in s.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = c == ' ';
            }
            out
        })))
    }
);

scalar_function!(
    /// `left(str, len)`: the first `len` characters.
    Left, "left", [], "left(str, len) - Returns the leftmost `len` characters of `str` (empty when `len` <= 0).",
    resolve(this, args, call) {
        arity("left", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Int32], Utf8, call)
    }
    invoke(a, rows) {
        let (s, n) = (strs(&a[0])?, i32s(&a[1])?);
        collect_strings(rows, |i| Ok(match (s.at(i), n.at(i)) {
            (Some(s), Some(n)) => Some(s.chars().take(n.max(0) as usize).collect()),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `right(str, len)`: the last `len` characters.
    Right, "right", [], "right(str, len) - Returns the rightmost `len` characters of `str` (empty when `len` <= 0).",
    resolve(this, args, call) {
        arity("right", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Int32], Utf8, call)
    }
    invoke(a, rows) {
        let (s, n) = (strs(&a[0])?, i32s(&a[1])?);
        collect_strings(rows, |i| Ok(match (s.at(i), n.at(i)) {
            (Some(s), Some(n)) => {
                let total = s.chars().count();
                let n = (n.max(0) as usize).min(total);
                Some(s[char_offset(s, total - n)..].to_string())
            }
            _ => None,
        }))
    }
);

scalar_function!(
    /// `split_part(str, delimiter, partNum)`: the part numbered from 1 (or
    /// from the end when negative); empty when there is no such part.
    SplitPart, "split_part", [], "split_part(str, delimiter, partNum) - Splits `str` by `delimiter` and returns the requested part (1-based; negative counts from the end).",
    resolve(this, args, call) {
        arity("split_part", &args, 3, 3)?;
        typed(&this, args, &[Utf8, Utf8, Int32], Utf8, call)
    }
    invoke(a, rows) {
        let (s, d, n) = (strs(&a[0])?, strs(&a[1])?, i32s(&a[2])?);
        collect_strings(rows, |i| match (s.at(i), d.at(i), n.at(i)) {
            (_, _, Some(0)) => Err(Error::execution("INVALID_INDEX_OF_ZERO", "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).")),
            (Some(s), Some(d), Some(n)) => {
                let parts: Vec<&str> = if d.is_empty() { vec![s] } else { s.split(d).collect() };
                let idx = if n > 0 { n as i64 - 1 } else { parts.len() as i64 + n as i64 };
                Ok(Some(if idx >= 0 && (idx as usize) < parts.len() { parts[idx as usize].to_string() } else { String::new() }))
            }
            _ => Ok(None),
        })
    }
);

scalar_function!(
    /// `substring_index(str, delim, count)`: what precedes the `count`-th
    /// delimiter (counting from the end when negative).
    SubstringIndex, "substring_index", [], "substring_index(str, delim, count) - Returns the substring of `str` before `count` occurrences of `delim` (from the right when `count` is negative).",
    resolve(this, args, call) {
        arity("substring_index", &args, 3, 3)?;
        typed(&this, args, &[Utf8, Utf8, Int32], Utf8, call)
    }
    invoke(a, rows) {
        let (s, d, n) = (strs(&a[0])?, strs(&a[1])?, i32s(&a[2])?);
        collect_strings(rows, |i| Ok(match (s.at(i), d.at(i), n.at(i)) {
            (Some(s), Some(d), Some(n)) => Some(substring_index(s, d, n)),
            _ => None,
        }))
    }
);

fn substring_index(s: &str, d: &str, n: i32) -> String {
    if d.is_empty() || n == 0 {
        return String::new();
    }
    if n > 0 {
        let mut idx = 0;
        for _ in 0..n {
            match s[idx..].find(d) {
                Some(p) => idx += p + d.len(),
                None => return s.to_string(),
            }
        }
        s[..idx - d.len()].to_string()
    } else {
        let mut end = s.len();
        for _ in 0..n.unsigned_abs() {
            match s[..end].rfind(d) {
                Some(p) => end = p,
                None => return s.to_string(),
            }
        }
        s[end + d.len()..].to_string()
    }
}

scalar_function!(
    /// `ascii(str)`: the code point of the first character, 0 for ''.
    Ascii, "ascii", [], "ascii(str) - Returns the numeric value of the first character of `str`.",
    resolve(this, args, call) {
        arity("ascii", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Int32, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_i32(rows, |i| Ok(s.at(i).map(|s| s.chars().next().map_or(0, |c| c as i32))))
    }
);

scalar_function!(
    /// `chr(n)` / `char(n)`: the character of code `n mod 256` ('' for n < 0).
    Chr, "chr", ["char"], "chr(expr) - Returns the ASCII character having the binary equivalent to `expr`. If n is larger than 256 the result is equivalent to chr(n % 256).",
    resolve(this, args, call) {
        arity("chr", &args, 1, 1)?;
        typed(&this, args, &[Int64], Utf8, call)
    }
    invoke(a, rows) {
        let n = i64s(&a[0])?;
        collect_strings(rows, |i| Ok(n.at(i).map(|n| {
            if n < 0 { String::new() } else { char::from((n & 0xFF) as u8).to_string() }
        })))
    }
);

scalar_function!(
    /// `octet_length(str)`: bytes of its UTF-8 form.
    OctetLength, "octet_length", [], "octet_length(expr) - Returns the byte length of string data or number of bytes of binary data.",
    resolve(this, args, call) {
        arity("octet_length", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Int32, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_i32(rows, |i| Ok(s.at(i).map(|s| s.len() as i32)))
    }
);

scalar_function!(
    /// `bit_length(str)`: bits of its UTF-8 form.
    BitLength, "bit_length", [], "bit_length(expr) - Returns the bit length of string data or number of bits of binary data.",
    resolve(this, args, call) {
        arity("bit_length", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Int32, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_i32(rows, |i| Ok(s.at(i).map(|s| s.len() as i32 * 8)))
    }
);

fn predicate2(
    a: &[arrow::array::ArrayRef],
    rows: usize,
    f: fn(&str, &str) -> bool,
) -> Result<arrow::array::ArrayRef> {
    let (l, r) = (strs(&a[0])?, strs(&a[1])?);
    collect_bool(rows, |i| {
        Ok(match (l.at(i), r.at(i)) {
            (Some(l), Some(r)) => Some(f(l, r)),
            _ => None,
        })
    })
}

scalar_function!(
    /// `startswith(left, right)`.
    StartsWith, "startswith", [], "startswith(left, right) - Returns true if `left` starts with `right`.",
    resolve(this, args, call) {
        arity("startswith", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Utf8], Boolean, call)
    }
    invoke(a, rows) { predicate2(a, rows, |l, r| l.starts_with(r)) }
);

scalar_function!(
    /// `endswith(left, right)`.
    EndsWith, "endswith", [], "endswith(left, right) - Returns true if `left` ends with `right`.",
    resolve(this, args, call) {
        arity("endswith", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Utf8], Boolean, call)
    }
    invoke(a, rows) { predicate2(a, rows, |l, r| l.ends_with(r)) }
);

scalar_function!(
    /// `contains(left, right)`.
    Contains, "contains", [], "contains(left, right) - Returns true if `right` is found inside `left`.",
    resolve(this, args, call) {
        arity("contains", &args, 2, 2)?;
        typed(&this, args, &[Utf8, Utf8], Boolean, call)
    }
    invoke(a, rows) { predicate2(a, rows, |l, r| l.contains(r)) }
);

scalar_function!(
    /// `btrim(str[, trimStr])`: the characters of `trimStr` (spaces by
    /// default) removed from both ends.
    Btrim, "btrim", [], "btrim(str[, trimStr]) - Removes the leading and trailing `trimStr` characters (spaces by default) from `str`.",
    resolve(this, args, call) {
        arity("btrim", &args, 1, 2)?;
        typed(&this, args, &[Utf8, Utf8], Utf8, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        let t = a.get(1).map(strs).transpose()?;
        collect_strings(rows, |i| {
            let set = match t {
                Some(t) => match t.at(i) {
                    Some(t) => t,
                    None => return Ok(None),
                },
                None => " ",
            };
            Ok(s.at(i).map(|s| s.trim_matches(|c| set.contains(c)).to_string()))
        })
    }
);

scalar_function!(
    /// `levenshtein(a, b[, threshold])`: edit distance in characters; -1
    /// when it exceeds the threshold.
    Levenshtein, "levenshtein", [], "levenshtein(str1, str2[, threshold]) - Returns the Levenshtein distance between the two given strings; -1 if it is greater than `threshold`.",
    resolve(this, args, call) {
        arity("levenshtein", &args, 2, 3)?;
        typed(&this, args, &[Utf8, Utf8, Int32], Int32, call)
    }
    invoke(a, rows) {
        let (l, r) = (strs(&a[0])?, strs(&a[1])?);
        let t = a.get(2).map(i32s).transpose()?;
        collect_i32(rows, |i| {
            let threshold = match t {
                Some(t) => match t.at(i) {
                    Some(t) => Some(t),
                    None => return Ok(None),
                },
                None => None,
            };
            Ok(match (l.at(i), r.at(i)) {
                (Some(l), Some(r)) => {
                    let d = levenshtein(l, r);
                    Some(match threshold {
                        Some(t) if d > t => -1,
                        _ => d,
                    })
                }
                _ => None,
            })
        })
    }
);

fn levenshtein(a: &str, b: &str) -> i32 {
    crate::error::edit_distance(a, b) as i32
}

scalar_function!(
    /// `soundex(str)`: the American Soundex code; a string not starting
    /// with a letter is returned as it is.
    Soundex, "soundex", [], "soundex(str) - Returns Soundex code of the string.",
    resolve(this, args, call) {
        arity("soundex", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Utf8, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_strings(rows, |i| Ok(s.at(i).map(soundex)))
    }
);

fn soundex(s: &str) -> String {
    fn code(c: u8) -> u8 {
        match c {
            b'B' | b'F' | b'P' | b'V' => b'1',
            b'C' | b'G' | b'J' | b'K' | b'Q' | b'S' | b'X' | b'Z' => b'2',
            b'D' | b'T' => b'3',
            b'L' => b'4',
            b'M' | b'N' => b'5',
            b'R' => b'6',
            b'H' | b'W' => b'-',
            _ => b'0',
        }
    }
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return String::new();
    };
    let first = first.to_ascii_uppercase();
    if !first.is_ascii_uppercase() {
        return s.to_string();
    }
    let mut out = vec![first, b'0', b'0', b'0'];
    let mut n = 1;
    let mut last = code(first);
    for &c in &bytes[1..] {
        if n >= 4 {
            break;
        }
        let c = c.to_ascii_uppercase();
        if !c.is_ascii_uppercase() {
            last = b'0';
            continue;
        }
        let k = code(c);
        if k == b'-' {
            continue;
        }
        if k != b'0' && k != last {
            out[n] = k;
            n += 1;
        }
        last = k;
    }
    String::from_utf8(out).unwrap_or_default()
}

scalar_function!(
    /// `format_number(x, d)`: `x` rounded HALF_EVEN to `d` decimals with
    /// thousands separators, as `#,###,###,##0.00`.
    FormatNumber, "format_number", [], "format_number(expr1, expr2) - Formats the number `expr1` like '#,###,###.##', rounded to `expr2` decimal places.",
    resolve(this, args, call) {
        arity("format_number", &args, 2, 2)?;
        let mut r = typed(&this, args, &[DataType::Float64, Int32], Utf8, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (x, d) = (f64s(&a[0])?, i32s(&a[1])?);
        collect_strings(rows, |i| Ok(match (x.at(i), d.at(i)) {
            (Some(x), Some(d)) if d >= 0 => Some(format_number(x, d as usize)),
            _ => None,
        }))
    }
);

fn format_number(x: f64, d: usize) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞".into() } else { "-∞".into() };
    }
    // Shortest decimal form first (as Java's BigDecimal of the double's
    // string), then HALF_EVEN at `d` places.
    let s = super::math::round_half_even_decimal(x, d);
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // Java's DecimalFormat keeps the sign of a negative number that
    // rounds to zero ("-0").
    let mut out = if neg { format!("-{grouped}") } else { grouped };
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_helpers_follow_spark() {
        assert_eq!(pad("hi", 5, "??", true), "???hi");
        assert_eq!(pad("hello", 2, "?", false), "he");
        assert_eq!(pad("hi", 5, "", true), "hi");
        assert_eq!(substring_index("www.apache.org", ".", 2), "www.apache");
        assert_eq!(substring_index("www.apache.org", ".", -2), "apache.org");
        assert_eq!(substring_index("abc", ".", 1), "abc");
        assert_eq!(soundex("Miller"), "M460");
        assert_eq!(soundex("Ashcraft"), "A261");
        assert_eq!(soundex("1abc"), "1abc");
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(locate("héllo", "l", 0), 3);
        assert_eq!(locate("abc", "", 0), 1);
        assert_eq!(format_number(12332.123456, 4), "12,332.1235");
        assert_eq!(format_number(-0.4, 0), "-0");
        assert_eq!(format_number(1234567.0, 0), "1,234,567");
    }
}

scalar_function!(
    /// `overlay(input PLACING replace FROM pos [FOR len])`: `input` with
    /// `len` characters from `pos` replaced (`len` < 0: as many as
    /// `replace` has), Spark's substring rules for the two kept parts.
    Overlay, "overlay", [], "overlay(input, replace, pos[, len]) - Replace `input` with `replace` that starts at `pos` and is of length `len`.",
    resolve(this, args, call) {
        arity("overlay", &args, 3, 4)?;
        typed(&this, args, &[Utf8, Utf8, Int32, Int32], Utf8, call)
    }
    invoke(a, rows) {
        let (s, r, p) = (strs(&a[0])?, strs(&a[1])?, i32s(&a[2])?);
        let len = a.get(3).map(i32s).transpose()?;
        collect_strings(rows, |i| {
            let l = match len {
                Some(l) => l.at(i),
                None => Some(-1),
            };
            Ok(match (s.at(i), r.at(i), p.at(i), l) {
                (Some(s), Some(r), Some(p), Some(l)) => {
                    let (p, l) = (p as i64, l as i64);
                    let l = if l >= 0 { l } else { r.chars().count() as i64 };
                    let head = crate::scalar_fns::substring(s, 1, Some(p - 1));
                    let tail = crate::scalar_fns::substring(s, p + l, Some(i32::MAX as i64));
                    Some(format!("{head}{r}{tail}"))
                }
                _ => None,
            })
        })
    }
);

//! Text to bytes and back, as Spark does it: `hex`/`unhex`, `base64`/
//! `unbase64` (Java's MIME decoder: characters outside the alphabet are
//! skipped), `encode`/`decode` with a character set, and `to_binary`/
//! `try_to_binary` with a format (`hex`, `utf-8`, `base64`).

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;

use super::args::*;
use super::FunctionRef;
use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::scalar_function;
use crate::types::DataType::{self, Binary, Int64, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(Hex),
        FunctionRef::new(Unhex),
        FunctionRef::new(Base64),
        FunctionRef::new(Unbase64),
        FunctionRef::new(Encode),
        FunctionRef::new(Decode),
        FunctionRef::new(ToBinary),
        FunctionRef::new(TryToBinary),
    ]);
}

scalar_function!(
    /// `hex(x)`: a bigint's two's-complement digits, or a string's or
    /// binary's bytes, in upper-case hexadecimal.
    Hex, "hex", [], "hex(expr) - Converts `expr` to hexadecimal.",
    resolve(this, args, call) {
        arity("hex", &args, 1, 1)?;
        let t = match &args[0].ty {
            DataType::Utf8 | DataType::Null => Utf8,
            DataType::Binary => Binary,
            t if t.is_numeric() => Int64,
            t => return Err(Error::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                format!("Cannot resolve \"{call}\" due to data type mismatch: The first parameter requires the (\"BIGINT\" or \"BINARY\" or \"STRING\") type, however \"{}\" has the type \"{}\".", args[0], t.spark_name().to_uppercase()),
            )),
        };
        typed(&this, args, &[t], Utf8, call)
    }
    invoke(a, rows) {
        if let Ok(n) = i64s(&a[0]) {
            return collect_strings(rows, |i| Ok(n.at(i).map(|n| format!("{:X}", n as u64))));
        }
        if let Ok(b) = bins(&a[0]) {
            return collect_strings(rows, |i| Ok(b.at(i).map(hex)));
        }
        let s = strs(&a[0])?;
        collect_strings(rows, |i| Ok(s.at(i).map(|s| hex(s.as_bytes()))))
    }
);

fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(out, "{x:02X}");
    }
    out
}

/// Hex digits to bytes (an odd count reads as if led by a 0); `None` at a
/// character that is not a hex digit.
fn unhex(s: &[u8]) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len().div_ceil(2));
    let (head, rest) = if s.len() % 2 == 1 {
        (Some(s[0]), &s[1..])
    } else {
        (None, s)
    };
    if let Some(h) = head {
        out.push(digit(h)?);
    }
    for pair in rest.chunks(2) {
        out.push(digit(pair[0])? << 4 | digit(pair[1])?);
    }
    Some(out)
}

scalar_function!(
    /// `unhex(str)`: null where `str` is not hexadecimal.
    Unhex, "unhex", [], "unhex(expr) - Converts hexadecimal `expr` to binary.",
    resolve(this, args, call) {
        arity("unhex", &args, 1, 1)?;
        let mut r = typed(&this, args, &[Utf8], Binary, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_binary(rows, |i| Ok(s.at(i).and_then(|s| unhex(s.as_bytes()))))
    }
);

scalar_function!(
    /// `base64(bin)`: RFC 4648 with padding, unchunked (Spark 4's default).
    Base64, "base64", [], "base64(bin) - Converts the argument from a binary `bin` to a base 64 string.",
    resolve(this, args, call) {
        arity("base64", &args, 1, 1)?;
        typed(&this, args, &[Binary], Utf8, call)
    }
    invoke(a, rows) {
        let b = bins(&a[0])?;
        collect_strings(rows, |i| Ok(b.at(i).map(|b| base64::engine::general_purpose::STANDARD.encode(b))))
    }
);

/// Java's MIME base64 decoder: skips characters outside the alphabet,
/// stops at padding, and accepts a missing padding; `None` for a lone
/// trailing character (six bits are not a byte).
fn unbase64(s: &[u8]) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let clean: Vec<u8> = s
        .iter()
        .copied()
        .take_while(|&c| c != b'=')
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    if clean.len() % 4 == 1 {
        return None;
    }
    LENIENT.decode(clean).ok()
}

scalar_function!(
    /// `unbase64(str)`.
    Unbase64, "unbase64", [], "unbase64(str) - Converts the argument from a base 64 string `str` to a binary.",
    resolve(this, args, call) {
        arity("unbase64", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Binary, call)
    }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_binary(rows, |i| match s.at(i) {
            None => Ok(None),
            Some(s) => unbase64(s.as_bytes()).map(Some).ok_or_else(|| malformed_base64(s)),
        })
    }
);

fn malformed_base64(s: &str) -> Error {
    Error::execution(
        "CONVERSION_INVALID_INPUT",
        format!("The value '{s}' ('BASE64') cannot be converted to \"BINARY\" because it is malformed. Correct the value as per the syntax, or change its format. Use `try_to_binary` to tolerate malformed input and return NULL instead."),
    )
}

/// The character sets Spark 4's `encode`/`decode` accept.
const CHARSETS: &str = "iso-8859-1, us-ascii, utf-16, utf-16be, utf-16le, utf-32, utf-8";

fn charset(name: &str, func: &str) -> Result<&'static str> {
    let n = name.to_ascii_lowercase();
    CHARSETS
        .split(", ")
        .find(|c| *c == n)
        .ok_or_else(|| {
            Error::execution(
                "INVALID_PARAMETER_VALUE.CHARSET",
                format!("The value of parameter(s) `charset` in `{func}` is invalid: expects one of the {CHARSETS}, but got {name}."),
            )
        })
}

fn malformed(func: &str, cs: &str) -> Error {
    Error::execution(
        "MALFORMED_CHARACTER_CODING",
        format!(
            "Invalid value found when performing `{func}` with {}",
            cs.to_uppercase()
        ),
    )
}

/// `s` in the character set `cs` (one of [`CHARSETS`]), as Java encodes
/// it (UTF-16 with a big-endian byte-order mark).
fn encode(s: &str, cs: &str) -> Result<Vec<u8>> {
    Ok(match cs {
        "utf-8" => s.as_bytes().to_vec(),
        "us-ascii" | "iso-8859-1" => {
            let max = if cs == "us-ascii" { 0x7f } else { 0xff };
            s.chars()
                .map(|c| (c as u32 <= max).then_some(c as u8))
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| malformed("encode", cs))?
        }
        "utf-16" | "utf-16be" => {
            let bom: &[u8] = if cs == "utf-16" { &[0xfe, 0xff] } else { &[] };
            bom.iter()
                .copied()
                .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
                .collect()
        }
        "utf-16le" => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        _ => s.chars().flat_map(|c| (c as u32).to_be_bytes()).collect(),
    })
}

/// Bytes in the character set `cs` as text; malformed input is an error.
fn decode(b: &[u8], cs: &str) -> Result<String> {
    let bad = || malformed("decode", cs);
    let units = |b: &[u8], le: bool| -> Result<String> {
        if !b.len().is_multiple_of(2) {
            return Err(bad());
        }
        let u = b.chunks(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(u)
            .collect::<std::result::Result<String, _>>()
            .map_err(|_| bad())
    };
    match cs {
        "utf-8" => String::from_utf8(b.to_vec()).map_err(|_| bad()),
        "us-ascii" => b
            .iter()
            .map(|&c| (c < 0x80).then_some(c as char))
            .collect::<Option<String>>()
            .ok_or_else(bad),
        "iso-8859-1" => Ok(b.iter().map(|&c| c as char).collect()),
        "utf-16" => match b {
            [0xfe, 0xff, rest @ ..] => units(rest, false),
            [0xff, 0xfe, rest @ ..] => units(rest, true),
            _ => units(b, false),
        },
        "utf-16be" => units(b, false),
        "utf-16le" => units(b, true),
        _ => {
            if !b.len().is_multiple_of(4) {
                return Err(bad());
            }
            b.chunks(4)
                .map(|p| char::from_u32(u32::from_be_bytes([p[0], p[1], p[2], p[3]])))
                .collect::<Option<String>>()
                .ok_or_else(bad)
        }
    }
}

scalar_function!(
    /// `encode(str, charset)`.
    Encode, "encode", [], "encode(str, charset) - Encodes the first argument using the second argument character set.",
    resolve(this, args, call) {
        arity("encode", &args, 2, 2)?;
        let mut r = typed(&this, args, &[Utf8, Utf8], Binary, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (s, cs) = (strs(&a[0])?, strs(&a[1])?);
        collect_binary(rows, |i| match (s.at(i), cs.at(i)) {
            (Some(s), Some(c)) => encode(s, charset(c, "encode")?).map(Some),
            _ => Ok(None),
        })
    }
);

scalar_function!(
    /// `decode(bin, charset)`; the other `decode(expr, search, result, …)`
    /// is CASE (`rewrite`).
    Decode, "decode", [], "decode(bin, charset) - Decodes the first argument using the second argument character set. decode(expr, search, result [, search, result ] ... [, default]) - Compares expr to each search value in order and returns the result of the first match.",
    resolve(this, args, call) {
        arity("decode", &args, 2, 2)?;
        let mut r = typed(&this, args, &[Binary, Utf8], Utf8, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (b, cs) = (bins(&a[0])?, strs(&a[1])?);
        collect_strings(rows, |i| match (b.at(i), cs.at(i)) {
            (Some(b), Some(c)) => decode(b, charset(c, "decode")?).map(Some),
            _ => Ok(None),
        })
    }
);

/// `to_binary`'s format, checked when the call is resolved.
fn binary_format(args: &[TExpr], call: &crate::expr::Expr) -> Result<String> {
    let Some(f) = args.get(1) else {
        return Ok("hex".into());
    };
    let fmt = match literal(f) {
        Some(crate::types::Scalar::Utf8(s)) => s.to_ascii_lowercase(),
        _ => String::from("?"),
    };
    if !matches!(fmt.as_str(), "hex" | "utf-8" | "utf8" | "base64") {
        return Err(Error::analysis(
            "DATATYPE_MISMATCH.INVALID_ARG_VALUE",
            format!("Cannot resolve \"{call}\" due to data type mismatch: The fmt value must to be a case-insensitive \"STRING\" literal of 'hex', 'utf-8', 'utf8', or 'base64', but got '{}'.", literal(f).map_or(f.to_string(), |v| v.to_string())),
        ));
    }
    Ok(fmt)
}

/// `str` read in format `fmt` (checked by [`binary_format`]); `None` where
/// it is malformed.
fn to_binary(s: &str, fmt: &str) -> Option<Vec<u8>> {
    match fmt {
        "hex" => unhex(s.as_bytes()),
        "base64" => unbase64(s.as_bytes()),
        _ => Some(s.as_bytes().to_vec()),
    }
}

fn resolve_to_binary(
    this: &FunctionRef,
    args: Vec<TExpr>,
    call: &crate::expr::Expr,
    name: &str,
) -> Result<super::Resolved> {
    arity(name, &args, 1, 2)?;
    binary_format(&args, call)?;
    let mut r = typed(this, args, &[Utf8, Utf8], Binary, call)?;
    r.nullable = true;
    Ok(r)
}

fn fmt_at(a: &[arrow::array::ArrayRef], i: usize) -> Result<Option<String>> {
    Ok(match a.get(1) {
        Some(f) => strs(f)?.at(i).map(|f| f.to_ascii_lowercase()),
        None => Some("hex".into()),
    })
}

scalar_function!(
    /// `to_binary(str[, fmt])`: malformed input is `[CONVERSION_INVALID_INPUT]`.
    ToBinary, "to_binary", [], "to_binary(str[, fmt]) - Converts the input `str` to a binary value based on the supplied `fmt` ('hex' by default, 'utf-8', 'utf8' or 'base64').",
    resolve(this, args, call) { resolve_to_binary(&this, args, call, "to_binary") }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_binary(rows, |i| match (s.at(i), fmt_at(a, i)?) {
            (Some(s), Some(f)) => to_binary(s, &f).map(Some).ok_or_else(|| Error::execution(
                "CONVERSION_INVALID_INPUT",
                format!("The value '{s}' ('{}') cannot be converted to \"BINARY\" because it is malformed. Correct the value as per the syntax, or change its format. Use `try_to_binary` to tolerate malformed input and return NULL instead.", f.to_uppercase()),
            )),
            _ => Ok(None),
        })
    }
);

scalar_function!(
    /// `try_to_binary(str[, fmt])`: NULL where `to_binary` fails.
    TryToBinary, "try_to_binary", [], "try_to_binary(str[, fmt]) - This is a special version of `to_binary` that performs the same operation, but returns a NULL value instead of raising an error if the conversion cannot be performed.",
    resolve(this, args, call) { resolve_to_binary(&this, args, call, "try_to_binary") }
    invoke(a, rows) {
        let s = strs(&a[0])?;
        collect_binary(rows, |i| Ok(match (s.at(i), fmt_at(a, i)?) {
            (Some(s), Some(f)) => to_binary(s, &f),
            _ => None,
        }))
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_round_trip() {
        assert_eq!(hex("Spark SQL".as_bytes()), "537061726B2053514C");
        assert_eq!(unhex(b"123"), Some(vec![0x01, 0x23]));
        assert_eq!(unhex(b"zz"), None);
        assert_eq!(
            unbase64(b"U3BhcmsgU1FM").as_deref(),
            Some(&b"Spark SQL"[..])
        );
        assert_eq!(unbase64(b"a b").as_deref(), Some(&b"i"[..]));
        assert_eq!(unbase64(b"@@").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn charsets_as_java() {
        assert_eq!(encode("é", "utf-16").unwrap(), vec![0xfe, 0xff, 0x00, 0xe9]);
        assert_eq!(encode("é", "iso-8859-1").unwrap(), vec![0xe9]);
        assert!(encode("é", "us-ascii").is_err());
        assert_eq!(decode(&[0xe9], "iso-8859-1").unwrap(), "é");
        assert!(decode(b"abc", "utf-16").is_err());
    }
}

//! `format_string`/`printf`: Java's `Formatter` (`String.format`) over the
//! values Spark hands it. Spark passes its internal values, so `%d` takes
//! an int or a bigint, `%f`/`%e`/`%g` only a double, `%s` anything (a date
//! or timestamp as its internal number, as Spark prints it), and a value
//! a conversion does not take is an error, as in Spark. Doubles round
//! HALF_UP on their shortest decimal digits, as Java's `Formatter` does.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType as A, Date32Type, Decimal128Type, Float64Type, Int32Type, Int64Type,
    TimestampMicrosecondType,
};

use super::args::*;
use super::FunctionRef;
use crate::error::{Error, Result};
use crate::scalar_function;
use crate::types::DataType::{self, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.push(FunctionRef::new(FormatString));
}

scalar_function!(
    /// `format_string(fmt, args…)` / `printf`.
    FormatString, "format_string", ["printf"], "format_string(strfmt, obj, ...) - Returns a formatted string from printf-style format strings.",
    resolve(this, args, call) {
        arity("format_string", &args, 1, usize::MAX)?;
        for a in &args[1..] {
            if matches!(a.ty, DataType::Struct(_) | DataType::Array(..) | DataType::Map(..)) {
                return Err(Error::not_supported(format!("format_string of a {} value ({a})", a.ty.spark_name())));
            }
        }
        let mut rest = args.into_iter();
        let f = rest.next().map(|f| coerce(f, &Utf8, 1, call)).transpose()?;
        let nullable = f.as_ref().is_some_and(|f| f.nullable);
        Ok(super::Resolved {
            func: this,
            args: f.into_iter().chain(rest).collect(),
            ty: Utf8,
            nullable,
        })
    }
    invoke(a, rows) {
        let f = strs(&a[0])?;
        collect_strings(rows, |i| match f.at(i) {
            None => Ok(None),
            Some(f) => {
                let args = a[1..].iter().map(|x| arg(x, i)).collect::<Result<Vec<_>>>()?;
                format(f, &args).map(Some)
            }
        })
    }
);

/// A value as Java's `Formatter` sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Null,
    Bool(bool),
    /// An integer and its width in bits (32 or 64), for `%x`/`%o` of negatives.
    Int(i64, u32),
    Double(f64),
    /// Text `%s` prints; no numeric conversion takes it (a string, a decimal).
    Text(String),
}

fn arg(a: &ArrayRef, i: usize) -> Result<Arg> {
    if i >= a.len() || a.is_null(i) {
        return Ok(Arg::Null);
    }
    Ok(match a.data_type() {
        A::Boolean => Arg::Bool(a.as_boolean().value(i)),
        A::Int32 => Arg::Int(a.as_primitive::<Int32Type>().value(i) as i64, 32),
        A::Int64 => Arg::Int(a.as_primitive::<Int64Type>().value(i), 64),
        A::Date32 => Arg::Int(a.as_primitive::<Date32Type>().value(i) as i64, 32),
        A::Timestamp(..) => Arg::Int(a.as_primitive::<TimestampMicrosecondType>().value(i), 64),
        A::Float64 => Arg::Double(a.as_primitive::<Float64Type>().value(i)),
        A::Decimal128(_, s) => Arg::Text(crate::decimal::format(
            a.as_primitive::<Decimal128Type>().value(i),
            *s as u8,
        )),
        A::Utf8 => Arg::Text(a.as_string::<i32>().value(i).to_string()),
        A::Binary => Arg::Text(String::from_utf8_lossy(a.as_binary::<i32>().value(i)).into_owned()),
        A::Null => Arg::Null,
        t => return Err(Error::internal(format!("format_string of an Arrow {t}"))),
    })
}

fn bad(what: String) -> Error {
    Error::execution("INVALID_PARAMETER_VALUE.FORMAT_STRING", what)
}

/// `String.format(f, args)`.
pub fn format(f: &str, args: &[Arg]) -> Result<String> {
    let mut out = String::with_capacity(f.len() + 16);
    let mut chars = f.char_indices().peekable();
    let mut next = 0usize;
    while let Some((start, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // %[index$][flags][width][.precision]conversion
        let rest = &f[start + 1..];
        let spec_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_alphabetic() || *c == '%')
            .map(|(k, c)| k + c.len_utf8())
            .ok_or_else(|| {
                bad(format!(
                    "UnknownFormatConversionException: Conversion = '%' at the end of '{f}'"
                ))
            })?;
        let spec = &rest[..spec_len];
        for _ in 0..spec.chars().count() {
            chars.next();
        }
        let conv = spec.chars().last().unwrap_or('%');
        let mut body = &spec[..spec.len() - conv.len_utf8()];
        let mut index = None;
        if let Some(d) = body.find('$') {
            index = Some(
                body[..d]
                    .parse::<usize>()
                    .map_err(|_| bad(format!("UnknownFormatConversionException: '%{spec}'")))?,
            );
            body = &body[d + 1..];
        }
        let flags: String = body
            .chars()
            .take_while(|c| "-#+ 0,(".contains(*c))
            .collect();
        body = &body[flags.len()..];
        let (width, precision) = match body.split_once('.') {
            Some((w, p)) => (
                w,
                Some(
                    p.parse::<usize>()
                        .map_err(|_| bad(format!("IllegalFormatPrecisionException: '%{spec}'")))?,
                ),
            ),
            None => (body, None),
        };
        let width = if width.is_empty() {
            0
        } else {
            width
                .parse::<usize>()
                .map_err(|_| bad(format!("UnknownFormatConversionException: '%{spec}'")))?
        };
        let text = match conv {
            '%' => "%".to_string(),
            'n' => "\n".to_string(),
            _ => {
                let a = match index {
                    Some(k) if k >= 1 => args.get(k - 1),
                    Some(_) => None,
                    None => {
                        next += 1;
                        args.get(next - 1)
                    }
                }
                .ok_or_else(|| {
                    bad(format!(
                        "MissingFormatArgumentException: Format specifier '%{spec}'"
                    ))
                })?;
                convert(conv, a, &flags, precision, spec)?
            }
        };
        pad(&mut out, &text, width, &flags, conv);
    }
    Ok(out)
}

fn pad(out: &mut String, text: &str, width: usize, flags: &str, conv: char) {
    let n = text.chars().count();
    if n >= width {
        out.push_str(text);
    } else if flags.contains('-') {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width - n));
    } else if flags.contains('0')
        && "doxXeEfgG".contains(conv)
        && !text.ends_with("Infinity")
        && text != "NaN"
    {
        // Zeros go after the sign (or the opening parenthesis).
        let sign = text
            .chars()
            .next()
            .filter(|c| "+- (".contains(*c))
            .map_or(0, |c| c.len_utf8());
        out.push_str(&text[..sign]);
        out.extend(std::iter::repeat_n('0', width - n));
        out.push_str(&text[sign..]);
    } else {
        out.extend(std::iter::repeat_n(' ', width - n));
        out.push_str(text);
    }
}

fn mismatch(conv: char, a: &Arg) -> Error {
    let what = match a {
        Arg::Bool(_) => "java.lang.Boolean",
        Arg::Int(_, 32) => "java.lang.Integer",
        Arg::Int(..) => "java.lang.Long",
        Arg::Double(_) => "java.lang.Double",
        _ => "org.apache.spark.unsafe.types.UTF8String",
    };
    bad(format!(
        "IllegalFormatConversionException: {conv} != {what}"
    ))
}

fn convert(
    conv: char,
    a: &Arg,
    flags: &str,
    precision: Option<usize>,
    spec: &str,
) -> Result<String> {
    let upper = conv.is_ascii_uppercase();
    let s = match conv.to_ascii_lowercase() {
        'b' => {
            let v = match a {
                Arg::Null => false,
                Arg::Bool(b) => *b,
                _ => true,
            };
            truncate(v.to_string(), precision)
        }
        's' => truncate(
            match a {
                Arg::Null => "null".into(),
                Arg::Bool(b) => b.to_string(),
                Arg::Int(v, _) => v.to_string(),
                Arg::Double(v) => crate::scalar_fns::format_f64(*v),
                Arg::Text(t) => t.clone(),
            },
            precision,
        ),
        'c' => match a {
            Arg::Null => "null".into(),
            Arg::Int(v, _) => char::from_u32(*v as u32).map(String::from).ok_or_else(|| {
                bad(format!(
                    "IllegalFormatCodePointException: Code point = {v:#x}"
                ))
            })?,
            _ => return Err(mismatch(conv, a)),
        },
        'd' => match a {
            Arg::Null => "null".into(),
            Arg::Int(v, _) => signed(v.unsigned_abs().to_string(), *v < 0, flags),
            _ => return Err(mismatch(conv, a)),
        },
        'x' | 'o' => match a {
            Arg::Null => "null".into(),
            Arg::Int(v, bits) => {
                let u = if *bits == 32 {
                    *v as i32 as u32 as u64
                } else {
                    *v as u64
                };
                let (digits, prefix) = if conv.eq_ignore_ascii_case(&'x') {
                    (format!("{u:x}"), "0x")
                } else {
                    (format!("{u:o}"), "0")
                };
                if flags.contains('#') {
                    format!("{prefix}{digits}")
                } else {
                    digits
                }
            }
            _ => return Err(mismatch(conv, a)),
        },
        'e' | 'f' | 'g' => match a {
            Arg::Null => "null".into(),
            Arg::Double(v) if v.is_nan() => "NaN".into(),
            Arg::Double(v) if v.is_infinite() => {
                let t = if *v > 0.0 {
                    if flags.contains('+') {
                        "+Infinity"
                    } else {
                        "Infinity"
                    }
                } else if flags.contains('(') {
                    "(Infinity)"
                } else {
                    "-Infinity"
                };
                t.to_string()
            }
            Arg::Double(v) => {
                let p = precision.unwrap_or(6);
                let digits = match conv.to_ascii_lowercase() {
                    'f' => fixed(v.abs(), p, flags.contains(',')),
                    'e' => sci(v.abs(), p),
                    _ => general(v.abs(), p, flags.contains(',')),
                };
                signed(digits, v.is_sign_negative(), flags)
            }
            _ => return Err(mismatch(conv, a)),
        },
        _ => {
            return Err(bad(format!(
                "UnknownFormatConversionException: Conversion = '{conv}' in '%{spec}'"
            )))
        }
    };
    Ok(if upper { s.to_uppercase() } else { s })
}

fn truncate(s: String, precision: Option<usize>) -> String {
    match precision {
        Some(p) => s.chars().take(p).collect(),
        None => s,
    }
}

/// Digits with the sign flags: `-`, or `+`/space/parentheses, and `,` groups.
fn signed(digits: String, negative: bool, flags: &str) -> String {
    let digits = if flags.contains(',') && !digits.contains('e') {
        group(&digits)
    } else {
        digits
    };
    if negative {
        if flags.contains('(') {
            format!("({digits})")
        } else {
            format!("-{digits}")
        }
    } else if flags.contains('+') {
        format!("+{digits}")
    } else if flags.contains(' ') {
        format!(" {digits}")
    } else {
        digits
    }
}

/// Groups the integer digits by thousands.
fn group(d: &str) -> String {
    let (int, frac) = match d.find('.') {
        Some(k) => (&d[..k], &d[k..]),
        None => (d, ""),
    };
    if int.contains(',') {
        return d.to_string();
    }
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + frac
}

/// The shortest decimal digits of `v` (> 0 or 0) and its exponent:
/// `v = 0.d1d2… × 10^exp`.
fn shortest(v: f64) -> (Vec<u8>, i32) {
    if v == 0.0 {
        return (vec![0], 1);
    }
    let (d, e) = crate::scalar_fns::shortest_digits(v);
    (d.bytes().map(|b| b - b'0').collect(), e + 1)
}

/// Rounds `digits` (a value 0.d1d2… × 10^exp) HALF_UP to keep `n` digits
/// (n may be 0 or negative: nothing kept); returns the new digits and exponent.
fn round_digits(mut digits: Vec<u8>, mut exp: i32, n: i32) -> (Vec<u8>, i32) {
    if n < 0 {
        return (vec![0], exp);
    }
    let n = n as usize;
    if digits.len() > n {
        let up = digits[n] >= 5;
        digits.truncate(n);
        if up && super::math::add_one_ulp(&mut digits) {
            exp += 1;
        }
    }
    (digits, exp)
}

/// `%.pf` of v ≥ 0.
fn fixed(v: f64, p: usize, _grouping: bool) -> String {
    let (d, e) = shortest(v);
    let (d, e) = round_digits(d, e, e + p as i32);
    let at = |k: i32| -> char {
        if k >= 0 && (k as usize) < d.len() {
            (b'0' + d[k as usize]) as char
        } else {
            '0'
        }
    };
    let int: String = if e <= 0 {
        "0".into()
    } else {
        (0..e).map(at).collect()
    };
    let frac: String = (e..e + p as i32).map(at).collect();
    if p == 0 {
        int
    } else {
        format!("{int}.{frac}")
    }
}

/// `%.pe` of v ≥ 0: `d.ddde+XX`.
fn sci(v: f64, p: usize) -> String {
    let (d, e) = shortest(v);
    let (d, e) = if v == 0.0 {
        (vec![0], 1)
    } else {
        round_digits(d, e, p as i32 + 1)
    };
    let at = |k: usize| -> char { (b'0' + d.get(k).copied().unwrap_or(0)) as char };
    let frac: String = (1..=p).map(at).collect();
    let x = e - 1;
    let exp = format!("{}{:02}", if x < 0 { '-' } else { '+' }, x.abs());
    if p == 0 {
        format!("{}e{exp}", at(0))
    } else {
        format!("{}.{frac}e{exp}", at(0))
    }
}

/// `%.pg` of v ≥ 0: fixed when 10^-4 ≤ v (rounded) < 10^p, else scientific.
fn general(v: f64, p: usize, grouping: bool) -> String {
    let p = p.max(1);
    if v == 0.0 {
        return fixed(0.0, p - 1, grouping);
    }
    let (d, e) = shortest(v);
    let (_, e) = round_digits(d, e, p as i32);
    if (-3..=p as i32).contains(&e) && v >= 1e-4 {
        fixed(v, (p as i32 - e).max(0) as usize, grouping)
    } else {
        sci(v, p - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str, a: &[Arg]) -> String {
        format(s, a).unwrap()
    }

    #[test]
    fn java_formats() {
        assert_eq!(
            f(
                "Hello World %d %s",
                &[Arg::Int(100, 32), Arg::Text("days".into())]
            ),
            "Hello World 100 days"
        );
        assert_eq!(
            f(
                "%5.2f|%-5s|%05d",
                &[
                    Arg::Double(3.24159),
                    Arg::Text("ab".into()),
                    Arg::Int(42, 32)
                ]
            ),
            " 3.24|ab   |00042"
        );
        assert_eq!(
            f(
                "%x %o %e %b %c %%",
                &[
                    Arg::Int(255, 32),
                    Arg::Int(8, 32),
                    Arg::Double(12345.678),
                    Arg::Bool(true),
                    Arg::Int(65, 32)
                ]
            ),
            "ff 10 1.234568e+04 true A %"
        );
        assert_eq!(f("%1$s %1$s", &[Arg::Text("a".into())]), "a a");
        assert_eq!(f("%.2f", &[Arg::Double(1.005)]), "1.01");
        assert_eq!(f("%,d", &[Arg::Int(1234567, 32)]), "1,234,567");
        assert_eq!(f("%x", &[Arg::Int(-1, 32)]), "ffffffff");
        assert_eq!(f("%08.3f", &[Arg::Double(-3.5)]), "-003.500");
        assert_eq!(f("%g", &[Arg::Double(0.0001)]), "0.000100000");
        assert_eq!(f("%s", &[Arg::Null]), "null");
        assert!(format("%d", &[Arg::Text("x".into())]).is_err());
        assert!(format("%s %s", &[Arg::Text("x".into())]).is_err());
    }
}

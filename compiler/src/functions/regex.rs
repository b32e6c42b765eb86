//! Regular-expression functions. Spark uses Java's regex syntax; sqlc uses
//! Rust's `regex` crate, whose syntax agrees for everything but
//! backreferences and look-around, which it refuses with a clear
//! `[INVALID_PARAMETER_VALUE.PATTERN]` naming the construct. Patterns must
//! be literals: each is compiled once, when the query is resolved (the
//! resolved function holds it), never per row or per batch.

use std::sync::Arc;

use arrow::array::ArrayRef;
use regex::Regex;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::types::DataType::{self, Int32, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    for kind in [
        Kind::Extract,
        Kind::Replace,
        Kind::Count,
        Kind::Substr,
        Kind::Instr,
    ] {
        v.push(FunctionRef::new(RegexFn { kind, re: None }));
    }
    v.push(FunctionRef::new(ExtractAll { re: None }));
}

/// A literal group index out of the pattern's range, at resolution.
fn check_group(func: &str, re: &Regex, idx: Option<&TExpr>) -> Result<()> {
    if let Some(crate::types::Scalar::Int32(i)) = idx.and_then(literal) {
        if *i < 0 || *i as usize >= re.captures_len() {
            return Err(group_error(func, re, *i as i64, true));
        }
    }
    Ok(())
}

fn group_error(func: &str, re: &Regex, g: i64, analysis: bool) -> Error {
    let msg = format!(
        "The value of parameter(s) `idx` in `{func}` is invalid: Expects group index between 0 and {}, but got {g}.",
        re.captures_len() - 1
    );
    if analysis {
        Error::analysis("INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX", msg)
    } else {
        Error::execution("INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX", msg)
    }
}

/// `regexp_extract_all(str, regexp[, idx])`: group `idx` (1 by default) of
/// every match, "" where the group took no part.
pub struct ExtractAll {
    re: Option<Arc<Regex>>,
}

impl ScalarFunction for ExtractAll {
    fn name(&self) -> &'static str {
        "regexp_extract_all"
    }

    fn usage(&self) -> &'static str {
        "regexp_extract_all(str, regexp[, idx]) - Extract all strings in the `str` that match the `regexp` expression and corresponding to the regex group index."
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 2, 3)?;
        let mut r = typed(
            &FunctionRef::new(ExtractAll { re: None }),
            args,
            &[Utf8, Utf8, Int32],
            DataType::Array(Box::new(Utf8), true),
            call,
        )?;
        let re = match literal_str(&r.args[1], self.name(), "pattern")? {
            Some(p) => Some(Arc::new(compile(p)?)),
            None => None,
        };
        if let Some(re) = &re {
            let idx = r.args.get(2);
            if idx.is_none() && re.captures_len() < 2 {
                return Err(group_error(self.name(), re, 1, true));
            }
            check_group(self.name(), re, idx)?;
        }
        r.func = FunctionRef(Arc::new(ExtractAll { re }));
        Ok(r)
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        use arrow::array::ListArray;
        use arrow::buffer::{NullBuffer, OffsetBuffer};
        let s = strs(&a[0])?;
        let idx = a.get(2).map(i32s).transpose()?;
        let mut values = arrow::array::StringBuilder::new();
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        let mut n = 0i32;
        for i in 0..rows {
            let g = match idx {
                Some(x) => x.at(i),
                None => Some(1),
            };
            match (s.at(i), &self.re, g) {
                (Some(text), Some(re), Some(g)) => {
                    if g < 0 || g as usize >= re.captures_len() {
                        return Err(group_error(self.name(), re, g as i64, false));
                    }
                    for c in re.captures_iter(text) {
                        values.append_value(c.get(g as usize).map_or("", |m| m.as_str()));
                        n += 1;
                    }
                    valid.push(true);
                }
                _ => valid.push(false),
            }
            offsets.push(n);
        }
        Ok(Arc::new(ListArray::try_new(
            crate::types::list_item(&Utf8, true),
            OffsetBuffer::new(offsets.into()),
            Arc::new(values.finish()),
            Some(NullBuffer::from(valid)).filter(|b| b.null_count() > 0),
        )?))
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Extract,
    Replace,
    Count,
    Substr,
    Instr,
}

/// One regex function; `re` is the pattern once resolved.
pub struct RegexFn {
    kind: Kind,
    re: Option<Arc<Regex>>,
}

impl RegexFn {
    fn params(&self) -> (&'static [DataType], usize, usize, DataType) {
        match self.kind {
            Kind::Extract => (&[Utf8, Utf8, Int32], 2, 3, Utf8),
            Kind::Replace => (&[Utf8, Utf8, Utf8, Int32], 3, 4, Utf8),
            Kind::Count => (&[Utf8, Utf8], 2, 2, Int32),
            Kind::Substr => (&[Utf8, Utf8], 2, 2, Utf8),
            Kind::Instr => (&[Utf8, Utf8, Int32], 2, 3, Int32),
        }
    }

    fn re(&self) -> Result<&Regex> {
        self.re
            .as_deref()
            .ok_or_else(|| Error::internal(format!("{} invoked unresolved", self.name())))
    }
}

/// Compiles a Java-syntax pattern, or says which construct Rust lacks.
pub fn compile(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| {
        let construct = if pattern.contains("(?=") || pattern.contains("(?!") {
            "look-ahead ((?=…), (?!…)) is not supported by sqlc's regex engine"
        } else if pattern.contains("(?<=") || pattern.contains("(?<!") {
            "look-behind ((?<=…), (?<!…)) is not supported by sqlc's regex engine"
        } else if pattern.contains("\\1") || pattern.contains("\\k<") {
            "backreferences are not supported by sqlc's regex engine"
        } else {
            ""
        };
        Error::InvalidRegex {
            pattern: pattern.to_string(),
            reason: if construct.is_empty() {
                e.to_string()
            } else {
                construct.to_string()
            },
        }
    })
}

/// Java's replacement syntax (`$1`, `\$`) in the `regex` crate's (`${1}`, `$$`).
fn java_replacement(r: &str) -> String {
    let mut out = String::with_capacity(r.len());
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(o) => out.push(o),
                None => {}
            },
            '$' => {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                if n.is_empty() {
                    out.push_str("$$");
                } else {
                    out.push_str(&format!("${{{n}}}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

impl ScalarFunction for RegexFn {
    fn name(&self) -> &'static str {
        match self.kind {
            Kind::Extract => "regexp_extract",
            Kind::Replace => "regexp_replace",
            Kind::Count => "regexp_count",
            Kind::Substr => "regexp_substr",
            Kind::Instr => "regexp_instr",
        }
    }

    fn usage(&self) -> &'static str {
        match self.kind {
            Kind::Extract => "regexp_extract(str, regexp[, idx]) - Extracts the group `idx` (1 by default) of the first match of `regexp` in `str`; empty when there is none.",
            Kind::Replace => "regexp_replace(str, regexp, rep[, position]) - Replaces all substrings of `str` that match `regexp` with `rep` (Java's $n groups), from `position`.",
            Kind::Count => "regexp_count(str, regexp) - Returns the number of times `regexp` matches in `str`.",
            Kind::Substr => "regexp_substr(str, regexp) - Returns the first substring of `str` that matches `regexp`, or null.",
            Kind::Instr => "regexp_instr(str, regexp) - Returns the 1-based position of the first match of `regexp` in `str`, 0 if none.",
        }
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        let (params, lo, hi, ty) = self.params();
        arity(self.name(), &args, lo, hi)?;
        let mut r = typed(
            &FunctionRef::new(RegexFn {
                kind: self.kind,
                re: None,
            }),
            args,
            params,
            ty,
            call,
        )?;
        let re = match literal_str(&r.args[1], self.name(), "pattern")? {
            Some(p) => Some(Arc::new(compile(p)?)),
            None => None,
        };
        if let (Kind::Extract, Some(re), Some(idx)) = (self.kind, &re, r.args.get(2)) {
            if let Some(crate::types::Scalar::Int32(i)) = literal(idx) {
                if *i < 0 || *i as usize >= re.captures_len() {
                    return Err(Error::analysis(
                        "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
                        format!(
                            "The value of parameter(s) `idx` in `regexp_extract` is invalid: Expects group index between 0 and {}, but got {i}.",
                            re.captures_len() - 1
                        ),
                    ));
                }
            }
        }
        if matches!(self.kind, Kind::Substr) {
            r.nullable = true;
        }
        r.func = FunctionRef(Arc::new(RegexFn {
            kind: self.kind,
            re,
        }));
        Ok(r)
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let s = strs(&a[0])?;
        // A null pattern: every result is null.
        if self.re.is_none() {
            return Ok(arrow::array::new_null_array(
                &self.params().3.to_arrow(),
                rows,
            ));
        }
        let re = self.re()?;
        match self.kind {
            Kind::Extract => {
                let idx = a.get(2).map(i32s).transpose()?;
                collect_strings(rows, |i| {
                    let g = match idx {
                        Some(x) => match x.at(i) {
                            Some(g) => g,
                            None => return Ok(None),
                        },
                        None => 1,
                    };
                    if g < 0 || g as usize >= re.captures_len() {
                        return Err(Error::execution(
                            "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
                            format!(
                                "Expects group index between 0 and {}, but got {g}.",
                                re.captures_len() - 1
                            ),
                        ));
                    }
                    Ok(s.at(i).map(|s| {
                        re.captures(s)
                            .and_then(|c| c.get(g as usize))
                            .map_or(String::new(), |m| m.as_str().to_string())
                    }))
                })
            }
            Kind::Replace => {
                let rep = strs(&a[2])?;
                let pos = a.get(3).map(i32s).transpose()?;
                collect_strings(rows, |i| {
                    let p = match pos {
                        Some(p) => match p.at(i) {
                            Some(p) if p > 0 => p as usize,
                            Some(p) => {
                                return Err(Error::execution(
                                    "INVALID_PARAMETER_VALUE.REGEX_POSITION",
                                    format!("The value of parameter(s) `position` in `regexp_replace` is invalid: Expects a positive value, but got {p}."),
                                ))
                            }
                            None => return Ok(None),
                        },
                        None => 1,
                    };
                    Ok(match (s.at(i), rep.at(i)) {
                        (Some(s), Some(r)) => {
                            let cut = s.char_indices().nth(p - 1).map_or(s.len(), |(b, _)| b);
                            let r = java_replacement(r);
                            Some(format!(
                                "{}{}",
                                &s[..cut],
                                re.replace_all(&s[cut..], r.as_str())
                            ))
                        }
                        _ => None,
                    })
                })
            }
            Kind::Count => collect_i32(rows, |i| {
                Ok(s.at(i).map(|s| re.find_iter(s).count() as i32))
            }),
            Kind::Substr => collect_strings(rows, |i| {
                Ok(s.at(i)
                    .and_then(|s| re.find(s).map(|m| m.as_str().to_string())))
            }),
            Kind::Instr => collect_i32(rows, |i| {
                Ok(s.at(i).map(|s| match re.find(s) {
                    Some(m) => s[..m.start()].chars().count() as i32 + 1,
                    None => 0,
                }))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_replacements_become_rust_ones() {
        assert_eq!(java_replacement("$1-$2"), "${1}-${2}");
        assert_eq!(java_replacement("\\$x"), "$$x");
        assert_eq!(java_replacement("a$1b"), "a${1}b");
    }

    #[test]
    fn unsupported_constructs_are_named() {
        let e = compile("a(?=b)").unwrap_err();
        assert!(e.to_string().contains("look-ahead"), "{e}");
        assert_eq!(e.class(), "INVALID_PARAMETER_VALUE.PATTERN");
    }
}

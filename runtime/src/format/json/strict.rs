//! A record that uses a leniency of its syntax (single quotes, `NaN`, a
//! comment, an unquoted name, …; the scanner marks it `odd`) rewritten as
//! strict JSON, so that the reader's exact paths — Arrow's decoder and the
//! record-by-record conversion — read it as Spark reads the original: the
//! compiler's parser reads it with the same [`Syntax`], and
//! [`Json::write_strict`] writes numbers as written and the non-numeric ones
//! as strings of their text (a double column reads those as the number, a
//! string column as the text, as Spark's). Ordinary records never come here.
//!
//! One difference stays: a string column reads a number with leading zeros
//! (`allowNumericLeadingZeros`) without them; Spark copies its raw text.
//!
//! [`Json::write_strict`]: sqlc_compiler::json::Json::write_strict

use sqlc_compiler::json::{parse_with, Syntax};

/// The strict JSON text of `record` (one value, well-formed under `syntax`).
pub fn strict(record: &[u8], syntax: &Syntax) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(record).map_err(|_| "invalid UTF-8 in a record".to_string())?;
    let mut out = String::with_capacity(record.len() + 8);
    parse_with(text, syntax)?.write_strict(&mut out);
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_records_become_strict_json_of_the_same_values() {
        let all = Syntax::LENIENT;
        let cases = [
            (r#"{'a':'x"y', "b":NaN}"#, r#"{"a":"x\"y","b":"NaN"}"#),
            (
                r#"{a:[+INF,-Infinity,1.50,007]} "#,
                r#"{"a":["+INF","-Infinity",1.50,7]}"#,
            ),
            ("{\"s\":\"\\q\t\"/* c */}", r#"{"s":"q\t"}"#),
        ];
        for (lenient, want) in cases {
            let got = strict(lenient.as_bytes(), &all).unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want);
            assert!(serde_json::from_str::<serde_json::Value>(want).is_ok());
        }
    }
}

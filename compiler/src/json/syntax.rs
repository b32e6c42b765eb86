//! Which JSON text is read: Spark's JSON options over Jackson's parser
//! features (`allowSingleQuotes`, `allowNonNumericNumbers`, …), the one
//! definition both JSON parsers share — the compiler's ([`super::parse_with`],
//! for the JSON functions) and the runtime's validating scanner (files and
//! streams, schema inference). The tokens beyond RFC 8259 that the options
//! let in are defined here once, as functions over bytes, so that both
//! parsers accept exactly the same text.
//!
//! Checked against PySpark 4.3 (tests/data/records/cases.json,
//! tests/golden/json_leniency*.sql): Spark's readers and `from_json` /
//! `schema_of_json` default to single quotes and `NaN`, `Infinity`,
//! `+Infinity`, `-Infinity`, `+INF`, `-INF` as numbers (not `INF`, `nan`,
//! `-NaN`); `get_json_object` and `json_tuple` run on Jackson's defaults
//! plus single quotes and control characters (their Hive-compatible
//! factory), so `NaN` makes their JSON malformed. Nesting deeper than
//! [`MAX_DEPTH`] is malformed, as Jackson's `StreamReadConstraints`.

/// How deep JSON may nest (objects and arrays, the outermost at 1) before
/// the text is malformed: Jackson's default `maxNestingDepth`.
pub const MAX_DEPTH: usize = 1000;

/// The leniencies of a JSON parser, by Spark's option names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Syntax {
    /// `allowSingleQuotes`: strings and names in `'…'`, and `\'` escapes.
    pub single_quotes: bool,
    /// `allowNonNumericNumbers`: the [`non_numeric`] tokens are doubles, and
    /// so are the strings `"NaN"`, `"Infinity"`, … read into a double.
    pub non_numeric_numbers: bool,
    /// `allowUnquotedFieldNames`: names of [`name_byte`]s without quotes.
    pub unquoted_field_names: bool,
    /// `allowComments`: `/* … */` and `// …` where whitespace may be.
    pub comments: bool,
    /// `allowNumericLeadingZeros`: `007` is 7.
    pub leading_zeros: bool,
    /// `allowBackslashEscapingAnyCharacter`: `\q` is `q`.
    pub backslash_any: bool,
    /// `allowUnquotedControlChars`: characters below U+0020 inside strings.
    pub control_chars: bool,
}

impl Syntax {
    /// Spark's JSON options' defaults: the reader, `from_json`, `schema_of_json`.
    pub const SPARK: Syntax = Syntax {
        single_quotes: true,
        non_numeric_numbers: true,
        unquoted_field_names: false,
        comments: false,
        leading_zeros: false,
        backslash_any: false,
        control_chars: false,
    };

    /// The factory `get_json_object` and `json_tuple` parse with (Jackson's
    /// defaults, single quotes and control characters "for Hive compatibility").
    pub const HIVE: Syntax = Syntax {
        single_quotes: true,
        non_numeric_numbers: false,
        unquoted_field_names: false,
        comments: false,
        leading_zeros: false,
        backslash_any: false,
        control_chars: true,
    };

    /// Every leniency allowed (for tests of them all).
    pub const LENIENT: Syntax = Syntax {
        single_quotes: true,
        non_numeric_numbers: true,
        unquoted_field_names: true,
        comments: true,
        leading_zeros: true,
        backslash_any: true,
        control_chars: true,
    };

    /// The option names and what each sets.
    const OPTIONS: [(&'static str, fn(&mut Syntax) -> &mut bool); 7] = [
        ("allowSingleQuotes", |s| &mut s.single_quotes),
        ("allowNonNumericNumbers", |s| &mut s.non_numeric_numbers),
        ("allowUnquotedFieldNames", |s| &mut s.unquoted_field_names),
        ("allowComments", |s| &mut s.comments),
        ("allowNumericLeadingZeros", |s| &mut s.leading_zeros),
        ("allowBackslashEscapingAnyCharacter", |s| {
            &mut s.backslash_any
        }),
        ("allowUnquotedControlChars", |s| &mut s.control_chars),
    ];

    /// [`Syntax::SPARK`] with the options `get` finds (by Spark's name, any
    /// case); a value that is not `true` or `false` is `Err((name, value))`.
    pub fn from_options<'a>(
        get: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<Syntax, (&'static str, String)> {
        let mut syntax = Syntax::SPARK;
        for (name, flag) in Self::OPTIONS {
            if let Some(v) = get(name) {
                *flag(&mut syntax) = match v.trim() {
                    t if t.eq_ignore_ascii_case("true") => true,
                    t if t.eq_ignore_ascii_case("false") => false,
                    _ => return Err((name, v.to_string())),
                };
            }
        }
        Ok(syntax)
    }
}

impl Default for Syntax {
    fn default() -> Self {
        Syntax::SPARK
    }
}

/// The non-numeric number at the start of `b` — `NaN`, `Infinity`,
/// `+Infinity`, `-Infinity`, `+INF`, `-INF`, not followed by a name
/// character (Jackson's tokens) — as its length and value.
pub fn non_numeric(b: &[u8]) -> Option<(usize, f64)> {
    const TOKENS: [(&[u8], f64); 6] = [
        (b"NaN", f64::NAN),
        (b"Infinity", f64::INFINITY),
        (b"+Infinity", f64::INFINITY),
        (b"-Infinity", f64::NEG_INFINITY),
        (b"+INF", f64::INFINITY),
        (b"-INF", f64::NEG_INFINITY),
    ];
    TOKENS.iter().find_map(|&(t, v)| {
        let ends = b.starts_with(t) && !b.get(t.len()).is_some_and(|&c| name_byte(c));
        ends.then_some((t.len(), v))
    })
}

/// The value of a string read into a double as a non-numeric number
/// (Spark's `JacksonParser`): `"NaN"`, `"Infinity"`, `"+Infinity"`,
/// `"-Infinity"`, `"+INF"`, `"-INF"`.
pub fn special_double(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "+INF" | "+Infinity" | "Infinity" => Some(f64::INFINITY),
        "-INF" | "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Whether `c` may be part of an unquoted field name: Jackson's name
/// characters for UTF-8 input (Java identifier characters, `@ # * - +`,
/// and every byte of a multi-byte character).
pub fn name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"_$@#*-+\x7f".contains(&c) || c >= 0x80
}

/// The length of the comment at the start of `b` (`/* … */`, or `// …` to
/// the end of the line), or `None` if `b` does not start a whole comment.
pub fn comment(b: &[u8]) -> Option<usize> {
    match b.get(..2)? {
        b"/*" => b[2..]
            .windows(2)
            .position(|w| w == b"*/")
            .map(|end| end + 4),
        b"//" => Some(
            b.iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .unwrap_or(b.len()),
        ),
        _ => None,
    }
}

/// The end of the string whose content starts at `b[0]` (after its opening
/// `quote`): the index of the closing quote, or why it is malformed. Checks
/// escapes and control characters by `syntax`, not UTF-8.
pub fn string_end(b: &[u8], quote: u8, syntax: &Syntax) -> Result<usize, String> {
    let mut j = 0;
    loop {
        match b.get(j) {
            None => return Err("unterminated string".into()),
            Some(&c) if c == quote => return Ok(j),
            Some(b'\\') => j += 1 + escape_len(&b[j + 1..], syntax)?,
            Some(&c) if c < 0x20 && !syntax.control_chars => {
                return Err(format!("control character {c:#04x} in a string"))
            }
            Some(_) => j += 1,
        }
    }
}

/// The length of the escape after a backslash (`b` starts after it).
fn escape_len(b: &[u8], syntax: &Syntax) -> Result<usize, String> {
    match b.first() {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(1),
        Some(b'u')
            if b.get(1..5)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
        {
            Ok(5)
        }
        Some(b'\'') if syntax.single_quotes || syntax.backslash_any => Ok(1),
        Some(b'u') | None => Err("invalid escape".into()),
        Some(&c) if syntax.backslash_any => Ok(utf8_len(c)),
        Some(_) => Err("invalid escape".into()),
    }
}

/// The length of the UTF-8 sequence a lead byte starts (1 for others).
fn utf8_len(c: u8) -> usize {
    match c {
        0xf0..=0xf7 => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// The text of a string's content (between its quotes, checked by
/// [`string_end`]), escapes decoded; invalid UTF-8 is an error.
pub fn unescape(raw: &[u8]) -> Result<String, String> {
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let e = *raw.get(i).ok_or("unterminated escape")?;
        i += 1;
        match e {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'u' => {
                let mut cp = hex4(raw, i)?;
                i += 4;
                if (0xD800..0xDC00).contains(&cp) && raw.get(i..i + 2) == Some(b"\\u") {
                    let lo = hex4(raw, i + 2)?;
                    if (0xDC00..0xE000).contains(&lo) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                out.extend_from_slice(ch.encode_utf8(&mut [0u8; 4]).as_bytes());
            }
            // `"`, `\`, `/`, `'` and, where allowed, any character: itself.
            other => out.push(other),
        }
    }
    String::from_utf8(out).map_err(|_| "invalid UTF-8 in a string".to_string())
}

fn hex4(raw: &[u8], at: usize) -> Result<u32, String> {
    raw.get(at..at + 4)
        .and_then(|h| std::str::from_utf8(h).ok())
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or_else(|| "invalid \\u escape".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_set_flags_by_spark_names() {
        let opts = [("allowsinglequotes", "FALSE"), ("allowComments", "true")];
        let get = |k: &str| {
            opts.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| *v)
        };
        let s = Syntax::from_options(get).unwrap();
        assert!(!s.single_quotes && s.comments && s.non_numeric_numbers);
        let bad = Syntax::from_options(|k| (k == "allowComments").then_some("yes"));
        assert_eq!(bad, Err(("allowComments", "yes".to_string())));
    }

    #[test]
    fn lenient_tokens() {
        assert_eq!(non_numeric(b"-INF,").map(|t| t.0), Some(4));
        assert_eq!(non_numeric(b"+Infinity}").map(|t| t.0), Some(9));
        assert!(non_numeric(b"NaN").unwrap().1.is_nan());
        for bad in [
            &b"INF"[..],
            b"nan",
            b"-NaN",
            b"NaNx",
            b"Infinit",
            b"-INFINITY",
        ] {
            assert_eq!(non_numeric(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(comment(b"/* a */x"), Some(7));
        assert_eq!(comment(b"// rest\n{"), Some(7));
        assert_eq!(comment(b"/* open"), None);
        assert_eq!(comment(b"/x"), None);
        let strict = Syntax {
            single_quotes: false,
            ..Syntax::SPARK
        };
        assert_eq!(string_end(br#"a\"b"x"#, b'"', &Syntax::SPARK), Ok(4));
        assert_eq!(string_end(br#"a"b'"#, b'\'', &Syntax::SPARK), Ok(3));
        assert!(string_end(br#"a\'b""#, b'"', &strict).is_err());
        assert!(string_end(br#"\q""#, b'"', &Syntax::SPARK).is_err());
        let any = Syntax {
            backslash_any: true,
            ..Syntax::SPARK
        };
        assert_eq!(string_end("\\é\"".as_bytes(), b'"', &any), Ok(3));
        assert!(string_end(b"a\tb\"", b'"', &Syntax::SPARK).is_err());
        assert_eq!(string_end(b"a\tb\"", b'"', &Syntax::HIVE), Ok(3));
        assert_eq!(unescape(br#"a\'b\q\u00e9\n"#).unwrap(), "a'bqé\n");
        assert_eq!(unescape(br#"\ud83d\ude00"#).unwrap(), "😀");
    }
}

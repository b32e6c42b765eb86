//! Spark's duration strings — `"10 minutes"`, `"1 hour 30 minutes"`,
//! `"500 milliseconds"`, `"INTERVAL 10 MINUTES"`, `"interval '30' minute"` —
//! as microseconds. Used by watermarks, windows and triggers.

/// Microseconds in one unit, by Spark's unit names (singular or plural,
/// any case).
fn unit_micros(unit: &str) -> Option<i64> {
    let u = unit.to_ascii_lowercase();
    let u = u
        .strip_suffix('s')
        .filter(|s| !s.is_empty() && *s != "m" && *s != "u")
        .unwrap_or(&u);
    Some(match u {
        "microsecond" | "us" | "micro" => 1,
        "millisecond" | "ms" | "milli" => 1_000,
        "second" | "sec" | "s" => 1_000_000,
        "minute" | "min" | "m" => 60_000_000,
        "hour" | "h" => 3_600_000_000,
        "day" | "d" => 86_400_000_000,
        "week" | "w" => 7 * 86_400_000_000,
        _ => return None,
    })
}

/// Parses a duration; `None` when it is not one (or is negative).
pub fn parse_duration_us(text: &str) -> Option<i64> {
    let t = text.trim();
    let t = match t.get(..8) {
        Some(p) if p.eq_ignore_ascii_case("interval") => t[8..].trim(),
        _ => t,
    };
    let cleaned: String = t
        .chars()
        .map(|c| if c == '\'' || c == '"' { ' ' } else { c })
        .collect();
    let mut tokens: Vec<String> = Vec::new();
    for word in cleaned.split_whitespace() {
        // Split "10s" / "500ms" into number and unit.
        let split = word.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'));
        match split {
            Some(i) if i > 0 => {
                tokens.push(word[..i].to_string());
                tokens.push(word[i..].to_string());
            }
            _ => tokens.push(word.to_string()),
        }
    }
    if tokens.is_empty() || !tokens.len().is_multiple_of(2) {
        return None;
    }
    let mut total: i64 = 0;
    for pair in tokens.chunks(2) {
        let n: f64 = pair[0].parse().ok()?;
        let unit = unit_micros(&pair[1])?;
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        total = total.checked_add((n * unit as f64).round() as i64)?;
    }
    Some(total)
}

/// A signed duration (a window's start offset may be negative: `"-5 minutes"`).
pub fn parse_signed_duration_us(text: &str) -> Option<i64> {
    match text.trim().strip_prefix('-') {
        Some(rest) => parse_duration_us(rest).map(|v| -v),
        None => parse_duration_us(text),
    }
}

/// A duration in the largest unit that divides it: `"10 minutes"`.
pub fn format_duration_us(us: i64) -> String {
    const UNITS: [(i64, &str); 6] = [
        (86_400_000_000, "day"),
        (3_600_000_000, "hour"),
        (60_000_000, "minute"),
        (1_000_000, "second"),
        (1_000, "millisecond"),
        (1, "microsecond"),
    ];
    let (n, unit) = UNITS
        .iter()
        .find(|(u, _)| us % u == 0)
        .map(|(u, name)| (us / u, *name))
        .unwrap_or((us, "microsecond"));
    let plural = if n.abs() == 1 { "" } else { "s" };
    format!("{n} {unit}{plural}")
}

#[cfg(test)]
mod tests {
    use super::{format_duration_us, parse_duration_us, parse_signed_duration_us};

    #[test]
    fn formats_and_signs() {
        assert_eq!(format_duration_us(600_000_000), "10 minutes");
        assert_eq!(format_duration_us(1_000), "1 millisecond");
        assert_eq!(format_duration_us(90_000_000), "90 seconds");
        assert_eq!(format_duration_us(0), "0 days");
        assert_eq!(parse_signed_duration_us("-5 minutes"), Some(-300_000_000));
        assert_eq!(parse_signed_duration_us("5 minutes"), Some(300_000_000));
    }

    #[test]
    fn spark_forms() {
        assert_eq!(parse_duration_us("10 minutes"), Some(600_000_000));
        assert_eq!(parse_duration_us("1 hour"), Some(3_600_000_000));
        assert_eq!(parse_duration_us("30 seconds"), Some(30_000_000));
        assert_eq!(parse_duration_us("500 milliseconds"), Some(500_000));
        assert_eq!(parse_duration_us("INTERVAL 10 MINUTES"), Some(600_000_000));
        assert_eq!(
            parse_duration_us("interval '30' minute"),
            Some(1_800_000_000)
        );
        assert_eq!(parse_duration_us("1 hour 30 minutes"), Some(5_400_000_000));
        assert_eq!(parse_duration_us("5s"), Some(5_000_000));
        assert_eq!(parse_duration_us("0 seconds"), Some(0));
        assert_eq!(parse_duration_us("ten minutes"), None);
        assert_eq!(parse_duration_us("10 fortnights"), None);
        assert_eq!(parse_duration_us(""), None);
        assert_eq!(parse_duration_us("-5 seconds"), None);
    }
}

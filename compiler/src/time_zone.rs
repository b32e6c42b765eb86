//! The session time zone, `spark.sql.session.timeZone`: which zone ids
//! Spark accepts, and the two conversions every zone-aware operation is
//! built from — an instant to the wall-clock time of the zone, and a
//! wall-clock time back to an instant (`java.time`'s rules for gaps and
//! overlaps). Offsets and transitions come from the IANA database that
//! `jiff` bundles, so answers do not depend on the host.
//!
//! Timestamps are microseconds since the epoch (an instant). A *local*
//! value is the zone's wall-clock time written as if it were UTC, so the
//! calendar arithmetic of [`crate::scalar_fns::calendar`] applies to it
//! unchanged.

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::scalar_fns::calendar::{civil_from_days, split_micros, MICROS_PER_SECOND};

/// The session's default zone: sqlc's, unlike the JVM's, does not follow
/// the host.
pub const DEFAULT: &str = "UTC";

/// The configuration key.
pub const CONF_KEY: &str = "spark.sql.session.timeZone";

/// A time zone as Spark's `DateTimeUtils.getZoneId` resolves an id.
#[derive(Clone)]
pub enum TimeZone {
    /// `UTC`, `Z`, `+00:00`, …: no conversion at all.
    Utc,
    /// A fixed offset in seconds (`+08:00`, `GMT-5`, `EST`).
    Fixed { id: Arc<str>, secs: i32 },
    /// A region of the IANA database (`America/Los_Angeles`).
    Region {
        id: Arc<str>,
        tz: jiff::tz::TimeZone,
    },
}

impl fmt::Debug for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl PartialEq for TimeZone {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

/// Java's `ZoneId.SHORT_IDS`, which Spark passes to `ZoneId.of`.
const SHORT_IDS: &[(&str, &str)] = &[
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
    ("EST", "-05:00"),
    ("MST", "-07:00"),
    ("HST", "-10:00"),
];

impl TimeZone {
    /// A zone id as Spark reads one: a region (`Europe/Paris`, case as in
    /// the database), an offset `(+|-)h[h][:mm[:ss]]` or `(+|-)hhmm[ss]`,
    /// `Z`, `UTC`/`GMT`/`UT` optionally followed by an offset, or one of
    /// Java's short ids (`PST`, `EST`). `None` for anything else.
    pub fn parse(id: &str) -> Option<TimeZone> {
        let mapped = SHORT_IDS
            .iter()
            .find(|(k, _)| *k == id)
            .map_or(id, |(_, v)| *v);
        if mapped == "Z" {
            return Some(TimeZone::Utc);
        }
        if mapped.starts_with(['+', '-']) {
            return fixed(id, offset_secs(mapped)?);
        }
        for prefix in ["UTC", "GMT", "UT"] {
            if let Some(rest) = mapped.strip_prefix(prefix) {
                if rest.is_empty() {
                    return Some(TimeZone::Utc);
                }
                if rest.starts_with(['+', '-']) {
                    return fixed(id, offset_secs(rest)?);
                }
            }
        }
        let well_formed = mapped.len() >= 2
            && mapped.as_bytes()[0].is_ascii_alphabetic()
            && mapped
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"~/._+-".contains(&b));
        if !well_formed {
            return None;
        }
        let tz = jiff::tz::TimeZone::get(mapped).ok()?;
        // Java's region lookup is case-sensitive; the database's is not.
        if tz.iana_name() != Some(mapped) {
            return None;
        }
        Some(TimeZone::Region {
            id: Arc::from(id),
            tz,
        })
    }

    /// [`TimeZone::parse`], or the error Spark gives for a bad setting.
    pub fn from_conf(id: &str) -> Result<TimeZone> {
        TimeZone::parse(id).ok_or_else(|| invalid_conf(id))
    }

    /// The id as it was set.
    pub fn id(&self) -> &str {
        match self {
            TimeZone::Utc => DEFAULT,
            TimeZone::Fixed { id, .. } | TimeZone::Region { id, .. } => id,
        }
    }

    pub fn is_utc(&self) -> bool {
        matches!(self, TimeZone::Utc)
    }

    /// The zone's offset from UTC at an instant, in seconds.
    pub fn offset_at(&self, us: i64) -> i32 {
        match self {
            TimeZone::Utc => 0,
            TimeZone::Fixed { secs, .. } => *secs,
            TimeZone::Region { tz, .. } => tz.to_offset(clamped(us)).seconds(),
        }
    }

    /// The zone's short name at an instant (`PST`, `PDT`), as the pattern
    /// letter `z` prints it; an offset zone prints its offset.
    pub fn abbreviation(&self, us: i64) -> String {
        match self {
            TimeZone::Utc => "UTC".to_string(),
            TimeZone::Fixed { secs, .. } => offset_id(*secs),
            TimeZone::Region { tz, .. } => {
                tz.to_offset_info(clamped(us)).abbreviation().to_string()
            }
        }
    }

    /// The wall-clock time of an instant, written as if it were UTC.
    pub fn to_local(&self, us: i64) -> i64 {
        us.saturating_add(self.offset_at(us) as i64 * MICROS_PER_SECOND)
    }

    /// The instant of a wall-clock time, as `java.time`'s
    /// `ZonedDateTime.of`: a time in a gap moves forward by the gap's
    /// length, a time in an overlap takes the earlier offset.
    pub fn from_local(&self, local: i64) -> i64 {
        self.from_local_preferring(local, None)
    }

    /// [`TimeZone::from_local`], keeping `preferred` (seconds) in an
    /// overlap where it is one of the two offsets (`ZonedDateTime`'s
    /// `truncatedTo` and `with*` keep the offset they had).
    pub fn from_local_preferring(&self, local: i64, preferred: Option<i32>) -> i64 {
        use jiff::tz::AmbiguousOffset as A;
        let secs = match self {
            TimeZone::Utc => 0,
            TimeZone::Fixed { secs, .. } => *secs,
            TimeZone::Region { tz, .. } => match civil(local) {
                Some(dt) => match tz.to_ambiguous_timestamp(dt).offset() {
                    A::Unambiguous { offset } => offset.seconds(),
                    // The instant of `local` at the offset before the gap
                    // is the gap's length later than the wall clock says.
                    A::Gap { before, .. } => before.seconds(),
                    A::Fold { before, after } => match preferred {
                        Some(p) if p == after.seconds() => p,
                        _ => before.seconds(),
                    },
                },
                // Beyond the database's years: the offset of the nearest
                // instant it knows.
                None => self.offset_at(local),
            },
        };
        local.saturating_sub(secs as i64 * MICROS_PER_SECOND)
    }
}

thread_local! {
    static SESSION: std::cell::RefCell<TimeZone> = const { std::cell::RefCell::new(TimeZone::Utc) };
}

/// Runs `f` with `tz` as the zone the SQL front end reads typed literals
/// in (`TIMESTAMP '2024-01-01 10:00:00'`) and prints them in, as Spark's
/// parser reads the active session's conf. Planning is synchronous, so a
/// thread-local scoped to the call is the session's zone for all of it.
pub fn with_session<T>(tz: &TimeZone, f: impl FnOnce() -> T) -> T {
    /// Puts the outer zone back, also when `f` unwinds.
    struct Restore(Option<TimeZone>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(tz) = self.0.take() {
                SESSION.with(|s| *s.borrow_mut() = tz);
            }
        }
    }
    let _restore = Restore(Some(SESSION.with(|s| s.replace(tz.clone()))));
    f()
}

/// The zone of the enclosing [`with_session`] (UTC outside one).
pub fn session() -> TimeZone {
    in_session(TimeZone::clone)
}

/// `f` of the zone of the enclosing [`with_session`], borrowed.
pub fn in_session<T>(f: impl FnOnce(&TimeZone) -> T) -> T {
    SESSION.with(|s| f(&s.borrow()))
}

/// An offset as `java.time` writes its id: `+08:00`, `-03:30`,
/// `+05:30:15` (seconds only when there are some).
pub fn offset_id(secs: i32) -> String {
    let a = secs.unsigned_abs();
    let sign = if secs < 0 { '-' } else { '+' };
    let mut id = format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60);
    if !a.is_multiple_of(60) {
        id.push_str(&format!(":{:02}", a % 60));
    }
    id
}

fn fixed(id: &str, secs: i32) -> Option<TimeZone> {
    Some(if secs == 0 {
        TimeZone::Utc
    } else {
        TimeZone::Fixed {
            id: Arc::from(id),
            secs,
        }
    })
}

/// `[INVALID_CONF_VALUE.TIME_ZONE]`, as Spark refuses a zone it cannot read.
pub fn invalid_conf(id: &str) -> Error {
    Error::analysis(
        "INVALID_CONF_VALUE.TIME_ZONE",
        format!(
            "The value '{id}' in the config \"{CONF_KEY}\" is invalid. Cannot resolve the given \
             timezone."
        ),
    )
}

/// An offset as `ZoneOffset.of` reads one, after Spark's normalization of
/// `(+|-)h:mm` and `(+|-)hh:m`: `±h`, `±hh`, `±hh:mm`, `±hhmm`, `±hh:mm:ss`,
/// `±hhmmss`, at most 18 hours.
fn offset_secs(s: &str) -> Option<i32> {
    let (sign, r) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if !r.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let num = |t: &str| -> Option<i32> {
        (t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let parts: Vec<&str> = r.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h] if h.len() <= 2 && !h.is_empty() => (h.parse().ok()?, 0, 0),
        [h] if h.len() == 4 => (num(&h[..2])?, num(&h[2..])?, 0),
        [h] if h.len() == 6 => (num(&h[..2])?, num(&h[2..4])?, num(&h[4..])?),
        // Spark's normalization: one-digit hours, one-digit minutes.
        [h, m] if (1..=2).contains(&h.len()) && (1..=2).contains(&m.len()) => {
            (h.parse().ok()?, m.parse().ok()?, 0)
        }
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    if h > 18 || m > 59 || sec > 59 || (h == 18 && (m > 0 || sec > 0)) {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + sec))
}

/// An instant jiff can look an offset up for (it covers years ±9999).
fn clamped(us: i64) -> jiff::Timestamp {
    let lo = jiff::Timestamp::MIN.as_microsecond();
    let hi = jiff::Timestamp::MAX.as_microsecond();
    jiff::Timestamp::from_microsecond(us.clamp(lo, hi)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The civil date-time of a local value; `None` outside jiff's years.
fn civil(local: i64) -> Option<jiff::civil::DateTime> {
    let (days, tod) = split_micros(local);
    let (y, m, d) = civil_from_days(days);
    let secs = tod / MICROS_PER_SECOND;
    let nanos = (tod % MICROS_PER_SECOND) * 1000;
    jiff::civil::DateTime::new(
        i16::try_from(y).ok()?,
        m as i8,
        d as i8,
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        nanos as i32,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar_fns::parse_timestamp;

    fn ts(s: &str) -> i64 {
        parse_timestamp(s).unwrap()
    }

    #[test]
    fn ids_as_spark_reads_them() {
        for ok in [
            "UTC",
            "Z",
            "GMT",
            "America/Los_Angeles",
            "Asia/Kolkata",
            "+08:00",
            "-8",
            "+8:00",
            "+08:3",
            "+0530",
            "UTC+8",
            "GMT-05:00",
            "PST",
            "EST",
            "Etc/GMT+8",
        ] {
            assert!(TimeZone::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "america/los_angeles",
            "Foo/Bar",
            "+19:00",
            "+8:00:00:00",
            "10",
            "PDT",
            "UTC+",
        ] {
            assert!(TimeZone::parse(bad).is_none(), "{bad}");
        }
        assert!(TimeZone::parse("+00:00").unwrap().is_utc());
        assert_eq!(TimeZone::parse("EST").unwrap().offset_at(0), -5 * 3600);
    }

    #[test]
    fn wall_clock_and_back_across_dst() {
        let la = TimeZone::parse("America/Los_Angeles").unwrap();
        // Winter: UTC-8; summer: UTC-7.
        assert_eq!(
            la.to_local(ts("2024-01-15 12:00:00")),
            ts("2024-01-15 04:00:00")
        );
        assert_eq!(
            la.to_local(ts("2024-07-15 12:00:00")),
            ts("2024-07-15 05:00:00")
        );
        // 02:30 on 2024-03-10 does not exist: it is 03:30 PDT.
        assert_eq!(
            la.from_local(ts("2024-03-10 02:30:00")),
            ts("2024-03-10 10:30:00")
        );
        // 01:30 on 2024-11-03 happens twice: the earlier (PDT) is taken,
        // or the later where it is preferred.
        assert_eq!(
            la.from_local(ts("2024-11-03 01:30:00")),
            ts("2024-11-03 08:30:00")
        );
        assert_eq!(
            la.from_local_preferring(ts("2024-11-03 01:30:00"), Some(-8 * 3600)),
            ts("2024-11-03 09:30:00")
        );
        for us in [
            ts("2024-01-15 12:00:00"),
            ts("2024-07-15 12:00:00"),
            i64::MIN / 2,
        ] {
            assert_eq!(la.from_local(la.to_local(us)), us);
        }
    }
}

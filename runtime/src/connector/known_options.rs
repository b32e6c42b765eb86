//! The options each connector knows, by Spark's names, so that a
//! misspelled one (`maxFilesPerTriger`) is not passed over in silence.
//! Spark ignores options it does not know, and so does sqlc — with a
//! warning naming the closest known option. Options sqlc does not act on
//! yet are listed too (they are Spark's, not mistakes).

use std::collections::BTreeSet;
use std::sync::Mutex;

use sqlc_compiler::error::closest;

use crate::source::Options;

const FILE_STREAM: &[&str] = &[
    "path",
    "maxFilesPerTrigger",
    "maxBytesPerTrigger",
    "latestFirst",
    "fileNameOnly",
    "maxFileAge",
    "cleanSource",
    "sourceArchiveDir",
    "pathGlobFilter",
    "recursiveFileLookup",
    "modifiedBefore",
    "modifiedAfter",
    "ignoreCorruptFiles",
    "ignoreMissingFiles",
    "encoding",
    "charset",
    "lineSep",
    "mode",
    "columnNameOfCorruptRecord",
    "multiLine",
    "dateFormat",
    "timestampFormat",
    "timestampNTZFormat",
    "timeZone",
    "locale",
    "samplingRatio",
    "enableDateTimeParsingFallback",
    "compression",
];

const JSON: &[&str] = &[
    "primitivesAsString",
    "prefersDecimal",
    "allowComments",
    "allowUnquotedFieldNames",
    "allowSingleQuotes",
    "allowNumericLeadingZeros",
    "allowBackslashEscapingAnyCharacter",
    "allowUnquotedControlChars",
    "allowNonNumericNumbers",
    "dropFieldIfAllNull",
    "inferTimestamp",
    "useUnsafeRow",
];

const CSV: &[&str] = &[
    "sep",
    "delimiter",
    "header",
    "inferSchema",
    "quote",
    "escape",
    "comment",
    "nullValue",
    "nanValue",
    "positiveInf",
    "negativeInf",
    "emptyValue",
    "ignoreLeadingWhiteSpace",
    "ignoreTrailingWhiteSpace",
    "maxColumns",
    "maxCharsPerColumn",
    "unescapedQuoteHandling",
    "charToEscapeQuoteEscaping",
    "enforceSchema",
    "preferDate",
    "quoteAll",
    "escapeQuotes",
];

const TEXT: &[&str] = &["wholetext"];

const PARQUET: &[&str] = &["mergeSchema", "datetimeRebaseMode", "int96RebaseMode"];

const KAFKA: &[&str] = &[
    "subscribe",
    "subscribePattern",
    "assign",
    "startingOffsets",
    "endingOffsets",
    "startingTimestamp",
    "endingTimestamp",
    "startingOffsetsByTimestamp",
    "endingOffsetsByTimestamp",
    "startingOffsetsByTimestampStrategy",
    "failOnDataLoss",
    "maxOffsetsPerTrigger",
    "minOffsetsPerTrigger",
    "maxTriggerDelay",
    "kafkaConsumer.pollTimeoutMs",
    "fetchOffset.numRetries",
    "fetchOffset.retryIntervalMs",
    "groupIdPrefix",
    "includeHeaders",
    "minPartitions",
    "maxRecordsPerPartition",
    "topic",
];

const RATE: &[&str] = &["rowsPerSecond", "rampUpTime", "numPartitions"];

const RATE_MICRO_BATCH: &[&str] = &[
    "rowsPerBatch",
    "numPartitions",
    "startTimestamp",
    "advanceMillisPerBatch",
];

const SOCKET: &[&str] = &["host", "port", "includeTimestamp"];

/// The options `format` knows (empty for a format sqlc does not know).
fn known(format: &str) -> Vec<&'static str> {
    let lists: &[&[&str]] = match format.to_ascii_lowercase().as_str() {
        "json" => &[FILE_STREAM, JSON],
        "csv" => &[FILE_STREAM, CSV],
        "text" => &[FILE_STREAM, TEXT],
        "parquet" => &[FILE_STREAM, PARQUET],
        "kafka" => &[KAFKA],
        "rate" => &[RATE],
        "rate-micro-batch" => &[RATE_MICRO_BATCH],
        "socket" => &[SOCKET],
        _ => &[],
    };
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// The options in `options` that `format` does not know, each with the
/// closest known option if one is close. Kafka's `kafka.*` options go to
/// the client as they are.
pub fn unknown(format: &str, options: &Options) -> Vec<(String, Option<String>)> {
    let known = known(format);
    if known.is_empty() {
        return vec![];
    }
    options
        .iter()
        .filter(|(k, _)| {
            !known.iter().any(|n| n.eq_ignore_ascii_case(k))
                && !(format.eq_ignore_ascii_case("kafka") && k.starts_with("kafka."))
        })
        .map(|(k, _)| (k.to_string(), closest(k, known.iter().copied(), 1).pop()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Warns (through `log`) of each option `format` does not know, once per
/// process (a script's check pass and run pass both open its sources).
pub fn warn_unknown(format: &str, options: &Options) {
    static WARNED: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    for (key, near) in unknown(format, options) {
        let first = WARNED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((format.to_ascii_lowercase(), key.clone()));
        if !first {
            continue;
        }
        match near {
            Some(n) => log::warn!(
                "the {format} source has no option '{key}' (ignored, as Spark does): did you mean '{n}'?"
            ),
            None => log::warn!("the {format} source has no option '{key}' (ignored, as Spark does)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelled_option_is_named_with_the_closest_known_one() {
        let o = Options::new()
            .with("maxFilesPerTriger", "1")
            .with("MAXFILESPERTRIGGER", "1")
            .with("zzzzzzzzzzzzzzzzzzzz", "1");
        let u = unknown("json", &o);
        assert_eq!(
            u,
            vec![
                (
                    "maxFilesPerTriger".to_string(),
                    Some("maxFilesPerTrigger".to_string())
                ),
                ("zzzzzzzzzzzzzzzzzzzz".to_string(), None),
            ]
        );
        let k = Options::new()
            .with("kafka.bootstrap.servers", "x")
            .with("subscribe", "t");
        assert!(unknown("kafka", &k).is_empty());
    }
}

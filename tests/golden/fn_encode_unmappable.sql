-- error: MALFORMED_CHARACTER_CODING
-- A character the charset cannot hold fails (Spark 4: no replacement).
SELECT encode(concat(gt, 'é'), 'us-ascii') FROM activity

-- error: MALFORMED_RECORD_IN_PARSING
SELECT from_json(j, 'a INT', map('mode', 'FAILFAST')) FROM (SELECT '{"a":"x"}' AS j)

-- error: PARSE_MODE_UNSUPPORTED
SELECT from_json('{"a":1}', 'a INT', map('mode', 'DROPMALFORMED'))

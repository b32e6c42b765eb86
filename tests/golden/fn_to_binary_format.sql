-- error: DATATYPE_MISMATCH
-- to_binary's format must be one of hex, utf-8, utf8, base64.
SELECT to_binary(gt, 'latin1') FROM activity

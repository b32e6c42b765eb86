-- error: MALFORMED_CHARACTER_CODING
-- Bytes that are not UTF-8 fail to decode.
SELECT decode(unhex(concat('FF', hex(Index))), 'utf-8') FROM activity

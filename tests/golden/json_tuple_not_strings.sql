-- error: DATATYPE_MISMATCH.NON_STRING_TYPE
SELECT json_tuple('{"a":1}', 'a', NULL)

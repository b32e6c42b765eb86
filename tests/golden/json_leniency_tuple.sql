-- json_tuple reads JSON as get_json_object does: single quotes and control
-- characters, not NaN (the whole text is malformed then).
SELECT json_tuple('{\'a\':1,"b":"x\ty"}', 'a', 'b')
UNION ALL SELECT json_tuple('{"a":NaN,"b":1}', 'a', 'b')

-- JSON leniency (Spark's JSON options) in the JSON functions: from_json and
-- schema_of_json read single quotes and NaN/Infinity by default and take
-- the allow... options; get_json_object reads single quotes and control
-- characters but not NaN; JSON nests up to 1000 levels.
SELECT to_json(from_json('{\'a\':1.5,"s":\'x"y\'}', 'a DOUBLE, s STRING')) AS sq,
  CAST(from_json('{"a":NaN}', 'a DOUBLE').a AS STRING) AS nan_tok,
  CAST(from_json('{"a":-INF}', 'a DOUBLE').a AS STRING) AS ninf,
  from_json('{"s":+INF}', 's STRING').s AS inf_str,
  from_json('{"s":[1.50,NaN]}', 's STRING').s AS nested_str,
  from_json('{"a":NaN,"b":2}', 'a BIGINT, b INT').b AS nan_bigint,
  from_json('{"a":INF,"b":2}', 'a DOUBLE, b INT').b AS bare_inf,
  from_json('{\'a\':1}', 'a INT', map('allowSingleQuotes', 'false')).a AS sq_off,
  from_json('{"a":"NaN"}', 'a DOUBLE', map('allowNonNumericNumbers', 'false')).a AS nan_str_off,
  from_json('{"a":NaN}', 'a DOUBLE', map('allowNonNumericNumbers', 'false')).a AS nan_off,
  from_json('{a:1}', 'a INT', map('allowUnquotedFieldNames', 'true')).a AS unquoted,
  from_json('{"a":/*c*/1}', 'a INT', map('allowComments', 'true')).a AS comments,
  from_json('{"a":007,"s":007}', 'a INT, s STRING', map('allowNumericLeadingZeros', 'true')).s AS zeros,
  from_json('{"s":"\\q"}', 's STRING', map('allowBackslashEscapingAnyCharacter', 'true')).s AS any_escape,
  from_json('{"s":"\\q"}', 's STRING').s AS any_escape_off,
  from_json('{"s":"x\ty"}', 's STRING', map('allowUnquotedControlChars', 'true')).s AS ctrl,
  get_json_object('{\'a\':[1,2]}', '$.a[1]') AS get_sq,
  get_json_object('{"a":NaN,"b":1}', '$.b') AS get_nan,
  get_json_object('{"a":"x\ty"}', '$.a') AS get_ctrl,
  schema_of_json('{\'a\':NaN,"b":[+INF]}') AS schema_lenient,
  schema_of_json('{a:1}', map('allowUnquotedFieldNames', 'true')) AS schema_unquoted,
  length(get_json_object(concat('{"a":', repeat('[', 999), repeat(']', 999), '}'), '$.a')) AS deep_999,
  length(get_json_object(concat('{"a":', repeat('[', 1000), repeat(']', 1000), '}'), '$.a')) AS deep_1000

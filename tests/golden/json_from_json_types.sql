-- from_json's conversions: numbers into INT/DOUBLE, NaN strings, anything
-- into STRING as JSON text, nested maps, timestamps and dates, and a
-- schema from schema_of_json.
SELECT from_json('{"a":1.5}', 'a INT').a AS f_int,
  from_json('{"a":"1"}', 'a INT').a AS s_int,
  from_json('{"a":1}', 'a DOUBLE').a AS i_dbl,
  CAST(from_json('{"a":"NaN"}', 'a DOUBLE').a AS STRING) AS nan,
  from_json('{"a":true}', 'a STRING').a AS b_str,
  from_json('{"a":[1,{"b":2.50}]}', 'a STRING').a AS arr_str,
  CAST(from_json('{"a":{"b":1}}', 'a MAP<STRING, INT>').a AS STRING) AS nested_map,
  from_json('{"t":"2024-01-02T03:04:05","d":"2024-01-02"}', 't TIMESTAMP, d DATE').t AS t,
  from_json('{"t":"2024-01-02T03:04:05","d":"2024-01-02"}', 't TIMESTAMP, d DATE').d AS d,
  from_json('{"a":1,"b":[2]}', schema_of_json('{"a":1,"b":[2]}')).b[0] AS inferred,
  from_json('{"a":1}', 'a INT', map('mode', 'PERMISSIVE')).a AS permissive

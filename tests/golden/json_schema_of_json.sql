-- schema_of_json: Spark's inference (sorted fields, wider element types,
-- nulls and empty arrays as STRING, empty objects dropped, big integers).
SELECT schema_of_json('{"a":1,"b":[1.5,2],"c":{"d":"x"},"e":null,"f":[],"g":true,"h":[{"x":1},{"y":"s"}],"i":1e300,"j":12345678901234567890}') AS s1,
  schema_of_json('{"z":"2024-01-01","b":1.0,"c":[null],"d":[1,"x"],"e":[1,1.5],"f":{},"a b":1}') AS s2,
  schema_of_json('[1,2]') AS s3, schema_of_json('1') AS s4, schema_of_json('"x"') AS s5,
  schema_of_json('{}') AS s6

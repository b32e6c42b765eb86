-- str_to_map with its default and given delimiters (regexes), a pair
-- without a value, the empty string and NULL.
SELECT CAST(str_to_map(t) AS STRING) AS d, CAST(str_to_map(t, ';', '=') AS STRING) AS g,
  CAST(str_to_map(t, '[,;]', '[:=]') AS STRING) AS r
FROM (SELECT 'a:1,b:2' AS t UNION ALL SELECT 'a=1;b' UNION ALL SELECT '' UNION ALL SELECT NULL
      UNION ALL SELECT 'é:ü;x=y')
ORDER BY t

-- `div` of literals of every kind: tinyint, smallint, strings, NULLs,
-- decimals (and their 64-bit wrap), and the minimum BIGINT.
SELECT 5 div 2 AS a, -5 div 2 AS b, 5 div -2 AS c, typeof(5 div 2) AS t,
       7Y div 2Y AS ty, typeof(7Y div 2Y) AS tty, 7S div 2 AS sy,
       '7' div 2 AS s, NULL div 2 AS n1, 5 div NULL AS n2, NULL div 0 AS n3,
       typeof(NULL div NULL) AS tn,
       7.5BD div 2.5BD AS d1, -7.5BD div 2 AS d2, typeof(7.5BD div 2) AS td,
       1E20BD div 1 AS wrap1, 99999999999999999999BD div 1 AS wrap2,
       -9223372036854775808L div 3 AS m

-- decode(expr, search, result, ..., default): CASE over null-safe equality.
SELECT Index, Device,
       decode(gt, 'sit', 1, 'stand', 2, 'walk', 3, 0) AS code, decode(gt, 'sit', 'S') AS only_sit,
       decode(NULL, NULL, 'null matched', 'no') AS nn, decode(Index % 3, 0, 'zero', 1, 'one') AS m3
FROM activity WHERE Index % 997 = 0

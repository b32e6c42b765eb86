-- bit_and / bit_or / bit_xor of bigint and int columns by group; a group
-- whose values are all null gives null.
SELECT gt, bit_and(Index) AS a, bit_or(Index) AS o, bit_xor(Index) AS x,
  bit_xor(Arrival_Time) AS xa, bit_and(CAST(Index AS INT) + 1024) AS ai,
  bit_or(CASE WHEN gt = 'bike' THEN Index END) AS only_bike
FROM activity GROUP BY gt

-- extract(FIELD FROM x) keeps its name as Spark prints it.
SELECT extract(SECOND FROM t), extract(MINUTE FROM t), extract(HOUR FROM t), extract(YEAR FROM t),
       extract(DAY FROM t), extract(DOW FROM t), date_part('SECOND', t), extract(SECOND FROM i), extract(HOUR FROM i)
FROM VALUES (TIMESTAMP '2024-01-02 03:04:05.123', INTERVAL '1 02:03:04.5' DAY TO SECOND) AS x(t, i)

-- A correlated subquery over interval and TIMESTAMP_NTZ columns, planned per
-- distinct outer value (an OR), whose NULL outer value must match NULL.
SELECT CAST(a AS STRING) AS a, CAST(ts AS STRING) AS ts,
       (SELECT count(*) FROM VALUES (INTERVAL '1' DAY), (INTERVAL '2' DAY), (CAST(NULL AS INTERVAL DAY)) AS u(b)
         WHERE u.b = t.a OR u.b IS NULL AND t.a IS NULL) AS n,
       EXISTS (SELECT 1 FROM VALUES (TIMESTAMP_NTZ '2024-01-01 00:00:00'), (CAST(NULL AS TIMESTAMP_NTZ)) AS v(c)
         WHERE v.c = t.ts OR v.c IS NULL AND t.ts IS NULL) AS e
FROM VALUES (INTERVAL '1' DAY, TIMESTAMP_NTZ '2024-01-01 00:00:00'),
            (CAST(NULL AS INTERVAL DAY), CAST(NULL AS TIMESTAMP_NTZ)),
            (INTERVAL '3' DAY, TIMESTAMP_NTZ '2024-01-02 00:00:00') AS t(a, ts)
ORDER BY n, e, a

-- sum/avg(DISTINCT) of decimal values: duplicates counted once, NULLs skipped.
SELECT sum(DISTINCT a) AS s, avg(DISTINCT a) AS av, typeof(sum(DISTINCT a)) AS ts,
       typeof(avg(DISTINCT a)) AS ta, sum(DISTINCT b) AS sb, avg(DISTINCT b) AS ab
FROM VALUES (1.5BD, CAST(NULL AS DECIMAL(38, 0))), (1.5BD, NULL), (2.0BD, NULL),
            (NULL, NULL), (-0.5BD, NULL) AS t(a, b)

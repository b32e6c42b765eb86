-- OFFSET with and without LIMIT.
SELECT a, (SELECT count(*) FROM (SELECT * FROM VALUES (1), (2), (3), (4) AS u(b) ORDER BY b OFFSET 2)) AS rest
FROM (SELECT * FROM VALUES (5), (1), (4), (2), (3) AS t(a) ORDER BY a LIMIT 2 OFFSET 1)

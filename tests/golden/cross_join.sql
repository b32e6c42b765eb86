-- CROSS JOIN and a comma-separated FROM list: every pair of rows.
SELECT a, b, c FROM VALUES (1), (2) AS t(a) CROSS JOIN VALUES ('x'), ('y') AS s(b), VALUES (true) AS u(c)

-- EXISTS and IN under OR and inside CASE in WHERE.
SELECT a, c FROM VALUES (1, 'x'), (2, 'y'), (3, 'z'), (4, 'w'), (NULL, 'v') AS t(a, c)
WHERE EXISTS (SELECT 1 FROM VALUES (1) AS u(b) WHERE u.b = t.a)
   OR a IN (SELECT b + 1 FROM VALUES (2), (9) AS u(b) WHERE u.b = t.a - 1)
   OR CASE WHEN c NOT IN (SELECT s FROM VALUES ('x'), ('y'), ('w') AS v(s)) THEN true ELSE false END

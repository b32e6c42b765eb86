-- explode_outer keeps a row of nulls for a null or empty array.
SELECT id, explode_outer(split(s, ',')) AS v
FROM VALUES (1, 'a,b'), (2, NULL), (3, '') AS t(id, s)

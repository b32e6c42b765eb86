-- INTERSECT ALL: a row as often as both sides have it; nulls match.
SELECT * FROM VALUES (1), (1), (2), (NULL), (NULL) AS t(a)
INTERSECT ALL
SELECT * FROM VALUES (1), (1), (1), (NULL) AS s(a)

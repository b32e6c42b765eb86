-- EXCEPT ALL: each row as many more times as the left has it.
SELECT a, b FROM VALUES (1, 'p'), (1, 'p'), (1, 'p'), (2, 'q'), (NULL, 'r') AS t(a, b)
EXCEPT ALL
SELECT a, b FROM VALUES (1, 'p'), (2, 'q'), (NULL, 'r'), (3, 's') AS s(a, b)

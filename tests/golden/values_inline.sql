SELECT * FROM VALUES (1, 'a', 2.5D), (2, NULL, -1.0D), (3, 'c', NULL) AS t(id, name, score)

-- Array functions over literal arrays.
SELECT split('a,b,,', ',') AS s, split('abc', '') AS chars, split('a1b2c', '[0-9]', 2) AS lim,
  size(split('a b', ' ')) AS n, array(1, 2, NULL) AS a, array(1, 2)[1] AS sub,
  element_at(array(1, 2, 3), -1) AS last, get(array(1, 2), 5) AS oob,
  array_contains(array(1, NULL), 2) AS c_null, array_contains(array(1, 2), 2) AS c,
  array_position(array(3, 2, 1), 1) AS pos, array_join(array('a', NULL, 'b'), '-', 'N') AS j,
  sort_array(array(3, NULL, 1)) AS asc_, sort_array(array(3, NULL, 1), false) AS desc_,
  array_distinct(array(1, 1, NULL, 2, NULL)) AS d, array_max(array(1, NULL, 3)) AS mx,
  slice(array(1, 2, 3, 4), -2, 5) AS sl, sequence(1, 10, 3) AS sq, array_repeat('x', 3) AS rep,
  array_remove(array(1, 2, 1, NULL), 1) AS rm, CAST(array(1, NULL) AS STRING) AS str

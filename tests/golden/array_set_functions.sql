-- Set operations on arrays and reshaping: distinct elements in order of
-- first appearance, one null kept; arrays_overlap is three-valued.
SELECT array_union(array(1, 2, 2, NULL), array(3, NULL, 1)) AS u,
       array_intersect(array(1, 2, 2, NULL), array(2, NULL, 5)) AS i,
       array_except(array(1, 2, 2, NULL, 4), array(2)) AS e,
       arrays_overlap(array(1, 2), array(3, 2)) AS o1,
       arrays_overlap(array(1, NULL), array(3)) AS o2,
       arrays_overlap(array(1), array(3)) AS o3,
       flatten(array(array(1, 2), array(3), array())) AS f,
       array_compact(array(1, NULL, 2, NULL)) AS c,
       array_append(array(1, 2), 3) AS ap, array_prepend(array(1, 2), 0) AS pp,
       array_sort(array(3, NULL, 1, 2)) AS s,
       array_union(array(1), array(CAST('2.5' AS DOUBLE))) AS widened

-- HAVING with no aggregate: one group, one row.
SELECT 1 AS one FROM activity HAVING true

-- Correlated subqueries over the activity data: per (User, gt) pair the
-- rows above 4.5 in x (0 where there are none), pairs that have a
-- `bike` row for their user, and those without a row past x = 9.
SELECT User, gt,
       (SELECT count(*) FROM activity b WHERE b.User = a.User AND b.gt <=> a.gt AND b.x > 4.5) AS high,
       (SELECT max(b.Index) FROM activity b WHERE b.User = a.User AND b.gt = a.gt) AS last_index
FROM (SELECT DISTINCT User, gt FROM activity) a
WHERE EXISTS (SELECT 1 FROM activity c WHERE c.User = a.User AND c.gt = 'bike')
  AND NOT EXISTS (SELECT 1 FROM activity d WHERE d.User = a.User AND d.gt <=> a.gt AND d.x > 9)

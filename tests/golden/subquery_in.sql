-- IN (subquery): the rows whose value the subquery holds.
SELECT User, gt, count(*) AS n FROM activity
WHERE User IN (SELECT User FROM activity WHERE gt = 'bike' AND x > 4.5)
GROUP BY User, gt

-- An inline lookup table joined to the activity data.
SELECT a.gt, l.label, count(*) AS n
FROM activity a JOIN VALUES ('sit', 'resting'), ('stand', 'resting'), ('walk', 'moving') AS l(gt, label) ON a.gt = l.gt
GROUP BY a.gt, l.label

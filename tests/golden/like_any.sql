SELECT gt, gt LIKE ANY ('%up', 'sit%') AS any_, gt NOT LIKE ANY ('%up', 'sit%') AS not_any
FROM activity GROUP BY gt

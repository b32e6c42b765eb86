SELECT count(DISTINCT Device) AS devices, count(DISTINCT gt) AS gts, sum(DISTINCT Index % 100) AS s, count(DISTINCT x > 0) AS signs, count(*) AS n FROM activity

-- A FLOAT column computed from the table: filtered, projected, printed as
-- Java prints floats, grouped and aggregated (sum/avg as DOUBLE, min/max/
-- first keep FLOAT), with NULLs.
SELECT gt, count(f) AS c, sum(f) AS s, avg(f) AS a, min(f) AS mn, max(f) AS mx,
       typeof(sum(f)) AS ts, typeof(avg(f)) AS ta, typeof(min(f)) AS tmn, typeof(max(f)) AS tmx,
       count(DISTINCT f) AS cd
FROM (SELECT gt, CASE WHEN Index % 5 = 0 THEN NULL ELSE CAST(round(x, 2) AS FLOAT) END AS f
      FROM activity)
GROUP BY gt

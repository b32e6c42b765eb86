-- FLOAT, interval and TIMESTAMP_NTZ grouping keys and aggregate arguments
-- in compiled aggregate kernels (min/max/sum/avg/first, DISTINCT,
-- variance, corr, max_by); year-month answers printed as strings (PySpark
-- cannot collect them).
SELECT f, i, count(*) AS n, min(fx) AS mn, max(fx) AS mx, sum(fx) AS s, avg(fx) AS a,
       count(DISTINCT fx) AS nd, var_pop(fx) AS v, corr(fx, CAST(Index AS FLOAT)) AS c,
       max(ntz) AS last_t, min(ntz) AS first_t, max_by(Index, ntz) AS latest,
       sum(dh) AS dh_sum, avg(dh) AS dh_avg, max(dh) AS dh_max, CAST(sum(ym) AS STRING) AS ym_sum,
       CAST(min(ym) AS STRING) AS ym_min, CAST(avg(ym) AS STRING) AS ym_avg, min_by(fx, INTERVAL '1' SECOND * Index) AS fx_at_min_i
FROM (SELECT Index, CAST(Index % 3 AS FLOAT) * 0.5F AS f, INTERVAL '1' HOUR * (Index % 2) AS i,
             CAST(round(x, 1) AS FLOAT) AS fx,
             TIMESTAMP_NTZ '2024-01-01 00:00:00' + INTERVAL '1' MINUTE * Index AS ntz,
             INTERVAL '1' SECOND * (Index % 1000) AS dh,
             INTERVAL '1' MONTH * (Index % 13) AS ym
      FROM activity)
GROUP BY f, i
ORDER BY f, i

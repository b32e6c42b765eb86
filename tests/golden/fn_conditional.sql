-- Conditional and null functions: if, nvl2, nullif, nanvl, greatest, least, isnan, typeof.
SELECT Index, Device, gt,
       if(x > 0, 'pos', 'neg') AS sgn, if(gt IS NULL, 'none', gt) AS g, nvl2(gt, 1, 0) AS has_gt,
       nullif(Model, 'nexus4') AS not_nexus, nanvl(CAST('NaN' AS DOUBLE), x) AS nv, isnan(CAST('NaN' AS DOUBLE) + x) AS nan0,
       greatest(x, y, z) AS gr, least(x, y, z) AS le, greatest(Index, NULL, 5) AS gr_null, least(gt, Model) AS le_str,
       greatest(CAST('NaN' AS DOUBLE), 1.0) AS gr_nan, typeof(Index) AS t1, typeof(gt) AS t2, typeof(x > 1) AS t3
FROM activity WHERE Index % 997 = 0

SELECT Index, (x > 0 AND gt IS NULL) AS a, (gt = 'sit' AND x > 0) AS sa, (gt = 'sit' OR x > 0) AS so, NOT (y < 0) AS n, gt = 'sit' AS eq, gt <=> 'sit' AS ns FROM activity WHERE Index % 71 = 0

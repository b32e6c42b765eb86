SELECT Index, x * x + y * y + z * z AS m, Index % 7 AS r, -Index AS neg, Index / 4 AS q, CASE WHEN x > 0 THEN 'pos' WHEN x < 0 THEN 'neg' ELSE 'zero' END AS sign FROM activity WHERE Index % 97 = 0

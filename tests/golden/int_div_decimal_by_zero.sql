-- error: DIVIDE_BY_ZERO
SELECT CAST(Index AS DECIMAL(10, 2)) div 0 FROM activity

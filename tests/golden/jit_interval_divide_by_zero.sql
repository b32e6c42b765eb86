-- error: INTERVAL_DIVIDED_BY_ZERO
SELECT INTERVAL '1' DAY / (Index - Index) AS q FROM activity WHERE Index < 3

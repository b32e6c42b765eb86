SELECT 'exists' AS k, count(*) AS n FROM activity WHERE EXISTS (SELECT 1 FROM activity WHERE gt = 'bike')
UNION ALL
SELECT 'not exists', count(*) FROM activity WHERE NOT EXISTS (SELECT 1 FROM activity WHERE gt = 'fly')

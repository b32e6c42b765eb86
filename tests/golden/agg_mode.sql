-- mode: the most frequent non-null value.
SELECT gt, mode(Model) AS m, mode(Index % 7) AS r7, mode(CASE WHEN gt = 'sit' THEN User END) AS sit_user
FROM activity GROUP BY gt

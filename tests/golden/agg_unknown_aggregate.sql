-- error: UNRESOLVED_ROUTINE
SELECT gt, percentil(x, 0.5) FROM activity GROUP BY gt

-- error: UNRESOLVED_ROUTINE
SELECT date_fromat(gt, 'yyyy') FROM activity

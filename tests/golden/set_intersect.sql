-- INTERSECT: the distinct users seen both sitting and biking.
SELECT User FROM activity WHERE gt = 'sit' INTERSECT SELECT User FROM activity WHERE gt = 'bike'

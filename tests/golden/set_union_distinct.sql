-- UNION (distinct): each (Model, gt) pair once, nulls included.
SELECT Model, gt FROM activity WHERE x > 5 UNION SELECT Model, gt FROM activity WHERE z > 9

-- EXCEPT (and MINUS): distinct (Model, gt) pairs with x > 9 that never have z > 9.
SELECT Model, gt FROM activity WHERE x > 9 EXCEPT SELECT Model, gt FROM activity WHERE z > 9

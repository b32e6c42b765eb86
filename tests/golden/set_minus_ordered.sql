-- MINUS is EXCEPT; ORDER BY applies to the result of the set operation.
SELECT gt FROM activity MINUS SELECT gt FROM activity WHERE gt LIKE 's%' ORDER BY gt

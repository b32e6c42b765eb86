-- count_if, bool_and/every, bool_or/some/any over boolean conditions.
SELECT gt, count_if(x > 0) AS c, bool_and(x > -20) AS ba, every(x > 0) AS e,
       bool_or(x > 4) AS bo, some(y > 100) AS s, any(z < 0) AS a
FROM activity GROUP BY gt

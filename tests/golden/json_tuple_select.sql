-- json_tuple in the SELECT list, over the table's columns made JSON.
SELECT c0, c1, count(*) AS n
FROM (SELECT json_tuple(to_json(named_struct('gt', gt, 'model', Model)), 'gt', 'model', 'missing') FROM activity)
GROUP BY c0, c1, c2

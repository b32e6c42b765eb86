-- Maps made from the table's columns, read back by key and size.
SELECT m['model'] AS model, m['user'] AS user_, size(m) AS n, count(*) AS rows_
FROM (SELECT map('model', Model, 'user', User) AS m FROM activity)
GROUP BY m['model'], m['user'], size(m)

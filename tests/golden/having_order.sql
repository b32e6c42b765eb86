SELECT User, count(*) AS n FROM activity GROUP BY User HAVING count(*) > 100 ORDER BY n DESC, User

-- stream: complete
-- Exploding a map of columns on a stream.
SELECT key, value, count(*) AS n
FROM (SELECT explode(map('gt', gt, 'model', Model)) FROM activity)
GROUP BY key, value

-- stream: complete
-- The word count's shape on the stream: split, explode, count.
SELECT part, count(*) AS n
FROM (SELECT explode(split(Device, '_')) AS part FROM activity)
GROUP BY part

-- explode beside other columns, then aggregated.
SELECT Model, part, count(*) AS n
FROM (SELECT Model, explode(split(Device, '_')) AS part FROM activity WHERE Index < 500)
GROUP BY Model, part

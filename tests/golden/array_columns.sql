-- Arrays made from columns, read back by index and size.
SELECT gt, size(parts) AS n, parts[0] AS first, element_at(parts, -1) AS last, count(*) AS rows_
FROM (SELECT gt, split(Device, '_') AS parts FROM activity)
GROUP BY gt, size(parts), parts[0], element_at(parts, -1)

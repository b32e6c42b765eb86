-- Array set functions over columns, aggregated.
SELECT Model, size(array_union(split(Device, '_'), array(gt))) AS n,
       array_join(array_intersect(split(Device, '_'), array(Model, 'x')), ',') AS common, count(*) AS rows_
FROM activity WHERE Index < 3000
GROUP BY Model, size(array_union(split(Device, '_'), array(gt))), array_join(array_intersect(split(Device, '_'), array(Model, 'x')), ',')

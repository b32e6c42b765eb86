-- stream: complete
-- collect_list, approx_count_distinct and percentile_approx in a streaming
-- aggregation: the state keeps lists and sketches between micro-batches
-- (the answer does not depend on how the files are split into batches).
SELECT gt, size(collect_list(Index)) AS n, sort_array(collect_set(User)) AS users,
  approx_count_distinct(Device) AS devices, percentile_approx(x, array(0.25, 0.5)) AS px,
  max_by(Device, Index) AS last_device, median(Index) AS mi
FROM activity GROUP BY gt

-- collect_set and collect_list (sorted, as their order follows the input
-- partitions), nulls skipped.
SELECT gt, sort_array(collect_set(User)) AS users, size(collect_list(Device)) AS n,
  sort_array(collect_list(CASE WHEN Index < 300 THEN Index END)) AS first_rows,
  sort_array(collect_set(Model)) AS models, size(array_agg(x)) AS nx
FROM activity GROUP BY gt

-- max_by / min_by: the value at the largest / smallest ordering (Index is
-- unique); a null ordering is skipped, a null value is kept.
SELECT gt, max_by(Device, Index) AS d_max, min_by(Device, Index) AS d_min,
  max_by(x, Index) AS x_max, min_by(Arrival_Time, Index) AS a_min,
  max_by(CASE WHEN Index % 2 = 0 THEN User END, Index) AS maybe_null,
  min_by(User, CASE WHEN Index % 3 = 0 THEN Index END) AS every_third
FROM activity GROUP BY gt

-- arrays_zip: arrays of different lengths side by side (nulls past the shorter's end), fields named after columns or by position, a null array.
SELECT Index, Device,
       to_json(arrays_zip(split(Device, '_'), array(Index, Index + 1, Index + 2))) AS z1,
       to_json(arrays_zip(arr, array('a'))) AS z_named,
       to_json(arrays_zip(array(1, 2), CAST(NULL AS ARRAY<INT>))) AS z_null,
       size(arrays_zip(split(gt, 's'), split(Model, 's'))) AS z_size,
       to_json(arrays_zip()) AS z_none
FROM (SELECT *, array(x, y) AS arr FROM activity) WHERE Index % 1999 = 0

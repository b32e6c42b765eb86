-- Partition functions over the 8 files of `activity`, per file. Spark packs the files into 2 partitions where sqlc reads each file as one, so the ids, partition ids and random numbers themselves depend on the partitioning; what holds either way is checked: ids unique and consecutive in line order within a file, the partition id in the ids' upper 31 bits, each file named by its URI, its block the whole file.
SELECT regexp_extract(f, 'part-[0-9]+-activity[.]json$', 0) AS file, f LIKE 'file:///%/activity_rows_20000_files_8_seed_7/part-%' AS uri_ok,
       count(*) AS rows_, count(DISTINCT id) AS ids, count(DISTINCT id - Index) AS offsets, min(shiftright(id, 33) = p) AS id_has_partition,
       min(p BETWEEN 0 AND 7) AS p_in_range, count(DISTINCT p) AS partitions, min(r >= 0 AND r < 1) AS r_in_range,
       count(DISTINCT r) AS distinct_r, max(bs) AS bs, max(bl) AS bl, abs(avg(g)) < 0.1 AS g_centered
FROM (SELECT Index, monotonically_increasing_id() AS id, spark_partition_id() AS p, input_file_name() AS f, rand(11) AS r, randn(11) AS g,
             input_file_block_start() AS bs, input_file_block_length() AS bl FROM activity)
GROUP BY 1, 2

-- Hash functions: digests, crc32, and Spark's Murmur3 hash() and xxhash64(), bit for bit.
SELECT Index, Device, gt,
       md5(gt) AS m, sha1(Model) AS s1, sha2(User, 256) AS s256, sha2(User, 384) AS s384, sha2(User, 1) AS s_bad,
       crc32(Device) AS crc,
       hash(gt) AS h_gt, hash(Index) AS h_idx, hash(x) AS h_x, hash(gt, Model, Index) AS h_multi, hash(NULL) AS h_null,
       hash(Index % 3 = 0) AS h_bool, hash(CAST(Index AS INT)) AS h_int, hash(-0.0) AS h_negzero, hash('') AS h_empty,
       xxhash64(gt) AS xx_gt, xxhash64(Index) AS xx_idx, xxhash64(x, y) AS xx_xy, xxhash64('abcdefghijklmnopqrstuvwxyz0123456789') AS xx_long
FROM activity WHERE Index % 2999 = 0

-- The cast-named functions (int(x), string(x), ...: Spark's castAlias) over columns, NULLs and literals.
SELECT Index, Device,
       int(x) AS ix, bigint(Creation_Time) AS bc, double(Index) AS di, string(x) AS sx, string(gt) AS sg,
       boolean(Index % 2) AS bo, tinyint(Index % 100) AS ti, smallint(Index % 1000) AS si, float(Index) AS fl,
       decimal(x) AS dx, decimal('12.5') AS dlit, date('2020-02-29') AS d, timestamp('2020-01-01 12:34:56') AS ts,
       hex(binary(gt)) AS bin, int(NULL) AS inull, string('') AS sempty, int('  42 ') AS itrim,
       bigint('9223372036854775807') AS bmax, double('-Infinity') AS dinf, string('héllo ☃') AS uni,
       typeof(int('1')) AS t1, typeof(decimal(1)) AS t2
FROM activity WHERE Index % 1999 = 0

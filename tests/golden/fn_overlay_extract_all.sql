-- overlay (SQL and function form) and regexp_extract_all: columns, NULLs, unicode, positions past the end.
SELECT Index, Device,
       overlay(gt PLACING '_' FROM 2) AS o1, overlay(Device PLACING 'XY' FROM 3 FOR 4) AS o2, overlay(Model PLACING 'ANSI ' FROM 2 FOR 0) AS o3,
       overlay(gt, '!', 100) AS opast, overlay('héllo' PLACING 'É' FROM 2 FOR 1) AS ouni, overlay(gt PLACING NULL FROM 1) AS onull,
       overlay('Spark SQL' PLACING '_' FROM -2) AS oneg, overlay('Spark' PLACING 'xy' FROM 1 FOR -1) AS olen,
       regexp_extract_all(Device, '([a-z]+)([0-9]*)', 1) AS ea1, regexp_extract_all(Device, '([a-z]+)([0-9]*)', 2) AS ea2,
       regexp_extract_all(gt, 's(t)?', 1) AS eopt, regexp_extract_all(Model, '[0-9]', 0) AS ea0, regexp_extract_all(gt, 'zzz', 0) AS enone,
       regexp_extract_all('100-200, 300-400', '(\\d+)-(\\d+)') AS edflt, regexp_extract_all(NULL, 'a', 0) AS enull,
       size(regexp_extract_all('', 'x*', 0)) AS eempty
FROM activity WHERE Index % 1999 = 0

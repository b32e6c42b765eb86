-- Spark's literal suffixes, after an exponent too (`1E2BD` is a decimal
-- 100, not `1E2 AS BD`): their values, types and names.
SELECT 1E2BD, typeof(1E2BD) AS t1, 1.5E2BD, typeof(1.5E2BD) AS t2, 1E-2BD,
       typeof(1E-2BD) AS t3, 1E2D, typeof(1E2D) AS t4, -1E2BD, 1BD, 1L, 1D,
       typeof(1BD) AS t5, typeof(1L) AS t6, typeof(1D) AS t7

-- FLOAT literals (`1.1F`): their type, names and text as Java's
-- Float.toString prints them (not the double they widen to), and their
-- exact doubles.
SELECT 1.1F, typeof(1.1F) AS t, CAST(1.1F AS STRING) AS s, CAST(1.1F AS DOUBLE) AS d,
       1e20F, 1.0E-5F, 0.001F, 123456.7F, 12345678.0F, 1.0E7F, 9999999.0F, -0.0F, 100F,
       3.14159265F, 1E-46F AS tiny, CAST(1e10F AS STRING) AS s10, CAST(1.0E-4F AS STRING) AS s4

-- FLOAT arithmetic stays FLOAT (`+ - * %`, negation, abs); `/` and any
-- other number beside a FLOAT make a DOUBLE, as Spark's ANSI rules do.
SELECT 1.1F + 2.2F AS a, typeof(1.1F + 2.2F) AS ta, 0.1F + 0.2F AS b, 1.1F * 1.1F AS c,
       1.1F * 3 AS d, typeof(1.1F * 3) AS td, 1.0F / 3.0F AS e, typeof(1.0F / 3.0F) AS te,
       10F % 3F AS f, -1.5F % 1F AS g, typeof(10F % 3F) AS tg, -(1.5F) AS h, abs(-1.5F) AS i,
       typeof(abs(-1.5F)) AS ti, 1.0F + 1L AS j, typeof(1.0F + 1L) AS tj,
       typeof(1.0F + 1.5BD) AS tk, typeof(1.0F + 1D) AS tl

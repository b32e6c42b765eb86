-- format_string/printf: Java's String.format over Spark's values, NULLs, unicode, widths and flags.
SELECT Index, Device,
       format_string('%d|%5d|%-5d|%05d|%,d|%+d|%(d', Index, Index, Index, Index, Index * 1000, Index, -Index) AS ints,
       format_string('%s-%s-%s', gt, Model, User) AS strs, printf('%10s|%-10s|%.3s', gt, Device, Model) AS widths,
       format_string('%.2f|%10.4f|%e|%.3E|%g', x, y, z, x, y) AS dbls, format_string('%s %s', x, Index) AS dflt,
       format_string('%x %X %o %#x', Index, CAST(Index AS BIGINT), Index, Index) AS bases, format_string('%x', -Index - 1) AS hneg,
       format_string('%s', NULL) AS snull, format_string('%b %b %b', true, NULL, Index) AS bools, format_string(NULL, Index) AS fnull,
       format_string('%2$s %1$s', gt, Index) AS idx, format_string('100%% of %s', gt) AS pct, format_string('héllo %s ☃', gt) AS uni,
       format_string('%c%c', 72, 105) AS chars, format_string('') AS empty, format_string('%S', gt) AS upper,
       format_string('%.2f %.0f %.1f', 1.005D, 2.5D, 0.05D) AS halfup, format_string('%s %s', CAST('1e20' AS DOUBLE), 0.1D) AS javadbl,
       format_string('%08.3f|%,.2f', -3.5D, 1234567.891D) AS flags, format_string('%f', CAST('NaN' AS DOUBLE)) AS nan,
       format_string('%s', 1.50) AS dec, format_string('%g %g %G', 0.0001D, 123.456D, CAST('1e-5' AS DOUBLE)) AS gen
FROM activity WHERE Index % 1999 = 0

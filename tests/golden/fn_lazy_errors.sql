-- A function that can fail runs only on the rows Spark evaluates it on: a CASE branch not taken, a coalesce argument after a non-null one.
SELECT Index, Device,
       CASE WHEN Index > 0 THEN pmod(1, Index) ELSE -1 END AS p,
       coalesce(Device, hex(to_binary(gt, 'hex'))) AS c,
       CASE WHEN Index < 0 THEN conv(concat('18446744073709551616', Index), 10, 16) ELSE 'ok' END AS cv,
       CASE WHEN Index = 0 THEN 0 ELSE mod(7, Index) END AS m
FROM activity WHERE Index % 1999 = 0

-- A string beside a number is read as that kind of number: 1 + '2' is a
-- bigint, 1.5 * '2' a double.
SELECT Index + '2' AS i, typeof(Index + '2') AS ti, x * '2' AS d, typeof(x * '2') AS td
FROM activity WHERE Index < 3

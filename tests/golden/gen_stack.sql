-- stack(n, …): n rows; a missing value is null.
SELECT stack(3, 'a', 1, 'b', 2, 'c')

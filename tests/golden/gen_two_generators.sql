-- Spark 4 allows several generators in one SELECT: every row of the
-- first's output meets every row of the next's.
SELECT explode(array(1, 2)) AS a, 'x' AS x, explode(array('p', 'q')) AS b

-- error: INVALID_PARAMETER_VALUE
-- encode takes Spark 4's character sets only.
SELECT encode(gt, 'klingon') FROM activity

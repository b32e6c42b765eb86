-- error: UNSUPPORTED_GENERATOR
SELECT count(explode(split(gt, 't'))) FROM activity

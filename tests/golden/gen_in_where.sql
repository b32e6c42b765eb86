-- error: UNSUPPORTED_GENERATOR
SELECT gt FROM activity WHERE explode(array(true))

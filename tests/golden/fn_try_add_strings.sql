-- error: DATATYPE_MISMATCH
-- try_add takes the types + takes: not two strings.
SELECT try_add(gt, Device) FROM activity

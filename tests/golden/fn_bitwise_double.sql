-- error: DATATYPE_MISMATCH
-- The bitwise operators take integers only.
SELECT x & 1 FROM activity

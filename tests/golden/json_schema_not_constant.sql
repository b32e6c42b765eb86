-- error: DATATYPE_MISMATCH.NON_FOLDABLE_INPUT
SELECT schema_of_json(gt) FROM activity

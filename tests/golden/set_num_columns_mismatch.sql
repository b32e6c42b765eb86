-- error: NUM_COLUMNS_MISMATCH
SELECT gt, Model FROM activity UNION SELECT gt FROM activity

-- error: ORDER_BY_POS_OUT_OF_RANGE
SELECT gt, Model FROM activity ORDER BY -1

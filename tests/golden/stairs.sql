SELECT gt, model, arrival_time, creation_time FROM activity WHERE gt LIKE '%stairs%' AND gt IS NOT NULL

-- error: UNSUPPORTED_GENERATOR
SELECT explode(split(gt, 't')) || 'x' FROM activity

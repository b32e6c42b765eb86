-- error: INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX
-- The group index must be within the pattern's groups (1 by default).
SELECT regexp_extract_all(gt, 's', 1) FROM activity

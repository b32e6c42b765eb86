-- Regular-expression functions (Java syntax, patterns as literals).
SELECT Index, Device, gt, Model,
       regexp_extract(Model, '([a-z]+)([0-9]*)', 1) AS re1, regexp_extract(Model, '([a-z]+)([0-9]*)', 2) AS re2,
       regexp_extract(gt, 'z+', 0) AS re_none, regexp_replace(gt, '[aeiou]', '_') AS rr,
       regexp_replace(Model, '([a-z]+)([0-9]+)', '$2-$1') AS rr_groups, regexp_replace(gt, 's', 'S', 3) AS rr_pos,
       regexp_count(gt, 's') AS rc, regexp_substr(gt, 'st[a-z]+') AS rs, regexp_instr(Model, '[0-9]') AS ri,
       regexp_like(gt, '^s') AS rl, gt RLIKE 'walk$' AS rlike
FROM activity WHERE Index % 997 = 0

-- String functions over columns, including null gt.
SELECT Index, Device, gt, Model,
       concat_ws('/', gt, Model, User) AS path, lpad(gt, 10, '.') AS lp, rpad(Model, 8, '#') AS rp,
       instr(gt, 'a') AS ins, reverse(gt) AS rev, initcap(gt) AS ic, replace(gt, 'stairs', 'STAIRS') AS rep,
       split_part(gt, 'stair', 1) AS sp, substring_index(Model, 's', 1) AS si, left(User, 1) AS l1,
       startswith(gt, 'stairs') AS sw, contains(Model, 'nexus') AS cn, translate(Device, 'aeiou', 'AEI') AS tr,
       levenshtein(gt, Model) AS lev, soundex(gt) AS sx, ascii(User) AS asc
FROM activity WHERE Index % 997 = 0

-- posexplode: pos and col, a row per element; the outer form keeps
-- a row of nulls for a null or empty array.
SELECT id, posexplode(split(s, ',')) FROM VALUES (1, 'a,b,c'), (2, 'x') AS t(id, s)

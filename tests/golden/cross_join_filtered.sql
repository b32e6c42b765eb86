-- A comma join with the join condition in WHERE.
SELECT t.gt, s.label FROM (SELECT DISTINCT gt FROM activity) t, VALUES ('sit', 'still'), ('bike', 'moving') AS s(g, label)
WHERE t.gt = s.g

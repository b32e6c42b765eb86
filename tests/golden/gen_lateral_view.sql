-- LATERAL VIEW [OUTER]: the generated columns qualified by the view's name.
SELECT id, v.w FROM VALUES (1, 'p q'), (2, NULL), (3, 'r') AS t(id, s)
LATERAL VIEW OUTER explode(split(s, ' ')) v AS w
WHERE id < 3

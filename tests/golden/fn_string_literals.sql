-- String functions over literals: empty strings, unicode, nulls, edge positions.
SELECT concat_ws('-', 'a', NULL, 'b') AS cws, concat_ws(NULL, 'a') AS cws_null_sep,
       instr('héllo wörld', 'wö') AS ins, instr('abc', '') AS ins_empty,
       locate('l', 'hello', 4) AS loc, locate('l', 'hello', 0) AS loc0, position('z', 'hello') AS pos,
       lpad('hi', 5, '?!') AS lp, lpad('hello', 2) AS lp_cut, rpad('ñ', 3, 'é') AS rp, lpad('x', -1, 'y') AS lp_neg,
       repeat('ab', 3) AS rep, repeat('ab', -2) AS rep_neg, reverse('añb€') AS rev,
       replace('a.b.c', '.', '::') AS repl, replace('abc', 'b') AS repl2, replace('abc', '', 'x') AS repl_empty,
       translate('AaBbCc', 'abc', '12') AS tr, initcap('hELLO wORLD  x') AS ic,
       left('héllo', 2) AS l2, right('héllo', 3) AS r3, left('abc', -1) AS lneg, right('abc', 10) AS rbig,
       split_part('a,b,,c', ',', 3) AS sp3, split_part('a,b,c', ',', -1) AS spm1, split_part('a,b', ',', 5) AS sp5,
       substring_index('www.apache.org', '.', 2) AS si2, substring_index('www.apache.org', '.', -2) AS sim2,
       ascii('€uro') AS asc1, ascii('') AS asc0, chr(65) AS c65, chr(321) AS c321, chr(-1) AS cneg,
       octet_length('€') AS ol, bit_length('ab') AS bl,
       startswith('spark sql', 'spark') AS sw, endswith('spark', 'RK') AS ew, contains('spark', '') AS ce,
       btrim('  xyx  ') AS bt, btrim('xxhixx', 'x') AS bt2,
       levenshtein('kitten', 'sitting') AS lev, levenshtein('kitten', 'sitting', 2) AS lev_t,
       soundex('Miller') AS sx, soundex('') AS sx_empty,
       format_number(12332.123456, 4) AS fn4, format_number(-1234.5, 0) AS fn0, format_number(0.5, 0) AS fn_half
FROM activity LIMIT 1

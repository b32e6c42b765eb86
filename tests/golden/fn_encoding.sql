-- hex/unhex, base64/unbase64, encode/decode, to_binary/try_to_binary: columns, NULLs, empty strings, unicode.
SELECT Index, Device,
       hex(Index) AS hi, hex(-Index) AS hneg, hex(gt) AS hs, hex(x) AS hx, hex('') AS hempty, hex('é☃') AS huni, hex(NULL) AS hnull,
       hex(unhex(hex(gt))) AS hrt, hex(unhex('zz')) AS hbad, hex(unhex('123')) AS hodd, decode(unhex(hex(Device)), 'utf-8') AS unh,
       base64(gt) AS b64, base64('') AS b64e, base64('héllo ☃') AS b64u, decode(unbase64(base64(Model)), 'UTF-8') AS ub,
       hex(unbase64('U3Bhcmsg U1FM')) AS ubspace, hex(unbase64('@@')) AS ubjunk, hex(unbase64('QUJD')) AS ubpad,
       hex(encode(gt, 'utf-16')) AS e16, hex(encode('é', 'UTF-16LE')) AS e16le, hex(encode('é', 'utf-16be')) AS e16be,
       hex(encode('é', 'iso-8859-1')) AS elatin, hex(encode('a☃', 'utf-32')) AS e32, hex(encode(User, 'us-ascii')) AS eascii,
       decode(encode(gt, 'utf-16'), 'utf-16') AS d16, decode(unhex('E9'), 'iso-8859-1') AS dlatin, decode(unhex('FFFE6100'), 'utf-16') AS dbom,
       decode(NULL, 'utf-8') AS dnull, encode(NULL, 'utf-8') IS NULL AS enull,
       hex(to_binary(hex(Model))) AS tbhex, hex(to_binary(Model, 'utf-8')) AS tbutf, hex(to_binary('QUJD', 'base64')) AS tb64,
       hex(to_binary('ABC', 'HEX')) AS tbodd, hex(try_to_binary(gt, 'hex')) AS ttb, hex(try_to_binary('zz', 'hex')) AS ttbbad,
       hex(to_binary(NULL, 'utf8')) AS tbnull
FROM activity WHERE Index % 1999 = 0

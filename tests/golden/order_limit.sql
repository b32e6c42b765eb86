SELECT Index, User, x FROM activity WHERE gt = 'walk' ORDER BY x DESC, Index LIMIT 25

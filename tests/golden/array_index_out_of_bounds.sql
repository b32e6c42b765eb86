-- error: INVALID_ARRAY_INDEX
SELECT split(Device, '_')[5] FROM activity

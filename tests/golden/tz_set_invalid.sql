-- error: INVALID_CONF_VALUE
SET spark.sql.session.timeZone = america/los_angeles

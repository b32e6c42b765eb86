-- Example 8: a Kafka round trip. Read topic ${in}, cast key and value to
-- strings, write them to topic ${out}.
-- eval "$(scripts/kafka start)"
-- sqlc run examples/sql/ex8_kafka.sql --available-now --var kafka=$KAFKA_BOOTSTRAP --var in=TOPIC --var out=TOPIC --var ck=DIR
CREATE SOURCE events WITH (
  format = 'kafka', kafka.bootstrap.servers = '${kafka}',
  subscribe = '${in}', startingOffsets = 'earliest'
);

CREATE SINK copied WITH (format = 'kafka', kafka.bootstrap.servers = '${kafka}', topic = '${out}',
                         checkpointLocation = '${ck}')
AS SELECT topic, CAST(key AS STRING) AS key, CAST(value AS STRING) AS value FROM events;

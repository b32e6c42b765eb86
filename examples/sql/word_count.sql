-- The Structured Streaming Programming Guide's first example: a running
-- word count of the lines of text files, as they arrive.
-- sqlc run examples/sql/word_count.sql --available-now --var data=DIR
CREATE SOURCE lines WITH (format = 'text', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK word_counts WITH (format = 'memory', outputMode = 'complete')
AS SELECT word, count(*) AS count
   FROM (SELECT explode(split(value, ' ')) AS word FROM lines)
   GROUP BY word;

SELECT * FROM word_counts ORDER BY count DESC, word;

"""The seed chapter ("Capítulo 21. Básico de Structured Streaming"), its
PySpark code as the notebook has it, run against `sqlc serve`: only the
session line differs (`.remote(...)`), the notebook's Python 2 prints are
Python 3 calls, and the data directory comes from the command line.

    target/release/sqlc gen activity /tmp/activity-data
    target/release/sqlc serve &
    python examples/pyspark/seed.py /tmp/activity-data

(SPARK_REMOTE overrides sc://localhost:15002.) The socket example at the
chapter's end needs a netcat feeding port 9999 and is left out.
"""
import sys, os, time
import pyspark
from pyspark.sql import functions as F
from pyspark.sql import SparkSession, Row, Column
from pyspark.sql.types import *

DATA = sys.argv[1] if len(sys.argv) > 1 else "/data/activity-data"

spark = SparkSession.builder.remote(os.environ.get("SPARK_REMOTE", "sc://localhost:15002")).appName("SparkStreamingExamples").getOrCreate()

# Exemplo de leitura de dados em um ou mais arquivos em um diretório no HDFS:
static = spark.read.json(DATA)
dataSchema = static.schema

print(str(dataSchema))

static.show()

# Configurando a leitura do streaming de dados.
streaming = spark.readStream \
.schema(dataSchema) \
.option("maxFilesPerTrigger",1) \
.json(DATA)

# Esse é o dado que efetivamente se quer ver, expresso na transformação abaixo. Mas isso não será executado agora!
activityCounts = streaming.groupBy("gt").count()

# Como se espera a execução disso em uma máquinia pequena ou mesmo numa VM, é razoável
# configurar o número de partições em um valor pequeno.
spark.conf.set("spark.sql.shuffle.partitions",5)

activityQuery = activityCounts.writeStream \
.queryName("activity_counts") \
.format("memory") \
.outputMode("complete") \
.start()

# activityQuery.awaitTermination()

# Exibe os streamings ativos na sessão do Spark.
print(str(spark.streams.active))

# Considere
from time import sleep
for x in range(5):
    spark.sql("SELECT * FROM activity_counts").show()
    sleep(1)

from pyspark.sql.functions import expr
simpleTransform = streaming.withColumn('stairs',expr("gt like '%stairs%'"))\
.where("stairs")\
.where("gt is not null")\
.select("gt","model","arrival_time","creation_time")\
.writeStream\
.queryName("simple_transform")\
.format("memory")\
.outputMode("append")\
.start()

spark.sql("SELECT * from simple_transform").show()

#activityQuery.stop()

deviceModelStats = streaming.cube("gt","model").avg()\
                    .drop("avg(Arrival_time)")\
                    .drop("avg(Creation_Time)")\
                    .drop("avg(Index)")\
                    .writeStream.queryName("device_counts")\
                    .format("memory")\
                    .outputMode("complete")\
                    .start()

# Checando o writer
spark.sql("SELECT * from device_counts where model IS NOT NULL").show()

# Exemplo de join de um DataFrame estático(static) com um streaming
historicalAgg = static.groupBy("gt", "model").avg()
deviceModelStats = streaming.drop("Arrival_Time", "Creation_Time", "Index")\
.cube("gt", "model").avg()\
.join(historicalAgg, ["gt", "model"])\
.writeStream.queryName("device_counts2").format("memory")\
.outputMode("complete")\
.start()

historicalAgg.show()

# O fim do capítulo: as consultas param.
for q in spark.streams.active:
    q.stop()
print("active after stop:", len(spark.streams.active))

"""Malformed requests straight over gRPC (no PySpark): bytes that are not
a message, a request without a plan, a plan without a relation. Each must
come back as a gRPC error, and the server must keep serving. Prints `ok`."""
import os, uuid
import grpc
from pyspark.sql.connect.proto import base_pb2

target = os.environ["SPARK_REMOTE"].removeprefix("sc://")
ch = grpc.insecure_channel(target)
raw = ch.unary_stream("/spark.connect.SparkConnectService/ExecutePlan",
                      request_serializer=None, response_deserializer=None)
codes = []
for payload in [b"\xff\xff\xff\xff\x0f", base_pb2.ExecutePlanRequest(session_id=str(uuid.uuid4())).SerializeToString(),
                base_pb2.ExecutePlanRequest(session_id=str(uuid.uuid4()), plan=base_pb2.Plan(root={})).SerializeToString(),
                base_pb2.ExecutePlanRequest(plan=base_pb2.Plan(root={})).SerializeToString()]:
    try:
        list(raw(payload))
        raise SystemExit(f"the server accepted {payload!r}")
    except grpc.RpcError as e:
        codes.append(e.code())
assert all(c in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.INTERNAL) for c in codes), codes
analyze = ch.unary_unary("/spark.connect.SparkConnectService/AnalyzePlan",
                         request_serializer=None, response_deserializer=None)
try:
    analyze(b"\x0a\x02")
    raise SystemExit("a truncated AnalyzePlan was accepted")
except grpc.RpcError as e:
    codes.append(e.code())

from pyspark.sql import SparkSession
spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
assert spark.sql("SELECT 1 AS one").collect()[0].one == 1
print("ok", [c.name for c in codes])

"""Reattachable execution over raw gRPC, as PySpark's client uses it when a
stream breaks: a reattachable ExecutePlan read in part and cancelled, then
ReattachExecute from the last response read gets the rest (row offsets
continuous, ResultComplete at the end); ReleaseExecute drops responses, so
reattaching behind them, or to a released operation, is refused with
Spark's error classes. Prints `ok`."""
import os, uuid
import grpc
import pyarrow as pa
from pyspark.sql.connect.proto import base_pb2, base_pb2_grpc, relations_pb2

ch = grpc.insecure_channel(os.environ["SPARK_REMOTE"].removeprefix("sc://"))
stub = base_pb2_grpc.SparkConnectServiceStub(ch)
sid, op = str(uuid.uuid4()), str(uuid.uuid4())
N = 55_000
req = base_pb2.ExecutePlanRequest(
    session_id=sid, operation_id=op,
    plan=base_pb2.Plan(root=relations_pb2.Relation(range=relations_pb2.Range(end=N, step=1))),
    request_options=[base_pb2.ExecutePlanRequest.RequestOption(
        reattach_options=base_pb2.ReattachOptions(reattachable=True))])
call = stub.ExecutePlan(req)
got = [next(call), next(call)]
call.cancel()


def reattach(last):
    return list(stub.ReattachExecute(base_pb2.ReattachExecuteRequest(
        session_id=sid, operation_id=op, last_response_id=last)))


rest = reattach(got[-1].response_id)
assert rest[-1].HasField("result_complete"), rest[-1]
ids = []
offset = 0
for r in got + rest:
    if r.HasField("arrow_batch"):
        assert r.arrow_batch.start_offset == offset, (r.arrow_batch.start_offset, offset)
        for b in pa.ipc.open_stream(r.arrow_batch.data):
            ids.extend(b.column(0).to_pylist())
        offset += r.arrow_batch.row_count
assert ids == list(range(N)), (len(ids), ids[:3])
# Released up to the second response: reattaching after the first is refused.
stub.ReleaseExecute(base_pb2.ReleaseExecuteRequest(
    session_id=sid, operation_id=op,
    release_until=base_pb2.ReleaseExecuteRequest.ReleaseUntil(response_id=got[1].response_id)))
try:
    reattach(got[0].response_id)
    raise SystemExit("reattaching to a released response must fail")
except grpc.RpcError as e:
    assert "INVALID_CURSOR.POSITION_NOT_AVAILABLE" in e.details(), e.details()
assert reattach(got[1].response_id)[-1].HasField("result_complete")
stub.ReleaseExecute(base_pb2.ReleaseExecuteRequest(
    session_id=sid, operation_id=op, release_all=base_pb2.ReleaseExecuteRequest.ReleaseAll()))
try:
    reattach(got[1].response_id)
    raise SystemExit("reattaching to a released operation must fail")
except grpc.RpcError as e:
    assert "INVALID_HANDLE.OPERATION_NOT_FOUND" in e.details(), e.details()
print("ok")

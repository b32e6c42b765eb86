//! The socket source (`format("socket")`), Spark's `TextSocketSource`: one
//! `value` string row per line read from a TCP server, with the time it
//! arrived when `includeTimestamp` is set. For tests and demos: lines live
//! only in memory until their batch commits, so it cannot be replayed after a
//! restart (a query with a checkpoint refuses it, as Spark warns).

use std::io::{BufRead, BufReader};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arrow::array::{ArrayRef, StringBuilder, TimestampMicrosecondBuilder};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::types::{DataType, Field, Schema};

use crate::error::{Error, Result};
use crate::source::{Offset, Options, Source};

#[derive(Clone, Debug)]
pub struct SocketOptions {
    host: String,
    port: u16,
    include_timestamp: bool,
}

impl SocketOptions {
    pub fn parse(o: &Options, schema: Option<&Schema>) -> Result<Self> {
        if schema.is_some() {
            return Err(Error::analysis(
                "USER_SPECIFIED_SCHEMA_UNSUPPORTED",
                "The socket source does not support a user-specified schema.",
            ));
        }
        let host = o
            .get("host")
            .ok_or_else(|| Error::options("Set a host to read from with option(\"host\", ...)."))?;
        let port = o
            .get("port")
            .ok_or_else(|| Error::options("Set a port to read from with option(\"port\", ...)."))?;
        let port = port.trim().parse::<u16>().map_err(|_| Error::BadOption {
            name: "port".into(),
            value: port.into(),
            reason: "expected a TCP port number".into(),
        })?;
        Ok(SocketOptions {
            host: host.to_string(),
            port,
            include_timestamp: o.get_bool("includeTimestamp", false)?,
        })
    }

    pub fn schema(&self) -> Schema {
        let mut f = vec![Field::new("value", DataType::Utf8, true)];
        if self.include_timestamp {
            f.push(Field::new("timestamp", DataType::Timestamp, true));
        }
        Schema::new(f)
    }
}

/// Lines received and not yet committed; `base` is the offset of the first.
#[derive(Default)]
struct Buffer {
    base: i64,
    lines: Vec<(String, i64)>,
    error: Option<String>,
}

pub struct SocketSource {
    opts: SocketOptions,
    schema: Schema,
    buf: Arc<Mutex<Buffer>>,
    stream: TcpStream,
    planned: i64,
}

/// Microseconds since the epoch.
pub(crate) fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

impl SocketSource {
    /// Connects now (as Spark does when the query starts) and reads lines on
    /// a thread of its own until the server closes the connection.
    pub fn connect(opts: &SocketOptions) -> Result<Self> {
        let target = format!("{}:{}", opts.host, opts.port);
        let io = |e: std::io::Error| {
            Error::Network(format!("socket source: cannot connect to {target}: {e}"))
        };
        let addr = target
            .to_socket_addrs()
            .map_err(io)?
            .next()
            .ok_or_else(|| Error::Network(format!("socket source: {target} has no address")))?;
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).map_err(io)?;
        let reader = stream.try_clone().map_err(io)?;
        let buf = Arc::new(Mutex::new(Buffer::default()));
        let sink = buf.clone();
        std::thread::Builder::new()
            .name(format!("socket-source-{target}"))
            .spawn(move || {
                for line in BufReader::new(reader).lines() {
                    let mut b = sink.lock().unwrap_or_else(|e| e.into_inner());
                    match line {
                        Ok(l) => b.lines.push((l, now_us())),
                        Err(e) => {
                            b.error = Some(e.to_string());
                            break;
                        }
                    }
                }
            })
            .map_err(io)?;
        Ok(SocketSource {
            schema: opts.schema(),
            opts: opts.clone(),
            buf,
            stream,
            planned: 0,
        })
    }

    fn offset_of(o: &Offset) -> Result<i64> {
        o.as_i64()
            .ok_or_else(|| Error::internal(format!("socket source: bad offset {o}")))
    }
}

impl Source for SocketSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn latest_offset(&mut self) -> Result<Option<Offset>> {
        let b = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        let end = b.base + b.lines.len() as i64;
        if end == self.planned {
            return Ok(None);
        }
        self.planned = end;
        Ok(Some(Offset::from(end)))
    }

    fn get_batch(&mut self, start: Option<&Offset>, end: &Offset) -> Result<Vec<RecordBatch>> {
        let from = start.map(Self::offset_of).transpose()?.unwrap_or(0);
        let to = Self::offset_of(end)?;
        let b = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        if from < b.base || to > b.base + b.lines.len() as i64 {
            return Err(Error::not_supported(format!(
                "socket source: lines {from}..{to} are no longer available (the socket source cannot replay; it keeps only lines not yet committed)"
            )));
        }
        let rows = &b.lines[(from - b.base) as usize..(to - b.base) as usize];
        let mut value = StringBuilder::new();
        let mut ts = TimestampMicrosecondBuilder::new().with_timezone("UTC");
        for (l, t) in rows {
            value.append_value(l);
            ts.append_value(*t);
        }
        let mut cols: Vec<ArrayRef> = vec![Arc::new(value.finish())];
        if self.opts.include_timestamp {
            cols.push(Arc::new(ts.finish()));
        }
        Ok(vec![RecordBatch::try_new(self.schema.to_arrow(), cols)?])
    }

    fn commit(&mut self, end: &Offset) -> Result<()> {
        let to = Self::offset_of(end)?;
        let mut b = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        let n = (to - b.base).clamp(0, b.lines.len() as i64);
        b.lines.drain(..n as usize);
        b.base += n;
        Ok(())
    }

    fn stop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }

    fn description(&self) -> String {
        format!(
            "TextSocketV2[host: {}, port: {}]",
            self.opts.host, self.opts.port
        )
    }
}

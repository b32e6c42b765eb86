//! Spark Connect's protocol: the messages of `spark.connect` and the
//! `SparkConnectService` server trait, generated at build time from Spark's
//! own definitions (`proto/spark/connect/*.proto`, vendored from Spark 4.3),
//! plus the two `google.rpc` messages errors travel in. This crate holds no
//! logic: the server that answers these messages is the facade's
//! `connect` module, so this generated code compiles in parallel with the
//! engine and rebuilds only when the definitions change.

#[allow(clippy::all, missing_docs, rustdoc::all)]
pub mod spark {
    pub mod connect {
        tonic::include_proto!("spark.connect");
    }
}

pub use prost;
pub use prost_types;
pub use spark::connect as proto;
pub use tonic;

/// `google.rpc.Status` and `google.rpc.ErrorInfo`, the two messages of
/// Google's error model that PySpark reads a server's error from (a
/// `grpc-status-details-bin` trailer holding a `Status` whose details carry
/// an `ErrorInfo`). Written out here rather than generated: two messages.
pub mod rpc {
    /// `google.rpc.Status`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Status {
        #[prost(int32, tag = "1")]
        pub code: i32,
        #[prost(string, tag = "2")]
        pub message: String,
        #[prost(message, repeated, tag = "3")]
        pub details: Vec<prost_types::Any>,
    }

    /// `google.rpc.ErrorInfo`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ErrorInfo {
        #[prost(string, tag = "1")]
        pub reason: String,
        #[prost(string, tag = "2")]
        pub domain: String,
        #[prost(map = "string, string", tag = "3")]
        pub metadata: std::collections::HashMap<String, String>,
    }

    /// The type URL an `ErrorInfo` is packed under in `Status.details`.
    pub const ERROR_INFO_TYPE_URL: &str = "type.googleapis.com/google.rpc.ErrorInfo";
}

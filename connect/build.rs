//! Generates the Spark Connect messages and the gRPC server trait from the
//! vendored definitions in `proto/` (Spark 4.3's, Apache-2.0), without
//! protoc: protox parses them into a descriptor set in pure Rust.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fds = protox::compile(["spark/connect/base.proto"], ["proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        .compile_fds(fds)?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}

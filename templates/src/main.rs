// Yours: written once by apigen and never overwritten.
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    {{ plan.crate_name }}::cli::run().await
}

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = apigen::cli::Cli::parse();
    ExitCode::from(apigen::cli::run(cli))
}

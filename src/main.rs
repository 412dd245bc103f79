//! The `netgraph` binary: parse the command line, run, map the result to an exit code. Every
//! error is printed here, once; a closed stdout pipe is success (see `cli::output`).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            eprintln!("netgraph: error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

//! The `netgraph` binary: parse the command line, run, map the result to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("netgraph: error: {err}");
            err.exit_code()
        }
    };
    std::process::exit(code);
}

//! The `distlab` binary: parse the command line, run the command, and turn every error into
//! one clear message and an exit code (0 ok, 1 runtime failure, 2 bad usage or input).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use distlab::cli::Cli;
use distlab::commands::{self, Failure};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => report(&msg, 2),
        Err(Failure::Runtime(msg)) => report(&msg, 1),
    }
}

fn report(msg: &str, code: u8) -> ExitCode {
    let _ = writeln!(io::stderr(), "distlab: error: {msg}");
    ExitCode::from(code)
}

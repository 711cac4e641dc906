//! The `distlab` binary: parse the command line, run the command, and turn every error into
//! one clear message and an exit code (0 ok, 1 runtime failure, 2 bad usage or input).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use distlab::cli::Cli;
use distlab::commands::{self, Failure};
use distlab::sanitize::sanitize;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // Help and version go to stdout (exit 0), in colour on a terminal.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // A usage error quotes what was typed: shown sanitized, like every other value.
            let _ = write!(io::stderr(), "{}", sanitize(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => report(&msg, 2),
        Err(Failure::Runtime(msg)) => report(&msg, 1),
    }
}

/// Prints an error. Every message passes through [`sanitize`] here, whatever values from
/// files, flags or the environment it quotes, so no escape sequence reaches the terminal.
fn report(msg: &str, code: u8) -> ExitCode {
    let _ = writeln!(io::stderr(), "distlab: error: {}", sanitize(msg));
    ExitCode::from(code)
}

//! The `distlab` binary: parse the command line, load the lesson, dispatch, and turn every
//! error into one clear message and an exit code (0 ok, 1 runtime failure, 2 bad input).

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use distlab::cli::{Cli, Command, PrintArgs};
use distlab::lesson::{self, Lesson};
use distlab::plain::{self, PrintOptions};

/// A failure with the exit code it deserves.
enum Failure {
    /// Invalid usage or an invalid input file: exit 2.
    Input(String),
    /// Something went wrong at run time: exit 1.
    Runtime(String),
}

impl From<lesson::LessonError> for Failure {
    fn from(e: lesson::LessonError) -> Self {
        Failure::Input(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => report(&msg, 2),
        Err(Failure::Runtime(msg)) => report(&msg, 1),
    }
}

fn report(msg: &str, code: u8) -> ExitCode {
    let _ = writeln!(io::stderr(), "distlab: error: {msg}");
    ExitCode::from(code)
}

fn run(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Some(Command::Check { files }) => check(files),
        Some(Command::Completions { shell }) => {
            let shell = match *shell {
                distlab::cli::Shell::Bash => clap_complete::Shell::Bash,
                distlab::cli::Shell::Zsh => clap_complete::Shell::Zsh,
                distlab::cli::Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "distlab", &mut out);
            write_stdout(|w| w.write_all(&out))
        }
        Some(Command::Print(args)) => print(&load(&cli)?, args),
        Some(Command::Sim(args)) => {
            distlab::headless::run(args, cli.lesson.as_deref()).map_err(|e| match e.exit_code() {
                2 => Failure::Input(e.to_string()),
                _ => Failure::Runtime(e.to_string()),
            })
        }
        None => {
            let lesson = load(&cli)?;
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            if !io::stdout().is_terminal() || dumb {
                return print(&lesson, &PrintArgs::default());
            }
            write_stdout(|w| {
                writeln!(
                    w,
                    "The terminal app is not built yet; `distlab print` shows the lesson as text."
                )
            })
        }
    }
}

/// The lesson named by `--lesson`, or the built-in one.
fn load(cli: &Cli) -> Result<Lesson, Failure> {
    Ok(match &cli.lesson {
        Some(path) => lesson::load_file(path)?,
        None => lesson::builtin()?,
    })
}

fn check(files: &[std::path::PathBuf]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        match lesson::load_file(file) {
            Ok(_) => write_stdout(|w| writeln!(w, "OK: {}", file.display()))?,
            Err(e) => {
                failed += 1;
                let _ = writeln!(io::stderr(), "{e}");
            }
        }
    }
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::Input(format!(
            "{failed} of {} lesson files failed the check",
            files.len()
        )))
    }
}

fn print(lesson: &Lesson, args: &PrintArgs) -> Result<(), Failure> {
    if let Some(section) = &args.section {
        plain::check_section(lesson, section).map_err(|e| Failure::Input(e.to_string()))?;
    }
    let width = args.width.unwrap_or_else(terminal_width);
    let opts = PrintOptions {
        width,
        section: args.section.clone(),
        answers: args.answers,
    };
    write_stdout(|w| plain::print_lesson(lesson, &opts, w))
}

/// The terminal's width when standard output is one, else 80.
fn terminal_width() -> usize {
    if io::stdout().is_terminal()
        && let Ok((cols, _)) = ratatui::crossterm::terminal::size()
        && cols > 0
    {
        return usize::from(cols);
    }
    80
}

/// Runs `f` on a buffered stdout. A closed pipe (`distlab print | head`) is not an error:
/// the reader has what it wanted, so we stop quietly.
fn write_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    match f(&mut w).and_then(|()| w.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Runtime(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

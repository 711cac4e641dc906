//! Command-line interface: clap types only. Dispatch lives in `main.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  distlab                          open the Day 001 lesson in the terminal app
  distlab print | less             read the lesson as plain text
  distlab print --section concepts print one section
  distlab quiz --plain             take the quiz line by line (screen readers, scripts)
  distlab sim --list               list the lab scenarios
  distlab sim async-drop --seed 7  run a scenario headless and narrate it
  distlab check lessons/day002.toml
                                   validate a lesson file you wrote";

/// distlab: a distributed system is many uncertain computers trying to preserve useful
/// guarantees together. Read the Day 001 lesson, take its quiz, and break a live cluster.
#[derive(Debug, Parser)]
#[command(name = "distlab", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// Load this lesson file instead of the built-in Day 001 lesson.
    #[arg(long, global = true, value_name = "FILE")]
    pub lesson: Option<PathBuf>,

    /// Keep progress in this file instead of the platform's data directory.
    #[arg(long, global = true, value_name = "FILE")]
    pub progress_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate lesson files: print "OK: FILE" or every problem found.
    #[command(after_help = "Example:\n  distlab check lessons/day001.toml lessons/day002.toml")]
    Check {
        /// Lesson files to validate.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the lesson as plain text (for a pipe, a pager or a screen reader).
    #[command(
        after_help = "Examples:\n  distlab print | less\n  distlab print --section quiz --answers"
    )]
    Print(PrintArgs),
    /// Run a lab scenario headless: narrated events and a summary.
    #[command(after_help = SIM_EXAMPLES)]
    Sim(SimArgs),
    /// Print shell completions for bash, zsh or fish.
    #[command(
        after_help = "Example:\n  distlab completions bash > ~/.local/share/bash-completion/completions/distlab"
    )]
    Completions {
        /// The shell to generate completions for.
        shell: Shell,
    },
}

/// Arguments of `distlab print`.
#[derive(Debug, Args, Default)]
pub struct PrintArgs {
    /// Print only this section (intro, aha, why, objectives, concepts, troubleshooting,
    /// connections, resources, insights, quiz) or one concept by its id.
    #[arg(long, value_name = "ID")]
    pub section: Option<String>,
    /// Include the quiz answers and their explanations.
    #[arg(long)]
    pub answers: bool,
    /// Wrap at this many columns (default: the terminal's width, or 80 for a pipe).
    #[arg(long, value_name = "COLS")]
    pub width: Option<usize>,
}

const SIM_EXAMPLES: &str = "\
Examples:
  distlab sim --list
  distlab sim async-drop --seed 7
  distlab sim partition --set mode=quorum --until-ms 20000
  distlab sim async-drop --trials 10000 --json
  distlab sim clock-skew --set timestamps=lamport --history ops.jsonl
  distlab sim --replay session.toml";

/// Arguments of `distlab sim`.
#[derive(Debug, Args, Default)]
pub struct SimArgs {
    /// The scenario to run (see --list).
    #[arg(value_name = "SCENARIO", required_unless_present_any = ["list", "replay"])]
    pub scenario: Option<String>,
    /// List the scenarios: one line each, id then title.
    #[arg(long, conflicts_with_all = ["scenario", "replay"])]
    pub list: bool,
    /// Seed of the simulation's random number generator.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Stop at this simulated time, in milliseconds (default: the scenario's duration).
    #[arg(long, value_name = "T")]
    pub until_ms: Option<u64>,
    /// Override a scenario parameter, e.g. --set mode=quorum --set drop=0.2.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Emit JSON: one object per event per line, the summary last.
    #[arg(long)]
    pub json: bool,
    /// Run N consecutive seeds starting at --seed and print only the summary.
    #[arg(long, value_name = "N")]
    pub trials: Option<u64>,
    /// Write the client operations as Jepsen-style JSON lines to FILE.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Replay a saved lab session (scenario, seed, timed commands).
    #[arg(long, value_name = "FILE", conflicts_with = "scenario")]
    pub replay: Option<PathBuf>,
}

/// Shells that `distlab completions` can generate for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

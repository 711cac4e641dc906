//! Command-line interface: clap types only. Dispatch lives in `main.rs`.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  distlab                          open the Day 001 lesson in the terminal app
  distlab print | less             read the lesson as plain text
  distlab print --section concepts print one section
  distlab quiz --plain             take the quiz line by line (screen readers, scripts)
  distlab progress                 attempts, best and last score, weakest questions
  distlab sim --list               list the lab scenarios
  distlab sim async-drop --seed 7  run a scenario headless and narrate it
  distlab check lessons/day002.toml
                                   validate a lesson file you wrote
  distlab --course lessons         a course: its lessons, their progress, the next one
  distlab --projector --theme light
                                   the classroom layout in the light theme
  distlab present                  in a second terminal: follow the projected distlab,
                                   see the notes, and drive it

Preferences can also be set in config.toml in the platform's config directory
(~/.config/distlab/config.toml on Linux) or in the file named by DISTLAB_CONFIG;
flags override it.";

/// distlab: a distributed system is many uncertain computers trying to preserve useful
/// guarantees together. Read the Day 001 lesson (or a course of lessons with --course), take
/// its quiz, and break a live cluster.
#[derive(Debug, Parser)]
#[command(name = "distlab", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// Load this lesson file instead of the built-in Day 001 lesson.
    #[arg(long, global = true, value_name = "FILE")]
    pub lesson: Option<PathBuf>,

    /// Open a course: a directory whose course.toml lists its lessons. A start screen lists
    /// them with their progress and opens one.
    #[arg(long, value_name = "DIR", conflicts_with = "lesson")]
    pub course: Option<PathBuf>,

    /// Keep progress in this file instead of the platform's data directory.
    #[arg(long, global = true, value_name = "FILE")]
    pub progress_file: Option<PathBuf>,

    /// Colour theme of the terminal app (default: from the config file, else dark; mono
    /// whenever NO_COLOR is set).
    #[arg(long, global = true, value_name = "NAME",
          value_parser = PossibleValuesParser::new(crate::tui::theme::names()))]
    pub theme: Option<String>,

    /// Classroom projector mode: large, high-contrast layout and a slower lab.
    #[arg(long, global = true)]
    pub projector: bool,

    /// No moving messages in the lab: each appears at its destination with a marker.
    #[arg(long, global = true)]
    pub reduced_motion: bool,

    /// Draw the terminal app with ASCII characters only (automatic on the Linux console,
    /// TERM=linux).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Starting lab speed in simulated seconds per wall second (the nearest preset of
    /// 0.02 to 25 is used).
    #[arg(long, global = true, value_name = "X", value_parser = speed,
          allow_negative_numbers = true)]
    pub speed: Option<f64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate lesson files, and run every walkthrough's claims on many seeds: print
    /// "OK: FILE" or every problem found.
    #[command(
        after_help = "Examples:\n  distlab check lessons/day001.toml lessons/day002.toml\n  distlab check lessons/day002.toml --seeds 1-500\n  distlab check lessons              every lesson of the course in lessons/"
    )]
    Check {
        /// Lesson files to validate; a course directory (or its course.toml) checks the
        /// course file and every lesson it lists.
        #[arg(required = true, value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// Seeds to run each walkthrough on, as A-B (default: the lesson's
        /// `[stories] seeds`, else 1-100).
        #[arg(long, value_name = "A-B")]
        seeds: Option<String>,
    },
    /// Print the lesson as plain text (for a pipe, a pager or a screen reader).
    #[command(
        after_help = "Examples:\n  distlab print | less\n  distlab print --section quiz --answers"
    )]
    Print(PrintArgs),
    /// Open the terminal app straight on the Lab, with a scenario and seed.
    #[command(after_help = LAB_EXAMPLES)]
    Lab(LabArgs),
    /// Take the quiz: in the terminal app, or line by line with --plain.
    #[command(after_help = QUIZ_EXAMPLES)]
    Quiz(QuizArgs),
    /// Show quiz progress: attempts, best and last score, weakest questions.
    #[command(after_help = PROGRESS_EXAMPLES)]
    Progress(ProgressArgs),
    /// Run a lab scenario headless: narrated events and a summary.
    #[command(after_help = SIM_EXAMPLES)]
    Sim(SimArgs),
    /// A trade-off as a table: run a scenario for every combination of the --vary
    /// values, many seeds each, on every core.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// The presenter's screen, in a second terminal: follow the projected distlab (its
    /// step's caption, the next step, the teacher's notes, the time) and drive it.
    #[command(after_help = PRESENT_EXAMPLES)]
    Present(PresentArgs),
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

const QUIZ_EXAMPLES: &str = "\
Examples:
  distlab quiz --plain                       answer line by line
  distlab quiz --plain --exam                feedback only at the end
  distlab quiz --plain --review              missed questions first
  distlab quiz --plain --shuffle --seed 7    the same shuffle every time
  printf 'a\\nb\\n' | distlab quiz --plain     answers from a script";

const LAB_EXAMPLES: &str = "\
Examples:
  distlab lab                      the first scenario, paused at t=0
  distlab lab partition --seed 7   the partition scenario with seed 7
  distlab lab clock-skew --walkthrough
                                   a guided walkthrough, step by step
  distlab sim --list               the scenarios and their titles";

/// Arguments of `distlab lab`.
#[derive(Debug, Args, Default)]
pub struct LabArgs {
    /// The scenario to open (see `distlab sim --list`); default: the first.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// Seed of the simulation's random number generator.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Start the scenario's guided walkthrough.
    #[arg(long, conflicts_with = "compare")]
    pub walkthrough: bool,
    /// Two runs side by side, in lockstep, that differ in one setting:
    /// `mode=async,mode=sync` (or `mode=async,sync`); every command goes to both.
    #[arg(long, value_name = "KEY=A,KEY=B")]
    pub compare: Option<String>,
}

/// Arguments of `distlab quiz`.
#[derive(Debug, Args, Default)]
pub struct QuizArgs {
    /// Ask line by line on standard input and output, without the terminal app.
    #[arg(long)]
    pub plain: bool,
    /// Shuffle the questions and their options (prints the seed to repeat it).
    #[arg(long, conflicts_with = "review")]
    pub shuffle: bool,
    /// Seed of the order: with --shuffle the questions' and options' order, otherwise the
    /// options' (each attempt arranges them anew; the intro prints the seed to repeat one).
    #[arg(long, value_name = "N", conflicts_with = "course_order")]
    pub seed: Option<u64>,
    /// The course's order: questions in lesson order and options as the lesson writes them.
    #[arg(long, conflicts_with_all = ["shuffle", "review"])]
    pub course_order: bool,
    /// Exam mode: no feedback until the end.
    #[arg(long)]
    pub exam: bool,
    /// Review: ask first what was missed (lowest Leitner boxes first).
    #[arg(long)]
    pub review: bool,
}

const PRESENT_EXAMPLES: &str = "\
Examples:
  distlab --projector              on the projector: the classroom layout
  distlab present                  on the teacher's laptop: follow it and drive it
  distlab present --socket /run/user/1000/distlab/projector-4242.sock
                                   follow this one of several";

/// Arguments of `distlab present`.
#[derive(Debug, Args, Default)]
pub struct PresentArgs {
    /// Follow the distlab serving this socket (default: the only one of this user's; with
    /// several, `distlab present` lists them).
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
}

const PROGRESS_EXAMPLES: &str = "\
Examples:
  distlab progress
  distlab progress --json > progress.json
  distlab progress --reset
  distlab progress --reset --yes --progress-file /tmp/p.toml";

/// Arguments of `distlab progress`.
#[derive(Debug, Args, Default)]
pub struct ProgressArgs {
    /// Export all saved progress as JSON.
    #[arg(long, conflicts_with = "reset")]
    pub json: bool,
    /// Forget this lesson's progress (asks for confirmation).
    #[arg(long)]
    pub reset: bool,
    /// Reset without asking.
    #[arg(long, requires = "reset")]
    pub yes: bool,
}

const SIM_EXAMPLES: &str = "\
Examples:
  distlab sim --list
  distlab sim async-drop --seed 7
  distlab sim partition --set mode=quorum --until-ms 20000
  distlab sim async-drop --trials 10000 --json
  distlab sim clock-skew --set timestamps=lamport --history ops.jsonl
  distlab sim async-drop --explain
  distlab sim --replay session.toml";

const SWEEP_EXAMPLES: &str = "\
Examples:
  distlab sweep --list
  distlab sweep loss-vs-drop
  distlab sweep async-drop --vary drop=0,0.1,0.2,0.3,0.5 --vary mode=async,sync,quorum
  distlab sweep failure-detector --vary timeout_ms=100,200,400,800 --trials 500
  distlab sweep checkout --vary retries=0,1,2,3 --vary idempotency=false,true --csv";

/// Arguments of `distlab sweep`.
#[derive(Debug, Args, Default)]
pub struct SweepArgs {
    /// One of the lesson's sweeps (see --list), or a scenario to sweep with --vary.
    #[arg(value_name = "SWEEP|SCENARIO", required_unless_present = "list")]
    pub target: Option<String>,
    /// List the lesson's sweeps: id, title and scenario.
    #[arg(long, conflicts_with = "target")]
    pub list: bool,
    /// A parameter and the values to try, e.g. --vary drop=0,0.1,0.2; several --vary make
    /// a grid (the first varies slowest). Only with a scenario.
    #[arg(long, value_name = "KEY=V1,V2,...")]
    pub vary: Vec<String>,
    /// Keep a parameter fixed at a value other than the scenario's, e.g. --set mode=sync.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Seeds per row (1 to 50000; default: the sweep's own, else 200). Every row runs the
    /// same seeds.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=TRIALS_MAX))]
    pub trials: Option<u64>,
    /// The first seed.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Threads (1 to 256; default: one per core). The table is the same for any N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// One JSON object per row.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Comma-separated values with a header line.
    #[arg(long)]
    pub csv: bool,
}

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
    /// End the run at this simulated time, in milliseconds (default: the scenario's
    /// duration): the workload and timers stop there, the messages already in flight still
    /// land, and the summary counts them.
    #[arg(long, value_name = "T")]
    pub until_ms: Option<u64>,
    /// Override a scenario parameter, e.g. --set mode=quorum --set drop=0.2.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Emit JSON: one object per event per line, the summary last.
    #[arg(long)]
    pub json: bool,
    /// Run N consecutive seeds (1 to 50000) starting at --seed and print only the summary.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=TRIALS_MAX))]
    pub trials: Option<u64>,
    /// Run the trials on N threads (1 to 256; default: one per core). The summary is the
    /// same for any N.
    #[arg(long, value_name = "N", requires = "trials", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Write the client operations as Jepsen-style JSON lines to FILE.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Replay a saved lab session (scenario, seed, timed commands).
    #[arg(long, value_name = "FILE", conflicts_with = "scenario")]
    pub replay: Option<PathBuf>,
    /// Run the scenario's guided walkthrough: its steps' commands, a marker at each step
    /// with its caption and every claim checked (with --json, one object per step).
    #[arg(long, conflicts_with_all = ["trials", "replay", "list"])]
    pub walkthrough: bool,
    /// Print every anomaly (lost write, stale read, false suspicion, duplicate charge, ...)
    /// with its causal chain from the trace, and a single change that a replay shows would
    /// have avoided it (with --json, one object per anomaly with its event ids).
    #[arg(long, conflicts_with_all = ["trials", "list", "history"])]
    pub explain: bool,
}

/// Shells that `distlab completions` can generate for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// Parses `--speed`: a positive, finite factor.
fn speed(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    crate::tui::lab::check_speed(x)
}

/// Most trials one `distlab sim --trials N` runs; all of them together are also bounded by
/// [`crate::headless::TRIALS_EVENTS_MAX`] events.
pub const TRIALS_MAX: u64 = 50_000;

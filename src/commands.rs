//! What each subcommand does, behind the thin `main`: load what it needs, run it, and turn
//! every failure into a [`Failure`] that says which exit code it deserves.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use clap::CommandFactory;

use crate::cli::{Cli, Command, LabArgs, PresentArgs, PrintArgs, ProgressArgs, QuizArgs, SimArgs};
use crate::config::{self, ConfigError, Settings};
use crate::input::shown;
use crate::lesson::{self, Lesson};
use crate::plain::quiz::{QuizOptions, QuizRunError};
use crate::plain::{self, PrintOptions};
use crate::progress::{Attempt, ProgressStore, report, unix_now};
use crate::quiz::{Mode, Order, QuizSession};
use crate::sanitize::{quote, sanitize};
use crate::tui::{self, action::Tab, theme::Theme};

/// A failure with the exit code it deserves.
pub enum Failure {
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

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Input(e.to_string())
    }
}

/// Runs the command `cli` asks for.
pub fn run(cli: Cli) -> Result<(), Failure> {
    // The config file is checked for every command, not only those that open the terminal
    // app: a broken file is reported the first time anything runs, on a normal screen, and
    // `distlab print` doubles as a way to check it.
    let settings = config::resolve(
        &config::Flags::from_cli(&cli),
        &match config::load() {
            Ok(config) => config,
            Err(e @ ConfigError::Denied { .. }) => {
                warn(&e.to_string());
                config::Config::default()
            }
            Err(e) => return Err(e.into()),
        },
        tui::terminal::no_color(),
    );
    if let (Some(dir), Some(_)) = (&cli.course, &cli.command) {
        return Err(Failure::Input(format!(
            "--course {} opens the course's start screen, with no command after it; for one \
             of its lessons use --lesson FILE (`distlab check {}` checks the whole course)",
            quote(&shown(dir)),
            quote(&shown(dir))
        )));
    }
    match &cli.command {
        Some(Command::Check { files, seeds }) => check(files, seeds.as_deref()),
        Some(Command::Completions { shell }) => {
            let shell = match *shell {
                crate::cli::Shell::Bash => clap_complete::Shell::Bash,
                crate::cli::Shell::Zsh => clap_complete::Shell::Zsh,
                crate::cli::Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "distlab", &mut out);
            write_stdout(|w| w.write_all(&out))
        }
        Some(Command::Print(args)) => print(&load(&cli)?, args),
        Some(Command::Quiz(args)) => quiz(&cli, args, &settings),
        Some(Command::Lab(args)) => lab(&cli, args, &settings),
        Some(Command::Progress(args)) => progress(&cli, args),
        Some(Command::Present(args)) => present(args, &settings),
        Some(Command::Sweep(args)) => sweep(&cli, args),
        Some(Command::Sim(args)) => crate::headless::run(&sim_request(args), cli.lesson.as_deref())
            .map_err(|e| match e.exit_code() {
                2 => Failure::Input(e.to_string()),
                _ => Failure::Runtime(e.to_string()),
            }),
        None if cli.course.is_some() => open_course(&cli, &settings),
        None => {
            let lesson = load(&cli)?;
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            if !io::stdout().is_terminal() || dumb {
                return print(&lesson, &PrintArgs::default());
            }
            let quiz = (Order::Lesson, Mode::Practice);
            open_tui(&cli, &settings, lesson, Tab::Lesson, quiz, None)
        }
    }
}

/// Opens the terminal app on `tab`. Everything that can fail on bad input has been checked
/// before this point, so errors print on a normal screen.
/// The `sim` arguments as the headless runner takes them.
fn sim_request(args: &SimArgs) -> crate::headless::Request {
    crate::headless::Request {
        scenario: args.scenario.clone(),
        list: args.list,
        seed: args.seed,
        until_ms: args.until_ms,
        set: args.set.clone(),
        json: args.json,
        trials: args.trials,
        jobs: args.jobs.map(usize::from),
        history: args.history.clone(),
        replay: args.replay.clone(),
        walkthrough: args.walkthrough,
        explain: args.explain,
    }
}

/// `distlab sweep`: one of the lesson's sweeps, or a scenario swept with `--vary`.
fn sweep(cli: &Cli, args: &crate::cli::SweepArgs) -> Result<(), Failure> {
    use crate::headless::sweep::{self, DEFAULT_TRIALS, Format, Request};
    let headless = |e: crate::headless::HeadlessError| match e.exit_code() {
        2 => Failure::Input(e.to_string()),
        _ => Failure::Runtime(e.to_string()),
    };
    let lesson = load(cli)?;
    if args.list {
        return sweep::list(&lesson.sweeps).map_err(headless);
    }
    let target = args.target.clone().unwrap_or_default();
    let format = if args.json {
        Format::Json
    } else if args.csv {
        Format::Csv
    } else {
        Format::Text
    };
    let jobs = args.jobs.map(usize::from);
    if let Some(s) = lesson.sweeps.iter().find(|s| s.id == target.as_str()) {
        if !args.vary.is_empty() {
            return Err(Failure::Input(format!(
                "`{}` is one of the lesson's sweeps, which vary their own parameters; \
                 to choose them, sweep its scenario: distlab sweep {} --vary ...",
                quote(&target),
                s.scenario
            )));
        }
        let mut req = sweep::lesson_request(s, args.seed, jobs, format);
        req.set = args.set.clone();
        if let Some(n) = args.trials {
            req.trials = n;
        }
        return sweep::run_lesson(s, &req, &lesson.scenarios).map_err(headless);
    }
    if args.vary.is_empty() && lesson.scenarios.iter().any(|s| s.id == target.as_str()) {
        return Err(Failure::Input(format!(
            "sweeping scenario `{}` needs at least one --vary KEY=V1,V2,...",
            quote(&target)
        )));
    }
    if !lesson.scenarios.iter().any(|s| s.id == target.as_str()) {
        let sweeps: Vec<&str> = lesson.sweeps.iter().map(|s| s.id.as_str()).collect();
        let scenarios: Vec<&str> = lesson.scenarios.iter().map(|s| s.id.as_str()).collect();
        return Err(Failure::Input(format!(
            "unknown sweep or scenario `{}`; sweeps: {}; scenarios: {}",
            quote(&target),
            if sweeps.is_empty() {
                "none".to_owned()
            } else {
                sweeps.join(", ")
            },
            scenarios.join(", ")
        )));
    }
    let req = Request {
        scenario: target,
        vary: args.vary.clone(),
        set: args.set.clone(),
        seed: args.seed,
        trials: args.trials.unwrap_or(DEFAULT_TRIALS),
        jobs,
        format,
        cancel: None,
    };
    sweep::run(&req, &lesson.scenarios).map_err(headless)
}

fn open_tui(
    cli: &Cli,
    settings: &Settings,
    lesson: Lesson,
    tab: Tab,
    quiz: (Order, Mode),
    lab: Option<tui::LabStart>,
) -> Result<(), Failure> {
    // The name was checked (clap or the config loader); only a broken built-in fails here.
    let theme = Theme::builtin(&settings.theme).map_err(|e| Failure::Runtime(e.to_string()))?;
    // A progress file that cannot be used does not stop the lesson: run without saving.
    let (progress, warning) = match progress_store(cli) {
        Ok((store, warning)) => (Some(store), warning),
        Err(e) => (None, Some(format!("{e}; progress will not be saved"))),
    };
    let warning = warning.map(|w| sanitize(&w));
    let options = tui::Options {
        theme,
        tab,
        progress,
        warning,
        quiz,
        lab,
        display: settings.display,
    };
    let warning =
        tui::run(lesson, options).map_err(|e| Failure::Runtime(format!("terminal error: {e}")))?;
    if let Some(w) = warning {
        warn(&w);
    }
    Ok(())
}

/// `distlab --course DIR`: the course's start screen. The course file and every lesson are
/// checked before the terminal is touched, so every problem prints on a normal screen.
fn open_course(cli: &Cli, settings: &Settings) -> Result<(), Failure> {
    let dir = cli.course.as_deref().unwrap_or(std::path::Path::new("."));
    let course = crate::course::load(dir).map_err(|e| Failure::Input(e.to_string()))?;
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    if !io::stdout().is_terminal() || dumb {
        return write_stdout(|w| {
            writeln!(w, "{}", course.title)?;
            for (i, l) in course.lessons.iter().enumerate() {
                writeln!(w, "{:>3}. {} ({})", i + 1, l.lesson.title, l.file)?;
            }
            writeln!(
                w,
                "Open one with: distlab --lesson {}",
                shown(&dir.join(&course.lessons[0].file))
            )
        });
    }
    let theme = Theme::builtin(&settings.theme).map_err(|e| Failure::Runtime(e.to_string()))?;
    let (progress, warning) = match progress_store(cli) {
        Ok((store, warning)) => (Some(store), warning),
        Err(e) => (None, Some(format!("{e}; progress will not be saved"))),
    };
    let options = tui::CourseOptions {
        theme,
        progress,
        warning: warning.map(|w| sanitize(&w)),
        display: settings.display,
    };
    let warning = tui::run_course(&course, options)
        .map_err(|e| Failure::Runtime(format!("terminal error: {e}")))?;
    if let Some(w) = warning {
        warn(&w);
    }
    Ok(())
}

/// Prints a warning on stderr, sanitized like every message that may quote a value from a
/// file or a flag.
pub fn warn(message: &str) {
    let _ = writeln!(io::stderr(), "distlab: warning: {}", sanitize(message));
}

/// `--compare KEY=A,KEY=B`, checked before the terminal is touched: both sides must build.
fn compare_spec(
    scenario: &crate::lesson::Scenario,
    spec: &str,
) -> Result<(String, String, String), Failure> {
    let bad = |e: String| Failure::Input(format!("--compare `{}`: {e}", quote(spec)));
    let (key, a, b) = tui::lab::parse_compare(spec).map_err(bad)?;
    let mut built = Vec::new();
    for value in [&a, &b] {
        let mut table = toml::Table::new();
        table.insert(key.clone(), toml::Value::String(value.clone()));
        let t = crate::sim::Sim::template(scenario, &table).map_err(|e| bad(e.to_string()))?;
        built.push(format!("{:?}", t.params()));
    }
    if built[0] == built[1] {
        return Err(bad(format!(
            "{key}={a} and {key}={b} are the same setting: a comparison needs two different \
             values"
        )));
    }
    Ok((key, a, b))
}

/// `distlab lab`: the TUI on the Lab tab with the scenario and seed asked for; an unknown
/// scenario is a usage error before the terminal is touched.
fn lab(cli: &Cli, args: &LabArgs, settings: &Settings) -> Result<(), Failure> {
    let lesson = load(cli)?;
    let index = match &args.scenario {
        None => 0,
        Some(id) => lesson
            .scenarios
            .iter()
            .position(|s| s.id == id.as_str())
            .ok_or_else(|| {
                let ids: Vec<&str> = lesson.scenarios.iter().map(|s| s.id.as_str()).collect();
                Failure::Input(format!(
                    "unknown scenario `{}`; expected one of: {}",
                    quote(id),
                    ids.join(", ")
                ))
            })?,
    };
    if lesson.scenarios.is_empty() {
        return Err(Failure::Input(format!(
            "the lesson `{}` has no lab scenarios",
            lesson.id
        )));
    }
    let compare = match &args.compare {
        None => None,
        Some(spec) => Some(compare_spec(&lesson.scenarios[index], spec)?),
    };
    if !io::stdout().is_terminal() {
        return Err(Failure::Input(
            "the lab needs a terminal; `distlab sim` runs a scenario headless".into(),
        ));
    }
    let lab = tui::LabStart {
        scenario: index,
        seed: args.seed,
        walkthrough: args.walkthrough,
        compare,
    };
    open_tui(
        cli,
        settings,
        lesson,
        Tab::Lab,
        (Order::Lesson, Mode::Practice),
        Some(lab),
    )
}

/// `distlab present`: the presenter's screen. Which distlab to follow is settled before the
/// terminal is touched: the one `--socket` names, else the only one serving a link (with
/// several, they are listed and the teacher picks one).
fn present(args: &PresentArgs, settings: &Settings) -> Result<(), Failure> {
    use crate::link::{client, place};
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(Failure::Input(
            "distlab present needs a terminal: run it in the teacher's own terminal window".into(),
        ));
    }
    let target = match &args.socket {
        Some(path) => {
            if path.exists() && !is_socket(path) {
                return Err(Failure::Input(format!(
                    "--socket {}: not a socket; expected a path that `distlab present` lists",
                    quote(&path.display().to_string())
                )));
            }
            tui::presenter::Target::Socket(path.clone())
        }
        None => {
            let dir = place::default_dir();
            if dir.exists() {
                place::check_private(&dir).map_err(|e| Failure::Input(e.to_string()))?;
            }
            let found = client::candidates(&dir);
            if found.len() > 1 {
                let now = crate::link::unix_now();
                let rows: Vec<String> = found
                    .iter()
                    .map(|(path, h)| {
                        let ago = now.saturating_sub(h.started_unix) / 60;
                        format!(
                            "  pid {:<7} {}, started {ago} min ago\n    distlab present --socket {}",
                            h.pid,
                            quote(&h.lesson),
                            quote(&path.display().to_string())
                        )
                    })
                    .collect();
                return Err(Failure::Input(format!(
                    "{} distlab instances serve a presenter link; choose one:\n{}",
                    found.len(),
                    rows.join("\n")
                )));
            }
            tui::presenter::Target::Dir(dir)
        }
    };
    let theme = Theme::builtin(&settings.theme).map_err(|e| Failure::Runtime(e.to_string()))?;
    tui::present(target, theme, settings.display.ascii)
        .map_err(|e| Failure::Runtime(format!("terminal error: {e}")))
}

fn is_socket(path: &std::path::Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

/// The lesson named by `--lesson`, or the built-in one.
fn load(cli: &Cli) -> Result<Lesson, Failure> {
    Ok(match &cli.lesson {
        Some(path) => lesson::load_file(path)?,
        None => lesson::builtin()?,
    })
}

/// `n` things, e.g. "1 sweep", "3 sweeps".
fn counted(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

fn check(files: &[std::path::PathBuf], seeds: Option<&str>) -> Result<(), Failure> {
    use crate::lesson::story::seeds as stories;
    let seeds = seeds
        .map(stories::parse_seeds)
        .transpose()
        .map_err(|e| Failure::Input(format!("--seeds: {e}")))?;
    let mut failed = 0;
    // A course stands for its lessons, once its own file and every lesson load.
    let mut lessons = Vec::new();
    let mut courses = Vec::new();
    let mut course_files = 0;
    for file in files {
        if !crate::course::is_course(file) {
            lessons.push(file.clone());
            continue;
        }
        course_files += 1;
        match crate::course::load(file) {
            Ok(course) => {
                lessons.extend(course.lessons.iter().map(|l| l.path.clone()));
                courses.push(course);
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(io::stderr(), "{}", sanitize(&e.to_string()));
            }
        }
    }
    let checked = lessons.len() + course_files;
    for file in &lessons {
        let name = shown(file);
        let checked = lesson::load_file_with_source(file).and_then(|(lesson, source)| {
            let range = stories::seeds_for(&lesson, seeds.clone())
                .map_err(|f| lesson::problems_at(&name, &source, [(f.span, f.message)]))?;
            let flag = format!("--lesson {} ", crate::sanitize::quote(&name));
            let report = stories::check(&lesson, range.clone(), &flag);
            let cue = crate::lesson::cues::longest_key_warning(&lesson);
            if !report.warnings.is_empty() || cue.is_some() {
                let warnings = report
                    .warnings
                    .iter()
                    .map(|f| (f.span.clone(), format!("warning: {}", f.message)))
                    .chain(cue);
                let text = lesson::problems_at(&name, &source, warnings).to_string();
                let _ = writeln!(io::stderr(), "{}", sanitize(&text));
            }
            let estimates = crate::quiz::estimate::check(&lesson);
            let sweeps = crate::headless::sweep::check_lesson(&lesson);
            if report.errors.is_empty()
                && estimates.problems.is_empty()
                && sweeps.problems.is_empty()
            {
                Ok((range, report.runs, estimates, sweeps))
            } else {
                let errors = (report.errors.into_iter().map(|f| (f.span, f.message)))
                    .chain(estimates.problems)
                    .chain(sweeps.problems);
                Err(lesson::problems_at(&name, &source, errors))
            }
        });
        match checked {
            Ok((range, runs, estimates, sweeps)) => write_stdout(|w| {
                let mut done = Vec::new();
                if runs > 0 {
                    done.push(format!(
                        "walkthroughs checked on seeds {}-{}: {runs} runs",
                        range.start(),
                        range.end()
                    ));
                }
                if estimates.questions > 0 {
                    done.push(format!(
                        "{} checked: {} runs",
                        counted(estimates.questions, "estimate question"),
                        estimates.runs
                    ));
                }
                if sweeps.sweeps > 0 {
                    done.push(format!(
                        "{} checked: {} runs",
                        counted(sweeps.sweeps, "sweep"),
                        sweeps.runs
                    ));
                }
                if done.is_empty() {
                    writeln!(w, "OK: {name}")
                } else {
                    writeln!(w, "OK: {name} ({})", done.join("; "))
                }
            })?,
            Err(e) => {
                failed += 1;
                let _ = writeln!(io::stderr(), "{}", sanitize(&e.to_string()));
            }
        }
    }
    for course in &courses {
        write_stdout(|w| {
            writeln!(
                w,
                "OK: {} (\"{}\": {})",
                course.name,
                course.title,
                counted(course.lessons.len(), "lesson")
            )
        })?;
    }
    if failed == 0 {
        Ok(())
    } else {
        let files = if course_files == 0 {
            "lesson files"
        } else {
            "lesson and course files"
        };
        Err(Failure::Input(format!(
            "{failed} of {checked} {files} failed the check"
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

/// The progress file named by `--progress-file`, or the one in the data directory. A
/// warning (a corrupt file moved aside) goes to stderr; loading goes on.
fn open_progress(cli: &Cli) -> Result<ProgressStore, Failure> {
    let (store, warning) = progress_store(cli).map_err(|e| match e {
        // A --progress-file that names a directory or a device is a usage error.
        crate::progress::ProgressError::NotAFile { .. } => Failure::Input(e.to_string()),
        _ => Failure::Runtime(e.to_string()),
    })?;
    if let Some(w) = warning {
        warn(&w);
    }
    Ok(store)
}

/// The progress store and the warning, if any, that opening it gave.
fn progress_store(
    cli: &Cli,
) -> Result<(ProgressStore, Option<String>), crate::progress::ProgressError> {
    let path = match &cli.progress_file {
        Some(path) => path.clone(),
        None => ProgressStore::default_path()?,
    };
    let (store, warning) = ProgressStore::open(path)?;
    Ok((store, warning.map(|w| w.to_string())))
}

fn quiz(cli: &Cli, args: &QuizArgs, settings: &Settings) -> Result<(), Failure> {
    let lesson = load(cli)?;
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let terminal = io::stdin().is_terminal() && io::stdout().is_terminal() && !dumb;
    if !args.plain && terminal {
        let (order, mode) = quiz_order_mode(args);
        return open_tui(cli, settings, lesson, Tab::Quiz, (order, mode), None);
    }
    let mut store = open_progress(cli)?;
    let (mut session, intro) = quiz_session(&lesson, args, &store);
    let opts = QuizOptions {
        intro,
        echo: !io::stdin().is_terminal(),
        lesson: Some(lesson.clone()),
    };
    let id = lesson.id.to_string();
    let started = Instant::now();
    let mut record = |a: &crate::quiz::Answered, s: &QuizSession| {
        let day = store.lesson_mut(&id);
        day.record_answer(&a.question_id, a.correct);
        if s.is_finished() {
            day.record_attempt(Attempt::from_summary(
                &s.summary(started.elapsed()),
                unix_now(),
            ));
        }
        let warning = store.save().map_err(|e| e.to_string())?;
        if let Some(w) = warning {
            warn(&w.to_string());
        }
        Ok(())
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut input = io::stdin().lock();
    match plain::quiz::run(&mut session, &mut input, &mut out, &opts, &mut record) {
        Ok(_) => Ok(()),
        Err(QuizRunError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e @ QuizRunError::TooManyInvalid) => Err(Failure::Input(e.to_string())),
        Err(QuizRunError::Input(e)) if e.kind() == io::ErrorKind::InvalidData => Err(
            Failure::Input(format!("cannot read answers from standard input: {e}")),
        ),
        Err(e) => Err(Failure::Runtime(e.to_string())),
    }
}

/// The question order and mode that `args` ask for.
fn quiz_order_mode(args: &QuizArgs) -> (Order, Mode) {
    let mode = if args.exam {
        Mode::Exam
    } else {
        Mode::Practice
    };
    let order = if args.review {
        Order::Review
    } else if args.course_order {
        Order::Course
    } else if args.shuffle {
        Order::Shuffled(
            args.seed
                .unwrap_or_else(|| unix_now() ^ u64::from(std::process::id())),
        )
    } else {
        Order::Lesson
    };
    (order, mode)
}

/// The session `args` ask for, and the intro lines that say which one it is.
fn quiz_session(
    lesson: &Lesson,
    args: &QuizArgs,
    store: &ProgressStore,
) -> (QuizSession, Vec<String>) {
    let (order, mode) = quiz_order_mode(args);
    let day = store.lesson(&lesson.id);
    let attempt = day.map_or(0, |d| u64::from(d.attempts));
    let options_seed = args
        .seed
        .unwrap_or_else(|| crate::quiz::attempt_seed(&lesson.id, attempt));
    let session = QuizSession::with_order(
        &lesson.questions,
        order,
        mode,
        |id| day.and_then(|d| d.box_of(id)),
        options_seed,
    );
    let intro = vec![
        format!(
            "{}: quiz, {} questions, {}.",
            lesson.short_title(),
            session.len(),
            mode.describe()
        ),
        match order {
            Order::Lesson | Order::Review => format!(
                "Order: {} (attempt {}; repeat it with --seed {options_seed}).",
                order.describe(),
                attempt + 1
            ),
            _ => format!("Order: {}.", order.describe()),
        },
        format!(
            "Answer with a letter (a whole number where a question asks for one) and Enter. \
             Progress is saved to {}.",
            shown(store.path())
        ),
    ];
    (session, intro)
}

fn progress(cli: &Cli, args: &ProgressArgs) -> Result<(), Failure> {
    let lesson = load(cli)?;
    let mut store = open_progress(cli)?;
    if args.reset {
        return reset(&mut store, &lesson.id, args.yes);
    }
    if args.json {
        let json = report::to_json_text(&store, &lesson);
        return write_stdout(|w| writeln!(w, "{json}"));
    }
    write_stdout(|w| report::write_text(&store, &lesson, w))
}

/// Forgets one lesson's progress after confirmation (asked on stderr, read from stdin).
fn reset(store: &mut ProgressStore, id: &str, yes: bool) -> Result<(), Failure> {
    let file = shown(store.path());
    if store.lesson(id).is_none() {
        return write_stdout(|w| writeln!(w, "No progress for {id} in {file}; nothing to reset."));
    }
    if !yes {
        let _ = write!(io::stderr(), "Reset progress for {id} in {file}? [y/N] ");
        let answer = crate::input::read_line(&mut io::stdin().lock())
            .map_err(|e| Failure::Input(format!("cannot read the answer: {e}")))?
            .unwrap_or_default();
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            return write_stdout(|w| writeln!(w, "Nothing was reset."));
        }
    }
    store.reset_lesson(id);
    if let Some(w) = store.save().map_err(|e| Failure::Runtime(e.to_string()))? {
        warn(&w.to_string());
    }
    write_stdout(|w| writeln!(w, "Reset progress for {id} in {file}."))
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

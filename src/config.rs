//! Preferences: the optional `config.toml` in the platform's config directory
//! (`~/.config/distlab/config.toml` on Linux, or the file named by `DISTLAB_CONFIG`), the
//! command-line flags that override it, and how the two combine into the theme and display
//! the terminal app starts with.
//!
//! ```toml
//! theme = "light"          # dark, light, projector or mono
//! speed = 0.5              # simulated seconds per wall second; the nearest lab preset is used
//! reduced_motion = true    # messages appear at their destination instead of moving
//! projector = false        # classroom projector layout
//! ascii = false            # draw with ASCII characters only (always on TERM=linux)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::cli::Cli;
use crate::lesson::Problem;
use crate::tui::{self, lab, theme};

/// The environment variable that names the config file instead of the default place.
pub const ENV_VAR: &str = "DISTLAB_CONFIG";
/// The lab's starting speed (index into [`lab::SPEEDS`]) in projector mode: slower than
/// the default, so a room can follow each message.
pub const PROJECTOR_SPEED: usize = lab::DEFAULT_SPEED - 1;

/// What the config file says; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub theme: Option<String>,
    /// Simulated seconds per wall second.
    pub speed: Option<f64>,
    pub reduced_motion: Option<bool>,
    pub projector: Option<bool>,
    pub ascii: Option<bool>,
}

/// What the command line says; `None` or `false` where a flag was not given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    pub theme: Option<String>,
    pub speed: Option<f64>,
    pub reduced_motion: bool,
    pub projector: bool,
    /// `--ascii`, or a terminal that draws little beyond it (the Linux console).
    pub ascii: bool,
}

impl Flags {
    /// The display flags of a parsed command line.
    pub fn from_cli(cli: &Cli) -> Flags {
        Flags {
            theme: cli.theme.clone(),
            speed: cli.speed,
            reduced_motion: cli.reduced_motion,
            projector: cli.projector,
            ascii: cli.ascii || tui::terminal::linux_console(),
        }
    }
}

/// What the terminal app starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// A built-in theme's name.
    pub theme: String,
    pub display: tui::Display,
}

/// A config file that cannot be read or is not valid.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {reason}")]
    Io { path: String, reason: String },
    /// distlab may not read the file: it is someone else's, so it is not an error in the
    /// command, only a reason to use the defaults (with a warning).
    #[error("cannot read the config file {path}: permission denied; using the default settings")]
    Denied { path: String },
    #[error("{}", render(path, problem))]
    Invalid { path: String, problem: Problem },
}

/// The config file's path: `$DISTLAB_CONFIG` when set and not empty, else `config.toml`
/// in the platform's config directory; `None` when there is no home directory at all.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os(ENV_VAR) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => directories::ProjectDirs::from("", "", "distlab")
            .map(|d| d.config_dir().join("config.toml")),
    }
}

/// The config from [`path`]; a file that does not exist gives the defaults.
pub fn load() -> Result<Config, ConfigError> {
    match path() {
        Some(p) => load_file(&p),
        None => Ok(Config::default()),
    }
}

/// The config in the file at `path`; a file that does not exist gives the defaults.
pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
    let name = crate::input::shown(path);
    let bytes = match crate::input::read_limited(path, crate::input::CONFIG_MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(crate::input::ReadError::NotFound) => return Ok(Config::default()),
        Err(crate::input::ReadError::PermissionDenied) => {
            return Err(ConfigError::Denied { path: name });
        }
        Err(e) => {
            return Err(ConfigError::Io {
                path: name,
                reason: e.to_string(),
            });
        }
    };
    let source = String::from_utf8(bytes).map_err(|_| ConfigError::Invalid {
        path: name.clone(),
        problem: Problem::whole_file("not a text file (it is not UTF-8)"),
    })?;
    parse(&source).map_err(|problem| ConfigError::Invalid {
        path: name,
        problem,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    theme: Option<Spanned<String>>,
    speed: Option<Spanned<f64>>,
    reduced_motion: Option<bool>,
    projector: Option<bool>,
    ascii: Option<bool>,
}

/// Parses and checks the text of a config file.
pub fn parse(source: &str) -> Result<Config, Problem> {
    let file: ConfigFile = toml::from_str(source).map_err(|e| match e.span() {
        Some(span) => Problem::at(source, span, e.message()),
        None => Problem::whole_file(e.message()),
    })?;
    if let Some(theme) = &file.theme
        && let Err(e) = theme::Theme::builtin(theme.get_ref())
    {
        return Err(Problem::at(source, theme.span(), e.to_string()));
    }
    if let Some(speed) = &file.speed
        && let Err(message) = lab::check_speed(*speed.get_ref())
    {
        return Err(Problem::at(source, speed.span(), message));
    }
    Ok(Config {
        theme: file.theme.map(Spanned::into_inner),
        speed: file.speed.map(Spanned::into_inner),
        reduced_motion: file.reduced_motion,
        projector: file.projector,
        ascii: file.ascii,
    })
}

/// The lab preset nearest to `speed` (nearest by ratio: 0.3 is nearer 0.25 than 0.5).
pub fn speed_index(speed: f64) -> usize {
    let distance = |preset: f64| (preset.ln() - speed.ln()).abs();
    (0..lab::SPEEDS.len())
        .min_by(|&a, &b| distance(lab::SPEEDS[a]).total_cmp(&distance(lab::SPEEDS[b])))
        .unwrap_or(lab::DEFAULT_SPEED)
}

/// Combines flags and config: a flag wins over the config, the config over the defaults.
/// The theme is `--theme` > config `theme` > `projector` in projector mode > `dark`, and
/// always `mono` when `no_color` (the NO_COLOR convention). The starting speed defaults to
/// a slower one in projector mode.
pub fn resolve(flags: &Flags, config: &Config, no_color: bool) -> Settings {
    let projector = flags.projector || config.projector.unwrap_or(false);
    let reduced_motion = flags.reduced_motion || config.reduced_motion.unwrap_or(false);
    let ascii = flags.ascii || config.ascii.unwrap_or(false);
    let theme = if no_color {
        "mono".to_owned()
    } else {
        flags
            .theme
            .clone()
            .or_else(|| config.theme.clone())
            .unwrap_or_else(|| if projector { "projector" } else { "dark" }.to_owned())
    };
    let speed_index = match flags.speed.or(config.speed) {
        Some(speed) => speed_index(speed),
        None if projector => PROJECTOR_SPEED,
        None => lab::DEFAULT_SPEED,
    };
    Settings {
        theme,
        display: tui::Display {
            projector,
            reduced_motion,
            ascii,
            speed_index,
            // Known only once the terminal is open (`tui::run` probes it).
            double_height: false,
        },
    }
}

/// `path:line:column: message` and the offending line with a caret under it.
fn render(path: &str, p: &Problem) -> String {
    let mut out = format!("config file {path}:{}:{}: {}", p.line, p.column, p.message);
    if !p.snippet.trim().is_empty() {
        let pad = " ".repeat(p.line.to_string().len());
        let indent = " ".repeat(p.caret.start);
        let carets = "^".repeat(p.caret.len().max(1));
        out.push_str(&format!(
            "\n{pad} |\n{} | {}\n{pad} | {indent}{carets}",
            p.line, p.snippet
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(source: &str) -> Problem {
        parse(source).unwrap_err()
    }

    #[test]
    fn a_full_config_parses_and_an_empty_one_is_the_defaults() {
        let c = parse(
            "theme = \"light\"\nspeed = 2\nreduced_motion = true\nprojector = false\nascii = true\n",
        )
        .unwrap();
        let want = Config {
            theme: Some("light".into()),
            speed: Some(2.0),
            reduced_motion: Some(true),
            projector: Some(false),
            ascii: Some(true),
        };
        assert_eq!(c, want);
        assert_eq!(parse("# nothing\n").unwrap(), Config::default());
    }

    #[test]
    fn problems_point_at_the_line_and_column() {
        let p = problem("theme = \"dark\"\nspeed = = 1\n");
        assert_eq!(p.line, 2, "{p:?}");
        let p = problem("theme = \"dark\"\ncolour = true\n");
        assert_eq!((p.line, p.column), (2, 1));
        assert!(
            p.message.contains("unknown field `colour`"),
            "{}",
            p.message
        );
        let p = problem("\n\ntheme = \"neon\"\n");
        assert_eq!((p.line, p.column), (3, 9));
        assert_eq!(
            p.message,
            "unknown theme `neon`; expected one of: dark, light, projector, mono"
        );
        assert_eq!(p.snippet, "theme = \"neon\"");
        let p = problem("projector = \"yes\"\n");
        assert_eq!((p.line, p.column), (1, 13));
        for bad in ["speed = 0", "speed = -1.5", "speed = nan", "speed = inf"] {
            let p = problem(bad);
            assert_eq!((p.line, p.column), (1, 9), "{bad}");
            assert!(p.message.contains("positive"), "{bad}: {}", p.message);
        }
    }

    #[test]
    fn the_rendered_error_names_the_file_line_and_shows_it() {
        let problem = problem("speed = 1\ntheme = \"neon\"\n");
        let e = ConfigError::Invalid {
            path: "/x/config.toml".into(),
            problem,
        };
        assert_eq!(
            e.to_string(),
            "config file /x/config.toml:2:9: unknown theme `neon`; expected one of: dark, \
             light, projector, mono\n  |\n2 | theme = \"neon\"\n  |         ^^^^^^"
        );
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("config.toml");
        assert_eq!(load_file(&missing).unwrap(), Config::default());
        let e = load_file(dir.path()).unwrap_err();
        assert!(matches!(e, ConfigError::Io { .. }), "{e}");
    }

    #[test]
    fn speeds_go_to_the_nearest_preset_by_ratio() {
        let at = |x: f64| lab::SPEEDS[speed_index(x)];
        assert_eq!(at(0.25), 0.25);
        assert_eq!(at(0.3), 0.25);
        assert_eq!(at(0.4), 0.5);
        assert_eq!(at(1.0), 1.0);
        assert_eq!(at(1000.0), 25.0);
        assert_eq!(at(1e-9), 0.02);
    }

    #[test]
    fn flags_override_the_config_which_overrides_the_defaults() {
        let none = Flags::default();
        let defaults = resolve(&none, &Config::default(), false);
        assert_eq!(defaults.theme, "dark");
        assert_eq!(defaults.display, tui::Display::default());

        let config = Config {
            theme: Some("light".into()),
            speed: Some(2.0),
            reduced_motion: Some(true),
            projector: Some(true),
            ascii: Some(true),
        };
        let from_config = resolve(&none, &config, false);
        assert_eq!(from_config.theme, "light");
        assert_eq!(lab::SPEEDS[from_config.display.speed_index], 2.0);
        assert!(from_config.display.reduced_motion && from_config.display.projector);
        assert!(from_config.display.ascii);

        let flags = Flags {
            theme: Some("mono".into()),
            speed: Some(10.0),
            ..Flags::default()
        };
        let from_flags = resolve(&flags, &config, false);
        assert_eq!(from_flags.theme, "mono");
        assert_eq!(lab::SPEEDS[from_flags.display.speed_index], 10.0);
        // A flag not given leaves the config's choice.
        assert!(from_flags.display.reduced_motion && from_flags.display.projector);
    }

    #[test]
    fn projector_mode_picks_its_theme_and_a_slower_speed_unless_told_otherwise() {
        let flags = Flags {
            projector: true,
            ..Flags::default()
        };
        let s = resolve(&flags, &Config::default(), false);
        assert_eq!(s.theme, "projector");
        assert_eq!(s.display.speed_index, PROJECTOR_SPEED);
        const { assert!(PROJECTOR_SPEED < lab::DEFAULT_SPEED) };
        let config = Config {
            theme: Some("light".into()),
            speed: Some(1.0),
            ..Config::default()
        };
        let s = resolve(&flags, &config, false);
        assert_eq!(s.theme, "light");
        assert_eq!(lab::SPEEDS[s.display.speed_index], 1.0);
    }

    #[test]
    fn no_color_forces_mono_whatever_was_chosen() {
        let flags = Flags {
            theme: Some("dark".into()),
            projector: true,
            ..Flags::default()
        };
        let config = Config {
            theme: Some("light".into()),
            ..Config::default()
        };
        let s = resolve(&flags, &config, true);
        assert_eq!(s.theme, "mono");
        assert!(s.display.projector, "only the colours change");
    }
}

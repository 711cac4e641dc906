//! The display options and the config file from the outside: bad names and bad files are
//! clear errors with exit status 2 before any terminal is touched; good ones are accepted.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const THEMES: &str = "dark, light, projector, mono";

/// `distlab` with its config file at `config` (which need not exist).
fn distlab(config: &Path) -> Command {
    let mut cmd = Command::cargo_bin("distlab").unwrap();
    cmd.env("DISTLAB_CONFIG", config).env_remove("NO_COLOR");
    cmd
}

/// A temporary directory holding `config.toml` with `text`.
fn config_file(text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn no_config() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.toml");
    (dir, path)
}

#[test]
fn an_unknown_theme_flag_lists_the_themes() {
    let (_dir, config) = no_config();
    distlab(&config)
        .args(["--theme", "neon", "print"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("neon").and(predicate::str::contains(THEMES)));
    // Global: after the subcommand too, and before a TUI command.
    distlab(&config)
        .args(["lab", "--theme", "neon"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(THEMES));
}

#[test]
fn a_bad_speed_flag_is_a_usage_error() {
    let (_dir, config) = no_config();
    for bad in ["0", "-1", "fast", "NaN"] {
        distlab(&config)
            .args(["--speed", bad, "print"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("--speed"));
    }
}

#[test]
fn good_flags_are_accepted() {
    let (_dir, config) = no_config();
    distlab(&config)
        .args([
            "--theme",
            "light",
            "--projector",
            "--reduced-motion",
            "--speed",
            "0.3",
        ])
        .args(["print", "--section", "intro"])
        .assert()
        .success()
        .stdout(predicate::str::is_empty().not());
    distlab(&config)
        .args(["print", "--section", "intro", "--theme", "mono"])
        .assert()
        .success();
}

/// Runs `distlab print` with a config file holding `text`; expects exit 2 and an error
/// naming the file, `line:column`, and containing `what`.
fn rejects(text: &str, line_col: &str, what: &str) {
    let (_dir, config) = config_file(text);
    let place = format!("{}:{line_col}:", config.display());
    distlab(&config)
        .arg("print")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains(place)
                .and(predicate::str::contains(what))
                .and(predicate::str::contains("config file")),
        );
}

#[test]
fn a_syntax_error_names_the_file_line_and_shows_it() {
    rejects("theme = \"dark\"\nspeed = = 1\n", "2:9", "2 | speed = = 1");
}

#[test]
fn an_unknown_key_is_named() {
    rejects(
        "speed = 1\ncolour = \"red\"\n",
        "2:1",
        "unknown field `colour`",
    );
}

#[test]
fn an_unknown_theme_in_the_config_lists_the_themes() {
    rejects("theme = \"neon\"\n", "1:9", THEMES);
}

#[test]
fn bad_values_are_named() {
    rejects("speed = 0\n", "1:9", "positive");
    rejects(
        "reduced_motion = \"yes\"\n",
        "1:18",
        "reduced_motion = \"yes\"",
    );
}

#[test]
fn a_bad_config_is_reported_before_a_tui_command_touches_the_terminal() {
    let (_dir, config) = config_file("projector = maybe\n");
    for args in [&[][..], &["lab"], &["quiz"]] {
        distlab(&config)
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::contains("\u{1b}").not())
            .stderr(predicate::str::contains(format!(
                "{}:1:13",
                config.display()
            )));
    }
}

#[test]
fn a_bad_config_is_reported_even_under_no_color() {
    let (_dir, config) = config_file("theme = \"neon\"\n");
    distlab(&config)
        .env("NO_COLOR", "1")
        .arg("print")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(THEMES));
}

#[test]
fn a_good_config_is_accepted() {
    let (_dir, config) = config_file(
        "# distlab preferences\ntheme = \"projector\"\nspeed = 0.5\nreduced_motion = true\n\
         projector = true\n",
    );
    distlab(&config)
        .args(["print", "--section", "intro"])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::is_empty().not());
    // A flag given alongside a config that sets the same thing is fine too.
    distlab(&config)
        .args([
            "--theme",
            "dark",
            "--speed",
            "2",
            "print",
            "--section",
            "intro",
        ])
        .assert()
        .success();
}

#[test]
fn a_missing_config_is_simply_the_defaults() {
    let (_dir, config) = no_config();
    distlab(&config)
        .args(["print", "--section", "intro"])
        .assert()
        .success()
        .stderr("");
}

/// A config file distlab may not read (another user's) is a warning, not an error: every
/// command still runs, on the default settings.
#[cfg(unix)]
#[test]
fn an_unreadable_config_file_is_a_warning_and_the_defaults_apply() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "theme = \"light\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = if std::fs::read(&path).is_ok() {
        // Root reads any file: run distlab as `nobody`, who may not.
        let setpriv = std::path::Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            eprintln!("running as root without setpriv: skipped");
            return;
        }
        let mut cmd = assert_cmd::Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(assert_cmd::cargo::cargo_bin("distlab"));
        cmd
    } else {
        assert_cmd::Command::cargo_bin("distlab").unwrap()
    };
    let out = cmd
        .env("DISTLAB_CONFIG", &path)
        .args(["print", "--section", "intro"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("permission denied; using the default settings"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("many uncertain computers"));
}

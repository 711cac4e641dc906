//! Helpers shared by the command-line tests: the binary with a predictable environment
//! (a colour terminal, no NO_COLOR, and no config file from the machine running the tests).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A config path that never exists, so a developer's own config cannot change a test.
pub const NO_CONFIG: &str = "/nonexistent/distlab-tests/config.toml";

/// `distlab` in a colour terminal, without NO_COLOR and without a config file.
pub fn distlab() -> Command {
    let mut cmd = Command::cargo_bin("distlab").expect("the binary builds");
    cmd.env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .env("DISTLAB_CONFIG", NO_CONFIG);
    cmd
}

/// `distlab --progress-file PATH`.
pub fn distlab_with_progress(progress: &Path) -> Command {
    let mut cmd = distlab();
    cmd.arg("--progress-file").arg(progress);
    cmd
}

/// A temporary directory and a progress file path inside it (not created).
pub fn temp_progress() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("progress.toml");
    (dir, path)
}

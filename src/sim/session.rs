//! A saved lab session: scenario, seed, parameter overrides and timed commands (TOML).
//! Replaying it gives the same trace, byte for byte.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Command;
use crate::sanitize::quote;

/// A session file, as the TUI saves it and `distlab sim --replay` reads it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub scenario: String,
    pub seed: u64,
    /// Stop here (ms of simulated time); default: the scenario's duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_ms: Option<u64>,
    /// Stop here, to the microsecond (a session saved in the lab); wins over `until_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_us: Option<u64>,
    /// Parameter overrides, as with `--set`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, String>,
    #[serde(default)]
    pub commands: Vec<TimedCommand>,
}

/// A command applied at a simulated time (µs).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimedCommand {
    pub at_us: u64,
    pub command: String,
}

/// The longest run a session or `--until-ms` may ask for: a day of simulated time.
pub const UNTIL_MAX_US: u64 = 86_400 * 1_000_000;

impl Session {
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Parses a session; errors carry the TOML error's line and column.
    pub fn from_toml(text: &str) -> Result<Session, String> {
        let s: Session = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(end_us) = s.until_us.or(s.until_ms.map(|ms| ms.saturating_mul(1000)))
            && end_us > UNTIL_MAX_US
        {
            return Err(format!(
                "the session ends at {} µs of simulated time; at most {UNTIL_MAX_US} µs (a day) can be \
                 simulated",
                end_us
            ));
        }
        if let Some(w) = s.commands.windows(2).position(|w| w[1].at_us < w[0].at_us) {
            return Err(format!(
                "commands[{}] is at {} µs, before the command before it; commands must be in time order",
                w + 1,
                s.commands[w + 1].at_us
            ));
        }
        for (i, c) in s.commands.iter().enumerate() {
            Command::parse(&c.command)
                .map_err(|e| format!("commands[{i}] (`{}`): {e}", quote(&c.command)))?;
        }
        Ok(s)
    }

    /// Where the run stops, in µs: `until_us`, else `until_ms`, else `default_ms`.
    pub fn end_us(&self, default_ms: u64) -> u64 {
        self.until_us
            .unwrap_or_else(|| self.until_ms.unwrap_or(default_ms).saturating_mul(1000))
    }

    /// The commands, parsed (checked by [`Session::from_toml`]).
    pub fn parsed_commands(&self) -> Vec<(u64, Command)> {
        self.commands
            .iter()
            .filter_map(|c| Command::parse(&c.command).ok().map(|cmd| (c.at_us, cmd)))
            .collect()
    }

    /// Records a command log (from [`super::Sim::command_log`]).
    pub fn record(&mut self, log: &[(u64, Command)]) {
        self.commands = log
            .iter()
            .map(|(t, c)| TimedCommand {
                at_us: *t,
                command: c.to_string(),
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut s = Session {
            scenario: "async-drop".into(),
            seed: 7,
            ..Default::default()
        };
        s.set.insert("mode".into(), "sync".into());
        s.record(&[(1_500_000, Command::Heal), (2_000_000, Command::Loss(0.5))]);
        let text = s.to_toml();
        assert_eq!(Session::from_toml(&text).unwrap(), s);
        assert!(Session::from_toml("scenario = 1").is_err());
        let bad = "scenario = \"x\"\nseed = 1\n[[commands]]\nat_us = 0\ncommand = \"fly\"\n";
        assert!(Session::from_toml(bad).unwrap_err().contains("commands[0]"));
    }
}

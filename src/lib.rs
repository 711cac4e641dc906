//! distlab: the Day 001 lesson of a distributed-systems course as a terminal lab.
//!
//! The library holds everything that is not terminal plumbing: the lesson model and loader
//! ([`lesson`]), the deterministic simulator ([`sim`]), the quiz ([`quiz`]), saved
//! progress ([`progress`]) and plain-text output ([`plain`]).
//! The binary (`src/main.rs`) only parses arguments and dispatches.

pub mod cli;
pub mod commands;
pub mod config;
pub mod course;
pub mod doc;
pub mod headless;
pub mod input;
pub mod lesson;
pub mod link;
pub mod plain;
pub mod progress;
pub mod quiz;
pub mod sanitize;
pub mod sim;
pub mod tui;
pub mod wrap;

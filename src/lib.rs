//! distlab: the Day 001 lesson of a distributed-systems course as a terminal lab.
//!
//! The library holds everything that is not terminal plumbing: the lesson model and loader
//! ([`lesson`]), the deterministic simulator ([`sim`]), and plain-text output ([`plain`]).
//! The binary (`src/main.rs`) only parses arguments and dispatches.

pub mod cli;
pub mod headless;
pub mod lesson;
pub mod plain;
pub mod sim;

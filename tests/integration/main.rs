//! The in-process and command-line tests, linked as one binary: seven binaries each linked
//! the whole server and its dependencies, which cost CI minutes and gigabytes of disk.

mod common;

mod alerts;
mod audio;
mod cli;
mod content;
mod dns;
mod glossary;
mod help;
mod http;
mod hub;
mod hubnames;
mod offline;
mod operations;
mod sealed;
mod security;
mod staff;
mod upgrade;

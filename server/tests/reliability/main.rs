//! The reliability suite: the real `renkei` binary under a full disk, `kill -9`
//! and crashes at chosen points. Run alone with `make test-reliability`.
//!
//! Each test starts its own server process on SQLite in a temporary directory and
//! talks to it over HTTP, as a browser or a script would.

mod crash;
mod full_disk;
mod fuzz;
mod harness;

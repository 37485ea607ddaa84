//! The one integration-test binary (links once; fast on two cores).

mod cli;
mod golden;
mod outline;
mod spec;

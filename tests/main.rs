//! The one integration-test binary (links once; fast on two cores).

mod batch;
mod cli;
mod fuzz;
mod golden;
mod outline;
mod spec;

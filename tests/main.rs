//! The one integration-test binary (links once; fast on two cores).

mod batch;
mod cli;
mod common;
mod downloads;
mod fuzz;
mod golden;
mod hostile;
mod html;
mod outline;
mod outputs;
mod spec;
mod view;

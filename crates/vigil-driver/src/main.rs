//! The `vigil` binary: command line, rustc driver callbacks, and the interpreter run.
#![feature(rustc_private)]

extern crate rustc_abi;
extern crate rustc_ast;
extern crate rustc_const_eval;
extern crate rustc_data_structures;
extern crate rustc_driver;
extern crate rustc_errors;
extern crate rustc_hir;
extern crate rustc_index;
extern crate rustc_interface;
extern crate rustc_metadata;
extern crate rustc_middle;
extern crate rustc_session;
extern crate rustc_span;
extern crate rustc_target;
extern crate rustc_type_ir;

mod cli;
mod flags;
mod fork;
mod lower;
mod many_seeds;
mod parallel_tests;
mod report;
mod run;

use std::process::ExitCode;

fn main() -> ExitCode {
    vigil_build::run_sysroot_wrapper_if_requested();
    match cli::main() {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

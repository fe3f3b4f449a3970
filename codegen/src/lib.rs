//! Generator of Rust models from Microsoft Graph CSDL (`$metadata`).
//!
//! The pipeline has one module per stage, with plain data between them:
//!
//! 1. [`csdl`] reads the XML into a faithful document (positions kept for errors);
//! 2. [`model`] resolves it ([`model::resolve`]), selects a slice ([`model::slice`]) and lays it
//!    out as Rust ([`model::plan`]);
//! 3. [`emit`] turns the plan into formatted files.
//!
//! [`generate`] runs them all, as the command-line tool and the build script do.

#![forbid(unsafe_code)]

pub mod csdl;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod model;
pub mod permissions;
pub mod settings;
pub mod update;

mod generate;

pub use generate::{
    GenerateError, Generated, Job, Selected, Summary, check_output, files_with_extension, generate, generate_api,
    generate_pinned, select, write_output,
};

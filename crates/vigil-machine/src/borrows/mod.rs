//! Aliasing models: the per-location state and rules of Stacked Borrows.

pub mod range_map;
pub mod stacked;

//! Aliasing models: the per-location state and rules of Stacked Borrows and Tree Borrows,
//! and the state memory accesses and retags consult.

pub mod item_vec;
pub mod overlay;
pub mod range_map;
pub mod stacked;
pub mod state;
pub mod tree;

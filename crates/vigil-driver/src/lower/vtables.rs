//! Vtable identity: each vtable allocation records the trait it was made for (its principal
//! trait with generic arguments and associated types; auto traits do not change a vtable),
//! interned as a `u32`, so that wide-pointer validity, `dyn` calls and upcasts can check that
//! a vtable is used for its own trait. A vtable may also stand for one of its supertraits,
//! since upcasting to a supertrait whose methods come first keeps the vtable.

use rustc_data_structures::fx::FxIndexMap;
use rustc_middle::ty::{self, Ty};
use rustc_span::def_id::DefId;

use super::Lowerer;

type TraitKey<'tcx> = (Option<ty::ExistentialTraitRef<'tcx>>, Vec<ty::ExistentialProjection<'tcx>>);

/// The traits vtables were made for; a trait's id is its index + 1. Each keeps the first
/// predicates it came from, for its name in reports, made only when a report needs it
/// (printing a trait path costs as much as lowering a dozen functions, 11% of a hello
/// world's instructions).
#[derive(Default)]
pub struct VtableTraits<'tcx> {
    traits: FxIndexMap<TraitKey<'tcx>, &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>>,
}

impl<'tcx> Lowerer<'tcx> {
    /// The id of the trait of `dyn` type `dyn_ty` (a `ty::Dynamic`), or 0 for anything else.
    pub fn dyn_trait_id(&mut self, dyn_ty: Ty<'tcx>) -> u32 {
        match dyn_ty.kind() {
            ty::Dynamic(preds, ..) => self.trait_id(preds),
            _ => 0,
        }
    }

    /// The id of the trait of the `dyn` type with these predicates.
    pub fn trait_id(&mut self, preds: &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>) -> u32 {
        let tcx = self.tcx;
        let principal = preds.principal().map(|p| tcx.instantiate_bound_regions_with_erased(p));
        let projections: Vec<_> = preds.projection_bounds().map(|p| tcx.instantiate_bound_regions_with_erased(p)).collect();
        let entry = self.vtable_traits.traits.entry((principal, projections));
        let id = entry.index() as u32 + 1;
        entry.or_insert(preds);
        id
    }

    /// How reports name the trait with id `id`.
    fn trait_name(&self, id: u32) -> String {
        let Some(((principal, projections), preds)) = self.vtable_traits.traits.get_index(id as usize - 1) else { return "?".to_string() };
        let tcx = self.tcx;
        match principal {
            Some(p) => {
                let name = p.to_string();
                if projections.is_empty() {
                    return name;
                }
                let assoc: Vec<String> = projections.iter().map(|proj| format!("{} = {}", tcx.item_name(proj.def_id), proj.term)).collect();
                match name.strip_suffix('>') {
                    Some(open) => format!("{open}, {}>", assoc.join(", ")),
                    None => format!("{name}<{}>", assoc.join(", ")),
                }
            }
            None => preds.auto_traits().map(|d| tcx.def_path_str(d)).collect::<Vec<_>>().join(" + "),
        }
    }

    /// Whether a vtable made for trait `actual` may not be used where trait `expected` is:
    /// the names of the expected and the actual trait, or `None` when it may (the same trait,
    /// no principal trait expected, or a supertrait of it).
    pub fn vtable_mismatch(&self, actual: u32, expected: u32) -> Option<(String, String)> {
        if actual == expected || expected == 0 {
            return None;
        }
        let principal =
            |id: u32| -> Option<DefId> { self.vtable_traits.traits.get_index(id as usize - 1).and_then(|(k, _)| k.0.map(|p| p.def_id)) };
        let want = principal(expected)?;
        if let Some(have) = principal(actual)
            && rustc_type_ir::elaborate::supertrait_def_ids(self.tcx, have).skip(1).any(|d| d == want)
        {
            return None;
        }
        Some((self.trait_name(expected), self.trait_name(actual)))
    }
}

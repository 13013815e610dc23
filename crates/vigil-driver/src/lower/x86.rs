//! x86 vendor intrinsics and target features: a call of a foreign item whose link name is an
//! LLVM intrinsic (`llvm.x86.*`, `llvm.ctpop.v*`) becomes a machine intrinsic, after the
//! checks the reference interpreter makes (the features the intrinsic requires, the number of
//! arguments); and a call of a `#[target_feature]` function the program was not compiled
//! with those features for is undefined behavior.

use rustc_middle::middle::codegen_fn_attrs::TargetFeatureKind;
use rustc_middle::ty::{Instance, Ty, TyCtxt};
use rustc_span::Symbol;
use rustc_span::def_id::DefId;
use vigil_ir::{Callee, Inst, Intrinsic, X86Op};

use super::body::FnLower;
use super::types::layout_of;

/// The link name of a foreign item, if it names an LLVM intrinsic.
pub fn llvm_link_name(tcx: TyCtxt<'_>, def_id: DefId) -> Option<String> {
    let attrs = tcx.codegen_fn_attrs(def_id);
    let name = attrs.symbol_name.unwrap_or_else(|| tcx.item_name(def_id));
    let name = name.as_str();
    name.starts_with("llvm.").then(|| name.to_string())
}

/// Whether the program is compiled with target feature `name` (`-C target-feature`,
/// `-C target-cpu`, or the target's defaults; implied features included).
fn has_feature(tcx: TyCtxt<'_>, name: &str) -> bool {
    tcx.sess.unstable_target_features.contains(&Symbol::intern(name))
}

/// Why calling `inst` is undefined behavior because it requires target features the program
/// is not compiled with (in the reference interpreter's words), or `None`.
pub fn missing_target_features<'tcx>(tcx: TyCtxt<'tcx>, inst: Instance<'tcx>) -> Option<String> {
    let attrs = tcx.codegen_instance_attrs(inst.def);
    if attrs.target_features.iter().all(|f| tcx.sess.target_features.contains(&f.name)) {
        return None;
    }
    let missing: Vec<&str> = attrs
        .target_features
        .iter()
        .filter(|f| f.kind != TargetFeatureKind::Implied && !tcx.sess.target_features.contains(&f.name))
        .map(|f| f.name.as_str())
        .collect();
    Some(format!("calling a function that requires unavailable target features: {}", missing.join(", ")))
}

impl<'a, 'tcx> FnLower<'a, 'tcx> {
    /// The callee for a call of the LLVM intrinsic `name` (declared as foreign item `def_id`,
    /// returning `ret_ty`), or the instruction that stops the program instead (`Err`): an
    /// intrinsic Vigil does not implement, a missing target feature, a declaration with the
    /// wrong number of parameters.
    pub(super) fn x86_callee(&mut self, def_id: DefId, name: &str, ret_ty: Ty<'tcx>) -> Result<Callee, Inst> {
        let tcx = self.tcx();
        let Some(found) = vigil_ir::x86_intrinsic(name, has_feature(tcx, "avx")) else {
            return Err(Inst::Unsupported { msg: format!("can't call foreign function `{name}` on OS `linux`").into() });
        };
        if let Some(missing) = found.features.iter().find(|f| !has_feature(tcx, f)) {
            return Err(Inst::Ub {
                msg: format!("attempted to call intrinsic `{name}` that requires missing target feature {missing}").into(),
            });
        }
        let declared = tcx.fn_sig(def_id).skip_binder().skip_binder().inputs().len();
        let mut op = found.op;
        if declared != op.arity() {
            return Err(Inst::Ub {
                msg: format!("incorrect number of arguments for `{name}`: got {declared}, expected {}", op.arity()).into(),
            });
        }
        if let X86Op::AddCarry { sub, .. } = op {
            // The return value is a `(u8, uN)` pair, in whatever field order its layout has.
            let layout = layout_of(tcx, ret_ty);
            if layout.fields.count() != 2 {
                return Err(Inst::Ub { msg: format!("`{name}` must return a pair (carry, value)").into() });
            }
            let (carry_off, sum_off) = (layout.fields.offset(0).bytes() as u8, layout.fields.offset(1).bytes() as u8);
            op = X86Op::AddCarry { sub, carry_off, sum_off };
        }
        Ok(Callee::Intrinsic(Box::new(Intrinsic::X86 { op, name: name.into() })))
    }
}

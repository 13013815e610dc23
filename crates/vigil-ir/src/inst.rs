//! The instruction set: places, operands, and the instructions that combine them.

use crate::{DiscrInfo, FloatTy, FnId, ForeignShim, IntTy, Intrinsic, ScalarTy};

/// Index into `Function::places`.
pub type PlaceId = u32;
/// Index into `Function::consts`.
pub type ConstId = u32;

/// A place is a register offset followed by projections evaluated at run time.
/// A place without projections is a plain register and never touches memory.
#[derive(Clone, Debug)]
pub struct Place {
    pub base: PlaceBase,
    pub projs: Box<[Proj]>,
    /// Alignment that accesses through this place require (checked when the place
    /// goes through a pointer).
    pub align: u32,
}

impl Place {
    /// A plain register place.
    pub fn reg(off: u32) -> Place {
        Place { base: PlaceBase::Reg(off), projs: Box::new([]), align: 1 }
    }

    /// The register this place is, if it is a plain register (no projection).
    pub fn plain_reg(&self) -> Option<u32> {
        let PlaceBase::Reg(r) = self.base;
        self.projs.is_empty().then_some(r)
    }
}

#[derive(Clone, Copy, Debug)]
pub enum PlaceBase {
    /// Bytes of the current frame's registers starting at this offset.
    Reg(u32),
}

/// One step of place evaluation.
#[derive(Clone, Debug)]
pub enum Proj {
    /// The current place holds a pointer; continue at its target. `fat` pointers also
    /// carry metadata (slice length or vtable) into the new place.
    Deref { fat: bool },
    /// A field at a fixed offset (metadata is kept only for the last, unsized field).
    Field { offset: u32, keep_meta: bool },
    /// The unsized `dyn` tail of a struct: offset rounded up to the vtable's alignment (capped
    /// at `pack` in a `repr(packed)` struct; 0: not packed).
    DynTail { offset: u32, pack: u32 },
    /// `base[index]` where the index is a usize operand; `len` comes from the array type
    /// (`Some`) or from the slice metadata (`None`).
    Index { index: Operand, elem_size: u32, len: Option<u64> },
    /// `base[offset]` or `base[len - offset]` with a constant offset; for arrays
    /// the lowering already folded it into `Field`, so this is for slices.
    ConstIndex { offset: u64, from_end: bool, elem_size: u32 },
    /// `base[from..len - to]` of a slice (metadata becomes the new length).
    Subslice { from: u64, to: u64, elem_size: u32 },
}

/// Where an instruction's input comes from; the instruction knows the size.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Reg(u32),
    Const(ConstId),
    Place(PlaceId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    BitXor,
    BitAnd,
    BitOr,
    Shl,
    Shr,
    Eq,
    Lt,
    Le,
    Ne,
    Ge,
    Gt,
    /// Three-way comparison producing an `Ordering` (-1, 0, 1 as i8).
    Cmp,
    /// Pointer plus `count * elem_size` (in-bounds arithmetic).
    Offset {
        elem_size: u32,
    },
    AddWithOverflow,
    SubWithOverflow,
    MulWithOverflow,
    AddUnchecked,
    SubUnchecked,
    MulUnchecked,
    ShlUnchecked,
    ShrUnchecked,
}

/// Declares `IntOp` from the `BinOp`s that have a register form (same names), with the
/// list of them and the way back to the general operation.
macro_rules! int_ops {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {
        /// The integer operations with register-only forms (`Inst::IntOp` and its kin), on
        /// integers of 1, 2, 4 or 8 bytes; each is the `BinOp` of the same name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum IntOp {
            $($(#[$meta])* $name,)*
        }

        impl IntOp {
            /// Every operation with a register form.
            pub const ALL: &'static [IntOp] = &[$(IntOp::$name),*];

            /// The general operation this is the register form of.
            pub fn general(self) -> BinOp {
                match self {
                    $(IntOp::$name => BinOp::$name,)*
                }
            }
        }
    };
}

int_ops!(
    Add,
    Sub,
    Mul,
    BitAnd,
    BitOr,
    BitXor,
    /// Shifts by the right operand modulo the width (`wrapping_shl`), as `BinOp::Shl`.
    Shl,
    /// Arithmetic for signed types, logical for unsigned ones.
    Shr,
    /// Only with a constant divisor that can neither be 0 nor, for a signed type, -1 (the
    /// operations that are UB are left to `BinOp`).
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// Writes the wrapped result and then, in the byte after it, whether it overflowed.
    AddWithOverflow,
    SubWithOverflow,
    MulWithOverflow,
);

impl IntOp {
    /// The register form of `op`, if it has one.
    pub fn of(op: BinOp) -> Option<IntOp> {
        IntOp::ALL.iter().copied().find(|i| i.general() == op)
    }

    /// A comparison (its result is a `bool`).
    #[inline]
    pub fn is_comparison(self) -> bool {
        matches!(self, IntOp::Eq | IntOp::Ne | IntOp::Lt | IntOp::Le | IntOp::Gt | IntOp::Ge)
    }

    /// One of the `*WithOverflow` operations (its result is a `(value, bool)` pair).
    #[inline]
    pub fn has_overflow_flag(self) -> bool {
        matches!(self, IntOp::AddWithOverflow | IntOp::SubWithOverflow | IntOp::MulWithOverflow)
    }
}

impl BinOp {
    /// `Eq`, `Ne`, `Lt`, `Le`, `Gt` or `Ge` (the result is a `bool`).
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }

    /// The size of the result for operands of `size` bytes: one byte for a comparison and
    /// for `Cmp` (an `Ordering`), else the operands' size (the overflow flag of a
    /// `*WithOverflow` op comes after it).
    pub fn result_size(self, size: u32) -> u32 {
        if self.is_comparison() || self == BinOp::Cmp { 1 } else { size }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    /// The metadata of a fat pointer (or nothing for a thin one).
    PtrMetadata,
}

#[derive(Clone, Copy, Debug)]
pub enum CastOp {
    IntToInt {
        from: IntTy,
        to: IntTy,
    },
    IntToFloat {
        from: IntTy,
        to: FloatTy,
    },
    FloatToInt {
        from: FloatTy,
        to: IntTy,
    },
    FloatToFloat {
        from: FloatTy,
        to: FloatTy,
    },
    /// Copy the leading `size` bytes unchanged (pointer casts, transmutes, subtyping).
    Bytes {
        size: u32,
    },
    /// Copy `size` bytes without their provenance (transmuting an integer).
    StripProvenance {
        size: u32,
    },
    /// Pointer to address (truncated to `to`), exposing the provenance.
    ExposeProvenance {
        to: IntTy,
    },
    /// Address (an integer of type `from`, extended to `usize`) to pointer, picking up
    /// exposed provenance.
    WithExposedProvenance {
        from: IntTy,
    },
}

impl CastOp {
    /// The bytes the cast reads of its operand.
    pub fn src_size(self) -> u32 {
        match self {
            CastOp::IntToInt { from, .. } | CastOp::IntToFloat { from, .. } | CastOp::WithExposedProvenance { from } => from.size as u32,
            CastOp::FloatToInt { from, .. } | CastOp::FloatToFloat { from, .. } => crate::ScalarTy::Float(from).size(),
            CastOp::Bytes { size } | CastOp::StripProvenance { size } => size,
            CastOp::ExposeProvenance { .. } => 8,
        }
    }

    /// The bytes the cast writes to its destination.
    pub fn dst_size(self) -> u32 {
        match self {
            CastOp::IntToInt { to, .. } | CastOp::FloatToInt { to, .. } | CastOp::ExposeProvenance { to } => to.size as u32,
            CastOp::IntToFloat { to, .. } | CastOp::FloatToFloat { to, .. } => crate::ScalarTy::Float(to).size(),
            CastOp::Bytes { size } | CastOp::StripProvenance { size } => size,
            CastOp::WithExposedProvenance { .. } => 8,
        }
    }
}

/// Where the metadata of an unsizing coercion comes from.
#[derive(Clone, Copy, Debug)]
pub enum MetaSource {
    /// Array to slice: the array length.
    Len(u64),
    /// Sized type to trait object: this vtable.
    Vtable(ConstId),
    /// Trait object to trait object: keep the metadata.
    Keep,
    /// Trait object upcast: read the pointer at this slot of the old vtable, which must be
    /// one of trait `from` (an id of the frontend's vtable traits).
    UpcastSlot { slot: u32, from: u32 },
}

/// One step of copying a value while unsizing the pointer inside it.
#[derive(Clone, Copy, Debug)]
pub enum UnsizeStep {
    /// Copy `size` bytes from `src` to `dst` offsets.
    Copy { src: u32, dst: u32, size: u32 },
    /// Copy the data pointer at `src` to `dst` and write the metadata after it.
    Widen { src: u32, dst: u32, meta: MetaSource, src_fat: bool },
}

/// The scalar types whose values are restricted, for `Inst::CheckScalar`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarCheck {
    Bool,
    Char,
}

/// What a call transfers control to.
#[derive(Clone, Debug)]
pub enum Callee {
    Fn(FnId),
    /// Method `index` of the vtable carried by the first argument (a fat pointer);
    /// the callee receives only the data pointer.
    Virtual {
        index: u32,
        /// The trait whose vtable the receiver must carry (0: not checked).
        trait_id: u32,
    },
    /// A fn pointer operand, called with signature `sig`.
    FnPtr {
        ptr: Operand,
        sig: crate::SigId,
    },
    /// (Boxed: an intrinsic's description is 40 bytes, and `Call` sets `Inst`'s size.)
    Intrinsic(Box<Intrinsic>),
    Foreign(ForeignShim),
}

/// What happens when a call unwinds.
#[derive(Clone, Copy, Debug)]
pub enum Unwind {
    Continue,
    Unreachable,
    Terminate,
    Cleanup(Label),
}

/// A jump target: an index into `Function::code` (while a body is lowered, a block label
/// that the lowering patches through `Inst::for_each_target`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(pub u32);

/// What the instruction table needs of each field type: the jump targets it holds and how
/// it prints. Every field type states its targets explicitly (there is no default), so a new
/// instruction cannot carry a target that lowering forgets to patch.
pub trait IrField {
    /// Calls `f` on every jump target in the field.
    fn for_each_target(&mut self, f: &mut dyn FnMut(&mut Label));
    /// Appends the field's printed form (`-Zvigil-dump-ir`).
    fn print(&self, out: &mut String);
    /// Calls `v` on the registers, places and constants inside the field that the table
    /// gives no role (operands). A plain number (`u32`) holds none: a field that names a
    /// register, place, constant or local is marked with its role in the table.
    fn for_each_ref(&mut self, v: &mut dyn RefVisitor);
}

/// Field types without jump targets, printed with `Debug`; `refs` says how to find the
/// references inside a value (`|x, v| ...`), or that there are none.
macro_rules! no_targets {
    ($($ty:ty $(=> $refs:expr)?),* $(,)?) => {$(
        impl IrField for $ty {
            fn for_each_target(&mut self, _: &mut dyn FnMut(&mut Label)) {}
            fn print(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{self:?}");
            }
            #[allow(unused_variables)]
            fn for_each_ref(&mut self, v: &mut dyn RefVisitor) {
                $( ($refs)(self, v) )?
            }
        }
    )*};
}

impl Operand {
    /// Calls `v` on the register, constant or place the operand reads.
    pub fn visit(&mut self, v: &mut dyn RefVisitor) {
        match self {
            Operand::Reg(r) => v.reg(r),
            Operand::Const(c) => v.konst(c),
            Operand::Place(p) => v.place(p),
        }
    }
}

/// What an inlined call's return ends besides the call itself (`Inst::InlineReturn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlineEnd {
    /// Nothing more: the callee protects nothing.
    Call,
    /// The protectors of the callee, which retags its arguments at entry.
    Protectors,
    /// Those protectors, and the Tree Borrows nodes no pointer can hold any more are dropped
    /// as at a called function's return (the callee also makes calls that return into it;
    /// the machine's `young.rs`).
    ProtectorsAndYoung,
}

impl InlineEnd {
    /// Whether the callee's protectors end (and the caller's call id comes back).
    pub fn protects(self) -> bool {
        self != InlineEnd::Call
    }
}

no_targets!(
    u32,
    u64,
    bool,
    InlineEnd,
    Operand => |o: &mut Operand, v| o.visit(v),
    BinOp,
    IntOp,
    UnOp,
    CastOp,
    ScalarTy,
    IntTy,
    FloatTy,
    ScalarCheck,
    Callee => |c: &mut Callee, v| if let Callee::FnPtr { ptr, .. } = c { ptr.visit(v) },
    FnId,
    Box<str>,
    Box<[u128]>,
    Box<[UnsizeStep]> => |steps: &mut Box<[UnsizeStep]>, v: &mut dyn RefVisitor| {
        for s in steps.iter_mut() {
            if let UnsizeStep::Widen { meta: MetaSource::Vtable(c), .. } = s {
                v.konst(c)
            }
        }
    },
    Box<[(Operand, u32)]> => |args: &mut Box<[(Operand, u32)]>, v: &mut dyn RefVisitor| args.iter_mut().for_each(|(o, _)| o.visit(v)),
    // (`ProtectInPlace`'s places: marked `@places` in the table.)
    Box<[(PlaceId, u32)]>,
    Box<DiscrInfo>,
    Option<Operand> => |o: &mut Option<Operand>, v| if let Some(o) = o { o.visit(v) },
    std::sync::Arc<crate::Validity>,
    crate::RetagMode,
    crate::Unobserved,
    crate::DynLayout,
    crate::RefKind,
);

impl IrField for Label {
    fn for_each_ref(&mut self, _: &mut dyn RefVisitor) {}
    fn for_each_target(&mut self, f: &mut dyn FnMut(&mut Label)) {
        f(self)
    }
    fn print(&self, out: &mut String) {
        out.push_str(&format!("@{}", self.0));
    }
}

impl IrField for Option<Label> {
    fn for_each_ref(&mut self, _: &mut dyn RefVisitor) {}
    fn for_each_target(&mut self, f: &mut dyn FnMut(&mut Label)) {
        if let Some(l) = self {
            f(l)
        }
    }
    fn print(&self, out: &mut String) {
        match self {
            Some(l) => l.print(out),
            None => out.push_str("none"),
        }
    }
}

impl IrField for Box<[Label]> {
    fn for_each_ref(&mut self, _: &mut dyn RefVisitor) {}
    fn for_each_target(&mut self, f: &mut dyn FnMut(&mut Label)) {
        self.iter_mut().for_each(f)
    }
    fn print(&self, out: &mut String) {
        out.push('[');
        for (i, l) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            l.print(out);
        }
        out.push(']');
    }
}

impl IrField for Unwind {
    fn for_each_ref(&mut self, _: &mut dyn RefVisitor) {}
    fn for_each_target(&mut self, f: &mut dyn FnMut(&mut Label)) {
        if let Unwind::Cleanup(l) = self {
            f(l)
        }
    }
    fn print(&self, out: &mut String) {
        match self {
            Unwind::Cleanup(l) => {
                out.push_str("cleanup ");
                l.print(out)
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
}

/// What an instruction refers to in its function's frame and tables, for passes that move
/// code between functions (`inline.rs`): each is given by mutable reference so that it can
/// be renamed.
pub trait RefVisitor {
    /// A register offset in the frame.
    fn reg(&mut self, off: &mut u32);
    /// An index into `Function::places`.
    fn place(&mut self, place: &mut PlaceId);
    /// An index into `Function::consts`.
    fn konst(&mut self, c: &mut ConstId);
    /// An index into `Function::locals`.
    fn local(&mut self, local: &mut u32);
}

/// One field's references: by its role in the table (`@reg`, `@place`, `@places`, `@konst`,
/// `@local`), else by what its type holds (operands).
macro_rules! visit_field {
    (; $f:ident, $v:ident) => {
        IrField::for_each_ref($f, $v)
    };
    (reg; $f:ident, $v:ident) => {
        $v.reg($f)
    };
    (place; $f:ident, $v:ident) => {
        $v.place($f)
    };
    (places; $f:ident, $v:ident) => {
        $f.iter_mut().for_each(|(p, _)| $v.place(p))
    };
    (konst; $f:ident, $v:ident) => {
        $v.konst($f)
    };
    (local; $f:ident, $v:ident) => {
        $v.local($f)
    };
}

/// The instruction table: each instruction is declared once, and the enum, the jump-target
/// visitor the lowering patches labels with, and the printer behind `-Zvigil-dump-ir` are
/// generated from it.
macro_rules! instructions {
    ($(
        $(#[$meta:meta])*
        $name:ident $({ $( $(#[$fmeta:meta])* $(@$role:ident)? $field:ident : $ty:ty ),* $(,)? })?
    ),* $(,)?) => {
        /// One instruction. Jump targets are indices into `Function::code`.
        #[derive(Clone, Debug)]
        pub enum Inst {
            $( $(#[$meta])* $name $({ $( $(#[$fmeta])* $field: $ty ),* })?, )*
        }

        /// The instructions' kinds, in the table's order (`Opcode::NAMES[op as usize]` is
        /// `op`'s name): for what is counted per kind (the `stats` build's profile).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Opcode {
            $( $name, )*
        }

        impl Opcode {
            /// Every kind's name, by `Opcode as usize`.
            pub const NAMES: &[&str] = &[$( stringify!($name) ),*];
        }

        impl Inst {
            /// The instruction's kind.
            pub fn opcode(&self) -> Opcode {
                match self {
                    $( Inst::$name { .. } => Opcode::$name, )*
                }
            }

            /// The instruction's name, as printed.
            pub fn name(&self) -> &'static str {
                Opcode::NAMES[self.opcode() as usize]
            }

            /// Calls `f` on every jump target of the instruction.
            #[allow(unused_variables)]
            pub fn for_each_target(&mut self, f: &mut dyn FnMut(&mut Label)) {
                match self {
                    $( Inst::$name $({ $( $field ),* })? => { $($( IrField::for_each_target($field, f); )*)? } )*
                }
            }

            /// Calls `v` on every register, place, constant and local the instruction names
            /// (fields marked with their role in the table, and the operands inside others).
            #[allow(unused_variables)]
            pub fn for_each_ref(&mut self, v: &mut dyn RefVisitor) {
                match self {
                    $( Inst::$name $({ $( $field ),* })? => { $($( visit_field!($($role)?; $field, v); )*)? } )*
                }
            }

            /// Appends `Name field=value ...`.
            pub fn print(&self, out: &mut String) {
                out.push_str(self.name());
                match self {
                    $( Inst::$name $({ $( $field ),* })? => {
                        $($(
                            out.push(' ');
                            out.push_str(stringify!($field));
                            out.push('=');
                            IrField::print($field, out);
                        )*)?
                    } )*
                }
            }
        }
    };
}

impl Inst {
    /// A function-entry retag (its references are protected until the function returns).
    pub fn is_entry_retag(&self) -> bool {
        matches!(self, Inst::Validate { retag, .. } | Inst::ValidateRefReg { retag, .. } if retag.is_fn_entry())
    }

    /// Constant `src` of `consts` (`size` bytes) into the register `dst`: held in the
    /// instruction (`ConstRegImm`) when it is an integer of 1, 2, 4 or 8 bytes without
    /// provenance and `dst` is aligned to its size, else `ConstReg`.
    pub fn const_reg(dst: u32, src: ConstId, size: u32, consts: &[crate::ConstValue]) -> Inst {
        match consts.get(src as usize).and_then(|c| c.int(size)) {
            Some(value) if matches!(size, 1 | 2 | 4 | 8) && dst.is_multiple_of(size) => Inst::ConstRegImm { dst, value, size },
            _ => Inst::ConstReg { dst, src, size },
        }
    }
}

instructions! {
    /// Copy `size` bytes from `src` into `dst`.
    Move {
        @place dst: PlaceId,
        src: Operand,
        size: u32,
    },
    /// Register-to-register copy (the common case, no place evaluation).
    MoveReg {
        @reg dst: u32,
        @reg src: u32,
        size: u32,
    },
    /// `Move` of 1, 2, 4 or 8 bytes from a place in memory into a plain register aligned to
    /// the size (chosen by `select.rs`): the bytes keep their initialization and a whole
    /// pointer its provenance.
    LoadReg {
        @reg dst: u32,
        @place src: PlaceId,
        size: u32,
    },
    /// `Move` of 1, 2, 4 or 8 bytes from a register aligned to the size into a place in
    /// memory (chosen by `select.rs`).
    StoreReg {
        @place dst: PlaceId,
        @reg src: u32,
        size: u32,
    },
    /// Constant into a register.
    ConstReg {
        @reg dst: u32,
        @konst src: u32,
        size: u32,
    },
    /// `ConstReg` of an integer of 1, 2, 4 or 8 bytes without provenance into a register
    /// aligned to its size, the value held in the instruction (`Inst::const_reg` chooses it).
    ConstRegImm {
        @reg dst: u32,
        value: u64,
        size: u32,
    },
    BinOp {
        op: BinOp,
        lhs: ScalarTy,
        rhs: ScalarTy,
        @place dst: PlaceId,
        a: Operand,
        b: Operand,
    },
    /// `dst = a op b` on integers in registers (chosen for a `BinOp` by the lowering's
    /// `select.rs`). Every operand is a register of the type's size at an offset aligned to
    /// it; a comparison writes a `bool`, a `*WithOverflow` op the flag after the value.
    IntOp {
        op: IntOp,
        ty: IntTy,
        @reg dst: u32,
        @reg a: u32,
        @reg b: u32,
    },
    /// `dst = a op b` on `f32`/`f64` registers aligned to the type's size (chosen for a
    /// `BinOp` by `select.rs`): arithmetic (with the machine's NaN choices) or a comparison
    /// (writing a `bool`).
    FloatOp {
        op: BinOp,
        ty: FloatTy,
        @reg dst: u32,
        @reg a: u32,
        @reg b: u32,
    },
    /// An integer-to-integer cast between registers aligned to their sizes (1, 2, 4 or 8
    /// bytes; chosen for a `Cast` by `select.rs`).
    IntCast {
        from: IntTy,
        to: IntTy,
        @reg dst: u32,
        @reg src: u32,
    },
    /// `IntOp` with a constant right operand.
    IntOpImm {
        op: IntOp,
        ty: IntTy,
        @reg dst: u32,
        @reg a: u32,
        imm: u64,
    },
    /// `IntOp` and the branch that follows it, on the comparison's result or the overflow
    /// flag: `if_true` when it is true. (The branch itself stays after it in the code, for
    /// jumps that reach it directly.)
    IntOpBranch {
        op: IntOp,
        ty: IntTy,
        @reg dst: u32,
        @reg a: u32,
        @reg b: u32,
        if_true: Label,
        if_false: Label,
    },
    /// `IntOpImm` and the branch that follows it.
    IntOpImmBranch {
        op: IntOp,
        ty: IntTy,
        @reg dst: u32,
        @reg a: u32,
        imm: u64,
        if_true: Label,
        if_false: Label,
    },
    UnOp {
        op: UnOp,
        ty: ScalarTy,
        @place dst: PlaceId,
        a: Operand,
    },
    Cast {
        op: CastOp,
        @place dst: PlaceId,
        src: Operand,
    },
    /// Write the address of `place` into `dst` (with the place's metadata when `fat`).
    Ref {
        @place dst: PlaceId,
        @place place: PlaceId,
        fat: bool,
        /// The place is projected from a pointer the program dereferences: the projection
        /// is in-bounds pointer arithmetic on that pointer, which the machine checks.
        inbounds: bool,
    },
    Discriminant {
        @place dst: PlaceId,
        @place place: PlaceId,
        info: Box<DiscrInfo>,
    },
    SetDiscriminant {
        @place place: PlaceId,
        info: Box<DiscrInfo>,
        variant: u32,
    },
    Repeat {
        @place dst: PlaceId,
        src: Operand,
        elem_size: u32,
        count: u64,
    },
    Unsize {
        @place dst: PlaceId,
        src: Operand,
        src_size: u32,
        steps: Box<[UnsizeStep]>,
    },
    /// The local's storage begins (a memory-backed local gets a fresh allocation).
    StorageLive { @local local: u32 },
    /// The local's storage ends (its allocation is freed).
    StorageDead { @local local: u32 },
    /// The registers `[reg, reg + size)` become uninitialized and without provenance, as a
    /// fresh allocation's bytes are: the storage of a local moved out of memory into
    /// registers (`promote.rs`) starts. `reg` and `size` are multiples of 8.
    Uninit { @reg reg: u32, size: u32 },
    /// `cond` must be true.
    Assume { cond: Operand },
    Goto { target: Label },
    /// Jump to `targets[i]` for the first `values[i]` equal to `discr`, else to the last target.
    SwitchInt {
        discr: Operand,
        ty: IntTy,
        values: Box<[u128]>,
        targets: Box<[Label]>,
    },
    /// Continue at `target` when the bool `cond` equals `expected`, else at `fail`.
    Assert {
        cond: Operand,
        expected: bool,
        target: Label,
        fail: Label,
    },
    Call {
        callee: Callee,
        args: Box<[(Operand, u32)]>,
        @place dst: PlaceId,
        ret_size: u32,
        target: Option<Label>,
        unwind: Unwind,
        caller_location: Option<Operand>,
    },
    /// A fn pointer to `f`, reified here: `f` may be duplicated by codegen (it is generic or
    /// inlinable), so each time one of several addresses is chosen at random, as the
    /// reference interpreter does (two reifications need not compare equal).
    FnPtr {
        @place dst: PlaceId,
        f: FnId,
    },
    /// An explicit tail call (`become`): the arguments are evaluated, then this frame is
    /// popped (its locals freed, its protectors released) and the callee takes its place,
    /// returning to this frame's caller. `callee` is a Rust function, a fn pointer or a
    /// virtual call.
    TailCall {
        callee: Callee,
        args: Box<[(Operand, u32)]>,
    },
    Return,
    /// The start of an inlined call (`inline.rs`; at the call's index, with its span): the
    /// callee's registers `[regs, regs + size)` become uninitialized and without provenance
    /// as a new frame's would, the call counts as a step of the scheduler and the virtual
    /// clock as a call does, and execution goes on at `body` (the arguments' moves, then
    /// the callee's code). `protects`: the callee retags its arguments at entry, so it is a
    /// call of its own for protectors: the frame's call id is saved in the 8 bytes after
    /// the callee's registers and the callee starts without one.
    ///
    /// Only `[regs + fresh_at, regs + fresh_at + fresh_len)` is made fresh (inside the
    /// callee's registers): the rest is overwritten whole before any read of it, which no
    /// one can then tell apart (`copies.rs` narrows it; at first it is all of them).
    InlineEnter {
        @reg regs: u32,
        size: u32,
        body: Label,
        protects: bool,
        fresh_at: u32,
        fresh_len: u32,
    },
    /// The `Return` of an inlined callee: its return value (`size` bytes at register `src`)
    /// is copied to the call's destination register `dst`, the return counts as a step as a
    /// return does, and execution goes on at the call's `target`; `ends` says what else
    /// ends with the call (the caller's call id comes back from register `saved` when its
    /// protectors do).
    InlineReturn {
        @reg dst: u32,
        @reg src: u32,
        size: u32,
        target: Label,
        ends: InlineEnd,
        @reg saved: u32,
    },
    /// Reaching this is undefined behavior.
    Unreachable,
    UnwindResume,
    UnwindTerminate,
    /// Check that the value at `place` is valid for its type, retagging the references in
    /// it as `retag` says.
    Validate {
        @place place: PlaceId,
        validity: std::sync::Arc<crate::Validity>,
        retag: crate::RetagMode,
    },
    /// `Validate` of a value in registers whose validity checks only that its bytes are
    /// initialized (integers, floats, raw pointers and aggregates of them): the check is
    /// done on the registers' initialization bytes; a failure reports through `validity`.
    ValidateInitReg {
        @reg reg: u32,
        validity: std::sync::Arc<crate::Validity>,
    },
    /// `Validate` of a value in registers whose validity checks only scalars: initialized
    /// bytes, `bool`s, `char`s and ranges of valid values (`NonNull`, `NonZero`, niches),
    /// or an enum with a direct tag whose variants check only those (`Option<u64>`; the
    /// variant's padding is made uninitialized), with nothing to retag. A value that fails a check goes through the general
    /// `Validate`, which reports.
    ValidateScalarReg {
        @reg reg: u32,
        validity: std::sync::Arc<crate::Validity>,
    },
    /// `Validate` of a reference or `Box` pointer alone in 8-aligned registers (chosen by
    /// `select.rs`; the commonest validation): thin to a sized pointee, or wide with the
    /// pointee's size from its metadata (a trait object's vtable checked to be its trait's);
    /// `nullable`: an `Option` of a thin one, whose null is `None` (the validity is then the
    /// enum's). Checked and retagged where it lies. A value that fails any check, or that the fast
    /// path does not handle, goes through the general `Validate`, which reports.
    /// `unobserved`: whether nothing can tell the new tag from its parent's (`elide.rs`), so
    /// the machine may make only the retag's access, through the parent, and keep its tag.
    ValidateRefReg {
        @reg reg: u32,
        validity: std::sync::Arc<crate::Validity>,
        nullable: bool,
        unobserved: crate::Unobserved,
        retag: crate::RetagMode,
    },
    /// Retag the raw pointer at `place`, just made from a place (`&raw`), whose pointee
    /// has `layout` (unsized pointees take their size from the pointer's metadata).
    RetagRaw {
        @place place: PlaceId,
        layout: crate::DynLayout,
        kind: crate::RefKind,
    },
    /// The address of this thread's copy of thread-local static number `index` (dense,
    /// numbered by the frontend); `template` is a constant pointer to the static's initial
    /// value, copied into a fresh allocation the first time a thread asks.
    ThreadLocalRef {
        @place dst: PlaceId,
        index: u32,
        @konst template: ConstId,
    },
    /// Immediately before a `Call` of a Rust function: the memory places the call uses in
    /// place (arguments passed by `move`, the return place). Once the callee's frame exists
    /// they are protected for the call's duration (a fresh protected tag under the aliasing
    /// model) and made uninitialized, so the caller's place cannot be observed or changed
    /// through other pointers while the callee owns it.
    ProtectInPlace {
        @places places: Box<[(PlaceId, u32)]>,
    },
    /// A `bool` or `char` about to be used by an operation (arithmetic, comparison, cast,
    /// switch) must hold a valid value. Emitted only where validation may not have checked
    /// it: with validation off, or when the operand is read straight through a pointer.
    CheckScalar {
        src: Operand,
        kind: ScalarCheck,
    },
    /// Executing this stops with "unsupported operation".
    Unsupported { msg: Box<str> },
    /// The last instruction of every installed function (`bounds::seal_code`), reached only
    /// by going on from the one before, which no correct lowering does: it stops.
    EndOfCode,
    /// Undefined behavior the lowering found (e.g. a foreign function declared with the
    /// wrong signature): executing it reports the message.
    Ub { msg: Box<str> },
    /// The program cannot run as linked (an exported symbol defined twice, or clashing with
    /// a built-in shim): executing it stops with the message, neither UB nor unsupported.
    LinkError { msg: Box<str> },
}

// An instruction is one cache line: the executing loop's largest stalls are loads of the
// next instruction in large programs. `Call` sets the size; rare payloads are boxed.
const _: () = assert!(std::mem::size_of::<Inst>() <= 64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_held_in_the_instruction_are_plain_aligned_integers() {
        let c = |bytes: &[u8], prov: bool| crate::ConstValue {
            bytes: bytes.into(),
            prov: if prov { Box::new([(0, crate::AllocId(3))]) } else { Box::new([]) },
        };
        let consts = [c(&[1, 2, 3, 4, 5, 6, 7, 8], false), c(&[0; 8], true), c(&[9; 16], false)];
        assert!(matches!(Inst::const_reg(8, 0, 8, &consts), Inst::ConstRegImm { dst: 8, value: 0x0807_0605_0403_0201, size: 8 }));
        assert!(matches!(Inst::const_reg(4, 0, 4, &consts), Inst::ConstRegImm { dst: 4, value: 0x0403_0201, size: 4 }));
        // A pointer, a misaligned register, a wide value: the constant stays in the table.
        assert!(matches!(Inst::const_reg(8, 1, 8, &consts), Inst::ConstReg { src: 1, .. }));
        assert!(matches!(Inst::const_reg(4, 0, 8, &consts), Inst::ConstReg { src: 0, .. }));
        assert!(matches!(Inst::const_reg(16, 2, 16, &consts), Inst::ConstReg { src: 2, .. }));
    }

    fn targets(mut inst: Inst) -> Vec<u32> {
        let mut seen = Vec::new();
        inst.for_each_target(&mut |l| {
            seen.push(l.0);
            l.0 += 100;
        });
        let mut again = Vec::new();
        inst.for_each_target(&mut |l| again.push(l.0));
        assert_eq!(again, seen.iter().map(|t| t + 100).collect::<Vec<_>>(), "targets are patched in place");
        seen
    }

    #[test]
    fn every_jump_target_is_visited() {
        assert_eq!(targets(Inst::Goto { target: Label(3) }), [3]);
        assert_eq!(targets(Inst::Assert { cond: Operand::Reg(0), expected: true, target: Label(1), fail: Label(2) }), [1, 2]);
        let switch = Inst::SwitchInt {
            discr: Operand::Reg(0),
            ty: IntTy { size: 1, signed: false },
            values: Box::new([0, 1]),
            targets: Box::new([Label(4), Label(5), Label(6)]),
        };
        assert_eq!(targets(switch), [4, 5, 6]);
        let call = |target, unwind| Inst::Call {
            callee: Callee::Fn(FnId(0)),
            args: Box::new([]),
            dst: 0,
            ret_size: 0,
            target,
            unwind,
            caller_location: None,
        };
        assert_eq!(targets(call(Some(Label(7)), Unwind::Cleanup(Label(8)))), [7, 8]);
        assert_eq!(targets(call(None, Unwind::Continue)), Vec::<u32>::new());
        assert_eq!(targets(Inst::Return), Vec::<u32>::new());
        assert_eq!(targets(Inst::MoveReg { dst: 1, src: 2, size: 3 }), Vec::<u32>::new());
    }

    #[test]
    fn register_forms_classify_as_their_general_operations() {
        for &op in IntOp::ALL {
            assert_eq!(op.is_comparison(), op.general().is_comparison(), "{op:?}");
        }
    }

    #[test]
    fn printed_with_names_and_fields() {
        let mut out = String::new();
        Inst::Assert { cond: Operand::Reg(8), expected: false, target: Label(9), fail: Label(22) }.print(&mut out);
        assert_eq!(out, "Assert cond=Reg(8) expected=false target=@9 fail=@22");
        out.clear();
        Inst::Return.print(&mut out);
        assert_eq!(out, "Return");
    }
}

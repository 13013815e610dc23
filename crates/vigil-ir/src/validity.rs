//! Validity programs: what a value of one type must satisfy, compiled once per type by the
//! frontend and run by the machine at typed copies, arguments and return values.

use crate::DiscrInfo;

/// The checks for one type; offsets are relative to the start of the value.
#[derive(Debug, Default)]
pub struct Validity {
    pub size: u32,
    pub checks: Vec<VCheck>,
}

/// What kind of value an initialized-bytes check expects (for the report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Integer,
    Float,
    RawPointer,
}

impl Expected {
    pub fn describe(self) -> &'static str {
        match self {
            Expected::Integer => "an integer",
            Expected::Float => "a floating point number",
            Expected::RawPointer => "a raw pointer",
        }
    }
}

#[derive(Debug)]
pub enum VCheck {
    /// The bytes must be initialized.
    Init {
        offset: u32,
        size: u32,
        expected: Expected,
    },
    Bool {
        offset: u32,
    },
    Char {
        offset: u32,
    },
    /// A scalar restricted to the wrapping range `start..=end` (e.g. `NonZero`, niches).
    Range {
        offset: u32,
        size: u32,
        start: u128,
        end: u128,
    },
    /// A reference (`is_box`: a `Box`): non-null, aligned and pointing to `size` live bytes
    /// (`size` is `None` for unsized pointees, which are only checked for null and alignment).
    /// `kind` says how the aliasing model retags it.
    /// `unsized_layout` gives the size of an unsized pointee from the pointer's metadata.
    /// `cells`: for a shared reference to a sized type with interior mutability, the byte
    /// ranges of the pointee inside an `UnsafeCell` (the rest is frozen).
    Ref {
        offset: u32,
        align: u32,
        size: Option<u32>,
        is_box: bool,
        kind: RefKind,
        unsized_layout: Option<crate::DynLayout>,
        cells: Option<std::sync::Arc<[(u32, u32)]>>,
        /// Inside `MaybeDangling` (e.g. `ManuallyDrop`): only non-null and aligned, neither
        /// dereferenceable nor retagged.
        may_dangle: bool,
    },
    FnPtr {
        offset: u32,
    },
    /// The metadata of a wide pointer to a `dyn` type, at `offset`: a vtable made for trait
    /// `expected` (an id of the frontend's vtable traits) or one it may stand for.
    Vtable {
        offset: u32,
        expected: u32,
    },
    /// An enum: the tag must name a variant; then that variant's checks apply.
    Enum {
        offset: u32,
        info: DiscrInfo,
        variants: Vec<Validity>,
    },
    Array {
        offset: u32,
        elem_size: u32,
        count: u64,
        elem: Box<Validity>,
    },
    /// Padding: these byte ranges hold no data of the value, and a typed copy leaves them
    /// uninitialized (done once the value is known valid).
    Padding {
        ranges: Box<[(u32, u32)]>,
    },
    /// Values of this type cannot exist.
    Uninhabited {
        ty: TyName,
    },
    /// A reference (`Box` when `is_box`) to a type whose values cannot exist; follows the
    /// pointer's own `Ref` check.
    PtrToUninhabited {
        is_box: bool,
        ty: TyName,
    },
}

/// A type the frontend names in reports (`Frontend::type_name` of the machine): printing a
/// type is costly (the first path printed costs as much as lowering a dozen functions), so
/// it is done only for a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TyName(pub u32);

/// What a reference or pointer grants, for the aliasing model's retags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `&T`; `freeze`: `T` has no `UnsafeCell`.
    Shared { freeze: bool },
    /// `&mut T`; `unpin`: `T: Unpin` (a `&mut` to a `!Unpin` type does not claim uniqueness).
    Mut { unpin: bool },
    /// `Box<T>` with the global allocator; `unpin` as for `&mut`.
    Box { unpin: bool },
    /// A `Box` with another allocator: checked like a reference, never retagged.
    Untracked,
    /// A raw pointer made from a place (`&raw mut`/`&raw const`).
    Raw { mutable: bool, freeze: bool },
}

/// How much of a reference's retag the machine makes (`elide.rs` decides).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unobserved {
    /// The whole retag.
    No,
    /// Nothing can tell the new tag from its parent's: only the retag's access, through the
    /// parent, and the pointer keeps the parent's tag.
    Alone,
    /// The same, but other pointers read while the (shared) reference lives: under Stacked
    /// Borrows such a read may disable a `Unique` parent and keep the reference, so the
    /// machine retags in full when the parent's item may be `Unique`.
    BesideReads,
    /// A two-phase `&mut` or a shared reborrow passed at once as the receiver of a callee
    /// that retags it at entry, and never read again (`into_callee.rs`): the callee's tag
    /// may derive from the parent's, so the pointer keeps the parent's tag (where the
    /// machine finds that nothing else tells the two apart).
    IntoCallee,
}

/// When a copy retags the references in the value (as rustc's interpreter engine does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetagMode {
    None,
    Default,
    TwoPhase,
    /// Arguments at function entry: retags get protectors for the duration of the call.
    FnEntry,
    /// As `FnEntry`, in a function marked `#[rustc_no_writable]`: Tree Borrows'
    /// `-Zmiri-tree-borrows-implicit-writes` does not apply to its arguments.
    FnEntryNoImplicitWrites,
}

impl RetagMode {
    /// Whether this is a function-entry retag (with protectors).
    pub fn is_fn_entry(self) -> bool {
        matches!(self, RetagMode::FnEntry | RetagMode::FnEntryNoImplicitWrites)
    }
}

impl Validity {
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }
}

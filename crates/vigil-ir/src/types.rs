//! Scalar types and enum discriminant layouts as the machine needs them.

/// An integer type: width in bytes and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntTy {
    pub size: u8,
    pub signed: bool,
}

impl IntTy {
    pub const USIZE: IntTy = IntTy { size: 8, signed: false };
    pub const ISIZE: IntTy = IntTy { size: 8, signed: true };
    pub const U8: IntTy = IntTy { size: 1, signed: false };
    pub const U32: IntTy = IntTy { size: 4, signed: false };
    pub const I32: IntTy = IntTy { size: 4, signed: true };
    pub const BOOL: IntTy = IntTy { size: 1, signed: false };

    pub fn bits(self) -> u32 {
        self.size as u32 * 8
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatTy {
    F32,
    F64,
}

/// The type of a primitive operand of an arithmetic, comparison or cast instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarTy {
    Int(IntTy),
    Float(FloatTy),
    Bool,
    Char,
    /// A thin pointer or a fn pointer.
    Ptr,
    /// A fat pointer (data pointer and metadata).
    FatPtr,
}

impl ScalarTy {
    pub fn size(self) -> u32 {
        match self {
            ScalarTy::Int(i) => i.size as u32,
            ScalarTy::Float(FloatTy::F32) => 4,
            ScalarTy::Float(FloatTy::F64) => 8,
            ScalarTy::Bool => 1,
            ScalarTy::Char => 4,
            ScalarTy::Ptr => 8,
            ScalarTy::FatPtr => 16,
        }
    }
}

/// How a value's variant is encoded, precomputed from the layout.
#[derive(Clone, Debug)]
pub enum DiscrKind {
    /// Only one variant is possible.
    Single { variant: u32 },
    /// The tag at `offset` stores the discriminant value itself.
    Direct { offset: u32, tag: IntTy },
    /// Variants other than `untagged` are encoded as `niche_start + (variant - variants_start)`
    /// in the tag field.
    Niche { offset: u32, tag: IntTy, untagged: u32, variants_start: u32, variants_end: u32, niche_start: u128 },
}

/// Everything needed to read or write the variant of a value of one enum type.
#[derive(Clone, Debug)]
pub struct DiscrInfo {
    pub kind: DiscrKind,
    /// Discriminant value of each variant index (truncated to `result` width).
    pub values: Box<[u128]>,
    /// The discriminant type `Rvalue::Discriminant` produces.
    pub result: IntTy,
    /// Per variant index, whether it is uninhabited (reading such a discriminant is UB);
    /// empty when every variant is inhabited.
    pub uninhabited: Box<[bool]>,
    /// The tag's valid values (a wrapping range in the tag's bits); a tag outside it is
    /// UB to read. Unused for `Single`.
    pub tag_valid: (u128, u128),
    /// For `Direct`: every value in `tag_valid` is some variant's discriminant, so the range
    /// check is the whole tag check (otherwise the values are searched).
    pub tag_dense: bool,
}

impl DiscrInfo {
    /// Whether `tag` (of `bits` bits) lies in the tag's valid range.
    #[inline]
    pub fn tag_in_range(&self, tag: u128, bits: u32) -> bool {
        let (start, end) = self.tag_valid;
        let mask = if bits >= 128 { u128::MAX } else { (1u128 << bits) - 1 };
        (tag.wrapping_sub(start) & mask) <= (end.wrapping_sub(start) & mask)
    }
}

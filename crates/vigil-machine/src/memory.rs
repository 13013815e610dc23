//! Memory: allocations identified by id, pointers as address plus provenance, and the
//! provenance of pointer bytes stored in memory.

use std::collections::BTreeMap;

use vigil_ir::{AllocId, FnId, SpanId};

use crate::borrows::range_map::RangeMap;
use crate::borrows::stacked::AccessKind;
use crate::borrows::state::{SbState, Stacks, base_item};
use crate::borrows::tree::{Access, Cause, TbAlloc};
pub use crate::bytes::all_init;
use crate::bytes::{copy_small, fill_init_small, le_int};
use crate::concurrency::ThreadId;
use crate::concurrency::data_race::{self, RaceDetector};
use crate::concurrency::vector_clock::VClock;
use crate::error::{Error, Res};
use crate::prov_map::{self, ProvList, ProvPart};

/// Provenance: the allocation a pointer may access and its borrow tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct Prov {
    /// The allocation (0: no provenance).
    pub alloc: u32,
    /// The borrow tag (0: the allocation's base tag; `WILDCARD`: from an exposed address).
    pub tag: u32,
}
// A pointer made from an integer (`with_exposed_provenance`) has the wildcard tag; its
// allocation is the exposed one its address fell in when it was made, or 0 when it fell in
// none: then, and whenever an access does not fit the allocation it has, the allocation is
// looked up again by address (`Memory::resolve_wildcard`), so such a pointer may move between
// exposed allocations as the reference interpreter's wildcard provenance does.

impl Prov {
    pub const NONE: Prov = Prov { alloc: 0, tag: 0 };
    pub const WILDCARD_TAG: u32 = u32::MAX;
    /// In a register word's provenance only (never a pointer's): the word's bytes hold
    /// pointer fragments, listed in `Machine::reg_frags`. It reads as no provenance.
    pub const FRAGMENTS: Prov = Prov { alloc: 0, tag: u32::MAX - 1 };

    /// The base provenance of an allocation.
    pub fn base(alloc: u32) -> Prov {
        Prov { alloc, tag: 0 }
    }

    /// No provenance at all (a wildcard pointer outside every exposed allocation still has
    /// its wildcard provenance).
    #[inline]
    pub fn is_none(self) -> bool {
        self.alloc | self.tag == 0
    }

    #[inline]
    pub fn is_some(self) -> bool {
        self.alloc | self.tag != 0
    }
}

/// Shown as the allocation id (`alloc{prov}` in messages).
impl std::fmt::Display for Prov {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.alloc)
    }
}

/// How many addresses a function or vtable that codegen may duplicate has (a new one is
/// chosen at random each time the program takes one, as the reference interpreter does).
pub const ADDRS_PER_DUPLICABLE: u64 = 32;

/// A pointer value: absolute address and provenance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ptr {
    pub addr: u64,
    pub prov: Prov,
}

impl Ptr {
    pub fn offset(self, n: u64) -> Ptr {
        Ptr { addr: self.addr.wrapping_add(n), prov: self.prov }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocKind {
    /// Rust heap (`__rust_alloc`).
    Rust,
    /// C heap (`malloc`).
    C,
    /// A local variable whose address is taken.
    Stack,
    /// A `static` or constant data imported from the compiler.
    Global,
    /// The address of a function.
    Function(FnId),
    /// Memory the emulated OS owns (environment, argv).
    Machine,
    /// A thread's copy of a thread-local static.
    Tls,
    /// An anonymous `mmap` mapping (freed by `munmap`; may leak, as under Miri).
    Mmap,
}

impl AllocKind {
    pub fn describe(self) -> &'static str {
        match self {
            AllocKind::Rust => "Rust heap",
            AllocKind::C => "C heap",
            AllocKind::Stack => "stack variable",
            AllocKind::Global => "global",
            AllocKind::Function(_) => "function",
            AllocKind::Machine => "machine",
            AllocKind::Tls => "thread-local static",
            AllocKind::Mmap => "mmap",
        }
    }
}

pub struct Allocation {
    pub bytes: Vec<u8>,
    /// Initialization state, one byte per byte of `bytes` (1 = initialized).
    pub init: Vec<u8>,
    /// Provenance of the bytes: whole pointers and fragments, sorted (see `prov_map`).
    pub prov: ProvList,
    pub base: u64,
    pub size: u64,
    pub align: u64,
    pub kind: AllocKind,
    pub mutable: bool,
    pub live: bool,
    /// Its address was exposed (a pointer to it was cast to an integer).
    pub exposed: bool,
    /// The borrow tags of the exposed pointers (with Stacked Borrows on): a pointer made
    /// from the address (wildcard provenance) may act as any of them.
    pub exposed_tags: std::collections::HashSet<u32>,
    /// Where it was allocated and freed (innermost user frame), for reports.
    pub alloc_site: Option<(FnId, SpanId)>,
    pub free_site: Option<(FnId, SpanId)>,
    /// For a vtable, the id of the trait it was made for (the frontend's numbering); 0 for
    /// any other allocation.
    pub vtable_trait: u32,
    /// For a vtable with copies at other addresses (`Memory::vtable_salted`): 1 + the index
    /// of its table of copies; 0: none yet.
    pub salts: u32,
    /// Borrow stacks per location (with Stacked Borrows on).
    pub stacks: Option<Stacks>,
    /// The tag tree (with Tree Borrows on), boxed: it is large, and a record that holds it
    /// inline would be twice the size under Stacked Borrows too.
    pub tree: Option<Box<std::cell::RefCell<TbAlloc>>>,
    /// Data-race state per run of bytes, made on the first access while races are tracked.
    pub race: std::cell::RefCell<Option<RangeMap<data_race::Cell>>>,
    /// Weak memory: the store buffers of its atomically written locations.
    pub weak: std::cell::RefCell<Option<Box<crate::concurrency::weak_memory::Buffers>>>,
}

impl Allocation {
    /// A record of nothing (record 0, and a new record before `allocate_uninit` fills it).
    fn empty() -> Allocation {
        Allocation {
            bytes: Vec::new(),
            init: Vec::new(),
            prov: Vec::new(),
            base: 0,
            size: 0,
            align: 1,
            kind: AllocKind::Machine,
            mutable: false,
            live: false,
            exposed: false,
            exposed_tags: Default::default(),
            alloc_site: None,
            free_site: None,
            vtable_trait: 0,
            salts: 0,
            stacks: None,
            tree: None,
            race: Default::default(),
            weak: Default::default(),
        }
    }
}

// Every memory access indexes the table of records: a record that grows (a large state held
// inline) makes all of them slower, as the tag tree inline did (544 bytes).
const _: () = assert!(std::mem::size_of::<Allocation>() <= 328);

/// `Allocation::vtable_trait` of a vtable that may stand for any trait.
pub const ANY_TRAIT: u32 = u32::MAX;

pub struct Memory {
    /// Indexed by allocation id; id 0 is never used so that provenance 0 means "none".
    allocs: Vec<Allocation>,
    next_addr: u64,
    /// Base address to allocation, for integer-to-pointer casts: only the exposed live
    /// allocations (the only ones such a cast may reach), entered when first exposed, so
    /// that the allocations of every call's locals do not go through it.
    by_addr: BTreeMap<u64, u32>,
    fn_allocs: std::collections::HashMap<FnId, u32>,
    /// The other addresses of functions codegen may duplicate, by `FnId`: the allocation for
    /// each salt (0: not made yet; salt 0 is the function's own `fn_ptr`).
    fn_salts: Vec<Option<Box<[u32; ADDRS_PER_DUPLICABLE as usize]>>>,
    /// The copies of vtables, by `Allocation::salts`: the allocation for each salt.
    vtable_salts: Vec<[u32; ADDRS_PER_DUPLICABLE as usize]>,
    /// Allocations the program declared roots of the leak check (`miri_static_root`).
    static_roots: Vec<u32>,
    /// Foreign statics the emulated OS defines (e.g. `environ`), by name.
    pub extern_statics: std::collections::HashMap<String, Ptr>,
    /// Stacked Borrows, when on.
    pub sb: Option<SbState>,
    /// Live allocations that have borrow stacks or a tag tree (so collecting dead tags
    /// skips freed ones).
    live_with_borrows: crate::id_set::IdSet,
    /// Freed allocations whose records are kept while a pointer may still name them (for
    /// use-after-free reports).
    dead: Vec<u32>,
    /// Ids of freed allocations no pointer names any more, handed out again, so that the
    /// table of allocations stays as large as the live ones in programs that allocate in a
    /// loop.
    free_ids: Vec<u32>,
    /// Freed allocations' buffers, for new allocations (`spare.rs`).
    spares: crate::spare::Spares,
    /// Where the program is (set by the interpreter while an aliasing model or the race
    /// detector needs it): the user's program point, for histories and race reports.
    pub site: std::rc::Rc<crate::site::SiteCell>,
    /// The data-race detector (unless disabled).
    pub race: Option<RaceDetector>,
    /// Whether accesses are checked for races now: some thread other than the running one
    /// may still access memory concurrently.
    pub race_on: bool,
    /// One more than the newest borrow tag ever stored in memory or handed to the machine to
    /// keep (exposed, named, a thread-specific value): no pointer made after it can be
    /// anywhere but in registers (`young.rs`). (One more, so that the wildcard tag, the
    /// largest, wraps to 0 and counts for nothing.)
    stored_tag_end: u32,
    /// Whether atomic accesses must be aligned to their size (off with
    /// `-Zmiri-disable-alignment-check`; other alignment requirements are lowered away).
    /// Alignment is what the allocation guarantees, not what the address happens to be
    /// (`-Zmiri-symbolic-alignment-check`).
    pub symbolic_alignment: bool,
    pub alignment_check: bool,
    /// Bytes in live allocations (what the memory limit counts).
    pub live_bytes: u64,
    /// Freed addresses to hand out again, and the running thread (who frees and allocates).
    pub reuse: crate::reuse::ReusePool,
    active_thread: ThreadId,
    /// Alignments promised for live allocations (`miri_promise_symbolic_alignment`): the
    /// offset that has the alignment, for symbolic alignment checks.
    pub promised_align: std::collections::HashMap<u32, (u64, u64)>,
}

impl Default for Memory {
    fn default() -> Self {
        Self::new()
    }
}

/// What `Memory::read_small` found: the bytes, their initialization and their simple
/// provenance, or (the provenance not simple) where the checked bytes are (allocation,
/// offset).
pub type SmallRead = Result<(u64, u64, Prov), (u32, usize)>;

impl Memory {
    pub fn new() -> Memory {
        Memory {
            allocs: vec![Allocation::empty()],
            next_addr: 0x1_0000,
            by_addr: BTreeMap::new(),
            fn_allocs: Default::default(),
            fn_salts: Vec::new(),
            vtable_salts: Vec::new(),
            extern_statics: Default::default(),
            static_roots: Vec::new(),
            sb: None,
            live_with_borrows: Default::default(),
            dead: Vec::new(),
            free_ids: Vec::new(),
            spares: Default::default(),
            site: Default::default(),
            race: None,
            race_on: false,
            stored_tag_end: 0,
            alignment_check: true,
            symbolic_alignment: false,
            reuse: crate::reuse::ReusePool::new(0.0, 0.0, 0),
            active_thread: ThreadId::MAIN,
            promised_align: Default::default(),
            live_bytes: 0,
        }
    }

    /// Turns on Stacked Borrows (or Tree Borrows) for allocations made from now on.
    pub fn enable_aliasing_model(&mut self, tree: bool) {
        let mut sb = SbState::default();
        sb.tree = tree;
        sb.site = self.site.clone();
        self.sb = Some(sb);
    }

    /// Turns on the data-race detector (it starts checking once a second thread exists).
    pub fn enable_race_detector(&mut self) {
        self.race = Some(RaceDetector::new());
    }

    /// Creates a zero-filled, initialized allocation and returns a pointer to its start.
    pub fn allocate(&mut self, size: u64, align: u64, kind: AllocKind) -> Ptr {
        let p = self.allocate_uninit(size, align, kind);
        self.allocs[p.prov.alloc as usize].init.fill(1);
        p
    }

    /// Creates an allocation whose bytes are all uninitialized.
    pub fn allocate_uninit(&mut self, size: u64, align: u64, kind: AllocKind) -> Ptr {
        let align = align.max(1);
        self.live_bytes += size;
        let reused = if self.reuse.applies(kind, size) { self.reuse.take(size, align, kind, self.active_thread) } else { None };
        let base = match reused {
            Some((addr, clock)) => {
                // Reusing another thread's freed address synchronizes with its free.
                if let (Some(c), Some(r)) = (clock, &self.race) {
                    r.acquire(&c);
                }
                addr
            }
            None => {
                let base = (self.next_addr + self.reuse.slack()).next_multiple_of(align);
                // The next allocation may start right at this one's end (the slack can be 0);
                // a zero-sized one still takes a byte so that no two share an address.
                self.next_addr = base + size.max(1);
                base
            }
        };
        let (bytes, init) = self.spares.bytes(size as usize);
        let prov = self.spares.prov();
        let stacks = match (&self.sb, kind) {
            (Some(sb), k) if !sb.tree && !matches!(k, AllocKind::Function(_)) => {
                let global = matches!(k, AllocKind::Global | AllocKind::Machine | AllocKind::Tls);
                Some(std::cell::RefCell::new(self.spares.stacks(size, base_item(global))))
            }
            _ => None,
        };
        let tree = match (&self.sb, kind) {
            (Some(sb), k) if sb.tree && !matches!(k, AllocKind::Function(_)) => {
                Some(self.spares.tree(size, &mut sb.tree_spares.borrow_mut()))
            }
            _ => None,
        };
        let race = match (self.race_on, kind) {
            (true, AllocKind::Rust | AllocKind::C | AllocKind::Stack) => {
                let cell = self.race.as_ref().unwrap().new_allocation_cell(false, self.site.get());
                Some(RangeMap::new(size, cell))
            }
            _ => None,
        };
        let with_borrows = stacks.is_some() || tree.is_some();
        let id = match self.free_ids.pop() {
            Some(id) => id,
            None => {
                self.allocs.push(Allocation::empty());
                self.allocs.len() as u32 - 1
            }
        };
        // The record is filled in place (a recycled one keeps only the capacities of
        // buffers it no longer has): no whole record is built, moved and dropped per
        // allocation. Every field is named, so a new one cannot be left stale.
        let Allocation {
            bytes: a_bytes,
            init: a_init,
            prov: a_prov,
            base: a_base,
            size: a_size,
            align: a_align,
            kind: a_kind,
            mutable,
            live,
            exposed,
            exposed_tags,
            alloc_site,
            free_site,
            vtable_trait,
            salts,
            stacks: a_stacks,
            tree: a_tree,
            race: a_race,
            weak,
        } = &mut self.allocs[id as usize];
        (*a_bytes, *a_init, *a_prov) = (bytes, init, prov);
        (*a_base, *a_size, *a_align, *a_kind) = (base, size, align, kind);
        (*mutable, *live, *exposed) = (true, true, false);
        if !exposed_tags.is_empty() {
            *exposed_tags = Default::default();
        }
        (*alloc_site, *free_site, *vtable_trait, *salts) = (None, None, 0, 0);
        (*a_stacks, *a_tree) = (stacks, tree);
        *a_race.get_mut() = race;
        *weak.get_mut() = None;
        // (Far beyond what fits in this machine's memory: each id keeps a record.)
        debug_assert!(id < crate::prov_map::MAX_ALLOC_ID);
        if with_borrows {
            self.live_with_borrows.insert(id);
        }
        Ptr { addr: base, prov: Prov::base(id) }
    }

    /// Creates an allocation holding the given bytes and provenance.
    pub fn allocate_with(&mut self, bytes: &[u8], prov: &[(u64, ProvPart)], align: u64, kind: AllocKind, mutable: bool) -> Ptr {
        let ptr = self.allocate(bytes.len() as u64, align, kind);
        self.note_stored_parts(prov);
        let a = &mut self.allocs[ptr.prov.alloc as usize];
        a.bytes.copy_from_slice(bytes);
        a.prov = prov.to_vec();
        a.mutable = mutable;
        ptr
    }

    pub fn set_mutable(&mut self, ptr: Ptr, mutable: bool) {
        self.allocs[ptr.prov.alloc as usize].mutable = mutable;
    }

    /// The unique address of a function, usable as a fn pointer.
    pub fn fn_ptr(&mut self, f: FnId) -> Ptr {
        if let Some(&id) = self.fn_allocs.get(&f) {
            return Ptr { addr: self.allocs[id as usize].base, prov: Prov::base(id) };
        }
        let ptr = self.allocate(0, 16, AllocKind::Function(f));
        self.allocs[ptr.prov.alloc as usize].mutable = false;
        self.fn_allocs.insert(f, ptr.prov.alloc);
        ptr
    }

    /// One of `ADDRS_PER_DUPLICABLE` addresses of `f` (salt 0 is `fn_ptr(f)`): a function that
    /// codegen may duplicate (generic, or inlinable) has no unique address.
    pub fn fn_ptr_salted(&mut self, f: FnId, salt: u32) -> Ptr {
        if salt == 0 {
            return self.fn_ptr(f);
        }
        let i = f.0 as usize;
        if self.fn_salts.len() <= i {
            self.fn_salts.resize_with(i + 1, || None);
        }
        let id = self.fn_salts[i].as_ref().map_or(0, |t| t[salt as usize]);
        if id != 0 {
            return Ptr { addr: self.allocs[id as usize].base, prov: Prov::base(id) };
        }
        let ptr = self.allocate(0, 16, AllocKind::Function(f));
        self.allocs[ptr.prov.alloc as usize].mutable = false;
        self.fn_salts[i].get_or_insert_with(|| Box::new([0; ADDRS_PER_DUPLICABLE as usize]))[salt as usize] = ptr.prov.alloc;
        ptr
    }

    /// One of `ADDRS_PER_DUPLICABLE` copies of the vtable `vt` (salt 0 is `vt` itself): a
    /// vtable has no unique address either.
    pub fn vtable_salted(&mut self, vt: Ptr, salt: u32) -> Ptr {
        if salt == 0 || vt.prov.alloc == 0 {
            return vt;
        }
        let table = self.allocs[vt.prov.alloc as usize].salts;
        if table != 0 {
            let id = self.vtable_salts[table as usize - 1][salt as usize];
            if id != 0 {
                return Ptr { addr: self.allocs[id as usize].base, prov: Prov::base(id) };
            }
        }
        let a = &self.allocs[vt.prov.alloc as usize];
        let (bytes, prov, align, trait_id) = (a.bytes.clone(), a.prov.clone(), a.align, a.vtable_trait);
        let copy = self.allocate_with(&bytes, &prov, align, AllocKind::Global, false);
        self.allocs[copy.prov.alloc as usize].vtable_trait = trait_id;
        let table = if table != 0 {
            table
        } else {
            self.vtable_salts.push([0; ADDRS_PER_DUPLICABLE as usize]);
            let t = self.vtable_salts.len() as u32;
            self.allocs[vt.prov.alloc as usize].salts = t;
            t
        };
        self.vtable_salts[table as usize - 1][salt as usize] = copy.prov.alloc;
        copy
    }

    /// The function whose address `ptr` is derived from (any offset).
    pub fn fn_of_derived_ptr(&self, ptr: Ptr) -> Option<(FnId, u64)> {
        let a = self.allocs.get(ptr.prov.alloc as usize).filter(|_| ptr.prov.is_some())?;
        match a.kind {
            AllocKind::Function(f) => Some((f, ptr.addr.wrapping_sub(a.base))),
            _ => None,
        }
    }

    /// The function a fn pointer points to.
    pub fn fn_of_ptr(&self, ptr: Ptr) -> Res<FnId> {
        let a = self.allocs.get(ptr.prov.alloc as usize).filter(|_| ptr.prov.is_some());
        match a {
            Some(a) if a.base == ptr.addr => match a.kind {
                AllocKind::Function(f) => Ok(f),
                _ => Err(Error::ub(format!("using {} as function pointer but it does not point to a function", fmt_ptr(ptr)))),
            },
            _ => Err(Error::ub(format!("using {} as function pointer but it does not point to a function", fmt_ptr(ptr)))),
        }
    }

    /// The alignment `p` is known to have: from its address, or with symbolic alignment from
    /// its allocation's alignment (or a promised one) and its offset.
    #[inline]
    pub fn known_align(&self, p: Ptr) -> u64 {
        if !self.symbolic_alignment {
            // From the address alone (a wildcard pointer's lookup would not change it).
            return if p.addr == 0 { u64::MAX } else { 1 << p.addr.trailing_zeros() };
        }
        self.symbolic_align(p)
    }

    /// `known_align` under symbolic alignment.
    fn symbolic_align(&self, p: Ptr) -> u64 {
        let p = self.resolve_wildcard(p, 0);
        if p.prov.alloc != 0 {
            // Only what the allocation guarantees counts, not what the address happens to be.
            let a = self.get(p.prov);
            // The allocation's alignment at its start, or a larger one promised at an offset.
            let (start, align) = self.promised_align.get(&p.prov.alloc).copied().unwrap_or((0, a.align));
            let dist = p.addr.wrapping_sub(a.base).wrapping_sub(start);
            align.min(if dist == 0 { u64::MAX } else { 1 << dist.trailing_zeros() })
        } else if p.addr == 0 {
            u64::MAX
        } else {
            1 << p.addr.trailing_zeros()
        }
    }

    /// Records that allocation `id` is a vtable made for trait `trait_id`. A vtable the
    /// compiler shares between traits (identical contents) stands for any trait
    /// (`ANY_TRAIT`).
    pub fn mark_vtable(&mut self, id: u32, trait_id: u32) {
        if let Some(a) = self.allocs.get_mut(id as usize) {
            a.vtable_trait = if a.vtable_trait == 0 || a.vtable_trait == trait_id { trait_id } else { ANY_TRAIT };
        }
    }

    /// Records that allocation `id` is a vtable of a trait not known here (a supertrait's
    /// vtable another vtable points to), unless it is known already.
    pub fn mark_vtable_any(&mut self, id: u32) {
        if let Some(a) = self.allocs.get_mut(id as usize)
            && a.vtable_trait == 0
        {
            a.vtable_trait = ANY_TRAIT;
        }
    }

    /// The trait of the vtable `ptr` points to (at its start), or `None` when it points to
    /// no live vtable.
    pub fn vtable_trait_of(&self, ptr: Ptr) -> Option<u32> {
        let a = self.allocs.get(ptr.prov.alloc as usize).filter(|_| ptr.prov.alloc != 0)?;
        (a.live && a.vtable_trait != 0 && a.base == ptr.addr).then_some(a.vtable_trait)
    }

    pub fn get(&self, prov: Prov) -> &Allocation {
        &self.allocs[prov.alloc as usize]
    }

    /// Frees an allocation; `kind` must match how it was allocated.
    pub fn deallocate(&mut self, ptr: Ptr, size_align: Option<(u64, u64)>, kind: AllocKind) -> Res<()> {
        let ptr = self.resolve_wildcard(ptr, 0);
        if ptr.prov.alloc == 0 {
            return Err(Error::ub(format!("deallocating {}, which is not the start of an allocation", fmt_ptr(ptr))));
        }
        let id = ptr.prov.alloc;
        let a = &self.allocs[ptr.prov.alloc as usize];
        if !a.live {
            return Err(Error::ub(format!("deallocating alloc{}, which has already been freed", ptr.prov)).about(id));
        }
        if a.base != ptr.addr {
            return Err(
                Error::ub(format!("deallocating {}, which does not point to the beginning of an allocation", fmt_ptr(ptr))).about(id)
            );
        }
        if a.kind != kind {
            return Err(Error::ub(format!(
                "deallocating alloc{}, which is {} memory, using {} deallocation operation",
                ptr.prov,
                a.kind.describe(),
                kind.describe()
            ))
            .about(id));
        }
        if let (Some(sb), Some(stacks)) = (&self.sb, &a.stacks) {
            sb.dealloc(stacks, &a.exposed_tags, id, ptr.prov.tag)?;
        }
        if self.race_on && a.size > 0 {
            self.race_na(a, id, 0, a.size, data_race::AccessKind::Write(data_race::WriteKind::Deallocate))?;
        }
        if let (Some(sb), Some(tree)) = (&self.sb, &a.tree) {
            let tag = (ptr.prov.tag != Prov::WILDCARD_TAG).then_some(ptr.prov.tag);
            let protected = sb.protected.borrow();
            let r = tree.borrow_mut().dealloc(tag, &|c| protected.contains(c), sb.site.get());
            drop(protected);
            r.map_err(|e| sb.tree_error(e, ptr.prov.tag, id))?;
        }
        let a = &mut self.allocs[ptr.prov.alloc as usize];
        if let Some((size, align)) = size_align
            && (size != a.size || align != a.align)
        {
            return Err(Error::ub(format!(
                "incorrect layout on deallocation: alloc{} has size {} and alignment {}, but gave size {} and alignment {}",
                ptr.prov, a.size, a.align, size, align
            ))
            .about(id));
        }
        a.live = false;
        self.live_bytes -= a.size;
        if a.exposed && self.by_addr.get(&a.base) == Some(&id) {
            self.by_addr.remove(&a.base);
        }
        let (base, size, kind) = (a.base, a.size, a.kind);
        if self.reuse.applies(kind, size) {
            let clock = if self.race_on { self.race.as_ref().map(|r| r.release()) } else { None };
            self.reuse.add(base, size, kind, self.active_thread, clock);
        }
        self.dead.push(id);
        if !self.static_roots.is_empty() {
            self.static_roots.retain(|&r| r != id);
        }
        let a = &mut self.allocs[id as usize];
        let stacks = a.stacks.take().map(|s| s.into_inner());
        self.spares.keep(std::mem::take(&mut a.bytes), std::mem::take(&mut a.init), std::mem::take(&mut a.prov), stacks);
        if let (Some(tree), Some(sb)) = (a.tree.take(), &self.sb) {
            self.spares.keep_tree(tree, &mut sb.tree_spares.borrow_mut());
        }
        a.race = Default::default();
        a.weak = Default::default();
        a.exposed_tags = Default::default();
        self.live_with_borrows.remove(id);
        if !self.promised_align.is_empty() {
            self.promised_align.remove(&id);
        }
        Ok(())
    }

    /// `ptr` as it acts for `size` bytes: a wildcard pointer whose allocation does not hold
    /// them (or is gone, or none) acts for the exposed live allocation that does, if any (see
    /// `Prov`); any other pointer is itself.
    pub fn resolve_wildcard(&self, ptr: Ptr, size: u64) -> Ptr {
        // Bytes are held by one allocation at most; an address, by two (one's end is the
        // next one's start), so a zero-sized use looks again.
        if ptr.prov.tag != Prov::WILDCARD_TAG || (size > 0 && self.holds(ptr.prov.alloc, ptr.addr, size)) {
            return ptr;
        }
        match self.exposed_holding(ptr.addr, size) {
            Some(id) => Ptr { addr: ptr.addr, prov: Prov { alloc: id, tag: Prov::WILDCARD_TAG } },
            None => ptr,
        }
    }

    /// A wildcard pointer to `lo` as it acts for the bytes `lo..hi` (pointer arithmetic or
    /// `offset_from` between `lo` and `hi`): the exposed allocation holding them all.
    pub fn resolve_wildcard_span(&self, ptr: Ptr, lo: u64, hi: u64) -> Ptr {
        if ptr.prov.tag != Prov::WILDCARD_TAG || lo == hi {
            return self.resolve_wildcard(ptr, 0);
        }
        match self.exposed_holding(lo, hi - lo) {
            Some(id) => Ptr { addr: ptr.addr, prov: Prov { alloc: id, tag: Prov::WILDCARD_TAG } },
            None => self.resolve_wildcard(ptr, 0),
        }
    }

    /// The exposed live allocation that holds `size` bytes at `addr`. Allocations may be
    /// adjacent, so for `size` 0 an address may be both one allocation's start and the
    /// previous one's end: the one starting there is chosen first, as the reference
    /// interpreter does.
    fn exposed_holding(&self, addr: u64, size: u64) -> Option<u32> {
        let mut below = self.by_addr.range(..=addr).rev();
        let (&base, &id) = below.next()?;
        if self.allocs[id as usize].exposed && self.holds(id, addr, size) {
            return Some(id);
        }
        if size == 0 && base == addr {
            let (_, &prev) = below.next()?;
            if self.allocs[prev as usize].exposed && self.holds(prev, addr, 0) {
                return Some(prev);
            }
        }
        None
    }

    /// Whether live allocation `id` holds `size` bytes at `addr`.
    fn holds(&self, id: u32, addr: u64, size: u64) -> bool {
        let a = &self.allocs[id as usize];
        id != 0 && a.live && addr >= a.base && addr.checked_add(size).is_some_and(|end| end <= a.base + a.size)
    }

    /// Resolves an access of `size` bytes at `ptr` to (allocation id, offset).
    #[inline]
    pub fn check(&self, ptr: Ptr, size: u64, write: bool) -> Res<(u32, usize)> {
        if size == 0 {
            return Ok((0, 0));
        }
        let id = ptr.prov.alloc;
        // (Record 0, for pointers without provenance, is never live.)
        let a = &self.allocs[id as usize];
        let off = ptr.addr.wrapping_sub(a.base);
        if !a.live || off > a.size || a.size - off < size || (write && !a.mutable) {
            return self.check_failed(ptr, size, write);
        }
        if self.race_on {
            let kind = if write {
                data_race::AccessKind::Write(data_race::WriteKind::Write)
            } else {
                data_race::AccessKind::Read { retag: false }
            };
            self.race_na(a, id, off, size, kind)?;
        }
        if let (Some(sb), Some(stacks)) = (&self.sb, &a.stacks) {
            let kind = if write { AccessKind::Write } else { AccessKind::Read };
            sb.access(stacks, &a.exposed_tags, id, off, size, kind, ptr.prov.tag)?;
        }
        if let (Some(sb), Some(tree)) = (&self.sb, &a.tree) {
            Self::tree_access(sb, tree, id, ptr, off, size, write, Cause::Access)?;
        }
        Ok((id, off as usize))
    }

    /// `check` of an access its fast test refused: a wildcard pointer that stands for
    /// another allocation is checked again as that one; anything else is UB, reported.
    #[cold]
    #[inline(never)]
    fn check_failed(&self, ptr: Ptr, size: u64, write: bool) -> Res<(u32, usize)> {
        let id = ptr.prov.alloc;
        if id == 0 {
            let p = self.resolve_wildcard(ptr, size);
            if p.prov.alloc != id {
                return self.check(p, size, write);
            }
            return Err(Error::ub(format!(
                "memory access failed: attempting to access {size} byte{}, but got {} which is a dangling pointer (it has no provenance)",
                if size == 1 { "" } else { "s" },
                fmt_ptr(ptr)
            )));
        }
        let a = &self.allocs[id as usize];
        if !a.live {
            let p = self.resolve_wildcard(ptr, size);
            if p.prov.alloc != id {
                return self.check(p, size, write);
            }
            return Err(Error::ub(format!("memory access failed: alloc{id} has been freed, so this pointer is dangling")).about(id));
        }
        let off = ptr.addr.wrapping_sub(a.base);
        if off > a.size || a.size - off < size {
            let p = self.resolve_wildcard(ptr, size);
            if p.prov.alloc != id {
                return self.check(p, size, write);
            }
            let bytes = |n: u64| if n == 1 { "1 byte".to_string() } else { format!("{n} bytes") };
            let soff = off as i64;
            let at = match soff {
                0 => format!("alloc{id}"),
                o if o > 0 => format!("alloc{id}+{o:#x}"),
                o => format!("alloc{id}-{:#x}", o.unsigned_abs()),
            };
            let why = if soff < 0 {
                "points to before the beginning of the allocation".to_string()
            } else if off >= a.size {
                format!("is at or beyond the end of the allocation of size {}", bytes(a.size))
            } else {
                format!("is only {} from the end of the allocation", bytes(a.size - off))
            };
            return Err(
                Error::ub(format!("memory access failed: attempting to access {}, but got {at} which {why}", bytes(size))).about(id)
            );
        }
        // What the fast test refused is left: a write to read-only memory.
        Err(Error::ub(format!("writing to alloc{id} which is read-only")).about(id))
    }

    /// The Tree Borrows part of `check` (`cause`: an access, or the access a reborrow makes).
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn tree_access(
        sb: &SbState,
        tree: &std::cell::RefCell<TbAlloc>,
        id: u32,
        ptr: Ptr,
        off: u64,
        size: u64,
        write: bool,
        cause: Cause,
    ) -> Res<()> {
        let kind = if write { AccessKind::Write } else { AccessKind::Read };
        // (Most accesses change nothing: decided before the access is made up.)
        if ptr.prov.tag != Prov::WILDCARD_TAG && tree.borrow().access_skips(ptr.prov.tag, kind, off, size) {
            return Ok(());
        }
        let protected = sb.protected.borrow();
        let is_protected = |c| protected.contains(c);
        let a = Access { kind, cause, protected: &is_protected, site: sb.site.get() };
        let r = if ptr.prov.tag == Prov::WILDCARD_TAG {
            tree.borrow_mut().wildcard_access(off, size, a)
        } else {
            tree.borrow_mut().access(ptr.prov.tag, off, size, a)
        };
        drop(protected);
        r.map_err(|e| sb.tree_error(e, ptr.prov.tag, id))
    }

    /// A non-atomic access of `[off, off+size)` of allocation `a` (number `id`), checked for
    /// races with the other threads.
    #[cold]
    #[inline(never)]
    pub(crate) fn race_na(&self, a: &Allocation, id: u32, off: u64, size: u64, kind: data_race::AccessKind) -> Res<()> {
        let det = self.race.as_ref().unwrap();
        if !matches!(kind, data_race::AccessKind::Read { .. }) {
            // A non-atomic write ends the atomic life of the bytes it overwrites.
            if let Some(w) = a.weak.borrow_mut().as_mut() {
                w.remove_overlapping(off, size);
            }
        }
        let mut cells = a.race.borrow_mut();
        let cells = cells.get_or_insert_with(|| RangeMap::new(a.size, data_race::Cell::before_everything()));
        det.na_access(cells, off, size, kind, self.site.get()).map_err(|r| race_error(r, id, off))
    }

    /// The access a retag makes, for the race detector.
    pub(crate) fn race_retag(&self, id: u32, off: u64, size: u64, write: bool) -> Res<()> {
        let a = &self.allocs[id as usize];
        let kind = if write {
            data_race::AccessKind::Write(data_race::WriteKind::RetagWrite)
        } else {
            data_race::AccessKind::Read { retag: true }
        };
        self.race_na(a, id, off, size, kind)
    }

    /// The race-detector side of an atomic access (the bytes are moved separately, without
    /// the non-atomic check); also checks alignment and mutability as atomics require.
    pub fn atomic_check(&self, ptr: Ptr, size: u64, kind: data_race::AccessKind, ord: vigil_ir::AtomicOrd) -> Res<()> {
        self.atomic_precheck(ptr, size, kind, ord)?;
        self.atomic_race(ptr, size, kind, ord, None)
    }

    /// What an atomic access needs besides what every access needs: alignment to its size,
    /// and writable memory (except for small relaxed loads).
    pub fn atomic_precheck(&self, ptr: Ptr, size: u64, kind: data_race::AccessKind, ord: vigil_ir::AtomicOrd) -> Res<()> {
        if self.alignment_check {
            let have = self.known_align(ptr);
            if have < size {
                return Err(Error::ub(format!("accessing memory with alignment {have}, but alignment {size} is required")));
            }
        }
        if ptr.prov.is_some() {
            let a = &self.allocs[ptr.prov.alloc as usize];
            if a.live && !a.mutable {
                let msg = match kind {
                    data_race::AccessKind::AtomicLoad if size > 8 => Some(
                        "large atomic load operations cannot be performed on read-only memory\nthese operations often have to be implemented using read-modify-write operations, which require writeable memory",
                    ),
                    data_race::AccessKind::AtomicLoad if ord != vigil_ir::AtomicOrd::Relaxed => Some(
                        "non-relaxed atomic load operations cannot be performed on read-only memory\nthese operations sometimes have to be implemented using read-modify-write operations, which require writeable memory",
                    ),
                    data_race::AccessKind::AtomicLoad => None,
                    _ => Some("atomic store and read-modify-write operations cannot be performed on read-only memory"),
                };
                if let Some(m) = msg {
                    return Err(Error::ub(format!("{m}\nsee <https://doc.rust-lang.org/nightly/std/sync/atomic/index.html#atomic-accesses-to-read-only-memory> for more information")).about(ptr.prov.alloc));
                }
            }
        }
        Ok(())
    }

    /// The race detector's record of an atomic access.
    pub fn atomic_race(
        &self,
        ptr: Ptr,
        size: u64,
        kind: data_race::AccessKind,
        ord: vigil_ir::AtomicOrd,
        sync: Option<&VClock>,
    ) -> Res<()> {
        if !self.race_on {
            return Ok(());
        }
        // Bounds and liveness first (the access itself reports those).
        let (id, off) = self.check_no_race(ptr, size, false)?;
        if size == 0 {
            return Ok(());
        }
        let a = &self.allocs[id as usize];
        let det = self.race.as_ref().unwrap();
        let mut cells = a.race.borrow_mut();
        let cells = cells.get_or_insert_with(|| RangeMap::new(a.size, data_race::Cell::before_everything()));
        det.atomic_access(cells, off as u64, size, kind, ord, self.site.get(), sync).map_err(|r| race_error(r, id, off as u64))
    }

    /// `check` without the race check (for the race detector's own bounds checks).
    fn check_no_race(&self, ptr: Ptr, size: u64, write: bool) -> Res<(u32, usize)> {
        let ptr = self.resolve_wildcard(ptr, size);
        if size == 0 || ptr.prov.alloc == 0 {
            return self.check(ptr, size, write);
        }
        let a = &self.allocs[ptr.prov.alloc as usize];
        let off = ptr.addr.wrapping_sub(a.base);
        if !a.live || off > a.size || a.size - off < size {
            return self.check(ptr, size, write);
        }
        Ok((ptr.prov.alloc, off as usize))
    }

    pub fn race_set_active(&mut self, t: ThreadId) {
        self.active_thread = t;
        if let Some(r) = &self.race {
            r.set_active(t);
        }
    }

    /// A second (or later) thread was created: races are possible from now on.
    pub fn race_thread_created(&mut self, parent: ThreadId, child: ThreadId) {
        if let Some(r) = &mut self.race {
            r.thread_created(parent, child);
            self.race_on = true;
        }
    }

    pub fn race_thread_terminated(&mut self, t: ThreadId) {
        if let Some(r) = &mut self.race {
            r.thread_terminated(t);
        }
    }

    /// The running thread joined `t`; once it knows every thread's history, checking stops
    /// until the next thread is created.
    pub fn race_thread_joined(&mut self, t: ThreadId, live_threads: usize) {
        if let Some(r) = &mut self.race
            && r.thread_joined(t, live_threads)
        {
            self.race_on = false;
            // Every store happened before the running thread: only the latest of each
            // location can be read from now on (and stores while checking is off are
            // not buffered).
            for a in &self.allocs {
                *a.weak.borrow_mut() = None;
            }
        }
    }

    pub fn race_set_thread_name(&mut self, t: ThreadId, name: String) {
        if let Some(r) = &mut self.race {
            r.set_name(t, name);
        }
    }

    /// The running thread synchronizes with `clock`.
    pub fn race_acquire(&mut self, clock: &VClock) {
        if let (Some(r), true) = (&self.race, self.race_on) {
            r.acquire(clock);
        }
    }

    /// What a release by the running thread publishes (empty while races are not tracked).
    pub fn race_release(&mut self) -> VClock {
        match (&self.race, self.race_on) {
            (Some(r), true) => r.release(),
            _ => VClock::default(),
        }
    }

    /// A fence of the running thread.
    pub fn race_fence(&mut self, ord: vigil_ir::AtomicOrd) {
        if let (Some(r), true) = (&mut self.race, self.race_on) {
            r.fence(ord);
        }
    }

    pub fn read(&self, ptr: Ptr, size: u64) -> Res<&[u8]> {
        let (id, off) = self.check(ptr, size, false)?;
        if size == 0 {
            return Ok(&[]);
        }
        Ok(&self.allocs[id as usize].bytes[off..off + size as usize])
    }

    /// Reads `size` bytes that must all be initialized (bytes used as values).
    pub fn read_init(&self, ptr: Ptr, size: u64) -> Res<&[u8]> {
        let (id, off) = self.check(ptr, size, false)?;
        if size == 0 {
            return Ok(&[]);
        }
        let a = &self.allocs[id as usize];
        if !all_init(&a.init[off..off + size as usize]) {
            return Err(Error::ub(UNINIT));
        }
        Ok(&a.bytes[off..off + size as usize])
    }

    /// Reads `size` bytes with their initialization state and the provenance inside them,
    /// appending to the given buffers (provenance offsets relative to `out_base`).
    pub fn read_into(
        &self,
        ptr: Ptr,
        size: u64,
        out: &mut Vec<u8>,
        init_out: &mut Vec<u8>,
        prov_out: &mut ProvList,
        out_base: u64,
    ) -> Res<()> {
        let (id, off) = self.check(ptr, size, false)?;
        if size == 0 {
            return Ok(());
        }
        let a = &self.allocs[id as usize];
        out.extend_from_slice(&a.bytes[off..off + size as usize]);
        init_out.extend_from_slice(&a.init[off..off + size as usize]);
        prov_map::slice_into(&a.prov, off as u64, off as u64 + size, prov_out, out_base);
        Ok(())
    }

    /// Reads `size` bytes (1, 2, 4 or 8) at `ptr` for a register: the bytes and their
    /// initialization as little-endian words, and their provenance when it is simple (no
    /// part of a pointer, or one whole pointer). `Ok(Err(..))`: the access was checked but
    /// the provenance is not simple; the caller copies the bytes with `read_checked_into`.
    #[inline]
    pub fn read_small(&self, ptr: Ptr, size: u64) -> Res<SmallRead> {
        let (id, off) = self.check(ptr, size, false)?;
        let a = &self.allocs[id as usize];
        let Some(prov) = prov_map::simple_at(&a.prov, off as u64, size) else { return Ok(Err((id, off))) };
        let (mut bytes, mut init) = ([0u8; 8], [0u8; 8]);
        copy_small(&mut bytes, &a.bytes[off..off + size as usize], size as usize);
        copy_small(&mut init, &a.init[off..off + size as usize], size as usize);
        Ok(Ok((u64::from_le_bytes(bytes), u64::from_ne_bytes(init), prov)))
    }

    /// The copy of `read_into` for an access `check` already allowed (at `off` in `id`).
    pub fn read_checked_into(&self, id: u32, off: usize, size: u64, out: &mut Vec<u8>, init_out: &mut Vec<u8>, prov_out: &mut ProvList) {
        let a = &self.allocs[id as usize];
        out.extend_from_slice(&a.bytes[off..off + size as usize]);
        init_out.extend_from_slice(&a.init[off..off + size as usize]);
        prov_map::slice_into(&a.prov, off as u64, off as u64 + size, prov_out, 0);
    }

    /// Writes initialized bytes and their provenance (offsets relative to the start of `bytes`).
    pub fn write(&mut self, ptr: Ptr, bytes: &[u8], prov: &[(u64, ProvPart)]) -> Res<()> {
        self.write_with_init(ptr, bytes, None, prov)
    }

    /// `write_with_init` of at most 8 bytes (`bytes` and `init` hold them first), whose
    /// provenance is one whole pointer (only with 8 bytes) or none. (Out of line: inlined
    /// into the interpreter loop it made the loop slower than the copy it saves.)
    #[inline(never)]
    pub fn write_small(&mut self, ptr: Ptr, size: u64, bytes: &[u8; 8], init: &[u8; 8], prov: Prov) -> Res<()> {
        let (id, off) = self.check(ptr, size, true)?;
        if size == 0 {
            return Ok(());
        }
        self.note_stored(prov);
        let a = &mut self.allocs[id as usize];
        let n = size as usize;
        copy_small(&mut a.bytes[off..off + n], bytes, n);
        copy_small(&mut a.init[off..off + n], init, n);
        prov_map::set_scalar(&mut a.prov, off as u64, size, prov);
        Ok(())
    }

    /// Writes bytes with their initialization state (`None`: all initialized).
    pub fn write_with_init(&mut self, ptr: Ptr, bytes: &[u8], init: Option<&[u8]>, prov: &[(u64, ProvPart)]) -> Res<()> {
        let size = bytes.len() as u64;
        let (id, off) = self.check(ptr, size, true)?;
        if size == 0 {
            return Ok(());
        }
        self.note_stored_parts(prov);
        let a = &mut self.allocs[id as usize];
        a.bytes[off..off + size as usize].copy_from_slice(bytes);
        match init {
            Some(i) => a.init[off..off + size as usize].copy_from_slice(i),
            None => a.init[off..off + size as usize].fill(1),
        }
        prov_map::set_range(&mut a.prov, off as u64, size, prov);
        Ok(())
    }

    /// Writes `count` copies of `bytes` (with their initialization and provenance, offsets
    /// relative to one copy) one after another from `ptr`, as one write access over the whole
    /// range: the same verdicts as a write per copy, one check instead of `count`.
    pub fn write_repeat(&mut self, ptr: Ptr, bytes: &[u8], init: &[u8], prov: &[(u64, ProvPart)], count: u64) -> Res<()> {
        let elem = bytes.len();
        let size = elem as u64 * count;
        let (id, off) = self.check(ptr, size, true)?;
        if size == 0 {
            return Ok(());
        }
        self.note_stored_parts(prov);
        let a = &mut self.allocs[id as usize];
        let range = off..off + size as usize;
        if elem == 1 {
            a.bytes[range.clone()].fill(bytes[0]);
            a.init[range].fill(init[0]);
        } else {
            for (b, i) in a.bytes[range.clone()].chunks_exact_mut(elem).zip(a.init[range].chunks_exact_mut(elem)) {
                b.copy_from_slice(bytes);
                i.copy_from_slice(init);
            }
        }
        if prov.is_empty() {
            prov_map::set_range(&mut a.prov, off as u64, size, &[]);
        } else {
            for k in 0..count {
                prov_map::set_range(&mut a.prov, off as u64 + k * elem as u64, elem as u64, prov);
            }
        }
        Ok(())
    }

    /// Marks `size` bytes at `ptr` uninitialized (no access checks: for setting up memory).
    pub fn mark_uninit(&mut self, ptr: Ptr, size: u64) {
        let a = &mut self.allocs[ptr.prov.alloc as usize];
        let off = (ptr.addr - a.base) as usize;
        a.init[off..off + size as usize].fill(0);
    }

    /// Reads an integer of `size` bytes (little endian) with its provenance.
    #[inline]
    /// Word `index` of the vtable `vt` points to (the machine's own read: the aliasing
    /// models do not track it, so a vtable pointer's borrow tag does not matter).
    pub fn vtable_entry(&self, vt: Ptr, index: u64) -> Res<(u128, Prov)> {
        let untracked = if vt.prov.is_some() { Prov::base(vt.prov.alloc) } else { vt.prov };
        self.read_scalar(Ptr { addr: vt.addr, prov: untracked }.offset(index * 8), 8)
    }

    pub fn read_scalar(&self, ptr: Ptr, size: u64) -> Res<(u128, Prov)> {
        let (id, off) = self.check(ptr, size, false)?;
        if size == 0 {
            return Ok((0, Prov::NONE));
        }
        let a = &self.allocs[id as usize];
        if !all_init(&a.init[off..off + size as usize]) {
            return Err(Error::ub(UNINIT));
        }
        let mut prov = Prov::NONE;
        if size == 8 && !a.prov.is_empty() {
            prov = prov_map::whole_at(&a.prov, off as u64);
        }
        Ok((le_int(&a.bytes[off..off + size as usize]), prov))
    }

    #[inline]
    pub fn write_scalar(&mut self, ptr: Ptr, size: u64, val: u128, prov: Prov) -> Res<()> {
        let (id, off) = self.check(ptr, size, true)?;
        if size == 0 {
            return Ok(());
        }
        self.note_stored(prov);
        let a = &mut self.allocs[id as usize];
        copy_small(&mut a.bytes[off..off + size as usize], &val.to_le_bytes(), size as usize);
        fill_init_small(&mut a.init[off..off + size as usize], size as usize);
        prov_map::set_scalar(&mut a.prov, off as u64, size, prov);
        Ok(())
    }

    /// Records that a pointer with `prov` is kept outside registers (`stored_tag_end`).
    #[inline]
    pub fn note_stored(&mut self, prov: Prov) {
        self.stored_tag_end = self.stored_tag_end.max(prov.tag.wrapping_add(1));
    }

    /// The oldest tag no pointer kept outside registers (`note_stored`) has.
    #[inline]
    pub fn stored_tag_end(&self) -> u32 {
        self.stored_tag_end
    }

    /// `note_stored` for each pointer of a provenance list.
    #[inline]
    pub fn note_stored_parts(&mut self, parts: &[(u64, ProvPart)]) {
        for &(_, p) in parts {
            self.note_stored(p.prov());
        }
    }

    /// Marks the allocation of a pointer cast to an integer as exposed, and the pointer's
    /// borrow tag as one that pointers made from integers may use.
    pub fn expose(&mut self, prov: Prov) {
        self.note_stored(prov);
        if prov.is_some() {
            let a = &mut self.allocs[prov.alloc as usize];
            if a.live && !a.exposed {
                self.by_addr.insert(a.base, prov.alloc);
            }
            a.exposed = true;
            if prov.tag != Prov::WILDCARD_TAG && a.stacks.is_some() {
                a.exposed_tags.insert(prov.tag);
            }
            if let (Some(tree), true) = (&a.tree, prov.tag != Prov::WILDCARD_TAG) {
                tree.borrow_mut().expose(prov.tag);
            }
        }
    }

    /// The exposed live allocation an address belongs to (provenance for integer-to-pointer
    /// casts), or no provenance.
    pub fn alloc_at_addr(&self, addr: u64) -> Prov {
        Prov { alloc: self.exposed_holding(addr, 0).unwrap_or(0), tag: Prov::WILDCARD_TAG }
    }

    pub fn set_alloc_site(&mut self, prov: Prov, site: Option<(FnId, SpanId)>) {
        self.allocs[prov.alloc as usize].alloc_site = site;
    }

    pub fn set_free_site(&mut self, prov: Prov, site: Option<(FnId, SpanId)>) {
        self.allocs[prov.alloc as usize].free_site = site;
    }

    /// Live heap allocations not reachable from statics or other machine-owned memory
    /// (following the pointers stored in memory).
    /// Makes a live allocation a root of the leak check (`miri_static_root`): neither it nor
    /// what it points to is reported as leaked.
    pub fn add_static_root(&mut self, id: u32) {
        self.static_roots.push(id);
    }

    pub fn unreachable_heap_allocs(&self) -> Vec<u32> {
        let mut seen = vec![false; self.allocs.len()];
        let mut work: Vec<u32> = Vec::new();
        for (i, a) in self.allocs.iter().enumerate() {
            // Memory that may leak is a root: what it points to is not leaked.
            if a.live
                && (matches!(a.kind, AllocKind::Global | AllocKind::Machine | AllocKind::Tls | AllocKind::Mmap)
                    || self.static_roots.contains(&(i as u32)))
            {
                seen[i] = true;
                work.push(i as u32);
            }
        }
        while let Some(id) = work.pop() {
            for &(_, p) in &self.allocs[id as usize].prov {
                let p = p.prov().alloc as usize;
                if p < seen.len() && !seen[p] {
                    seen[p] = true;
                    work.push(p as u32);
                }
            }
        }
        self.live_heap_allocs().filter(|(id, _)| !seen[*id as usize]).map(|(id, _)| id).collect()
    }

    /// Calls `f` with the tag of every pointer stored in live memory that has borrow stacks
    /// or a tag tree (with an aliasing model on, that is all memory the program can reach).
    pub fn for_each_stored_tag(&self, mut f: impl FnMut(u32)) {
        for id in self.live_with_borrows.iter() {
            for &(_, p) in &self.allocs[id as usize].prov {
                f(p.prov().tag);
            }
        }
        self.for_each_buffered_prov(|p| f(p.tag));
    }

    /// Calls `f` with the provenance of every pointer an atomic store left in a store buffer
    /// (a later load may still read it).
    pub fn for_each_buffered_prov(&self, mut f: impl FnMut(Prov)) {
        if !self.race_on {
            return;
        }
        for a in self.allocs.iter().filter(|a| a.live) {
            if let Some(w) = a.weak.borrow().as_ref() {
                w.for_each_prov(&mut f);
            }
        }
    }

    /// Drops stack items and tree nodes whose tags `live` rejects, in every live allocation.
    /// Returns how much state remains (stack items and tree nodes).
    /// Only allocations retagged since the last collection are looked at: the others
    /// gained no items or nodes since then.
    pub fn retain_live_tags(&self, live: &impl Fn(u32) -> bool) -> usize {
        let Some(sb) = &self.sb else { return 0 };
        let mut work = 0;
        let protected = sb.protected.borrow();
        let is_protected = |c: u64| protected.contains(c);
        let mut scratch = sb.collect_scratch.borrow_mut();
        let mut spares = sb.tree_spares.borrow_mut();
        let mut touched = std::mem::take(&mut *sb.retagged_since_gc.borrow_mut());
        for id in touched.iter() {
            let a = &self.allocs[id as usize];
            if !a.live {
                continue;
            }
            if let Some(stacks) = &a.stacks {
                // Exposed tags stay usable through wildcard pointers.
                let none_exposed = a.exposed_tags.is_empty();
                let live = |t: u32| live(t) || (!none_exposed && a.exposed_tags.contains(&t));
                let mut memo = crate::borrows::stacked::RetainMemo::default();
                let mut stacks = stacks.borrow_mut();
                stacks.runs.for_all_mut(|s| {
                    s.retain_live(&live, &is_protected, &mut memo);
                    work += s.len();
                });
                work += stacks.retain_overlay(|it| (it.protector != 0 && is_protected(it.protector)) || live(it.tag));
            }
            if let Some(tree) = &a.tree {
                let mut tree = tree.borrow_mut();
                tree.retain_live_with(live, &is_protected, &mut scratch, &mut spares);
                work += tree.node_count();
            }
        }
        // (The set's words are kept for the next round: no retag runs during a collection.)
        touched.clear();
        *sb.retagged_since_gc.borrow_mut() = touched;
        work
    }

    /// How many freed allocations keep their records.
    pub fn dead_count(&self) -> usize {
        self.dead.len()
    }

    /// Calls `f` with the provenance of every pointer stored in live memory.
    pub fn for_each_stored_prov(&self, mut f: impl FnMut(Prov)) {
        for a in self.allocs.iter().filter(|a| a.live) {
            for &(_, p) in &a.prov {
                f(p.prov());
            }
        }
        self.for_each_buffered_prov(f);
    }

    /// Hands the ids of freed allocations that no pointer names (`named` says which are
    /// named) back for reuse; their records are dropped.
    pub fn recycle_dead(&mut self, named: &dyn Fn(u32) -> bool) {
        let mut i = 0;
        while i < self.dead.len() {
            let id = self.dead[i];
            if named(id) {
                i += 1;
            } else {
                self.dead.swap_remove(i);
                self.allocs[id as usize].alloc_site = None;
                self.allocs[id as usize].free_site = None;
                self.free_ids.push(id);
            }
        }
    }

    pub fn alloc_count(&self) -> usize {
        self.allocs.len()
    }

    pub fn alloc_id(ptr: Ptr) -> AllocId {
        AllocId(ptr.prov.alloc)
    }

    /// Heap allocations still live (for leak reports).
    pub fn live_heap_allocs(&self) -> impl Iterator<Item = (u32, &Allocation)> {
        self.allocs
            .iter()
            .enumerate()
            .filter(|(_, a)| a.live && matches!(a.kind, AllocKind::Rust | AllocKind::C))
            .map(|(i, a)| (i as u32, a))
    }
}

/// The report of a data race at `off` of allocation `id`.
#[cold]
fn race_error(r: data_race::Race, id: u32, off: u64) -> Error {
    let at = if off == 0 { format!("alloc{id}") } else { format!("alloc{id}+0x{off:x}") };
    let mut e = Error::new(crate::error::ErrorKind::DataRace { msg: format!("{} at {at}", r.msg), extra: r.extra });
    e.history.push(("and (1) occurred earlier here".into(), (r.earlier.0.0 != u32::MAX).then_some(r.earlier)));
    if r.retag {
        e.history.push(("retags occur on all (re)borrows and as well as when references are copied or moved".into(), None));
        e.history.push(("retags permit optimizations that insert speculative reads or writes".into(), None));
        e.history.push(("therefore from the perspective of data races, a retag has the same implications as a read or write".into(), None));
    }
    e
}

pub const UNINIT: &str = "using uninitialized data, but this operation requires initialized memory";

/// Replaces provenance entries overlapping [off, off+size) with `new` (relative offsets).
pub fn fmt_ptr(ptr: Ptr) -> String {
    if ptr.prov.alloc == 0 { format!("0x{:x}[noalloc]", ptr.addr) } else { format!("alloc{}", ptr.prov) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_init_agrees_with_a_byte_at_a_time_check() {
        for len in 0..24 {
            for hole in 0..=len {
                for val in [1u8, 0x80, 0xff] {
                    let mut mask = vec![val; len];
                    if hole < len {
                        mask[hole] = 0;
                    }
                    assert_eq!(all_init(&mask), mask.iter().all(|&b| b != 0), "len {len}, hole {hole}, {val:#x}");
                }
            }
        }
    }

    #[test]
    fn provenance_survives_a_round_trip_and_is_cleared_by_overwrite() {
        let mut m = Memory::new();
        let target = m.allocate(4, 4, AllocKind::Rust);
        let slot = m.allocate(16, 8, AllocKind::Rust);
        m.write_scalar(slot.offset(8), 8, target.addr as u128, target.prov).unwrap();
        assert_eq!(m.read_scalar(slot.offset(8), 8).unwrap(), (target.addr as u128, target.prov));
        m.write_scalar(slot.offset(10), 1, 0, Prov::NONE).unwrap();
        assert!(m.read_scalar(slot.offset(8), 8).unwrap().1.is_none());
    }

    #[test]
    fn out_of_bounds_and_use_after_free_are_rejected() {
        let mut m = Memory::new();
        let p = m.allocate(4, 4, AllocKind::Rust);
        assert!(m.read(p, 4).is_ok());
        assert!(m.read(p.offset(1), 4).is_err());
        m.deallocate(p, Some((4, 4)), AllocKind::Rust).unwrap();
        assert!(m.read(p, 1).is_err());
        assert!(m.deallocate(p, Some((4, 4)), AllocKind::Rust).is_err());
    }

    #[test]
    fn fresh_heap_memory_is_uninitialized_until_written() {
        let mut m = Memory::new();
        let p = m.allocate_uninit(8, 8, AllocKind::Rust);
        assert!(m.read_scalar(p, 4).is_err());
        m.write_scalar(p, 2, 7, Prov::NONE).unwrap();
        assert_eq!(m.read_scalar(p, 2).unwrap().0, 7);
        assert!(m.read_scalar(p, 4).is_err());
        let (mut bytes, mut init, mut prov) = (Vec::new(), Vec::new(), Vec::new());
        m.read_into(p, 4, &mut bytes, &mut init, &mut prov, 0).unwrap();
        assert_eq!(init, vec![1, 1, 0, 0]);
    }

    #[test]
    fn freed_ids_are_reused_only_once_no_pointer_names_them() {
        let mut m = Memory::new();
        let a = m.allocate(8, 8, AllocKind::Stack);
        m.deallocate(a, None, AllocKind::Stack).unwrap();
        m.recycle_dead(&|id| id == a.prov.alloc);
        let b = m.allocate(8, 8, AllocKind::Stack);
        assert_ne!(a.prov.alloc, b.prov.alloc, "a pointer still names the freed allocation");
        assert!(m.read(a, 1).is_err(), "and using it is still a use-after-free");
        m.recycle_dead(&|_| false);
        let c = m.allocate(8, 8, AllocKind::Rust);
        assert_eq!(c.prov.alloc, a.prov.alloc, "nobody names it any more: the id is reused");
        assert_ne!(c.addr, a.addr, "addresses are never reused");
        assert!(m.read(c, 8).is_ok());
    }

    #[test]
    fn exposed_addresses_find_their_allocation() {
        let mut m = Memory::new();
        let a = m.allocate(8, 8, AllocKind::Rust);
        let b = m.allocate(8, 8, AllocKind::Rust);
        let unexposed = m.alloc_at_addr(a.addr + 3);
        assert_eq!(unexposed, Prov { alloc: 0, tag: Prov::WILDCARD_TAG }, "not exposed yet: a wildcard of no allocation");
        assert_eq!(m.resolve_wildcard(Ptr { addr: a.addr + 3, prov: unexposed }, 1).prov, unexposed);
        m.expose(a.prov);
        m.expose(b.prov);
        assert_eq!(m.alloc_at_addr(a.addr + 3).alloc, a.prov.alloc);
        assert_eq!(m.alloc_at_addr(b.addr).alloc, b.prov.alloc);
        // Made from `a`'s address, moved to `b`'s: it acts for `b` there.
        let moved = Ptr { addr: b.addr + 2, prov: m.alloc_at_addr(a.addr) };
        assert_eq!(m.resolve_wildcard(moved, 4).prov.alloc, b.prov.alloc);
        assert!(m.check(moved, 4, false).is_ok());
        assert!(m.check(moved, 8, false).is_err(), "past the end of `b`");
    }

    #[test]
    fn only_live_exposed_allocations_are_found_by_address() {
        let mut m = Memory::new();
        let a = m.allocate(16, 8, AllocKind::Rust);
        let b = m.allocate(16, 8, AllocKind::Rust);
        assert_eq!(m.alloc_at_addr(a.addr).alloc, 0, "not exposed");
        m.expose(a.prov);
        m.expose(a.prov);
        assert_eq!(m.alloc_at_addr(a.addr + 4).alloc, a.prov.alloc);
        m.deallocate(a, None, AllocKind::Rust).unwrap();
        assert_eq!(m.alloc_at_addr(a.addr + 4).alloc, 0, "freed");
        m.deallocate(b, None, AllocKind::Rust).unwrap();
        // Exposing a dangling pointer makes nothing findable.
        m.expose(b.prov);
        assert_eq!(m.alloc_at_addr(b.addr).alloc, 0);
    }

    #[test]
    fn adjacent_allocations_share_an_address() {
        let mut m = Memory::new();
        let (a, b) = (0..1000)
            .map(|_| (m.allocate(8, 8, AllocKind::Rust), m.allocate(8, 8, AllocKind::Rust)))
            .find(|(a, b)| a.addr + 8 == b.addr)
            .expect("the gap before an allocation is sometimes 0");
        m.expose(a.prov);
        // `b` not exposed: its start is `a`'s end, and acts for `a` where no bytes are needed.
        let seam = m.alloc_at_addr(b.addr);
        assert_eq!(seam.alloc, a.prov.alloc);
        assert_eq!(m.resolve_wildcard(Ptr { addr: b.addr, prov: seam }, 1).prov.alloc, seam.alloc, "no exposed allocation holds it");
        m.expose(b.prov);
        // Both exposed: the one starting there comes first; bytes decide for a span.
        let seam = Ptr { addr: b.addr, prov: m.alloc_at_addr(b.addr) };
        assert_eq!(seam.prov.alloc, b.prov.alloc);
        assert_eq!(m.resolve_wildcard(seam, 0).prov.alloc, b.prov.alloc);
        assert_eq!(m.resolve_wildcard_span(seam, a.addr, b.addr).prov.alloc, a.prov.alloc);
        assert_eq!(m.resolve_wildcard_span(seam, b.addr, b.addr + 8).prov.alloc, b.prov.alloc);
        assert_eq!(m.resolve_wildcard_span(seam, a.addr, b.addr + 8).prov.alloc, b.prov.alloc, "no allocation holds both: unchanged");
    }
}

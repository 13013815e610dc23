//! Memory: allocations identified by id, pointers as address plus provenance, and the
//! provenance of pointer bytes stored in memory. This file holds the records, allocation,
//! freeing, reads and writes; the access checks (`check.rs`), the race detector's part
//! (`race.rs`), function pointers and vtables (`functions.rs`) and what the collections
//! read (`roots.rs`) add to `Memory` from files of their own.

use std::collections::BTreeMap;

use vigil_ir::{AllocId, FnId, SpanId};

use crate::borrows::range_map::RangeMap;
use crate::borrows::state::{SbState, Stacks, base_item};
use crate::borrows::tree::TbAlloc;
pub use crate::bytes::all_init;
use crate::bytes::{copy_small, fill_init_small, le_int};
use crate::concurrency::ThreadId;
use crate::concurrency::data_race::{self, RaceDetector};
use crate::error::{Error, Res};
use crate::prov_map::{self, ProvList, ProvPart};

mod check;
mod functions;
mod race;
mod roots;

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
            Some(id) => {
                self.prefetch_next_record();
                id
            }
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

    /// Asks the processor to load the record the next allocation will reuse. Ids are
    /// recycled in batches, long after their allocations were freed, so that record is
    /// rarely in the cache: filling it in missed at every allocation (in `string_fmt`, half
    /// of `allocate_uninit`'s time went to the first load from it).
    #[inline(always)]
    fn prefetch_next_record(&self) {
        #[cfg(target_arch = "x86_64")]
        if let Some(&next) = self.free_ids.last() {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            let record = self.allocs.as_ptr().wrapping_add(next as usize) as *const i8;
            for line in 0..std::mem::size_of::<Allocation>().div_ceil(64) {
                // SAFETY: a prefetch only hints; it never faults, whatever the address.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(record.wrapping_add(line * 64)) };
            }
        }
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

    pub fn alloc_id(ptr: Ptr) -> AllocId {
        AllocId(ptr.prov.alloc)
    }
}

pub const UNINIT: &str = "using uninitialized data, but this operation requires initialized memory";

/// A pointer as messages show it.
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

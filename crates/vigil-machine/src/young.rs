//! Tree Borrows nodes dropped at returns: when a call returns, the tags no pointer can hold
//! any more lose their nodes at once instead of at the next collection, so that later
//! accesses stop updating them (the references of a comparison, an iterator's `&mut self`).
//!
//! Tags are handed out in increasing order, so "every tag from a mark on" is the newest
//! nodes of each tree (`TbAlloc::truncate_from`). After a call made in frame F returns, a
//! pointer with such a tag can be held only in memory (or kept by the machine for the
//! program: an exposed address, a named tag, a thread-specific value), in F's registers, or
//! by another thread; F's callers were suspended before F began, and the callee's frame is
//! gone. So the mark is set above F's first tag, above `Memory::stored_tag_end` (one more
//! than the newest tag ever kept outside registers), above the newest tag in F's registers
//! that are live after the call (`vigil_ir::live_after_calls`, which includes the returned
//! value when it is read), and above the newest tag a protector still guards (F's own and
//! its inlined callees'; the callee's ended with it). When F's liveness is unknown (too
//! large to analyse), the mark is the callee's first tag and its returned value must hold
//! none. Nothing is dropped while unwinding.
//!
//! An inlined call whose callee protects and makes calls (`InlineEnd::ProtectorsAndYoung`: its
//! frame used to drop before such callees were inlined) drops the same way when it
//! returns, its protectors ended: F is the frame it was inlined into, and the
//! liveness is F's at the call's target. With that liveness unknown, it drops nothing (the
//! inlined callee has no mark of its own).
//!
//! Other threads: one that ran since F's mark may have made tags from it on (tags are one
//! sequence for all threads), whose nodes are not F's to drop. So while several threads
//! live, a drop needs the mark at or above `Machine::thread_tags_from`, the number of tags
//! made when the running thread last began to run: every tag from there on is this
//! thread's. Another thread can get one of them only through memory (the mark is above
//! `stored_tag_end`), as a thread-specific value (noted as stored), or as a new thread's
//! argument (`spawn_thread` notes it as stored). Dropping nodes no pointer holds and no
//! protector guards is what a collection does, earlier: no verdict changes.
//!
//! `Machine::young` lists which allocations got nodes, as runs of tags, newest last.

use crate::Machine;
use crate::memory::Prov;

/// No mark: the frame drops nothing at its return.
pub(crate) const NO_MARK: u32 = u32::MAX;

/// Nodes with tags `first..=last` were made in allocation `alloc` (and no other node in
/// between anywhere).
#[derive(Clone, Copy, Debug)]
pub struct YoungRun {
    first: u32,
    last: u32,
    alloc: u32,
}

impl Machine<'_> {
    /// The mark of a frame pushed now: the next tag to be made.
    #[inline]
    pub(crate) fn young_mark(&self) -> u32 {
        if !self.drops_young {
            return NO_MARK;
        }
        self.mem.sb.as_ref().map_or(NO_MARK, |sb| sb.tag_count())
    }

    /// After a call made in the current frame returned to `target` from a frame marked
    /// `callee_mark`, its value delivered (to registers `dst`, if there; `value_young`:
    /// whether the value itself held a tag from `callee_mark` on): drops the nodes of the
    /// tags no pointer can hold any more (see the module comment).
    #[inline(always)]
    pub(crate) fn drop_young_after_return(&mut self, callee_mark: u32, target: u32, dst: Option<(usize, usize)>, value_young: bool) {
        // (Nothing to drop unless a node was made since the caller began.)
        if callee_mark != NO_MARK && self.newest_young() >= self.stack.last().map_or(NO_MARK, |f| f.tag_mark) {
            self.drop_young(callee_mark, target, dst, value_young);
        }
    }

    /// After an inlined call that drops (`InlineEnd::ProtectorsAndYoung`) returned to `target` in the
    /// current frame (its protectors ended, its value delivered): drops as after a call's
    /// return, where
    /// the frame's liveness at `target` is known. (There is no mark of the callee's own:
    /// with the liveness unknown, nothing is dropped.)
    #[inline(always)]
    pub(crate) fn drop_young_after_inlined_return(&mut self, target: u32) {
        if self.newest_young() >= self.stack.last().map_or(NO_MARK, |f| f.tag_mark) {
            self.drop_young(NO_MARK, target, None, false);
        }
    }

    /// The newest tag with a node `young` lists (0: none).
    #[inline]
    fn newest_young(&self) -> u32 {
        self.young.last().map_or(0, |r| r.last)
    }

    /// Records that `tag`'s node was made in `alloc`.
    #[inline]
    pub(crate) fn note_young(&mut self, tag: u32, alloc: u32) {
        match self.young.last_mut() {
            Some(run) if run.alloc == alloc => run.last = tag,
            _ => self.young.push(YoungRun { first: tag, last: tag, alloc }),
        }
    }

    /// Forgets the nodes made so far (a collection looked at them all).
    pub(crate) fn forget_young(&mut self) {
        self.young.clear();
    }

    #[inline(never)]
    fn drop_young(&mut self, callee_mark: u32, target: u32, dst: Option<(usize, usize)>, value_young: bool) {
        let Some(sb) = &self.mem.sb else { return };
        let newest = self.newest_young();
        let caller = self.stack.last().unwrap();
        // The caller's callers were suspended before it began: they hold no tag from its mark
        // on. Neither does memory from `stored_tag_end` on.
        let mut mark = caller.tag_mark.max(self.mem.stored_tag_end());
        if newest < mark {
            return;
        }
        let (fn_id, func, base) = (caller.fn_id.0 as usize, caller.func, caller.base / 8);
        if self.live_after_calls.len() <= fn_id {
            self.live_after_calls.resize(fn_id + 1, None);
        }
        let live = self.live_after_calls[fn_id].get_or_insert_with(|| vigil_ir::live_after_calls(func));
        match live.binary_search_by_key(&target, |e| e.0) {
            Ok(i) => {
                // The caller's registers that may still be read: above their newest tag.
                for &w in live[i].1.iter() {
                    let p = self.reg_prov[base + w as usize];
                    if young(p, mark) {
                        mark = p.tag + 1;
                    }
                }
                for &(at, p) in &self.reg_frags {
                    if at >= base * 8 && young(p.prov(), mark) {
                        mark = p.prov().tag + 1;
                    }
                }
                // And above its protected tags (its own and its inlined callees').
                if let Some(&crate::borrows::state::ProtectedTag { tag, .. }) = sb.tree_protected.borrow().last()
                    && tag >= mark
                {
                    mark = tag + 1;
                }
            }
            Err(_) => {
                // No liveness for the caller: only what the callee made, unless its value
                // holds some of it. (The callee's protectors have ended.)
                mark = mark.max(callee_mark);
                if value_young || dst.is_some_and(|(d, size)| self.regs_hold_young(d, size, callee_mark)) {
                    return;
                }
            }
        }
        if newest < mark || !self.unwinding.is_empty() {
            return;
        }
        // (`thread_tags_from` stays 0 until a second thread first runs.)
        if mark < self.thread_tags_from && !self.only_thread_left(mark) {
            return;
        }
        let mut spares = sb.tree_spares.borrow_mut();
        while let Some(run) = self.young.last_mut() {
            if run.last < mark {
                break;
            }
            let alloc = run.alloc;
            if run.first < mark {
                run.last = mark - 1;
            } else {
                self.young.pop();
            }
            let a = self.mem.get(Prov::base(alloc));
            if let (true, Some(tree)) = (a.live, &a.tree) {
                tree.borrow_mut().truncate_from(mark, &mut spares);
            }
        }
    }

    /// Whether registers `[start, start + size)` hold a pointer with a tag from `mark` on.
    fn regs_hold_young(&self, start: usize, size: usize, mark: u32) -> bool {
        let words = &self.reg_prov[start / 8..(start + size).div_ceil(8)];
        words.iter().any(|p| young(*p, mark)) || self.reg_frags.iter().any(|&(_, p)| young(p.prov(), mark))
    }

    /// Whether the running thread is the only one alive and no other holds a tag from
    /// `mark` on (a finished thread's return value, say).
    fn only_thread_left(&self, mark: u32) -> bool {
        if self.threads.live_count() != 1 {
            return false;
        }
        let mut held = false;
        self.for_each_thread_root(|p| held |= young(p, mark));
        !held
    }
}

/// Whether `p` has a tag from `mark` on. (Neither a wildcard nor the register marker of
/// pointer fragments, whose pieces `reg_frags` holds with their own tags, is one.)
#[inline]
pub(crate) fn young(p: Prov, mark: u32) -> bool {
    p.tag >= mark && p.tag < Prov::FRAGMENTS.tag
}

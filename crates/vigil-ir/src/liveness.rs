//! Register liveness after calls: the words of a frame its function may still read once a
//! call returns (computed by the machine when a return first needs it). The machine drops
//! the Tree Borrows nodes of tags that no live word holds (`young.rs` there), so this must
//! over-approximate: a word is live from any instruction that may read a byte of it
//! (`elide::effects`, which answers "every byte" when unsure) back to the last instruction
//! that certainly overwrites it all.

use crate::elide::{effects, successors};
use crate::{Function, InlineEnd, Inst};

/// Functions whose instruction count times frame words exceeds this are not analysed (the
/// machine then trusts only what a call's own frame made).
const MAX_BITS: usize = 1 << 24;

/// Per call that returns (by its return target, in increasing order), the frame words live
/// when it does; inlined calls whose return drops nodes (`InlineEnd::ProtectorsAndYoung`)
/// count too.
pub type LiveAfterCalls = Box<[(u32, Box<[u32]>)]>;

/// The `LiveAfterCalls` of `f`: empty when it makes no call that returns or is too large to
/// analyse.
pub fn live_after_calls(f: &Function) -> LiveAfterCalls {
    let mut targets: Vec<u32> = f
        .code
        .iter()
        .filter_map(|i| match i {
            Inst::Call { target: Some(t), .. } | Inst::InlineReturn { target: t, ends: InlineEnd::ProtectorsAndYoung, .. } => Some(t.0),
            _ => None,
        })
        .collect();
    if targets.is_empty() {
        return Box::new([]);
    }
    let Some(live) = LiveWords::of(f) else { return Box::new([]) };
    targets.sort_unstable();
    targets.dedup();
    let words = (f.frame_size as usize).div_ceil(8);
    targets
        .into_iter()
        .filter(|&t| (t as usize) < f.code.len())
        .map(|t| {
            let row = live.before(t as usize);
            let set: Box<[u32]> = (0..words).filter(|&w| row[w / 64] & (1 << (w % 64)) != 0).map(|w| w as u32).collect();
            (t, set)
        })
        .collect()
}

/// Per instruction, the frame words that may be read from there on before being
/// overwritten whole (one bit per word).
pub(crate) struct LiveWords {
    stride: usize,
    live: Vec<u64>,
}

impl LiveWords {
    /// The live words of `f` (`None`: too large to analyse, or a frame without words).
    pub(crate) fn of(f: &Function) -> Option<LiveWords> {
        let (n, words) = (f.code.len(), (f.frame_size as usize).div_ceil(8));
        let stride = words.div_ceil(64);
        if words == 0 || n * stride * 64 > MAX_BITS {
            return None;
        }
        // Per instruction, the words it may read (`reads`) and those it overwrites whole (`kills`).
        let mut reads = vec![0u64; n * stride];
        let mut kills = vec![0u64; n * stride];
        let frame_end = f.frame_size as u64;
        for (pc, inst) in f.code.iter().enumerate() {
            let e = effects(f, inst);
            let row = pc * stride;
            if e.reads.full {
                reads[row..row + stride].fill(u64::MAX);
            } else {
                for &(s, t) in e.reads.as_slice() {
                    let t = t.min(frame_end);
                    if s < t {
                        set_words(&mut reads[row..row + stride], (s / 8) as usize, t.div_ceil(8) as usize);
                    }
                }
            }
            if !e.writes.full {
                for &(s, t) in e.writes.as_slice() {
                    let (first, end) = (s.div_ceil(8) as usize, (t.min(frame_end) / 8) as usize);
                    if first < end {
                        set_words(&mut kills[row..row + stride], first, end);
                    }
                }
            }
        }
        // Each instruction's successors inside the code, once (`succ[first[pc]..first[pc + 1]]`).
        let mut first = Vec::with_capacity(n + 1);
        let mut succ = Vec::with_capacity(n + n / 4);
        let mut next = Vec::new();
        for (pc, inst) in f.code.iter().enumerate() {
            first.push(succ.len() as u32);
            next.clear();
            successors(pc, inst, &mut next);
            succ.extend(next.iter().filter(|&&s| s < n).map(|&s| s as u32));
        }
        first.push(succ.len() as u32);
        // Predecessors the same way.
        let mut pred_first = vec![0u32; n + 1];
        for &t in &succ {
            pred_first[t as usize + 1] += 1;
        }
        for pc in 0..n {
            pred_first[pc + 1] += pred_first[pc];
        }
        let mut pred = vec![0u32; succ.len()];
        let mut fill = pred_first.clone();
        for pc in 0..n {
            for &t in &succ[first[pc] as usize..first[pc + 1] as usize] {
                pred[fill[t as usize] as usize] = pc as u32;
                fill[t as usize] += 1;
            }
        }
        // Backwards to a fixed point (live on entry = read, or live after and not
        // overwritten), from a work list first taken in postorder: an instruction's
        // successors come before it but around loops, so a pass or so settles it (inlined
        // bodies lie after their calls and return to them).
        let mut live = vec![0u64; n * stride];
        let mut out = vec![0u64; stride];
        let mut work = postorder(n, &first, &succ);
        work.reverse();
        let mut queued = vec![true; n];
        while let Some(pc) = work.pop() {
            let pc = pc as usize;
            queued[pc] = false;
            out.fill(0);
            for &s in &succ[first[pc] as usize..first[pc + 1] as usize] {
                let s = s as usize;
                for (o, l) in out.iter_mut().zip(&live[s * stride..(s + 1) * stride]) {
                    *o |= l;
                }
            }
            let row = pc * stride;
            let mut changed = false;
            for w in 0..stride {
                let new = reads[row + w] | (out[w] & !kills[row + w]);
                if new != live[row + w] {
                    live[row + w] = new;
                    changed = true;
                }
            }
            if changed {
                for &p in &pred[pred_first[pc] as usize..pred_first[pc + 1] as usize] {
                    if !queued[p as usize] {
                        queued[p as usize] = true;
                        work.push(p);
                    }
                }
            }
        }
        Some(LiveWords { stride, live })
    }

    /// The words live before the instruction at `pc`.
    pub(crate) fn before(&self, pc: usize) -> &[u64] {
        &self.live[pc * self.stride..(pc + 1) * self.stride]
    }

    /// `before(pc)`, if `pc` is an instruction of the function.
    pub(crate) fn words_before(&self, pc: usize) -> Option<&[u64]> {
        self.live.get(pc * self.stride..(pc + 1) * self.stride)
    }

    /// Whether any byte of `[s, e)` may be read after the instruction at `pc` (`succ`: its
    /// successors) before being overwritten.
    pub(crate) fn any_after(&self, succ: &[usize], (s, e): (u64, u64)) -> bool {
        let n = self.live.len() / self.stride.max(1);
        succ.iter().any(|&p| {
            p >= n || (s / 8..e.div_ceil(8)).any(|w| self.before(p).get(w as usize / 64).is_none_or(|x| x & (1 << (w % 64)) != 0))
        })
    }
}

/// The `n` instructions in postorder of a depth-first walk from the first (then those it
/// does not reach), given their successors (`succ[first[pc]..first[pc + 1]]`).
fn postorder(n: usize, first: &[u32], succ: &[u32]) -> Vec<u32> {
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    // (Instruction, how many of its successors were visited.)
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        stack.push((root as u32, 0));
        while let Some(&mut (pc, ref mut k)) = stack.last_mut() {
            let next = first[pc as usize] + *k;
            if next < first[pc as usize + 1] {
                *k += 1;
                let s = succ[next as usize] as usize;
                if !seen[s] {
                    seen[s] = true;
                    stack.push((s as u32, 0));
                }
            } else {
                order.push(pc);
                stack.pop();
            }
        }
    }
    order
}

/// Sets bits `[first, end)` of `row`.
fn set_words(row: &mut [u64], first: usize, end: usize) {
    for w in first..end.min(row.len() * 64) {
        row[w / 64] |= 1 << (w % 64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Callee, FnId, Label, Operand, Unwind};

    fn call(arg: u32, dst_reg: u32, target: u32, f: &mut Function) -> Inst {
        let dst = f.places.len() as u32;
        f.places.push(crate::Place::reg(dst_reg));
        Inst::Call {
            callee: Callee::Fn(FnId(1)),
            args: vec![(Operand::Reg(arg), 8)].into(),
            dst,
            ret_size: 8,
            target: Some(Label(target)),
            unwind: Unwind::Continue,
            caller_location: None,
        }
    }

    fn func(frame_size: u32) -> Function {
        Function::bare(frame_size, Vec::new())
    }

    #[test]
    fn an_argument_read_again_after_the_call_is_live_there() {
        let mut f = func(32);
        let c = call(0, 8, 1, &mut f);
        f.code = vec![c, Inst::MoveReg { dst: 16, src: 0, size: 8 }, Inst::Return];
        let live = live_after_calls(&f);
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].0, 1);
        assert!(live[0].1.contains(&0), "the argument is read after the call");
        assert!(!live[0].1.contains(&3), "nothing reads word 3");
    }

    #[test]
    fn a_word_overwritten_before_any_read_is_dead() {
        let mut f = func(32);
        let c = call(0, 8, 1, &mut f);
        f.code = vec![c, Inst::ConstReg { dst: 0, src: 0, size: 8 }, Inst::MoveReg { dst: 16, src: 0, size: 8 }, Inst::Return];
        let live = live_after_calls(&f);
        assert!(!live[0].1.contains(&0), "overwritten whole before it is read");
        // A partial overwrite keeps the word live.
        f.code[1] = Inst::ConstReg { dst: 0, src: 0, size: 4 };
        assert!(live_after_calls(&f)[0].1.contains(&0));
    }

    #[test]
    fn a_loop_keeps_what_its_next_round_reads() {
        let mut f = func(32);
        let c = call(8, 16, 1, &mut f);
        // 0: call; 1: read word 3; 2: back to 0.
        f.code = vec![c, Inst::MoveReg { dst: 0, src: 24, size: 8 }, Inst::Goto { target: Label(0) }];
        let live = live_after_calls(&f);
        assert!(live[0].1.contains(&3));
        assert!(live[0].1.contains(&1), "the next call reads its argument again");
    }

    #[test]
    fn an_inlined_return_that_drops_is_a_return_target_too() {
        // 0: the inlined return (value into word 1, on at 1); 1: read word 1; 2: return.
        let ret = |ends| Inst::InlineReturn { dst: 8, src: 16, size: 8, target: Label(1), ends, saved: 24 };
        let mut f = func(32);
        f.code = vec![ret(InlineEnd::ProtectorsAndYoung), Inst::MoveReg { dst: 0, src: 8, size: 8 }, Inst::Return];
        let live = live_after_calls(&f);
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].0, 1);
        assert!(live[0].1.contains(&1) && !live[0].1.contains(&3));
        f.code[0] = ret(InlineEnd::Protectors);
        assert!(live_after_calls(&f).is_empty());
    }

    #[test]
    fn an_instruction_it_cannot_model_reads_every_word() {
        let mut f = func(32);
        let c = call(0, 8, 1, &mut f);
        f.places.push(crate::Place::reg(0));
        let dst = f.places.len() as u32 - 1;
        f.code = vec![c, Inst::Repeat { dst, src: Operand::Reg(0), elem_size: 8, count: 1 }, Inst::Return];
        let live = live_after_calls(&f);
        assert_eq!(&*live[0].1, &[0, 1, 2, 3]);
    }
}

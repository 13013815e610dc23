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
    let (n, words) = (f.code.len(), (f.frame_size as usize).div_ceil(8));
    let stride = words.div_ceil(64);
    if targets.is_empty() || words == 0 || n * stride * 64 > MAX_BITS {
        return Box::new([]);
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
    // Backwards to a fixed point: live on entry = read, or live after and not overwritten.
    let mut live = vec![0u64; n * stride];
    let mut out = vec![0u64; stride];
    let mut next = Vec::new();
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            out.fill(0);
            next.clear();
            successors(pc, &f.code[pc], &mut next);
            for &s in &next {
                if s < n {
                    for (o, l) in out.iter_mut().zip(&live[s * stride..(s + 1) * stride]) {
                        *o |= l;
                    }
                }
            }
            let row = pc * stride;
            for w in 0..stride {
                let new = reads[row + w] | (out[w] & !kills[row + w]);
                if new != live[row + w] {
                    live[row + w] = new;
                    changed = true;
                }
            }
        }
    }
    targets.sort_unstable();
    targets.dedup();
    targets
        .into_iter()
        .filter(|&t| (t as usize) < n)
        .map(|t| {
            let row = &live[t as usize * stride..(t as usize + 1) * stride];
            let set: Box<[u32]> = (0..words).filter(|&w| row[w / 64] & (1 << (w % 64)) != 0).map(|w| w as u32).collect();
            (t, set)
        })
        .collect()
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

//! A vector of borrow-stack items with a 32-bit length and capacity: 16 bytes where `Vec` takes
//! 24, so that a stack (its own items, its shared top and its caches) fits in 48 bytes.

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use super::stacked::Item;

/// A `Vec<Item>` stored as pointer, length and capacity with 32-bit counts. Every change goes
/// through a real `Vec` rebuilt from these parts (`with_vec`), so allocation and growth are
/// `Vec`'s own.
pub struct ItemVec {
    ptr: NonNull<Item>,
    len: u32,
    cap: u32,
}

impl ItemVec {
    pub fn with_capacity(cap: usize) -> ItemVec {
        ItemVec::from_vec(Vec::with_capacity(cap))
    }

    fn from_vec(v: Vec<Item>) -> ItemVec {
        let mut v = ManuallyDrop::new(v);
        let (len, cap) = (u32::try_from(v.len()), u32::try_from(v.capacity()));
        let (Ok(len), Ok(cap)) = (len, cap) else {
            panic!("a borrow stack of more than 2^32 items");
        };
        // A `Vec`'s pointer is never null (dangling when nothing is allocated).
        let ptr = NonNull::new(v.as_mut_ptr()).expect("Vec pointers are not null");
        ItemVec { ptr, len, cap }
    }

    /// Runs `f` on the items as a `Vec` and keeps what it leaves, even if it panics.
    #[inline]
    fn with_vec<R>(&mut self, f: impl FnOnce(&mut Vec<Item>) -> R) -> R {
        struct WriteBack<'a> {
            to: &'a mut ItemVec,
            v: ManuallyDrop<Vec<Item>>,
        }
        impl Drop for WriteBack<'_> {
            fn drop(&mut self) {
                // SAFETY: the vector is moved out exactly once, here, and its parts are stored
                // back into `to`, which owns them from now on.
                let v = unsafe { ManuallyDrop::take(&mut self.v) };
                // The parts `to` held before belong to `v` now (or were freed by it): forget
                // them rather than drop them.
                std::mem::forget(std::mem::replace(self.to, ItemVec::from_vec(v)));
            }
        }
        // SAFETY: `ptr`, `len` and `cap` are the parts of a `Vec<Item>` (`from_vec`) that no
        // other `Vec` owns: the rebuilt one is the only owner until `WriteBack` stores its
        // (possibly new) parts back, and `self` is not used meanwhile (it is borrowed).
        let v = unsafe { Vec::from_raw_parts(self.ptr.as_ptr(), self.len as usize, self.cap as usize) };
        let mut guard = WriteBack { to: self, v: ManuallyDrop::new(v) };
        f(&mut guard.v)
    }

    pub fn capacity(&self) -> usize {
        self.cap as usize
    }

    #[inline]
    pub fn push(&mut self, item: Item) {
        if self.len < self.cap {
            // SAFETY: `len < cap`, so slot `len` is allocated and unused.
            unsafe { self.ptr.as_ptr().add(self.len as usize).write(item) };
            self.len += 1;
        } else {
            self.with_vec(|v| v.push(item));
        }
    }

    pub fn insert(&mut self, at: usize, item: Item) {
        self.with_vec(|v| v.insert(at, item));
    }

    #[inline]
    pub fn truncate(&mut self, len: usize) {
        // Items are `Copy`: nothing to drop.
        self.len = self.len.min(len as u32);
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    pub fn extend_from_slice(&mut self, items: &[Item]) {
        self.with_vec(|v| v.extend_from_slice(items));
    }

    pub fn retain(&mut self, f: impl FnMut(&Item) -> bool) {
        self.with_vec(|v| v.retain(f));
    }
}

impl Deref for ItemVec {
    type Target = [Item];

    #[inline]
    fn deref(&self) -> &[Item] {
        // SAFETY: the first `len` slots are initialized items owned by `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len as usize) }
    }
}

impl DerefMut for ItemVec {
    #[inline]
    fn deref_mut(&mut self) -> &mut [Item] {
        // SAFETY: as in `deref`, and `&mut self` makes the access unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len as usize) }
    }
}

impl Drop for ItemVec {
    fn drop(&mut self) {
        // SAFETY: the parts of a `Vec` this value owns (`from_vec`), dropped once.
        drop(unsafe { Vec::from_raw_parts(self.ptr.as_ptr(), self.len as usize, self.cap as usize) });
    }
}

impl std::fmt::Debug for ItemVec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::borrows::stacked::Perm;

    fn item(tag: u32) -> Item {
        Item { tag, perm: Perm::SharedReadOnly, protector: 0 }
    }

    /// The compact vector behaves like `Vec` through growth, insertion, truncation and
    /// retention.
    #[test]
    fn behaves_like_vec() {
        let mut v = ItemVec::with_capacity(0);
        let mut reference = Vec::new();
        for i in 0..100 {
            v.push(item(i));
            reference.push(item(i));
            if i % 7 == 0 {
                v.insert(i as usize / 2, item(1000 + i));
                reference.insert(i as usize / 2, item(1000 + i));
            }
        }
        assert_eq!(&v[..], &reference[..]);
        v.retain(|it| it.tag % 3 != 0);
        reference.retain(|it| it.tag % 3 != 0);
        v.truncate(40);
        reference.truncate(40);
        v.extend_from_slice(&[item(7), item(8)]);
        reference.extend_from_slice(&[item(7), item(8)]);
        v[0].perm = Perm::Unique;
        reference[0].perm = Perm::Unique;
        assert_eq!(&v[..], &reference[..]);
        v.clear();
        assert!(v.is_empty());
        assert_eq!(std::mem::size_of::<ItemVec>(), 16);
    }
}

//! The printed form of one allocation's tag tree (`miri_print_borrow_state`): one row per
//! tag, drawn as a tree, with its permission on each run of bytes whose states differ.

use std::collections::HashMap;
use std::fmt::Write;

use super::{NO_PARENT, TbAlloc, TbPerm};
use crate::borrows::stacked::CallId;

/// Short names of the permissions, for the table (a `?` follows bytes not yet accessed).
fn short(p: TbPerm) -> &'static str {
    match p {
        TbPerm::Cell => "Cell",
        TbPerm::Reserved { conflicted: false } => "Res",
        TbPerm::Reserved { conflicted: true } => "ResC",
        TbPerm::ReservedIm => "ResIM",
        TbPerm::Unique => "Uniq",
        TbPerm::Frozen => "Frz",
        TbPerm::Disabled => "Dis",
    }
}

impl TbAlloc {
    /// The tag `n` levels above `tag` in the tree (`tag` itself for 0).
    pub fn nth_parent(&self, tag: u32, n: u8) -> Option<u32> {
        // (An alias's parent is its target, see `alias.rs`.)
        let (mut i, n) = match self.find(tag) {
            Some(i) => (i, n),
            None => {
                let target = self.alias_of(tag)?.target;
                if n == 0 {
                    return Some(tag);
                }
                (self.find(target)?, n - 1)
            }
        };
        for _ in 0..n {
            let p = self.nodes[i as usize].parent;
            if p == NO_PARENT {
                return None;
            }
            i = p;
        }
        Some(self.nodes[i as usize].tag)
    }

    /// The tree as text: a header with the byte ranges, then a row per shown tag (every
    /// tag with `show_unnamed`, else the named ones, hanging under their closest shown
    /// ancestor) with its permission per range.
    pub fn render(&self, names: &HashMap<u32, Vec<String>>, show_unnamed: bool, protected: &dyn Fn(CallId) -> bool) -> String {
        let shown = |i: usize| show_unnamed || self.nodes[i].parent == NO_PARENT || names.contains_key(&self.nodes[i].tag);
        // Columns: every boundary of every shown node's runs.
        let mut cuts = vec![0, self.size];
        for (i, n) in self.nodes.iter().enumerate() {
            if shown(i) {
                cuts.extend(n.states.runs().map(|(s, _, _)| s));
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let columns: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        // Each shown node's shown children (skipping hidden nodes in between).
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for i in 1..self.nodes.len() {
            if !shown(i) {
                continue;
            }
            let mut p = self.nodes[i].parent;
            while p != NO_PARENT && !shown(p as usize) {
                p = self.nodes[p as usize].parent;
            }
            if p != NO_PARENT {
                kids[p as usize].push(i);
            }
        }
        const CELL: usize = 7;
        let mut out = String::new();
        for &(s, e) in &columns {
            let _ = write!(out, "{:<CELL$}", format!("{s}..{e}"));
        }
        out.push_str("  tag\n");
        let mut rows = Vec::new();
        // The main tree, then the trees rooted at retags of wildcard pointers.
        for r in self.roots() {
            self.render_rows(r as usize, String::new(), true, &kids, &columns, names, protected, &mut rows);
        }
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn render_rows(
        &self,
        i: usize,
        indent: String,
        last: bool,
        kids: &[Vec<usize>],
        columns: &[(u64, u64)],
        names: &HashMap<u32, Vec<String>>,
        protected: &dyn Fn(CallId) -> bool,
        rows: &mut Vec<String>,
    ) {
        const CELL: usize = 7;
        let n = &self.nodes[i];
        let mut row = String::new();
        for &(s, _) in columns {
            let mut cell = String::new();
            n.states.for_each_in(s, 1, |_, st| {
                cell = format!("{}{}", short(st.perm), if st.accessed { "" } else { "?" });
                false
            });
            let _ = write!(row, "{cell:<CELL$}");
        }
        row.push_str("  ");
        row.push_str(&indent);
        if i != 0 {
            row.push_str(if last { "└─ " } else { "├─ " });
        }
        let _ = write!(row, "<{}", n.tag);
        if let Some(ns) = names.get(&n.tag) {
            let _ = write!(row, "={}", ns.join(", "));
        }
        row.push('>');
        if i == 0 {
            row.push_str(" (allocation)");
        }
        if n.protector != 0 && protected(n.protector) {
            row.push_str(if n.weak { " weakly protected" } else { " protected" });
        }
        if n.exposed {
            row.push_str(" exposed");
        }
        rows.push(row);
        let child_indent = if i == 0 { indent } else { format!("{indent}{}", if last { "   " } else { "│  " }) };
        let count = kids[i].len();
        for (k, &c) in kids[i].iter().enumerate() {
            self.render_rows(c, child_indent.clone(), k + 1 == count, kids, columns, names, protected, rows);
        }
    }
}

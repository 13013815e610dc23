//! Tree Borrows reports: why an access was refused, in Miri's words, with the history of
//! permission changes that explains it.

use super::perm::{LocState, TbPerm};
use super::{Site, TbAlloc};
use crate::borrows::stacked::AccessKind;

/// Why a tree changes: the title of a refusal and the wording of the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    Access,
    Reborrow,
    Dealloc,
    ProtectorRelease,
}

/// A node's permission change, kept for the report that may later need it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Event {
    pub(super) site: Site,
    pub(super) from: TbPerm,
    pub(super) to: TbPerm,
    pub(super) cause: Cause,
    pub(super) access: AccessKind,
    pub(super) foreign: bool,
    /// The bytes whose state changed.
    pub(super) start: u64,
    pub(super) end: u64,
    /// The bytes the access covered (what the report shows).
    pub(super) range: (u64, u64),
}

/// A node keeps its most recent events only.
pub(super) const MAX_EVENTS: usize = 32;

/// Which pointer a report says the refused operation went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Through {
    /// The pointer used (its tag, or `<wildcard>` for a wildcard pointer).
    Accessed,
    /// `<wildcard>` whatever the pointer: no exposed tag could make the access (in a tree
    /// the access reached as a wildcard access).
    Wildcard,
}

/// Why an access is refused, ready to become a report.
pub struct TbError {
    /// The operation refused ("write access", "reborrow", ...) and the byte it was refused at.
    pub title: String,
    pub offset: u64,
    pub through: Through,
    pub details: Vec<String>,
    /// Lines explaining the verdict, with the program point they refer to when they have one.
    pub history: Vec<(String, Option<Site>)>,
}

/// The refusal found by the scan, before it becomes a `TbError`.
pub(super) struct Refusal {
    pub(super) offset: u64,
    pub(super) rank: u32,
    pub(super) node: u32,
    pub(super) state: LocState,
    pub(super) protector: bool,
    pub(super) child: bool,
}

impl TbAlloc {
    /// The report for a refused access through the tag of node `n`, or through the alias
    /// acting as `n` (`via_alias`: a child of `n`'s, as its node would have been).
    /// `n` is `NO_PARENT` for a wildcard access.
    pub(super) fn refusal_error(&self, n: u32, r: Refusal, kind: AccessKind, cause: Cause) -> TbError {
        // The accessed tag and where it was made.
        let accessed = match self.via_alias {
            Some(alias) => Some((alias.tag, Some(alias.created))),
            None => self.nodes.get(n as usize).map(|a| (a.tag, a.created)),
        };
        let accessed_name = accessed.map_or("<wildcard>".to_string(), |(t, _)| format!("<{t}>"));
        // Whether the refusing node is the accessed tag's own.
        let own = r.node == n && self.via_alias.is_none();
        let culprit = &self.nodes[r.node as usize];
        let what = describe(cause, kind, !r.child);
        let mut details = Vec::new();
        let mut history = Vec::new();
        let role;
        if r.protector {
            role = "protected";
            details.push(format!(
                "the accessed tag {accessed_name} is foreign to the protected tag <{}> (i.e., it is not a child)",
                culprit.tag
            ));
            details.push(format!(
                "this {what} would cause the protected tag <{}> (currently {}) to become Disabled",
                culprit.tag,
                r.state.perm.name()
            ));
            details.push("protected tags must never be Disabled".into());
        } else {
            role = if own { "accessed" } else { "conflicting" };
            if !own {
                details.push(format!("the accessed tag {accessed_name} is a child of the conflicting tag <{}>", culprit.tag));
            }
            details.push(format!("the {role} tag <{}> has state {} which forbids this {what}", culprit.tag, r.state.perm.name()));
        }
        if !own && let Some((a, Some(site))) = accessed {
            history.push((format!("the accessed tag <{a}> was created here"), Some(site)));
        }
        if let Some(site) = culprit.created {
            history.push((
                format!("the {role} tag <{}> was created here, in the initial state {}", culprit.tag, culprit.initial.name()),
                Some(site),
            ));
        }
        for e in self.history.of(culprit.events) {
            if e.start > r.offset || r.offset >= e.end || !relevant(e, r.state.perm, r.protector) {
                continue;
            }
            let whole = if e.cause == Cause::ProtectorRelease {
                " on every location previously accessed by this tag".to_string()
            } else {
                format!(" at offsets [{:#x}..{:#x}]", e.range.0, e.range.1)
            };
            history.push((
                format!(
                    "the {role} tag <{}> later transitioned to {} due to a {}{whole}",
                    culprit.tag,
                    e.to.name(),
                    describe(e.cause, e.access, e.foreign)
                ),
                Some(e.site),
            ));
            history.push((format!("this transition corresponds to {}", summary(e.from, e.to)), None));
        }
        let title = match cause {
            Cause::Access => format!("{} access", kind.name()),
            Cause::Reborrow => "reborrow".into(),
            Cause::Dealloc => "deallocation".into(),
            Cause::ProtectorRelease => "protector release".into(),
        };
        TbError { title, offset: r.offset, through: Through::Accessed, details, history }
    }
}

/// An access as one node sees it, e.g. "foreign write access" or "reborrow (acting as a
/// child read access)".
fn describe(cause: Cause, kind: AccessKind, foreign: bool) -> String {
    let rel = if foreign { "foreign" } else { "child" };
    match cause {
        Cause::Access => format!("{rel} {} access", kind.name()),
        Cause::Reborrow => format!("reborrow (acting as a {rel} read access)"),
        Cause::Dealloc => format!("deallocation (acting as a {rel} write access)"),
        Cause::ProtectorRelease => format!("protector release (acting as a {rel} {} access)", kind.name()),
    }
}

/// What a permission change means, in the report's words.
fn summary(from: TbPerm, to: TbPerm) -> &'static str {
    match (from, to) {
        (_, TbPerm::Unique) => "the first write to a 2-phase borrowed mutable reference",
        (_, TbPerm::Frozen) => "a loss of write permissions",
        (_, TbPerm::Reserved { conflicted: true }) => "a temporary loss of write permissions until function exit",
        (TbPerm::Frozen, TbPerm::Disabled) => "a loss of read permissions",
        _ => "a loss of read and write permissions",
    }
}

/// Whether a past change explains a refusal in state `now`: where the permission that
/// refused was reached (for a protector refusal: where the state it would leave began).
fn relevant(e: &Event, now: TbPerm, protector: bool) -> bool {
    if protector {
        return e.to == now;
    }
    matches!(
        (e.to, now),
        (TbPerm::Frozen, TbPerm::Frozen)
            | (TbPerm::Unique, TbPerm::Frozen)
            | (TbPerm::Disabled, TbPerm::Disabled)
            | (TbPerm::Reserved { conflicted: true }, TbPerm::Reserved { conflicted: true })
    )
}

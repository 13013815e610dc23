//! Program start: the global constructors (`.init_array` entries), then the entry point, all
//! on the main thread, as the loader and the C runtime run them before `main`.

use vigil_ir::{FnId, SpanId};

use crate::concurrency::ThreadId;
use crate::{ArgValue, Error, Machine, Res, ReturnTo};

/// A global constructor the frontend found: the function a `.init_array` static lists, with
/// the static's span; or what calling it would be (e.g. UB: a signature other than
/// `extern "C" fn()`), reported when its turn comes.
pub enum GlobalCtor {
    Call { f: FnId, listed_at: SpanId },
    Error(Error),
}

/// What the main thread has yet to start.
#[derive(Default)]
pub(crate) struct Startup {
    /// Constructors still to run, the next one last.
    ctors: Vec<GlobalCtor>,
    /// The entry function and its arguments, until it starts.
    entry: Option<(FnId, Vec<ArgValue>)>,
    /// The constructor running now and where it was listed (for reports).
    pub(crate) running_ctor: Option<(FnId, SpanId)>,
}

impl Machine<'_> {
    /// Sets the global constructors to run before the entry point, in order.
    pub fn set_global_ctors(&mut self, mut ctors: Vec<GlobalCtor>) {
        ctors.reverse();
        self.startup.ctors = ctors;
    }

    /// Records the entry point and starts the first function: a constructor, or the entry.
    pub(crate) fn start(&mut self, entry: FnId, args: &[ArgValue]) -> Res<()> {
        self.startup.entry = Some((entry, args.to_vec()));
        self.start_next()
    }

    /// Whether the main thread's stack ran empty before the entry point started.
    pub(crate) fn starting(&self) -> bool {
        self.threads.active == ThreadId::MAIN && self.startup.entry.is_some()
    }

    /// Pushes the next constructor's frame, or the entry's once none is left.
    pub(crate) fn start_next(&mut self) -> Res<()> {
        if let Some(ctor) = self.startup.ctors.pop() {
            return match ctor {
                GlobalCtor::Call { f, listed_at } => {
                    self.startup.running_ctor = Some((f, listed_at));
                    self.set_args(&[]);
                    self.push_frame(f, ReturnTo::Root, None)
                }
                GlobalCtor::Error(e) => Err(e),
            };
        }
        self.startup.running_ctor = None;
        let (entry, args) = self.startup.entry.take().expect("start_next before the entry started");
        self.args.clear();
        self.args_init.clear();
        self.args_prov.clear();
        self.arg_ranges.clear();
        for (bytes, prov) in &args {
            let start = self.args.len() as u64;
            self.args.extend_from_slice(bytes);
            self.args_init.resize(self.args.len(), 1);
            self.args_prov.extend(prov.iter().map(|&(o, p)| (o + start, p)));
            self.arg_ranges.push((start as u32, bytes.len() as u32));
        }
        self.push_frame(entry, ReturnTo::Root, None)
    }
}

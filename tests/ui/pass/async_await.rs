// async/await without a runtime: coroutines built by async fns and blocks, polled by hand with a no-op
// waker through several suspension points (including one inside a loop and a value held across an
// await), and a suspended future dropped (what it holds is dropped with it).
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("dropped {}", self.0);
    }
}

async fn add(a: u32, b: u32) -> u32 {
    YieldOnce(false).await;
    a + b
}

async fn run(v: Vec<u32>) -> u32 {
    let mut sum = 0;
    for x in &v {
        sum += add(*x, 1).await;
    }
    let held = Noisy("held across an await");
    YieldOnce(false).await;
    let extra = async { 100 }.await;
    drop(held);
    sum + extra
}

fn main() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut fut = Box::pin(run(vec![1, 2, 3]));
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            println!("ready {v} after {polls} polls");
            break;
        }
    }
    let mut suspended = Box::pin(async {
        let _n = Noisy("in a suspended future");
        YieldOnce(false).await;
        unreachable!("never resumed");
    });
    assert!(suspended.as_mut().poll(&mut cx).is_pending());
    drop(suspended);
    println!("size of the future: {}", std::mem::size_of_val(&run(Vec::new())) > 0);
}

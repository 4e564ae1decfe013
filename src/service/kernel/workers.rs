//! A fixed set of worker threads for CPU-heavy work, fed by a bounded queue. Each worker owns
//! scratch memory that its jobs reuse (argon2's blocks), so memory stays at workers × scratch
//! however many requests arrive; when the queue is full, new work is refused at once rather
//! than queued without bound.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Job<S> = Box<dyn FnOnce(&mut S) + Send>;

/// Why a job did not run.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Every worker is busy and the queue is full: the caller should shed the request.
    #[error("all workers are busy and the queue is full")]
    Full,
    /// The job panicked, or the pool has shut down.
    #[error("the job did not complete")]
    Failed,
}

/// A pool of `count` threads, each with its own scratch `S`, and a queue of `queue` jobs
/// waiting beyond those running. The threads end when the pool is dropped.
pub struct Workers<S> {
    queue: SyncSender<Job<S>>,
    count: usize,
    /// Jobs handed to the queue that no worker has started yet.
    waiting: Arc<AtomicUsize>,
}

impl<S: 'static> Workers<S> {
    /// Starts `count` (at least one) threads named `{name}-{i}`; each makes its scratch
    /// with `scratch` when it starts.
    pub fn start(
        name: &str,
        count: usize,
        queue: usize,
        scratch: impl Fn() -> S + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let (sender, receiver) = sync_channel::<Job<S>>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        let scratch = Arc::new(scratch);
        let count = count.max(1);
        for i in 0..count {
            let (receiver, scratch) = (receiver.clone(), scratch.clone());
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || work(&receiver, scratch()))?;
        }
        Ok(Workers {
            queue: sender,
            count,
            waiting: Arc::default(),
        })
    }

    /// How many threads run jobs.
    pub fn count(&self) -> usize {
        self.count
    }

    /// How many jobs wait for a worker now (the metrics' queue depth).
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Runs `f` on a worker with its scratch memory and waits for the result without
    /// blocking the caller's thread; `Refused::Full` at once when the queue is full.
    pub async fn run<T, F>(&self, f: F) -> Result<T, Refused>
    where
        F: FnOnce(&mut S) -> T + Send + 'static,
        T: Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let waiting = self.waiting.clone();
        let job: Job<S> = Box::new(move |scratch| {
            waiting.fetch_sub(1, Ordering::Relaxed);
            let _ = done.send(f(scratch));
        });
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.queue.try_send(job).map_err(|e| {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            match e {
                TrySendError::Full(_) => Refused::Full,
                TrySendError::Disconnected(_) => Refused::Failed,
            }
        })?;
        result.await.map_err(|_| Refused::Failed)
    }
}

/// One worker's loop: take the next job, run it, until the pool is dropped. A panicking job
/// fails only itself (its caller sees `Refused::Failed`); the worker carries on.
fn work<S>(receiver: &Mutex<Receiver<Job<S>>>, mut scratch: S) {
    loop {
        let next = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else {
            return;
        };
        let _ = catch_unwind(AssertUnwindSafe(|| job(&mut scratch)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[tokio::test]
    async fn jobs_reuse_their_workers_scratch() {
        let pool = Workers::start("test", 1, 4, Vec::<u8>::new).unwrap();
        for _ in 0..3 {
            pool.run(|v: &mut Vec<u8>| v.push(1)).await.unwrap();
        }
        assert_eq!(pool.run(|v: &mut Vec<u8>| v.len()).await, Ok(3));
    }

    /// Polls `fut` once, so that its job is handed to the pool, and gives it back.
    async fn submit<F: std::future::Future + Unpin>(mut fut: F) -> F {
        let pending = tokio::select! {
            biased;
            _ = &mut fut => false,
            _ = std::future::ready(()) => true,
        };
        assert!(pending, "the job cannot have finished yet");
        fut
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        let pool = Workers::start("test", 1, 1, || ()).unwrap();
        let (release, gate) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        let busy = submit(Box::pin(pool.run(move |_| {
            started_tx.send(()).unwrap();
            gate.recv().unwrap();
        })))
        .await;
        started.recv().unwrap();
        // The worker is busy: one job fits in the queue, the next is refused.
        let queued = submit(Box::pin(pool.run(|_| 7))).await;
        assert_eq!(pool.run(|_| 0).await, Err(Refused::Full));
        release.send(()).unwrap();
        assert_eq!(busy.await, Ok(()));
        assert_eq!(queued.await, Ok(7));
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone() {
        let pool = Workers::start("test", 1, 1, || ()).unwrap();
        assert_eq!(
            pool.run(|_| panic!("boom")).await,
            Err::<(), _>(Refused::Failed)
        );
        assert_eq!(pool.run(|_| 5).await, Ok(5));
    }
}

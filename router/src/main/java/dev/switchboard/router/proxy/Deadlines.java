package dev.switchboard.router.proxy;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;

/**
 * Per-request timeouts for one IO thread, armed and disarmed on every request at O(1) cost.
 * XNIO's {@code executeAfter} keeps its timers in a tree (an allocation and two O(log n) updates
 * per request, a few percent of the router's CPU in the profile); here a request links its
 * {@link Timer} into an unordered list, and while the list is not empty one sweep every
 * {@link #TICK_MILLIS} runs the expired ones. A timeout therefore fires up to one tick late.
 * Confined to its IO thread, like everything on the request path.
 */
final class Deadlines {

    static final long TICK_MILLIS = 5;

    private static final ThreadLocal<Deadlines> PER_THREAD = new ThreadLocal<>();

    /** A timer owned by one request, re-armed as the request moves on. */
    static final class Timer {
        private final Runnable task;
        private long deadlineNanos;
        private Timer prev;
        private Timer next;
        private boolean armed;

        Timer(Runnable task) {
            this.task = task;
        }

        boolean armed() {
            return armed;
        }
    }

    private final XnioIoThread thread;
    private final Timer head = new Timer(null);
    private boolean sweepScheduled;

    private Deadlines(XnioIoThread thread) {
        this.thread = thread;
        head.next = head;
        head.prev = head;
    }

    /** The deadlines of {@code thread}, which must be the calling thread. */
    static Deadlines of(XnioIoThread thread) {
        Deadlines d = PER_THREAD.get();
        if (d == null) {
            d = new Deadlines(thread);
            PER_THREAD.set(d);
        }
        return d;
    }

    /**
     * Arms {@code timer} to run {@code delayMillis} after {@code nowNanos} (a recent
     * {@code System.nanoTime()} reading), replacing any earlier deadline it had.
     */
    void arm(Timer timer, long delayMillis, long nowNanos) {
        if (timer.armed) {
            unlink(timer);
        }
        timer.deadlineNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        timer.armed = true;
        timer.prev = head.prev;
        timer.next = head;
        head.prev.next = timer;
        head.prev = timer;
        if (!sweepScheduled) {
            sweepScheduled = true;
            thread.executeAfter(this::sweep, Math.min(TICK_MILLIS, Math.max(1, delayMillis)), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The lazy idle check: true once {@code timeoutMillis} have passed since {@code lastActivityNanos};
     * otherwise {@code timer} is armed again for what is left, and false.
     */
    boolean idleOrRearm(Timer timer, long timeoutMillis, long lastActivityNanos) {
        long now = System.nanoTime();
        long idleMillis = (now - lastActivityNanos) / 1_000_000;
        if (idleMillis >= timeoutMillis) {
            return true;
        }
        arm(timer, Math.max(1, timeoutMillis - idleMillis), now);
        return false;
    }

    void disarm(Timer timer) {
        if (timer.armed) {
            unlink(timer);
        }
    }

    private void unlink(Timer t) {
        t.prev.next = t.next;
        t.next.prev = t.prev;
        t.prev = null;
        t.next = null;
        t.armed = false;
    }

    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        // Expired timers are unlinked before any task runs: a task may arm or disarm timers.
        Timer expired = null;
        for (Timer t = head.next; t != head; ) {
            Timer next = t.next;
            if (t.deadlineNanos - now <= 0) {
                unlink(t);
                t.next = expired;
                expired = t;
            }
            t = next;
        }
        while (expired != null) {
            Timer t = expired;
            expired = t.next;
            t.next = null;
            t.task.run();
        }
        if (head.next != head && !sweepScheduled) {
            sweepScheduled = true;
            thread.executeAfter(this::sweep, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}

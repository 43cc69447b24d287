package dev.dreamoven.lab.fakediscord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * An append-only, thread-safe log with blocking look-ups, so a test waits for what it expects instead of
 * sleeping. Every await scans the whole log, so an item that arrived before the call is found too; use a
 * sequence number ({@link #size()} before an action) to look only at what came after.
 */
public final class Recorder<T> {

    private final String what;
    private final List<T> items = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    Recorder(String what) {
        this.what = what;
    }

    /** Adds the item made from its sequence number (its index in the log), so numbers and order agree. */
    T addNumbered(java.util.function.LongFunction<T> make) {
        lock.lock();
        try {
            T item = make.apply(items.size());
            items.add(item);
            changed.signalAll();
            return item;
        } finally {
            lock.unlock();
        }
    }

    void add(T item) {
        lock.lock();
        try {
            items.add(item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many items were recorded so far. */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of everything recorded so far, oldest first. */
    public List<T> all() {
        lock.lock();
        try {
            return List.copyOf(items);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the items that match, oldest first. */
    public List<T> all(Predicate<? super T> filter) {
        return all().stream().filter(filter).toList();
    }

    /** A snapshot of the items recorded after the first {@code from} ones (a {@link #size()} taken earlier). */
    public List<T> since(int from) {
        lock.lock();
        try {
            return List.copyOf(items.subList(Math.min(from, items.size()), items.size()));
        } finally {
            lock.unlock();
        }
    }

    /** The first item that matches, waiting up to {@code timeout} for it; an {@link AssertionError} if none came. */
    public T await(Predicate<? super T> filter, Duration timeout) {
        return awaitCount(filter, 1, timeout).get(0);
    }

    /** The first {@code count} items that match, waiting up to {@code timeout}; an {@link AssertionError} if fewer came. */
    public List<T> awaitCount(Predicate<? super T> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<T> found = new ArrayList<>();
                for (T item : items) {
                    if (filter.test(item)) {
                        found.add(item);
                        if (found.size() == count) {
                            return List.copyOf(found);
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + timeout.toMillis() + " ms for " + count + " matching " + what
                            + " but saw " + found.size() + "; all " + what + ":\n" + describe());
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing matching has been recorded for the whole {@code quiet} period; the matches seen. */
    public List<T> noneWithin(Predicate<? super T> filter, Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        lock.lock();
        try {
            while (true) {
                List<T> found = items.stream().filter(filter).toList();
                if (!found.isEmpty()) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    private String describe() {
        StringBuilder out = new StringBuilder();
        int from = Math.max(0, items.size() - 40);
        if (from > 0) {
            out.append("  … ").append(from).append(" earlier\n");
        }
        for (T item : items.subList(from, items.size())) {
            out.append("  ").append(item).append('\n');
        }
        return out.toString();
    }
}

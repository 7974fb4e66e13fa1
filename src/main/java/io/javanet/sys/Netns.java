package io.javanet.sys;

import com.sun.jna.LastErrorException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Network namespaces by path ({@code /run/netns/NAME}, {@code /var/run/docker/netns/KEY}, {@code
 * /proc/PID/ns/net}). setns(2) changes only the calling thread, so work that must happen inside a namespace runs
 * on a fresh platform thread that enters it and then ends; no pooled thread is ever left in a foreign namespace.
 * A netlink socket opened there stays bound to that namespace and can then be used from any thread.
 */
public final class Netns {

    private static final LibC C = LibC.INSTANCE;

    private Netns() {
    }

    /** Runs {@code work} on a thread inside the namespace at {@code path}. */
    public static <T> T call(Path path, Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                withFd(path, fd -> {
                    try {
                        C.setns(fd, LibC.CLONE_NEWNET);
                    } catch (LastErrorException e) {
                        throw Syscalls.failed("setns " + path, e);
                    }
                    return null;
                });
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "javanet-netns");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in namespace " + path, e);
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("failed in namespace " + path + ": " + failure.get(), failure.get());
        }
        return result.get();
    }

    /** Opens the namespace file, hands its descriptor to {@code use}, and closes it again. */
    public static <T> T withFd(Path path, IntFunction<T> use) {
        int fd;
        try {
            fd = C.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw Syscalls.failed("open " + path, e);
        }
        try {
            return use.apply(fd);
        } finally {
            C.close(fd);
        }
    }
}

package io.javanet.kernel;

import java.util.Map;

/**
 * An errno the kernel answered with (include/uapi/asm-generic/errno-base.h, errno.h): a value, named and
 * explained where known.
 */
public record Errno(int number) {

    public static final Errno EPERM = new Errno(1);
    public static final Errno ENOENT = new Errno(2);
    public static final Errno ESRCH = new Errno(3);
    public static final Errno EIO = new Errno(5);
    public static final Errno EBUSY = new Errno(16);
    public static final Errno EEXIST = new Errno(17);
    public static final Errno ENODEV = new Errno(19);
    public static final Errno EINVAL = new Errno(22);
    public static final Errno EXFULL = new Errno(54);
    public static final Errno EMSGSIZE = new Errno(90);
    public static final Errno EOPNOTSUPP = new Errno(95);
    public static final Errno ENETDOWN = new Errno(100);

    private record Entry(String name, String text) {
    }

    private static final Map<Integer, Entry> KNOWN = Map.ofEntries(
            Map.entry(1, new Entry("EPERM", "Operation not permitted")),
            Map.entry(2, new Entry("ENOENT", "No such file or directory")),
            Map.entry(3, new Entry("ESRCH", "No such process")),
            Map.entry(5, new Entry("EIO", "Input/output error")),
            Map.entry(9, new Entry("EBADF", "Bad file descriptor")),
            Map.entry(11, new Entry("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(12, new Entry("ENOMEM", "Cannot allocate memory")),
            Map.entry(13, new Entry("EACCES", "Permission denied")),
            Map.entry(16, new Entry("EBUSY", "Device or resource busy")),
            Map.entry(17, new Entry("EEXIST", "File exists")),
            Map.entry(19, new Entry("ENODEV", "No such device")),
            Map.entry(22, new Entry("EINVAL", "Invalid argument")),
            Map.entry(34, new Entry("ERANGE", "Numerical result out of range")),
            Map.entry(54, new Entry("EXFULL", "Exchange full")),
            Map.entry(90, new Entry("EMSGSIZE", "Message too long")),
            Map.entry(93, new Entry("EPROTONOSUPPORT", "Protocol not supported")),
            Map.entry(95, new Entry("EOPNOTSUPP", "Operation not supported")),
            Map.entry(97, new Entry("EAFNOSUPPORT", "Address family not supported by protocol")),
            Map.entry(99, new Entry("EADDRNOTAVAIL", "Cannot assign requested address")),
            Map.entry(100, new Entry("ENETDOWN", "Network is down")),
            Map.entry(101, new Entry("ENETUNREACH", "Network is unreachable")),
            Map.entry(105, new Entry("ENOBUFS", "No buffer space available")),
            Map.entry(110, new Entry("ETIMEDOUT", "Connection timed out")));

    /** {@code EEXIST} for 17; {@code errno 4242} for one we do not know. */
    public String name() {
        Entry e = KNOWN.get(number);
        return e == null ? "errno " + number : e.name();
    }

    /** strerror's text, e.g. "File exists". */
    public String text() {
        Entry e = KNOWN.get(number);
        return e == null ? "unknown error" : e.text();
    }

    @Override
    public String toString() {
        return name();
    }
}

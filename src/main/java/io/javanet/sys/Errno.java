package io.javanet.sys;

import java.util.Map;

/** The errno values rtnetlink answers with (include/uapi/asm-generic/errno-base.h, errno.h), by name. */
public final class Errno {

    private Errno() {
    }

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;

    private record Entry(String name, String text) {
    }

    private static final Map<Integer, Entry> KNOWN = Map.ofEntries(
            Map.entry(1, new Entry("EPERM", "Operation not permitted")),
            Map.entry(2, new Entry("ENOENT", "No such file or directory")),
            Map.entry(3, new Entry("ESRCH", "No such process")),
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
    public static String name(int errno) {
        Entry e = KNOWN.get(errno);
        return e == null ? "errno " + errno : e.name();
    }

    /** strerror's text, e.g. "File exists". */
    public static String text(int errno) {
        Entry e = KNOWN.get(errno);
        return e == null ? "unknown error" : e.text();
    }
}

package io.javanet.kernel;

/** Kernel settings under /proc/sys, named in slash form so interface names may hold dots. */
public interface Sysctls {

    /** Equivalent to: {@code sysctl -w KEY=VALUE}, e.g. {@code net/ipv4/conf/jn-1/route_localnet=1}. */
    void setSysctl(String key, String value);

    /** The current value, e.g. {@code 1}; readable even where /proc/sys is read-only. */
    String sysctl(String key);
}

package io.javanet.sys;

/**
 * System properties that our libraries read once, at their first use, set by each of our programs (the plugin and
 * {@code docker javanet}) before it uses any; a value given on the command line is kept.
 */
public final class LibraryDefaults {

    private LibraryDefaults() {
    }

    public static void apply() {
        // Unset, Jetty starts the platform MBean server (JMX and JFR's commands: 600 classes, a tenth of a second
        // and megabytes of a small plugin's memory) only to learn how many references fill a cache line.
        System.getProperties().putIfAbsent("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        // Unset, JNA runs `ldconfig -p` at its first library load to list the system's library directories: a
        // program the plugin would run at every start. Ours are loaded by soname, which the dynamic loader finds.
        System.getProperties().putIfAbsent("jna.platform.library.path", "");
    }
}

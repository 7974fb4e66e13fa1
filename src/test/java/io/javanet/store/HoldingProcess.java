package io.javanet.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process for the lock tests, which a process cannot be for itself (its own locks never conflict):
 * {@code lock DATABASE HOLDER} takes a database's lock as javanet does, {@code sqlite DATABASE} opens it in WAL mode
 * as a javanet of an earlier release did; either says "holding" and waits to be killed.
 */
public final class HoldingProcess {

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[1]);
        if (args[0].equals("lock")) {
            StateLock.acquire(database, args[2]);
        } else {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE IF NOT EXISTS t (x)");
            }
        }
        System.out.println("holding");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts one with the tests' class path and waits until it holds. */
    static Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldingProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        if (!"holding".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("the holding process said " + line);
        }
        return p;
    }
}

package io.javanet.instance;

import io.javanet.net.Scope;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which javanet this process is, and so the names of what it owns on the host: {@code name} names its nftables
 * table ({@code inet NAME}), marks its links ({@code javanet:NAME}) and, with {@code .db}, its state database.
 * A managed plugin is named by its plugin ID ({@code javanet-} and the 12 characters {@code docker plugin ls}
 * shows), since inside every install the socket is {@code javanet.sock}; a socket-file plugin by its socket's
 * name. A global-scope install adds {@code -global}, so that a local and a global install never share.
 *
 * @param database the state database's file name in the state directory
 * @param holder   who this is, as written in the database's lock file for another javanet refused it to read
 */
public record Instance(String name, String database, String holder) {

    /** The names nftables and our other names accept. */
    static final String NAME = "[a-z][a-z0-9_-]{0,31}";
    private static final String DEFAULT = "javanet";

    public Instance {
        if (!name.matches(NAME)) {
            throw new IllegalArgumentException("not an instance name: " + name);
        }
    }

    public static Instance of(Optional<String> pluginId, Path socket, Scope scope) {
        if (pluginId.isPresent()) {
            String name = scoped(DEFAULT + "-" + pluginId.get().substring(0, 12), scope);
            return new Instance(name, name + ".db", "managed plugin " + pluginId.get());
        }
        String name = scoped(socketName(socket), scope);
        return new Instance(name, name + ".db", "socket-file plugin " + socket + " (pid " + ProcessHandle.current().pid() + ")");
    }

    /**
     * The same install as the releases before plugin identities named it: by its socket (so every managed
     * plugin was {@code javanet}), with {@code javanet.db}, or {@code javanet-global.db}, whatever the name.
     */
    public static Instance legacy(Path socket, Scope scope) {
        String name = scoped(socketName(socket), scope);
        return new Instance(name, scoped(DEFAULT, scope) + ".db", "a javanet of an earlier release");
    }

    /** The database's path in the state directory. */
    public Path database(Path stateDir) {
        return stateDir.resolve(database);
    }

    /** The alias that marks the links this instance makes. */
    public String linkOwner() {
        return "javanet:" + name;
    }

    /** javanet.sock gives javanet; a name that is not one gives javanet, with room for -global. */
    private static String socketName(Path socket) {
        String file = socket.getFileName().toString().replaceFirst("\\.sock$", "").toLowerCase(Locale.ROOT);
        return file.matches("[a-z][a-z0-9_-]{0,24}") ? file : DEFAULT;
    }

    private static String scoped(String name, Scope scope) {
        return scope == Scope.GLOBAL ? name + "-global" : name;
    }
}

package io.javanet.crypto;

import io.javanet.kernel.WireGuardKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The secret every node of a swarm shares for its encrypted overlay networks: at least 32 random bytes, in base64
 * (what {@code wg genkey} prints does), in a file only root (whom javanet runs as) may read. Docker hands its
 * own keys to no remote driver, so the operator copies this file to each node, as a swarm join token. Nothing else is read from it,
 * and its value is never logged: {@link #toString} shows a fingerprint.
 */
public final class OverlaySecret {

    /** The least that a secret may hold: a WireGuard key's worth. */
    public static final int MIN_BYTES = 32;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] bytes;

    private OverlaySecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** For tests and derivations: a secret from its bytes. */
    public static OverlaySecret of(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("an overlay secret holds at least " + MIN_BYTES + " bytes, not " + bytes.length);
        }
        return new OverlaySecret(bytes.clone());
    }

    /**
     * Reads the secret at {@code file}, refusing one that is missing, a link, readable by anyone but its owner,
     * owned by anyone but the user javanet runs as (root), or shorter than {@link #MIN_BYTES}; each refusal says
     * how to fix it.
     */
    public static OverlaySecret read(Path file) throws SecretException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new SecretException(file + " does not exist: make it on every node of the swarm, the same on"
                    + " each, with (umask 077; wg genkey >" + file + ")");
        } catch (IOException e) {
            throw new SecretException(file + ": " + e.getMessage());
        }
        if (!attributes.isRegularFile()) {
            throw new SecretException(file + " is not a regular file");
        }
        int owner = uid(file);
        int runsAs = uid(Path.of("/proc/self"));
        if (owner != runsAs) {
            throw new SecretException(file + " is owned by uid " + owner + ", not uid " + runsAs
                    + ", whom javanet runs as: chown " + runsAs + " " + file);
        }
        if (attributes.permissions().stream().anyMatch(OTHERS::contains)) {
            throw new SecretException(file + " may be read or written by others than root: chmod 600 " + file);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new SecretException(file + " does not hold base64: make it with (umask 077; wg genkey >" + file + ")");
        }
        if (decoded.length < MIN_BYTES) {
            throw new SecretException(file + " holds " + decoded.length + " bytes; at least " + MIN_BYTES
                    + " are needed: (umask 077; wg genkey >" + file + ")");
        }
        return new OverlaySecret(decoded);
    }

    /**
     * The numeric owner: the managed plugin's rootfs has no user database to name it by. {@code /proc/self}
     * is owned by the user this process runs as.
     */
    private static int uid(Path path) throws SecretException {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new SecretException(path + ": " + e.getMessage());
        }
    }

    byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OverlaySecret secret && MessageDigest.isEqual(secret.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "overlay secret " + WireGuardKey.fingerprint(bytes);
    }

    /** A secret that cannot be used, with why. */
    public static final class SecretException extends Exception {
        public SecretException(String message) {
            super(message);
        }
    }
}

package io.javanet.kernel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A Curve25519 key as WireGuard takes it: 32 bytes. A private key's text is never its value, so that one
 * reaching a log or an error message reveals nothing; a public key reads as {@code wg show} prints it.
 */
public final class WireGuardKey {

    public static final int LENGTH = 32;

    private final byte[] bytes;
    private final boolean secret;

    private WireGuardKey(byte[] bytes, boolean secret) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a WireGuard key is " + LENGTH + " bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
        this.secret = secret;
    }

    public static WireGuardKey ofPrivate(byte[] bytes) {
        return new WireGuardKey(bytes, true);
    }

    public static WireGuardKey ofPublic(byte[] bytes) {
        return new WireGuardKey(bytes, false);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The first 8 hex digits of the key's SHA-256: enough to tell keys apart in a log, nothing to attack. */
    public String fingerprint() {
        return fingerprint(bytes);
    }

    /** As {@link #fingerprint()}, of any secret value. */
    public static String fingerprint(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WireGuardKey key && key.secret == secret && MessageDigest.isEqual(key.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return secret ? "private key " + fingerprint() : Base64.getEncoder().encodeToString(bytes);
    }
}

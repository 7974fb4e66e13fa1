package io.javanet.crypto;

import io.javanet.kernel.WireGuardKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * Each node's WireGuard key pair, derived from the swarm's {@link OverlaySecret} and the node's address: every
 * node works out every other node's public key, and nothing is sent between them. The private key is
 * HKDF-SHA256 of the secret (RFC 5869) with the node's address as context; the public key is X25519 of it (RFC
 * 7748), as {@code wg pubkey} computes. Anyone holding the secret can work out every node's private key: the
 * secret is the thing to guard (README, "Encrypted overlay").
 */
public final class NodeKeys {

    private static final byte[] SALT = "javanet overlay wireguard v1".getBytes(StandardCharsets.US_ASCII);
    private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

    private NodeKeys() {
    }

    /** The private key of the node at {@code address} (its address text, as Docker announces it). */
    public static WireGuardKey privateKey(OverlaySecret secret, String address) {
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            byte[] key = hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(secret.bytes()).addSalt(SALT)
                    .thenExpand(("node " + address).getBytes(StandardCharsets.US_ASCII), WireGuardKey.LENGTH));
            return WireGuardKey.ofPrivate(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is part of every Java 25", e);
        }
    }

    /** The public key of {@code privateKey}: X25519 of it and the curve's base point. */
    public static WireGuardKey publicKey(WireGuardKey privateKey) {
        try {
            KeyFactory xdh = KeyFactory.getInstance("XDH");
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(xdh.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.bytes())));
            agreement.doPhase(xdh.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT)), true);
            return WireGuardKey.ofPublic(agreement.generateSecret());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every Java 25", e);
        }
    }

    /** The public key of the node at {@code address}. */
    public static WireGuardKey publicKey(OverlaySecret secret, String address) {
        return publicKey(privateKey(secret, address));
    }
}

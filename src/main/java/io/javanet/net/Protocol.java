package io.javanet.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A published port's transport protocol, by the IP protocol number Docker sends and the name nft reads. */
public enum Protocol {
    TCP(6), UDP(17), SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Protocol> ofNumber(int number) {
        return Arrays.stream(values()).filter(p -> p.number == number).findFirst();
    }

    public static Optional<Protocol> parse(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName();
    }
}

package io.javanet.net;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bandwidth, in bits per second, written as tc(8) writes rates ({@code 10mbit}, {@code 1gbit}). The kernel keeps
 * rates in bytes per second, so a rate reads back from it rounded down to a multiple of 8 bit/s.
 */
public record Rate(long bitsPerSecond) {

    /** The units of iproute2's get_rate64 (lib/utils_math.c), matched without regard to case as tc does. */
    private record Unit(String name, long bits) {
    }

    private static final long K = 1000;
    private static final long KI = 1024;
    private static final List<Unit> UNITS = List.of(
            new Unit("bit", 1), new Unit("kibit", KI), new Unit("kbit", K), new Unit("mibit", KI * KI),
            new Unit("mbit", K * K), new Unit("gibit", KI * KI * KI), new Unit("gbit", K * K * K),
            new Unit("tibit", KI * KI * KI * KI), new Unit("tbit", K * K * K * K),
            new Unit("bps", 8), new Unit("kibps", 8 * KI), new Unit("kbps", 8 * K), new Unit("mibps", 8 * KI * KI),
            new Unit("mbps", 8 * K * K), new Unit("gibps", 8 * KI * KI * KI), new Unit("gbps", 8 * K * K * K),
            new Unit("tibps", 8 * KI * KI * KI * KI), new Unit("tbps", 8 * K * K * K * K));

    /** The units {@link #toString} writes, largest first. */
    private static final List<Unit> DECIMAL_BITS = List.of(new Unit("tbit", K * K * K * K), new Unit("gbit", K * K * K),
            new Unit("mbit", K * K), new Unit("kbit", K), new Unit("bit", 1));

    private static final Pattern TEXT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([A-Za-z]*)");

    public Rate {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("a rate is at least 8bit (one byte per second), not " + bitsPerSecond + "bit");
        }
    }

    /**
     * A rate as tc(8) reads one: a number and a unit, {@code bit} (also a bare number), {@code kbit}, {@code mbit},
     * {@code gbit}, {@code tbit} (powers of 1000) or {@code kibit}… (powers of 1024); or bytes per second,
     * {@code bps}, {@code kbps}, {@code mbps}… ({@code 10mbps} is 80 Mbit/s, as in tc, not 10).
     */
    public static Rate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing rate (expected e.g. 10mbit)");
        }
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("rate \"" + text + "\" is not a number and a unit (expected e.g. 10mbit)");
        }
        String unitName = m.group(2).isEmpty() ? "bit" : m.group(2).toLowerCase(Locale.ROOT);
        Unit unit = UNITS.stream().filter(u -> u.name().equals(unitName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("rate \"" + text + "\" has an unknown unit \"" + m.group(2)
                        + "\" (expected bit, kbit, mbit, gbit, tbit, kibit… or bytes: bps, kbps, mbps…)"));
        BigDecimal bits = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit.bits()));
        if (bits.signum() == 0) {
            throw new IllegalArgumentException("rate \"" + text + "\" is zero");
        }
        if (bits.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("rate \"" + text + "\" is too large (at most " + Long.MAX_VALUE + "bit)");
        }
        if (bits.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("rate \"" + text + "\" is not a whole number of bits per second");
        }
        if (bits.longValueExact() < 8) {
            throw new IllegalArgumentException("rate \"" + text + "\" is below 8bit, one byte per second");
        }
        return new Rate(bits.longValueExact());
    }

    /** The rate from the kernel's bytes per second. */
    public static Rate ofBytesPerSecond(long bytesPerSecond) {
        return new Rate(Math.multiplyExact(bytesPerSecond, 8));
    }

    /** What the kernel keeps: bytes per second, rounded down. */
    public long bytesPerSecond() {
        return bitsPerSecond / 8;
    }

    /** In tc's words, with the largest decimal unit that writes it whole: {@code 20mbit}, {@code 1500kbit}. */
    @Override
    public String toString() {
        Unit unit = DECIMAL_BITS.stream().filter(u -> bitsPerSecond % u.bits() == 0).findFirst().orElseThrow();
        return bitsPerSecond / unit.bits() + unit.name();
    }
}

package io.javanet.ipam;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import io.javanet.net.Cidr;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses of one pool and which of them are taken. Pure bookkeeping, no I/O: callers decide with
 * {@link #nextFree()} and {@link #checkAssignable}, persist, then record with {@link #take} and
 * {@link #free}.
 *
 * <p>Free addresses are searched from just after the last one handed out, wrapping round, so a released
 * address is not reused at once (stale ARP entries in peers then do no harm) and the search is constant time
 * while the pool is far from full. The network and broadcast addresses of an IPv4 pool of /30 or wider, and
 * the subnet-router anycast address of an IPv6 pool, are never handed out.
 */
public final class AddressPool {

    private final IPAddress pool;
    private final IPAddress range;
    private final BigInteger rangeFirst;
    private final BigInteger rangeSize;
    private final Set<BigInteger> taken = new HashSet<>();
    private BigInteger cursor;

    /**
     * @param pool  the whole network, a prefix block
     * @param range the part that may be handed out without being asked for by address (the {@code
     *              --ip-range}), a prefix block inside {@code pool}; {@code pool} itself when there is none
     */
    public AddressPool(IPAddress pool, IPAddress range) {
        this.pool = pool.toPrefixBlock();
        this.range = range.toPrefixBlock();
        this.rangeFirst = this.range.getLower().getValue();
        this.rangeSize = this.range.getCount();
        this.cursor = BigInteger.ZERO;
    }

    public IPAddress pool() {
        return pool;
    }

    public IPAddress range() {
        return range;
    }

    public int prefixLength() {
        return pool.getNetworkPrefixLength();
    }

    public boolean isTaken(IPAddress address) {
        return taken.contains(address.getValue());
    }

    public int takenCount() {
        return taken.size();
    }

    /** Why {@code address} cannot be handed out, or empty when it can. */
    public Optional<String> checkAssignable(IPAddress address) {
        if (address.isIPv4() != pool.isIPv4() || !pool.contains(address)) {
            return Optional.of(Cidr.hostText(address) + " is not in pool " + pool.toCanonicalString());
        }
        if (isReserved(address.getValue())) {
            return Optional.of(Cidr.hostText(address) + " is reserved in pool " + pool.toCanonicalString()
                    + " (network or broadcast address)");
        }
        if (isTaken(address)) {
            return Optional.of(Cidr.hostText(address) + " is already allocated in pool "
                    + pool.toCanonicalString());
        }
        return Optional.empty();
    }

    /** The next free address of the range after the last one handed out, or empty when the range is full. */
    public Optional<IPAddress> nextFree() {
        // An IPv6 range is far too large to walk; a 2^32 bound is plenty while allocations are counted in
        // thousands, and keeps the loop finite.
        BigInteger limit = rangeSize.min(BigInteger.ONE.shiftLeft(32));
        for (BigInteger i = BigInteger.ZERO; i.compareTo(limit) < 0; i = i.add(BigInteger.ONE)) {
            BigInteger offset = cursor.add(i).mod(rangeSize);
            BigInteger value = rangeFirst.add(offset);
            if (!isReserved(value) && !taken.contains(value)) {
                return Optional.of(addressOf(value));
            }
        }
        return Optional.empty();
    }

    /** Records {@code address} as handed out; the next search starts after it. */
    public void take(IPAddress address) {
        BigInteger value = address.getValue();
        taken.add(value);
        if (range.contains(address)) {
            cursor = value.subtract(rangeFirst).add(BigInteger.ONE).mod(rangeSize);
        }
    }

    /** Forgets {@code address}; true when it was taken. */
    public boolean free(IPAddress address) {
        return taken.remove(address.getValue());
    }

    private IPAddress addressOf(BigInteger value) {
        return pool.isIPv4() ? new IPv4Address(value.intValue()) : new IPv6Address(value);
    }

    private boolean isReserved(BigInteger value) {
        BigInteger first = pool.getLower().getValue();
        if (pool.isIPv4()) {
            return prefixLength() <= 30 && (value.equals(first) || value.equals(pool.getUpper().getValue()));
        }
        return prefixLength() <= 126 && value.equals(first);
    }
}

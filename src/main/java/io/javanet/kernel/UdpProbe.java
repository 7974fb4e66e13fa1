package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * Whether a node takes UDP on a port, as far as UDP can tell: a refusal (ICMP port or host unreachable, no
 * route) is certain; silence is all a listening tunnel ever answers, so it counts as taken.
 */
public interface UdpProbe {

    /** Why a datagram to ADDRESS:PORT was refused, or empty when nothing refused it within a short wait. */
    Optional<String> refusal(IPAddress address, int port, byte[] datagram);

    /** Through this namespace's own sockets: a connected socket hears the ICMP error its datagram causes. */
    UdpProbe SOCKETS = (address, port, datagram) -> {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(address.toInetAddress(), port));
            socket.setSoTimeout(300);
            socket.send(new DatagramPacket(datagram, datagram.length));
            socket.receive(new DatagramPacket(new byte[64], 64));
            return Optional.empty();
        } catch (PortUnreachableException e) {
            return Optional.of("nothing listens on UDP " + port + " there (ICMP port unreachable)");
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    };
}

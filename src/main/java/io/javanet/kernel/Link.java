package io.javanet.kernel;

import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import java.util.Optional;
import java.util.Set;

/**
 * A link to make, as {@code ip link add} takes it: the attributes every link has, and its kind's own (the model is
 * vishvananda/netlink's {@code Link}). {@link Links#add} makes any of them in one request.
 */
public sealed interface Link {

    LinkAttrs attrs();

    /** Its IFLA_INFO_KIND, as {@code ip -d link} prints it. */
    String kind();

    default String name() {
        return attrs().name();
    }

    /** {@code type bridge} */
    record Bridge(LinkAttrs attrs) implements Link {
        @Override
        public String kind() {
            return "bridge";
        }
    }

    /**
     * {@code type veth peer name PEER mtu MTU [address PEER_MAC]}: the peer, the end Docker moves into a container,
     * gets the MAC and the same MTU.
     */
    record Veth(LinkAttrs attrs, String peerName, Optional<MacAddress> peerMac) implements Link {
        @Override
        public String kind() {
            return "veth";
        }
    }

    /** {@code link PARENT type macvlan mode MODE}, MODE bridge, private, vepa or passthru. */
    record Macvlan(LinkAttrs attrs, String parent, SubMode mode) implements Link {
        public Macvlan {
            requireMode("macvlan", mode, Set.of(SubMode.BRIDGE, SubMode.PRIVATE, SubMode.VEPA, SubMode.PASSTHRU));
        }

        @Override
        public String kind() {
            return "macvlan";
        }
    }

    /** {@code link PARENT type ipvlan mode MODE}, MODE l2 or l3; an ipvlan shares its parent's MAC. */
    record Ipvlan(LinkAttrs attrs, String parent, SubMode mode) implements Link {
        public Ipvlan {
            requireMode("ipvlan", mode, Set.of(SubMode.L2, SubMode.L3));
        }

        @Override
        public String kind() {
            return "ipvlan";
        }
    }

    /** {@code link PARENT type vlan id ID}: an 802.1q sub-interface. */
    record Vlan(LinkAttrs attrs, String parent, int vlanId) implements Link {
        @Override
        public String kind() {
            return "vlan";
        }
    }

    /**
     * {@code type vxlan id VNI dstport PORT learning [local LOCAL dev LOCAL's link]}: no default remote, its remotes
     * are the flood entries of its forwarding database; with a local address, it sends and receives through that
     * one link only.
     */
    record Vxlan(LinkAttrs attrs, int vni, int port, Optional<LinkLocal> local) implements Link {
        @Override
        public String kind() {
            return "vxlan";
        }
    }

    /** {@code type wireguard} */
    record WireGuard(LinkAttrs attrs) implements Link {
        @Override
        public String kind() {
            return "wireguard";
        }
    }

    /** The link a macvlan, ipvlan or vlan is made on ({@code link PARENT}); none for other kinds. */
    default Optional<String> parentLink() {
        return switch (this) {
            case Macvlan m -> Optional.of(m.parent());
            case Ipvlan i -> Optional.of(i.parent());
            case Vlan v -> Optional.of(v.parent());
            case Bridge _, Veth _, Vxlan _, WireGuard _ -> Optional.empty();
        };
    }

    private static void requireMode(String kind, SubMode mode, Set<SubMode> modes) {
        if (!modes.contains(mode)) {
            throw new IllegalArgumentException("not a " + kind + " mode: " + mode);
        }
    }
}

package io.javanet.driver.parent;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parent named like {@code eth0.20}: VLAN 20 on {@code eth0}. When no such link exists, javanet makes it as
 * an 802.1q sub-interface, and removes it with the last network on it, as Docker's macvlan driver does.
 */
record VlanParent(String base, int id) {

    private static final Pattern NAME = Pattern.compile("(.+)\\.([0-9]{1,4})");

    /** The VLAN a parent's name asks for, if it is of the form BASE.ID with ID from 1 to 4094. */
    static Optional<VlanParent> of(String parent) {
        Matcher m = NAME.matcher(parent);
        if (!m.matches()) {
            return Optional.empty();
        }
        int id = Integer.parseInt(m.group(2));
        return id >= 1 && id <= 4094 ? Optional.of(new VlanParent(m.group(1), id)) : Optional.empty();
    }
}

package io.javanet.driver;

import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.Diagnosis.Check;
import java.util.ArrayList;
import java.util.List;

/** What a doctor run found, check by check in the order checked, each about the host, a network or an endpoint. */
public final class Findings {

    public static final String RESTART_PLUGIN = Diagnosis.RESTART_PLUGIN;

    private final List<Check> checks;
    private final String network;
    private final String endpoint;

    public Findings() {
        this(new ArrayList<>(), "", "");
    }

    private Findings(List<Check> checks, String network, String endpoint) {
        this.checks = checks;
        this.network = network;
        this.endpoint = endpoint;
    }

    /** Findings about one network, kept with these. */
    public Findings network(String networkId) {
        return new Findings(checks, networkId, "");
    }

    /** Findings about one endpoint of this network, kept with these. */
    public Findings endpoint(String endpointId) {
        return new Findings(checks, network, endpointId);
    }

    public void ok(String check, String detail) {
        checks.add(new Check(network, endpoint, check, true, detail, ""));
    }

    public void fault(String check, String detail, String fix) {
        checks.add(new Check(network, endpoint, check, false, detail, fix));
    }

    /** {@code ok} with {@code detail} when {@code holds}, else {@code fault} with {@code fault} and {@code fix}. */
    public void expect(boolean holds, String check, String detail, String fault, String fix) {
        if (holds) {
            ok(check, detail);
        } else {
            fault(check, fault, fix);
        }
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }
}

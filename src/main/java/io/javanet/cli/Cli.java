package io.javanet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.base.Suppliers;
import io.javanet.engine.EngineClient;
import io.javanet.engine.EngineInfo;
import io.javanet.engine.PluginInstall;
import io.javanet.sys.LibraryDefaults;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code docker javanet}: what javanet holds, which Docker does not show for a remote driver (a container's
 * published ports above all), read from each running plugin's status endpoint and named through the engine.
 * Run by the CLI plugin launcher, {@code plugin-config/docker-javanet}.
 */
@Command(name = "docker javanet", mixinStandardHelpOptions = true, subcommands = {Cli.Ports.class, Cli.Ls.class,
        Cli.Inspect.class, Cli.Doctor.class},
        description = "What javanet holds: published ports, networks, endpoints; and what is wrong.")
public final class Cli {

    /**
     * A program of its own, not a subcommand of the plugin's: picocli builds the model of every command a program
     * has before it runs one, and this one's would delay the plugin's first answer.
     */
    public static void main(String[] args) {
        LibraryDefaults.apply();
        System.exit(new CommandLine(new Cli()).execute(args));
    }

    @Option(names = "--socket", scope = ScopeType.INHERIT, split = ",", defaultValue = "/run/docker/plugins/javanet.sock",
            description = "Plugins' sockets, comma-separated, one per install (default: ${DEFAULT-VALUE}).")
    List<Path> sockets;

    @Option(names = "--engine-socket", scope = ScopeType.INHERIT, defaultValue = "/var/run/docker.sock",
            description = "The engine's API socket, for Docker's names (default: ${DEFAULT-VALUE}).")
    Path engineSocket;

    @Option(names = "--proc", scope = ScopeType.INHERIT, hidden = true, defaultValue = "/proc",
            description = "Where this machine's processes are listed.")
    Path proc;

    @Option(names = "--format", scope = ScopeType.INHERIT, defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Runs {@code show} with the plugins and the engine, and prints what it gives; a failure is said on stderr, exit 1. */
    int run(CommandSpec spec, Function<Context, Object> show) {
        if (!format.equals("table") && !format.equals("json")) {
            spec.commandLine().getErr().println("--format: \"" + format + "\" is not table or json");
            return 2;
        }
        try (StatusClient client = new StatusClient(); EngineClient engine = new EngineClient(engineSocket)) {
            Object shown = show.apply(new Context(client, engine, Suppliers.memoize(() -> reachable(engine))));
            PrintWriter out = spec.commandLine().getOut();
            if (format.equals("json")) {
                out.println(JSON.writeValueAsString(shown instanceof Table table ? table.rows() : shown));
            } else {
                out.print(shown instanceof Table table ? table.text() : shown.toString());
            }
            out.flush();
            return shown instanceof Table table && table.rows().stream()
                    .anyMatch(r -> r instanceof DoctorView.Row row && row.failed()) ? 1 : 0;
        } catch (CliException e) {
            spec.commandLine().getErr().println("docker javanet: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            spec.commandLine().getErr().println("docker javanet: " + e);
            return 1;
        }
    }

    /**
     * The plugins' sockets as this process reaches them. The launcher names them as the engine sees them; an
     * engine in a mount namespace of its own (a lab node, Docker-in-Docker) has them under its process's root.
     */
    private List<Path> reachable(EngineClient engine) {
        if (sockets.stream().allMatch(Files::exists)) {
            return sockets;
        }
        Optional<String> id = engine.info().map(EngineInfo::engineId);
        for (LocalEngine local : id.isEmpty() ? List.<LocalEngine>of() : LocalEngine.find(proc)) {
            try (EngineClient other = new EngineClient(local.apiSocket())) {
                if (other.info().map(EngineInfo::engineId).equals(id)) {
                    return sockets.stream().map(s -> Files.exists(s) ? s : local.root().resolve(s.toString().substring(1))).toList();
                }
            }
        }
        return sockets;
    }

    /** A command of {@code docker javanet}: it runs through its parent, which reads the plugins and prints. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        Cli cli;
        @Spec
        CommandSpec spec;
    }

    /**
     * What a command works from: the plugins' sockets (found once, when first asked: {@code doctor --swarm} finds
     * its own), and the engine for Docker's names of what the user typed.
     */
    record Context(StatusClient client, EngineClient engine, Supplier<List<Path>> reachableSockets) {

        List<Path> sockets() {
            return reachableSockets.get();
        }

        /** Every plugin's status, named through the engine. */
        StatusView view() {
            return new StatusView(sockets().stream().map(client::status).toList(), engine.names());
        }
    }

    @Command(name = "ports", mixinStandardHelpOptions = true,
            description = "Published ports of javanet's endpoints, as docker port would show them: all, or one container's.")
    static final class Ports extends Subcommand {
        @Parameters(arity = "0..1", paramLabel = "CONTAINER", description = "A container's name or ID.")
        String container;

        @Override
        public Integer call() {
            return cli.run(spec, c -> {
                if (container == null) {
                    return Table.of(c.view().ports(Set.of()), List.of("CONTAINER", "NETWORK", "PORT", "HOST"),
                            r -> List.of(r.container(), r.network(), r.containerPort(), StatusView.host(r.hostIp(), r.hostPort())));
                }
                List<String> endpoints = c.engine().endpointsOf(container)
                        .orElseThrow(() -> new CliException("no container " + container + " in the engine"));
                List<StatusView.PortRow> rows = c.view().ports(Set.copyOf(endpoints));
                return Table.lines(rows, rows.stream().map(StatusView.PortRow::dockerPortLine).toList());
            });
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "javanet's networks.")
    static final class Ls extends Subcommand {

        @Override
        public Integer call() {
            return cli.run(spec, c -> Table.of(c.view().networkRows(),
                    List.of("NETWORK", "ID", "MODE", "LINK", "SUBNETS", "ENDPOINTS", "FLAGS"),
                    r -> List.of(r.name(), r.id().substring(0, Math.min(12, r.id().length())), r.mode(), r.link(),
                            String.join(", ", r.subnets()), Integer.toString(r.endpoints()), String.join(",", r.flags()))));
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "One javanet network and its endpoints.")
    static final class Inspect extends Subcommand {
        @Parameters(paramLabel = "NETWORK", description = "A network's name or ID.")
        String network;

        @Override
        public Integer call() {
            return cli.run(spec, c -> {
                String id = c.engine().networkId(network).orElse(network);
                StatusView.NetworkDetail detail = c.view().network(id)
                        .orElseThrow(() -> new CliException("no javanet network " + network));
                if (cli.format.equals("json")) {
                    return detail;
                }
                StatusView.NetworkRow n = detail.network();
                String head = String.format("Network:   %s (%s)%nMode:      %s%nLink:      %s%nSubnets:   %s%nFlags:     %s%n%n",
                        n.name(), n.id(), n.mode(), n.link(), String.join(", ", n.subnets()), String.join(",", n.flags()));
                return head + Table.of(detail.endpoints(), List.of("CONTAINER", "ADDRESS", "MAC", "HOST LINK", "PORTS"),
                        e -> List.of(e.container(), e.address() + (e.addressIpv6().isEmpty() ? "" : " " + e.addressIpv6()),
                                e.macAddress(), e.hostLink(), String.join(", ", e.ports()))).text();
            });
        }
    }

    @Command(name = "doctor", mixinStandardHelpOptions = true,
            description = {"Checks the host against what javanet holds: links, addresses, routes, the firewall and"
                    + " Docker's hook for it, forwarding; for overlays, flooding and each peer's tunnel. Says what is wrong"
                    + " and how to fix it; exits 1 if anything is.",
                    "With --swarm: every node of this engine's swarm whose engine runs on this machine, compared."})
    static final class Doctor extends Subcommand {
        @Option(names = "--swarm", description = "Check every swarm node whose engine runs on this machine, and compare them.")
        boolean swarm;

        @Override
        public Integer call() {
            return cli.run(spec, c -> {
                if (!swarm) {
                    List<DoctorView.Row> rows = DoctorView.rows(List.of(thisHost(c)));
                    return new Table(rows, DoctorView.text(rows, false));
                }
                List<DoctorView.Row> rows = DoctorView.swarmRows(swarmNodes(c), c.engine().nodes());
                return new Table(rows, DoctorView.text(rows, true));
            });
        }

        /** This host: the engine given, and the plugins' sockets given, named as the engine names them. */
        private static DoctorView.NodeReport thisHost(Context c) {
            List<PluginInstall> installs = c.engine().javanetPlugins();
            List<DoctorView.PluginReport> plugins = c.sockets().stream().map(socket -> diagnose(c.client(), installs.stream()
                    .filter(p -> socket.getParent().getFileName().toString().equals(p.id())).map(PluginInstall::name)
                    .findFirst().orElse("javanet"), socket)).toList();
            return new DoctorView.NodeReport("", c.engine().info(), c.engine().names(), plugins);
        }

        /** Each engine on this machine in the given engine's swarm, with its javanet plugins, by node name. */
        private List<DoctorView.NodeReport> swarmNodes(Context c) {
            EngineInfo given = c.engine().info().orElseThrow(() -> new CliException("the engine on "
                    + cli.engineSocket + " does not answer"));
            if (given.nodeId().isEmpty()) {
                throw new CliException("the engine on " + cli.engineSocket + " is in no swarm: run doctor without --swarm");
            }
            List<DoctorView.NodeReport> nodes = new ArrayList<>();
            for (LocalEngine local : LocalEngine.find(cli.proc)) {
                try (EngineClient engine = new EngineClient(local.apiSocket())) {
                    Optional<EngineInfo> info = engine.info();
                    if (info.isEmpty() || !info.get().sameSwarm(given)) {
                        continue;
                    }
                    List<DoctorView.PluginReport> plugins = engine.javanetPlugins().stream()
                            .map(p -> diagnose(c.client(), p.name(), local.pluginSocket(p))).toList();
                    nodes.add(new DoctorView.NodeReport(info.get().name(), info, engine.names(), plugins));
                }
            }
            nodes.sort(Comparator.comparing(DoctorView.NodeReport::node));
            return nodes;
        }

        private static DoctorView.PluginReport diagnose(StatusClient client, String plugin, Path socket) {
            try {
                return DoctorView.PluginReport.of(plugin, client.diagnosis(socket));
            } catch (CliException e) {
                return DoctorView.PluginReport.failed(plugin, e.getMessage());
            }
        }
    }
}

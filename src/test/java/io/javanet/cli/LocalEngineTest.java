package io.javanet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.engine.PluginInstall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the engines of this machine by their processes, as /proc lists them. */
class LocalEngineTest {

    @TempDir
    Path proc;

    private void process(String pid, String comm, String... args) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(pid));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.writeString(dir.resolve("cmdline"), String.join("\0", args) + "\0");
    }

    @Test
    void eachDockerdIsFoundWithItsFirstUnixSocketSeenThroughItsRoot() throws Exception {
        process("1", "systemd", "/sbin/init");
        process("310", "dockerd", "/usr/bin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock");
        process("4021", "dockerd", "dockerd", "--data-root", "/var/lib/docker-jnlab1", "-H", "unix:///tmp/jnlab/n1/docker.sock",
                "-H", "unix:///run/docker.sock");
        process("4100", "dockerd", "dockerd", "--host=tcp://0.0.0.0:2375", "--host=unix:///run/user/1000/docker.sock");
        Files.createDirectories(proc.resolve("self"));
        List<LocalEngine> engines = LocalEngine.find(proc);
        assertThat(engines).extracting(LocalEngine::pid).containsExactly(310L, 4021L, 4100L);
        assertThat(engines.get(0).apiSocket()).isEqualTo(proc.resolve("310/root/var/run/docker.sock"));
        assertThat(engines.get(1).apiSocket()).isEqualTo(proc.resolve("4021/root/tmp/jnlab/n1/docker.sock"));
        assertThat(engines.get(2).apiSocket()).isEqualTo(proc.resolve("4100/root/run/user/1000/docker.sock"));
        assertThat(engines.get(1).pluginSocket(new PluginInstall("abc123", "javanet-global:latest", "javanet.sock", "global")))
                .isEqualTo(proc.resolve("4021/root/run/docker/plugins/abc123/javanet.sock"));
    }
}

package io.javanet.engine;

/**
 * An enabled javanet managed plugin as its engine lists it.
 *
 * @param socket the plugin's socket file name, under the engine's {@code /run/docker/plugins/ID/}
 * @param scope  local or global, from its JAVANET_SCOPE setting
 */
public record PluginInstall(String id, String name, String socket, String scope) {
}

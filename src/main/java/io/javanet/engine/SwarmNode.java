package io.javanet.engine;

/** A node of the swarm as a manager lists it ({@code docker node ls}). */
public record SwarmNode(String id, String hostname, String address, String state) {
}

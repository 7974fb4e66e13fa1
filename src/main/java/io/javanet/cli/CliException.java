package io.javanet.cli;

/** What stops a {@code docker javanet} command, said to the user as it is. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }
}

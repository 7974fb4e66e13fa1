package io.javanet.api;

/** The {@code {}} reply of calls that return nothing but success. */
public record EmptyResponse() {
    public static final EmptyResponse INSTANCE = new EmptyResponse();
}

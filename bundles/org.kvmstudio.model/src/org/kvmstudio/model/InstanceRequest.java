package org.kvmstudio.model;

import java.util.Objects;

/**
 * One SlapOS {@code request(...)} call: which release and software type, under which partition
 * reference, with which parameters, shared or not, in which state, placed by which filter.
 */
public record InstanceRequest(String releaseUri, String reference, String softwareType, Parameters parameters,
        boolean shared, RequestedState state, Filter filter) {

    public static final String DEFAULT_SOFTWARE_TYPE = "default";
    /** Longest reference accepted; SlapOS titles are short, and a reference becomes part of URLs. */
    public static final int MAX_REFERENCE_LENGTH = 200;

    public InstanceRequest {
        Objects.requireNonNull(releaseUri, "software release");
        if (releaseUri.isBlank()) {
            throw new InvalidRequestException("the software release must not be empty");
        }
        checkReference(reference);
        softwareType = softwareType == null || softwareType.isBlank() ? DEFAULT_SOFTWARE_TYPE : softwareType;
        parameters = parameters == null ? Parameters.EMPTY : parameters;
        state = state == null ? RequestedState.STARTED : state;
        filter = filter == null ? Filter.NONE : filter;
    }

    public static InstanceRequest of(String releaseUri, String reference) {
        return new InstanceRequest(releaseUri, reference, null, null, false, null, null);
    }

    public InstanceRequest withSoftwareType(String type) {
        return new InstanceRequest(releaseUri, reference, type, parameters, shared, state, filter);
    }

    public InstanceRequest withParameters(Parameters p) {
        return new InstanceRequest(releaseUri, reference, softwareType, p, shared, state, filter);
    }

    public InstanceRequest withShared(boolean s) {
        return new InstanceRequest(releaseUri, reference, softwareType, parameters, s, state, filter);
    }

    public InstanceRequest withState(RequestedState s) {
        return new InstanceRequest(releaseUri, reference, softwareType, parameters, shared, s, filter);
    }

    public InstanceRequest withFilter(Filter f) {
        return new InstanceRequest(releaseUri, reference, softwareType, parameters, shared, state, f);
    }

    /**
     * References are untrusted text that later ends up in file names, URLs and domain names: they
     * are refused here if empty, too long, or holding control characters or a slash.
     */
    public static void checkReference(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new InvalidRequestException("the partition reference must not be empty");
        }
        if (reference.length() > MAX_REFERENCE_LENGTH) {
            throw new InvalidRequestException("the partition reference is longer than " + MAX_REFERENCE_LENGTH + " characters");
        }
        if (!reference.equals(reference.strip())) {
            throw new InvalidRequestException("the partition reference " + Excerpt.quoted(reference) + " starts or ends with blanks");
        }
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (Character.isISOControl(c) || c == '/' || c == '\\') {
                throw new InvalidRequestException("the partition reference must not contain control characters or slashes");
            }
        }
    }
}

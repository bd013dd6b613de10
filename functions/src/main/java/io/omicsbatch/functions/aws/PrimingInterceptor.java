package io.omicsbatch.functions.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Ends a priming request after the SDK has marshalled, resolved the endpoint of and signed it, before it reaches the
 * HTTP client: the request paths get loaded and compiled, and nothing is sent. Requests without the
 * {@link #PRIMING} attribute pass untouched.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {

    /** Set (to true) on a request through its override configuration to make it a priming request. */
    public static final ExecutionAttribute<Boolean> PRIMING = new ExecutionAttribute<>("omics-batch.priming");

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(PRIMING))) {
            throw new NotSent();
        }
    }

    /** What a priming request ends with (wrapped by the SDK in its own exception). */
    public static final class NotSent extends RuntimeException {
        NotSent() {
            super("priming request: not sent", null, false, false);
        }
    }
}

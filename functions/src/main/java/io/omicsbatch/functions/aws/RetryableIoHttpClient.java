package io.omicsbatch.functions.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An HTTP client that hands connection failures to the SDK as the {@link IOException}s they are.
 *
 * <p>Why: the URL-connection client of SDK 2.40.2 wraps some of them (a kept-alive connection the server already
 * closed: "Unexpected end of file from server") in {@link UncheckedIOException}, which the SDK's retry stage does
 * not catch, so one stale pooled connection fails the call instead of being retried (aws-sdk-java-v2 #2891, #7347).
 * Unwrapped, they go through the client's retry strategy like any other I/O failure; clients without retries
 * (Omics) see an {@code SdkClientException}, which callers classify as retryable.
 */
public final class RetryableIoHttpClient implements SdkHttpClient {

    private final SdkHttpClient delegate;

    public RetryableIoHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                try {
                    return prepared.call();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

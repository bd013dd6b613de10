package io.omicsbatch.functions.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Adds request members the SDK's model does not know yet (for StartRun in SDK 2.40.2: networkingMode,
 * configurationName, engineSettings, scratchStorageMode) to the JSON body the SDK marshalled. The members
 * travel with the request as an execution attribute; the body is rewritten before signing, and its
 * Content-Length with it.
 */
public final class UnmodeledMembersInterceptor implements ExecutionInterceptor {

    /** The members to add, set per request through its override configuration. */
    public static final ExecutionAttribute<ObjectNode> MEMBERS = new ExecutionAttribute<>("omics-batch.unmodeledMembers");
    private static final ExecutionAttribute<byte[]> BODY = new ExecutionAttribute<>("omics-batch.rewrittenBody");

    /** The SDK calls this before {@link #modifyHttpRequest}: the body is rewritten here. */
    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        ObjectNode members = attributes.getAttribute(MEMBERS);
        if (members == null || members.isEmpty() || context.requestBody().isEmpty()) {
            return context.requestBody();
        }
        try (InputStream in = context.requestBody().get().contentStreamProvider().newStream()) {
            ObjectNode body = (ObjectNode) SettingsJson.MAPPER.readTree(in);
            body.setAll(members);
            byte[] rewritten = SettingsJson.MAPPER.writeValueAsBytes(body);
            attributes.putAttribute(BODY, rewritten);
            return Optional.of(RequestBody.fromBytes(rewritten));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add unmodeled members to the request body", e);
        }
    }

    /** ... and this after it: the Content-Length follows the rewritten body. */
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] rewritten = attributes.getAttribute(BODY);
        if (rewritten == null) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder().putHeader("Content-Length", Integer.toString(rewritten.length)).build();
    }
}

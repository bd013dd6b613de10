package io.omicsbatch.functions.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Members the SDK's model does not know yet, both ways. Requests: adds members (for StartRun in SDK 2.40.2:
 * networkingMode, configurationName, engineSettings, scratchStorageMode) to the JSON body the SDK marshalled; they
 * travel with the request as an execution attribute, and the body is rewritten before signing, its Content-Length
 * with it. Responses: copies the named members of a successful JSON response (for GetWorkflow: profiles,
 * profileParameterTemplates) into an object the caller passed with the request, before the SDK unmarshals the
 * rest.
 */
public final class UnmodeledMembersInterceptor implements ExecutionInterceptor {

    /** The members to add, set per request through its override configuration. */
    public static final ExecutionAttribute<ObjectNode> MEMBERS = new ExecutionAttribute<>("omics-batch.unmodeledMembers");
    private static final ExecutionAttribute<byte[]> BODY = new ExecutionAttribute<>("omics-batch.rewrittenBody");
    /** The response members to capture, set per request through its override configuration. */
    public static final ExecutionAttribute<Capture> RESPONSE_MEMBERS = new ExecutionAttribute<>("omics-batch.unmodeledResponseMembers");

    /** Which response members to copy, and the object they are copied into (empty until the response arrives). */
    public record Capture(List<String> names, ObjectNode values) {}

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

    /** The response body is read once here and handed on to the SDK's unmarshaller unchanged. */
    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Capture capture = attributes.getAttribute(RESPONSE_MEMBERS);
        if (capture == null || context.responseBody().isEmpty() || !context.httpResponse().isSuccessful()) {
            return context.responseBody();
        }
        byte[] body;
        try (InputStream in = context.responseBody().get()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the response body", e);
        }
        try {
            JsonNode response = SettingsJson.MAPPER.readTree(body);
            for (String name : capture.names()) {
                if (response != null && response.has(name)) {
                    capture.values().set(name, response.get(name));
                }
            }
        } catch (IOException e) {
            // Not JSON: nothing to capture, and the SDK's unmarshaller reports the body as it always does.
        }
        return Optional.of(new ByteArrayInputStream(body));
    }
}

package io.omicsbatch.functions.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.settings.RunRequest;
import io.omicsbatch.settings.SettingsJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.AccessDeniedException;
import software.amazon.awssdk.services.omics.model.ConflictException;
import software.amazon.awssdk.services.omics.model.InternalServerException;
import software.amazon.awssdk.services.omics.model.RequestTimeoutException;
import software.amazon.awssdk.services.omics.model.ResourceNotFoundException;
import software.amazon.awssdk.services.omics.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.omics.model.StartRunRequest;
import software.amazon.awssdk.services.omics.model.StartRunResponse;
import software.amazon.awssdk.services.omics.model.ThrottlingException;
import software.amazon.awssdk.services.omics.model.ValidationException;

/**
 * StartRun through the SDK's OmicsClient. Members the SDK models are set on its request; the rest
 * ({@link RunRequest#MEMBERS_MISSING_FROM_SDK}) reach the wire through {@link UnmodeledMembersInterceptor},
 * which the client must have registered. The client should not retry: the submit function's own backoff
 * does, and an SDK retry of a throttled StartRun would spend quota behind the pacer's back.
 */
public final class SdkOmicsRuns implements OmicsRuns {

    private final OmicsClient omics;

    public SdkOmicsRuns(OmicsClient omics) {
        this.omics = omics;
    }

    @Override
    public StartedRun startRun(ObjectNode body) {
        StartRunRequest request = toRequest(body);
        try {
            StartRunResponse response = omics.startRun(request);
            return new StartedRun(response.id(), response.arn(), response.uuid(),
                    response.statusAsString() == null ? RunStatus.PENDING : RunStatus.valueOf(response.statusAsString()),
                    response.runOutputUri());
        } catch (ThrottlingException e) {
            throw classified(ErrorKind.THROTTLED, e);
        } catch (ServiceQuotaExceededException e) {
            throw classified(ErrorKind.QUOTA, e);
        } catch (RequestTimeoutException | InternalServerException e) {
            throw classified(ErrorKind.RETRYABLE, e);
        } catch (ConflictException e) {
            throw classified(ErrorKind.CONFLICT, e);
        } catch (ValidationException | AccessDeniedException | ResourceNotFoundException e) {
            throw classified(ErrorKind.FINAL, e);
        } catch (SdkServiceException e) {
            throw new StartRunException(e.statusCode() >= 500 || e.isThrottlingException() ? ErrorKind.RETRYABLE : ErrorKind.FINAL,
                    e.getClass().getSimpleName(), message(e), e);
        } catch (SdkClientException e) {
            // No answer (connection reset, timeout): the run may or may not exist; the same requestId settles it.
            throw new StartRunException(ErrorKind.RETRYABLE, "SdkClientException", e.getMessage(), e);
        }
    }

    /** The SDK request for a complete StartRun body, with the unmodeled members attached for the interceptor. */
    static StartRunRequest toRequest(ObjectNode body) {
        StartRunRequest.Builder builder = StartRunRequest.builder()
                .workflowId(text(body, "workflowId"))
                .workflowType(text(body, "workflowType"))
                .roleArn(text(body, "roleArn"))
                .name(text(body, "name"))
                .cacheId(text(body, "cacheId"))
                .cacheBehavior(text(body, "cacheBehavior"))
                .runGroupId(text(body, "runGroupId"))
                .priority(integer(body, "priority"))
                .storageCapacity(integer(body, "storageCapacity"))
                .outputUri(text(body, "outputUri"))
                .logLevel(text(body, "logLevel"))
                .requestId(text(body, "requestId"))
                .retentionMode(text(body, "retentionMode"))
                .storageType(text(body, "storageType"))
                .workflowOwnerId(text(body, "workflowOwnerId"))
                .workflowVersionName(text(body, "workflowVersionName"));
        if (body.hasNonNull("parameters")) {
            builder.parameters(toDocument(body.get("parameters")));
        }
        if (body.hasNonNull("tags")) {
            Map<String, String> tags = new LinkedHashMap<>();
            body.get("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            builder.tags(tags);
        }
        ObjectNode unmodeled = SettingsJson.MAPPER.createObjectNode();
        for (String member : RunRequest.MEMBERS_MISSING_FROM_SDK) {
            if (body.hasNonNull(member)) {
                unmodeled.set(member, body.get(member));
            }
        }
        if (!unmodeled.isEmpty()) {
            builder.overrideConfiguration(o -> o.putExecutionAttribute(UnmodeledMembersInterceptor.MEMBERS, unmodeled));
        }
        return builder.build();
    }

    static Document toDocument(JsonNode node) {
        if (node.isObject()) {
            Map<String, Document> members = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> members.put(e.getKey(), toDocument(e.getValue())));
            return Document.fromMap(members);
        }
        if (node.isArray()) {
            List<Document> items = new ArrayList<>();
            node.forEach(item -> items.add(toDocument(item)));
            return Document.fromList(items);
        }
        if (node.isTextual()) {
            return Document.fromString(node.textValue());
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
        }
        if (node.isNumber()) {
            return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
        }
        return Document.fromNull();
    }

    private static StartRunException classified(ErrorKind kind, SdkServiceException e) {
        return new StartRunException(kind, e.getClass().getSimpleName(), message(e), e);
    }

    private static String message(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorMessage() != null) {
            return aws.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    private static String text(ObjectNode body, String member) {
        JsonNode value = body.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(ObjectNode body, String member) {
        JsonNode value = body.get(member);
        return value == null || value.isNull() ? null : value.intValue();
    }
}

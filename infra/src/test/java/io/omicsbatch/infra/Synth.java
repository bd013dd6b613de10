package io.omicsbatch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack synthesized for the tests, once per configuration per test JVM (a synth costs seconds): the real
 * app's feature flags, the real functions jar, cdk-nag's AwsSolutions and HIPAA Security packs applied.
 */
final class Synth {

    /** No context at all: what a new user gets. */
    static final Synth DEFAULT = new Synth(Map.of());
    /** Every context key set. */
    static final Synth CONFIGURED = new Synth(Map.ofEntries(
            Map.entry(StackConfig.OMICS_ROLE_ARNS, "arn:aws:iam::123456789012:role/OmicsServiceRole, arn:aws:iam::123456789012:role/lab/omics-*"),
            Map.entry(StackConfig.START_RUN_TPS, "0.5"),
            Map.entry(StackConfig.MAX_ACTIVE_RUNS, "500"),
            Map.entry(StackConfig.RUNS_FILE_LOCATIONS, List.of("s3://lab-cohorts/runs/", "s3://lab-archive")),
            Map.entry(StackConfig.BATCH_EVENT_BUS, "genomics-events"),
            Map.entry(StackConfig.ALARM_EMAIL, "oncall@example.org"),
            Map.entry(StackConfig.NOTIFY_EMAIL, "lab@example.org"),
            Map.entry(StackConfig.NOTIFY_TOPIC_ARN, "arn:aws:sns:us-east-1:123456789012:lab-batches"),
            Map.entry(StackConfig.SUBMIT_MAX_CONCURRENCY, "4"),
            Map.entry(StackConfig.RECONCILE_MINUTES, "10"),
            Map.entry(StackConfig.MAX_ATTEMPTS, "30"),
            Map.entry(StackConfig.MAX_QUOTA_WAIT_HOURS, "12")));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> context;
    private OmicsBatchStack stack;
    private Template template;
    private JsonNode json;
    private Annotations annotations;

    private Synth(Map<String, Object> context) {
        this.context = context;
    }

    synchronized OmicsBatchStack stack() {
        if (stack == null) {
            Map<String, Object> all = new LinkedHashMap<>(cdkJsonContext());
            all.putAll(context);
            App app = OmicsBatchApp.newApp(all);
            stack = OmicsBatchApp.newStack(app, FunctionsJar.locate());
            OmicsBatchApp.applyNag(stack);
        }
        return stack;
    }

    synchronized Template template() {
        if (template == null) {
            template = Template.fromStack(stack());
        }
        return template;
    }

    synchronized Annotations annotations() {
        if (annotations == null) {
            template();
            annotations = Annotations.fromStack(stack());
        }
        return annotations;
    }

    /** cdk.json's context (feature flags): what the CDK CLI gives the app. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = JSON.readValue(repositoryRoot().resolve("cdk.json").toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static java.nio.file.Path repositoryRoot() {
        return FunctionsJar.locate().getParent().getParent().getParent();
    }

    /** The template as JSON, for walking references between resources. */
    synchronized JsonNode json() {
        if (json == null) {
            json = JSON.valueToTree(template().toJSON());
        }
        return json;
    }

    JsonNode resource(String logicalId) {
        JsonNode resource = json().path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new AssertionError("no resource " + logicalId);
        }
        return resource;
    }

    /** Logical id to resource, for every resource of a type. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json().path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().path("Type").asText().equals(type)) {
                out.put(entry.getKey(), entry.getValue());
            }
        }
        return out;
    }

    /** The logical id of a construct's CloudFormation resource. */
    String logicalId(software.constructs.IConstruct construct) {
        return stack().getLogicalId((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
    }

    /** The logical id a {"Ref": id} or {"Fn::GetAtt": [id, ...]} points at. */
    static String target(JsonNode reference) {
        if (reference.has("Ref")) {
            return reference.get("Ref").asText();
        }
        if (reference.has("Fn::GetAtt")) {
            return reference.get("Fn::GetAtt").get(0).asText();
        }
        throw new AssertionError("not a reference: " + reference);
    }

    /** Every logical id referenced anywhere inside a value. */
    static List<String> references(JsonNode value) {
        List<String> out = new ArrayList<>();
        collect(value, out);
        return out;
    }

    private static void collect(JsonNode value, List<String> out) {
        if (value.isObject()) {
            if (value.has("Ref")) {
                out.add(value.get("Ref").asText());
            }
            if (value.has("Fn::GetAtt")) {
                out.add(value.get("Fn::GetAtt").get(0).asText());
            }
            value.forEach(child -> collect(child, out));
        } else if (value.isArray()) {
            value.forEach(child -> collect(child, out));
        }
    }

    static List<String> strings(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> out.add(item.asText()));
        } else if (!value.isMissingNode()) {
            out.add(value.asText());
        }
        return out;
    }
}

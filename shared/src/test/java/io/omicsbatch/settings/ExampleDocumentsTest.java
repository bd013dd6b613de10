package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.model.OmicsModel.Member;
import io.omicsbatch.model.OmicsModel.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example documents in {@code events/} and the JSON Schemas in {@code schema/} at the repository root: the
 * examples are valid for both the schemas and {@link BatchSettingsValidator}, the schemas cannot drift from the
 * service model, and the schemas and the validator agree on documents near the edges of the rules.
 */
class ExampleDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OmicsModel MODEL = OmicsModel.get();

    private static final Path ROOT = repoRoot();
    private static final Path EVENTS = ROOT.resolve("events");
    private static final Path SCHEMAS = ROOT.resolve("schema");

    private static final String BATCH_SCHEMA_ID = "https://omics-batch.dev/schema/batch-settings.schema.json";
    private static final String RUNS_SCHEMA_ID = "https://omics-batch.dev/schema/run-settings.schema.json";
    private static final String META_SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema";

    /** The $ids are mapped to the local files, so nothing is ever fetched. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(Map.of(
                    BATCH_SCHEMA_ID, read(SCHEMAS.resolve("batch-settings.schema.json")),
                    RUNS_SCHEMA_ID, read(SCHEMAS.resolve("run-settings.schema.json")))));
    private static final Schema BATCH_SCHEMA = REGISTRY.getSchema(SchemaLocation.of(BATCH_SCHEMA_ID));
    private static final Schema RUNS_SCHEMA = REGISTRY.getSchema(SchemaLocation.of(RUNS_SCHEMA_ID));

    /** The model patterns, as the schemas write them (ECMA-262, anchored). A new model pattern must be added. */
    private static final Map<String, String> SCHEMA_PATTERNS = Map.of(
            "[0-9]+", "^[0-9]+$",
            "[0-9]{12}", "^[0-9]{12}$",
            "[\\p{L}||\\p{M}||\\p{Z}||\\p{S}||\\p{N}||\\p{P}]+", "^[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]+$",
            "[A-Za-z0-9][A-Za-z0-9\\-\\._]*", "^[A-Za-z0-9][A-Za-z0-9._-]*$");
    /** Members whose schema pattern also carries a batch rule; their behaviour is checked by the agreement tests. */
    private static final Set<String> BATCH_RULE_PATTERNS = Set.of("roleArn", "outputUri", "s3UriSettings");

    // ---- the example documents ---------------------------------------------------------------------------------

    static Stream<Path> settingsDocuments() throws IOException {
        List<Path> documents = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(EVENTS, "batch-settings*.json")) {
            dir.forEach(documents::add);
        }
        assertThat(documents).extracting(p -> p.getFileName().toString())
                .contains("batch-settings.json", "batch-settings-s3.json");
        return documents.stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsDocuments")
    void everySettingsDocumentIsValidForTheSchemaAndTheValidator(Path document) throws IOException {
        String text = read(document);
        assertThat(schemaErrors(BATCH_SCHEMA, text)).as("schema errors in %s", document).isEmpty();
        try (InputStream in = Files.newInputStream(document)) {
            BatchSettingsValidator.DocumentResult result = new BatchSettingsValidator().validateDocument(in);
            assertThat(result.errors().list()).as("validator errors in %s", document).isEmpty();
            assertThat(result.isValid()).isTrue();
            assertThat(result.settings()).isNotNull();
        }
    }

    @Test
    void theInlineExampleIsTheBatchTheExamplesDescribe() throws IOException {
        BatchSettings settings = new BatchSettingsValidator().validateDocument(read(EVENTS.resolve("batch-settings.json")))
                .settings();
        assertThat(settings.requestId()).as("the inline example identifies its batch by its S3 object").isNull();
        assertThat(settings.isInline()).isTrue();
        assertThat(settings.batchRunSettings().inlineSettings()).hasSize(24);
        assertThat(settings.defaultRunSetting().workflowId()).isEqualTo("1234567");
    }

    @Test
    void theRunsFileIsValidForTheSchemaAndTheValidatorWithItsDocumentsDefaults() throws IOException {
        BatchSettingsValidator validator = new BatchSettingsValidator();
        BatchSettingsValidator.DocumentResult document = validator.validateDocument(read(EVENTS.resolve("batch-settings-s3.json")));
        assertThat(document.errors().list()).isEmpty();
        assertThat(document.settings().isInline()).isFalse();
        assertThat(document.settings().requestId()).isNotBlank();
        assertThat(document.settings().batchRunSettings().s3UriSettings()).endsWith("/runs.json");

        Path runs = EVENTS.resolve("runs.json");
        assertThat(schemaErrors(RUNS_SCHEMA, read(runs))).isEmpty();
        try (InputStream in = Files.newInputStream(runs)) {
            BatchSettingsValidator.RunsFileResult result = validator.validateRunsFile(in, document.mergeBase());
            assertThat(result.errors().list()).isEmpty();
            assertThat(result.entries()).isBetween(10, 14);
        }
    }

    /** Every run's merged parameters are exactly what the simulator's workflow accepts: all required, no unknown. */
    @Test
    void everyExampleRunHasTheParametersOfTheSimulatedWorkflow() throws IOException {
        JsonNode sim = JSON.readTree(EVENTS.resolve("sim.json").toFile());
        assertThat(fieldNames(sim)).isSubsetOf("seed", "startRunTps", "maxActiveRuns", "runDurationMillis", "failRate",
                "workflows", "faults", "lambdaFaults");
        JsonNode template = sim.at("/workflows/1234567/parameterTemplate");
        assertThat(template.isObject()).isTrue();
        Set<String> all = fieldNames(template);
        Set<String> required = new TreeSet<>();
        template.fields().forEachRemaining(e -> {
            assertThat(e.getValue().path("optional").isBoolean()).as("optional of %s", e.getKey()).isTrue();
            if (!e.getValue().path("optional").booleanValue()) {
                required.add(e.getKey());
            }
        });
        assertThat(required).containsExactlyInAnyOrder("ref_fasta", "sample_id", "fastq_r1", "fastq_r2");

        int runs = 0;
        for (String[] pair : new String[][] {{"batch-settings.json", null}, {"batch-settings-s3.json", "runs.json"}}) {
            JsonNode document = JSON.readTree(EVENTS.resolve(pair[0]).toFile());
            assertThat(document.at("/defaultRunSetting/workflowId").textValue()).isEqualTo("1234567");
            JsonNode entries = pair[1] == null ? document.at("/batchRunSettings/inlineSettings")
                    : JSON.readTree(EVENTS.resolve(pair[1]).toFile());
            Set<String> defaults = fieldNames(document.at("/defaultRunSetting/parameters"));
            for (JsonNode entry : entries) {
                Set<String> merged = new TreeSet<>(defaults);
                merged.addAll(fieldNames(entry.path("parameters")));
                assertThat(merged).as("parameters of %s", entry.path("runSettingId").textValue())
                        .containsAll(required).isSubsetOf(all);
                assertThat(entry.at("/parameters/sample_id").textValue()).isEqualTo(entry.path("runSettingId").textValue());
                runs++;
            }
        }
        assertThat(runs).isGreaterThanOrEqualTo(34);
    }

    /** The AWS-format samples agree with each other and with the documents they point at. */
    @Test
    void theAwsSamplesAreConsistent() throws Exception {
        JsonNode s3Event = JSON.readTree(EVENTS.resolve("s3-object-created.json").toFile());
        JsonNode record = s3Event.at("/Records/0");
        assertThat(record.path("eventSource").textValue()).isEqualTo("aws:s3");
        assertThat(record.path("eventName").textValue()).isEqualTo("ObjectCreated:Put");
        assertThat(record.at("/s3/bucket/name").textValue()).isEqualTo("omics-batch-settings-123456789012-us-east-1");
        assertThat(record.at("/s3/object/key").textValue()).isEqualTo("batches/batch-settings.json");
        byte[] settings = Files.readAllBytes(EVENTS.resolve("batch-settings.json"));
        assertThat(record.at("/s3/object/size").asLong()).isEqualTo(settings.length);
        assertThat(record.at("/s3/object/eTag").textValue()).isEqualTo(md5(settings));
        assertThat(record.at("/s3/object/versionId").textValue()).isNotBlank();
        assertThat(record.at("/s3/object/sequencer").textValue()).isNotBlank();

        JsonNode sqs = JSON.readTree(EVENTS.resolve("sqs-s3-notification.json").toFile());
        assertSqsRecord(sqs);
        assertThat(JSON.readTree(sqs.at("/Records/0/body").textValue())).isEqualTo(s3Event);

        JsonNode test = JSON.readTree(EVENTS.resolve("s3-test-event.json").toFile());
        assertSqsRecord(test);
        JsonNode testBody = JSON.readTree(test.at("/Records/0/body").textValue());
        assertThat(testBody.path("Event").textValue()).isEqualTo("s3:TestEvent");
        assertThat(testBody.path("Service").textValue()).isEqualTo("Amazon S3");
        assertThat(testBody.has("Records")).isFalse();

        JsonNode status = JSON.readTree(EVENTS.resolve("run-status-change.json").toFile());
        assertThat(status.path("version").textValue()).isEqualTo("0");
        assertThat(status.path("detail-type").textValue()).isEqualTo("Run Status Change");
        assertThat(status.path("source").textValue()).isEqualTo("aws.omics");
        JsonNode detail = status.path("detail");
        assertThat(fieldNames(detail)).containsExactlyInAnyOrder("omicsVersion", "arn", "status", "uuid", "runId",
                "runName", "runOutputUri", "workflowId", "workflowName");
        assertThat(detail.path("status").textValue()).isEqualTo("COMPLETED");
        assertThat(detail.path("arn").textValue()).isEqualTo("arn:aws:omics:" + status.path("region").textValue() + ":"
                + status.path("account").textValue() + ":run/" + detail.path("runId").textValue());
        assertThat(status.path("resources")).containsExactly(detail.path("arn"));
        JsonNode run = findInlineRun(detail.path("runName").textValue());
        assertThat(detail.path("runOutputUri").textValue())
                .isEqualTo(run.path("outputUri").textValue() + detail.path("runId").textValue());
    }

    // ---- the schemas ---------------------------------------------------------------------------------------------

    @Test
    void theSchemasAreValidDraft202012Schemas() {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA_ID));
        for (String file : List.of("batch-settings.schema.json", "run-settings.schema.json")) {
            assertThat(schemaErrors(meta, read(SCHEMAS.resolve(file)))).as(file).isEmpty();
        }
        assertThat(schemaNode("batch-settings").path("$id").textValue()).isEqualTo(BATCH_SCHEMA_ID);
        assertThat(schemaNode("run-settings").path("$id").textValue()).isEqualTo(RUNS_SCHEMA_ID);
    }

    /** Each schema stands alone for an editor: no reference leaves its file. */
    @Test
    void theSchemasAreSelfContained() {
        for (String name : List.of("batch-settings", "run-settings")) {
            JsonNode schema = schemaNode(name);
            for (JsonNode ref : schema.findValues("$ref")) {
                assertThat(ref.textValue()).as("$ref in %s", name).startsWith("#/$defs/");
                assertThat(schema.at(ref.textValue().substring(1)).isMissingNode()).as(ref.textValue()).isFalse();
            }
        }
        JsonNode batchDefs = schemaNode("batch-settings").path("$defs");
        JsonNode runsDefs = schemaNode("run-settings").path("$defs");
        runsDefs.fieldNames().forEachRemaining(name ->
                assertThat(runsDefs.get(name)).as("$defs/%s is the same in both schemas", name).isEqualTo(batchDefs.get(name)));
    }

    @Test
    void theSchemasCannotDriftFromTheModel() {
        JsonNode batch = schemaNode("batch-settings");
        JsonNode runs = schemaNode("run-settings");
        List<String> problems = new ArrayList<>();

        Shape request = MODEL.shape("StartRunBatchRequest");
        List<String> requestRequired = new ArrayList<>(request.required());
        requestRequired.remove("requestId"); // our one deliberate difference from StartRunBatch
        checkShape(request, batch, batch, requestRequired, problems);
        checkShape(MODEL.shape("DefaultRunSetting"), batch, batch.at("/$defs/DefaultRunSetting"),
                MODEL.shape("DefaultRunSetting").required(), problems);
        checkShape(MODEL.shape("BatchRunSettings"), batch, batch.at("/$defs/BatchRunSettings"), List.of(), problems);
        for (JsonNode schema : List.of(batch, runs)) {
            checkShape(MODEL.shape("InlineSetting"), schema, schema.at("/$defs/InlineSetting"),
                    MODEL.shape("InlineSetting").required(), problems);
        }
        assertThat(problems).isEmpty();

        assertThat(runs.path("type").textValue()).isEqualTo("array");
        assertThat(runs.path("minItems").asLong()).isEqualTo(1);
        assertThat(runs.path("maxItems").asLong()).isEqualTo(BatchSettingsValidator.MAX_RUNS_FILE_ENTRIES);
        assertThat(runs.at("/items/$ref").textValue()).isEqualTo("#/$defs/InlineSetting");
        assertThat(batch.at("/$defs/BatchRunSettings/oneOf").size()).isEqualTo(2);
        assertThat(batch.at("/$defs/DefaultRunSetting/properties/workflowType/not/const").textValue()).isEqualTo("READY2RUN");
    }

    private static void checkShape(Shape shape, JsonNode root, JsonNode node, List<String> required, List<String> problems) {
        String where = shape.name();
        if (!node.isObject()) {
            problems.add(where + ": no schema");
            return;
        }
        Set<String> expected = new TreeSet<>(shape.members().keySet());
        expected.removeAll(BatchRules.REJECTED_IN_BATCH.keySet());
        if (!new TreeSet<>(fieldNames(node.path("properties"))).equals(expected)) {
            problems.add(where + ": properties " + new TreeSet<>(fieldNames(node.path("properties"))) + " != model " + expected);
        }
        if (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").booleanValue()) {
            problems.add(where + ": additionalProperties must be false (unknown members are errors)");
        }
        Set<String> schemaRequired = new TreeSet<>();
        node.path("required").forEach(n -> schemaRequired.add(n.textValue()));
        if (!schemaRequired.equals(new TreeSet<>(required))) {
            problems.add(where + ": required " + schemaRequired + " != " + new TreeSet<>(required));
        }
        for (Member member : shape.members().values()) {
            JsonNode declared = node.path("properties").path(member.name());
            if (declared.isMissingNode()) {
                continue;
            }
            checkMember(where + "." + member.name(), member, !required.contains(member.name()), root, declared, problems);
        }
    }

    private static void checkMember(String where, Member member, boolean optional, JsonNode root, JsonNode declared,
                                    List<String> problems) {
        if (declared.path("description").asText("").isBlank()) {
            problems.add(where + ": no description");
        }
        JsonNode schema = flatten(resolve(root, declared));
        Set<String> types = types(schema);
        String jsonType = switch (member.type()) {
            case "string" -> "string";
            case "integer" -> "integer";
            case "map", "structure" -> "object";
            case "list" -> "array";
            default -> "?" + member.type();
        };
        if (!types.contains(jsonType)) {
            problems.add(where + ": type " + types + " lacks " + jsonType);
        }
        if (types.contains("null") != optional) {
            problems.add(where + ": null must be allowed exactly when the member is optional (null counts as absent)");
        }
        switch (member.type()) {
            case "string" -> {
                same(problems, where + " minLength", member.min(), schema.get("minLength"));
                same(problems, where + " maxLength", member.max(), schema.get("maxLength"));
                if (member.enumValues() != null) {
                    List<String> values = new ArrayList<>();
                    boolean hasNull = false;
                    for (JsonNode value : schema.path("enum")) {
                        if (value.isNull()) {
                            hasNull = true;
                        } else {
                            values.add(value.textValue());
                        }
                    }
                    if (!values.equals(member.enumValues())) {
                        problems.add(where + ": enum " + values + " != model " + member.enumValues());
                    }
                    if (hasNull != optional) {
                        problems.add(where + ": enum must list null exactly when the member is optional");
                    }
                } else if (member.pattern() != null) {
                    String pattern = schema.path("pattern").asText(null);
                    String expected = SCHEMA_PATTERNS.get(member.pattern());
                    if (BATCH_RULE_PATTERNS.contains(member.name())) {
                        if (pattern == null || !pattern.startsWith("^") || !pattern.endsWith("$")) {
                            problems.add(where + ": needs an anchored pattern, got " + pattern);
                        }
                    } else if (expected == null) {
                        problems.add(where + ": model pattern " + member.pattern() + " has no schema pattern yet");
                    } else if (!expected.equals(pattern)) {
                        problems.add(where + ": pattern " + pattern + " != " + expected);
                    }
                } else if (schema.has("pattern")) {
                    problems.add(where + ": pattern without a model pattern");
                }
            }
            case "integer" -> {
                same(problems, where + " minimum", member.min(), schema.get("minimum"));
                same(problems, where + " maximum", member.max(), schema.get("maximum"));
            }
            case "map" -> {
                same(problems, where + " key minLength", member.key().min(), schema.at("/propertyNames/minLength"));
                same(problems, where + " key maxLength", member.key().max(), schema.at("/propertyNames/maxLength"));
                same(problems, where + " value minLength", member.value().min(), schema.at("/additionalProperties/minLength"));
                same(problems, where + " value maxLength", member.value().max(), schema.at("/additionalProperties/maxLength"));
                if (!"string".equals(schema.at("/additionalProperties/type").textValue())) {
                    problems.add(where + ": tag values must be strings");
                }
                long maxTags = member.name().equals("runTags") ? BatchRules.MAX_TAGS - TrackingTags.COUNT : BatchRules.MAX_TAGS;
                same(problems, where + " maxProperties", maxTags, schema.get("maxProperties"));
                if (!schema.at("/propertyNames/not").isObject()) {
                    problems.add(where + ": tag keys need the reserved-prefix rule");
                }
            }
            case "list" -> {
                same(problems, where + " minItems", member.min(), schema.get("minItems"));
                same(problems, where + " maxItems", member.max(), schema.get("maxItems"));
                if (!("#/$defs/" + member.listMember()).equals(schema.at("/items/$ref").textValue())) {
                    problems.add(where + ": items must be #/$defs/" + member.listMember());
                }
            }
            case "structure" -> {
                JsonNode ref = declared.get("$ref");
                if (ref != null && !("#/$defs/" + member.shape()).equals(ref.textValue())) {
                    problems.add(where + ": $ref " + ref.textValue() + " does not name the model shape " + member.shape());
                }
            }
            default -> problems.add(where + ": unexpected model type " + member.type());
        }
    }

    private static void same(List<String> problems, String what, Long model, JsonNode schema) {
        Long declared = schema == null || schema.isMissingNode() ? null : schema.asLong();
        if (!java.util.Objects.equals(model, declared)) {
            problems.add(what + ": schema " + declared + " != model " + model);
        }
    }

    /** A property with its local {@code $ref} merged in (its own keywords win). */
    private static JsonNode resolve(JsonNode root, JsonNode declared) {
        JsonNode ref = declared.get("$ref");
        if (ref == null) {
            return declared;
        }
        ObjectNode merged = ((ObjectNode) root.at(ref.textValue().substring(1))).deepCopy();
        declared.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        merged.remove("$ref");
        return merged;
    }

    /**
     * A nullable member written as {@code anyOf: [{constraints}, {type: null}]} (see the schemas' $comment) as if it
     * were written with a type array: the branches' types united, the non-null branch's keywords merged in.
     */
    private static JsonNode flatten(JsonNode schema) {
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf == null) {
            return schema;
        }
        ObjectNode flat = ((ObjectNode) schema).deepCopy();
        flat.remove("anyOf");
        ArrayNode type = flat.putArray("type");
        for (JsonNode branch : anyOf) {
            types(branch).forEach(type::add);
            branch.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("type")) {
                    flat.set(e.getKey(), e.getValue());
                }
            });
        }
        return flat;
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new TreeSet<>();
        JsonNode type = schema.path("type");
        if (type.isTextual()) {
            types.add(type.textValue());
        } else {
            type.forEach(t -> types.add(t.textValue()));
        }
        return types;
    }

    // ---- the schemas and the validator agree -----------------------------------------------------------------

    private static final String BASE = """
            {"defaultRunSetting": {"workflowId": "1234567",
                                   "roleArn": "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole",
                                   "outputUri": "s3://omics-batch-example-results/out/"},
             "batchRunSettings": {"inlineSettings": [{"runSettingId": "NA12878"}]}}
            """;

    static Stream<Arguments> documents() {
        List<Arguments> cases = new ArrayList<>();
        // clearly invalid
        add(cases, false, "unknown top-level member", d -> d.put("batchname", "x"));
        add(cases, false, "unknown member in defaultRunSetting", d -> defaults(d).put("outputURI", "s3://bucket-a/"));
        add(cases, false, "unknown member in a run setting", d -> run(d).put("sampleId", "NA12878"));
        add(cases, false, "unknown member in batchRunSettings", d -> runSettings(d).put("inline", 1));
        add(cases, false, "$schema is an unknown member", d -> d.put("$schema", "../schema/batch-settings.schema.json"));
        add(cases, false, "bad enum (case)", d -> defaults(d).put("logLevel", "all"));
        add(cases, false, "bad enum", d -> defaults(d).put("storageType", "ELASTIC"));
        add(cases, false, "READY2RUN", d -> defaults(d).put("workflowType", "READY2RUN"));
        add(cases, false, "runId in defaultRunSetting", d -> defaults(d).put("runId", "1234567"));
        add(cases, false, "runId in a run setting", d -> run(d).put("runId", "1234567"));
        add(cases, false, "priority above range", d -> defaults(d).put("priority", 100001));
        add(cases, false, "priority below range", d -> run(d).put("priority", -1));
        add(cases, false, "storageCapacity a string", d -> defaults(d).put("storageCapacity", "1200"));
        add(cases, false, "both inline and s3 settings", d -> runSettings(d).put("s3UriSettings", "s3://bucket-a/runs.json"));
        add(cases, false, "neither inline nor s3 settings", d -> runSettings(d).remove("inlineSettings"));
        add(cases, false, "both null", d -> runSettings(d).putNull("inlineSettings").putNull("s3UriSettings"));
        add(cases, false, "no inline settings", d -> runSettings(d).putArray("inlineSettings"));
        add(cases, false, "101 inline settings", d -> {
            ArrayNode inline = runSettings(d).putArray("inlineSettings");
            for (int i = 0; i < 101; i++) {
                inline.addObject().put("runSettingId", "s" + i);
            }
        });
        add(cases, false, "a null run setting", d -> ((ArrayNode) runSettings(d).get("inlineSettings")).addNull());
        add(cases, false, "missing defaultRunSetting", d -> d.remove("defaultRunSetting"));
        add(cases, false, "null defaultRunSetting", d -> d.putNull("defaultRunSetting"));
        add(cases, false, "missing workflowId", d -> defaults(d).remove("workflowId"));
        add(cases, false, "null roleArn", d -> defaults(d).putNull("roleArn"));
        add(cases, false, "workflowId not numeric", d -> defaults(d).put("workflowId", "wf-1234567"));
        add(cases, false, "workflowId too long", d -> defaults(d).put("workflowId", "1234567890123456789"));
        add(cases, false, "workflowOwnerId 11 digits", d -> defaults(d).put("workflowOwnerId", "12345678901"));
        add(cases, false, "outputBucketOwnerId 13 digits", d -> run(d).put("outputBucketOwnerId", "1234567890123"));
        add(cases, false, "workflowVersionName starts with '-'", d -> defaults(d).put("workflowVersionName", "-v1"));
        add(cases, false, "missing runSettingId", d -> run(d).remove("runSettingId"));
        add(cases, false, "runSettingId with a control character", d -> run(d).put("runSettingId", "NA\u000712878"));
        add(cases, false, "parameters not an object", d -> defaults(d).putArray("parameters"));
        add(cases, false, "engineSettings not an object", d -> run(d).put("engineSettings", "profile=aws"));
        add(cases, false, "no outputUri anywhere", d -> defaults(d).remove("outputUri"));
        add(cases, false, "null outputUri in defaults, none in the run", d -> defaults(d).putNull("outputUri"));
        add(cases, false, "51 batch tags", d -> tags(d.putObject("tags"), 51));
        add(cases, false, "49 default runTags", d -> tags(defaults(d).putObject("runTags"), 49));
        add(cases, false, "49 runTags in a run", d -> tags(run(d).putObject("runTags"), 49));
        add(cases, false, "tag value not a string", d -> d.putObject("tags").put("project", 1));
        add(cases, false, "tag value null", d -> d.putObject("tags").putNull("project"));
        add(cases, false, "tag value too long", d -> d.putObject("tags").put("project", "x".repeat(257)));
        add(cases, false, "batchName too long", d -> d.put("batchName", "b".repeat(65)));
        add(cases, false, "requestId empty", d -> d.put("requestId", ""));
        add(cases, false, "document not an object", d -> {
            throw new ReplaceDocument("[]");
        });
        // valid, near the edges
        add(cases, true, "the base document", d -> {});
        add(cases, true, "null optional members", d -> {
            d.putNull("batchName").putNull("requestId").putNull("tags");
            defaults(d).putNull("workflowType").putNull("priority").putNull("parameters").putNull("runTags")
                    .putNull("logLevel").putNull("engineSettings");
            run(d).putNull("name").putNull("outputUri").putNull("runTags").putNull("priority");
            runSettings(d).putNull("s3UriSettings");
        });
        add(cases, true, "every member set", d -> {
            d.put("batchName", "wgs 🧬 cohort").put("requestId", "req-1");
            defaults(d).put("workflowType", "PRIVATE").put("name", "run").put("cacheId", "1234567")
                    .put("cacheBehavior", "CACHE_ALWAYS").put("runGroupId", "7654321").put("priority", 100000)
                    .put("storageCapacity", 0).put("logLevel", "OFF").put("retentionMode", "RETAIN")
                    .put("storageType", "STATIC").put("workflowOwnerId", "210987654321")
                    .put("outputBucketOwnerId", "123456789012").put("workflowVersionName", "v1.4_0-rc.1")
                    .put("networkingMode", "VPC").put("configurationName", "vpc-config_1")
                    .put("scratchStorageMode", "SHARED");
            defaults(d).putObject("engineSettings").put("profile", "aws");
            run(d).put("name", "NA12878").put("priority", 0).put("outputBucketOwnerId", "123456789012")
                    .putObject("engineSettings").putArray("profiles").add("a");
        });
        add(cases, true, "no default outputUri, every run has one", d -> {
            defaults(d).remove("outputUri");
            run(d).put("outputUri", "s3://bucket-a");
        });
        add(cases, true, "s3UriSettings instead of inline", d -> {
            runSettings(d).remove("inlineSettings");
            runSettings(d).put("s3UriSettings", "s3://bucket-a/batches/runs.json");
            defaults(d).remove("outputUri"); // each run in the file must then have one, checked with the file
        });
        add(cases, true, "100 inline settings", d -> {
            ArrayNode inline = runSettings(d).putArray("inlineSettings");
            for (int i = 0; i < 100; i++) {
                inline.addObject().put("runSettingId", "s" + i);
            }
        });
        add(cases, true, "50 batch tags, 48 runTags", d -> {
            tags(d.putObject("tags"), 50);
            tags(defaults(d).putObject("runTags"), 48);
            tags(run(d).putObject("runTags"), 48);
        });
        add(cases, true, "empty tag value, 128-character key", d -> d.putObject("tags").put("k".repeat(128), ""));
        add(cases, true, "64 code points of emoji in batchName", d -> d.put("batchName", "🧬".repeat(64)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void theSchemaAndTheValidatorAgreeOnDocuments(String name, String json, boolean valid) {
        assertAgreement(name, json, valid);
    }

    static Stream<Arguments> strings() {
        List<Arguments> cases = new ArrayList<>();
        String longBucket = "b".repeat(63);
        for (String uri : List.of("s3://bucket-a", "s3://bucket-a/", "s3://bucket-a/a/b/", "s3://my.bucket.name/x",
                "s3://abc", "s3://" + longBucket + "/x", "s3://bucket-a/ü key with spaces/", "s3://bucket-a//x",
                "s3://1bucket/", "s3://bucket-a/x\u2028y")) {
            addOutputUri(cases, uri, true);
        }
        for (String uri : List.of("", "https://bucket-a/x", "S3://bucket-a/", "s3://", "s3:///x", "s3://ab",
                "s3://" + longBucket + "b", "s3://My-Bucket/x", "s3://my_bucket/x", "s3://-bucket/", "s3://bucket-/",
                "s3://my..bucket/", "s3://192.168.1.10/x", "s3://xn--bucket/", "s3://sthree-bucket",
                "s3://amzn-s3-demo-bucket/", "s3://bucket-s3alias/", "s3://bucket--ol-s3", "s3://bucket.mrap/",
                "s3://bucket--x-s3/", "s3://bucket--table-s3", "s3://bucket-a/key\twith-tab",
                "s3://bucket-a/line\n", "s3://bucket-a\n", "s3://bucket-a/" + "k".repeat(737))) {
            addOutputUri(cases, uri, false);
        }
        for (String uri : List.of("s3://bucket-a/runs.json", "s3://bucket-a/a/b/runs.json", "s3://bucket-a//x")) {
            addS3UriSettings(cases, uri, true);
        }
        for (String uri : List.of("s3://bucket-a", "s3://bucket-a/", "s3://bucket-a/prefix/", "s3://bucket-a//",
                "s3://Bucket/runs.json", "s3://bucket..a/runs.json", "s3://10.0.0.1/runs.json", "s3://bucket-a/runs.json\n",
                "https://bucket-a/runs.json")) {
            addS3UriSettings(cases, uri, false);
        }
        for (String arn : List.of("arn:aws:iam::123456789012:role/R", "arn:aws-cn:iam::123456789012:role/service-role/R+=,.@-_1",
                "arn:aws-us-gov:iam::123456789012:role/a/b/c")) {
            addRoleArn(cases, arn, true);
        }
        for (String arn : List.of("arn:aws:iam::123456789012:user/R", "arn:aws:iam::12345678901:role/R",
                "arn:aws:sts::123456789012:assumed-role/R/s", "role/R", "arn:aws:iam::123456789012:role/",
                "arn:aws:iam::123456789012:role/R S", "arn:aws:iam::123456789012:role/" + "r".repeat(98),
                "arn:aws:iam::123456789012:role/R\n", "arn:AWS:iam::123456789012:role/R")) {
            addRoleArn(cases, arn, false);
        }
        for (String key : List.of("project", "awsome", "OMICS-BATCH:x", "omics-batch", "k".repeat(128))) {
            addTagKey(cases, key, true, true);
        }
        for (String key : List.of("aws:x", "AWS:x", "aWs:x", "", "k".repeat(129))) {
            addTagKey(cases, key, false, false);
        }
        addTagKey(cases, "omics-batch:batchId", true, false);
        addTagKey(cases, "omics-batch:", true, false);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strings")
    void theSchemaAndTheValidatorAgreeOnStrings(String name, String json, boolean valid) {
        assertAgreement(name, json, valid);
    }

    static Stream<Arguments> runsFiles() {
        return Stream.of(
                Arguments.of("an empty array", "[]", false),
                Arguments.of("not an array", "{\"runSettingId\": \"a\"}", false),
                Arguments.of("an unknown member", "[{\"runSettingId\": \"a\", \"sample\": \"x\"}]", false),
                Arguments.of("runId", "[{\"runSettingId\": \"a\", \"runId\": \"1234567\"}]", false),
                Arguments.of("priority out of range", "[{\"runSettingId\": \"a\", \"priority\": 100001}]", false),
                Arguments.of("a reserved run tag", "[{\"runSettingId\": \"a\", \"runTags\": {\"omics-batch:x\": \"1\"}}]", false),
                Arguments.of("a bucket outputUri", "[{\"runSettingId\": \"a\", \"outputUri\": \"s3://Bucket\"}]", false),
                Arguments.of("a null entry", "[null]", false),
                Arguments.of("one minimal run", "[{\"runSettingId\": \"a\"}]", true),
                Arguments.of("null members", "[{\"runSettingId\": \"a\", \"name\": null, \"parameters\": null}]", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runsFiles")
    void theSchemaAndTheValidatorAgreeOnRunsFiles(String name, String json, boolean valid) throws IOException {
        MergeBase base = new BatchSettingsValidator().validateDocument(BASE).mergeBase();
        List<String> schemaErrors = schemaErrors(RUNS_SCHEMA, json);
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator()
                .validateRunsFile(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), base);
        assertThat(schemaErrors.isEmpty()).as("schema says %s: %s", valid ? "valid" : "invalid", schemaErrors).isEqualTo(valid);
        assertThat(result.isValid()).as("validator says %s: %s", valid ? "valid" : "invalid", result.errors().list())
                .isEqualTo(valid);
    }

    private static void assertAgreement(String name, String json, boolean valid) {
        List<String> schemaErrors = schemaErrors(BATCH_SCHEMA, json);
        BatchSettingsValidator.DocumentResult result = new BatchSettingsValidator().validateDocument(json);
        assertThat(schemaErrors.isEmpty()).as("%s: the schema should find it %s; errors %s", name,
                valid ? "valid" : "invalid", schemaErrors).isEqualTo(valid);
        assertThat(result.isValid()).as("%s: the validator should find it %s; errors %s", name,
                valid ? "valid" : "invalid", result.errors().list()).isEqualTo(valid);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Thrown by a mutation that replaces the whole document. */
    private static final class ReplaceDocument extends RuntimeException {
        ReplaceDocument(String json) {
            super(json);
        }
    }

    private static void add(List<Arguments> cases, boolean valid, String name, Consumer<ObjectNode> mutation) {
        ObjectNode document;
        try {
            document = (ObjectNode) JSON.readTree(BASE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String json;
        try {
            mutation.accept(document);
            json = document.toString();
        } catch (ReplaceDocument replaced) {
            json = replaced.getMessage();
        }
        cases.add(Arguments.of(name, json, valid));
    }

    private static void addOutputUri(List<Arguments> cases, String uri, boolean valid) {
        add(cases, valid, "outputUri " + printable(uri), d -> defaults(d).put("outputUri", uri));
        add(cases, valid, "run outputUri " + printable(uri), d -> run(d).put("outputUri", uri));
    }

    private static void addS3UriSettings(List<Arguments> cases, String uri, boolean valid) {
        add(cases, valid, "s3UriSettings " + printable(uri), d -> {
            runSettings(d).remove("inlineSettings");
            runSettings(d).put("s3UriSettings", uri);
        });
    }

    private static void addRoleArn(List<Arguments> cases, String arn, boolean valid) {
        add(cases, valid, "roleArn " + printable(arn), d -> defaults(d).put("roleArn", arn));
    }

    private static void addTagKey(List<Arguments> cases, String key, boolean validForBatch, boolean validForRuns) {
        add(cases, validForBatch, "batch tag key " + printable(key), d -> d.putObject("tags").put(key, "v"));
        add(cases, validForRuns, "default runTags key " + printable(key), d -> defaults(d).putObject("runTags").put(key, "v"));
        add(cases, validForRuns, "run runTags key " + printable(key), d -> run(d).putObject("runTags").put(key, "v"));
    }

    private static String printable(String s) {
        String shown = s.length() > 40 ? s.substring(0, 37) + "...(" + s.length() + ")" : s;
        return "\"" + shown.replace("\n", "\\n").replace("\t", "\\t").replace("\u2028", "\\u2028")
                .replace("\u0007", "\\u0007") + "\"";
    }

    private static ObjectNode defaults(ObjectNode document) {
        return (ObjectNode) document.get("defaultRunSetting");
    }

    private static ObjectNode runSettings(ObjectNode document) {
        return (ObjectNode) document.get("batchRunSettings");
    }

    private static ObjectNode run(ObjectNode document) {
        return (ObjectNode) runSettings(document).get("inlineSettings").get(0);
    }

    private static void tags(ObjectNode tags, int count) {
        for (int i = 0; i < count; i++) {
            tags.put("key-" + i, "value-" + i);
        }
    }

    private static JsonNode findInlineRun(String runName) throws IOException {
        JsonNode inline = JSON.readTree(EVENTS.resolve("batch-settings.json").toFile()).at("/batchRunSettings/inlineSettings");
        for (JsonNode run : inline) {
            if (runName.equals(run.path("name").textValue())) {
                return run;
            }
        }
        return fail("no inline run named " + runName);
    }

    private static void assertSqsRecord(JsonNode event) throws Exception {
        assertThat(event.path("Records").size()).isEqualTo(1);
        JsonNode record = event.at("/Records/0");
        assertThat(fieldNames(record)).containsExactlyInAnyOrder("messageId", "receiptHandle", "body", "attributes",
                "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion");
        assertThat(fieldNames(record.path("attributes"))).containsExactlyInAnyOrder("ApproximateReceiveCount",
                "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        assertThat(record.path("eventSource").textValue()).isEqualTo("aws:sqs");
        assertThat(record.path("md5OfBody").textValue())
                .isEqualTo(md5(record.path("body").textValue().getBytes(StandardCharsets.UTF_8)));
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static List<String> schemaErrors(Schema schema, String json) {
        List<String> messages = new ArrayList<>();
        for (com.networknt.schema.Error error : schema.validate(json, InputFormat.JSON)) {
            messages.add(error.toString());
        }
        return messages;
    }

    private static JsonNode schemaNode(String name) {
        try {
            return JSON.readTree(SCHEMAS.resolve(name + ".schema.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire runs in the module directory; the examples live at the repository root. */
    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isDirectory(dir.resolve("events")) && Files.isRegularFile(pom) && read(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (events/ and a pom.xml with <modules>) above "
                + Path.of("").toAbsolutePath());
    }
}

package io.omicsbatch.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.local.simulator.SimulatorConfig.Parameter;
import io.omicsbatch.local.simulator.SimulatorConfig.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorConfigTest {

    @Test
    void theExampleSimJsonIsReadCompletely() {
        SimulatorConfig config = SimulatorConfig.load(SimulatorTestSupport.repoFile("events/sim.json"));
        assertThat(config.seed()).isEqualTo(42L);
        assertThat(config.startRunTps()).isEqualTo(10.0);
        assertThat(config.maxActiveRuns()).isEqualTo(1000);
        assertThat(config.runDurationMillis()).isEqualTo(new Range(200, 1000));
        assertThat(config.failRate()).isZero();
        assertThat(config.workflows()).containsOnlyKeys("1234567");
        assertThat(config.workflow("1234567").orElseThrow().parameterTemplate())
                .containsOnlyKeys("ref_fasta", "sample_id", "fastq_r1", "fastq_r2", "intervals")
                .containsEntry("intervals", new Parameter("Calling intervals (BED); whole genome when omitted", true));
        assertThat(config.workflow("1234567").orElseThrow().parameterTemplate().get("sample_id").optional()).isFalse();
        assertThat(config.workflow("7654321")).isEmpty();
        assertThat(config.faults()).isEqualTo(SimulatorConfig.Faults.NONE);
        assertThat(config.lambdaFaults().crashAfterStartRunRate()).isZero();
        assertThat(config.lambdaFaults()).isEqualTo(SimulatorConfig.LambdaFaults.NONE);
        assertThat(config.configuredAccount()).isEmpty();
        assertThat(config.accountOrDefault()).isEqualTo("123456789012");
    }

    @Test
    void everyKeyIsOptional() {
        SimulatorConfig config = SimulatorConfig.parse("{}");
        assertThat(config).isEqualTo(SimulatorConfig.defaults());
        assertThat(config.seed()).isNull();
        assertThat(config.startRunTps()).isEqualTo(10.0);
        assertThat(config.maxActiveRuns()).isEqualTo(1000);
        assertThat(config.runDurationMillis()).isEqualTo(new Range(200, 1000));
        assertThat(config.workflows()).isNull();
        // Without workflows every numeric workflow id exists and accepts any parameters.
        assertThat(config.workflow("987").orElseThrow().parameterTemplate()).isNull();
        assertThat(config.faults().eventDelayMillis()).isEqualTo(new Range(0, 0));
        assertThat(config.lambdaFaults().intakeCrashRate()).isZero();
        assertThat(config.lambdaFaults().duplicateNotifications()).isEqualTo(1);
        assertThat(config.accountOrDefault()).isEqualTo(Account.DEFAULT.id());
        assertThat(config.maxRetainedRuns()).isEqualTo(SimulatorConfig.UNLIMITED_RETAINED_RUNS);
        assertThat(config.startRunBurst()).isEqualTo(1);
    }

    @Test
    void theStartRunBurstIsReadAndKept() {
        SimulatorConfig config = SimulatorConfig.parse("{\"startRunBurst\": 5}");
        assertThat(config.startRunBurst()).isEqualTo(5);
        assertThat(config.withSeed(1).withAccount("210987654321").withMaxRetainedRuns(9).startRunBurst()).isEqualTo(5);
    }

    @Test
    void theRetainedRunsQuotaIsRead() {
        SimulatorConfig config = SimulatorConfig.parse("{\"maxRetainedRuns\": 5000}");
        assertThat(config.maxRetainedRuns()).isEqualTo(5000);
        assertThat(config.withSeed(1).maxRetainedRuns()).isEqualTo(5000);
        assertThat(SimulatorConfig.defaults().withMaxRetainedRuns(3).maxRetainedRuns()).isEqualTo(3);
    }

    @Test
    void theAccountAndTheIntakeFaultsAreRead() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"account": "210987654321",
                 "lambdaFaults": {"intakeCrashRate": 0.3, "duplicateNotifications": 3}}
                """);
        assertThat(config.configuredAccount()).contains("210987654321");
        assertThat(config.accountOrDefault()).isEqualTo("210987654321");
        assertThat(config.lambdaFaults()).isEqualTo(new SimulatorConfig.LambdaFaults(0, 0.3, 3));
        assertThat(config.withSeed(5).configuredAccount()).as("kept by withSeed").contains("210987654321");
    }

    @Test
    void partialObjectsKeepTheOtherDefaults() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"runDurationMillis": {"min": 5000}, "faults": {"dropEventRate": 0.25, "reorderEvents": true},
                 "lambdaFaults": {"crashAfterStartRunRate": 0.5},
                 "workflows": {"1": {}, "2": {"parameterTemplate": {"a": {}}}}}
                """);
        assertThat(config.runDurationMillis()).isEqualTo(new Range(5000, 5000));
        assertThat(config.faults().dropEventRate()).isEqualTo(0.25);
        assertThat(config.faults().reorderEvents()).isTrue();
        assertThat(config.faults().internalErrorRate()).isZero();
        assertThat(config.faults().conflictOnReplayRate()).isZero();
        assertThat(config.lambdaFaults().crashAfterStartRunRate()).isEqualTo(0.5);
        assertThat(SimulatorConfig.parse("{\"faults\": {\"conflictOnReplayRate\": 0.4}}").faults().conflictOnReplayRate())
                .isEqualTo(0.4);
        assertThat(config.workflow("1").orElseThrow().parameterTemplate()).isNull();
        // A parameter without "optional" is required, as in HealthOmics.
        assertThat(config.workflow("2").orElseThrow().parameterTemplate().get("a").optional()).isFalse();
    }

    @Test
    void aWorkflowMayHaveNextflowProfilesWithTheirOwnTemplates() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"workflows": {"7": {"profiles": ["standard", "highmem"],
                                     "profileParameterTemplates": {"highmem": {"memory_gb": {"optional": true}}}}}}
                """);
        SimulatorConfig.Workflow workflow = config.workflow("7").orElseThrow();
        assertThat(workflow.parameterTemplate()).isNull();
        assertThat(workflow.profiles()).containsExactly("standard", "highmem");
        assertThat(workflow.profileParameterTemplates()).containsOnlyKeys("highmem");
        assertThat(workflow.profileParameterTemplates().get("highmem").get("memory_gb").optional()).isTrue();
        assertThat(SimulatorConfig.parse("{\"workflows\": {\"7\": {}}}").workflow("7").orElseThrow().profiles()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"workflows\": {\"1\": {\"profiles\": \"standard\"}}}      | workflows.1.profiles: must be an array of profile names, got a string",
            "{\"workflows\": {\"1\": {\"profiles\": [\"a\", \"a\"]}}}    | workflows.1.profiles: profile \"a\" is listed twice",
            "{\"workflows\": {\"1\": {\"profiles\": [\"\"]}}}           | workflows.1.profiles: a profile name must be a string of 1 to 128 characters",
            "{\"workflows\": {\"1\": {\"profiles\": [\"a\"], \"profileParameterTemplates\": {\"b\": {}}}}} | workflows.1.profileParameterTemplates.b: not one of the workflow's profiles [a]",
            "{\"workflows\": {\"1\": {\"profiles\": [\"a\"], \"profileParameterTemplates\": {\"a\": {\"x\": {\"opt\": 1}}}}}} | unknown key \"workflows.1.profileParameterTemplates.a.x.opt\"",
    })
    void badProfilesAreRefusedNamingTheKey(String json, String message) {
        assertThatThrownBy(() -> SimulatorConfig.parse(json)).isInstanceOf(SimulatorConfigException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"sed\": 1}                                          | unknown key \"sed\"",
            "{\"faults\": {\"dropEventRat\": 0.1}}                 | unknown key \"faults.dropEventRat\"",
            "{\"runDurationMillis\": {\"min\": 1, \"mx\": 2}}      | unknown key \"runDurationMillis.mx\"",
            "{\"lambdaFaults\": {\"crash\": 1}}                    | unknown key \"lambdaFaults.crash\"",
            "{\"workflows\": {\"1\": {\"template\": {}}}}           | unknown key \"workflows.1.template\"",
            "{\"workflows\": {\"1\": {\"parameterTemplate\": {\"a\": {\"required\": true}}}}} | unknown key \"workflows.1.parameterTemplate.a.required\"",
            "{\"workflows\": {\"wf-1\": {}}}                       | workflows.wf-1: a workflow id must be 1 to 18 digits",
            "{\"startRunTps\": 0}                                  | startRunTps: must be a number greater than 0",
            "{\"startRunTps\": \"fast\"}                           | startRunTps: must be a number, got a string",
            "{\"maxActiveRuns\": 0}                                | maxActiveRuns: must be at least 1",
            "{\"maxActiveRuns\": 1.5}                              | maxActiveRuns: must be a whole number",
            "{\"maxRetainedRuns\": 0}                              | maxRetainedRuns: must be at least 1",
            "{\"startRunBurst\": 0}                                | startRunBurst: must be between 1 and 10000, got 0",
            "{\"startRunBurst\": 1.5}                              | startRunBurst: must be a whole number",
            "{\"maxRetainedRuns\": \"5000\"}                         | maxRetainedRuns: must be a whole number, got a string",
            "{\"failRate\": 1.5}                                   | failRate: must be between 0 and 1",
            "{\"seed\": \"42\"}                                    | seed: must be a whole number, got a string",
            "{\"runDurationMillis\": {\"min\": 10, \"max\": 5}}    | runDurationMillis: min (10) must not be greater than max (5)",
            "{\"faults\": {\"eventDelayMillis\": {\"min\": -1}}}   | faults.eventDelayMillis.min: must be at least 0",
            "{\"faults\": {\"reorderEvents\": \"yes\"}}            | faults.reorderEvents: must be true or false",
            "{\"faults\": {\"requestTimeoutRate\": -0.1}}          | faults.requestTimeoutRate: must be between 0 and 1",
            "{\"faults\": {\"conflictOnReplayRate\": 1.5}}         | faults.conflictOnReplayRate: must be between 0 and 1",
            "{\"faults\": []}                                      | faults: must be a JSON object, got an array",
            "[]                                                    | the simulator config: must be a JSON object",
            "{\"seed\": 1, \"seed\": 2}                            | not valid JSON",
            "{\"seed\": 1                                          | not valid JSON",
            "{\"account\": 123456789012}                           | account: must be a string of 12 digits (an AWS account id), got a number",
            "{\"account\": \"12345678901\"}                        | account: must be 12 digits (an AWS account id), got \"12345678901\"",
            "{\"lambdaFaults\": {\"intakeCrashRate\": 1.2}}        | lambdaFaults.intakeCrashRate: must be between 0 and 1",
            "{\"lambdaFaults\": {\"duplicateNotifications\": 0}}   | lambdaFaults.duplicateNotifications: must be between 1 and 100, got 0",
            "{\"lambdaFaults\": {\"duplicateNotifications\": 2.5}} | lambdaFaults.duplicateNotifications: must be a whole number",
    })
    void badConfigsAreRejectedWithAMessageNamingTheKey(String json, String message) {
        assertThatThrownBy(() -> SimulatorConfig.parse(json))
                .isInstanceOf(SimulatorConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void unknownKeyMessagesListTheKnownKeys() {
        assertThatThrownBy(() -> SimulatorConfig.parse("{\"faults\": {\"dropEventRat\": 0.1}}"))
                .hasMessageContaining("known keys in faults: internalErrorRate, requestTimeoutRate, dropEventRate");
    }
}

package io.omicsbatch.local.pipeline;

/**
 * An injected fault that kills a function invocation, as a Lambda timeout or crash would: an Error, so that it
 * escapes every handler's error handling and the event source mapping sees a failed invocation. Its message says
 * where it struck and never names a run.
 */
public final class SimulatedLambdaCrash extends Error {

    SimulatedLambdaCrash(String where) {
        super("simulated Lambda crash " + where);
    }
}

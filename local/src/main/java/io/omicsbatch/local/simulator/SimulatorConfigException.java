package io.omicsbatch.local.simulator;

/** A sim.json that cannot be used; the message names the offending key. */
public final class SimulatorConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SimulatorConfigException(String message) {
        super(message);
    }
}

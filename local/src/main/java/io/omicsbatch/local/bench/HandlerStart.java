package io.omicsbatch.local.bench;

/**
 * Times one handler's no-argument constructor, as Lambda's init runs it: the first thing this fresh JVM does
 * (so the handler's classes, the SDK's and the logging's load inside the measurement). Run by {@code bench/handler-start}
 * with the shaded functions jar first on the class path and the function's environment set; prints the wall time
 * and the CPU time of the whole JVM (all its threads: compilers, GC) in milliseconds. On a loaded machine the CPU
 * time is the steadier figure.
 */
public final class HandlerStart {

    private HandlerStart() {}

    public static void main(String[] args) throws Exception {
        ProcessHandle.Info process = ProcessHandle.current().info();
        long cpuBefore = process.totalCpuDuration().orElseThrow().toNanos();
        long start = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long nanos = System.nanoTime() - start;
        long cpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - cpuBefore;
        System.out.printf("%s %.1f %.1f%n", handler.getClass().getSimpleName(), nanos / 1e6, cpu / 1e6);
    }
}

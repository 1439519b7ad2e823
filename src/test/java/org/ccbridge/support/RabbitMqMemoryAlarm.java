package org.ccbridge.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts the local RabbitMQ into a memory alarm and out of it again, with {@code rabbitmqctl}: a
 * watermark far below what the node uses makes it block every publishing connection, as a node
 * short of memory does. {@link #clear()} puts back the watermark it found.
 */
public final class RabbitMqMemoryAlarm implements AutoCloseable {

    private final String watermark;
    private boolean raised;

    private RabbitMqMemoryAlarm(String watermark) {
        this.watermark = watermark;
    }

    /** Raises the alarm and waits until the node reports it. */
    public static RabbitMqMemoryAlarm raise() {
        RabbitMqMemoryAlarm alarm = new RabbitMqMemoryAlarm(
                rabbitmqctl("eval", "vm_memory_monitor:get_vm_memory_high_watermark().").trim());
        rabbitmqctl("set_vm_memory_high_watermark", "0.0001");
        alarm.raised = true;
        alarm.waitUntil(true);
        return alarm;
    }

    /** Puts the watermark back and waits until the node has cleared the alarm. */
    public void clear() {
        if (!raised) {
            return;
        }
        if (watermark.startsWith("{absolute,")) {
            rabbitmqctl("set_vm_memory_high_watermark", "absolute",
                    watermark.substring("{absolute,".length(), watermark.length() - 1));
        } else {
            rabbitmqctl("set_vm_memory_high_watermark", watermark);
        }
        raised = false;
        waitUntil(false);
    }

    @Override
    public void close() {
        clear();
    }

    private void waitUntil(boolean on) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (memoryAlarmOn() != on) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("RabbitMQ's memory alarm did not turn " + (on ? "on" : "off"));
            }
            sleep(100);
        }
    }

    private static boolean memoryAlarmOn() {
        return rabbitmqctl("eval", "rabbit_alarm:get_alarms().").contains("memory");
    }

    private static String rabbitmqctl(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("rabbitmqctl is needed to raise a memory alarm", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

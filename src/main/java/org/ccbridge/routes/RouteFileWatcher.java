package org.ccbridge.routes;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the routes folder and hands each changed route file to the {@link GuardedRouteReloader}.
 * Editors write a file in several steps, so changes are collected until the folder has been
 * quiet for a moment.
 */
public class RouteFileWatcher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileWatcher.class);

    private final GuardedRouteReloader reloader;
    private final Path directory;
    private final Duration quietPeriod;
    private volatile WatchService watchService;
    private volatile Thread thread;

    public RouteFileWatcher(GuardedRouteReloader reloader, Path directory, Duration quietPeriod) {
        this.reloader = reloader;
        this.directory = directory;
        this.quietPeriod = quietPeriod;
    }

    @Override
    public void start() {
        try {
            reloader.snapshot();
            watchService = FileSystems.getDefault().newWatchService();
            directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot watch route folder " + directory, e);
        }
        thread = new Thread(this::watch, "ccbridge-route-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Watching {} for route changes", directory.toAbsolutePath());
    }

    private void watch() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Set<Path> changed = new LinkedHashSet<>();
                collect(watchService.take(), changed);
                WatchKey more;
                while ((more = watchService.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    collect(more, changed);
                }
                for (Path file : changed) {
                    reloader.reload(directory.resolve(file));
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect(WatchKey key, Set<Path> changed) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (!(event.context() instanceof Path file)) {
                continue;
            }
            if (file.getFileName().toString().startsWith("..")) {
                // a Kubernetes ConfigMap mount: the kubelet swaps the ..data symlink that the
                // route files point through, so they change without an event of their own. Every
                // file is handed over; the reloader skips the ones whose text did not change.
                changed.addAll(routeFileNames());
            } else if (RouteFiles.isRouteFile(directory.resolve(file))) {
                changed.add(file);
            }
        }
        key.reset();
    }

    private Set<Path> routeFileNames() {
        Set<Path> names = new LinkedHashSet<>();
        try (var files = Files.list(directory)) {
            files.filter(RouteFiles::isRouteFile).forEach(file -> names.add(file.getFileName()));
        } catch (IOException e) {
            LOG.warn("Cannot list route folder {}: {}", directory, e.getMessage());
        }
        return names;
    }

    @Override
    public void stop() {
        try {
            if (watchService != null) {
                watchService.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing the route watcher: {}", e.getMessage());
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    @Override
    public int getPhase() {
        // after Camel's context has started its routes
        return Integer.MAX_VALUE - 1;
    }
}

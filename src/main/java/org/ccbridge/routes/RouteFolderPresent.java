package org.ccbridge.routes;

import java.nio.file.Files;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The routes come from a folder ({@link RouteSource}), which can be watched and reloaded. */
class RouteFolderPresent implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return Files.isDirectory(RouteSource.directory(context.getEnvironment()));
    }
}

package org.ccbridge.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that talks to real local services. Where one is absent the class is skipped
 * with a message naming it; where {@code CCBRIDGE_REQUIRE_SERVICES=true} (CI) it fails instead.
 * Put it before {@code @SpringBootTest} so that the check runs before a context is started.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalServicesExtension.class)
public @interface RequiresServices {

    LocalService[] value();
}

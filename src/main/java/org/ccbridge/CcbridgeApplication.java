package org.ccbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * ccbridge: the integration layer between contact-center platforms and CRMs.
 */
// the security filter chain is registered by security.SecurityFilterRegistration instead
@SpringBootApplication(exclude = SecurityFilterAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class CcbridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(CcbridgeApplication.class, args);
    }
}

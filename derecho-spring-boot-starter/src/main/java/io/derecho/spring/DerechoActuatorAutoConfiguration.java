package io.derecho.spring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Actuator endpoint, health indicator and meters of the group member, each when its library is present. */
@AutoConfiguration(after = DerechoAutoConfiguration.class)
@ConditionalOnBean(Derecho.class)
public class DerechoActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        DerechoEndpoint derechoEndpoint(Derecho derecho) {
            return new DerechoEndpoint(derecho);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean
        DerechoHealthIndicator derechoHealthIndicator(Derecho derecho) {
            return new DerechoHealthIndicator(derecho);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        DerechoMetrics derechoMetrics(Derecho derecho) {
            return new DerechoMetrics(derecho);
        }
    }
}

package io.derecho.spring;

import java.beans.Introspector;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link ReplicatedBean} classes in the application's packages and registers, for each,
 * the bean that callers inject (a {@link ReplicatedBeanProxy}) and the {@link ReplicatedType} the
 * group member registers (its replicas are created by Spring, one per shard this node holds).
 */
final class ReplicatedBeanRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedBeanRegistrar.class);
    private Environment environment = new StandardEnvironment();
    private ResourceLoader resourceLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof ConfigurableListableBeanFactory bf) || !AutoConfigurationPackages.has(bf)) {
            return;
        }
        // with the application's environment: @Profile and @Conditional on a bean class are honoured
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false, environment);
        if (resourceLoader != null) {
            scanner.setResourceLoader(resourceLoader);
        }
        scanner.addIncludeFilter(new AnnotationTypeFilter(ReplicatedBean.class));
        for (String pkg : AutoConfigurationPackages.get(bf)) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(pkg)) {
                register(registry, bf, ClassUtils.resolveClassName(candidate.getBeanClassName(), bf.getBeanClassLoader()));
            }
        }
    }

    private static void register(BeanDefinitionRegistry registry, ConfigurableListableBeanFactory bf, Class<?> type) {
        String subgroup = subgroupOf(type);
        String name = Introspector.decapitalize(type.getSimpleName());
        for (String existing : registry.getBeanDefinitionNames()) {
            if (type.getName().equals(registry.getBeanDefinition(existing).getBeanClassName())) {
                // Also a @Component (or declared as a bean): one plain instance would shadow the replicas.
                LOG.warn("{} is a @ReplicatedBean: bean '{}' (from component scanning or a bean declaration) is "
                        + "replaced by its proxy; its replicas are created per shard", type.getName(), existing);
                registry.removeBeanDefinition(existing);
            }
        }
        RootBeanDefinition proxy = new RootBeanDefinition(Proxies.class);
        proxy.getConstructorArgumentValues().addGenericArgumentValue(type);
        proxy.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
        registry.registerBeanDefinition(name, proxy);

        RootBeanDefinition replicated = new RootBeanDefinition(ReplicatedType.class);
        replicated.setTargetType(ResolvableType.forClassWithGenerics(ReplicatedType.class, type));
        replicated.setInstanceSupplier(replicatedType(type, subgroup, bf));
        registry.registerBeanDefinition(name + "ReplicatedType", replicated);
        LOG.debug("@ReplicatedBean {} in subgroup '{}'", type.getName(), subgroup);
    }

    /** The replicas are created like prototype beans: constructor injection, {@code @Value}, post-processors. */
    private static <T> Supplier<ReplicatedType<T>> replicatedType(Class<T> type, String subgroup, AutowireCapableBeanFactory bf) {
        return () -> new ReplicatedType<>(type, subgroup, () -> bf.createBean(type));
    }

    static String subgroupOf(Class<?> type) {
        String declared = type.getAnnotation(ReplicatedBean.class).subgroup();
        return declared.isEmpty() ? Introspector.decapitalize(type.getSimpleName()) : declared;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    /** Makes the proxy; as a factory bean its product gets no autowiring or init callbacks of the bean class. */
    static final class Proxies<T> implements FactoryBean<T>, org.springframework.beans.factory.BeanFactoryAware {
        private final Class<T> type;
        private BeanFactory beanFactory;

        Proxies(Class<T> type) {
            this.type = type;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public T getObject() {
            BeanFactory bf = beanFactory;
            return ReplicatedBeanProxy.create(type, () -> bf.getBean(Derecho.class));
        }

        @Override
        public Class<?> getObjectType() {
            return type;
        }
    }
}

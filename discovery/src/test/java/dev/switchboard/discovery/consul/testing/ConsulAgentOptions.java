package dev.switchboard.discovery.consul.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Options for the agent {@link ConsulAgentExtension} starts for the annotated test class. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface ConsulAgentOptions {

    /**
     * Start the agent with {@code acl { enabled = true, default_policy = "deny" }} and a
     * management token ({@link ConsulAgent#managementToken()}). An agent from
     * {@code CONSUL_HTTP_ADDR} is not used for ACL tests (its ACL setup is unknown).
     */
    boolean acl() default false;
}

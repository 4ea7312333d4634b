package dev.taskengine.reliability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property that needs PostgreSQL: {@link EngineSequencePropertiesTest.Runner} skips it when there is no server,
 * with one line saying how to run it; on CI ({@code CI=true}) it does not skip, and the property fails on its first try
 * instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface PostgresRequired {}

package dev.oidcgate.testserver;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@code T} for each instance field of that type and each parameter of that type a test
 * asks for, and closes it when its scope ends: after each test, or after the class for the fields
 * of a {@code PER_CLASS} test instance and for parameters of {@code @BeforeAll} methods and
 * constructors. Fields and parameters each get their own; a test never starts or stops one itself.
 * A module's extension for its stand-in is a subclass that names the type and how to start one.
 */
public abstract class StandInExtension<T extends AutoCloseable>
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  /** Starts one stand-in. */
  public interface Starter<T> {
    T start() throws Exception;
  }

  private final Class<T> type;
  private final Starter<T> starter;

  protected StandInExtension(Class<T> type, Starter<T> starter) {
    this.type = type;
    this.starter = starter;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (context.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD) == Lifecycle.PER_CLASS) {
      injectFields(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (context.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD) == Lifecycle.PER_METHOD) {
      injectFields(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return started(context);
    } catch (Exception e) {
      throw new IllegalStateException("could not start a " + type.getSimpleName(), e);
    }
  }

  private void injectFields(ExtensionContext context) throws Exception {
    Object instance = context.getRequiredTestInstance();
    for (Class<?> c = instance.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (field.getType() == type
            && !Modifier.isStatic(modifiers)
            && !Modifier.isFinal(modifiers)) {
          field.setAccessible(true);
          field.set(instance, started(context));
        }
      }
    }
  }

  /** A new stand-in, closed by JUnit with {@code context}'s store. */
  private T started(ExtensionContext context) throws Exception {
    T standIn = starter.start();
    // JUnit (5.13 on) closes the AutoCloseable values of a store when its context ends.
    context.getStore(ExtensionContext.Namespace.create(getClass())).put(new Object(), standIn);
    return standIn;
  }
}

package dev.oidcgate.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** What the shared table cannot say: instances created, choices, the exception's parts. */
class SettingParsersTest {

  @Test
  void aNamedClassWithAPublicNoArgumentConstructorIsCreated() {
    assertThat(SettingParsers.instanceOf(" " + Counter.class.getName() + " ", Callable.class))
        .isInstanceOf(Counter.class);
  }

  @Test
  void aClassWithoutAPublicNoArgumentConstructorIsRefusedClearly() {
    assertThatThrownBy(() -> SettingParsers.instanceOf(NoDefault.class.getName(), Callable.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot create an instance (NoSuchMethodException);"
                + " name a class with a public no-argument constructor");
  }

  @Test
  void aClassOfTheWrongTypeIsRefusedBeforeItIsInitialized() {
    assertThatThrownBy(() -> SettingParsers.instanceOf(Exploding.class.getName(), Runnable.class))
        .hasMessage("does not implement java.lang.Runnable");
  }

  @Test
  void aChoiceIsMatchedIgnoringCaseAndListsTheChoicesWhenWrong() {
    String[] choices = {"Lax", "Strict", "None"};
    assertThat(SettingParsers.choice(" strict ", choices, s -> s)).isEqualTo("Strict");
    assertThatThrownBy(() -> SettingParsers.choice("loose", choices, s -> s))
        .hasMessage("write one of Lax, Strict, None");
  }

  @Test
  void zeroIsADurationSoThatAKeyMayAllowIt() {
    assertThat(SettingParsers.duration("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void aSettingExceptionSaysKeyColonReason() {
    SettingException e = new SettingException("clockSkew", "must not be negative");
    assertThat(e).hasMessage("clockSkew: must not be negative");
    assertThat(e.key()).isEqualTo("clockSkew");
    assertThat(e.reason()).isEqualTo("must not be negative");
  }

  @Test
  void aPlaceholderFailureNamesTheKeyAndTheVariable() {
    Map<String, String> none = Map.of();
    Placeholders placeholders = new Placeholders(none::get, none::get);
    assertThatThrownBy(() -> placeholders.resolve("clientSecret", "${env:OIDC_SECRET}"))
        .isInstanceOf(SettingException.class)
        .hasMessage("clientSecret: environment variable OIDC_SECRET is not set")
        .satisfies(e -> assertThat(((SettingException) e).key()).isEqualTo("clientSecret"));
    assertThat(placeholders.resolve("clientSecret", null)).isNull();
  }

  /** Created by name. */
  public static final class Counter implements Callable<Integer> {
    @Override
    public Integer call() {
      return 1;
    }
  }

  /** Has no constructor without arguments. */
  public static final class NoDefault implements Callable<Integer> {
    private final int value;

    public NoDefault(int value) {
      this.value = value;
    }

    @Override
    public Integer call() {
      return value;
    }
  }

  /** Must never be initialized by a parser that refuses it. */
  public static final class Exploding {
    static {
      if (Boolean.parseBoolean("true")) {
        throw new IllegalStateException("initialized");
      }
    }
  }
}

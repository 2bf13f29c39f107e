package dev.oidcgate.oidc.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequiredValuesTest {

  private static RequiredValues rule(String claim, List<Set<String>> alternatives) {
    return new RequiredValues("scope", ClaimPath.of(claim), alternatives);
  }

  @Test
  void valuesInsideOneEntryMustAllBePresent() {
    RequiredValues r = rule("scope", List.of(Set.of("read", "write")));
    assertThat(r.deny(Map.of("scope", "read write openid"))).isEmpty();
    assertThat(r.deny(Map.of("scope", "read"))).contains("The token lacks the required scope");
  }

  @Test
  void separateEntriesAreAlternatives() {
    RequiredValues r = rule("scope", List.of(Set.of("read", "write"), Set.of("admin")));
    assertThat(r.deny(Map.of("scope", "admin"))).isEmpty();
    assertThat(r.deny(Map.of("scope", List.of("read", "write")))).isEmpty();
    assertThat(r.deny(Map.of("scope", "write"))).isPresent();
  }

  @Test
  void nestedClaimPathsAreFollowed() {
    RequiredValues r = rule("realm_access.roles", List.of(Set.of("admin")));
    assertThat(r.deny(Map.of("realm_access", Map.of("roles", List.of("user", "admin"))))).isEmpty();
    assertThat(r.deny(Map.of("realm_access", Map.of("roles", List.of("user"))))).isPresent();
    assertThat(r.deny(Map.of("realm_access", "admin"))).isPresent();
  }

  @Test
  void claimNamesWithDotsOrColonsAreFoundWhole() {
    assertThat(
            ClaimPath.of("https://example.com/roles")
                .resolve(Map.of("https://example.com/roles", List.of("a"))))
        .isEqualTo(List.of("a"));
    assertThat(ClaimPath.of("cognito:groups").resolve(Map.of("cognito:groups", List.of("admins"))))
        .isEqualTo(List.of("admins"));
  }

  @Test
  void aMissingClaimFailsARequirementButNoRequirementAlwaysPasses() {
    assertThat(rule("groups", List.of(Set.of("x"))).deny(Map.of())).isPresent();
    assertThat(rule("groups", List.of()).deny(Map.of())).isEmpty();
  }

  @Test
  void aScopeMatchesOnlyAWholeSpaceSeparatedWord() {
    RequiredValues r = rule("scope", List.of(Set.of("read")));
    for (String granted :
        List.of("read", "openid read", "read openid", "a  read  b", "reader read")) {
      assertThat(r.deny(Map.of("scope", granted))).as(granted).isEmpty();
    }
    for (String granted :
        List.of("reader", "unread", "xread readx", "read-all", "read\twrite", "")) {
      assertThat(r.deny(Map.of("scope", granted))).as(granted).isPresent();
    }
    assertThat(r.deny(Map.of("scope", List.of("reader", 1, true)))).isPresent();
    assertThat(rule("scope", List.of(Set.of("1"))).deny(Map.of("scope", List.of(1)))).isEmpty();
    assertThat(rule("scope", List.of(Set.of("a b"))).deny(Map.of("scope", "a b"))).isPresent();
  }
}

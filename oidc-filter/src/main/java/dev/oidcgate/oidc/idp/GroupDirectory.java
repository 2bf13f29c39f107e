package dev.oidcgate.oidc.idp;

import dev.oidcgate.oidc.error.OidcErrorException;
import java.util.List;

/**
 * Where a user's groups are looked up when the token could not carry them all (Entra ID groups
 * overage). Implementations must be thread-safe and must never answer a failure with an empty list:
 * an empty list means the user is in no group.
 */
@FunctionalInterface
public interface GroupDirectory {

  /**
   * @param tenant the user's tenant ({@code tid}), or empty when the token names none
   * @param userId the user's object id ({@code oid})
   * @return the ids of every group the user is a member of, directly or through other groups
   * @throws OidcErrorException 503 when the groups cannot be read now
   */
  List<String> memberGroups(String tenant, String userId) throws OidcErrorException;
}

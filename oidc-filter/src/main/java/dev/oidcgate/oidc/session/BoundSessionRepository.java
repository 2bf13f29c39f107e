package dev.oidcgate.oidc.session;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link SessionRepository} whose keys are prefixed with a {@link SessionBinding}'s key, so that
 * filters for different issuers or clients that share one repository (a Redis, say) never find each
 * other's sessions under a copied cookie. Thread-safe when the repository is.
 */
public final class BoundSessionRepository implements SessionRepository {

  private final String prefix;
  private final SessionRepository repository;

  public BoundSessionRepository(SessionBinding binding, SessionRepository repository) {
    this.prefix = binding.key() + ".";
    this.repository = repository;
  }

  @Override
  public Optional<String> get(String id) throws SessionStoreException {
    return repository.get(prefix + id);
  }

  @Override
  public void put(String id, String json, Duration timeToLive) throws SessionStoreException {
    repository.put(prefix + id, json, timeToLive);
  }

  @Override
  public void remove(String id) throws SessionStoreException {
    repository.remove(prefix + id);
  }
}

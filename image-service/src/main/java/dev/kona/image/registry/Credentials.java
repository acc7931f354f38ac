package dev.kona.image.registry;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a pull may authenticate with: user name and password (basic auth, or exchanged for a bearer
 * token), an identity token (an OAuth2 refresh token) or a registry token (a bearer token used as
 * is). Empty strings mean absent. {@code toString} never prints secrets.
 */
public record Credentials(String username, String password, String identityToken, String registryToken) {

  public static final Credentials NONE = new Credentials("", "", "", "");

  public Credentials {
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    identityToken = identityToken == null ? "" : identityToken;
    registryToken = registryToken == null ? "" : registryToken;
  }

  /** From the CRI AuthConfig's {@code auth} field: base64 of {@code user:password}. */
  public static Credentials fromAuth(String auth) {
    String decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new InvalidArgumentException("auth.auth: expected base64 of user:password");
    }
    return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1), "", "");
  }

  public boolean hasUserPassword() {
    return !username.isEmpty() || !password.isEmpty();
  }

  public boolean isEmpty() {
    return !hasUserPassword() && identityToken.isEmpty() && registryToken.isEmpty();
  }

  String basicHeader() {
    return "Basic "
        + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return isEmpty() ? "anonymous" : "credentials for " + (username.isEmpty() ? "(token)" : username);
  }
}

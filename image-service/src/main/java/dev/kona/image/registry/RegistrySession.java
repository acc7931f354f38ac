package dev.kona.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Talks to one endpoint about one repository for the length of one pull: follows redirects itself
 * (dropping the Authorization header when a redirect leaves the registry's host, as blob storage
 * wants, or goes from https to plain http), answers 401 challenges (basic, or a bearer token from the challenge's realm for the
 * challenge's service and scope) and reuses the resulting header for every later request.
 */
public final class RegistrySession {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final RegistryEndpoint endpoint;
  private final String repository;
  private final AtomicReference<String> authorization = new AtomicReference<>();

  public RegistrySession(HttpClient http, RegistryEndpoint endpoint, String repository) {
    this.http = EndpointClients.forEndpoint(http, endpoint);
    this.endpoint = endpoint;
    this.repository = repository;
    if (!endpoint.credentials().registryToken().isEmpty()) {
      authorization.set("Bearer " + endpoint.credentials().registryToken());
    }
  }

  public RegistryEndpoint endpoint() {
    return endpoint;
  }

  public String repository() {
    return repository;
  }

  /**
   * GETs {@code uri} with {@code accept}, authenticating as needed. The caller owns the returned
   * stream; any status but 200 becomes an error of the family naming {@code what}.
   */
  public HttpResponse<InputStream> get(URI uri, String accept, String what) {
    HttpResponse<InputStream> response = send(uri, accept, what);
    if (response.statusCode() == 401) {
      Optional<BearerChallenge> challenge =
          BearerChallenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(""));
      String body = drain(response);
      if (challenge.isEmpty()) {
        throw RegistryErrors.of(401, endpoint, repository, what, body);
      }
      authenticate(challenge.get(), what);
      response = send(uri, accept, what);
    }
    if (response.statusCode() != 200) {
      throw RegistryErrors.of(response.statusCode(), endpoint, repository, what, drain(response));
    }
    return response;
  }

  private HttpResponse<InputStream> send(URI uri, String accept, String what) {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(current).GET().timeout(Duration.ofMinutes(10));
      if (accept != null) {
        request.header("Accept", accept);
      }
      String auth = authorization.get();
      if (auth != null && mayCarryCredentials(current)) {
        request.header("Authorization", auth);
      }
      if (mayCarryCredentials(current)) {
        // hosts.toml headers may carry secrets too: never to another host or down to plain http
        endpoint.headers().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
      }
      HttpResponse<InputStream> response = exchange(request.build(), what);
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String location = response.headers().firstValue("Location").orElse(null);
        drain(response);
        if (location == null) {
          throw new UnavailableException(where(what) + ": redirect (HTTP " + status + ") without Location");
        }
        current = current.resolve(location);
        continue;
      }
      return response;
    }
    throw new UnavailableException(where(what) + ": more than " + MAX_REDIRECTS + " redirects");
  }

  private HttpResponse<InputStream> exchange(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UnavailableException(where(what) + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(where(what) + ": interrupted", e);
    }
  }

  private void authenticate(BearerChallenge challenge, String what) {
    Credentials credentials = endpoint.credentials();
    if (challenge.isBasic()) {
      if (!credentials.hasUserPassword()) {
        throw new FailedPreconditionException(
            where(what) + ": authentication failed: the registry wants a user name and password and none were given");
      }
      authorization.set(credentials.basicHeader());
      return;
    }
    if (!challenge.isBearer() || challenge.realm().isEmpty()) {
      throw new FailedPreconditionException(where(what) + ": authentication failed: unsupported challenge " + challenge.scheme());
    }
    String scope = challenge.params().getOrDefault("scope", "repository:" + repository + ":pull");
    String service = challenge.params().getOrDefault("service", "");
    authorization.set("Bearer " + fetchToken(challenge.realm(), service, scope, credentials, what));
  }

  private String fetchToken(String realm, String service, String scope, Credentials credentials, String what) {
    HttpRequest.Builder request;
    if (!credentials.identityToken().isEmpty()) {
      if (!isHttps(URI.create(realm)) && isHttps(endpoint.base())) {
        throw new FailedPreconditionException(
            where(what) + ": authentication failed: token realm " + realm + " is plain HTTP; credentials for an HTTPS"
                + " registry are never sent in clear text");
      }
      String form =
          "grant_type=refresh_token&client_id=kona&refresh_token=" + enc(credentials.identityToken())
              + "&service=" + enc(service) + "&scope=" + enc(scope);
      request =
          HttpRequest.newBuilder(URI.create(realm))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form));
    } else {
      String query = "service=" + enc(service) + "&scope=" + enc(scope);
      URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
      request = HttpRequest.newBuilder(uri).GET();
      if (credentials.hasUserPassword() && !isHttps(uri) && isHttps(endpoint.base())) {
        throw new FailedPreconditionException(
            where(what) + ": authentication failed: token realm " + realm + " is plain HTTP; credentials for an HTTPS"
                + " registry are never sent in clear text");
      }
      if (credentials.hasUserPassword()) {
        request.header("Authorization", credentials.basicHeader());
      }
    }
    request.timeout(Duration.ofSeconds(60));
    HttpResponse<InputStream> response = exchange(request.build(), what + ": token from " + realm);
    String body = drain(response);
    if (response.statusCode() != 200) {
      throw RegistryErrors.of(response.statusCode(), endpoint, repository, what + ": token from " + realm, body);
    }
    try {
      JsonNode json = JSON.readTree(body);
      String token = json.path("token").asText(json.path("access_token").asText(""));
      if (token.isEmpty()) {
        token = json.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new FailedPreconditionException(where(what) + ": authentication failed: token response from " + realm + " has no token");
      }
      return token;
    } catch (IOException e) {
      throw new FailedPreconditionException(where(what) + ": authentication failed: token response is not JSON", e);
    }
  }

  /**
   * Credentials go only to the endpoint's own host, and over plain HTTP only when the endpoint
   * itself is plain HTTP (an insecure registry or an http:// mirror): a redirect from https to http,
   * even on the same host, must not put them on the wire in clear text.
   */
  private boolean mayCarryCredentials(URI uri) {
    boolean sameHost = endpoint.base().getAuthority().equalsIgnoreCase(uri.getAuthority());
    return sameHost && (isHttps(uri) || !isHttps(endpoint.base()));
  }

  private static boolean isHttps(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme());
  }

  private String where(String what) {
    return "registry " + endpoint + " repository " + repository + ": " + what;
  }

  static String drain(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(64 * 1024);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

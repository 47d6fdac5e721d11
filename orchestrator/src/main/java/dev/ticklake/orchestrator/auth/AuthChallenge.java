package dev.ticklake.orchestrator.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * What a request without valid credentials is told, on either port: a message that says how to
 * authenticate, and one {@code WWW-Authenticate} value per configured scheme.
 */
record AuthChallenge(String message, List<String> wwwAuthenticate) {

  static AuthChallenge of(Authenticator authenticator, String method, String authorization) {
    String message =
        authorization == null
            ? "authentication required for " + method + ": " + howTo(authenticator)
            : "invalid credentials: " + howTo(authenticator);
    List<String> schemes = new ArrayList<>();
    if (authenticator.acceptsBasic() || !authenticator.acceptsBearer()) {
      schemes.add("Basic realm=\"" + AuthFilter.REALM + "\", charset=\"UTF-8\"");
    }
    if (authenticator.acceptsBearer()) {
      schemes.add("Bearer realm=\"" + AuthFilter.REALM + "\"");
    }
    return new AuthChallenge(message, List.copyOf(schemes));
  }

  private static String howTo(Authenticator authenticator) {
    StringBuilder sb = new StringBuilder("send ");
    if (authenticator.acceptsBasic()) {
      sb.append("'Authorization: Basic base64(")
          .append(authenticator.user())
          .append(
              ":<password>)' (auth.adminUser/auth.adminPassword; a generated password is in the"
                  + " file named at startup)");
    }
    if (authenticator.acceptsBearer()) {
      if (authenticator.acceptsBasic()) {
        sb.append(" or ");
      }
      sb.append("'Authorization: Bearer <token>' (one of auth.apiTokens)");
    }
    return sb.toString();
  }
}

"""A real OpenID Connect provider for the tests: a small Django project on django-oauth-toolkit's
OIDC mode, run in its own process on loopback (see `harness`)."""

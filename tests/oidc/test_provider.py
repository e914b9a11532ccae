"""The test provider itself speaks OpenID Connect: discovery, the authorization code flow with
PKCE, and ID tokens signed with the key in its JWKS carrying the claims a test chose — including
ID-porten's `pid` and `acr` for citizens (the family portal, issue 13)."""

import uuid
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc.harness import (  # noqa: F401 (fixtures)
    TEST_CLIENT_CALLBACK,
    oidc_provider_fixture,
)


def test_citizen_id_token_carries_pid_and_acr(oidc_provider):
    username = f"innbygger-{uuid.uuid4().hex[:6]}"
    pairwise = uuid.uuid4().hex
    oidc_provider.add_user(username, claims={
        "sub": pairwise, "pid": "05917599591", "acr": "idporten-loa-substantial",
        "amr": ["BankID"],
    })
    metadata = requests.get(
        f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert metadata["issuer"] == oidc_provider.issuer
    assert "S256" in metadata["code_challenge_methods_supported"]

    session = OAuth2Session(
        oidc_provider.client_id, oidc_provider.client_secret, scope="openid",
        redirect_uri=TEST_CLIENT_CALLBACK, code_challenge_method="S256")
    verifier = uuid.uuid4().hex * 2
    url, state = session.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce="n-0S6_WzA2Mj")
    back = oidc_provider.log_in(url, username)
    query = parse_qs(urlsplit(back).query)
    assert query["state"] == [state]
    token = session.fetch_token(
        metadata["token_endpoint"], code=query["code"][0], code_verifier=verifier)

    keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
    claims = jwt.decode(token["id_token"], keys).claims
    assert claims["iss"] == oidc_provider.issuer
    assert claims["aud"] == oidc_provider.client_id
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert (claims["sub"], claims["pid"]) == (pairwise, "05917599591")
    assert claims["acr"] == "idporten-loa-substantial" and claims["amr"] == ["BankID"]


def test_pkce_is_required(oidc_provider):
    username = f"ansatt-{uuid.uuid4().hex[:6]}"
    oidc_provider.add_user(username, claims={"acr": "idporten-loa-high"})
    request = requests.Request("GET", f"{oidc_provider.issuer}/authorize/", params={
        "response_type": "code", "client_id": oidc_provider.client_id,
        "redirect_uri": TEST_CLIENT_CALLBACK, "scope": "openid", "state": "s", "nonce": "n",
    }).prepare()
    back = oidc_provider.log_in(str(request.url), username)
    # Without a code challenge the client gets an error, never a code.
    query = parse_qs(urlsplit(back).query)
    assert query["error"] == ["invalid_request"] and "code" not in query

#!/usr/bin/python3
"""A small OAuth 1.0a provider built on oauthlib, for end-to-end tests of bb's login and signing.

"A provider nobody here wrote": every protocol decision (signature checks, token issuing, verifier
checks) is oauthlib's; this file only stores tokens in memory and speaks HTTP.

Usage:
  /usr/bin/python3 tests/interop/oauthlib_provider.py [PORT] [--consumer-key KEY]
      [--consumer-secret SECRET] [--rsa-public-key PEM_FILE]

Listens on 127.0.0.1 only. PORT defaults to 0 (any free port); the chosen port is printed alone on
the first line of stdout. The consumer defaults to $BB_OAUTH_CONSUMER_KEY / $BB_OAUTH_CONSUMER_SECRET,
then to "bb-test-consumer" / "bb-test-secret".

Endpoints:
  POST /oauth/request_token   temporary credentials (RFC 5849 §2.1); oauth_callback required ("oob" allowed)
  GET  /oauth/authorize       auto-approves: 302 to the callback with oauth_token and oauth_verifier,
                              or, for "oob", a page showing the verifier (§2.2)
  POST /oauth/access_token    token credentials (§2.3), needs oauth_verifier
  GET  /2.0/user              {"username":"oauthlib-user",...}                       (signed)
  GET  /2.0/repositories/{workspace}/{repo}/refs/branches  a Bitbucket-style page        (signed)
  *    anything else          echoes method, path, query and body as JSON              (signed)
Signed endpoints answer 401 with a WWW-Authenticate challenge when oauthlib rejects the request.
Nonces are remembered, so a replayed request is rejected.
"""
import argparse
import hmac
import html
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

try:
    import oauthlib
    from oauthlib.oauth1 import (
        AccessTokenEndpoint, AuthorizationEndpoint, RequestTokenEndpoint, RequestValidator, ResourceEndpoint,
    )
    from oauthlib.oauth1.rfc5849 import errors
except ImportError as error:
    print(f"error: {sys.executable} cannot import oauthlib ({error}); "
          "install it with: apt-get install -y python3-oauthlib", file=sys.stderr, flush=True)
    sys.exit(3)

REALM = "oauthlib-provider"


class MemoryValidator(RequestValidator):
    """One consumer; request tokens, verifiers, access tokens and used nonces kept in memory."""

    enforce_ssl = False  # loopback test server: plain http
    nonce_length = 8, 64  # bb's nonces are 32 characters; oauthlib's default maximum is 30
    dummy_client = "dummy-client-key-for-timing"
    dummy_request_token = "dummyRequestTokenForTimingXXXX"
    dummy_access_token = "dummyAccessTokenForTimingXXXXX"

    def __init__(self, consumer_key, consumer_secret, rsa_public_key=None):
        super().__init__()
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.rsa_public_key = rsa_public_key
        self.lock = threading.Lock()
        self.request_tokens = {}  # token -> {"secret", "callback", "verifier"}
        self.access_tokens = {}  # token -> secret
        self.nonces = set()

    @property
    def allowed_signature_methods(self):
        methods = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT")
        return methods + ("RSA-SHA1",) if self.rsa_public_key else methods

    # -- consumer ---------------------------------------------------------------
    def check_client_key(self, client_key):
        return 0 < len(client_key) <= 200

    def validate_client_key(self, client_key, request):
        return hmac.compare_digest(client_key, self.consumer_key)

    def get_client_secret(self, client_key, request):
        return self.consumer_secret if client_key == self.consumer_key else "dummy"

    def get_rsa_key(self, client_key, request):
        return self.rsa_public_key or ""

    # -- realms and callbacks: anything goes ------------------------------------------
    def check_realms(self, realms):
        return True

    def get_default_realms(self, client_key, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def get_realms(self, token, request):
        return []

    def verify_realms(self, token, realms, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return True

    # -- replay protection --------------------------------------------------------
    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token or access_token)
        with self.lock:
            if key in self.nonces:
                return False
            self.nonces.add(key)
            return True

    # -- temporary credentials (§2.1) and authorization (§2.2) -----------------------
    def save_request_token(self, token, request):
        with self.lock:
            self.request_tokens[token["oauth_token"]] = {
                "secret": token["oauth_token_secret"], "callback": request.redirect_uri, "verifier": None}

    def verify_request_token(self, token, request):
        with self.lock:
            return token in self.request_tokens

    def get_redirect_uri(self, token, request):
        with self.lock:
            return self.request_tokens[token]["callback"]

    def save_verifier(self, token, verifier, request):
        with self.lock:
            self.request_tokens[token]["verifier"] = verifier["oauth_verifier"]

    # -- token credentials (§2.3) ---------------------------------------------------
    def validate_request_token(self, client_key, token, request):
        with self.lock:
            return token in self.request_tokens

    def get_request_token_secret(self, client_key, token, request):
        with self.lock:
            entry = self.request_tokens.get(token)
            return entry["secret"] if entry else "dummy"

    def validate_verifier(self, client_key, token, verifier, request):
        with self.lock:
            entry = self.request_tokens.get(token)
            return bool(entry and entry["verifier"] and hmac.compare_digest(entry["verifier"], verifier))

    def invalidate_request_token(self, client_key, request_token, request):
        with self.lock:
            self.request_tokens.pop(request_token, None)

    def save_access_token(self, token, request):
        with self.lock:
            self.access_tokens[token["oauth_token"]] = token["oauth_token_secret"]

    # -- protected resources ----------------------------------------------------------
    def validate_access_token(self, client_key, token, request):
        with self.lock:
            return token in self.access_tokens

    def get_access_token_secret(self, client_key, token, request):
        with self.lock:
            return self.access_tokens.get(token, "dummy")


def make_handler(validator):
    request_token_endpoint = RequestTokenEndpoint(validator)
    authorization_endpoint = AuthorizationEndpoint(validator)
    access_token_endpoint = AccessTokenEndpoint(validator)
    resource_endpoint = ResourceEndpoint(validator)

    class Handler(BaseHTTPRequestHandler):
        server_version = "oauthlib-provider/" + oauthlib.__version__
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.dispatch()

        do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

        def dispatch(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            # The URI as the client signed it: scheme, Host header, request-target (RFC 5849 §3.4.1.2).
            uri = f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}"
            headers = {k: v for k, v in self.headers.items()}
            path = urlsplit(self.path).path
            try:
                if path == "/oauth/request_token":
                    self.reply(*request_token_endpoint.create_request_token_response(uri, self.command, body, headers))
                elif path == "/oauth/authorize":
                    self.authorize(uri, headers)
                elif path == "/oauth/access_token":
                    self.reply(*access_token_endpoint.create_access_token_response(uri, self.command, body, headers))
                else:
                    valid, _ = resource_endpoint.validate_protected_resource_request(uri, self.command, body, headers)
                    if valid:
                        self.resource(path, body)
                    else:
                        self.json(401, {"type": "error", "error": {"message": "OAuth signature or token rejected by oauthlib"}},
                                  {"WWW-Authenticate": f'OAuth realm="{REALM}"'})
            except errors.OAuth1Error as error:
                self.reply({"Content-Type": "application/x-www-form-urlencoded"}, error.urlencoded, error.status_code)
            except Exception as error:  # keep serving; report the failure to the client
                self.json(500, {"type": "error", "error": {"message": f"{type(error).__name__}: {error}"}})

        def authorize(self, uri, headers):
            # A real provider would log the user in and ask; this one approves every request token.
            response_headers, body, status = authorization_endpoint.create_authorization_response(uri, "GET", None, headers)
            if status == 302:
                self.reply(response_headers, "", 302)
                return
            verifier = dict(pair.split("=", 1) for pair in (body or "").split("&") if "=" in pair).get("oauth_verifier", "")
            page = ("<!doctype html><title>Authorized</title><p>Access granted. Enter this verifier in bb:</p>"
                    f"<p><code id=\"oauth_verifier\">{html.escape(verifier)}</code></p>")
            self.reply({"Content-Type": "text/html; charset=utf-8"}, page, 200)

        def resource(self, path, body):
            parts = path.strip("/").split("/")
            if path == "/2.0/user":
                self.json(200, {"username": "oauthlib-user", "display_name": "OAuthlib User", "account_id": "1"})
            elif len(parts) == 6 and parts[:2] == ["2.0", "repositories"] and parts[4:] == ["refs", "branches"]:
                self.json(200, {"pagelen": 10, "values": [{"name": "main"}, {"name": "dev"}]})
            else:
                self.json(200, {"method": self.command, "path": path, "query": urlsplit(self.path).query, "body": body})

        def json(self, status, payload, extra_headers=None):
            headers = {"Content-Type": "application/json"}
            headers.update(extra_headers or {})
            self.reply(headers, json.dumps(payload), status)

        def reply(self, headers, body, status):
            data = (body or "").encode("utf-8")
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def log_message(self, format, *args):  # method, path and status only; never headers
            sys.stderr.write("oauthlib-provider: " + (format % args) + "\n")

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", nargs="?", type=int, default=0)
    parser.add_argument("--consumer-key", default=os.environ.get("BB_OAUTH_CONSUMER_KEY", "bb-test-consumer"))
    parser.add_argument("--consumer-secret", default=os.environ.get("BB_OAUTH_CONSUMER_SECRET", "bb-test-secret"))
    parser.add_argument("--rsa-public-key", help="PEM file: also accept RSA-SHA1 from this consumer")
    args = parser.parse_args()

    rsa_key = open(args.rsa_public_key, encoding="ascii").read() if args.rsa_public_key else None
    validator = MemoryValidator(args.consumer_key, args.consumer_secret, rsa_key)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(validator))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Verify OAuth 1.0a requests signed by bb with oauthlib's *server* side.

oauthlib (Debian's python3-oauthlib) is an independent RFC 5849 implementation; its
SignatureOnlyEndpoint recomputes each signature from the request as a server receives it.

Input (stdin): one JSON object per line:
  {"id": "...", "method": "GET", "uri": "http://host:port/path?query",
   "headers": {"Authorization": "OAuth ...", "Content-Type": "..."}, "body": "..." | null,
   "consumer_key": "...", "consumer_secret": "...", "token": "..." | null,
   "token_secret": "..." | null, "signature_method": "HMAC-SHA1",
   "rsa_public_key_pem": "-----BEGIN PUBLIC KEY-----..." | null}
"uri" is what the server sees: scheme, the Host header, then the request-target.

Output (stdout): one line per request, "ok <id>" or "mismatch <id> <reason>", then
  "summary verified=<n> ok=<n> mismatch=<n> oauthlib=<version>"
Exit status: 0 when every request verified, 1 on any mismatch, 3 when oauthlib is missing.

Settings relaxed for the test (see docs/oauth.md): plain http allowed (enforce_ssl), any
client key / nonce format, any timestamp age, every nonce accepted (replay protection is the
provider's job, not the signature's).
"""
import json
import logging
import sys

INSTALL_HINT = "install it with: apt-get install -y python3-oauthlib python3-jwt python3-cryptography"

try:
    import oauthlib
    from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint
    from oauthlib.oauth1.rfc5849 import signature as oauth_signature
    import jwt  # noqa: F401  (RSA-SHA1 verification goes through PyJWT + cryptography)
    import cryptography  # noqa: F401
except ImportError as error:
    print(f"error: {sys.executable} cannot import oauthlib/jwt/cryptography ({error}); {INSTALL_HINT}", flush=True)
    sys.exit(3)

ALLOWED_METHODS = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1")


class CaseValidator(RequestValidator):
    """Knows exactly one consumer and token: those of the request being verified."""

    enforce_ssl = False
    allowed_signature_methods = ALLOWED_METHODS
    timestamp_lifetime = 10 ** 11  # fixed, seeded timestamps may be far from now
    dummy_client = "dummy-client"
    dummy_access_token = "dummy-access-token"
    dummy_request_token = "dummy-request-token"

    def __init__(self):
        super().__init__()
        self.case = {}

    # Awkward keys and nonces are the point of the suite: accept any non-empty value.
    def check_client_key(self, client_key):
        return bool(client_key)

    def check_nonce(self, nonce):
        return bool(nonce)

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        return True

    def validate_client_key(self, client_key, request):
        return client_key == self.case.get("consumer_key")

    def get_client_secret(self, client_key, request):
        if client_key == self.case.get("consumer_key"):
            return self.case.get("consumer_secret") or ""
        return "dummy"

    def get_access_token_secret(self, client_key, token, request):
        if token == self.case.get("token"):
            return self.case.get("token_secret") or ""
        return "dummy"

    def get_rsa_key(self, client_key, request):
        return self.case.get("rsa_public_key_pem") or ""


class LogCapture(logging.Handler):
    """oauthlib explains rejections only through its logger; keep the messages for the reason."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def oauthlib_base_string(case):
    """The base string as oauthlib computes it, for mismatch reports."""
    from urllib.parse import urlparse
    headers = case.get("headers") or {}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "") or ""
    body = case.get("body") if "application/x-www-form-urlencoded" in content_type else None
    params = oauth_signature.collect_parameters(
        uri_query=urlparse(case["uri"]).query, body=body, headers=headers, exclude_oauth_signature=True)
    return oauth_signature.signature_base_string(
        case["method"], oauth_signature.base_string_uri(case["uri"]), oauth_signature.normalize_parameters(params))


def verify(endpoint, validator, capture, case):
    validator.case = case
    capture.messages.clear()
    try:
        valid, request = endpoint.validate_request(
            case["uri"], http_method=case["method"], body=case.get("body") or "", headers=case.get("headers") or {})
    except Exception as error:  # oauthlib raises ValueError for URIs/bodies it cannot parse
        return f"oauthlib raised {type(error).__name__}: {error}"
    if valid:
        return None
    details = "; ".join(capture.messages) or "rejected"
    if request is not None and request.validator_log:
        details += f"; validator_log={request.validator_log}"
    if "base string" not in details:
        try:
            details += f"; oauthlib base string: {oauthlib_base_string(case)}"
        except Exception as error:
            details += f"; (base string unavailable: {error})"
    return details


def main():
    validator = CaseValidator()
    endpoint = SignatureOnlyEndpoint(validator)
    capture = LogCapture()
    logger = logging.getLogger("oauthlib")
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False

    verified = ok = mismatched = 0
    out = sys.stdout
    for line_number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        verified += 1
        try:
            case = json.loads(line)
            case_id = str(case.get("id", line_number))
        except ValueError as error:
            mismatched += 1
            out.write(f"mismatch line{line_number} input is not JSON: {error}\n")
            continue
        reason = verify(endpoint, validator, capture, case)
        if reason is None:
            ok += 1
            out.write(f"ok {case_id}\n")
        else:
            mismatched += 1
            out.write(f"mismatch {case_id} {' '.join(reason.split())}\n")
    out.write(f"summary verified={verified} ok={ok} mismatch={mismatched} oauthlib={oauthlib.__version__}\n")
    out.flush()
    return 0 if mismatched == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

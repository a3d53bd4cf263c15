#!/usr/bin/python3
"""oauthlib signing the same request as bench/Bitbucket.Cli.Bench (SigningInput), timed with timeit.

usage: sign_timeit.py [--print-header] [--out FILE]
Debian: python3-oauthlib. Prints/writes {"ops_per_s", "best_ns", "median_ns", "header"}.
"""
import json
import sys
import timeit

from oauthlib.oauth1 import SIGNATURE_HMAC, SIGNATURE_TYPE_AUTH_HEADER, Client

URL = "https://api.bitbucket.org/2.0/repositories/alice/demo/refs/branches?q=name+~+%22feature%22&pagelen=100"
NONCE = "kllo9940pd9333jh"
TIMESTAMP = "1191242096"


CLIENT = Client(
    "bb-local",
    client_secret="bb-local-secret",
    resource_owner_key="nnch734d00sl2jdk",
    resource_owner_secret="pfkkdhi9sl3r4s00",
    signature_method=SIGNATURE_HMAC,
    signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    nonce=NONCE,
    timestamp=TIMESTAMP,
)


def sign():
    # The client is made once, as requests-oauthlib does per OAuth1 object; only sign() is timed.
    _, headers, _ = CLIENT.sign(URL, http_method="GET")
    return headers["Authorization"]


def main(argv):
    if "--print-header" in argv:
        print(sign())
        return 0
    timer = timeit.Timer(sign)
    number, _ = timer.autorange()  # enough calls for >= 0.2 s
    samples = sorted(t / number for t in timer.repeat(repeat=7, number=number))
    best, median = samples[0], samples[len(samples) // 2]
    # "best" is timeit's recommended figure (the min of the 7 batch means); run.sh compares it with
    # BenchmarkDotNet's min (also a min of batch means), and the medians side by side.
    result = {"ops_per_s": round(1 / best), "best_ns": round(best * 1e9, 1), "median_ns": round(median * 1e9, 1),
              "calls_per_sample": number, "header": sign()}
    text = json.dumps(result, indent=2)
    if "--out" in argv:
        with open(argv[argv.index("--out") + 1], "w", encoding="utf-8") as f:
            f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""The peer of `bb user get`: one OAuth 1.0a (HMAC-SHA1) signed GET of /2.0/user with requests-oauthlib.

Debian: python3-requests-oauthlib. Reads BENCH_API_URL, BENCH_CONSUMER_KEY, BENCH_CONSUMER_SECRET,
BENCH_TOKEN and BENCH_TOKEN_SECRET (bench/run.sh takes them from bb's hosts.json after `bb auth login`),
prints the body like bb does, and exits 1 unless the server answered 200.
"""
import os
import sys

import requests
from requests_oauthlib import OAuth1


def main():
    env = os.environ
    auth = OAuth1(
        env["BENCH_CONSUMER_KEY"],
        client_secret=env["BENCH_CONSUMER_SECRET"],
        resource_owner_key=env["BENCH_TOKEN"],
        resource_owner_secret=env["BENCH_TOKEN_SECRET"],
    )
    response = requests.get(env["BENCH_API_URL"].rstrip("/") + "/2.0/user", auth=auth, timeout=30)
    sys.stdout.write(response.text + "\n")
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main())

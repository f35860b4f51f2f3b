"""How much CPU the worst documents under the size limit cost before they are accepted or refused.

    .venv/bin/python bench/document_limits.py [--rounds 15] [--http-seconds 4] [--port 8600]

Part 1, in process: for every shape an attacker (or a big client) can write within 20 KB (repeated
fields, fragment fan-out, deep nesting, many aliases, variables, directives, operations, long
strings and comments, and the clients' own heaviest screens), the CPU time (`time.process_time`)
to parse, check the limits, validate and cost it, with the document cache cleared each time.
Rounds are interleaved (every shape once per round, in a shuffled order), so a busy machine slows
every shape alike; the figure to read is the median, next to the worst round. Goal: every shape
under 50 ms.

Part 2, over HTTP (skipped with --http-seconds 0): one daphne process; the latency of a trivial
query alone, then while three clients send the worst refused shapes back to back, alternating
the two phases.

The load average is printed before and after: other work on the machine inflates every figure.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

LIMIT = 20_000


def fill(head: str, unit: str, tail: str, limit: int = LIMIT, sep: str = " ") -> str:
    """`head` + as many `unit`s as fit in `limit` bytes + `tail` (unit may use {i})."""
    parts, size, i = [head], len(head.encode()) + len(tail.encode()), 0
    while True:
        piece = sep + unit.replace("{i}", str(i))
        if size + len(piece.encode()) > limit:
            break
        parts.append(piece)
        size += len(piece.encode())
        i += 1
    return "".join(parts) + tail


def within(limit_tokens: int, build) -> str:
    """The largest `build(n)` that stays within the token limit (to reach the rules behind it)."""
    from graphql import Source
    from graphql.language import Lexer, TokenKind

    def tokens(query):
        lexer, count = Lexer(Source(query)), 0
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
        return count

    low, high = 1, 5000
    while low < high:
        middle = (low + high + 1) // 2
        if tokens(build(middle)) <= limit_tokens and len(build(middle).encode()) <= LIMIT:
            low = middle
        else:
            high = middle - 1
    return build(low)


ME_SCREEN = (
    "me { id nickname avatarUrl city bio isVerifiedOwner isBrandStaff joinedAt level followerCount "
    "followingCount isFollowedByViewer vehicles { id model } badges { code name } points { balance level } "
    "activity { lifecycle } }"
)


def shapes() -> dict[str, tuple[str, dict]]:
    from django.conf import settings

    from tests.community.graphql.client_queries import CLIENT_QUERIES

    max_tokens, fragments, repeats = (
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_FRAGMENTS,
        settings.GRAPHQL_MAX_FIELD_REPEATS,
    )
    variables = settings.GRAPHQL_MAX_VARIABLES

    fan = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(60))
    cycle = " ".join(f"fragment C{i} on Query {{ ...C{i + 1} ...C{i + 1} }}" for i in range(60))
    return {
        # What an attacker writes, filling the whole 20 KB.
        "repeated fields { me { id } ... }": (fill("{", "me { id }", " }"), {}),
        "repeated leaf fields": (fill("{", "unreadNotificationCount", " }"), {}),
        "repeated fields, under the token limit": (within(max_tokens, lambda n: "{" + " me { id }" * n + " }"), {}),
        "repeats merged across parents": (
            within(max_tokens, lambda n: "{" + " me { nickname }" * 2 + " me { " + "id " * n + "} }"),
            {},
        ),
        "one fragment spread thousands of times": (
            fill("{", "...F", " } fragment F on Query { me { id } }", limit=LIMIT - 40),
            {},
        ),
        "fragment fan-out (2**60 fields)": ("{ ...F0 } " + fan + " fragment F60 on Query { me { id } }", {}),
        "fragment fan-out with a cycle": ("{ ...C0 } " + cycle + " fragment C60 on Query { ...C0 }", {}),
        "distinct fragments spread together": (
            within(
                max_tokens,
                lambda n: (
                    "{ "
                    + " ".join(f"...G{i}" for i in range(n))
                    + " } "
                    + " ".join(f"fragment G{i} on Query {{ x{i} }}" for i in range(n))
                ),
            ),
            {},
        ),
        f"{fragments} distinct fragments spread together (the most allowed)": (
            "{ "
            + " ".join(f"...G{i}" for i in range(fragments))
            + " } "
            + " ".join(f"fragment G{i} on Query {{ x{i} }}" for i in range(fragments)),
            {},
        ),
        "400 unknown fields (each gets suggestions)": ("{ " + " ".join(f"x{i}" for i in range(400)) + " }", {}),
        f"a screen asked for {repeats} times (repeats everywhere)": ("{" + f" {ME_SCREEN}" * repeats + " }", {}),
        f"{variables} variables (the most allowed), all used": (
            "mutation("
            + ", ".join(f"$v{i}: ID!" for i in range(variables))
            + ") { markNotificationsRead(input: { ids: ["
            + ", ".join(f"$v{i}" for i in range(variables))
            + "] }) { unreadCount } }",
            {f"v{i}": "Tm90aWZpY2F0aW9uOjE=" for i in range(variables)},
        ),
        "deep nesting { me { me { ...": ("{ " + "me{" * 4900 + "id" + "}" * 4901, {}),
        "deep list value [[[[...": ("{ user(id: " + "[" * 9900 + "]" * 9900 + ") { id } }", {}),
        "deep inline fragments": (fill("{", "... on Query {", "", limit=LIMIT // 2) + " __typename" + " }" * 700, {}),
        "many aliases": (fill("{", "a{i}: me { id }", " }"), {}),
        "many aliases, under the token limit": (
            within(max_tokens, lambda n: "{ " + " ".join(f"a{i}: unreadNotificationCount" for i in range(n)) + " }"),
            {},
        ),
        "many variables": (fill("query(", "$v{i}: Int", ") { me { id } }", sep=", "), {}),
        "many variables, under the token limit": (
            within(
                max_tokens,
                lambda n: "query(" + ", ".join(f"$v{i}: Int" for i in range(n)) + ") { me { id } }",
            ),
            {f"v{i}": i for i in range(300)},
        ),
        "many directives": (fill("{ me", "@include(if: true)", " { id } }"), {}),
        "many arguments": (fill("{ user(", "id: 1", ") { id } }", sep=", "), {}),
        "many operations": (fill("", "query Q{i} { me { id } }", ""), {}),
        "long string": ('{ user(id: "' + "x" * (LIMIT - 40) + '") { id } }', {}),
        "long block string": ('{ user(id: """' + "x" * (LIMIT - 40) + '""") { id } }', {}),
        "a comment of 20 KB": ("{ __typename }\n#" + "x" * (LIMIT - 20), {}),
        "26 aliases of circles(100) x members(100)": (
            "{ "
            + " ".join(f"c{i}: circles(first: 100) {{ ...M }}" for i in range(26))
            + " } fragment M on CircleConnection { edges { node { id members(first: 100) "
            "{ edges { node { id role } } } } } }",
            {},
        ),
        # What the clients send.
        **{f"client: {name}": query for name, query in CLIENT_QUERIES.items()},
    }


def check(query: str, variables: dict) -> tuple[float, str]:
    """CPU seconds to take `query` from text to accepted or refused, and the outcome."""
    from graphql import get_operation_ast

    from community.graphql import documents
    from community.graphql.limits import cost_error
    from community.graphql.validation import HTTP_VALIDATION_RULES
    from community.schema import schema

    documents._checked.cache_clear()
    gc.collect()  # a collection of the whole heap would otherwise land inside some documents' figures
    start = time.process_time()
    if len(query.encode()) > LIMIT:
        return time.process_time() - start, "QUERY_TOO_LARGE"
    document, errors = documents.checked_document(schema.graphql_schema, query, HTTP_VALIDATION_RULES)
    if not errors:
        operation = get_operation_ast(document, None)
        refused = operation and cost_error(schema.graphql_schema, document, operation, variables)
        errors = [refused] if refused else []
    elapsed = time.process_time() - start
    if not errors:
        return elapsed, "accepted"
    code = (errors[0].extensions or {}).get("code") or "invalid"
    return elapsed, f"{code}: {errors[0].message[:48]}"


def in_process(rounds: int) -> list[tuple[str, float, float, str, int]]:
    table = shapes()
    times: dict[str, list[float]] = {name: [] for name in table}
    outcome: dict[str, str] = {}
    names = list(table)
    for _ in range(rounds):
        random.shuffle(names)
        for name in names:
            elapsed, outcome[name] = check(*table[name])
            times[name].append(elapsed)
    return [
        (name, statistics.median(times[name]), max(times[name]), outcome[name], len(table[name][0].encode()))
        for name in table
    ]


def free_port(preferred: int) -> int:
    """The first free port from `preferred` on (benchmarks here keep to a range of their own)."""
    for port in range(preferred, preferred + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def over_http(seconds: float, port: int) -> None:
    table = shapes()
    attacks = [
        table[name][0]
        for name in ("repeated fields { me { id } ... }", "repeated fields, under the token limit", "many aliases")
    ]
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    env = {**os.environ, "SQLITE_PATH": str(database), "DJANGO_SETTINGS_MODULE": "community.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    harness.migrate(env)
    server, port = harness.start_daphne(env, port=free_port(port))
    try:

        def send(conn, query):
            conn.request("POST", "/graphql/", json.dumps({"query": query}), {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            return response.status

        def probe(duration: float) -> list[float]:
            conn, latencies = http.client.HTTPConnection("127.0.0.1", port, timeout=120), []
            end = time.monotonic() + duration
            while time.monotonic() < end:
                start = time.perf_counter()
                send(conn, "{ __typename }")
                latencies.append(time.perf_counter() - start)
            return latencies

        def attacker(stop: threading.Event, query: str, counts: list[int]):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            while not stop.is_set():
                send(conn, query + " " * random.randint(0, 9))  # defeats the document cache
                counts.append(1)

        probe(1.0)  # warm up
        phases = {"alone": [], "3 attackers": []}
        refused = []
        for _ in range(2):
            phases["alone"] += probe(seconds)
            stop = threading.Event()
            threads = [threading.Thread(target=attacker, args=(stop, q, refused)) for q in attacks]
            for thread in threads:
                thread.start()
            phases["3 attackers"] += probe(seconds)
            stop.set()
            for thread in threads:
                thread.join()
        print(f"\nHTTP, one daphne process: `{{ __typename }}` latency, {seconds:.0f} s per phase, phases alternated")
        base = statistics.median(phases["alone"])
        for name, latencies in phases.items():
            p50, p99 = harness.percentile(latencies, 0.5), harness.percentile(latencies, 0.99)
            print(
                f"  {name:12} {len(latencies):6} requests  p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms"
                f"  p50 x{p50 / base:.1f}"
            )
        print(f"  attackers' documents refused: {len(refused)} ({len(refused) / (2 * seconds):.0f}/s)")
    finally:
        harness.stop(server)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--http-seconds", type=float, default=4.0)
    parser.add_argument("--port", type=int, default=8600)
    args = parser.parse_args()
    harness.setup_django("", REDIS_URL=None)  # SQLite: documents are checked, never run
    from django.utils import translation

    translation.activate("en")
    harness.print_load("load average before")
    rows = in_process(args.rounds)
    print(f"\nCPU per document, text to accepted/refused ({args.rounds} interleaved rounds, cache cleared)")
    print(f"  {'shape':44} {'bytes':>6} {'median':>9} {'worst':>9}  outcome")
    for name, median, worst, outcome, size in rows:
        print(f"  {name:44} {size:6} {median * 1000:7.1f}ms {worst * 1000:7.1f}ms  {outcome}")
    slowest = max(rows, key=lambda row: row[1])
    print(f"  slowest median: {slowest[1] * 1000:.1f} ms ({slowest[0]})")
    if args.http_seconds > 0:
        over_http(args.http_seconds, args.port)
    print()
    harness.print_load("load average after")


if __name__ == "__main__":
    main()

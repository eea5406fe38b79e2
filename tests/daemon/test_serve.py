"""`switchboard serve` as a process: JSON lines on stdin and a Unix socket, a journal that
survives kill -9 exactly, a torn last record, tokens, and the audit export.

Run with Debian's /usr/bin/python3; SWITCHBOARD_CLI names the built `switchboard` executable.
"""

import json
import os
import random
import signal
import socket
import subprocess
import time

import pytest

CLI = os.environ.get("SWITCHBOARD_CLI", "build/bin/switchboard")
T0 = 1_700_000_000

TOKENS = """\
aaaaaaaaaaaaaaaa1111 agent:a1
bbbbbbbbbbbbbbbb2222 agent:a2
ssssssssssssssss3333 supervisor:sam teams=blue
"""


class Serve:
    """A running daemon with its standard input and output as pipes."""

    def __init__(self, journal, *extra):
        self.proc = subprocess.Popen(
            [CLI, "serve", "--journal", str(journal), *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def send(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()

    def reply(self):
        """The next reply, skipping the event lines before it."""
        while True:
            line = self.proc.stdout.readline()
            assert line, "the daemon closed its output: " + self.proc.stderr.read()
            message = json.loads(line)
            if "event" not in message:
                return message

    def call(self, request):
        self.send(request)
        return self.reply()

    def close(self):
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0, self.proc.stderr.read()
        return self.proc.stderr.read()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def setup_commands():
    commands = [
        {"op": "add_queue", "at": T0, "args": {"id": "support"}},
        # Open until 22:30 UTC and again from 22:40 on T0's day (a Tuesday), so that the day
        # crosses a closing and an opening.
        {"op": "add_queue", "at": T0, "args": {"id": "sales", "strategy": "random",
                                               "hours": {"tue": ["22:00-22:30", "22:40-23:59"]}}},
    ]
    for i in range(6):
        commands.append({"op": "add_agent", "at": T0,
                         "args": {"id": f"a{i}", "team": "blue" if i % 2 else "red"}})
        commands.append({"op": "login", "at": T0, "args": {"agent": f"a{i}", "ready": True}})
    return commands


def random_commands(seed, count):
    """A random day: contacts arrive, ring, are answered, rejected, completed, abandoned; agents
    pause. Many commands are refused by the engine (wrong state): those are journaled too."""
    rng = random.Random(seed)
    at = T0 + 1.0
    commands = []
    for n in range(count):
        at += rng.choice([0.0, 0.25, 1.5, 7.0, 20.0])
        agent = f"a{rng.randrange(6)}"
        contact = f"c{rng.randrange(max(1, n // 3 + 1))}"
        kind = rng.randrange(9)
        if kind <= 2:
            op, args = "add_contact", {"id": f"c{n}", "queue": rng.choice(["support", "sales"]),
                                       "priority": rng.randrange(3)}
        elif kind == 3:
            op, args = "accept_offer", {"agent": agent, "contact": contact}
        elif kind == 4:
            op, args = "complete_contact", {"agent": agent, "contact": contact}
        elif kind == 5:
            op, args = "reject_offer", {"agent": agent, "contact": contact}
        elif kind == 6:
            op, args = rng.choice([("set_not_ready", {"agent": agent, "reason": "break"}),
                                   ("set_ready", {"agent": agent})])
        elif kind == 7:
            op, args = "abandon_contact", {"contact": contact}
        else:
            op, args = "advance", {}
        commands.append({"id": n, "op": op, "at": at, "args": args})
    return commands


def dump(serve):
    reply = serve.call({"op": "dump"})
    assert reply["ok"], reply
    return reply["result"]


def test_commands_get_replies_and_events(tmp_path):
    serve = Serve(tmp_path / "j")
    for command in setup_commands():
        assert serve.call(command)["ok"]
    serve.send({"id": "c", "op": "add_contact", "at": T0 + 1, "args": {"id": "c1", "queue": "support"}})
    serve.send({"id": "end", "op": "list_queues"})
    lines = []
    while not lines or lines[-1].get("id") != "end":
        lines.append(json.loads(serve.proc.stdout.readline()))
    replies = [line for line in lines if "event" not in line]
    assert replies == [{"id": "c", "ok": True}, {"id": "end", "ok": True, "result": ["support", "sales"]}]
    after = lines[lines.index({"id": "c", "ok": True}) + 1:-1]
    assert after and all(line["event"]["time"].startswith("2023-11-14T22:13:21") for line in after)
    assert after[0]["event"]["contact"] == "c1"
    bad = serve.call({"id": 9, "op": "login", "args": {"agent": 5}})
    assert bad["ok"] is False and bad["error"]["code"] == "INVALID_ARGUMENT"
    serve.proc.stdin.write("this is not json\n")
    serve.proc.stdin.flush()
    assert serve.reply()["error"]["code"] == "INVALID_ARGUMENT"
    stats = serve.call({"op": "queue_stats", "args": {"queue": "support"}})
    assert stats["ok"] and stats["result"]["offered"] == 1
    serve.close()


@pytest.mark.parametrize("seed,snapshot_every", [(1, 0), (2, 40), (3, 1), (4, 97)])
def test_kill_9_recovers_the_state_of_every_acknowledged_command(tmp_path, seed, snapshot_every):
    commands = setup_commands() + random_commands(seed, 400)
    rng = random.Random(seed)
    kill_after = rng.randrange(len(commands) // 3, len(commands))
    serve = Serve(tmp_path / "j", "--snapshot-every", str(snapshot_every))
    acknowledged = 0
    for command in commands[:kill_after]:
        serve.call(command)
        acknowledged += 1
    # Written but unanswered: the daemon may or may not have journaled these before the kill.
    in_flight = commands[kill_after:kill_after + 5]
    for command in in_flight:
        serve.send(command)
    serve.kill()

    recovered = Serve(tmp_path / "j")
    state = dump(recovered)
    stderr = recovered.close()
    # With snapshots, recovery starts from the newest and replays only the records after it.
    assert ("after the snapshot at record" in stderr) == (snapshot_every > 0), stderr

    reference = Serve(tmp_path / "reference")
    for command in commands[:acknowledged]:
        reference.call(command)
    candidates = [dump(reference)]
    for command in in_flight:
        reference.call(command)
        candidates.append(dump(reference))
    reference.close()
    assert state in candidates
    assert state == candidates[0] or acknowledged < len(commands)


def test_a_torn_last_record_is_dropped_and_reported(tmp_path):
    serve = Serve(tmp_path / "j")
    for command in setup_commands():
        serve.call(command)
    state = dump(serve)
    serve.close()
    with open(tmp_path / "j" / "journal.log", "ab") as journal:
        journal.write(b"999 120 0badc0de {\"at\": \"2023-11")  # a write cut short by a crash
    recovered = Serve(tmp_path / "j")
    assert dump(recovered) == state
    stderr = recovered.close()
    assert "torn" in stderr


def test_a_damaged_journal_stops_the_daemon_with_a_clear_error(tmp_path):
    serve = Serve(tmp_path / "j")
    for command in setup_commands():
        serve.call(command)
    serve.close()
    path = tmp_path / "j" / "journal.log"
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] = ord("#") if data[middle] != ord("#") else ord("%")
    path.write_bytes(bytes(data))
    proc = subprocess.run([CLI, "serve", "--journal", str(tmp_path / "j")], input="",
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert "journal" in proc.stderr and "record" in proc.stderr


def connect(path):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(100):
        try:
            client.connect(str(path))
            return client, client.makefile("rw", encoding="utf-8", newline="\n")
        except (FileNotFoundError, ConnectionRefusedError):
            time.sleep(0.05)
    raise AssertionError("the daemon's socket never appeared")


def socket_call(stream, request):
    stream.write(json.dumps(request) + "\n")
    stream.flush()
    while True:
        message = json.loads(stream.readline())
        if "event" not in message:
            return message


def test_socket_connections_authenticate_and_are_authorized(tmp_path):
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(TOKENS)
    sock = tmp_path / "sb.sock"
    serve = Serve(tmp_path / "j", "--tokens", str(tokens), "--socket", str(sock))
    for command in setup_commands():
        assert serve.call(command)["ok"]
    client, stream = connect(sock)
    assert socket_call(stream, {"op": "set_ready", "args": {"agent": "a1"}})["error"]["code"] \
        == "UNAUTHENTICATED"
    assert socket_call(stream, {"op": "auth", "token": "aaaaaaaaaaaaaaaa1111"})["result"] == \
        {"actor": "agent:a1", "role": "agent"}
    own = socket_call(stream, {"op": "set_not_ready", "at": T0 + 5,
                               "args": {"agent": "a1", "reason": "lunch"}})
    assert own["ok"], own
    other = socket_call(stream, {"op": "set_not_ready", "at": T0 + 5,
                                 "args": {"agent": "a2", "reason": "lunch"}})
    assert other["error"]["code"] == "PERMISSION_DENIED"
    client.close()
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=30) == 0

    audit = subprocess.run([CLI, "audit", "--journal", str(tmp_path / "j"), "--actor", "agent:a1",
                            "--no-events"], capture_output=True, text=True, timeout=30)
    assert audit.returncode == 0, audit.stderr
    records = [json.loads(line)["record"] for line in audit.stdout.splitlines()]
    assert [r["op"] for r in records] == ["set_not_ready", "set_not_ready"]
    assert records[0]["code"] == "OK"
    assert records[1]["refused"] == "PERMISSION_DENIED"


CENTER = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "center.toml")


def test_a_center_file_configures_a_new_journal_only(tmp_path):
    serve = Serve(tmp_path / "j", "--config", CENTER)
    assert serve.call({"op": "list_agents"})["result"] == ["alice", "bob", "carol"]
    routed = serve.call({"op": "add_contact", "args": {"id": "c1", "attributes": {"topic": "billing"}}})
    assert routed["ok"], routed
    assert serve.call({"op": "contact", "args": {"contact": "c1"}})["result"]["queue"] == "sales"
    assert "applied" in serve.close()

    again = Serve(tmp_path / "j", "--config", CENTER)
    assert again.call({"op": "list_queues"})["result"] == ["support", "sales"]
    assert "not applied" in again.close()

    bad = tmp_path / "bad.toml"
    bad.write_text('[[agent]]\nid = "x"\nskils = { a = 1 }\n')
    proc = subprocess.run([CLI, "serve", "--journal", str(tmp_path / "k"), "--config", str(bad)],
                          input="", capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "[[agent]] #1: args: unknown key 'skils'" in proc.stderr

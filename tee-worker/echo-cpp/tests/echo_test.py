#!/usr/bin/env python3
"""Black-box tests for echo-cpp: start the binary on a free port and talk TCP to it.

Usage: echo_test.py --binary PATH [unittest options]   (or set ECHO_CPP_BINARY)

Standard library only. Every socket and process wait has a timeout, and every server
started is killed when its test ends, so a broken server fails a test instead of hanging it.
"""

import argparse
import fcntl
import os
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import unittest

BINARY = os.environ.get("ECHO_CPP_BINARY", "")
HOST = "127.0.0.1"
IO_TIMEOUT = 10.0  # seconds for any single socket operation
START_TIMEOUT = 10.0  # seconds for the server to print its address
EXIT_TIMEOUT = 10.0  # seconds for the server to exit


class EchoServer:
    """One echo-cpp process on 127.0.0.1:<free port>; stderr goes to a file so it can never block."""

    def __init__(self, *extra_args):
        self.stderr_file = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [BINARY, "--listen", f"{HOST}:0", *extra_args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.stderr_file,
        )
        try:
            line = self._read_stdout_line(START_TIMEOUT)
            prefix = f"listening on {HOST}:"
            if not line.startswith(prefix):
                raise AssertionError(f"unexpected first line {line!r}; stderr: {self.stderr()!r}")
            self.port = int(line[len(prefix):])
        except BaseException:
            self.kill()
            raise

    def _read_stdout_line(self, timeout):
        deadline = time.monotonic() + timeout
        data = b""
        fd = self.process.stdout.fileno()
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no address line within {timeout}s; stderr: {self.stderr()!r}")
            readable, _, _ = select.select([fd], [], [], left)
            if readable:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise AssertionError(f"server exited early; stderr: {self.stderr()!r}")
                data += chunk
        return data.decode().strip()

    def connect(self, timeout=IO_TIMEOUT):
        return socket.create_connection((HOST, self.port), timeout=timeout)

    def alive(self):
        return self.process.poll() is None

    def stderr(self):
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode(errors="replace")

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def signal(self, signal_number):
        self.process.send_signal(signal_number)
        return self.process.wait(timeout=EXIT_TIMEOUT)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=EXIT_TIMEOUT)
        finally:
            self.process.stdout.close()
            self.stderr_file.close()


def recv_exactly(sock, size):
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(min(65536, size - len(data)))
        if not chunk:
            raise AssertionError(f"connection closed after {len(data)} of {size} bytes")
        data += chunk
    return bytes(data)


def read_until_closed(sock, limit=1 << 24):
    """Reads until EOF or reset; returns what arrived (a reset counts as closed)."""
    data = bytearray()
    try:
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    return bytes(data)


def round_trip(test, server, payload=b"ping\n"):
    with server.connect() as sock:
        sock.sendall(payload)
        test.assertEqual(recv_exactly(sock, len(payload)), payload)


def wait_until(condition, timeout=IO_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def unsent_bytes(sock):
    """Bytes in the socket's send queue not yet acknowledged by the peer (SIOCOUTQ)."""
    raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
    return struct.unpack("i", raw)[0]


TCP_CLOSE_WAIT = 8


def tcp_state(local_port, remote_port):
    """(state, receive queue bytes) of a loopback IPv4 TCP socket, from /proc/net/tcp."""
    with open("/proc/net/tcp") as table:
        next(table)  # header
        for row in table:
            fields = row.split()
            local, remote, state, queues = fields[1], fields[2], fields[3], fields[4]
            if (int(local.split(":")[1], 16), int(remote.split(":")[1], 16)) == (local_port, remote_port):
                return int(state, 16), int(queues.split(":")[1], 16)
    raise AssertionError(f"no TCP socket {local_port}->{remote_port}")


def assert_nothing_arrives(test, sock, wait=0.3):
    sock.settimeout(wait)
    try:
        test.fail(f"unexpected data {sock.recv(100)!r}")
    except socket.timeout:
        pass
    finally:
        sock.settimeout(IO_TIMEOUT)


class ServerTest(unittest.TestCase):
    server_args = ()

    def setUp(self):
        self.server = EchoServer(*self.server_args)
        self.addCleanup(self.server.kill)

    def tearDown(self):
        # Whatever the test did to it, the server must still be running.
        self.assertTrue(self.server.alive(), f"server died; stderr: {self.server.stderr()!r}")


class EchoTest(ServerTest):
    def test_single_line_round_trip(self):
        round_trip(self, self.server, b"hello, world\n")

    def test_many_lines_in_one_write(self):
        payload = b"first\nsecond\n\nfourth line\n" + b"".join(b"%d\n" % i for i in range(1000))
        round_trip(self, self.server, payload)

    def test_line_split_across_many_writes(self):
        line = b"a line sent one byte at a time\n"
        with self.server.connect() as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for byte in line[:-1]:
                sock.sendall(bytes([byte]))
                time.sleep(0.002)
            assert_nothing_arrives(self, sock)  # no echo before the '\n'
            sock.sendall(b"\n")
            self.assertEqual(recv_exactly(sock, len(line)), line)

    def test_bytes_are_echoed_exactly(self):
        rng = random.Random(1)
        all_but_newline = bytes(b for b in range(256) if b != 0x0A)
        lines = [
            all_but_newline,
            b"crlf stays\r",
            b"\x00\x00\x00",
            b"\xff\xfe invalid utf-8 \xc3\x28 \xed\xa0\x80",
            bytes(rng.choice(all_but_newline) for _ in range(5000)),
            b"",
        ]
        round_trip(self, self.server, b"".join(line + b"\n" for line in lines))

    def test_half_closed_client_gets_its_answers_then_eof(self):
        with self.server.connect() as sock:
            sock.sendall(b"one\ntwo\nunfinished")
            sock.shutdown(socket.SHUT_WR)
            # The unfinished line is never echoed; the server closes once it has answered.
            self.assertEqual(read_until_closed(sock), b"one\ntwo\n")

    def test_concurrent_clients_get_their_own_lines_in_order(self):
        clients, lines_per_client = 50, 200
        all_connected = threading.Barrier(clients, timeout=IO_TIMEOUT)
        errors = []

        def client(index):
            try:
                lines = [b"client %02d line %03d %s\n" % (index, n, os.urandom(8).hex().encode())
                         for n in range(lines_per_client)]
                expected = b"".join(lines)
                with self.server.connect() as sock:
                    all_connected.wait()
                    # Several writes per client so the clients' data interleaves at the server.
                    for start in range(0, lines_per_client, 25):
                        sock.sendall(b"".join(lines[start:start + 25]))
                    received = recv_exactly(sock, len(expected))
                    if received != expected:
                        errors.append(f"client {index}: got other bytes than it sent")
            except Exception as error:  # reported by the main thread
                errors.append(f"client {index}: {error!r}")

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.assertFalse([t for t in threads if t.is_alive()], "clients did not finish in 60 s")
        self.assertEqual(errors, [])

    def test_client_disconnecting_mid_line_does_not_affect_others(self):
        with self.server.connect() as bystander:
            bystander.sendall(b"before\n")
            self.assertEqual(recv_exactly(bystander, 7), b"before\n")

            with self.server.connect() as quitter:
                quitter.sendall(b"half a li")
            with self.server.connect() as aborter:
                aborter.sendall(b"answered\nhalf a li")
                # SO_LINGER 0: close with a reset instead of a FIN.
                aborter.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

            bystander.sendall(b"after\n")
            self.assertEqual(recv_exactly(bystander, 6), b"after\n")
        round_trip(self, self.server)

    def test_client_closing_without_reading_does_not_kill_server(self):
        # The server's echoes then meet a reset; it must drop the client and carry on.
        payload = b"nobody reads this\n" * 50000  # ~1 MB: fits in the socket buffers
        for half_close_first in (False, True, False, True):
            with self.server.connect() as sock:
                sock.sendall(payload)
                if half_close_first:
                    sock.shutdown(socket.SHUT_WR)
                    time.sleep(0.05)
        time.sleep(0.2)
        round_trip(self, self.server)

    def test_reset_while_answering_a_half_closed_client_does_not_raise_sigpipe(self):
        # The one case where Linux makes send() fail with EPIPE (and so raise SIGPIPE unless
        # suppressed): the client half-closed (server in CLOSE_WAIT), the server still has
        # answers it cannot deliver, and then the client resets. Driven step by step from
        # the kernel's view of the server's socket in /proc/net/tcp so it is deterministic.
        if not os.path.exists("/proc/net/tcp"):
            self.skipTest("needs /proc/net/tcp")
        sock = socket.socket()
        with sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills up quickly
            sock.settimeout(IO_TIMEOUT)
            sock.connect((HOST, self.server.port))
            server_end = (self.server.port, sock.getsockname()[1])
            chunk = b"nobody reads this\n" * 900
            deadline = time.monotonic() + 60
            # Send until the server stops reading (its output is full), each chunk fully
            # delivered first, so that the FIN sent next reaches the server.
            while True:
                self.assertLess(time.monotonic(), deadline, "server never stopped reading")
                sock.sendall(chunk)
                self.assertTrue(wait_until(lambda: unsent_bytes(sock) == 0), "chunk not delivered")
                # Data left in the server's receive queue for 0.5 s: it stopped reading.
                if not wait_until(lambda: tcp_state(*server_end)[1] == 0, timeout=0.5):
                    break
            sock.shutdown(socket.SHUT_WR)
            # Stuck with answers it cannot deliver, the server stays in CLOSE_WAIT.
            self.assertTrue(wait_until(lambda: tcp_state(*server_end)[0] == TCP_CLOSE_WAIT))
            # Leaving the block closes the socket with unread data: that sends the reset.
        time.sleep(0.2)
        self.assertTrue(self.server.alive(), "server died (SIGPIPE?)")
        round_trip(self, self.server)

    def test_client_that_never_reads_is_throttled(self):
        if not os.path.exists(f"/proc/{self.server.process.pid}/status"):
            self.skipTest("needs /proc")
        cap = 256 << 20
        with self.server.connect() as flooder:
            # Send until the server stops reading and the kernel buffers fill (send blocks).
            flooder.settimeout(1.0)
            chunk = b"x" * 1023 + b"\n"
            chunk *= 64
            sent = 0
            try:
                while sent < cap:
                    flooder.sendall(chunk)
                    sent += len(chunk)
            except socket.timeout:
                pass
            self.assertLess(sent, cap, "server kept reading from a client that never reads")
            # Our buffers are bounded; what is in flight sits in kernel socket buffers.
            self.assertLess(self.server.rss_kib(), 32 * 1024)
            round_trip(self, self.server)  # the others are still served


class MaxLineTest(ServerTest):
    server_args = ("--max-line", "1024")

    def test_line_of_max_length_is_echoed(self):
        round_trip(self, self.server, b"m" * 1024 + b"\n")

    def test_overlong_line_closes_only_that_client(self):
        for overlong in (b"y" * 1025 + b"\n",   # complete, in one read
                         b"z" * 5000):           # unterminated
            with self.subTest(size=len(overlong)), self.server.connect() as bystander:
                bystander.sendall(b"hi\n")
                self.assertEqual(recv_exactly(bystander, 3), b"hi\n")
                with self.server.connect() as offender:
                    offender.sendall(overlong)
                    self.assertEqual(read_until_closed(offender), b"")
                bystander.sendall(b"still here\n")
                self.assertEqual(recv_exactly(bystander, 11), b"still here\n")
        self.assertIn("longer than 1024 bytes", self.server.stderr())

    def test_overlong_line_split_across_writes(self):
        with self.server.connect() as offender:
            offender.sendall(b"ok\n")
            self.assertEqual(recv_exactly(offender, 3), b"ok\n")
            try:
                for _ in range(10):  # 2000 bytes in all; the server gives up after 1024
                    offender.sendall(b"w" * 200)
                    time.sleep(0.01)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server has already closed the connection
            self.assertEqual(read_until_closed(offender), b"")
        round_trip(self, self.server)


class MaxClientsTest(ServerTest):
    server_args = ("--max-clients", "2")

    def test_clients_beyond_the_limit_wait_for_a_free_slot(self):
        first, second = self.server.connect(), self.server.connect()
        with first, second, self.server.connect() as third:
            for sock in (first, second):
                sock.sendall(b"in\n")
                self.assertEqual(recv_exactly(sock, 3), b"in\n")
            third.sendall(b"waiting\n")
            assert_nothing_arrives(self, third)
            first.close()
            self.assertEqual(recv_exactly(third, 8), b"waiting\n")


class ProcessTest(unittest.TestCase):
    def run_binary(self, *args):
        return subprocess.run([BINARY, *args], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=EXIT_TIMEOUT)

    def test_help(self):
        result = self.run_binary("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn(b"Usage: echo-cpp --listen", result.stdout)

    def test_bad_arguments_exit_non_zero_with_a_message(self):
        cases = [
            ((), b"missing required option --listen"),
            (("--bogus",), b"unknown option '--bogus'"),
            (("--listen",), b"needs a value"),
            (("--listen", "not-an-address"), b"invalid address"),
            (("--listen", "localhost:7000"), b"invalid IPv4 address"),
            (("--listen", "999.0.0.1:7000"), b"invalid IPv4 address"),
            (("--listen", "::1:7000"), b"brackets"),
            (("--listen", "[::1:7000"), b"invalid address"),
            (("--listen", "127.0.0.1:65536"), b"invalid port"),
            (("--listen", "127.0.0.1:"), b"invalid port"),
            (("--listen", "127.0.0.1:0", "--max-clients", "0"), b"invalid --max-clients"),
            (("--listen", "127.0.0.1:0", "--max-line", "12k"), b"invalid --max-line"),
            (("--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0"), b"more than once"),
            (("--listen", "127.0.0.1:0", "extra"), b"unexpected argument 'extra'"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = self.run_binary(*args)
                self.assertEqual(result.returncode, 2)
                self.assertIn(message, result.stderr)
                self.assertEqual(result.stdout, b"")

    def test_port_in_use_exits_non_zero_with_a_message(self):
        with socket.socket() as taken:
            taken.bind((HOST, 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = self.run_binary("--listen", f"{HOST}:{port}")
        self.assertEqual(result.returncode, 1)
        self.assertIn(b"Address already in use", result.stderr)

    def test_stop_signals_exit_zero(self):
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=signal_number.name):
                server = EchoServer()
                self.addCleanup(server.kill)
                with server.connect() as idle, server.connect() as busy:
                    busy.sendall(b"half a line")
                    round_trip(self, server)
                    self.assertEqual(server.signal(signal_number), 0)
                    self.assertEqual(read_until_closed(idle), b"")
                self.assertIn(f"received {signal_number.name}", server.stderr())


class CountingResult(unittest.TextTestResult):
    """Remembers passes so main() can print a 'N passed, N failed' summary line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


class CountingRunner(unittest.TextTestRunner):
    resultclass = CountingResult


def main():
    global BINARY
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--binary", default=BINARY)
    known, rest = parser.parse_known_args()
    BINARY = os.path.abspath(known.binary) if known.binary else ""
    if not BINARY or not os.access(BINARY, os.X_OK):
        sys.exit(f"echo_test.py: pass --binary PATH to the built echo-cpp (got {BINARY!r})")
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False,
                            testRunner=CountingRunner)
    result = program.result
    # Per test, not per reported problem: a test can fail in its body and its tearDown.
    failed = result.testsRun - result.passed - len(result.skipped) - len(result.expectedFailures)
    print(f"echo_test: {result.passed} passed, {failed} failed, {len(result.skipped)} skipped")
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)


if __name__ == "__main__":
    main()

"""A real SMTP server on loopback for tests and benchmarks, from Python's standard library (smtpd, Python <= 3.11).

    python3 smtp_sink.py --dir FOLDER [--count-only]

Listens on 127.0.0.1 at a free port and writes it to FOLDER/port once it accepts connections. Each message it accepts
becomes FOLDER/messages/<n>.json (envelope, headers, decoded text and HTML parts); with --count-only it only keeps
FOLDER/count up to date, so a benchmark measures the server rather than JSON writing.

To make it refuse on purpose, drop a rule file into FOLDER/control/: {"rcpt": "jane@acme.example" or "*",
"reply": "451 4.3.0 try again later", "times": 2}. The next <times> messages to that recipient get <reply> instead
of being accepted. The reply "DROP" takes the message (it is recorded) and closes the connection without answering, as
when a server's answer is lost. It exits when its stdin closes, so it never outlives the process that started it.
"""
import argparse
import glob
import json
import os
import socket
import sys
import warnings
from email import policy
from email.parser import BytesParser

warnings.filterwarnings("ignore", category=DeprecationWarning)
import asyncore  # noqa: E402  (deprecated in 3.11, removed in 3.12)
import smtpd  # noqa: E402  (the same; still the standard library's only SMTP server)


class DroppingChannel(smtpd.SMTPChannel):
    def push(self, msg):
        if msg == "DROP":
            # The message was taken; its answer never comes.
            self.close_when_done()
            return
        super().push(msg)


class Sink(smtpd.SMTPServer):
    channel_class = DroppingChannel

    def __init__(self, directory, count_only):
        super().__init__(("127.0.0.1", 0), None, decode_data=False)
        self.directory = directory
        self.count_only = count_only
        self.received = 0
        os.makedirs(os.path.join(directory, "messages"), exist_ok=True)
        os.makedirs(os.path.join(directory, "control"), exist_ok=True)

    def handle_accepted(self, conn, addr):
        # smtpd writes its multi-line EHLO reply in several small sends; with Nagle's algorithm and the client's
        # delayed ACK every new connection would stall about 40 ms.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle_accepted(conn, addr)

    def port(self):
        return self.socket.getsockname()[1]

    def scripted_reply(self, rcpttos):
        """The next scripted refusal for one of the recipients, used up once; None to accept."""
        wanted = [r.lower() for r in rcpttos]
        for path in sorted(glob.glob(os.path.join(self.directory, "control", "*.json"))):
            with open(path) as f:
                rule = json.load(f)
            if rule.get("times", 0) > 0 and (rule["rcpt"] == "*" or rule["rcpt"].lower() in wanted):
                rule["times"] -= 1
                write_atomically(path, json.dumps(rule))
                return rule["reply"]
        return None

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        reply = self.scripted_reply(rcpttos)
        if reply and reply != "DROP":
            return reply
        self.received += 1
        if self.count_only:
            return reply
        message = BytesParser(policy=policy.default).parsebytes(data)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mailFrom": mailfrom,
            "rcptTo": rcpttos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "messageId": str(message["Message-ID"]),
            "headers": {k: str(v) for k, v in message.items()},
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        write_atomically(os.path.join(self.directory, "messages", "%08d.json" % self.received), json.dumps(record))
        return reply


class StdinWatch(asyncore.file_dispatcher):
    """Exits when the launcher closes our stdin, including when it dies."""

    def __init__(self):
        super().__init__(sys.stdin.fileno())

    def writable(self):
        return False

    def handle_read(self):
        if not self.recv(1024):
            sys.exit(0)

    def handle_close(self):
        sys.exit(0)


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write(text)
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--count-only", action="store_true")
    args = parser.parse_args()
    sink = Sink(args.dir, args.count_only)
    StdinWatch()
    write_atomically(os.path.join(args.dir, "port"), str(sink.port()))
    written = -1
    while True:
        asyncore.loop(timeout=0.05, count=1)
        if args.count_only and written != sink.received:
            write_atomically(os.path.join(args.dir, "count"), str(sink.received))
            written = sink.received


if __name__ == "__main__":
    main()

"""A real SMTP server for the alerts test: aiosmtpd, STARTTLS required before any mail.

Usage: smtp-server.py PORT CERT KEY OUTDIR. Each message is written to OUTDIR/NNNN.eml as
received, with its recipients in NNNN.rcpt; "listening" is printed once it accepts
connections, and it runs until its standard input closes.
"""
import os
import ssl
import sys

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if session.ssl is None:
            return "530 Must issue a STARTTLS command first"
        self.count += 1
        base = os.path.join(self.out, f"{self.count:04}")
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        return "250 Message accepted"


def main():
    port, cert, key, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(
        Keep(out),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    print("listening", flush=True)
    sys.stdin.read()
    controller.stop()


main()

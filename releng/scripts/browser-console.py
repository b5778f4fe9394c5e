#!/usr/bin/env python3
"""Opens a console page in headless Chromium, as a person would, and reports what it shows.

Usage: browser-console.py URL --spki HASH [--screenshot FILE] [--timeout SECONDS]
(URL "-" reads it from standard input: a console URL may carry a password in its fragment, and
command lines are visible to every process)

Chromium (the distribution's package) is driven over its DevTools protocol: this script speaks the
protocol's websocket itself (the standard library has no websocket client). It trusts exactly one
certificate, the frontend's (--spki: base64 of the SHA-256 of its public key, as Chromium's
--ignore-certificate-errors-spki-list wants), waits until the page is connected and the guest's
screen is drawn on noVNC's canvas, or until the page gives up, and prints one JSON object:
{"state": ..., "status": ..., "canvas": {"width", "height", "lit", "colors"}} where "lit" is the
share of the canvas's pixels that are not black and "colors" the number of distinct colours (up to 256).
"""
import argparse
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

PROBE = """(() => {
  const body = document.body;
  const status = document.getElementById('status');
  const out = {state: body ? body.dataset.state : null, status: status ? status.textContent : null, canvas: null};
  const c = document.querySelector('#screen canvas');
  if (!c || !c.width || !c.height) return out;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let lit = 0; const colors = new Set();
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
    if (colors.size < 256) colors.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  out.canvas = {width: c.width, height: c.height, lit: lit / (d.length / 4), colors: colors.size};
  return out;
})()"""


class DevTools:
    """A minimal websocket client (RFC 6455, text frames) for Chromium's DevTools endpoint."""

    def __init__(self, port, path):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise IOError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise IOError("DevTools refused the websocket: " + head.decode(errors="replace"))
        self.next_id = 0
        self.buffer = b""

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise IOError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _message(self):
        parts = []
        while True:
            b0, b1 = self._read(2)
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            if b0 & 0x0F in (0x1, 0x0):
                parts.append(payload)
                if b0 & 0x80:
                    return json.loads(b"".join(parts))
            elif b0 & 0x0F == 0x8:
                raise IOError("DevTools closed the websocket")

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(json.dumps(message))
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise IOError(f"{method}: {reply['error']}")
                return reply.get("result", {})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--spki", required=True)
    parser.add_argument("--screenshot")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.url == "-":
        args.url = sys.stdin.readline().strip()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium is not installed")
    profile = tempfile.mkdtemp(prefix="kvmstudio-chromium.")
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1024,800",
                                f"--ignore-certificate-errors-spki-list={args.spki}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        active = os.path.join(profile, "DevToolsActivePort")
        until = time.time() + 30
        while not (os.path.exists(active) and len(open(active).read().split("\n")) >= 2):
            if time.time() > until or browser.poll() is not None:
                sys.exit("chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = open(active).read().split("\n")[:2]
        tools = DevTools(int(port), path)
        target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tools.call("Page.enable", session=session)
        tools.call("Page.navigate", {"url": args.url}, session=session)
        seen = None
        until = time.time() + args.timeout
        while time.time() < until:
            result = tools.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True}, session=session)
            seen = result.get("result", {}).get("value")
            if seen and seen.get("state") in ("refused", "failed"):
                break
            if seen and seen.get("state") == "connected" and seen.get("canvas") and seen["canvas"]["lit"] > 0:
                time.sleep(1)  # let the guest's screen finish drawing, then look again
                seen = tools.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                                  session=session).get("result", {}).get("value")
                break
            time.sleep(0.3)
        if args.screenshot:
            shot = tools.call("Page.captureScreenshot", {"format": "png"}, session=session)
            with open(args.screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        print(json.dumps(seen))
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()

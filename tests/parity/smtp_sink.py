"""An SMTP server on loopback that keeps what the lane's app servers send, to read it back."""

import socketserver
import threading


class Sink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Session)
        self.messages: list[str] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def received(self) -> list[str]:
        with self.lock:
            return list(self.messages)


class Session(socketserver.StreamRequestHandler):
    """Enough of SMTP for Django's backend: greet, accept any sender and recipient, take DATA."""

    def say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.say("220 parity sink")
        message: list[str] | None = None
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if message is not None:
                if line == ".":
                    with self.server.lock:
                        self.server.messages.append("\n".join(message))
                    message = None
                    self.say("250 kept")
                else:
                    message.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb == "DATA":
                message = []
                self.say("354 end with a dot")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("250 ok")

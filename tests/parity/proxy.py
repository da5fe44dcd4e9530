"""A TCP forwarder the lane can stop and start: a database that refuses connections and comes
back, without touching the machine's PostgreSQL (other things use it)."""

import contextlib
import socket
import threading

from tests.ops.servers import free_port


class Proxy:
    """Forward 127.0.0.1:``port`` to ``target``. ``refuse()`` stops listening and cuts every
    forwarded connection (persistent ones included); ``open()`` listens on the same port again.
    """

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.forwarded = 0  # connections forwarded since the last open()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()

    @property
    def refusing(self) -> bool:
        return self._listener is None

    @property
    def connections(self) -> int:
        """Forwarded connections open now."""
        with self._lock:
            return len(self._sockets) // 2

    def open(self) -> None:
        listener = socket.socket()
        # The forwarded connections' ends in TIME_WAIT must not keep the port from us.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        with self._lock:
            self._listener = listener
            self.forwarded = 0
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def refuse(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            cut, self._sockets = self._sockets, set()
        if listener is not None:
            _close(listener)  # shutdown first: close alone leaves a blocked accept() listening
        for sock in cut:
            _close(sock)

    def accepts_connections(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
        except OSError:
            return False
        return True

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # refuse() closed it
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # refused while this one was connecting
                    _close(client)
                    _close(upstream)
                    continue
                self._sockets |= {client, upstream}
                self.forwarded += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets -= {source, sink}
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # not connected, or already shut down
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()

#!/usr/bin/env python3
"""Edit to reload, as a browser sees it, against a running `pilotdeck serve`.

    scripts/reload.py SITE [PORT] [EDITS] [FIELD] [PAGE]

SITE is the folder `serve` was started in (use a copy: its first record
is edited). A client holds `/__pilotdeck/events` open, as the page's
script does; each edit writes the record to a temporary file renamed over
it (as editors save), and the time runs until the `reload` event has come
and the edited pilot's page has been fetched. FIELD (default `owner`) is
a quoted TOML field of the record; each edit puts `edit N ` in front of
its value, so an owner edit names a new person each time. PAGE (an
address such as `/`) is the page the reader has open, fetched after the
reload instead of the edited pilot's (then the edit is not looked for).
Only the standard library; prints each time and the median, in ms.
"""

import http.client
import os
import socket
import statistics
import sys
import time


def main():
    site = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 1111
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    field = sys.argv[4] if len(sys.argv) > 4 else "owner"
    open_page = sys.argv[5] if len(sys.argv) > 5 else None
    folder = os.path.join(site, "content", "pilots")
    written = "\n%s = \"" % field
    record = None
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".md") and written in open(path, encoding="utf-8").read():
            record = path
            break
    if record is None:
        sys.exit("no record in %s writes %r" % (folder, written.strip()))
    ident = os.path.basename(record)[:-3]
    text = open(record, encoding="utf-8").read()

    events = socket.create_connection(("127.0.0.1", port))
    events.sendall(b"GET /__pilotdeck/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    events.settimeout(10)
    seen = b""
    while b"\r\n\r\n" not in seen:
        seen += events.recv(4096)
    times = []
    try:
        for i in range(edits):
            time.sleep(0.5)
            edited = text.replace(written, "%sedit %d " % (written, i), 1)
            tmp = record + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(edited)
            start = time.perf_counter()
            os.replace(tmp, record)
            seen = b""
            while b"event: reload" not in seen:
                chunk = events.recv(4096)
                if not chunk:
                    sys.exit("the server closed the events")
                seen += chunk
            page = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            page.request("GET", open_page or "/pilots/%s/" % ident)
            body = page.getresponse().read()
            times.append((time.perf_counter() - start) * 1000)
            if open_page is None and ("edit %d " % i).encode() not in body:
                sys.exit("edit %d is not on the page" % i)
    finally:
        with open(record, "w", encoding="utf-8") as f:
            f.write(text)
    print(" ".join("%.0f" % t for t in times), "| median %.0f ms" % statistics.median(times))


if __name__ == "__main__":
    main()

"""launch_check.py BASE_URL TOKEN: check a running scripts/run.sh server (used by
scripts/test-launch.sh). Run it with the Python that Jupyter uses (it needs tornado).

1. GET /api/contents/00-index.ipynb loads, if notebooks/00-index.ipynb exists;
2. a GoNB kernel starts (POST /api/kernels) and runs a cell over the websocket;
3. the kernel is shut down again (DELETE /api/kernels/ID).
"""

import json
import os
import sys
import uuid

from tornado import gen, httpclient, ioloop, websocket

CELL = 'import "fmt"\n%%\nfmt.Println(1+1)'
WANT = "2\n"


async def main(base, token, index_exists):
    http = httpclient.AsyncHTTPClient()
    auth = {"Authorization": "token " + token}

    async def api(method, path, body=None):
        r = await http.fetch(base + path, method=method, headers=auth, request_timeout=60,
                             body=None if body is None else json.dumps(body), raise_error=False)
        if r.code >= 300:
            raise SystemExit("FAIL: %s %s -> HTTP %d: %s" % (method, path, r.code, (r.body or b"")[:300]))
        return json.loads(r.body) if r.body else None

    if index_exists:
        nb = await api("GET", "/api/contents/00-index.ipynb")
        cells = nb["content"]["cells"]
        print("ok: GET /api/contents/00-index.ipynb: %d cells, kernel %s"
              % (len(cells), nb["content"]["metadata"].get("kernelspec", {}).get("name")))
    else:
        print("SKIP: notebooks/00-index.ipynb does not exist yet, not checking that it loads")

    specs = await api("GET", "/api/kernelspecs")
    if "gonb" not in specs["kernelspecs"]:
        raise SystemExit("FAIL: no gonb kernel spec; have %s" % list(specs["kernelspecs"]))

    kernel = await api("POST", "/api/kernels", {"name": "gonb"})
    kid = kernel["id"]
    print("ok: started gonb kernel %s" % kid)
    try:
        url = base.replace("http", "ws", 1) + "/api/kernels/%s/channels" % kid
        ws = await websocket.websocket_connect(
            httpclient.HTTPRequest(url, headers=auth, connect_timeout=30))
        msg_id = uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": CELL, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        stdout, reply, idle = "", None, False
        while reply is None or not idle:
            raw = await gen.with_timeout(ioloop.IOLoop.current().time() + 180, ws.read_message())
            if raw is None:
                raise SystemExit("FAIL: websocket closed before the cell finished")
            m = json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t = m["header"]["msg_type"]
            if t == "stream":
                stdout += m["content"]["text"] if m["content"]["name"] == "stdout" else ""
                if m["content"]["name"] == "stderr":
                    print("  stderr: " + m["content"]["text"].rstrip())
            elif t == "error":
                print("  error: %s: %s" % (m["content"]["ename"], m["content"]["evalue"]))
            elif t == "execute_reply":
                reply = m["content"]["status"]
            elif t == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        ws.close()
        if reply != "ok" or stdout != WANT:
            raise SystemExit("FAIL: cell %r: status %s, stdout %r (want %r)" % (CELL, reply, stdout, WANT))
        print("ok: GoNB ran %r -> %r" % (CELL, stdout))
    finally:
        await api("DELETE", "/api/kernels/%s" % kid)
        print("ok: kernel %s shut down" % kid)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: launch_check.py BASE_URL TOKEN NOTEBOOKS_DIR")
    exists = os.path.exists(os.path.join(sys.argv[3], "00-index.ipynb"))
    ioloop.IOLoop.current().run_sync(lambda: main(sys.argv[1], sys.argv[2], exists))

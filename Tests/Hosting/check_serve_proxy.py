#!/usr/bin/env python3
"""`handout serve` through a proxy configured as docs/HOSTING.md says: its pages with the
reload script, the plan editor and its key, a save from the editor's own origin (after the
diff), a save from another site refused with nothing written, and an open page told of a
change to its plan, all through the proxy.

Usage: check_serve_proxy.py BASE_URL SITE_ROOT NAME   (BASE_URL like http://127.0.0.1:8081/plans/)"""

import json
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

base, root, name = sys.argv[1], sys.argv[2], sys.argv[3]
origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(base))
plan = f"{root}/Content/plans/demo-0005.yaml"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def fetch(path, body=None, headers=None):
    request = urllib.request.Request(base + path, data=body, headers=headers or {}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


status, headers, page = fetch("patients/demo-0005/index.html")
check(status == 200 and '_handout/reload.js" data-page="patients/demo-0005/index.html"' in page, "the page has no reload script")
check("frame-ancestors 'none'" in (headers.get("Content-Security-Policy") or ""), "the page came without its policy")
version = re.search(r'data-version="([0-9a-f]+)"', page).group(1)

status, _, editor = fetch("_handout/editor")
check(status == 200 and "<h1>Plan editor</h1>" in editor, f"the editor did not open through its redirect ({status})")
token = re.search(r'name="handout-token" content="([0-9a-f]+)"', editor).group(1)
status, _, opened = fetch("_handout/api/open?id=demo-0005", headers={"X-Handout-Token": token})
check(status == 200, f"the editor could not open a plan ({status})")
opened = json.loads(opened)


def save(payload, from_origin):
    status, _, text = fetch("_handout/api/save", json.dumps(payload).encode(),
                            {"Content-Type": "application/json", "Origin": from_origin, "X-Handout-Token": token})
    return status, json.loads(text) if text.startswith("{") else {}


before = open(plan).read()
edited = dict(opened["plan"], notes=f"Saved through {name}.")
request = {"session": opened["session"], "id": "demo-0005", "plan": edited, "base": opened["base"]}
status, answer = save(request, "https://evil.example")
check(status == 403 and open(plan).read() == before, f"a save from another site was not refused ({status})")

# An open page's question, held while the plan is saved: answered "changed".
answers = []
asking = threading.Thread(target=lambda: answers.append(fetch(f"_handout/changes?page=patients/demo-0005/index.html&v={version}")))
asking.start()
time.sleep(1)
status, answer = save(request, origin)
check(status == 200 and answer.get("status") == "confirm", f"the save was not shown before it was written: {answer}")
status, answer = save(dict(request, confirm=answer.get("confirm")), origin)
check(status == 200 and answer.get("status") == "saved", f"the save failed: {answer}")
check(f"Saved through {name}." in open(plan).read(), "the saved plan is not on disk")
asking.join(30)
check(answers and 'width="2"' in answers[0][2], f"the open page was not told of the change: {answers}")

if failures:
    sys.exit(f"handout serve behind {name}:\n  " + "\n  ".join(failures))
print(f"handout serve behind {name}: pages, editor, saves and reload all work through the proxy")

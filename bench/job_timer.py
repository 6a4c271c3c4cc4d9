#!/usr/bin/env python3
"""Submits one Parallax job over HTTP, waits for it, and prints its server-side run time in milliseconds, the
workers' own time summed over its chunks, and its result. The time is the node's own (from the job's start
to its merged result), so polling slowly loses no precision; polling often would take CPU from the very
workers being measured when every core runs one.

usage: job_timer.py BASE_URL TASK PARAMS_JSON CHUNKS      (CHUNKS "-": the task's default)
"""
import json
import sys
import time
import urllib.request

POLL_SECONDS = 0.25


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def main():
    base, task, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    spec = {"task": task, "params": params}
    if sys.argv[4] != "-":
        spec["chunks"] = int(sys.argv[4])
    job = call("POST", base + "/api/jobs", spec)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status = call("GET", base + "/api/jobs/" + job["id"])
        if status["state"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            if status["state"] != "SUCCEEDED":
                sys.exit("job ended " + status["state"] + ": " + json.dumps(status.get("error")))
            print(status["millis"], status["workMillis"], json.dumps(status.get("result", {})))
            return
        time.sleep(POLL_SECONDS)
    sys.exit("job did not finish within 600 s")


if __name__ == "__main__":
    main()

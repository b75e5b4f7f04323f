#!/usr/bin/env python3
"""An independent QFPay client: Python standard library only, signing like the
documentation's `make_req_sign` sample (sorted `k=v` pairs joined by `&`, the
client key appended, MD5 upper-case hex).

Usage: qfpay_client.py BASE_URL APP_CODE CLIENT_KEY

Runs against qfpay-mock and exits non-zero when any expectation fails:
 1. a correctly signed MPM payment is accepted (0000);
 2. the same request with a wrong signature is refused (1108);
 3. a SHA-256, lower-case signature is accepted;
 4. after paying the order through the mock's control endpoint, the
    notification arrives on a local receiver, its X-QF-SIGN equals
    MD5(raw body + key) upper-case, and its body is byte-identical to
    Python's own json.dumps of the decoded object.
"""

import datetime
import hashlib
import http.server
import json
import sys
import threading
import time
import urllib.parse
import urllib.request


def make_req_sign(data, key, sign_type="md5"):
    keys = sorted(data.keys())
    unsigned = "&".join("%s=%s" % (k, data[k]) for k in keys) + key
    h = hashlib.sha256 if sign_type == "sha256" else hashlib.md5
    return h(unsigned.encode("utf-8")).hexdigest().upper()


def call(base, path, data, app_code, sign, sign_type=None):
    body = urllib.parse.urlencode(data).encode("utf-8")
    req = urllib.request.Request(base + path, data=body, method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
    req.add_header("X-QF-APPCODE", app_code)
    req.add_header("X-QF-SIGN", sign)
    if sign_type:
        req.add_header("X-QF-SIGNTYPE", sign_type)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode("utf-8"))


received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        received.append((self.headers.get("X-QF-SIGN"), raw))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"SUCCESS")

    def log_message(self, *args):
        pass


def main():
    base, app_code, key = sys.argv[1], sys.argv[2], sys.argv[3]
    failures = []

    def expect(name, cond, detail):
        print("%s: %s" % ("ok  " if cond else "FAIL", name))
        if not cond:
            failures.append("%s: %s" % (name, detail))

    receiver = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    notify_url = "http://127.0.0.1:%d/notify" % receiver.server_address[1]

    def order(n):
        now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        return {
            "txamt": "1500",
            "txcurrcd": "HKD",
            "pay_type": "800201",
            "out_trade_no": "PY%d%s" % (n, int(time.time() * 1000)),
            "txdtm": now,
            "goods_name": "測試 coffee & tea",
            "notify_url": notify_url,
        }

    data = order(1)
    r = call(base, "/trade/v1/payment", data, app_code, make_req_sign(data, key))
    expect("signed payment accepted", r.get("respcd") == "0000", r)
    syssn = r.get("syssn", "")

    bad = order(2)
    r2 = call(base, "/trade/v1/payment", bad, app_code, make_req_sign(bad, key + "x"))
    expect("wrong signature refused with 1108", r2.get("respcd") == "1108", r2)

    sha = order(3)
    r3 = call(base, "/trade/v1/payment", sha, app_code,
              make_req_sign(sha, key, "sha256").lower(), "SHA256")
    expect("SHA-256 lower-case accepted", r3.get("respcd") == "0000", r3)

    q = {"syssn": syssn}
    r4 = call(base, "/trade/v1/query", q, app_code, make_req_sign(q, key))
    expect("query finds the order unpaid", r4.get("data", [{}])[0].get("respcd") == "1143", r4)

    pay = urllib.request.Request(base + "/__mock/pay/" + syssn, data=b"", method="POST")
    with urllib.request.urlopen(pay, timeout=10) as resp:
        expect("control endpoint pays", resp.status == 200, resp.status)

    deadline = time.time() + 10
    while not received and time.time() < deadline:
        time.sleep(0.02)
    expect("notification received", len(received) == 1, received)
    if received:
        sig, raw = received[0]
        expected = hashlib.md5(raw + key.encode("utf-8")).hexdigest().upper()
        expect("notification X-QF-SIGN is MD5(raw body + key)", sig == expected, (sig, expected))
        obj = json.loads(raw.decode("utf-8"))
        expect("notification body is json.dumps style",
               json.dumps(obj).encode("utf-8") == raw, raw)
        expect("notification is for the order",
               obj.get("syssn") == syssn and obj.get("notify_type") == "payment"
               and obj.get("goods_name") == data["goods_name"], obj)

    receiver.shutdown()
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("all python checks passed")


if __name__ == "__main__":
    main()

"""The documentation's Python payment sample against the qfpay-mock server.

Run by `cargo bench --bench e2e`, which starts the mock in-process and passes
its URL and credentials:

    python3 benches/python/e2e_requests.py BASE_URL APP_CODE CLIENT_KEY PREFIX REQUESTS ROUNDS

Per request it does what the documentation's sample does: build the data
dict (txdtm as a datetime, '%s'-formatted), sign it with `make_req_sign`
(MD5, verbatim from the documentation), and `requests.post(url, data=data,
headers={'X-QF-APPCODE': ..., 'X-QF-SIGN': ...})`, then reads the JSON
reply. Variants, each the best of ROUNDS rounds of REQUESTS payments:

* `doc`: `requests.post` as in the sample (a new connection per request);
* `session`: the same through one `requests.Session` (keep-alive);
* `session_32`: 32 threads, one Session each, REQUESTS*4 payments in all.

Without `requests` it falls back to `urllib.request` (new connection per
request, as `doc`) and says so. Prints one JSON object (requests per second).
"""

import concurrent.futures
import datetime
import json
import sys
import threading
import time

try:
    import requests  # noqa: F401
    HAVE_REQUESTS = True
except ImportError:  # pragma: no cover - depends on the machine
    import urllib.parse
    import urllib.request
    HAVE_REQUESTS = False


# The documentation's signing sample, verbatim, as the signing bench times it
# (this script's folder is on sys.path when it runs).
from make_req_sign import make_req_sign  # noqa: E402


def payment_data(out_trade_no):
    current_time = datetime.datetime.now().replace(microsecond=0)
    return {
        'txamt': '2200',
        'txcurrcd': 'HKD',
        'pay_type': '801501',
        'out_trade_no': out_trade_no,
        'txdtm': current_time,
        'goods_name': 'qfpay',
        'udid': 'bench-device-01',
    }


def check(status, body):
    if status != 200 or json.loads(body).get('respcd') != '0000':
        raise RuntimeError('unexpected reply %s: %r' % (status, body[:200]))


def post_doc(url, app_code, key, out_trade_no):
    data = payment_data(out_trade_no)
    headers = {'X-QF-APPCODE': app_code, 'X-QF-SIGN': make_req_sign(data, key)}
    if HAVE_REQUESTS:
        r = requests.post(url, data=data, headers=headers)
        check(r.status_code, r.content)
    else:
        req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers)
        with urllib.request.urlopen(req) as r:
            check(r.status, r.read())


def post_session(session, url, app_code, key, out_trade_no):
    data = payment_data(out_trade_no)
    headers = {'X-QF-APPCODE': app_code, 'X-QF-SIGN': make_req_sign(data, key)}
    r = session.post(url, data=data, headers=headers)
    check(r.status_code, r.content)


def main():
    base, app_code, key, prefix, n, rounds = sys.argv[1:7]
    n, rounds = int(n), int(rounds)
    url = base + '/trade/v1/payment'
    seq = iter(range(10**9))
    lock = threading.Lock()

    def order_no(tag):
        with lock:
            return '%s%s%08d' % (prefix, tag, next(seq))

    def timed(fn, count):
        start = time.perf_counter()
        fn()
        return count / (time.perf_counter() - start)

    out = {'python': sys.version.split()[0], 'client': 'requests ' + requests.__version__ if HAVE_REQUESTS else 'urllib (requests not installed)'}
    best = {'doc': 0.0, 'session': 0.0, 'session_32': 0.0}
    for _ in range(rounds):
        best['doc'] = max(best['doc'], timed(
            lambda: [post_doc(url, app_code, key, order_no('D')) for _ in range(n)], n))
        if HAVE_REQUESTS:
            with requests.Session() as s:
                post_session(s, url, app_code, key, order_no('W'))  # connect first
                best['session'] = max(best['session'], timed(
                    lambda: [post_session(s, url, app_code, key, order_no('S')) for _ in range(n)], n))
            total = n * 4
            local = threading.local()

            def one(_):
                if not hasattr(local, 's'):
                    local.s = requests.Session()
                post_session(local.s, url, app_code, key, order_no('C'))

            with concurrent.futures.ThreadPoolExecutor(32) as pool:
                list(pool.map(one, range(64)))  # warm: one session per thread
                best['session_32'] = max(best['session_32'], timed(
                    lambda: list(pool.map(one, range(total))), total))
    out['requests_per_second'] = {k: v for k, v in best.items() if v > 0}
    print(json.dumps(out))


if __name__ == '__main__':
    main()

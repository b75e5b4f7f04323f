"""The QFPay documentation's Python signing sample, timed with timeit.

`make_req_sign` below is the sample of the documentation's "Signature
Generation" page (reference §5.1) as published — sorted keys, '%s=%s' pairs,
'&'.join, key appended, hashlib.md5(...).hexdigest().upper() — and
`make_req_sign_sha256` is the same function with hashlib.sha256, the variant
the documentation recommends.

Run by `cargo bench --bench python_compare`, which times qfpay::sign on the
same parameters and key in the same run. Standalone:

    python3 benches/python/make_req_sign.py

prints one JSON object: per variant the signature (so the Rust side can check
both agree) and the best-of-N nanoseconds per call.
"""

import datetime
import hashlib
import json
import platform
import sys
import timeit


# --- the documentation's sample, verbatim ---------------------------------
# Create signature
def make_req_sign(data, key):
    keys = list(data.keys())
    keys.sort()
    p = []
    for k in keys:
        v = data[k]
        p.append('%s=%s'%(k,v))
    unsign_str = ('&'.join(p) + key).encode("utf-8")
    s = hashlib.md5(unsign_str).hexdigest()
    return s.upper()
# ---------------------------------------------------------------------------


def make_req_sign_sha256(data, key):
    keys = list(data.keys())
    keys.sort()
    p = []
    for k in keys:
        v = data[k]
        p.append('%s=%s'%(k,v))
    unsign_str = ('&'.join(p) + key).encode("utf-8")
    s = hashlib.sha256(unsign_str).hexdigest()
    return s.upper()


# The seven parameters and the key of benches/common/mod.rs (PAYMENT7_PAIRS, KEY).
KEY = '0E32A59A8B454940A2FF3900C1D2E3F4'
DATA = {
    'txamt': '2200',
    'txcurrcd': 'HKD',
    'pay_type': '800208',
    'out_trade_no': '20191225142128000123ABCDEFGHIJKL',
    'txdtm': '2019-12-25 14:21:28',
    'auth_code': '134857901234588557',
    'goods_name': 'qfpay',
}
# As the documentation's full example builds it: txdtm is a datetime object
# (current_time = datetime.datetime.now().replace(microsecond=0)), which
# '%s' formats as the same text.
DATA_DOC = dict(DATA, txdtm=datetime.datetime(2019, 12, 25, 14, 21, 28))

CANONICAL = ('&'.join('%s=%s' % (k, DATA[k]) for k in sorted(DATA)) + KEY).encode('utf-8')


def bare_md5(b):
    return hashlib.md5(b).hexdigest().upper()


def bare_sha256(b):
    return hashlib.sha256(b).hexdigest().upper()


def best_ns(stmt, env, repeat):
    timer = timeit.Timer(stmt, globals=env)
    number, _ = timer.autorange()  # at least 0.2 s per round
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e9


def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    env = dict(globals())
    cases = {
        'md5': ('make_req_sign(DATA, KEY)', make_req_sign(DATA, KEY)),
        'sha256': ('make_req_sign_sha256(DATA, KEY)', make_req_sign_sha256(DATA, KEY)),
        'md5_doc_datetime': ('make_req_sign(DATA_DOC, KEY)', make_req_sign(DATA_DOC, KEY)),
        'sha256_doc_datetime': ('make_req_sign_sha256(DATA_DOC, KEY)', make_req_sign_sha256(DATA_DOC, KEY)),
        'bare_md5': ('bare_md5(CANONICAL)', bare_md5(CANONICAL)),
        'bare_sha256': ('bare_sha256(CANONICAL)', bare_sha256(CANONICAL)),
    }
    out = {
        'python': platform.python_implementation() + ' ' + platform.python_version(),
        'openssl': __import__('ssl').OPENSSL_VERSION,
        'repeat': repeat,
    }
    for name, (stmt, sig) in cases.items():
        out[name] = {'signature': sig, 'ns': best_ns(stmt, env, repeat)}
    print(json.dumps(out))


if __name__ == '__main__':
    main()

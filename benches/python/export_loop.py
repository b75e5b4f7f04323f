"""Every transaction of a period, exported the way QFPay's documentation
would have a merchant write it: the baseline of `benches/export.py`.

    python3 benches/python/export_loop.py BASE_URL APP_CODE CLIENT_KEY FIRST_MONTH MONTHS OUT_CSV

FIRST_MONTH is `YYYY-MM`. For each calendar month (a query window must lie
within one month, reference §10) it asks `/trade/v1/query` for page 1, 2, …
with `page_size` 100 until a page comes back shorter, each request built as
the documentation's sample builds one: a data dict signed by its
`make_req_sign` (MD5, verbatim), `requests.post(url, data=data,
headers={'X-QF-APPCODE': ..., 'X-QF-SIGN': ...})` (`urllib.request` when
requests is missing), `json.loads` of the reply. Each record becomes a CSV
row (`csv.writer`) with the columns `qfpay transactions` writes. Prints the
number of records written.
"""

import csv
import json
import sys

try:
    import requests
    HAVE_REQUESTS = True
except ImportError:  # pragma: no cover - depends on the machine
    import urllib.parse
    import urllib.request
    HAVE_REQUESTS = False

# The documentation's signing sample (this script's folder is on sys.path).
from make_req_sign import make_req_sign  # noqa: E402

COLUMNS = ['syssn', 'out_trade_no', 'order_type', 'pay_type', 'txamt', 'txcurrcd', 'respcd',
           'cancel', 'sysdtm', 'paydtm', 'txdtm', 'origssn', 'chnlsn', 'errmsg']

MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def month_windows(first, months):
    year, month = (int(x) for x in first.split('-'))
    for _ in range(months):
        days = MONTH_DAYS[month - 1]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            days = 29
        yield ('%04d-%02d-01 00:00:00' % (year, month),
               '%04d-%02d-%02d 23:59:59' % (year, month, days))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def post(url, data, headers):
    if HAVE_REQUESTS:
        r = requests.post(url, data=data, headers=headers)
        return r.status_code, r.content
    req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers)
    with urllib.request.urlopen(req) as r:
        return r.status, r.read()


def main():
    base_url, app_code, key, first, months, out = sys.argv[1:7]
    url = base_url.rstrip('/') + '/trade/v1/query'
    written = 0
    with open(out, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for start, end in month_windows(first, int(months)):
            page = 1
            while True:
                data = {'start_time': start, 'end_time': end, 'page': page, 'page_size': 100}
                headers = {'X-QF-APPCODE': app_code, 'X-QF-SIGN': make_req_sign(data, key)}
                status, body = post(url, data, headers)
                reply = json.loads(body)
                if status != 200 or reply.get('respcd') != '0000':
                    raise RuntimeError('unexpected reply %s: %r' % (status, body[:200]))
                records = reply['data']
                for r in records:
                    w.writerow([r.get(c, '') for c in COLUMNS])
                written += len(records)
                if len(records) < 100:
                    break
                page += 1
    print(written)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Export benchmark (issue 14, BENCHMARKS.md): `qfpay transactions` against a
documentation-style Python loop, both exporting every transaction of ten
months from the same `qfpay mock --history` server, in the same run,
interleaved.

    cargo build --release -p qfpay-cli
    python3 benches/export.py [--qfpay target/release/qfpay] [--rounds 3] [--sizes 850,8500]

For each size (payments per month; the mock adds every 5th as a refund, so
850 and 8500 give about 10,000 and 100,000 records over 10 months) it
starts one mock (the same binary's `qfpay mock`, seeded, deterministic),
then per round runs, in alternating order:

* `qfpay transactions --from 2025-01-01 --to 2025-10-31 --out FILE` (CSV);
* `benches/python/export_loop.py` (month windows, page_size 100,
  `requests.post`, the documentation's MD5 `make_req_sign`, `csv.writer`);

each under `/usr/bin/time -v` (wall time, maximum resident set size of the
exporting process; the mock is a separate process and not counted). Both
outputs must hold the same number of records. Prints the load average
before each run, every run, and a summary: best records/s per side and size,
the Rust/Python ratio, and Rust's peak RSS at the largest size over the
smallest.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APP, KEY = 'APPBENCH0001', 'BENCHKEY0001SECRET'
FIRST, MONTHS, FROM, TO = '2025-01', 10, '2025-01-01', '2025-10-31'


def default_qfpay():
    target = os.environ.get('CARGO_TARGET_DIR', os.path.join(ROOT, 'target'))
    return os.path.join(target, 'release', 'qfpay')


def start_mock(qfpay, per_month):
    history = '14:%s:%d:%d' % (FIRST, MONTHS, per_month)
    proc = subprocess.Popen(
        [qfpay, 'mock', '--addr', '127.0.0.1:0', '--app-code', APP, '--history', history],
        env=dict(os.environ, QFPAY_CLIENT_KEY=KEY), stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r'listening on (http://\S+)', line)
    if not m:
        proc.kill()
        sys.exit('the mock did not start: %r' % line)
    return proc, m.group(1)


def timed(argv, env=None):
    """(wall seconds, max RSS KiB, stdout) of argv under /usr/bin/time -v."""
    p = subprocess.run(['/usr/bin/time', '-v'] + argv, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('%s failed (%d):\n%s' % (argv[0], p.returncode, p.stderr[-2000:]))
    wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', p.stderr).group(1)
    seconds = 0.0
    for part in wall.split(':'):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', p.stderr).group(1))
    return seconds, rss, p.stdout


def records(path):
    with open(path, 'rb') as f:
        return sum(1 for _ in f) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--qfpay', default=default_qfpay())
    ap.add_argument('--python', default=sys.executable)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--sizes', default='850,8500', help='payments per month, comma-separated')
    args = ap.parse_args()
    if not os.path.exists(args.qfpay):
        sys.exit('%s is missing: cargo build --release -p qfpay-cli' % args.qfpay)
    sizes = [int(s) for s in args.sizes.split(',')]
    tmp = tempfile.mkdtemp(prefix='qfpay-export-bench-')
    env = dict(os.environ, QFPAY_APP_CODE=APP, QFPAY_CLIENT_KEY=KEY)
    for var in ('QFPAY_MCHID', 'QFPAY_ENV', 'QFPAY_CLIENT_KEY_FILE'):
        env.pop(var, None)
    results = {}  # (size, side) -> [(seconds, rss, records)]
    mocks = {size: start_mock(args.qfpay, size) for size in sizes}
    try:
        for rnd in range(args.rounds):
            for size in sizes:
                url = mocks[size][1]
                sides = ['rust', 'python'] if rnd % 2 == 0 else ['python', 'rust']
                for side in sides:
                    out = os.path.join(tmp, '%s-%d.csv' % (side, size))
                    if side == 'rust':
                        argv = [args.qfpay, 'transactions', '--base-url', url,
                                '--from', FROM, '--to', TO, '--out', out]
                    else:
                        argv = [args.python, os.path.join(HERE, 'python', 'export_loop.py'),
                                url, APP, KEY, FIRST, str(MONTHS), out]
                    load = os.getloadavg()[0]
                    seconds, rss, _ = timed(argv, env)
                    n = records(out)
                    results.setdefault((size, side), []).append((seconds, rss, n))
                    print('round %d  %-6s  %7d records  %7.2f s  %8.0f rec/s  max RSS %7d KiB  load %.2f'
                          % (rnd + 1, side, n, seconds, n / seconds, rss, load), flush=True)
    finally:
        for proc, _ in mocks.values():
            proc.terminate()
            proc.wait()
    print('\nsummary (best of %d rounds; RSS: max over rounds)' % args.rounds)
    for size in sizes:
        rust, py = results[(size, 'rust')], results[(size, 'python')]
        if {r[2] for r in rust} != {r[2] for r in py}:
            sys.exit('record counts differ: rust %s, python %s' % (rust, py))
        n = rust[0][2]
        best = lambda rows: max(r[2] / r[0] for r in rows)
        median = lambda rows: statistics.median(r[2] / r[0] for r in rows)
        print('%7d records: qfpay %8.0f rec/s (median %8.0f, RSS %6d KiB) | python %7.0f rec/s '
              '(median %7.0f, RSS %6d KiB) | ratio %.2fx (median %.2fx)'
              % (n, best(rust), median(rust), max(r[1] for r in rust), best(py), median(py),
                 max(r[1] for r in py), best(rust) / best(py), median(rust) / median(py)))
    if len(sizes) > 1:
        rss = lambda size: max(r[1] for r in results[(size, 'rust')])
        print('qfpay peak RSS, %d vs %d records: %.2fx'
              % (results[(sizes[-1], 'rust')][0][2], results[(sizes[0], 'rust')][0][2],
                 rss(sizes[-1]) / rss(sizes[0])))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Generates the notification fixtures of tests/notify*.rs.

Each body is produced the way QFPay's Python stack produces notification
bodies: `json.dumps(payload)` with default settings (", " and ": "
separators, `ensure_ascii=True`, so non-ASCII becomes `\\uXXXX` escapes and
characters outside the BMP become surrogate pairs). The signature is
QFPay's notification signature (API reference §22.3): upper-case hex
MD5(raw body bytes + client key).

Run from the repository root:  python3 tests/data/notify/generate.py
It rewrites `*.body` and `cases.json` in this folder; the output is
deterministic (dicts keep insertion order), so re-running it is a no-op.
"""

import hashlib
import json
import os
import sys

KEY = "0E32A59A8B454940A2FF3900C1D2E3F4"
HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # Reference §22.2 example, payment.
    ("payment", None, {
        "status": "1", "pay_type": "800101", "sysdtm": "2020-05-14 12:32:56",
        "paydtm": "2020-05-14 12:33:56", "goods_name": "", "txcurrcd": "HKD",
        "txdtm": "2020-05-14 12:32:56", "mchid": "lkbqahlRYj", "txamt": "10",
        "exchange_rate": "", "chnlsn2": "", "out_trade_no": "YEPE7WTW46NVU30JW5N90H7DHD94N56B",
        "syssn": "20200514000300020093755455", "cash_fee_type": "", "cancel": "0",
        "respcd": "0000", "goods_info": "", "cash_fee": "0", "notify_type": "payment",
        "chnlsn": "2020051422001453561444935817", "cardcd": "2088032341453564",
    }),
    # The same shape for a partial refund.
    ("refund", None, {
        "status": "1", "pay_type": "800201", "sysdtm": "2020-05-15 09:00:01",
        "paydtm": "2020-05-15 09:00:02", "goods_name": "", "txcurrcd": "HKD",
        "txdtm": "2020-05-15 09:00:00", "txamt": "4", "exchange_rate": "",
        "chnlsn2": "", "out_trade_no": "REFUND0001", "syssn": "20200515000300020093755999",
        "cash_fee_type": "CNY", "cancel": "5", "respcd": "0000", "goods_info": "",
        "cash_fee": "", "cash_refund_fee": "3", "cash_refund_fee_type": "CNY",
        "notify_type": "refund", "chnlsn": "", "cardcd": "",
    }),
    # Non-ASCII: CJK and an emoji (a surrogate pair under ensure_ascii),
    # quotes, backslash, slash, control character, a newly added field.
    ("unicode", None, {
        "status": "1", "pay_type": "800201", "sysdtm": "2024-02-10 08:00:00",
        "paydtm": "2024-02-10 08:00:05", "goods_name": "咖啡😀",
        "txcurrcd": "HKD", "txdtm": "2024-02-10 07:59:59", "txamt": "2800",
        "out_trade_no": "ORDER-é-0001", "syssn": "20240210000300020000000042",
        "cancel": "0", "respcd": "0000",
        "goods_info": "say \"hi\" \\ a/b\ttab 新年快樂 🧧🐉",
        "notify_type": "payment", "new_field_2026": {"nested": ["x", 1, None, True]},
    }),
    # The same data without ensure_ascii: raw UTF-8 on the wire.
    ("unicode-utf8", {"ensure_ascii": False}, None),
    # Alipay pre-authorisation unfrozen (§22.4): same shape, notify_type unfreeze.
    ("unfreeze", None, {
        "status": "1", "pay_type": "801808", "sysdtm": "2021-03-01 10:00:00",
        "paydtm": "2021-03-01 10:00:00", "txcurrcd": "HKD", "txdtm": "2021-03-01 09:59:59",
        "txamt": "5000", "out_trade_no": "PREAUTH0001", "syssn": "20210301000300020000000007",
        "cancel": "4", "respcd": "0000", "notify_type": "unfreeze",
    }),
    # Reference §22.5 examples.
    ("payment_token", None, {
        "respmsg": "", "card_scheme": "ECMC_DEBIT", "cardcd": "5200****1096",
        "tokenid": "tk_6a699aae75094caeb066f****988daa32de", "respcd": "0000",
        "token_expiry_date": "2024-04-30 00:00:00", "sysdtm": "2024-04-29 15:37:17",
        "notify_type": "payment_token", "event": "CONFLICT",
    }),
    ("subscription", None, {
        "state": "COMPLETED", "sysdtm": "2024-04-24 15:19:39", "notify_type": "subscription",
        "subscription_id": "sub_e51bb914919*****f6b0fe36d",
    }),
    ("subscription_payment", None, {
        "txcurrcd": "HKD", "reason": "AUTHORISED", "cardcd": "",
        "subscription_order_id": "sub_ord_a360f06eb*****ad6aff24c3a",
        "product_id": "prod_8c838c17ddb043b9***11f1a85c30", "txdtm": "2024-04-24 15:19:37",
        "txamt": "300", "card_scheme": "VISA_DEBIT-SSL", "syssn": "20240424180500020000015704",
        "respcd": "0000", "subscription_id": "sub_e51bb914919***31d800f6b0fe36d",
        "customer_id": "cust_a9c0bcf2717f4***786a10e5f8f2", "notify_type": "subscription_payment",
        "current_iteration": "1",
    }),
    # A failed billing attempt (sent too, §22.1): no syssn, no card_scheme.
    ("subscription_payment_failed", None, {
        "txcurrcd": "HKD", "reason": "REFUSED", "cardcd": "",
        "subscription_order_id": "sub_ord_x_0002", "product_id": "prod_a,prod_b",
        "txdtm": "2024-05-24 15:19:37", "txamt": "300", "syssn": "", "respcd": "1205",
        "respmsg": "declined", "subscription_id": "sub_x", "customer_id": "cust_y",
        "notify_type": "subscription_payment", "current_iteration": 2,
    }),
    # A notify_type this SDK does not know.
    ("unknown_type", None, {
        "notify_type": "chargeback", "syssn": "20250101000300020000000001",
        "txamt": "100", "reason_code": "4837",
    }),
    # The card (802801) sample of §22.2 / §27.1 #47: shaped like a query
    # record, no status and no notify_type, but an order_type.
    ("card_no_notify_type", None, {
        "cardtp": "5", "order_type": "payment", "clisn": "038424",
        "goods_detail": "", "userid": "2605489", "errmsg": "", "sysdtm": "2020-06-02 17:20:15",
        "paydtm": "2020-06-02 17:20:36", "txcurrcd": "HKD", "txdtm": "2020-06-02 17:20:14",
        "txamt": "10", "out_trade_no": "CARD0001", "syssn": "20200602000200020000059321",
        "cancel": "0", "respcd": "0000", "pay_type": "802801", "goods_name": "card test",
    }),
    # Loose typing: numbers instead of strings, times in other formats, an
    # unknown cancel state, an unparseable secondary amount.
    ("loose_types", None, {
        "status": 1, "pay_type": 800101, "sysdtm": "2020-05-14T12:32:56+08:00",
        "paydtm": "", "txcurrcd": "HKD", "txdtm": "2020-05-14 12:32:56", "txamt": 10,
        "out_trade_no": 12345678, "syssn": "20200514000300020093755456", "cancel": 9,
        "respcd": "0000", "cash_fee": "1.00", "notify_type": "payment",
    }),
    # A Python str holding a lone surrogate (e.g. decoded with
    # errors="surrogateescape") is dumped as a lone \udXXX escape, which
    # strict JSON parsers refuse.
    ("lone_surrogate", None, {
        "status": "1", "pay_type": "800101", "sysdtm": "2020-05-14 12:32:56",
        "paydtm": "2020-05-14 12:33:56", "goods_name": "caf\udce9 \ud83d",
        "txcurrcd": "HKD", "txdtm": "2020-05-14 12:32:56", "txamt": "10",
        "out_trade_no": "LONE0001", "syssn": "20200514000300020093755457",
        "cancel": "0", "respcd": "0000", "notify_type": "payment",
    }),
]


def dumps(payload, options):
    return json.dumps(payload, **(options or {}))


def main():
    manifest = []
    previous = None
    for name, options, payload in CASES:
        if payload is None:
            payload = previous
        previous = payload
        body = dumps(payload, options).encode("utf-8")
        sign = hashlib.md5(body + KEY.encode("utf-8")).hexdigest().upper()
        path = os.path.join(HERE, name + ".body")
        with open(path, "wb") as f:
            f.write(body)
        manifest.append({
            "name": name,
            "body_file": name + ".body",
            "key": KEY,
            "x_qf_sign": sign,
            "json_dumps_options": options or {},
        })
    with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({
            "about": "Notification bodies produced by Python json.dumps (default settings unless "
                     "json_dumps_options says otherwise) and their X-QF-SIGN = upper-case "
                     "MD5(raw body + key). Generated by generate.py.",
            "python": sys.version.split()[0],
            "cases": manifest,
        }, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()

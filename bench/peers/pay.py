"""The Python payment peer: ``requests`` (one Session, keep-alive) + hashlib + hmac + json,
doing libovo's work: field rules, checksum, body, UUID v4 Request-Id, Request-Timestamp,
HMAC-SHA256 Signature, a body read capped at 1 MiB and the response checks.

Usage: pay.py BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE]; the JSON line of ``pay.c``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import sys
import time
import uuid
from typing import Any, Callable, Optional

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import bench_common as bc  # noqa: E402

TARGET = "/ovo-emoney/v1/payment"
MAX_BODY = 1024 * 1024
INVOICE_RULE = re.compile(r"[\x20-\x7e]{1,64}")
OVO_ID_RULE = re.compile(r"[0-9]{9,15}")
SECRET = bc.SECRET_KEY.encode()


def signed_request(invoice: str, amount: int, ovo_id: str) -> "tuple[bytes, dict[str, str]]":
    """The body and headers of one push, after the field rules."""
    if not INVOICE_RULE.fullmatch(invoice):
        raise ValueError("order.invoice_number: 1..64 printable ASCII")
    if not 1 <= amount <= 999_999_999_999:
        raise ValueError("order.amount: 1..999,999,999,999")
    if not OVO_ID_RULE.fullmatch(ovo_id):
        raise ValueError("ovo_info.ovo_id: 9..15 digits")
    check_sum = hashlib.sha256(f"{amount}{bc.CLIENT_ID}{invoice}{ovo_id}{bc.SECRET_KEY}".encode())
    body = json.dumps(
        {
            "client": {"id": bc.CLIENT_ID},
            "order": {"invoice_number": invoice, "amount": amount},
            "ovo_info": {"ovo_id": ovo_id},
            "security": {"check_sum": check_sum.hexdigest()},
        },
        separators=(",", ":"),
    ).encode()
    request_id = str(uuid.uuid4())
    timestamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    component = (
        f"Client-Id:{bc.CLIENT_ID}\nRequest-Id:{request_id}\nRequest-Timestamp:{timestamp}\n"
        f"Request-Target:{TARGET}\nDigest:{digest}"
    )
    mac = hmac.new(SECRET, component.encode(), hashlib.sha256).digest()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Client-Id": bc.CLIENT_ID,
        "Request-Id": request_id,
        "Request-Timestamp": timestamp,
        "Request-Target": TARGET,
        "Signature": "HMACSHA256=" + base64.b64encode(mac).decode(),
    }
    return body, headers


def status_of(answer: Any, invoice: str, amount: int, ovo_id: str) -> Optional[str]:
    """ovo_payment.status when the answer echoes the request, else None."""
    try:
        ok = (
            answer["client"]["id"] == bc.CLIENT_ID
            and answer["order"]["invoice_number"] == invoice
            and answer["order"]["amount"] == amount
            and answer["ovo_info"]["ovo_id"] == ovo_id
        )
        status = answer["ovo_payment"]["status"]
    except (KeyError, TypeError):
        return None
    return status if ok and status in ("SUCCESS", "FAILED", "TIMEOUT") else None


def make_payer(base_url: str, ca_file: Optional[str]) -> Callable[[str], bool]:
    """One Session (keep-alive, no proxy from the environment)."""
    session = requests.Session()
    session.trust_env = False
    url = base_url + TARGET
    verify: Any = ca_file if ca_file else True

    def pay(invoice: str) -> bool:
        body, headers = signed_request(invoice, bc.AMOUNT, bc.INSTANT_WALLET)
        try:
            with session.post(url, data=body, headers=headers, timeout=(10, 90), verify=verify,
                              stream=True) as r:
                chunks, size = [], 0
                for chunk in r.iter_content(65536):
                    size += len(chunk)
                    if size > MAX_BODY:
                        return False
                    chunks.append(chunk)
                if r.status_code != 200:
                    return False
                answer = json.loads(b"".join(chunks))
        except (requests.RequestException, ValueError) as e:
            sys.stderr.write(f"payment {invoice} not paid: {type(e).__name__}\n")
            return False
        return status_of(answer, invoice, bc.AMOUNT, bc.INSTANT_WALLET) == "SUCCESS"

    return pay


bc.run_sequential(make_payer)

"""The Client: settings, blocking and async pushes, status checks, the journal's calls.

Argument marshalling and result conversion only: validation, checksums, HTTP, outcome
mapping and the one-push-per-invoice guard all happen in libovo.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any, List, Optional, Tuple, Union

from . import _args, _ffi, _log
from ._args import F_BASE_URL, F_CA_FILE, F_CANCEL, F_CLIENT_ID, F_CONNECT_TIMEOUT
from ._args import F_ENVIRONMENT, F_PROXY, F_SECRET_KEY, F_STATUS_TIMEOUT, F_TIMEOUT
from ._args import F_INVOICE_NUMBER, F_JOURNAL
from ._args import c_string, millis, optional_c_string, path, type_error
from ._async import PaymentFuture, submit
from ._cancel import CancelToken
from ._errors import InternalError, InvalidArgument, OvoError, PaymentInterrupted
from ._errors import SettleAllInterrupted
from ._functions import take_error
from ._interrupt import watch
from ._managed import Managed
from ._payment import NativePayment, answered, owned, required, take_list
from ._types import Environment, Outcome, Payment, Proxy, Result

ProxySetting = Union[str, Proxy, None]
Reconcile = Optional[Tuple[float, float]]
FileName = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]", None]

_ENVIRONMENTS = {
    Environment.SANDBOX: _ffi.OVO_ENVIRONMENT_SANDBOX,
    Environment.PRODUCTION: _ffi.OVO_ENVIRONMENT_PRODUCTION,
}

_push = _ffi.ovo_push_payment_cancellable
_void_p = ctypes.c_void_p
_byref = ctypes.byref


class _Config(Managed):
    _kind = "ovo_config"
    _free_fn = _ffi.ovo_config_free


class Client(Managed):
    """A configured connection to DOKU for one merchant (``ovo_client``).

    Thread-safe: share one client between threads. Close it with :meth:`close` or a ``with``
    block (it is also freed when garbage-collected). Payments in flight finish normally.

    :param client_id: the merchant's Client ID from the Jokul Back Office.
    :param secret_key: the merchant's secret key; handed to libovo, never stored or shown here.
    :param environment: ``"sandbox"`` (default) or ``"production"`` (or :class:`Environment`).
    :param base_url: overrides the environment's URL, e.g. ``"http://127.0.0.1:8080"``.
    :param timeout: total seconds one payment may take; ``None`` (default): libovo's default,
        90 s (DOKU holds a push up to 70). :attr:`timeout` tells the one in use.
    :param connect_timeout: seconds for DNS, connecting and TLS; ``None``: libovo's (10 s). A
        request never waits longer than ``timeout`` all in all.
    :param status_timeout: total seconds one status check may take; ``None``: libovo's (30 s).
    :param reconcile: ``None`` (default: off) or ``(first_delay_s, max_wait_s)``: after a push
        ends UNKNOWN (not cancelled), libovo checks its status after ``first_delay_s``, then
        with doubling pauses (1-30 s) until DOKU gives a final answer or ``max_wait_s`` passed;
        the blocking call (or the future) waits for that. The payment's ``outcome`` is then
        the last check's (``payment.last_check``). It never pushes again. DOKU advises
        checking no earlier than about 60 s after a payment. A ``max_wait_s`` of 0 is off.
    :param ca_file: a PEM CA bundle to use instead of the built-in roots.
    :param proxy: :attr:`Proxy.FROM_ENVIRONMENT` (default), ``None`` / :attr:`Proxy.NONE`
        for a direct connection, or a proxy URL ``"http://[user:pass@]host:port"``.
    :param journal: ``None`` (default: off) or the path of libovo's payment journal, an SQLite
        file (created if missing; its folder must exist) that records every push durably
        before it is sent, then its answer and every status check. With it an invoice is
        pushed at most once across crashes, restarts and processes sharing the file: a paid
        one is refused (:class:`AlreadyPaid`), an open one until it is settled
        (:class:`Unsettled`, see :meth:`unsettled` and :meth:`settle`), one DOKU answered not
        paid (:class:`InvoiceUsed`). It holds invoices, amounts and phone numbers, never the
        secret key. Keep it on a local disk.
    :raises InvalidArgument: a credential or setting is invalid (``field`` names it), or the
        journal file is not a libovo journal, is corrupt, read-only or from a newer libovo
        (``field`` is ``"journal"``; the file is left unchanged).
    """

    _kind = "ovo_client"
    _free_fn = _ffi.ovo_client_free

    def __init__(
        self,
        client_id: str,
        secret_key: str,
        *,
        environment: Union[Environment, str] = Environment.SANDBOX,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        status_timeout: Optional[float] = None,
        reconcile: Reconcile = None,
        ca_file: FileName = None,
        proxy: ProxySetting = Proxy.FROM_ENVIRONMENT,
        journal: FileName = None,
    ) -> None:
        cid = c_string(client_id, F_CLIENT_ID)
        key = c_string(secret_key, F_SECRET_KEY)
        env = _environment(environment)
        url = optional_c_string(base_url, F_BASE_URL)
        # A timeout not given is not set: libovo's default rules.
        timeouts = [
            (setter, millis(value, name))
            for setter, value, name in (
                (_ffi.ovo_config_set_timeout_ms, timeout, F_TIMEOUT),
                (_ffi.ovo_config_set_connect_timeout_ms, connect_timeout, F_CONNECT_TIMEOUT),
                (_ffi.ovo_config_set_status_timeout_ms, status_timeout, F_STATUS_TIMEOUT),
            )
            if value is not None
        ]
        reconcile_ms = _args.reconcile(reconcile)
        ca = path(ca_file, F_CA_FILE)
        journal_path = path(journal, F_JOURNAL)
        proxy_mode, proxy_url = _proxy(proxy)

        _log.sync()
        out = _void_p()
        err = _void_p()
        with _Config(_ffi.ovo_config_new()) as config, config._borrow() as c:
            settings = [
                _ffi.ovo_config_set_environment(c, _ENVIRONMENTS[env]),
                _ffi.ovo_config_set_base_url(c, url),
                _ffi.ovo_config_set_ca_file(c, ca),
                _ffi.ovo_config_set_proxy(c, proxy_mode, proxy_url),
                _ffi.ovo_config_set_journal(c, journal_path),
            ]
            settings += [setter(c, ms) for setter, ms in timeouts]
            if reconcile_ms is not None:
                settings.append(_ffi.ovo_config_set_reconcile(c, *reconcile_ms))
            for rc in settings:
                if rc != _ffi.OVO_RESULT_OK:
                    raise InternalError(f"libovo refused a setting (result {rc})")
            in_use = (
                _ffi.ovo_config_timeout_ms(c),
                _ffi.ovo_config_connect_timeout_ms(c),
                _ffi.ovo_config_status_timeout_ms(c),
            )
            rc = int(_ffi.ovo_client_new(cid, key, c, _byref(out), _byref(err)))
        if rc != _ffi.OVO_RESULT_OK or not out.value:
            raise take_error(rc, err.value)
        super().__init__(out.value)
        self._client_id = client_id
        self._environment = env
        self._base_url = base_url
        self._timeouts: Tuple[float, ...] = tuple(int(ms) / 1000 for ms in in_use)

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        url = f" base_url={self._base_url!r}" if self._base_url else ""
        return (
            f"<ovo.Client client_id={self._client_id!r} "
            f"environment={self._environment.value!r}{url}{state}>"
        )

    @property
    def client_id(self) -> str:
        """The merchant's Client ID."""
        return self._client_id

    @property
    def timeout(self) -> float:
        """The total seconds one push may take, as libovo uses it (the one given, else
        libovo's default, read back with ``ovo_config_timeout_ms``)."""
        return self._timeouts[0]

    @property
    def connect_timeout(self) -> float:
        """The connect timeout in seconds libovo uses (given, else its default); a request
        still never waits longer than :attr:`timeout`."""
        return self._timeouts[1]

    @property
    def status_timeout(self) -> float:
        """The total seconds one status check may take, as libovo uses it."""
        return self._timeouts[2]

    def _closed_error(self) -> Exception:
        return InvalidArgument("client: this Client is closed", field="client")

    def push_payment(
        self,
        invoice_number: str,
        amount: int,
        ovo_id: str,
        *,
        cancel: Optional[CancelToken] = None,
    ) -> Payment:
        """Pushes a payment to the customer's OVO app and waits for DOKU's answer.

        Blocks up to the client's ``timeout`` (plus reconcile, when on); other Python threads
        keep running meanwhile. Sends at most one request and never retries. Another thread
        stops the wait with ``cancel.cancel()`` (an :class:`ovo.CancelToken`); on the main
        thread Ctrl-C does (see :class:`ovo.PaymentInterrupted`). A stopped wait raises
        :class:`OutcomeUnknown` (``payment.cancelled``): the customer may still pay, so check
        the status (:meth:`check_status`) before charging again.

        :returns: the :class:`Payment` for any answer DOKU gave: check ``payment.outcome``
            (``PAID``; ``NOT_PAID`` for FAILED; ``UNKNOWN`` for TIMEOUT: check with DOKU).
            With reconcile on, also a push without a usable answer of its own that a status
            check decided (its ``result`` stays ``OUTCOME_UNKNOWN``; ``last_check`` is the
            check).
        :raises InvalidArgument: an argument broke a rule; nothing was sent.
        :raises NotSent: the request never left this machine (or the journal could not record
            it first); not paid, safe to retry.
        :raises OutcomeUnknown: no usable answer, DOKU's code 40 or 68, or a cancelled wait;
            the customer may have paid. Subclasses :class:`InFlight` (this invoice is being
            pushed on this client already) and :class:`Unsettled` (an earlier push of it is
            open: :meth:`settle` it first) are refusals: nothing was sent.
        :raises AlreadyPaid: (journal) the invoice is paid; nothing sent. ``.payment`` is the
            stored one.
        :raises InvoiceUsed: (journal) DOKU answered the invoice not paid before; nothing
            sent: use a new invoice number.
        :raises Rejected: DOKU refused the request (HTTP 4xx); not paid.
        :raises InternalError: a bug in libovo; outcome unknown.
        :raises PaymentInterrupted: Ctrl-C (a ``KeyboardInterrupt`` carrying ``.payment``).
        """
        inv, amt, oid = _args.payment(invoice_number, amount, ovo_id)
        if cancel is not None and not isinstance(cancel, CancelToken):
            raise type_error(F_CANCEL, "an ovo.CancelToken or None", cancel)
        _log.sync()
        out = _void_p()
        client = self._acquire()
        token = None
        watching = False
        payment: Optional[NativePayment] = None
        try:
            if cancel is not None:
                token = cancel._acquire()
            # Ctrl-C on the main thread cancels the wait (then PaymentInterrupted, below).
            watching, handle = watch.begin_push(
                token, None if cancel is None else cancel._mark_cancelled
            )
            _push(client, inv, amt, oid, handle, _byref(out))
            payment = owned(out.value)  # before the watch ends: never leaked
        finally:
            try:
                if token is not None and cancel is not None:
                    cancel._unborrow()
                self._unborrow()
            finally:
                interrupted = watching and watch.end()
        if interrupted:
            raise _interrupted(required(payment), invoice_number, "push")
        return answered(payment)

    def push_payment_async(self, invoice_number: str, amount: int, ovo_id: str) -> PaymentFuture:
        """Like :meth:`push_payment` but returns at once with a :class:`~ovo.PaymentFuture`
        (a ``concurrent.futures.Future``).

        The future resolves on a library thread: with the :class:`Payment`, or with the same
        exceptions :meth:`push_payment` raises (carrying the payment; refusals such as
        :class:`InFlight` included). ``future.cancel()`` cancels the wait: the future then
        resolves within 100 ms with the cancelled, UNKNOWN payment (``OutcomeUnknown``), never
        with ``CancelledError``. From asyncio: ``await asyncio.wrap_future(future)``. At
        interpreter exit, the payments still in flight are cancelled the same way (the
        invoices are logged to the ``"ovo"`` logger); exit never waits for DOKU.

        :raises InvalidArgument: (at once) an argument broke a rule; nothing was sent.
        :raises NotSent: (at once) libovo could not start the payment; nothing was sent.
        """
        inv, amt, oid = _args.payment(invoice_number, amount, ovo_id)
        _log.sync()
        client = self._acquire()
        try:
            return submit(client, inv, amt, oid, invoice_number)
        finally:
            self._unborrow()

    def check_status(self, invoice_number: str) -> Payment:
        """Asks DOKU for the status of ``invoice_number`` (Check Status API), once.

        Blocks up to the client's ``status_timeout``; a check cannot be cancelled, so Ctrl-C
        on the main thread raises :class:`PaymentInterrupted` (carrying the check) when it
        returns. A decided answer (PAID, NOT_PAID, REFUNDED) also settles the invoice on this
        client, so a push of it is no longer refused as :class:`Unsettled`.

        :returns: a :class:`Payment` of ``kind`` :attr:`Kind.STATUS_CHECK` when DOKU answered:
            ``outcome`` PAID (SUCCESS), NOT_PAID (FAILED, EXPIRED), REFUNDED, or UNKNOWN
            (PENDING, TIMEOUT, anything else, and ``not_found``: DOKU may lag behind a push,
            check again later). DOKU's fields are attributes: ``transaction_status``,
            ``transaction_date``, ``original_request_id``, ``service_id``, ``acquirer_id``,
            ``channel_id``, ``check_amount``, ``check_invoice_number``,
            ``check_response_code``.
        :raises InvalidArgument: a bad invoice number; nothing was sent.
        :raises Rejected: DOKU refused the check (HTTP 4xx, e.g. a bad signature); this tells
            nothing about the payment (outcome UNKNOWN).
        :raises NotSent: the check never left this machine (outcome UNKNOWN).
        :raises OutcomeUnknown: no usable answer (timeout, 5xx, malformed); outcome UNKNOWN.
        :raises PaymentInterrupted: Ctrl-C (a ``KeyboardInterrupt`` carrying ``.payment``).
        """
        inv = c_string(invoice_number, F_INVOICE_NUMBER)
        _log.sync()
        out = _void_p()
        client = self._acquire()
        watching = False
        payment: Optional[NativePayment] = None
        try:
            watching = watch.begin_check()  # a status check cannot be cancelled: only recorded
            _ffi.ovo_check_status(client, inv, _byref(out))
            payment = owned(out.value)  # before the watch ends: never leaked
        finally:
            try:
                self._unborrow()
            finally:
                interrupted = watching and watch.end()
        if interrupted:
            raise _interrupted(required(payment), invoice_number, "status check")
        return answered(payment)

    def unsettled(self) -> List[Payment]:
        """The invoices whose outcome is not final, oldest first, as recorded; nothing is sent.

        With a journal (``Client(journal=...)``): every push of this Client ID the file holds
        as ``SENDING`` (the program stopped while waiting, or another process is pushing it)
        or ``UNKNOWN``, across restarts and processes sharing the file; without one, this
        client's pushes that ended unknown and were not settled. Each is a :class:`Payment` of
        kind :attr:`Kind.PUSH`, outcome UNKNOWN, with the push as given
        (``request_invoice_number``, ``request_amount``, ``request_ovo_id``, ``request_id``),
        any answer's fields, ``message`` and, from a journal, ``journal_state``,
        ``journal_created_at`` and ``journal_updated_at``. Settle them (:meth:`settle`,
        :meth:`settle_all`) before pushing them again or telling the customer anything.

        :raises InvalidArgument: the journal cannot be read (``field`` is ``"journal"``).
        """
        return self._list(_ffi.ovo_journal_unsettled, None)

    def settle(self, invoice_number: str) -> Payment:
        """Settles one invoice and returns its payment, whose ``outcome`` is the invoice's.

        An open one (see :meth:`unsettled`) is checked with DOKU like :meth:`check_status`
        (its amount compared with the push's) and the answer recorded in the journal; one the
        journal holds as final comes back as stored (kind :attr:`Kind.PUSH`, ``journal_state``
        set), nothing sent. Blocks up to :attr:`status_timeout`; Ctrl-C on the main thread
        raises :class:`PaymentInterrupted` (carrying the payment) when it returns.

        A **result, never an exception**, whatever DOKU or the network did: read ``outcome``.
        UNKNOWN (PENDING, not found, or the check failed: ``result`` and ``message`` say why)
        means still open: settle again later, and never push the invoice again meanwhile. A
        stored push that provably never left is final: ``result`` NOT_SENT, NOT_PAID.

        :raises InvalidArgument: a bad invoice number, or the journal cannot be read
            (``field`` names which); nothing was asked.
        :raises InternalError: a bug in libovo (the outcome is unknown).
        """
        inv = c_string(invoice_number, F_INVOICE_NUMBER)
        _log.sync()
        out = _void_p()
        client = self._acquire()
        watching = False
        taken: Optional[NativePayment] = None
        try:
            watching = watch.begin_check()  # cannot be cancelled: Ctrl-C is only recorded
            _ffi.ovo_client_settle(client, inv, _byref(out))
            taken = owned(out.value)  # before the watch ends: never leaked
        finally:
            try:
                self._unborrow()
            finally:
                interrupted = watching and watch.end()
        payment = required(taken)
        if interrupted:
            raise _interrupted(payment, invoice_number, "settle")
        if payment.result in _SETTLE_RAISES:
            raise payment._error()
        return payment

    def settle_all(self) -> List[Payment]:
        """:meth:`settle` for every invoice :meth:`unsettled` lists, one after the other (up to
        :attr:`status_timeout` each), e.g. when a till starts.

        :returns: the settled payments in that order, whatever each one's own ``result``:
            read each ``outcome`` (``request_invoice_number`` names its invoice). Empty when
            nothing is open.
        :raises InvalidArgument: the journal cannot be read (``field`` is ``"journal"``).
        :raises SettleAllInterrupted: Ctrl-C on the main thread (a ``KeyboardInterrupt``),
            raised once every invoice was checked (the answers are recorded), carrying the
            settled payments as ``.payments``; :meth:`unsettled` lists what is still open.
        """
        return self._list(_ffi.ovo_client_settle_all, "settle_all")

    def _list(self, call: Any, interruptible: Optional[str]) -> List[Payment]:
        """Runs a journal call that fills an ``ovo_payment_list **`` (or an error)."""
        _log.sync()
        out = _void_p()
        err = _void_p()
        client = self._acquire()
        watching = False
        try:
            watching = interruptible is not None and watch.begin_check()
            rc = int(call(client, _byref(out), _byref(err)))
            # Owned (the list, or the error) before the watch ends: never leaked.
            payments, error = _take_list_result(rc, out.value, err.value)
        finally:
            try:
                self._unborrow()
            finally:
                interrupted = watching and watch.end()
        if error is not None:
            raise error
        if interrupted:
            message = (
                f"{interruptible} interrupted (Ctrl-C) after it ended: {len(payments)} open "
                "invoice(s) checked, the answers recorded; client.unsettled() lists what is "
                "still open"
            )
            _log.LOGGER.warning("%s", message)
            raise SettleAllInterrupted(message, payments)
        return payments


def _take_list_result(
    rc: int, out: Optional[int], err: Optional[int]
) -> Tuple[List[Payment], Optional[OvoError]]:
    """Takes the out-parameters of a call filling an ``ovo_payment_list **``: its payments,
    or (none and) the error; whatever is not returned is freed."""
    if rc != _ffi.OVO_RESULT_OK or not out:
        if out:  # the ABI says NULL on failure; never leak it anyway
            _ffi.ovo_payment_list_free(out)
        return [], take_error(rc if rc != _ffi.OVO_RESULT_OK else int(Result.INTERNAL), err)
    if err:
        _ffi.ovo_error_free(err)
    return take_list(out), None


# What settle() raises instead of returning: nothing was asked, or libovo failed.
_SETTLE_RAISES = (Result.INVALID_ARGUMENT, Result.INTERNAL)


def _interrupted(payment: Payment, invoice_number: str, what: str) -> PaymentInterrupted:
    """The KeyboardInterrupt of a call that Ctrl-C stopped, logged with its invoice."""
    if payment.outcome is Outcome.UNKNOWN:
        message = (
            f"{what} of invoice {invoice_number} interrupted (Ctrl-C); the outcome is UNKNOWN: "
            "the customer may still pay in the OVO app. Check the status "
            f"(client.check_status({invoice_number!r})) before charging again"
        )
    else:
        message = (
            f"{what} of invoice {invoice_number} interrupted (Ctrl-C) after it ended: outcome "
            f"{payment.outcome.name}"
        )
    _log.LOGGER.warning(
        "%s (request_id=%s)", message, getattr(payment, "request_id", None) or "none"
    )
    return PaymentInterrupted(message, payment, invoice_number)


def _environment(value: object) -> Environment:
    if isinstance(value, Environment):
        return value
    if not isinstance(value, str):
        raise type_error(F_ENVIRONMENT, "'sandbox' or 'production'", value)
    try:
        return Environment(value)
    except ValueError:
        raise InvalidArgument(
            f"{F_ENVIRONMENT}: {value!r} is not 'sandbox' or 'production'", field=F_ENVIRONMENT
        ) from None


def _proxy(value: object) -> Tuple[int, Optional[bytes]]:
    if value is None or value is Proxy.NONE:
        return _ffi.OVO_PROXY_MODE_NONE, None
    if value is Proxy.FROM_ENVIRONMENT:
        return _ffi.OVO_PROXY_MODE_FROM_ENVIRONMENT, None
    if isinstance(value, str):
        return _ffi.OVO_PROXY_MODE_URL, c_string(value, F_PROXY)
    raise type_error(F_PROXY, "a URL str, None or an ovo.Proxy", value)

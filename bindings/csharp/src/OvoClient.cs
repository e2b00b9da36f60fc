using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Threading;
using System.Threading.Tasks;

namespace Ovo
{
    /// <summary>
    /// A connection to DOKU for one merchant (<c>ovo_client</c>): pushes payments
    /// (<see cref="PushPayment"/>, <see cref="PushPaymentAsync"/>), checks their status
    /// (<see cref="CheckStatus"/>) and settles open ones (<see cref="Unsettled"/>,
    /// <see cref="Settle"/>, <see cref="SettleAll"/>; across restarts with
    /// <see cref="OvoClientOptions.Journal"/>). Thread-safe: share one client across threads and
    /// payments; it reuses connections and remembers which invoices are in flight or unsettled.
    /// Dispose it when done; payments already in flight finish normally.
    /// </summary>
    public sealed class OvoClient : IDisposable
    {
        private readonly OvoClientHandle handle;

        // Set by Dispose. The SafeHandle alone would still accept new calls while another thread
        // is inside a native call (it only closes when its last reference goes).
        private int disposed;

        /// <summary>
        /// Creates a client from the merchant's credentials. libovo checks every argument and
        /// setting, reads the CA file and the proxy environment now, and copies the secret key
        /// (it never appears in any message).
        /// </summary>
        /// <param name="clientId">The Client ID from DOKU's back office (<c>MCH-...</c>).</param>
        /// <param name="secretKey">The secret key from DOKU's back office (<c>SK-...</c>).</param>
        /// <param name="options">Settings, or <c>null</c> for libovo's defaults.</param>
        /// <exception cref="OvoInvalidArgumentException">An argument or setting is invalid;
        /// <see cref="OvoException.Field"/> names it.</exception>
        public OvoClient(string clientId, string secretKey, OvoClientOptions options = null)
        {
            OvoLibrary.EnsureLoaded();
            byte[] secret = Utf8.ToNative(secretKey);
            try
            {
                using (OvoConfigHandle config = (options ?? new OvoClientOptions()).ToNative())
                {
                    Timeout = TimeSpan.FromMilliseconds(NativeMethods.ovo_config_timeout_ms(config));
                    ConnectTimeout = TimeSpan.FromMilliseconds(NativeMethods.ovo_config_connect_timeout_ms(config));
                    StatusTimeout = TimeSpan.FromMilliseconds(NativeMethods.ovo_config_status_timeout_ms(config));
                    OvoClientHandle client;
                    OvoErrorHandle error;
                    uint result = NativeMethods.ovo_client_new(
                        Utf8.ToNative(clientId), secret, config, out client, out error);
                    using (error)
                    {
                        if (result != (uint)OvoResult.Ok || client.IsInvalid)
                        {
                            client.Dispose();
                            throw OvoException.FromError(result, error, null);
                        }
                    }
                    handle = client;
                }
            }
            finally
            {
                Utf8.Clear(secret);
            }
            ClientId = clientId;
        }

        /// <summary>The merchant's Client ID this client sends.</summary>
        public string ClientId { get; }

        /// <summary>The total timeout of one push this client uses: <see cref="OvoClientOptions.Timeout"/>
        /// when set, else libovo's default (as libovo reports it, <c>ovo_config_timeout_ms</c>).</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The connect timeout this client uses: <see cref="OvoClientOptions.ConnectTimeout"/>
        /// when set, else libovo's default (<c>ovo_config_connect_timeout_ms</c>). A request still
        /// never waits longer than its total timeout.</summary>
        public TimeSpan ConnectTimeout { get; }

        /// <summary>The total timeout of one status check this client uses:
        /// <see cref="OvoClientOptions.StatusTimeout"/> when set, else libovo's default
        /// (<c>ovo_config_status_timeout_ms</c>).</summary>
        public TimeSpan StatusTimeout { get; }

        /// <summary>
        /// Pushes a payment to the customer's OVO app and blocks until DOKU answers (DOKU holds the
        /// request up to 70 s while the customer approves), the client's timeout passes or
        /// <paramref name="cancellationToken"/> is cancelled. Sends at most one request and never
        /// retries. With reconcile on (<see cref="OvoClientOptions.ReconcileMaxWait"/>) an unknown
        /// outcome is followed by status checks before this returns; when one decides it, the
        /// payment is returned (its <see cref="Payment.Result"/> stays the push's own, e.g.
        /// <see cref="OvoResult.OutcomeUnknown"/>, its <see cref="Payment.Outcome"/> is the check's).
        /// </summary>
        /// <param name="invoiceNumber">The merchant's unique invoice number.</param>
        /// <param name="amount">Whole rupiah.</param>
        /// <param name="ovoId">The customer's OVO phone number.</param>
        /// <param name="cancellationToken">Stops the wait (another thread cancels it): the call then
        /// throws <see cref="OvoPaymentCanceledException"/> promptly, carrying the payment. The
        /// customer may still pay: check the status. A token already cancelled sends nothing.</param>
        /// <returns>DOKU's answer. Read <see cref="Payment.Outcome"/>: SUCCESS is
        /// <see cref="PaymentOutcome.Paid"/>, FAILED <see cref="PaymentOutcome.NotPaid"/>, and
        /// TIMEOUT <see cref="PaymentOutcome.Unknown"/> (check the status; not a failure).</returns>
        /// <exception cref="OvoInvalidArgumentException">An argument broke a rule; nothing was sent.</exception>
        /// <exception cref="OvoNotSentException">The request never left this machine; not paid.</exception>
        /// <exception cref="OvoOutcomeUnknownException">No usable answer, or FAILED 40/68: the customer
        /// may have paid; check the status.</exception>
        /// <exception cref="OvoRejectedException">DOKU refused the request (HTTP 4xx); not paid.</exception>
        /// <exception cref="OvoInFlightException">This invoice is being pushed already; nothing sent.</exception>
        /// <exception cref="OvoUnsettledException">An earlier push of this invoice ended unknown: check
        /// its status first; nothing sent.</exception>
        /// <exception cref="OvoAlreadyPaidException">The invoice is paid; nothing sent.</exception>
        /// <exception cref="OvoInvoiceUsedException">DOKU answered this invoice as not paid before;
        /// use a new invoice number; nothing sent.</exception>
        /// <exception cref="OvoPaymentCanceledException">The token stopped the wait: the customer may
        /// still pay; check the status.</exception>
        /// <exception cref="OvoInternalException">A bug in libovo.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public Payment PushPayment(string invoiceNumber, long amount, string ovoId,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            ThrowIfDisposed();
            byte[] invoice = Utf8.ToNative(invoiceNumber);
            byte[] ovo = Utf8.ToNative(ovoId);
            OvoPaymentHandle native;
            uint result;
            if (!cancellationToken.CanBeCanceled)
            {
                result = NativeMethods.ovo_push_payment(handle, invoice, amount, ovo, out native);
            }
            else
            {
                using (OvoCancelHandle cancel = NativeMethods.ovo_payment_handle_new())
                using (cancellationToken.Register(CancelNative, cancel)) // at once if already cancelled
                {
                    result = NativeMethods.ovo_push_payment_cancellable(handle, invoice, amount, ovo, cancel, out native);
                }
            }
            return Finish(result, native, cancellationToken);
        }

        /// <summary>
        /// Pushes a payment like <see cref="PushPayment"/> without blocking a thread: libovo runs
        /// the request on its own I/O thread and calls back once. This method never throws; every
        /// error, including <see cref="ObjectDisposedException"/>, surfaces through the task, as the
        /// same exception types as <see cref="PushPayment"/> (an invalid argument found before
        /// sending carries no <see cref="OvoException.Payment"/>; a refusal such as
        /// <see cref="OvoInFlightException"/> does).
        /// </summary>
        /// <param name="invoiceNumber">The merchant's unique invoice number.</param>
        /// <param name="amount">Whole rupiah.</param>
        /// <param name="ovoId">The customer's OVO phone number.</param>
        /// <param name="cancellationToken">
        /// Cancels the native wait (<c>ovo_payment_cancel</c>): within about 100 ms the task faults
        /// with <see cref="OvoPaymentCanceledException"/> (an <see cref="OperationCanceledException"/>)
        /// carrying libovo's payment, whose outcome is <b>unknown</b>: the customer may still pay in
        /// the OVO app, so check the status (<see cref="CheckStatus"/>) before charging again, never
        /// assume it failed. If DOKU's answer came first, the task completes with it as usual. A
        /// token already cancelled sends nothing (the exception's result is then
        /// <see cref="OvoResult.NotSent"/>).
        /// </param>
        public Task<Payment> PushPaymentAsync(
            string invoiceNumber, long amount, string ovoId,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            try
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // A pre-cancelled native handle: libovo ends the push at once, nothing sent.
                    return Task.FromResult(PushPayment(invoiceNumber, amount, ovoId, cancellationToken));
                }
                ThrowIfDisposed();
                return AsyncPayment.Start(
                    handle, Utf8.ToNative(invoiceNumber), amount, Utf8.ToNative(ovoId), cancellationToken);
            }
            catch (Exception e)
            {
                return Task.FromException<Payment>(e);
            }
        }

        /// <summary>
        /// Asks DOKU for the status of <paramref name="invoiceNumber"/> (Check Status API) and blocks
        /// up to <see cref="OvoClientOptions.StatusTimeout"/>. The next step after any unknown
        /// outcome. Sends one request, never retried. A decided answer also settles the invoice on
        /// this client (a later push of it is no longer refused with
        /// <see cref="OvoUnsettledException"/>).
        /// </summary>
        /// <param name="invoiceNumber">The invoice to look up.</param>
        /// <returns>A payment of kind <see cref="PaymentKind.StatusCheck"/>: SUCCESS is
        /// <see cref="PaymentOutcome.Paid"/>; FAILED or EXPIRED <see cref="PaymentOutcome.NotPaid"/>;
        /// REFUNDED <see cref="PaymentOutcome.Refunded"/>; PENDING, TIMEOUT, anything else and
        /// "not found" (<see cref="Payment.NotFound"/>) <see cref="PaymentOutcome.Unknown"/>: still
        /// open, check again later.</returns>
        /// <exception cref="OvoInvalidArgumentException">A bad invoice number; nothing was sent.</exception>
        /// <exception cref="OvoRejectedException">DOKU refused the check (HTTP 4xx, e.g. a bad
        /// signature): it tells nothing about the payment.</exception>
        /// <exception cref="OvoNotSentException">The check never left this machine.</exception>
        /// <exception cref="OvoOutcomeUnknownException">No usable answer to the check.</exception>
        /// <exception cref="OvoInternalException">A bug in libovo.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public Payment CheckStatus(string invoiceNumber)
        {
            ThrowIfDisposed();
            OvoPaymentHandle native;
            uint result = NativeMethods.ovo_check_status(handle, Utf8.ToNative(invoiceNumber), out native);
            return Finish(result, native, default(CancellationToken));
        }

        /// <summary>
        /// The invoices whose outcome is not final, oldest first, as recorded. Nothing is sent.
        /// With a journal (<see cref="OvoClientOptions.Journal"/>): every push of this Client ID the
        /// file holds as <c>SENDING</c> (the program stopped while waiting, or another process is
        /// pushing it) or <c>UNKNOWN</c>, across restarts and processes; without one, this client's
        /// pushes that ended unknown and were not settled. Each is a <see cref="PaymentKind.Push"/>
        /// payment with its outcome (<see cref="PaymentOutcome.Unknown"/>), the request as given
        /// (<see cref="Payment.RequestInvoiceNumber"/>, <see cref="Payment.RequestAmount"/>,
        /// <see cref="Payment.RequestOvoId"/>, <see cref="Payment.RequestId"/>), any answer's fields
        /// and, from a journal, <see cref="Payment.JournalState"/>,
        /// <see cref="Payment.JournalCreatedAt"/>, <see cref="Payment.JournalUpdatedAt"/>. Settle
        /// each with <see cref="Settle"/> (or all with <see cref="SettleAll"/>) before pushing
        /// them again or telling the customer anything.
        /// </summary>
        /// <exception cref="OvoInvalidArgumentException">The journal cannot be read
        /// (<see cref="OvoException.Field"/> is <c>journal</c>).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public IReadOnlyList<Payment> Unsettled()
        {
            ThrowIfDisposed();
            OvoPaymentListHandle list;
            OvoErrorHandle error;
            uint result = NativeMethods.ovo_journal_unsettled(handle, out list, out error);
            return FinishList(result, list, error);
        }

        /// <summary>
        /// Settles one invoice and returns its payment, whose <see cref="Payment.Outcome"/> is the
        /// invoice's: an open one (<see cref="Unsettled"/>) is checked with DOKU like
        /// <see cref="CheckStatus"/> (its amount compared with the push's) and the answer recorded
        /// in the journal; one the journal holds as final comes back as stored
        /// (<see cref="PaymentKind.Push"/>, <see cref="Payment.JournalState"/> set), nothing sent.
        /// Blocks up to <see cref="StatusTimeout"/>.
        /// <para>A <b>result, never an exception</b>, whatever DOKU or the network did: read the
        /// outcome. <see cref="PaymentOutcome.Unknown"/> (PENDING, not found, or the check failed:
        /// <see cref="Payment.Result"/> and <see cref="Payment.ErrorMessage"/> say why) means still
        /// open: settle again later and never push the invoice again meanwhile. A stored row whose
        /// push provably never left is final: <see cref="OvoResult.NotSent"/>,
        /// <see cref="PaymentOutcome.NotPaid"/>.</para>
        /// </summary>
        /// <param name="invoiceNumber">The invoice to settle.</param>
        /// <exception cref="OvoInvalidArgumentException">A bad invoice number, or the journal
        /// cannot be read (<see cref="OvoException.Field"/> names which); nothing was asked.</exception>
        /// <exception cref="OvoInternalException">A bug in libovo (the outcome is unknown).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public Payment Settle(string invoiceNumber)
        {
            ThrowIfDisposed();
            OvoPaymentHandle native;
            uint result = NativeMethods.ovo_client_settle(handle, Utf8.ToNative(invoiceNumber), out native);
            using (native)
            {
                Payment payment = ReadPayment(result, native);
                if (payment.Result == OvoResult.InvalidArgument || payment.Result == OvoResult.Internal)
                {
                    throw OvoException.Create(payment.Result, payment.ErrorMessage, payment.ErrorField, payment);
                }
                return payment;
            }
        }

        /// <summary>
        /// <see cref="Settle"/> for every invoice <see cref="Unsettled"/> lists, one after the other
        /// (up to <see cref="StatusTimeout"/> each), e.g. when a till starts. Returns the settled
        /// payments in that order, whatever each one's own <see cref="Payment.Result"/>: read each
        /// <see cref="Payment.Outcome"/> (<see cref="Payment.RequestInvoiceNumber"/> names its
        /// invoice). Empty when nothing is open.
        /// </summary>
        /// <exception cref="OvoInvalidArgumentException">The journal cannot be read
        /// (<see cref="OvoException.Field"/> is <c>journal</c>).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public IReadOnlyList<Payment> SettleAll()
        {
            ThrowIfDisposed();
            OvoPaymentListHandle list;
            OvoErrorHandle error;
            uint result = NativeMethods.ovo_client_settle_all(handle, out list, out error);
            return FinishList(result, list, error);
        }

        /// <summary>Frees the native client. Idempotent. Payments in flight (blocking or async)
        /// finish normally; later calls throw <see cref="ObjectDisposedException"/>.</summary>
        public void Dispose()
        {
            Interlocked.Exchange(ref disposed, 1);
            if (handle != null)
            {
                handle.Dispose();
            }
        }

        /// <summary>"OvoClient(MCH-...)". Never shows the secret key.</summary>
        public override string ToString()
        {
            return "OvoClient(" + ClientId + ")";
        }

        /// <summary>Async payments whose native callback has not run yet.</summary>
        internal static int PendingCallbacks
        {
            get { return AsyncPayment.PendingCallbacks; }
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref disposed) != 0 || handle.IsClosed)
            {
                throw new ObjectDisposedException(nameof(OvoClient));
            }
        }

        /// <summary>Reads the payment a blocking call returned (and frees it) or throws the
        /// exception for its result (<see cref="OvoException.ForPayment"/>).</summary>
        private static Payment Finish(uint result, OvoPaymentHandle native, CancellationToken token)
        {
            using (native)
            {
                Payment payment = ReadPayment(result, native);
                Exception failure = OvoException.ForPayment(payment, token);
                if (failure != null)
                {
                    throw failure;
                }
                return payment;
            }
        }

        /// <summary>Copies the payment a blocking call returned (the caller frees it).</summary>
        private static Payment ReadPayment(uint result, OvoPaymentHandle native)
        {
            if (native.IsInvalid)
            {
                // The ABI promises a payment whenever `out` is non-NULL.
                throw OvoException.Create(
                    result == (uint)OvoResult.Ok ? OvoResult.Internal : (OvoResult)result,
                    "libovo returned no payment; its outcome is unknown: check its status", null, null);
            }
            return Payment.FromHandle(native);
        }

        /// <summary>Copies a list a journal call returned (and frees it), or throws the exception
        /// for its error.</summary>
        private static IReadOnlyList<Payment> FinishList(uint result, OvoPaymentListHandle list, OvoErrorHandle error)
        {
            using (list)
            using (error)
            {
                if (result != (uint)OvoResult.Ok || list.IsInvalid)
                {
                    throw OvoException.FromError(result == (uint)OvoResult.Ok ? (uint)OvoResult.Internal : result, error, null);
                }
                return new ReadOnlyCollection<Payment>(Payment.FromList(list));
            }
        }

        /// <summary>A token's callback for a blocking push. Never throws into the token's Cancel().</summary>
        private static void CancelNative(object cancelHandle)
        {
            try
            {
                NativeMethods.ovo_payment_cancel((OvoCancelHandle)cancelHandle);
            }
            catch (Exception)
            {
                // The handle outlives the registration; nothing else can fail here.
            }
        }
    }
}

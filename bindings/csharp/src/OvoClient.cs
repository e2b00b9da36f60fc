using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Ovo
{
    /// <summary>
    /// A connection to DOKU for one merchant (<c>ovo_client</c>). Thread-safe: share one client
    /// across threads and payments; it reuses connections. Dispose it when done; payments already
    /// in flight finish normally.
    /// </summary>
    public sealed class OvoClient : IDisposable
    {
        // One delegate for every async call, kept alive for the life of the process, so the
        // function pointer libovo holds can never be collected while a callback is pending.
        private static readonly NativeMethods.PaymentCallback CallbackDelegate = OnPaymentCompleted;

        // Async payments whose native callback has not run yet (tests watch it reach zero).
        private static int pendingCallbacks;

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
                using (OvoConfigHandle config = NativeMethods.ovo_config_new())
                {
                    if (config.IsInvalid)
                    {
                        throw new OutOfMemoryException("ovo_config_new returned NULL");
                    }
                    (options ?? new OvoClientOptions()).ApplyTo(config);
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

        /// <summary>
        /// Pushes a payment to the customer's OVO app and blocks until DOKU answers (DOKU holds the
        /// request up to 70 s while the customer approves) or the client's timeout passes. Sends at
        /// most one request and never retries.
        /// </summary>
        /// <returns>DOKU's answer. Read <see cref="Payment.Outcome"/>: SUCCESS is
        /// <see cref="PaymentOutcome.Paid"/>, FAILED <see cref="PaymentOutcome.NotPaid"/>, and
        /// TIMEOUT <see cref="PaymentOutcome.Unknown"/> (check the status with DOKU; not a failure).</returns>
        /// <exception cref="OvoInvalidArgumentException">An argument broke a rule; nothing was sent.</exception>
        /// <exception cref="OvoNotSentException">The request never left this machine; not paid.</exception>
        /// <exception cref="OvoOutcomeUnknownException">No usable answer: the customer may have paid.</exception>
        /// <exception cref="OvoRejectedException">DOKU refused the request (HTTP 4xx); not paid.</exception>
        /// <exception cref="OvoInternalException">A bug in libovo.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public Payment PushPayment(string invoiceNumber, long amount, string ovoId)
        {
            ThrowIfDisposed();
            OvoPaymentHandle native;
            uint result = NativeMethods.ovo_push_payment(
                handle, Utf8.ToNative(invoiceNumber), amount, Utf8.ToNative(ovoId), out native);
            using (native)
            {
                if (native.IsInvalid)
                {
                    // The ABI promises a payment whenever `out` is non-NULL.
                    throw OvoException.Create(
                        result == (uint)OvoResult.Ok ? OvoResult.Internal : (OvoResult)result,
                        "libovo returned no payment", null, null);
                }
                Payment payment = Payment.FromHandle(native);
                if (result != (uint)OvoResult.Ok)
                {
                    throw OvoException.Create(
                        (OvoResult)result, payment.ErrorMessage, payment.ErrorField, payment);
                }
                return payment;
            }
        }

        /// <summary>
        /// Pushes a payment like <see cref="PushPayment"/> without blocking a thread: libovo runs
        /// the request on its own thread and calls back once. This method never throws; every
        /// error, including <see cref="ObjectDisposedException"/>, surfaces through the task, as the
        /// same exception types as <see cref="PushPayment"/> (an invalid argument found before
        /// sending carries no <see cref="OvoException.Payment"/>).
        /// </summary>
        /// <param name="invoiceNumber">The merchant's unique invoice number.</param>
        /// <param name="amount">Whole rupiah.</param>
        /// <param name="ovoId">The customer's OVO phone number.</param>
        /// <param name="cancellationToken">
        /// Stops the wait, not the payment: libovo cannot cancel a request yet. If the token is
        /// already cancelled nothing is sent. If it is cancelled later, the task completes as
        /// cancelled at once while the request goes on in the background (its result is then
        /// discarded and freed): <b>the outcome of that payment is unknown to the caller</b> and
        /// must be checked with DOKU, never assumed failed.
        /// </param>
        public Task<Payment> PushPaymentAsync(
            string invoiceNumber, long amount, string ovoId,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled<Payment>(cancellationToken);
            }
            var pending = new PendingPayment();
            GCHandle state = default(GCHandle);
            bool started = false;
            try
            {
                ThrowIfDisposed();
                byte[] invoice = Utf8.ToNative(invoiceNumber);
                byte[] ovo = Utf8.ToNative(ovoId);
                state = GCHandle.Alloc(pending);
                Interlocked.Increment(ref pendingCallbacks);
                if (cancellationToken.CanBeCanceled)
                {
                    // Registered before the native call so the callback always sees it.
                    pending.Token = cancellationToken;
                    pending.Registration = cancellationToken.Register(CancelPending, pending, false);
                    if (pending.Completion.Task.IsCanceled)
                    {
                        return pending.Completion.Task; // cancelled meanwhile: send nothing
                    }
                }
                OvoErrorHandle error;
                uint result = NativeMethods.ovo_push_payment_async(
                    handle, invoice, amount, ovo, CallbackDelegate, GCHandle.ToIntPtr(state), IntPtr.Zero, out error);
                started = result == (uint)OvoResult.Ok;
                using (error)
                {
                    if (!started)
                    {
                        return Task.FromException<Payment>(OvoException.FromError(result, error, null));
                    }
                }
                return pending.Completion.Task;
            }
            catch (Exception e)
            {
                return Task.FromException<Payment>(e);
            }
            finally
            {
                if (!started)
                {
                    // The callback will never run: undo what it would have undone.
                    pending.Registration.Dispose();
                    if (state.IsAllocated)
                    {
                        state.Free();
                        Interlocked.Decrement(ref pendingCallbacks);
                    }
                }
            }
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
            get { return Volatile.Read(ref pendingCallbacks); }
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref disposed) != 0 || handle.IsClosed)
            {
                throw new ObjectDisposedException(nameof(OvoClient));
            }
        }

        private static void CancelPending(object state)
        {
            var pending = (PendingPayment)state;
            pending.Completion.TrySetCanceled(pending.Token);
        }

        /// <summary>
        /// The ovo_payment_callback: runs exactly once per started async payment, on a libovo
        /// thread. It owns <paramref name="payment"/> and frees it before returning. Nothing may
        /// escape into native code, so every exception is caught here.
        /// </summary>
        private static void OnPaymentCompleted(IntPtr userdata, IntPtr payment)
        {
            try
            {
                using (var native = new OvoPaymentHandle(payment))
                {
                    PendingPayment pending = null;
                    try
                    {
                        GCHandle state = GCHandle.FromIntPtr(userdata);
                        pending = (PendingPayment)state.Target;
                        state.Free();
                        pending.Registration.Dispose();
                        Payment result = Payment.FromHandle(native);
                        if (result.Result == OvoResult.Ok)
                        {
                            pending.Completion.TrySetResult(result);
                        }
                        else
                        {
                            pending.Completion.TrySetException(OvoException.FromPayment(result));
                        }
                    }
                    catch (Exception e)
                    {
                        if (pending != null)
                        {
                            pending.Completion.TrySetException(new OvoInternalException(
                                "the payment's result could not be read; its outcome is unknown", null, e));
                        }
                    }
                }
            }
            catch
            {
                // Never unwind into libovo.
            }
            finally
            {
                Interlocked.Decrement(ref pendingCallbacks);
            }
        }

        /// <summary>What one async call waits on. Continuations never run on libovo's thread.</summary>
        private sealed class PendingPayment
        {
            internal readonly TaskCompletionSource<Payment> Completion =
                new TaskCompletionSource<Payment>(TaskCreationOptions.RunContinuationsAsynchronously);

            internal CancellationToken Token;

            internal CancellationTokenRegistration Registration;
        }
    }
}

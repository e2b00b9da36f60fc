// One ovo_push_payment_async call seen from C#: the GCHandle libovo carries as userdata, the
// native callback, and the CancellationToken wired to ovo_payment_cancel.

using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Ovo
{
    /// <summary>What one async push waits on. Continuations never run on libovo's thread.</summary>
    internal sealed class AsyncPayment
    {
        // One delegate for every async call, kept alive for the life of the process, so the
        // function pointer libovo holds can never be collected while a callback is pending.
        private static readonly NativeMethods.PaymentCallback CallbackDelegate = OnPaymentCompleted;

        // Async payments whose native callback has not run yet (tests watch it reach zero).
        private static int pendingCallbacks;

        private readonly TaskCompletionSource<Payment> completion =
            new TaskCompletionSource<Payment>(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly CancellationToken token;

        // Guards done, cancelRequested, cancelHandle and registration: the native callback, the
        // token and Start race.
        private readonly object gate = new object();

        private bool done;

        private bool cancelRequested;

        private OvoCancelHandle cancelHandle;

        private CancellationTokenRegistration registration;

        private AsyncPayment(CancellationToken token)
        {
            this.token = token;
        }

        /// <summary>Async payments whose native callback has not run yet.</summary>
        internal static int PendingCallbacks
        {
            get { return Volatile.Read(ref pendingCallbacks); }
        }

        /// <summary>
        /// Starts the push. On success the task completes from libovo's callback; otherwise it is
        /// already faulted (nothing was sent) and the callback will never run.
        /// </summary>
        internal static Task<Payment> Start(
            OvoClientHandle client, byte[] invoice, long amount, byte[] ovoId, CancellationToken token)
        {
            var pending = new AsyncPayment(token);
            if (token.CanBeCanceled)
            {
                // Before the native call, so a token that cannot be watched sends nothing. A cancel
                // before the handle exists is remembered and applied when it arrives.
                pending.registration = token.Register(s => ((AsyncPayment)s).Cancel(), pending);
            }
            GCHandle state = GCHandle.Alloc(pending);
            Interlocked.Increment(ref pendingCallbacks);
            bool started = false;
            try
            {
                OvoCancelHandle cancel;
                OvoErrorHandle error;
                uint result = NativeMethods.ovo_push_payment_async(
                    client, invoice, amount, ovoId, CallbackDelegate, GCHandle.ToIntPtr(state), out cancel, out error);
                started = result == (uint)OvoResult.Ok;
                using (error)
                {
                    if (!started)
                    {
                        cancel.Dispose();
                        return Task.FromException<Payment>(OvoException.FromError(result, error, null));
                    }
                }
                pending.Watch(cancel);
                return pending.completion.Task;
            }
            finally
            {
                if (!started)
                {
                    pending.registration.Dispose();
                    state.Free();
                    Interlocked.Decrement(ref pendingCallbacks);
                }
            }
        }

        /// <summary>Keeps the native handle for the token (or frees it when there is no token or
        /// the callback already ran), and applies a cancel that came before it.</summary>
        private void Watch(OvoCancelHandle handle)
        {
            lock (gate)
            {
                if (done || !token.CanBeCanceled)
                {
                    handle.Dispose();
                    return;
                }
                cancelHandle = handle;
                if (cancelRequested)
                {
                    NativeMethods.ovo_payment_cancel(cancelHandle);
                }
            }
        }

        /// <summary>The token's callback: asks libovo to stop the wait; the result still comes
        /// through the native callback (within 100 ms). Never throws into the token's Cancel().</summary>
        private void Cancel()
        {
            try
            {
                lock (gate)
                {
                    cancelRequested = true;
                    if (!done && cancelHandle != null)
                    {
                        NativeMethods.ovo_payment_cancel(cancelHandle);
                    }
                }
            }
            catch (Exception)
            {
                // The handle is valid while not done; nothing else can fail here.
            }
        }

        /// <summary>Called once from the native callback: stops watching the token, frees the
        /// handle and completes the task.</summary>
        private void Complete(Payment payment, Exception failure)
        {
            CancellationTokenRegistration r;
            lock (gate)
            {
                done = true;
                r = registration;
                registration = default(CancellationTokenRegistration);
                if (cancelHandle != null)
                {
                    cancelHandle.Dispose();
                    cancelHandle = null;
                }
            }
            // Outside the lock: Dispose waits for a Cancel that is running, which takes the lock.
            r.Dispose();
            failure = failure ?? OvoException.ForPayment(payment, token);
            if (failure != null)
            {
                completion.TrySetException(failure);
            }
            else
            {
                completion.TrySetResult(payment);
            }
        }

        /// <summary>
        /// The ovo_payment_callback: runs exactly once per started async payment, on libovo's
        /// dispatcher thread. It owns <paramref name="payment"/> and frees it before returning.
        /// Nothing may escape into native code, so every exception is caught here.
        /// </summary>
        private static void OnPaymentCompleted(IntPtr userdata, IntPtr payment)
        {
            try
            {
                using (var native = new OvoPaymentHandle(payment))
                {
                    AsyncPayment pending = null;
                    try
                    {
                        GCHandle state = GCHandle.FromIntPtr(userdata);
                        pending = (AsyncPayment)state.Target;
                        state.Free();
                        pending.Complete(Payment.FromHandle(native), null);
                    }
                    catch (Exception e)
                    {
                        if (pending != null)
                        {
                            pending.Complete(null, new OvoInternalException(
                                "the payment's result could not be read; its outcome is unknown: check its status", null, e));
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
    }
}

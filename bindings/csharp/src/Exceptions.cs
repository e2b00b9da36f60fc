using System;
using System.Threading;

namespace Ovo
{
    /// <summary>
    /// A libovo call did not succeed. One subclass per <see cref="OvoResult"/>; the message is
    /// libovo's own (it never contains the secret key) and says what to do next. For a push or
    /// status check, <see cref="Payment"/> carries what is known (outcome, HTTP status, request
    /// id, raw body, DOKU's fields when an answer came) when libovo produced a payment, and is
    /// <c>null</c> otherwise. A cancelled wait is not an <see cref="OvoException"/> but an
    /// <see cref="OvoPaymentCanceledException"/>.
    /// </summary>
    public class OvoException : Exception
    {
        /// <summary>Creates an exception for <paramref name="result"/>.</summary>
        public OvoException(OvoResult result, string message, string field, Payment payment)
            : this(result, message, field, payment, null)
        {
        }

        /// <summary>Creates an exception for <paramref name="result"/> with an inner exception.</summary>
        public OvoException(OvoResult result, string message, string field, Payment payment, Exception innerException)
            : base(message, innerException)
        {
            Result = result;
            Field = field;
            Payment = payment;
        }

        /// <summary>libovo's result code.</summary>
        public OvoResult Result { get; }

        /// <summary>The field or parameter at fault, in libovo's spelling (e.g. <c>order.amount</c>,
        /// <c>client.id</c>, <c>base_url</c>), or <c>null</c> when the error is not about one.</summary>
        public string Field { get; }

        /// <summary>The payment as libovo reported it (never <c>null</c> for the blocking
        /// <see cref="OvoClient.PushPayment"/> and <see cref="OvoClient.CheckStatus"/>; <c>null</c>
        /// when the call failed before libovo made a payment, e.g. an invalid argument to
        /// <see cref="OvoClient.PushPaymentAsync"/>). Read its <see cref="Payment.Outcome"/>.</summary>
        public Payment Payment { get; }

        /// <summary>The exception class for a result code. A code this binding does not know
        /// (from a newer libovo) gives a plain <see cref="OvoException"/>.</summary>
        internal static OvoException Create(OvoResult result, string message, string field, Payment payment)
        {
            if (string.IsNullOrEmpty(message))
            {
                message = "libovo reported " + result;
            }
            switch (result)
            {
                case OvoResult.InvalidArgument:
                    return new OvoInvalidArgumentException(message, field, payment);
                case OvoResult.BufferTooSmall:
                    return new OvoBufferTooSmallException(message, payment);
                case OvoResult.NotSent:
                    return new OvoNotSentException(message, payment);
                case OvoResult.OutcomeUnknown:
                    return new OvoOutcomeUnknownException(message, payment);
                case OvoResult.Rejected:
                    return new OvoRejectedException(message, payment);
                case OvoResult.Internal:
                    return new OvoInternalException(message, payment);
                case OvoResult.InFlight:
                    return new OvoInFlightException(message, field, payment);
                case OvoResult.AlreadyPaid:
                    return new OvoAlreadyPaidException(message, field, payment);
                case OvoResult.Unsettled:
                    return new OvoUnsettledException(message, field, payment);
                case OvoResult.InvoiceUsed:
                    return new OvoInvoiceUsedException(message, field, payment);
                case OvoResult.Ok:
                    return new OvoInternalException("libovo reported success where an error was expected", payment);
                default:
                    return new OvoException(result, message, field, payment);
            }
        }

        /// <summary>The exception for a failed call that returned an owned <c>ovo_error</c>
        /// (the caller still frees <paramref name="error"/>).</summary>
        internal static OvoException FromError(uint result, OvoErrorHandle error, Payment payment)
        {
            string message = null;
            string field = null;
            if (error != null && !error.IsInvalid)
            {
                bool added = false;
                try
                {
                    error.DangerousAddRef(ref added);
                    IntPtr e = error.DangerousGetHandle();
                    message = Utf8.FromNative(NativeMethods.ovo_error_message(e));
                    field = Utf8.FromNative(NativeMethods.ovo_error_field(e));
                }
                finally
                {
                    if (added)
                    {
                        error.DangerousRelease();
                    }
                }
            }
            return Create((OvoResult)result, message, field, payment);
        }

        /// <summary>
        /// What a finished push or status check throws, or <c>null</c> when the payment is the
        /// answer: its result is OK, or reconcile's status check decided its outcome (the push's
        /// own result then stays e.g. OutcomeUnknown). A cancelled wait gives
        /// <see cref="OvoPaymentCanceledException"/>.
        /// </summary>
        internal static Exception ForPayment(Payment payment, CancellationToken token)
        {
            if (payment.Result == OvoResult.Ok)
            {
                return null;
            }
            if (payment.Cancelled)
            {
                return new OvoPaymentCanceledException(payment, token);
            }
            // Only a push whose own answer was lost counts as decided by its check; a refusal
            // (ALREADY_PAID, INVOICE_USED, ...) carries a decided stored payment and still throws.
            if (payment.Result == OvoResult.OutcomeUnknown && payment.LastCheck != null &&
                payment.Outcome != PaymentOutcome.Unknown)
            {
                return null;
            }
            return Create(payment.Result, payment.ErrorMessage, payment.ErrorField, payment);
        }
    }

    /// <summary>An argument or setting broke a rule; <see cref="OvoException.Field"/> names it.
    /// Nothing was sent.</summary>
    public sealed class OvoInvalidArgumentException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoInvalidArgumentException(string message, string field, Payment payment)
            : base(OvoResult.InvalidArgument, message, field, payment)
        {
        }
    }

    /// <summary>A caller buffer was too small (never expected through this binding).</summary>
    public sealed class OvoBufferTooSmallException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoBufferTooSmallException(string message, Payment payment)
            : base(OvoResult.BufferTooSmall, message, null, payment)
        {
        }
    }

    /// <summary>The request never left this machine (DNS, connect, TLS, proxy, or no thread
    /// could be started). The customer was not charged; it is safe to try again.</summary>
    public sealed class OvoNotSentException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoNotSentException(string message, Payment payment)
            : base(OvoResult.NotSent, message, null, payment)
        {
        }
    }

    /// <summary>
    /// The request was sent but no usable answer came back (timeout, reset, HTTP 3xx/5xx/408/409,
    /// malformed or mismatched response), or DOKU answered FAILED with code 40 (invoice used
    /// before) or 68 (pending); <see cref="OvoException.Payment"/> then still carries DOKU's fields.
    /// The customer MAY HAVE PAID: this is not a failure. Check the status
    /// (<see cref="OvoClient.CheckStatus"/>) before charging again or giving up. For a status check
    /// it only means that check told nothing.
    /// </summary>
    public sealed class OvoOutcomeUnknownException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoOutcomeUnknownException(string message, Payment payment)
            : base(OvoResult.OutcomeUnknown, message, null, payment)
        {
        }
    }

    /// <summary>DOKU refused the request with an HTTP 4xx showing it was not processed (bad
    /// checksum, credentials or fields). A refused push is not paid; a refused status check tells
    /// nothing about the payment (its outcome stays unknown).</summary>
    public sealed class OvoRejectedException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoRejectedException(string message, Payment payment)
            : base(OvoResult.Rejected, message, null, payment)
        {
        }
    }

    /// <summary>A bug in libovo (a caught panic) or in this binding. When it comes from a
    /// payment, read <see cref="Payment.Outcome"/>: it may be unknown.</summary>
    public sealed class OvoInternalException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoInternalException(string message, Payment payment)
            : base(OvoResult.Internal, message, null, payment)
        {
        }

        /// <summary>Creates the exception with an inner exception.</summary>
        public OvoInternalException(string message, Payment payment, Exception innerException)
            : base(OvoResult.Internal, message, null, payment, innerException)
        {
        }
    }

    /// <summary>A push of this invoice is already in flight on this client: refused, nothing sent.
    /// The first push decides the outcome; wait for it (its outcome is unknown until then).</summary>
    public sealed class OvoInFlightException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoInFlightException(string message, Payment payment)
            : base(OvoResult.InFlight, message, null, payment)
        {
        }

        /// <summary>Creates the exception naming the field libovo refused (<c>order.invoice_number</c>).</summary>
        public OvoInFlightException(string message, string field, Payment payment)
            : base(OvoResult.InFlight, message, field, payment)
        {
        }
    }

    /// <summary>libovo's journal holds this invoice as paid: refused, nothing sent. Do not
    /// charge again; <see cref="OvoException.Payment"/> is the stored payment (outcome
    /// <see cref="PaymentOutcome.Paid"/>, DOKU's fields, <see cref="Payment.JournalState"/>).</summary>
    public sealed class OvoAlreadyPaidException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoAlreadyPaidException(string message, Payment payment)
            : base(OvoResult.AlreadyPaid, message, null, payment)
        {
        }

        /// <summary>Creates the exception naming the field libovo refused (<c>order.invoice_number</c>).</summary>
        public OvoAlreadyPaidException(string message, string field, Payment payment)
            : base(OvoResult.AlreadyPaid, message, field, payment)
        {
        }
    }

    /// <summary>An earlier push of this invoice ended with an unknown outcome (it may be paid) and
    /// no status check has settled it (with a journal: also one left in flight by a program that
    /// stopped, or still in flight in another process): refused, nothing sent.
    /// <see cref="OvoException.Payment"/> is the earlier push as recorded. Settle it first
    /// (<see cref="OvoClient.Settle"/>).</summary>
    public sealed class OvoUnsettledException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoUnsettledException(string message, Payment payment)
            : base(OvoResult.Unsettled, message, null, payment)
        {
        }

        /// <summary>Creates the exception naming the field libovo refused (<c>order.invoice_number</c>).</summary>
        public OvoUnsettledException(string message, string field, Payment payment)
            : base(OvoResult.Unsettled, message, field, payment)
        {
        }
    }

    /// <summary>libovo's journal holds DOKU's "not paid" for this invoice, and DOKU never takes an
    /// invoice number twice: refused, nothing sent. Push again with a new invoice number;
    /// <see cref="OvoException.Payment"/> is the stored payment (outcome
    /// <see cref="PaymentOutcome.NotPaid"/>, or <see cref="PaymentOutcome.Refunded"/>).</summary>
    public sealed class OvoInvoiceUsedException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoInvoiceUsedException(string message, Payment payment)
            : base(OvoResult.InvoiceUsed, message, null, payment)
        {
        }

        /// <summary>Creates the exception naming the field libovo refused (<c>order.invoice_number</c>).</summary>
        public OvoInvoiceUsedException(string message, string field, Payment payment)
            : base(OvoResult.InvoiceUsed, message, field, payment)
        {
        }
    }

    /// <summary>
    /// A <see cref="CancellationToken"/> stopped the wait for a push: not a failure. The customer
    /// MAY STILL PAY in their OVO app until DOKU's window (70 s) ends, so the next step is a status
    /// check (<see cref="OvoClient.CheckStatus"/>) before charging again. <see cref="Payment"/>
    /// is libovo's payment for the cancelled push (<see cref="Payment.Cancelled"/> true, outcome
    /// unknown, or not paid when <see cref="Result"/> is <see cref="OvoResult.NotSent"/> because
    /// nothing had left). Derives from <see cref="OperationCanceledException"/>.
    /// </summary>
    public sealed class OvoPaymentCanceledException : OperationCanceledException
    {
        /// <summary>Creates the exception for a cancelled payment.</summary>
        public OvoPaymentCanceledException(Payment payment, CancellationToken token)
            : base(MessageOf(payment), token)
        {
            Payment = payment;
        }

        /// <summary>The cancelled push as libovo reported it; never <c>null</c>.</summary>
        public Payment Payment { get; }

        /// <summary>The push's result: <see cref="OvoResult.OutcomeUnknown"/> (sent: the customer
        /// may still pay) or <see cref="OvoResult.NotSent"/> (nothing had left: not paid).</summary>
        public OvoResult Result
        {
            get { return Payment == null ? OvoResult.OutcomeUnknown : Payment.Result; }
        }

        private static string MessageOf(Payment payment)
        {
            return payment != null && !string.IsNullOrEmpty(payment.ErrorMessage)
                ? payment.ErrorMessage
                : "the wait was cancelled: the customer may still pay; check the payment status before charging again";
        }
    }
}

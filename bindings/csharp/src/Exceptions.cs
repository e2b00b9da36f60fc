using System;

namespace Ovo
{
    /// <summary>
    /// A libovo call did not succeed. One subclass per <see cref="OvoResult"/>; the message is
    /// libovo's own (it never contains the secret key). For a payment, <see cref="Payment"/>
    /// carries what is known (outcome, HTTP status, request id, raw body) when libovo produced a
    /// payment, and is <c>null</c> otherwise.
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
        /// <see cref="OvoClient.PushPayment"/>; <c>null</c> when the call failed before libovo made
        /// a payment, e.g. an invalid argument to <see cref="OvoClient.PushPaymentAsync"/>).</summary>
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

        /// <summary>The exception for a payment whose result is not OK.</summary>
        internal static OvoException FromPayment(Payment payment)
        {
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
    /// The request was sent but no usable answer came back (timeout, reset, HTTP 5xx, malformed or
    /// mismatched response). The customer MAY HAVE PAID: this is not a failure. Check the
    /// payment's status with DOKU before charging again or giving up.
    /// </summary>
    public sealed class OvoOutcomeUnknownException : OvoException
    {
        /// <summary>Creates the exception.</summary>
        public OvoOutcomeUnknownException(string message, Payment payment)
            : base(OvoResult.OutcomeUnknown, message, null, payment)
        {
        }
    }

    /// <summary>DOKU refused the request with HTTP 4xx (bad checksum, credentials or fields).
    /// Not paid.</summary>
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
}

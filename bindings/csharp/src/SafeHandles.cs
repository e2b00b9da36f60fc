// SafeHandle subclasses for every object libovo hands over. The runtime reference-counts a
// SafeHandle across each P/Invoke call, so disposing one while another thread is inside a
// native call defers the _free until that call returns (no use after free), and Dispose is
// idempotent (no double free).

using System;
using System.Runtime.InteropServices;

namespace Ovo
{
    /// <summary>Owns an <c>ovo_client *</c>; released with <c>ovo_client_free</c>.</summary>
    internal sealed class OvoClientHandle : SafeHandle
    {
        /// <summary>Used by the marshaler for <c>out</c> parameters.</summary>
        public OvoClientHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ovo_client_free(handle);
            return true;
        }
    }

    /// <summary>Owns an <c>ovo_payment *</c>; released with <c>ovo_payment_free</c>.</summary>
    internal sealed class OvoPaymentHandle : SafeHandle
    {
        /// <summary>Used by the marshaler for <c>out</c> parameters.</summary>
        public OvoPaymentHandle() : base(IntPtr.Zero, true) { }

        /// <summary>Takes ownership of a payment handed to the async callback.</summary>
        internal OvoPaymentHandle(IntPtr payment) : base(IntPtr.Zero, true)
        {
            SetHandle(payment);
        }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ovo_payment_free(handle);
            return true;
        }
    }

    /// <summary>Owns an <c>ovo_payment_list *</c>; released with <c>ovo_payment_list_free</c>
    /// (which frees its payments too).</summary>
    internal sealed class OvoPaymentListHandle : SafeHandle
    {
        /// <summary>Used by the marshaler for <c>out</c> parameters.</summary>
        public OvoPaymentListHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ovo_payment_list_free(handle);
            return true;
        }
    }

    /// <summary>Owns an <c>ovo_config *</c>; released with <c>ovo_config_free</c>.</summary>
    internal sealed class OvoConfigHandle : SafeHandle
    {
        /// <summary>Used by the marshaler for return values.</summary>
        public OvoConfigHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ovo_config_free(handle);
            return true;
        }
    }

    /// <summary>Owns an <c>ovo_error *</c> (from an <c>error</c> out-parameter); released with
    /// <c>ovo_error_free</c>. Errors borrowed from a payment are never wrapped in one.</summary>
    internal sealed class OvoErrorHandle : SafeHandle
    {
        /// <summary>Used by the marshaler for <c>out</c> parameters.</summary>
        public OvoErrorHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ovo_error_free(handle);
            return true;
        }
    }

    /// <summary>Owns an <c>ovo_payment_handle *</c> (what <c>ovo_payment_cancel</c> takes);
    /// released with <c>ovo_payment_handle_free</c>, which libovo allows at any time.</summary>
    internal sealed class OvoCancelHandle : SafeHandle
    {
        /// <summary>Used by the marshaler for return values and <c>out</c> parameters.</summary>
        public OvoCancelHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ovo_payment_handle_free(handle);
            return true;
        }
    }
}
